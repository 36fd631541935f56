"""Loading the demo operator into a desk: once, whole, through the services, and checked."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func, select

from complaintdesk.checks import services as checks
from complaintdesk.checks.models import Check, CheckState
from complaintdesk.checks.services import CheckPolicy
from complaintdesk.checks.tasks import run_due_checks
from complaintdesk.complaints import services as complaints
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.complaints.models import Complaint, ComplaintEvent, Priority, Status
from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.demo import services as demo
from complaintdesk.platform.demo import DemoPlatform
from complaintdesk.platform.models import DemoBet, DemoCustomer, DemoLoad
from complaintdesk.staff import services as staff

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_loads_once_with_real_timelines_and_its_checks_find_the_mis_settled_bets(
    db: Database, settings: Settings
) -> None:
    checks.watch(db, CheckPolicy.default())
    with db.transaction() as session:
        loaded = demo.load(session, settings, seed=3, now=NOW)
    assert not loaded.already
    assert loaded.counts["complaints"] >= 60
    assert count(db, DemoBet) == loaded.counts["bets"] >= 3000
    assert {u.username: u.password for u in loaded.users} == {
        name: password for name, _, _, _, password in demo.USERS
    }
    with db.read() as session:
        statuses = Counter(session.scalars(select(Complaint.status)))
        breached = session.scalar(
            select(func.count())
            .select_from(Complaint)
            .where(Complaint.status == Status.received, Complaint.due_at < NOW)
        )
        reviews = session.scalar(
            select(func.count())
            .select_from(ComplaintEvent)
            .where(ComplaintEvent.type == "review_requested")
        )
    assert set(statuses) >= {
        Status.received,
        Status.in_progress,
        Status.awaiting_customer,
        Status.escalated,
        Status.resolved,
        Status.closed,
        Status.referred_to_adr,
    }
    assert breached
    assert breached >= 4
    assert reviews == 3  # two still under review, one taken on to the ADR body
    with db.read() as session:  # the demo's staff sign in with what the command prints
        assert staff.authenticate(session, "lena", "demo-lead-lena").role.value == "lead"

    ran = run_due_checks(db, DemoPlatform(db), policy=CheckPolicy.default(), now=NOW)
    assert ran >= 40
    with db.read() as session:
        done = list(session.scalars(select(Check).where(Check.state == CheckState.done)))
        raised = session.scalar(
            select(func.count())
            .select_from(ComplaintEvent)
            .where(ComplaintEvent.type == "check_completed")
        )
        high = session.scalar(
            select(func.count()).select_from(Complaint).where(Complaint.priority == Priority.high)
        )
        session.expunge_all()
    underpaid = [c for c in done if (c.result or {}).get("amount_owed")]
    assert len(underpaid) >= 10
    assert raised == count(db, Check)  # one internal timeline event per finished check
    assert high
    assert high >= 10
    assert count(db, Check) == len(done)  # every check of the demo finds its record

    # A second load changes nothing and says so.
    with db.transaction() as session:
        again = demo.load(session, settings, seed=99, now=NOW + dt.timedelta(days=1))
    assert again.already
    assert again.seed == 3
    assert count(db, DemoCustomer) == loaded.counts["customers"]
    assert count(db, Complaint) == loaded.counts["complaints"]
    assert count(db, DemoLoad) == 1


def test_refuses_a_desk_with_cases_of_its_own(db: Database, settings: Settings) -> None:
    with db.transaction() as session:
        complaints.file_complaint(
            session,
            subject="A real complaint",
            description="Not a demo.",
            customer=complaints.CustomerDetails(email="real@example.com"),
            policy=DeadlinePolicy(),
        )
    with db.transaction() as session, pytest.raises(demo.DemoRefused, match="1 case"):
        demo.load(session, settings, now=NOW)
    assert count(db, DemoCustomer) == 0


def test_refuses_a_production_desk(db: Database, settings: Settings) -> None:
    production = Settings(_env_file=None, **{**settings.model_dump(), "environment": "production"})
    with db.transaction() as session, pytest.raises(demo.DemoRefused, match="production"):
        demo.load(session, production, now=NOW)
    assert count(db, DemoCustomer) == 0
