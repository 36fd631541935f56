"""The breach sweep against real SQLite and PostgreSQL, with an injected clock: at risk at
80 %, breached at the deadline, escalation by the policy, and nothing more the second
time."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm.exc import StaleDataError

from complaintdesk.complaints import services
from complaintdesk.complaints.errors import VersionConflict
from complaintdesk.complaints.models import (
    Category,
    Complaint,
    ComplaintEvent,
    Outcome,
    Priority,
    Status,
)
from complaintdesk.db import Database
from complaintdesk.routing import admin as routing_admin
from complaintdesk.sla import admin as sla_admin
from complaintdesk.sla import services as clocks
from complaintdesk.sla.models import CaseClock
from complaintdesk.sla.services import AT_RISK
from complaintdesk.sla.tasks import SweepReport, sweep
from complaintdesk.staff.models import Role
from complaintdesk.staff.permissions import StaffActor
from tests.integration.sla_helpers import T0, H, case, events, file, install, staff


@pytest.fixture
def desk(db: Database) -> Database:
    return install(db)


@pytest.fixture
def lead(desk: Database) -> StaffActor:
    lena = staff(desk, "lena", Role.lead)
    with desk.transaction() as session:
        for team in ("bet_settlement", "responsible_gambling"):
            routing_admin.update_team(session, lena, team, {"lead": "lena"})
    return lena


def run(db: Database, now: dt.datetime) -> SweepReport:
    with db.transaction() as session:
        return sweep(session, now=now)


def timeline_size(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(ComplaintEvent)) or 0)


def test_at_risk_then_breached_then_escalated_each_exactly_once(
    desk: Database, lead: StaffActor
) -> None:
    ref = file(desk)
    assert run(desk, T0 + 19 * H).checked == 0  # nothing is due a look before 80 %
    first = run(desk, T0 + 20 * H)
    assert first.at_risk == [ref]
    assert case(desk, ref).sla_state == "at_risk"
    (warning,) = events(desk, ref, "sla_at_risk")
    assert warning[1]["clock"] == "first_response"
    assert warning[1]["notify"] == ["lena"]
    assert warning[1]["used_percent"] == 83
    assert not warning[2]  # internal: the team lead is told, not the customer
    size = timeline_size(desk)
    again = run(desk, T0 + 20 * H)
    assert (again.checked, again.at_risk, timeline_size(desk)) == (0, [], size)

    breach = run(desk, T0 + 25 * H)
    assert (breach.breached, breach.escalated) == ([ref], [ref])
    c = case(desk, ref)
    assert c.sla_state == "breached"
    assert c.priority is Priority.high  # the default policy's escalation
    assert c.first_response_due_at == T0 + 24 * H  # a breached deadline stays where it was
    assert c.resolution_due_at == T0 + 36 * H  # the high-priority policy
    (breached,) = events(desk, ref, "sla_breached")
    assert breached[1]["clock"] == "first_response"
    assert breached[1]["notify"] == ["lena"]
    size = timeline_size(desk)
    assert run(desk, T0 + 25 * H).checked == 0
    assert run(desk, T0 + 26 * H).breached == []
    assert timeline_size(desk) == size


def test_an_urgent_breach_goes_to_the_team_lead(desk: Database, lead: StaffActor) -> None:
    ref = file(desk, category=Category.responsible_gambling)
    report = run(desk, T0 + 2 * H + dt.timedelta(seconds=1))
    assert report.breached == [ref]
    assert report.escalated == [ref]
    with desk.read() as session:
        c = services.get_case(session, lead, ref)
        assert c.assignee is not None
        assert c.assignee.username == "lena"
    (moved,) = events(desk, ref, "assigned")
    assert moved[1]["cause"] == "sla_breached"
    assert moved[1]["assignee"] == "lena"
    assert run(desk, T0 + 3 * H).escalated == []


def test_a_policy_may_move_breached_cases_to_another_team(desk: Database, lead: StaffActor) -> None:
    staff(desk, "sam")
    with desk.transaction() as session:
        routing_admin.create_team(session, lead, key="escalations", name="Escalations")
        routing_admin.set_member(session, lead, "escalations", "sam", {})
        sla_admin.update_policy(
            session,
            lead,
            "default",
            {"escalate_priority": None, "reassign": "team", "reassign_team": "escalations"},
        )
    ref = file(desk)
    run(desk, T0 + 24 * H)
    c = case(desk, ref)
    assert (c.team, c.priority) == ("escalations", Priority.normal)
    assert events(desk, ref, "assigned")[0][1]["team"] == "escalations"
    with desk.read() as session:
        found = services.get_case(session, lead, ref)
        assert found.assignee is not None
        assert found.assignee.username == "sam"


def test_paused_clocks_do_not_breach_while_the_customer_is_silent(
    desk: Database, lead: StaffActor
) -> None:
    ref = file(desk)
    with desk.transaction() as session:
        services.reply(session, lead, ref, "Send the screenshot please", now=T0 + H)
        services.transition(session, lead, ref, to=Status.awaiting_customer, now=T0 + 2 * H)
    report = run(desk, T0 + 30 * 24 * H)
    assert report.breached == []
    assert case(desk, ref).sla_state == "ok"


def test_finished_cases_are_left_alone(desk: Database, lead: StaffActor) -> None:
    ref = file(desk)
    with desk.transaction() as session:
        services.resolve(
            session, lead, ref, outcome=Outcome.upheld, summary="Resettled", now=T0 + H
        )
    report = run(desk, T0 + 90 * 24 * H)
    assert report.checked == 0
    assert events(desk, ref, "sla_at_risk", "sla_breached") == []


def test_many_cases_in_one_sweep_each_flagged_once(desk: Database, lead: StaffActor) -> None:
    refs = [file(desk, at=T0 + n * H) for n in range(7)]
    with desk.transaction() as session:
        report = sweep(session, now=T0 + 100 * H, batch=3)
    assert sorted(report.breached) == sorted(refs)
    assert report.checked == 7
    assert run(desk, T0 + 100 * H).checked == 0


def test_a_flag_alone_does_not_stop_an_agent_who_loaded_the_case_before_it(
    desk: Database, lead: StaffActor
) -> None:
    # An agent opens the case at 19 h and acts at 21 h; the sweep marked it at risk at 20 h.
    # Only the SLA flag changed, which the agent's form does not carry: the action goes
    # through. An escalation moves the case (priority, hands), so a form from before it is
    # refused.
    ref = file(desk)
    loaded = case(desk, ref).version
    assert run(desk, T0 + 20 * H).at_risk == [ref]
    flagged = case(desk, ref)
    assert (flagged.sla_state, flagged.version) == ("at_risk", loaded)
    with desk.transaction() as session:
        services.transition(
            session, lead, ref, to=Status.in_progress, expected_version=loaded, now=T0 + 21 * H
        )
    current = case(desk, ref).version
    assert current > loaded

    assert run(desk, T0 + 25 * H).escalated == [ref]  # no first response by 24 h
    escalated = case(desk, ref)
    assert (escalated.sla_state, escalated.priority) == ("breached", Priority.high)
    assert escalated.version > current
    with pytest.raises(VersionConflict), desk.transaction() as session:
        services.transition(
            session, lead, ref, to=Status.escalated, expected_version=current, now=T0 + 26 * H
        )
    assert case(desk, ref).status is Status.in_progress


def test_a_flag_never_overwrites_a_case_changed_after_the_sweep_read_it(
    desk: Database, lead: StaffActor
) -> None:
    ref = file(desk)
    with desk.sessions() as sweeping:  # closed without a commit
        found, clock = sweeping.execute(
            select(Complaint, CaseClock)
            .join(CaseClock, CaseClock.complaint_id == Complaint.id)
            .where(Complaint.reference == ref)
        ).one()
        # Another writer's change, as PostgreSQL shows it to this transaction once it has
        # committed (SQLite lets no other writer in while this one is open).
        sweeping.execute(
            update(Complaint.__table__)
            .where(Complaint.__table__.c.id == found.id)
            .values(version=found.version + 1, priority=Priority.urgent.value)
        )
        clock.flags = {"first_response": AT_RISK}  # what the sweep finds at 20 h
        state = clocks.load_for(sweeping, found, clock, [])
        with pytest.raises(StaleDataError):
            clocks.settle(state, T0 + 20 * H)
    kept = case(desk, ref)
    assert (kept.priority, kept.sla_state) == (Priority.normal, "ok")
