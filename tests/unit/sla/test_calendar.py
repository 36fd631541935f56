"""Working-time arithmetic: weekends, holidays, daylight-saving changes, pauses."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaintdesk.sla.calendar import CalendarInvalid, WorkingCalendar, add, between
from complaintdesk.sla.clocks import ClockSpec, deadline

LONDON = ZoneInfo("Europe/London")
OFFICE = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
HOUR = 3600


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON).astimezone(dt.UTC)  # type: ignore[misc]


def office(holidays: tuple[str, ...] = ()) -> WorkingCalendar:
    return WorkingCalendar.parse("Europe/London", OFFICE, list(holidays))


def test_working_time_skips_the_weekend() -> None:
    friday_4pm = local(2026, 1, 9, 16, 0)
    assert office().add(friday_4pm, 2 * HOUR) == local(2026, 1, 12, 10, 0)
    assert office().between(friday_4pm, local(2026, 1, 12, 10, 0)) == 2 * HOUR


def test_a_case_filed_on_saturday_starts_counting_on_monday_morning() -> None:
    saturday = local(2026, 1, 10, 11, 30)
    assert office().add(saturday, 30 * 60) == local(2026, 1, 12, 9, 30)
    assert office().between(saturday, local(2026, 1, 11, 23, 0)) == 0


def test_holidays_are_not_worked() -> None:
    christmas_eve_4pm = local(2026, 12, 24, 16, 0)  # Thursday; Friday 25th is a holiday
    assert office(("2026-12-25",)).add(christmas_eve_4pm, 2 * HOUR) == local(2026, 12, 28, 10, 0)
    assert office().add(christmas_eve_4pm, 2 * HOUR) == local(2026, 12, 25, 10, 0)


def test_spring_forward_keeps_local_office_hours() -> None:
    # Clocks go forward on Sunday 29 March 2026: Friday 16:00 is 16:00 UTC, Monday
    # 10:00 is 09:00 UTC. Two working hours still end at ten on Monday morning.
    friday = local(2026, 3, 27, 16, 0)
    due = office().add(friday, 2 * HOUR)
    assert due == local(2026, 3, 30, 10, 0)
    assert due == dt.datetime(2026, 3, 30, 9, 0, tzinfo=dt.UTC)


def test_the_day_clocks_change_has_23_or_25_hours_around_the_clock() -> None:
    always = WorkingCalendar.parse(
        "Europe/London",
        {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        [],
    )
    assert always.between(local(2026, 3, 29, 0, 0), local(2026, 3, 30, 0, 0)) == 23 * HOUR
    assert always.between(local(2026, 10, 25, 0, 0), local(2026, 10, 26, 0, 0)) == 25 * HOUR
    assert always.add(local(2026, 3, 29, 0, 0), 24 * HOUR) == local(2026, 3, 30, 1, 0)


def test_split_shifts_and_midnight() -> None:
    calendar = WorkingCalendar.parse(
        "Europe/Moscow", {"mon": [["18:00", "24:00"], ["08:00", "12:00"]]}, []
    )
    monday_noon = dt.datetime(2026, 1, 12, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    assert calendar.add(monday_noon, 6 * HOUR) == dt.datetime(
        2026, 1, 13, 0, 0, tzinfo=ZoneInfo("Europe/Moscow")
    )
    assert calendar.add(monday_noon, 6 * HOUR + 1) == dt.datetime(
        2026, 1, 19, 8, 0, 1, tzinfo=ZoneInfo("Europe/Moscow")
    )


@pytest.mark.parametrize(
    ("timezone", "hours", "holidays", "message"),
    [
        ("Mars/Olympus", OFFICE, [], "IANA time zone"),
        ("Europe/London", {"monday": [["09:00", "17:00"]]}, [], "per weekday"),
        ("Europe/London", {"mon": [["17:00", "09:00"]]}, [], "ends before it starts"),
        ("Europe/London", {"mon": [["09:00", "13:00"], ["12:00", "17:00"]]}, [], "overlap"),
        ("Europe/London", {"mon": [["9am", "5pm"]]}, [], "time of day"),
        ("Europe/London", {"mon": [["09:00", "25:00"]]}, [], "time of day"),
        ("Europe/London", {}, [], "some working time"),
        ("Europe/London", OFFICE, ["25/12/2026"], "is not a date"),
    ],
)
def test_unusable_calendars_are_refused_with_the_reason(
    timezone: str, hours: dict[str, list[list[str]]], holidays: list[str], message: str
) -> None:
    with pytest.raises(CalendarInvalid, match=message):
        WorkingCalendar.parse(timezone, hours, holidays)


def test_a_calendar_that_never_works_again_is_refused_rather_than_walked_for_ever() -> None:
    mondays = [(dt.date(2026, 1, 5) + dt.timedelta(weeks=n)).isoformat() for n in range(3 * 53 + 2)]
    calendar = WorkingCalendar.parse("Europe/London", {"mon": [["09:00", "10:00"]]}, mondays)
    with pytest.raises(CalendarInvalid, match="no working time"):
        calendar.add(local(2026, 1, 1, 0, 0), 60)


# --- deadlines with pauses -------------------------------------------------------------

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_a_pause_moves_the_deadline_by_its_length() -> None:
    pause = (T0 + dt.timedelta(hours=10), T0 + dt.timedelta(hours=12))
    assert deadline(T0, 48 * HOUR, None, [pause]) == T0 + dt.timedelta(hours=50)


def test_pauses_before_the_start_after_the_deadline_or_overlapping_count_once() -> None:
    before = (T0 - dt.timedelta(hours=5), T0 - dt.timedelta(hours=1))
    after = (T0 + dt.timedelta(hours=60), T0 + dt.timedelta(hours=70))
    first = (T0 + dt.timedelta(hours=1), T0 + dt.timedelta(hours=4))
    overlapping = (T0 + dt.timedelta(hours=3), T0 + dt.timedelta(hours=5))
    assert deadline(T0, 48 * HOUR, None, [before, after]) == T0 + dt.timedelta(hours=48)
    assert deadline(T0, 48 * HOUR, None, [overlapping, first]) == T0 + dt.timedelta(hours=52)


def test_a_pause_over_a_weekend_costs_only_the_working_time_it_covered() -> None:
    friday_9am = local(2026, 1, 9, 9, 0)
    pause = (local(2026, 1, 9, 16, 0), local(2026, 1, 12, 10, 0))  # Fri 16:00 → Mon 10:00
    assert deadline(friday_9am, 8 * HOUR, office(), [pause]) == local(2026, 1, 12, 11, 0)


def test_at_risk_and_used_share_leave_pauses_out() -> None:
    pause = (T0 + dt.timedelta(hours=2), T0 + dt.timedelta(hours=12))
    spec = ClockSpec("resolution", T0, 10 * HOUR, None, (pause,))
    assert spec.due() == T0 + dt.timedelta(hours=20)
    assert spec.at_risk_at(80) == T0 + dt.timedelta(hours=18)
    assert spec.used(T0 + dt.timedelta(hours=12)) == pytest.approx(0.2)
    assert spec.used(T0 + dt.timedelta(hours=17)) == pytest.approx(0.7)


# Hypothesis wants naive bounds; every value drawn is made UTC.
moments = st.datetimes(
    min_value=dt.datetime(2025, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2028, 12, 31),  # noqa: DTZ001
).map(lambda d: d.replace(tzinfo=dt.UTC))


@settings(max_examples=200, deadline=None)
@given(start=moments, seconds=st.integers(min_value=1, max_value=200 * HOUR))
def test_working_time_added_is_working_time_between(start: dt.datetime, seconds: int) -> None:
    calendar = office(("2026-12-25", "2027-01-01", "2026-04-03"))
    end = calendar.add(start, seconds)
    assert calendar.between(start, end) == seconds
    assert calendar.add(start, seconds + 60) > end


@settings(max_examples=200, deadline=None)
@given(
    start=moments,
    seconds=st.integers(min_value=1, max_value=100 * HOUR),
    pauses=st.lists(st.tuples(st.integers(0, 200 * HOUR), st.integers(1, 30 * HOUR)), max_size=4),
)
def test_a_deadline_never_comes_earlier_for_a_pause(
    start: dt.datetime, seconds: int, pauses: list[tuple[int, int]]
) -> None:
    spans = [
        (start + dt.timedelta(seconds=a), start + dt.timedelta(seconds=a + b)) for a, b in pauses
    ]
    for calendar in (None, office()):
        plain = deadline(start, seconds, calendar, [])
        paused = deadline(start, seconds, calendar, spans)
        assert paused >= plain
        total = sum(between(calendar, max(a, start), min(b, paused)) for a, b in spans if b > start)
        # Without overlapping pauses the clock ran exactly its target outside them.
        if all(b1 <= a2 for (_, b1), (a2, _) in itertools.pairwise(sorted(spans))):
            assert between(calendar, start, paused) - total == pytest.approx(seconds)
    assert add(None, start, seconds) == start + dt.timedelta(seconds=seconds)
