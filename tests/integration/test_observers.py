"""Observers of new timeline events run inside the same transaction as the change."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from complaintdesk.complaints import services
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.complaints.models import ComplaintEvent, Message
from complaintdesk.db import Database


def _file(db: Database) -> None:
    with db.transaction() as session:
        services.file_complaint(
            session,
            subject="s",
            description="d",
            policy=DeadlinePolicy(),
            customer=services.CustomerDetails(email="c@example.com"),
        )


def test_observer_sees_each_new_event_once_and_its_rows_commit_with_it(db: Database) -> None:
    seen: list[str] = []

    def observe(session: Session, event: Any) -> None:
        seen.append(event.type)
        if event.type == "created":
            session.add(
                Message(
                    complaint_id=event.complaint_id, author=event.actor, body="echo", internal=True
                )
            )

    db.on_new(ComplaintEvent, observe)
    _file(db)
    # Filing also routes the case and starts its clocks, each on the timeline.
    assert seen == ["created", "acknowledged", "routed", "sla_applied"]
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 1


def test_a_failing_change_leaves_no_observer_rows(db: Database) -> None:
    def observe(session: Session, event: Any) -> None:
        session.add(Message(complaint_id=event.complaint_id, author=event.actor, body="x"))

    db.on_new(ComplaintEvent, observe)

    def crash_after_the_change() -> None:
        with db.transaction() as session:
            services.file_complaint(
                session,
                subject="s",
                description="d",
                policy=DeadlinePolicy(),
                customer=services.CustomerDetails(email="c@example.com"),
            )
            raise RuntimeError("crash after the change")

    with pytest.raises(RuntimeError):
        crash_after_the_change()
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 0
