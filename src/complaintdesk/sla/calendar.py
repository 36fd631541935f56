"""Working time: the arithmetic of business calendars, pure and exact to the second.

A calendar is working hours per weekday in one IANA time zone, minus holidays. Every
computation walks the calendar's working intervals one local day at a time and converts
each interval's local start and end to UTC on its own date, so a day that loses or gains
an hour to a daylight-saving change has exactly the working time its wall clock shows.

``None`` stands for a desk that works around the clock (24/7): elapsed time is working time.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# A calendar's intervals are looked for this far ahead at most: a calendar whose every
# day is a holiday would otherwise be walked for ever.
HORIZON_DAYS = 3 * 366
MAX_HOLIDAYS = 2000
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


class CalendarInvalid(ValueError):
    """A calendar that cannot be used: bad zone, bad hours, or no working time at all."""


Interval = tuple[dt.time, dt.time | None]  # end None: midnight at the end of the day


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    zone: ZoneInfo
    week: tuple[tuple[Interval, ...], ...]  # Monday first, 7 entries
    holidays: frozenset[dt.date]

    @classmethod
    def parse(
        cls, timezone: str, hours: Mapping[str, Sequence[Sequence[str]]], holidays: Sequence[str]
    ) -> WorkingCalendar:
        """Build a calendar from its stored form, refusing anything ambiguous."""
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise CalendarInvalid(
                f"{timezone!r} is not an IANA time zone (e.g. Europe/London)"
            ) from None
        unknown = set(hours) - set(WEEKDAYS)
        if unknown:
            raise CalendarInvalid(
                f"working hours are given per weekday ({', '.join(WEEKDAYS)}); "
                f"not {', '.join(sorted(unknown))}"
            )
        week = tuple(_day(day, hours.get(day, ())) for day in WEEKDAYS)
        if not any(week):
            raise CalendarInvalid("a calendar needs some working time in the week")
        if len(holidays) > MAX_HOLIDAYS:
            raise CalendarInvalid(f"at most {MAX_HOLIDAYS} holidays")
        days: set[dt.date] = set()
        for value in holidays:
            try:
                days.add(dt.date.fromisoformat(value))
            except (TypeError, ValueError):
                raise CalendarInvalid(f"{value!r} is not a date (YYYY-MM-DD)") from None
        return cls(zone=zone, week=week, holidays=frozenset(days))

    def intervals(self, start: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """Working intervals in UTC from ``start`` on, the first one clipped to ``start``."""
        day = start.astimezone(self.zone).date()
        for _ in range(HORIZON_DAYS):
            if day not in self.holidays:
                for begin, end in self.week[day.weekday()]:
                    lo = dt.datetime.combine(day, begin, tzinfo=self.zone).astimezone(dt.UTC)
                    hi = (
                        dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), self.zone)
                        if end is None
                        else dt.datetime.combine(day, end, tzinfo=self.zone)
                    ).astimezone(dt.UTC)
                    if hi > start and hi > lo:
                        yield max(lo, start), hi
            day += dt.timedelta(days=1)
        raise CalendarInvalid(f"no working time within {HORIZON_DAYS} days")

    def add(self, start: dt.datetime, seconds: float) -> dt.datetime:
        """The moment ``seconds`` of working time after ``start``."""
        if seconds <= 0:
            return start
        left = dt.timedelta(seconds=seconds)
        for lo, hi in self.intervals(start):
            if hi - lo >= left:
                return lo + left
            left -= hi - lo
        raise AssertionError("unreachable: intervals() raises past its horizon")  # pragma: no cover

    def between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Seconds of working time from ``start`` to ``end`` (0 if ``end`` is not later)."""
        if end <= start:
            return 0.0
        total = dt.timedelta()
        for lo, hi in self.intervals(start):
            if lo >= end:
                break
            total += min(hi, end) - lo
        return total.total_seconds()


def add(calendar: WorkingCalendar | None, start: dt.datetime, seconds: float) -> dt.datetime:
    if calendar is None:
        return start + dt.timedelta(seconds=max(seconds, 0))
    return calendar.add(start, seconds)


def between(calendar: WorkingCalendar | None, start: dt.datetime, end: dt.datetime) -> float:
    if calendar is None:
        return max((end - start).total_seconds(), 0.0)
    return calendar.between(start, end)


def _day(day: str, intervals: Sequence[Sequence[str]]) -> tuple[Interval, ...]:
    parsed: list[tuple[int, int, Interval]] = []
    for interval in intervals:
        if len(interval) != 2 or not all(isinstance(v, str) for v in interval):
            raise CalendarInvalid(f'{day}: each interval is ["HH:MM", "HH:MM"]')
        begin, end = (_minutes(day, v) for v in interval)
        if end <= begin:
            raise CalendarInvalid(f"{day}: {interval[0]}-{interval[1]} ends before it starts")
        parsed.append((begin, end, (_time(begin), None if end == 24 * 60 else _time(end))))
    parsed.sort()
    for (_, end, _i), (begin, _, _j) in itertools.pairwise(parsed):
        if begin < end:
            raise CalendarInvalid(f"{day}: working intervals overlap")
    return tuple(interval for _, _, interval in parsed)


def _minutes(day: str, value: str) -> int:
    match = _TIME.match(value)
    if not match:
        raise CalendarInvalid(f"{day}: {value!r} is not a time of day (HH:MM, up to 24:00)")
    if value == "24:00":
        return 24 * 60
    return int(match.group(1)) * 60 + int(match.group(2))


def _time(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)
