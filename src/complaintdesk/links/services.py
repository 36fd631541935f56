"""Link related cases and merge duplicates; list what a case is linked to.

Both use cases change two cases in one unit of work and write an event on each timeline.
They lock nothing beyond what the version column of each case already guards: two agents
merging the same pair at once cannot both succeed (the second one's update finds a newer
version, or the unique constraint of the link).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from complaintdesk.complaints import services as complaints
from complaintdesk.complaints.models import Actor, Complaint, ComplaintEvent, Status
from complaintdesk.complaints.states import OPEN_STATUSES
from complaintdesk.db import utcnow
from complaintdesk.links.errors import CannotLink, CannotMerge
from complaintdesk.links.models import CaseLink, LinkKind
from complaintdesk.sla.services import case_for_update
from complaintdesk.staff.permissions import Action, StaffActor, require

SAME_CUSTOMER_LIMIT = 10


def link_related(
    session: Session,
    actor: StaffActor,
    reference: str,
    other_reference: str,
    *,
    now: dt.datetime | None = None,
) -> tuple[Complaint, Complaint]:
    """Mark two cases as related (both ways); linking them again changes nothing."""
    require(actor, Action.link)
    case, other = _pair(session, reference, other_reference)
    now = now or utcnow()
    existing = session.scalar(
        select(CaseLink.id).where(
            CaseLink.complaint_id == case.id,
            CaseLink.other_id == other.id,
            CaseLink.kind == LinkKind.related,
        )
    )
    if existing is not None:
        return case, other
    for this, that in ((case, other), (other, case)):
        session.add(
            CaseLink(
                complaint_id=this.id,
                other_id=that.id,
                kind=LinkKind.related,
                created_by_id=actor.id,
                created_at=now,
            )
        )
        session.add(_event(this, "linked", actor, now, public=False, case=that.reference))
        this.updated_at = now
    session.flush()
    return case, other


def merge(
    session: Session,
    actor: StaffActor,
    duplicate_reference: str,
    into_reference: str,
    *,
    now: dt.datetime | None = None,
) -> tuple[Complaint, Complaint]:
    """Merge a duplicate into the case that carries on.

    The duplicate must still be open and must not have a decision waiting for approval; the
    surviving case must not itself have been merged away (merge into the one it went to).
    The duplicate is closed with a public ``merged`` event naming the surviving reference
    (the customer reads it on their case page); the survivor gets an internal
    ``merged_in`` event.
    """
    require(actor, Action.link)
    duplicate, survivor = _pair(session, duplicate_reference, into_reference)
    if duplicate.status not in OPEN_STATUSES:
        raise CannotMerge(
            f"{duplicate.reference} is {duplicate.status.value}: only an open case can be "
            "merged into another"
        )
    if _merged_away(session, survivor.id):
        raise CannotMerge(
            f"{survivor.reference} was itself merged into another case; merge into that one"
        )
    now = now or utcnow()
    session.add_all(
        [
            CaseLink(
                complaint_id=duplicate.id,
                other_id=survivor.id,
                kind=LinkKind.duplicate_of,
                created_by_id=actor.id,
                created_at=now,
            ),
            CaseLink(
                complaint_id=survivor.id,
                other_id=duplicate.id,
                kind=LinkKind.merged_from,
                created_by_id=actor.id,
                created_at=now,
            ),
            _event(survivor, "merged_in", actor, now, public=False, case=duplicate.reference),
        ]
    )
    survivor.updated_at = now
    complaints.close_as_duplicate(session, actor, duplicate, into=survivor.reference, now=now)
    session.flush()
    return duplicate, survivor


@dataclass(frozen=True, slots=True)
class Linked:
    kind: str  # a LinkKind value, or "same_customer" for the customer's other cases
    reference: str
    status: Status
    subject: str


def for_case(session: Session, case: Complaint) -> list[Linked]:
    """The case's links, then the same customer's other cases not linked yet (two queries).

    The customer's other cases are found by e-mail or account id (both indexed): the first
    place to look for a duplicate.
    """
    rows = session.execute(
        select(CaseLink.kind, Complaint.reference, Complaint.status, Complaint.subject)
        .join(Complaint, Complaint.id == CaseLink.other_id)
        .where(CaseLink.complaint_id == case.id)
        .order_by(CaseLink.id)
    ).all()
    found = [Linked(kind.value, ref, status, subject) for kind, ref, status, subject in rows]
    conditions = []
    if case.customer_email:
        conditions.append(Complaint.customer_email == case.customer_email)
    if case.customer_account_id:
        conditions.append(Complaint.customer_account_id == case.customer_account_id)
    if not conditions:
        return found
    linked = {link.reference for link in found}
    others = session.execute(
        select(Complaint.reference, Complaint.status, Complaint.subject)
        .where(and_(or_(*conditions), Complaint.id != case.id))
        .order_by(Complaint.created_at.desc(), Complaint.id.desc())
        .limit(SAME_CUSTOMER_LIMIT)
    ).all()
    return found + [
        Linked("same_customer", ref, status, subject)
        for ref, status, subject in others
        if ref not in linked
    ]


# --- internals -----------------------------------------------------------------------


def _pair(session: Session, reference: str, other_reference: str) -> tuple[Complaint, Complaint]:
    case = case_for_update(session, reference)
    other = case_for_update(session, other_reference)
    if case.id == other.id:
        raise CannotLink("a case cannot be linked to or merged into itself")
    return case, other


def _merged_away(session: Session, complaint_id: int) -> bool:
    return (
        session.scalar(
            select(CaseLink.id).where(
                CaseLink.complaint_id == complaint_id, CaseLink.kind == LinkKind.duplicate_of
            )
        )
        is not None
    )


def _event(
    target: Complaint,
    type_: str,
    actor: StaffActor,
    now: dt.datetime,
    *,
    public: bool,
    **data: str,
) -> ComplaintEvent:
    return ComplaintEvent(
        complaint_id=target.id,
        type=type_,
        actor=Actor.staff,
        user_id=actor.id,
        public=public,
        data=data,
        at=now,
    )
