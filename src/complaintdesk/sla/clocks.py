"""When a clock is due: its start, its target, its calendar and the pauses that stopped it.

A deadline is never stored as a bare number to be nudged: it is a pure function of these
inputs, so that pausing, resuming, a new priority or an extension each recompute it the
same way, and the explanation is built from the same facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from complaintdesk.sla import calendar as cal
from complaintdesk.sla.calendar import WorkingCalendar

Span = tuple[dt.datetime, dt.datetime]
DAY = 86_400


def deadline(
    start: dt.datetime, seconds: float, calendar: WorkingCalendar | None, pauses: Iterable[Span]
) -> dt.datetime:
    """The moment ``seconds`` of the clock's time have run since ``start``.

    The clock runs in the calendar's working time (all the time for ``None``) except
    during ``pauses``; pauses before ``start`` or overlapping one another count once.
    """
    at = start
    left = float(seconds)
    for paused_at, resumed_at in sorted(pauses):
        if resumed_at <= at:
            continue
        ran = cal.between(calendar, at, max(paused_at, at))
        if ran >= left:
            break
        left -= ran
        at = resumed_at
    return cal.add(calendar, at, left)


@dataclass(frozen=True, slots=True)
class ClockSpec:
    """One running clock of a case, as its deadline is computed."""

    name: str
    start: dt.datetime
    seconds: float
    calendar: WorkingCalendar | None
    pauses: tuple[Span, ...] = ()

    def due(self) -> dt.datetime:
        return deadline(self.start, self.seconds, self.calendar, self.pauses)

    def at_risk_at(self, percent: int) -> dt.datetime:
        """When ``percent`` of the clock's time will have been used."""
        return deadline(self.start, self.seconds * percent / 100, self.calendar, self.pauses)

    def used(self, now: dt.datetime) -> float:
        """The share of the clock's time used by ``now`` (0..1+), pauses excluded."""
        if self.seconds <= 0:
            return 1.0
        ran = cal.between(self.calendar, self.start, now)
        for begin, end in self.pauses:
            lo, hi = max(begin, self.start), min(end, now)
            if hi > lo:
                ran -= cal.between(self.calendar, lo, hi)
        return max(ran, 0.0) / self.seconds


def paused_spans(
    pauses: Sequence[tuple[dt.datetime, dt.datetime | None, Sequence[str]]], clock: str
) -> tuple[Span, ...]:
    """The closed pauses that stopped ``clock``. An open pause counts once it ends."""
    return tuple(
        (begin, end) for begin, end, clocks in pauses if end is not None and clock in clocks
    )
