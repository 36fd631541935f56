"""Helpers of the routing and SLA tests: a desk with its starting configuration, staff,
cases filed at a given moment, and what the record says about them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from complaintdesk.complaints import services
from complaintdesk.complaints.models import Category, Complaint, ComplaintEvent
from complaintdesk.db import Database
from complaintdesk.sla import defaults
from complaintdesk.staff import services as staff_services
from complaintdesk.staff.models import Role
from complaintdesk.staff.permissions import StaffActor

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday morning
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
POLICY = defaults.DeadlinePolicy()


def install(db: Database) -> Database:
    with db.transaction() as session:
        defaults.install(session, POLICY)
    return db


def staff(db: Database, username: str, role: Role = Role.agent) -> StaffActor:
    with db.transaction() as session:
        user = staff_services.create_user(session, username=username, password="x" * 12, role=role)
        return StaffActor(id=user.id, username=user.username, role=user.role)


def file(
    db: Database,
    *,
    at: dt.datetime = T0,
    category: Category = Category.bet_settlement,
    jurisdiction: str | None = "GB",
    language: str = "en",
) -> str:
    with db.transaction() as session:
        filed = services.file_complaint(
            session,
            subject="Bet settled wrongly",
            description="Coupon 1: the bet shows lost",
            customer=services.CustomerDetails(email="c@example.com"),
            policy=POLICY,
            category=category,
            language=language,
            jurisdiction=jurisdiction,
            now=at,
        )
        return filed.case.reference


def case(db: Database, reference: str) -> Complaint:
    with db.read() as session:
        found = session.scalar(select(Complaint).where(Complaint.reference == reference))
        assert found is not None
        # Kept as read: the read-only unit of work rolls back, which would expire it.
        session.expunge(found)
        return found


def events(db: Database, reference: str, *types: str) -> list[tuple[str, dict[str, Any], bool]]:
    with db.read() as session:
        rows = session.execute(
            select(ComplaintEvent.type, ComplaintEvent.data, ComplaintEvent.public)
            .join(Complaint, Complaint.id == ComplaintEvent.complaint_id)
            .where(Complaint.reference == reference)
            .order_by(ComplaintEvent.id)
        ).all()
    return [(t, d, p) for t, d, p in rows if not types or t in types]
