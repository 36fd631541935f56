"""The time left before a deadline, as an agent reads it at a glance, in both languages."""

from __future__ import annotations

import datetime as dt

from complaintdesk.console import wording
from complaintdesk.web.i18n import catalogs

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def _left(delta: dt.timedelta, language: str = "en", *, paused: bool = False) -> str:
    return wording.time_left(
        NOW + delta, NOW, lambda m: catalogs().gettext(language, m), paused=paused
    )


def test_time_left_is_written_plainly() -> None:
    assert _left(dt.timedelta(hours=3, minutes=20)) == "in 3 h"
    assert _left(dt.timedelta(minutes=40)) == "in 40 min"
    assert _left(dt.timedelta(seconds=20)) == "in 1 min"
    assert _left(dt.timedelta(hours=-2, minutes=-5)) == "2 h overdue"
    assert _left(dt.timedelta(days=3, hours=5)) == "in 3 d 5 h"
    assert _left(dt.timedelta(days=28)) == "in 28 d"
    assert _left(dt.timedelta(hours=47)) == "in 47 h"
    assert _left(dt.timedelta(hours=5), paused=True) == "paused"
    assert wording.time_left(None, NOW, str) == ""


def test_time_left_in_russian() -> None:
    assert _left(dt.timedelta(hours=3, minutes=20), "ru") == "через 3 ч"
    assert _left(dt.timedelta(hours=-2, minutes=-5), "ru") == "просрочено на 2 ч"
    assert _left(dt.timedelta(days=3, hours=5), "ru") == "через 3 дн. 5 ч"


def test_urgency_marks_what_needs_doing_first() -> None:
    assert wording.urgency(NOW - dt.timedelta(minutes=1), NOW) == "overdue"
    assert wording.urgency(NOW + dt.timedelta(hours=3), NOW) == "soon"
    assert wording.urgency(NOW + dt.timedelta(hours=5), NOW) == "later"
    assert wording.urgency(NOW + dt.timedelta(hours=1), NOW, paused=True) == "paused"


def test_every_event_reads_as_a_sentence() -> None:
    def say(type_: str, **data: object) -> str:
        return wording.event_text(type_, data, lambda m: m)

    assert say("status_changed", to="awaiting_customer") == "Status: Awaiting customer"
    assert say("routed", team={"from": "payments", "to": "trading"}) == "Routed to trading"
    assert say("assigned", assignee=None) == "Assigned: nobody"
    assert say("merged", into="CMP-2222-3333") == "Merged into CMP-2222-3333"
    assert say("resolution_proposed", outcome="not_upheld") == (
        "Decision proposed for approval: Not upheld"
    )
    assert say("something_new") == "something new"
