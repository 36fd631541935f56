"""The record itself, against real SQLite and PostgreSQL: the timeline can't be rewritten,
money keeps every digit, times keep their zone, and two racing writers can't both win."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from complaintdesk.complaints import representations, services
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.complaints.errors import VersionConflict
from complaintdesk.complaints.models import Complaint, ComplaintEvent, Outcome
from complaintdesk.db import Database
from complaintdesk.staff import services as staff_services
from complaintdesk.staff.models import Role
from complaintdesk.staff.permissions import StaffActor
from tests.statements import counted

POLICY = DeadlinePolicy()


def _file(db: Database) -> str:
    with db.transaction() as session:
        filed = services.file_complaint(
            session,
            subject="Payout refused",
            description="Withdrawal of 1 000 ₽ refused",
            customer=services.CustomerDetails(email="c@example.com"),
            policy=POLICY,
        )
        return filed.case.reference


def _actor(db: Database, role: Role = Role.lead) -> StaffActor:
    with db.transaction() as session:
        user = staff_services.create_user(session, username="lead1", password="x" * 12, role=role)
        return StaffActor(id=user.id, username=user.username, role=user.role)


def test_timeline_is_append_only_in_the_database(db: Database) -> None:
    _file(db)
    for statement in (update(ComplaintEvent).values(type="forged"), delete(ComplaintEvent)):
        with pytest.raises(DBAPIError, match="append-only"), db.transaction() as session:
            session.execute(statement)
    with db.read() as session:
        types = session.scalars(select(ComplaintEvent.type).order_by(ComplaintEvent.id)).all()
    assert types == ["created", "acknowledged", "routed", "sla_applied"]


def test_money_and_times_round_trip_exactly(db: Database) -> None:
    ref = _file(db)
    actor = _actor(db)
    with db.transaction() as session:
        services.resolve(
            session,
            actor,
            ref,
            outcome=Outcome.partially_upheld,
            summary="Part refund",
            compensation=(Decimal("1234567.8901"), "KWD"),
        )
    # Compensation in a currency without a limit waits for a compliance officer.
    with db.transaction() as session:
        officer = staff_services.create_user(
            session, username="carl", password="x" * 12, role=Role.compliance
        )
        services.decide(
            session, StaffActor(officer.id, officer.username, officer.role), ref, approve=True
        )
    with db.read() as session:
        case = session.scalar(select(Complaint).where(Complaint.reference == ref))
        assert case is not None
        assert case.compensation_amount == Decimal("1234567.8901")
        assert case.created_at.tzinfo is not None
        assert case.created_at.utcoffset() == dt.timedelta(0)
        assert case.regulatory_due_at - case.created_at == dt.timedelta(days=56)


def test_racing_writers_cannot_both_win(db: Database) -> None:
    """Two units of work read version 1; the second to commit fails instead of overwriting."""
    ref = _file(db)
    actor = _actor(db)
    with db.read() as session:
        version = session.scalar(select(Complaint.version).where(Complaint.reference == ref))
    with db.transaction() as session:
        services.assign(session, actor, ref, team="deposit_withdrawal", expected_version=version)
    with pytest.raises(VersionConflict), db.transaction() as session:
        services.assign(session, actor, ref, team="payout_refusal", expected_version=version)
    with db.read() as session:
        assert (
            session.scalar(select(Complaint.team).where(Complaint.reference == ref))
            == "deposit_withdrawal"
        )


@pytest.mark.postgres
def test_stale_object_update_is_refused_by_the_version_column(postgres_database: str) -> None:
    """Two sessions open at once (PostgreSQL; on SQLite the write lock serialises them)."""
    from tests.conftest import _truncate  # noqa: PLC0415

    _truncate(postgres_database)
    db = Database(postgres_database)
    ref = _file(db)
    with db.sessions() as first, db.sessions() as second:
        a = first.scalar(select(Complaint).where(Complaint.reference == ref))
        b = second.scalar(select(Complaint).where(Complaint.reference == ref))
        assert a is not None
        assert b is not None
        a.team = "payments"
        first.commit()
        b.team = "trading"
        with pytest.raises(StaleDataError):
            second.commit()
    db.dispose()


def test_case_view_and_queue_use_a_fixed_number_of_queries(db: Database) -> None:
    from complaintdesk.complaints import queries  # noqa: PLC0415

    actor = _actor(db)

    def count(fn: object) -> int:
        with counted(db.engine) as statements, db.read() as session:
            fn(session)  # type: ignore[operator]
        return len(statements)

    def grow(n: int) -> str:
        ref = ""
        for _ in range(n):
            ref = _file(db)
            with db.transaction() as session:
                services.reply(session, actor, ref, "checking")
                services.add_note(session, actor, ref, "note")
                services.assign(session, actor, ref, assignee="lead1")
        return ref

    def customer_view(session: Session, ref: str) -> None:
        case = session.scalar(select(Complaint).where(Complaint.reference == ref))
        assert case is not None
        representations.track_view(session, case)

    ref = grow(2)
    small_case = count(lambda s: services.get_case(s, actor, ref))
    small_list = count(lambda s: queries.list_cases(s, actor, queries.CaseFilter(), limit=50))
    # The case, its public events, messages and documents, and its clock.
    assert count(lambda s: customer_view(s, ref)) == 5
    ref = grow(8)
    assert count(lambda s: services.get_case(s, actor, ref)) == small_case
    assert count(lambda s: customer_view(s, ref)) == 5
    assert (
        count(lambda s: queries.list_cases(s, actor, queries.CaseFilter(), limit=50))
        == small_list
        == 1
    )


def test_search_index_follows_messages(db: Database) -> None:
    from complaintdesk.complaints import queries  # noqa: PLC0415

    ref = _file(db)
    actor = _actor(db)
    with db.transaction() as session:
        services.add_note(session, actor, ref, "Проверить платёжный шлюз Skrill")

    def found(q: str) -> list[str]:
        with db.read() as session:
            page = queries.list_cases(session, actor, queries.CaseFilter(q=q))
            return [c.reference for c, _ in page.items]

    assert found("skrill") == [ref]
    assert found("шлюз") == [ref]
    assert found("withdrawal") == [ref]
    assert found("neteller") == []


def test_migrations_leave_nothing_for_alembic_to_add(database_url: str) -> None:
    from complaintdesk.migrations import check  # noqa: PLC0415

    check(database_url)
    database = Database(database_url)
    with database.read() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    database.dispose()
