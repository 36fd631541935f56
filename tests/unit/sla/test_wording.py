"""The words of the clocks and the matching of routing rules, without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from complaintdesk.complaints.models import Priority
from complaintdesk.routing.models import RoutingRule
from complaintdesk.routing.services import matches
from complaintdesk.sla import wording
from complaintdesk.sla.wording import PauseFacts, StaffFacts, duration, public_explanation

DAY = 86_400


@pytest.mark.parametrize(
    ("n", "form"),
    [
        (1, "день"),
        (2, "дня"),
        (4, "дня"),
        (5, "дней"),
        (11, "дней"),
        (12, "дней"),
        (21, "день"),
        (22, "дня"),
        (25, "дней"),
        (101, "день"),
        (111, "дней"),
    ],
)
def test_russian_plurals(n: int, form: str) -> None:
    assert wording.plural_ru(n, "день", "дня", "дней") == form


@pytest.mark.parametrize(
    ("seconds", "en", "ru", "ru_genitive"),
    [
        (24 * 3600, "24 hours", "24 часа", "24 часов"),
        (48 * 3600, "48 hours", "48 часов", "48 часов"),
        (2 * DAY + 3 * 3600, "51 hours", "51 час", "51 часа"),
        (4 * DAY + 3 * 3600, "4 days 3 hours", "4 дня 3 часа", "4 дней 3 часов"),
        (56 * DAY, "56 days", "56 дней", "56 дней"),
        (21 * DAY, "21 days", "21 день", "21 дня"),
        (3600 + 20 * 60, "1 hour 20 minutes", "1 час 20 минут", "1 часа 20 минут"),
        (45 * 60, "45 minutes", "45 минут", "45 минут"),
        (20, "less than a minute", "меньше минуты", "меньше минуты"),
    ],
)
def test_durations_read_as_people_say_them(
    seconds: int, en: str, ru: str, ru_genitive: str
) -> None:
    assert duration(seconds, "en", hours_up_to=72) == en
    assert duration(seconds, "ru", hours_up_to=72) == ru
    assert duration(seconds, "ru", genitive=True, hours_up_to=72) == ru_genitive


def test_spans_of_whole_days_read_as_days_unless_they_are_targets() -> None:
    assert duration(2 * DAY, "en") == "2 days"
    assert duration(2 * DAY, "ru") == "2 дня"
    assert duration(2 * DAY, "en", hours_up_to=72) == "48 hours"
    assert duration(4 * DAY, "en", hours_up_to=72) == "4 days"


def test_the_customer_is_told_how_long_the_clock_waited_for_them() -> None:
    waited = PauseFacts(closed_seconds=2 * DAY, open_seconds=None)
    assert "paused for 2 days while we waited for your reply or documents" in (
        public_explanation(waited, "en") or ""
    )
    assert "приостановлен на 2 дня, пока мы ждали вашего ответа" in (
        public_explanation(waited, "ru") or ""
    )
    waiting = PauseFacts(closed_seconds=0, open_seconds=3 * 3600)
    assert "paused while we wait for your reply or documents (3 hours so far)" in (
        public_explanation(waiting, "en") or ""
    )
    assert "уже 3 часа" in (public_explanation(waiting, "ru") or "")
    assert public_explanation(PauseFacts(closed_seconds=0, open_seconds=None), "en") is None
    extended = PauseFacts(closed_seconds=0, open_seconds=None, extension_days=28)
    assert "extended by 28 days" in (public_explanation(extended, "en") or "")
    assert "продлён на 28 дней" in (public_explanation(extended, "ru") or "")


def test_the_staff_explanation_names_the_policy_calendar_regulator_and_pauses() -> None:
    facts = StaffFacts(
        policy="default",
        calendar="london (Europe/London)",
        first_response_seconds=24 * 3600,
        next_response_seconds=None,
        resolution_seconds=48 * 3600,
        jurisdiction="GB",
        regulator="Gambling Commission",
        regulatory_days=56,
        extension_days=0,
        extended_at=None,
        pause_clocks=["resolution", "regulatory"],
        pauses=2,
        paused_seconds=2 * DAY,
        paused_since=dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC),
        at_risk=["first_response"],
        breached=[],
    )
    en = wording.staff_explanation(facts, "en")
    assert "Policy «default»: first response 24 hours, resolution 48 hours" in en
    assert "working hours of london (Europe/London)" in en
    assert "Regulatory: 56 days (GB, Gambling Commission)" in en
    assert "stops: resolution and regulatory deadline" in en
    assert "Paused 2 days in 2 pauses" in en
    assert "Paused now, since 2026-03-05 09:00 UTC" in en
    assert "At risk: first response" in en
    ru = wording.staff_explanation(facts, "ru")
    assert "Политика «default»: первый ответ 24 часа, решение 48 часов" in ru
    assert "Под угрозой: первый ответ" in ru


def _rule(**conditions: list[str]) -> RoutingRule:
    return RoutingRule(
        categories=conditions.get("categories", []),
        languages=conditions.get("languages", []),
        jurisdictions=conditions.get("jurisdictions", []),
        priorities=conditions.get("priorities", []),
    )


def test_a_rule_matches_when_every_condition_it_has_admits_the_case() -> None:
    case = {"category": "bet_settlement", "language": "ru", "jurisdiction": "CA-ON"}
    normal = Priority.normal.value
    assert matches(_rule(), **case, priority=normal)
    assert matches(_rule(categories=["bet_settlement", "bonus_terms"]), **case, priority=normal)
    assert not matches(_rule(categories=["bonus_terms"]), **case, priority=normal)
    assert matches(_rule(languages=["ru"]), **case, priority=normal)
    assert not matches(_rule(languages=["en"]), **case, priority=normal)
    assert matches(_rule(jurisdictions=["CA"]), **case, priority=normal)  # country covers ON
    assert matches(_rule(jurisdictions=["CA-ON"]), **case, priority=normal)
    assert not matches(_rule(jurisdictions=["CA-QC", "GB"]), **case, priority=normal)
    assert not matches(
        _rule(jurisdictions=["CA-ON"]), **{**case, "jurisdiction": "CA"}, priority=normal
    )
    assert not matches(
        _rule(jurisdictions=["GB"]), **{**case, "jurisdiction": None}, priority=normal
    )
    assert matches(_rule(priorities=["urgent"]), **case, priority="urgent")
    assert not matches(_rule(priorities=["urgent"], languages=["ru"]), **case, priority=normal)
