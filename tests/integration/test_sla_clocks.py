"""The clocks of a case against real SQLite and PostgreSQL, with an injected clock:
intake by policy and jurisdiction, pause and resume, reopening, business hours, the
Curaçao extension, re-derivation when the priority rises."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from complaintdesk.complaints import services
from complaintdesk.complaints.errors import Forbidden, NotFound
from complaintdesk.complaints.models import Category, Complaint, Outcome, Priority, Status
from complaintdesk.complaints.representations import track_view
from complaintdesk.db import Database
from complaintdesk.routing import services as routing
from complaintdesk.sla import admin, queries
from complaintdesk.sla.errors import ExtensionRefused
from complaintdesk.sla.representations import case_sla
from complaintdesk.sla.services import extend
from complaintdesk.staff import services as staff_services
from complaintdesk.staff.models import Role
from tests.integration.sla_helpers import POLICY, T0, D, H, case, events, file, install, staff
from tests.statements import counted


@pytest.fixture
def desk(db: Database) -> Database:
    return install(db)


def test_a_new_case_follows_the_default_policy_and_its_jurisdiction(desk: Database) -> None:
    ref = file(desk, jurisdiction="GB")
    c = case(desk, ref)
    assert c.team == "bet_settlement"
    assert c.acknowledgement_due_at == T0  # acknowledged at once
    assert c.first_response_due_at == T0 + 24 * H
    assert c.resolution_due_at == T0 + 48 * H
    assert c.regulatory_due_at == T0 + 56 * D
    assert c.due_at == T0 + 24 * H
    assert c.sla_state == "ok"
    (routed,) = events(desk, ref, "routed")
    assert routed[1]["team"] == "bet_settlement"
    assert routed[1]["rule"]["name"].startswith("Bet settlement")
    (applied,) = events(desk, ref, "sla_applied")
    assert applied[1]["policy"] == "default"
    assert applied[1]["jurisdiction"] == "GB"
    assert not applied[2]  # internal


@pytest.mark.parametrize(
    ("jurisdiction", "days", "rule"),
    [
        ("CW", 28, "CW"),
        ("CA-ON", 90, "CA-ON"),
        ("GB-SCT", 56, "GB"),  # a subdivision without a rule of its own: its country's
        ("XX", 56, "default"),
        (None, 56, "default"),
    ],
)
def test_the_regulatory_deadline_is_the_jurisdictions(
    desk: Database, jurisdiction: str | None, days: int, rule: str
) -> None:
    ref = file(desk, jurisdiction=jurisdiction)
    assert case(desk, ref).regulatory_due_at == T0 + days * D
    assert events(desk, ref, "sla_applied")[0][1]["jurisdiction"] == rule


def test_a_jurisdiction_rule_edited_through_the_service_applies_to_new_cases(
    desk: Database,
) -> None:
    lead = staff(desk, "lena", Role.lead)
    before = file(desk, jurisdiction="SE")
    with desk.transaction() as session:
        admin.update_jurisdiction(session, lead, "SE", {"regulatory_days": 30})
    after = file(desk, jurisdiction="SE")
    assert case(desk, before).regulatory_due_at == T0 + 56 * D  # a case keeps its deadline
    assert case(desk, after).regulatory_due_at == T0 + 30 * D


def test_a_consultation_has_no_regulatory_clock_until_it_becomes_a_complaint(
    desk: Database,
) -> None:
    with desk.transaction() as session:
        ref = services.open_consultation(
            session, question="Can I cash out?", policy=POLICY, now=T0
        ).case.reference
    assert case(desk, ref).regulatory_due_at is None
    with desk.transaction() as session:
        services.convert_consultation(
            session,
            _in(session, ref),
            customer=services.CustomerDetails(email="c@example.com"),
            policy=POLICY,
            category=Category.responsible_gambling,
            jurisdiction="CW",
            now=T0 + 2 * D,
        )
    c = case(desk, ref)
    assert c.regulatory_due_at == T0 + 2 * D + 28 * D  # starts at conversion
    assert (c.team, c.priority) == ("responsible_gambling", Priority.urgent)


def _in(session: object, reference: str) -> Complaint:
    found = session.scalar(select(Complaint).where(Complaint.reference == reference))  # type: ignore[attr-defined]
    assert found is not None
    return found  # type: ignore[no-any-return]


def test_waiting_for_the_customer_pauses_resolution_and_regulatory_not_first_response(
    desk: Database,
) -> None:
    agent = staff(desk, "alice")
    ref = file(desk)
    with desk.transaction() as session:
        services.transition(session, agent, ref, to=Status.awaiting_customer, now=T0 + H)
    paused = case(desk, ref)
    assert paused.first_response_due_at == T0 + 24 * H  # first response keeps running
    with desk.transaction() as session:
        services.customer_message(
            session, _in(session, ref), "Here is the screenshot", now=T0 + H + 2 * D
        )
    c = case(desk, ref)
    assert c.status is Status.in_progress
    assert c.first_response_due_at == T0 + 24 * H
    assert c.resolution_due_at == T0 + 48 * H + 2 * D
    assert c.regulatory_due_at == T0 + 56 * D + 2 * D
    (pause,) = events(desk, ref, "clock_paused")
    assert pause[1]["clocks"] == ["resolution", "regulatory"]
    assert pause[2]  # public: the customer sees it
    (resumed,) = events(desk, ref, "clock_resumed")
    assert resumed[1]["paused_seconds"] == 2 * 86_400
    assert resumed[1]["deadlines"]["resolution"] == (T0 + 48 * H + 2 * D).isoformat()
    with desk.read() as session:
        sla = case_sla(session, _in(session, ref), now=T0 + 3 * D)
        track = track_view(session, _in(session, ref))
    assert sla is not None
    assert sla.paused_seconds == 2 * 86_400
    assert [(p.seconds, p.clocks) for p in sla.pauses] == [
        (2 * 86_400, ["resolution", "regulatory"])
    ]
    assert "Paused 2 days in 1 pause" in sla.explanation["en"]
    assert track.clock is not None
    assert track.clock.explanation is not None
    assert "paused for 2 days while we waited for your reply" in track.clock.explanation["en"]
    assert "приостановлен на 2 дня" in track.clock.explanation["ru"]
    public_types = [e.type for e in track.timeline]
    assert {"clock_paused", "clock_resumed"} <= set(public_types)
    assert "sla_applied" not in public_types


def test_the_case_view_shows_an_open_pause_growing(desk: Database) -> None:
    agent = staff(desk, "alice")
    ref = file(desk)
    with desk.transaction() as session:
        services.transition(session, agent, ref, to=Status.awaiting_customer, now=T0 + H)
    with desk.read() as session:
        sla = case_sla(session, _in(session, ref), now=T0 + 4 * H)
    assert sla is not None
    assert sla.paused
    assert sla.paused_seconds == 3 * 3600
    assert sla.clocks["resolution"].state == "paused"
    assert sla.clocks["first_response"].state == "ok"
    assert "Paused now, since" in sla.explanation["en"]


def test_a_policy_may_stop_the_first_response_clock_too(desk: Database) -> None:
    lead = staff(desk, "lena", Role.lead)
    with desk.transaction() as session:
        admin.update_policy(
            session, lead, "default", {"pause_clocks": ["first_response", "resolution"]}
        )
    ref = file(desk)
    with desk.transaction() as session:
        services.transition(session, lead, ref, to=Status.awaiting_customer, now=T0 + H)
        services.transition(session, lead, ref, to=Status.in_progress, now=T0 + 6 * H)
    c = case(desk, ref)
    assert c.first_response_due_at == T0 + 29 * H
    assert c.resolution_due_at == T0 + 53 * H
    assert c.regulatory_due_at == T0 + 56 * D  # this policy leaves the regulator's running


def test_a_jurisdiction_that_forbids_pausing_keeps_the_regulators_clock_running(
    desk: Database,
) -> None:
    lead = staff(desk, "lena", Role.lead)
    with desk.transaction() as session:
        admin.update_jurisdiction(session, lead, "GB", {"allow_pause": False})
    ref = file(desk)
    with desk.transaction() as session:
        services.transition(session, lead, ref, to=Status.awaiting_customer, now=T0 + H)
        services.transition(session, lead, ref, to=Status.in_progress, now=T0 + 3 * D)
    c = case(desk, ref)
    assert c.resolution_due_at == T0 + 48 * H + 3 * D - H
    assert c.regulatory_due_at == T0 + 56 * D


def test_resolving_while_waiting_ends_the_pause_and_a_review_restarts_resolution(
    desk: Database,
) -> None:
    agent = staff(desk, "alice")
    ref = file(desk)
    with desk.transaction() as session:
        services.reply(session, agent, ref, "Looking", now=T0 + H)
        services.transition(session, agent, ref, to=Status.awaiting_customer, now=T0 + 2 * H)
        services.resolve(
            session, agent, ref, outcome=Outcome.not_upheld, summary="Settled right", now=T0 + D
        )
    c = case(desk, ref)
    assert c.due_at is None
    assert c.sla_state == "ok"
    with desk.read() as session:
        sla = case_sla(session, _in(session, ref), now=T0 + 2 * D)
    assert sla is not None
    assert not sla.paused
    assert sla.pauses[0].ended_at == T0 + D
    assert sla.clocks["resolution"].state == "met"
    with desk.transaction() as session:
        services.request_review(session, _in(session, ref), "Please look again", now=T0 + 5 * D)
    reopened = case(desk, ref)
    assert reopened.status is Status.escalated
    assert reopened.resolution_due_at == T0 + 5 * D + 48 * H
    assert reopened.regulatory_due_at == T0 + 56 * D + D - 2 * H  # the pause still counts
    assert events(desk, ref, "deadlines_changed")[-1][1]["cause"] == "reopened"


def test_closing_a_case_resolved_in_time_long_after_is_no_breach(desk: Database) -> None:
    agent = staff(desk, "alice")
    ref = file(desk)
    with desk.transaction() as session:
        services.resolve(session, agent, ref, outcome=Outcome.upheld, summary="Paid", now=T0 + H)
        services.transition(session, agent, ref, to=Status.closed, now=T0 + 30 * D)
    assert case(desk, ref).sla_state == "ok"
    assert events(desk, ref, "sla_breached") == []


def test_a_late_first_reply_is_recorded_as_a_breach(desk: Database) -> None:
    agent = staff(desk, "alice")
    ref = file(desk)
    with desk.transaction() as session:
        services.reply(session, agent, ref, "Sorry for the wait", now=T0 + 30 * H)
    assert case(desk, ref).sla_state == "breached"
    (breach,) = events(desk, ref, "sla_breached")
    assert breach[1]["clock"] == "first_response"
    assert breach[1]["met_at"] == (T0 + 30 * H).isoformat()


def test_the_customers_next_message_is_due_an_answer_in_its_own_time(desk: Database) -> None:
    agent = staff(desk, "alice")
    ref = file(desk)
    with desk.transaction() as session:
        services.reply(session, agent, ref, "Checking", now=T0 + H)
    assert case(desk, ref).next_response_due_at is None
    with desk.transaction() as session:
        services.customer_message(session, _in(session, ref), "Any news?", now=T0 + 10 * H)
        services.customer_message(session, _in(session, ref), "Hello?", now=T0 + 12 * H)
    c = case(desk, ref)
    assert c.next_response_due_at == T0 + 34 * H  # the first unanswered message counts
    assert c.due_at == T0 + 34 * H
    with desk.transaction() as session:
        services.reply(session, agent, ref, "Found it", now=T0 + 20 * H)
    c = case(desk, ref)
    assert c.next_response_due_at is None
    assert c.due_at == T0 + 48 * H


def test_business_hours_policy_counts_only_working_time(desk: Database) -> None:
    lead = staff(desk, "lena", Role.lead)
    with desk.transaction() as session:
        admin.create_calendar(
            session,
            lead,
            {
                "key": "london",
                "name": "London office",
                "timezone": "Europe/London",
                "hours": {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
                "holidays": ["2026-04-03", "2026-04-06"],  # Good Friday, Easter Monday
            },
        )
        admin.update_policy(
            session, lead, "default", {"calendar": "london", "first_response_minutes": 8 * 60}
        )
    thursday_4pm = dt.datetime(2026, 4, 2, 15, 0, tzinfo=dt.UTC)  # 16:00 BST
    ref = file(desk, at=thursday_4pm)
    c = case(desk, ref)
    # One hour on Thursday, then Easter: seven more on Tuesday, ending 16:00 BST.
    assert c.first_response_due_at == dt.datetime(2026, 4, 7, 15, 0, tzinfo=dt.UTC)
    assert c.resolution_due_at == dt.datetime(2026, 4, 14, 15, 0, tzinfo=dt.UTC)  # 48 h = 6 days
    assert c.regulatory_due_at == thursday_4pm + 56 * D  # the regulator counts calendar days
    with desk.read() as session:
        sla = case_sla(session, _in(session, ref), now=thursday_4pm)
    assert sla is not None
    assert sla.calendar == "london"
    assert "working hours of london (Europe/London)" in sla.explanation["en"]


def test_curacao_allows_one_extension_of_four_weeks_with_notice(desk: Database) -> None:
    compliance = staff(desk, "carl", Role.compliance)
    agent = staff(desk, "alice")
    ref = file(desk, jurisdiction="CW")
    with pytest.raises(Forbidden), desk.transaction() as session:
        extend(session, agent, ref, reason="more time", now=T0 + 10 * D)
    with desk.transaction() as session:
        extend(
            session,
            compliance,
            ref,
            reason="We are waiting for the payment provider's report.",
            now=T0 + 10 * D,
        )
    c = case(desk, ref)
    assert c.regulatory_due_at == T0 + 56 * D
    (notice,) = events(desk, ref, "deadline_extended")
    assert notice[2]  # public: the customer is told, the notifications turn it into mail
    assert notice[1]["days"] == 28
    assert notice[1]["from"] == (T0 + 28 * D).isoformat()
    assert notice[1]["to"] == (T0 + 56 * D).isoformat()
    assert notice[1]["reason"] == "We are waiting for the payment provider's report."
    with pytest.raises(ExtensionRefused, match="once already"), desk.transaction() as session:
        extend(session, compliance, ref, reason="again", now=T0 + 11 * D)
    with desk.read() as session:
        track = track_view(session, _in(session, ref))
        sla = case_sla(session, _in(session, ref), now=T0 + 11 * D)
    assert track.clock is not None
    assert track.clock.explanation is not None
    assert "extended by 28 days" in track.clock.explanation["en"]
    assert sla is not None
    assert not sla.can_extend


def test_an_extension_is_refused_where_the_rules_allow_none_or_too_late(desk: Database) -> None:
    lead = staff(desk, "lena", Role.lead)
    gb = file(desk, jurisdiction="GB")
    cw = file(desk, jurisdiction="CW")
    with pytest.raises(ExtensionRefused, match="allow no extension"), desk.transaction() as s:
        extend(s, lead, gb, reason="more time", now=T0 + D)
    with pytest.raises(ExtensionRefused, match="has passed"), desk.transaction() as s:
        extend(s, lead, cw, reason="more time", now=T0 + 29 * D)
    with pytest.raises(NotFound), desk.transaction() as s:
        extend(s, lead, "CMP-NONE-NONE", reason="x", now=T0)
    assert events(desk, cw, "deadline_extended") == []


def test_raising_the_priority_brings_the_deadlines_of_the_new_policy(desk: Database) -> None:
    ref = file(desk)
    with desk.transaction() as session:
        c = _in(session, ref)
        assert routing.raise_priority(
            session, c, to=Priority.high, reason="bet found underpaid", now=T0 + H
        )
        assert not routing.raise_priority(
            session, c, to=Priority.normal, reason="never lowers", now=T0 + H
        )
    c = case(desk, ref)
    assert c.priority is Priority.high
    assert c.first_response_due_at == T0 + 8 * H
    assert c.resolution_due_at == T0 + 36 * H
    assert c.regulatory_due_at == T0 + 56 * D  # the regulator's does not depend on priority
    (changed,) = events(desk, ref, "priority_changed")
    assert changed[1] == {"from": "normal", "to": "high", "reason": "bet found underpaid"}
    (moved,) = events(desk, ref, "deadlines_changed")
    assert moved[1]["policy"] == {"from": "default", "to": "high"}
    assert moved[1]["changes"]["first_response"]["to"] == (T0 + 8 * H).isoformat()


def test_customer_terms_name_the_targets_regulator_extension_and_adr(desk: Database) -> None:
    with desk.read() as session:
        cw = queries.customer_terms(session, "CW", "en")
        gb_ru = queries.customer_terms(session, "GB", "ru")
        other = queries.customer_terms(session, None, "en")
    assert (cw.jurisdiction, cw.regulatory_days, cw.extension_days) == ("CW", 28, 28)
    assert cw.first_response == 24 * H
    assert cw.resolution == 48 * H
    assert cw.acknowledgement == dt.timedelta(0)
    assert cw.extension_rule == (
        "The deadline may be extended once, by 28 days, and only with written notice to you."
    )
    assert cw.statutory
    assert gb_ru.adr_name is not None
    assert "IBAS" in gb_ru.adr_name
    assert gb_ru.adr_url == "https://www.ibas-uk.com"
    assert "в течение 24 часов" in gb_ru.summary
    assert "56 дней" in gb_ru.summary
    assert gb_ru.jurisdiction_name == "Великобритания"
    assert other.jurisdiction is None
    assert other.regulatory_days == 56
    assert not other.statutory


def test_the_clock_views_and_routing_lists_cost_a_fixed_number_of_queries(
    desk: Database,
) -> None:

    from complaintdesk.routing import admin as routing_admin  # noqa: PLC0415

    lead = staff(desk, "lena", Role.lead)

    def count(fn: object) -> int:
        with counted(desk.engine) as statements, desk.read() as session:
            fn(session)  # type: ignore[operator]
        return len(statements)

    def grow(pauses: int, members: int) -> str:
        ref = file(desk)
        with desk.transaction() as session:
            for n in range(pauses):
                at = T0 + (2 * n + 1) * H
                services.transition(session, lead, ref, to=Status.awaiting_customer, now=at)
                services.transition(session, lead, ref, to=Status.in_progress, now=at + H)
            for n in range(members):
                name = f"m{pauses}-{n}"
                staff_services.create_user(
                    session, username=name, password="x" * 12, role=Role.agent
                )
                routing_admin.set_member(session, lead, "bet_settlement", name, {})
        return ref

    def views(ref: str) -> tuple[int, int, int, int]:
        return (
            count(lambda s: case_sla(s, _in(s, ref))),
            count(lambda s: track_view(s, _in(s, ref))),
            count(lambda s: routing_admin.list_teams(s, lead)),
            count(lambda s: admin.list_policies(s, lead)),
        )

    small = views(grow(1, 1))
    large = views(grow(6, 5))
    assert small == large
    assert small[0] <= 5  # the case, its clock record, pauses, calendar, jurisdiction


def test_the_staff_case_view_asks_only_for_the_lists_a_case_has(desk: Database) -> None:
    from complaintdesk.complaints.representations import staff_view  # noqa: PLC0415
    from complaintdesk.complaints.schemas import CaseOut  # noqa: PLC0415

    lead = staff(desk, "lena", Role.lead)

    def view(reference: str) -> tuple[int, CaseOut]:
        with counted(desk.engine) as statements, desk.read() as session:
            out = staff_view(session, services.get_case(session, lead, reference))
        return len(statements), out

    plain = file(desk)
    asked, out = view(plain)
    assert out.sla is not None
    assert out.sla.policy == "default"
    assert out.attachments == out.checks == out.decisions == []
    # The case, its events, its messages, and its clock with its calendar, the jurisdiction
    # rule it follows and which lists it has.
    assert asked == 4

    paused = file(desk)
    with desk.transaction() as session:
        services.transition(session, lead, paused, to=Status.awaiting_customer, now=T0 + H)
        services.transition(session, lead, paused, to=Status.in_progress, now=T0 + 2 * H)
    asked, out = view(paused)
    assert out.sla is not None
    assert [p.seconds for p in out.sla.pauses] == [3600]
    assert asked == 5


def test_the_case_view_shows_the_rule_its_clock_follows_as_it_stands_or_its_fallback(
    desk: Database,
) -> None:
    from complaintdesk.complaints.representations import staff_view  # noqa: PLC0415

    lead = staff(desk, "lena", Role.lead)
    ref = file(desk, jurisdiction="GB-SCT")  # no rule of its own: it follows GB's

    def regulator() -> tuple[int, str]:
        """The statements the view took, and the regulator its explanation names."""
        with counted(desk.engine) as statements, desk.read() as session:
            out = staff_view(session, services.get_case(session, lead, ref))
        assert out.sla is not None
        named = [r for r in ("The GB regulator", "Everyone's") if r in out.sla.explanation["en"]]
        return len(statements), " / ".join(named)

    with desk.transaction() as session:
        admin.update_jurisdiction(session, lead, "GB", {"regulator": "The GB regulator"})
    assert regulator() == (4, "The GB regulator")
    with desk.transaction() as session:
        admin.update_jurisdiction(session, lead, "default", {"regulator": "Everyone's"})
        admin.delete_jurisdiction(session, lead, "GB")
    # The rule it followed is gone: the default one is asked for, as for a new case.
    assert regulator() == (5, "Everyone's")
