"""Staff lists of incoming mail (held mail first of all), newest first, paged by id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaintdesk.complaints.errors import InvalidRequest
from complaintdesk.complaints.models import Complaint
from complaintdesk.mail.models import Disposition, InboundMail
from complaintdesk.staff.permissions import Action, StaffActor, require

MAX_LIMIT = 200


@dataclass(frozen=True, slots=True)
class InboundPage:
    items: list[tuple[InboundMail, str | None]]
    next_cursor: str | None


def list_inbound(
    session: Session,
    actor: StaffActor,
    *,
    dispositions: Sequence[Disposition] = (),
    limit: int = 50,
    cursor: str | None = None,
) -> InboundPage:
    require(actor, Action.view)
    limit = min(limit, MAX_LIMIT)
    query = (
        select(InboundMail, Complaint.reference)
        .outerjoin(Complaint, Complaint.id == InboundMail.complaint_id)
        .order_by(InboundMail.id.desc())
        .limit(limit + 1)
    )
    if dispositions:
        query = query.where(InboundMail.disposition.in_(dispositions))
    if cursor is not None:
        if not cursor.isdigit():
            raise InvalidRequest("the cursor is not one this list gave out", code="invalid_cursor")
        query = query.where(InboundMail.id < int(cursor))
    rows: list[tuple[InboundMail, str | None]] = [(m, r) for m, r in session.execute(query).all()]
    more = len(rows) > limit
    rows = rows[:limit]
    return InboundPage(rows, str(rows[-1][0].id) if more and rows else None)


def reference_of(session: Session, record: InboundMail) -> str | None:
    if record.complaint_id is None:
        return None
    return session.scalar(select(Complaint.reference).where(Complaint.id == record.complaint_id))
