"""What staff see of the outbox: every message, its state and each attempt.

Lists page by id, newest first (``cursor`` is the last id seen); the reference of each
message's case comes in the same query, so a page costs one query however long it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from complaintdesk.complaints.errors import InvalidRequest, NotFound
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.references import normalise_reference
from complaintdesk.notifications.errors import OutboxMessageNotFound
from complaintdesk.notifications.models import Channel, OutboxMessage, OutboxStatus
from complaintdesk.staff.permissions import Action, StaffActor, require

MAX_LIMIT = 200


@dataclass(frozen=True, slots=True)
class OutboxFilter:
    statuses: Sequence[OutboxStatus] = ()
    channel: Channel | None = None
    reference: str | None = None
    subscription_id: int | None = None


@dataclass(frozen=True, slots=True)
class OutboxPage:
    items: list[tuple[OutboxMessage, str | None]]
    next_cursor: str | None


def _cursor(value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isdigit():
        raise InvalidRequest("the cursor is not one this list gave out", code="invalid_cursor")
    return int(value)


def list_outbox(
    session: Session,
    actor: StaffActor,
    filters: OutboxFilter,
    *,
    limit: int = 50,
    cursor: str | None = None,
) -> OutboxPage:
    require(actor, Action.view)
    query = (
        select(OutboxMessage, Complaint.reference)
        .outerjoin(Complaint, Complaint.id == OutboxMessage.complaint_id)
        .order_by(OutboxMessage.id.desc())
        .limit(min(limit, MAX_LIMIT) + 1)
    )
    if filters.statuses:
        query = query.where(OutboxMessage.status.in_(filters.statuses))
    if filters.channel is not None:
        query = query.where(OutboxMessage.channel == filters.channel)
    if filters.subscription_id is not None:
        query = query.where(OutboxMessage.subscription_id == filters.subscription_id)
    if filters.reference is not None:
        query = query.where(Complaint.reference == _reference(filters.reference))
    after = _cursor(cursor)
    if after is not None:
        query = query.where(OutboxMessage.id < after)
    rows: list[tuple[OutboxMessage, str | None]] = [(m, r) for m, r in session.execute(query).all()]
    more = len(rows) > min(limit, MAX_LIMIT)
    rows = rows[: min(limit, MAX_LIMIT)]
    return OutboxPage(rows, str(rows[-1][0].id) if more and rows else None)


def get_message(
    session: Session, actor: StaffActor, outbox_id: int
) -> tuple[OutboxMessage, str | None]:
    require(actor, Action.view)
    row = session.execute(
        select(OutboxMessage, Complaint.reference)
        .outerjoin(Complaint, Complaint.id == OutboxMessage.complaint_id)
        .where(OutboxMessage.id == outbox_id)
        .options(selectinload(OutboxMessage.attempt_log))
    ).first()
    if row is None:
        raise OutboxMessageNotFound(f"no outgoing message {outbox_id}")
    return row[0], row[1]


def _reference(text: str) -> str:
    reference = normalise_reference(text)
    if reference is None:
        raise NotFound(f"no case {text}")
    return reference
