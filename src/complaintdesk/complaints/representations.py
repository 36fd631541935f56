"""How a case is shown: to its customer (public facts only) and to staff (everything).

The customer's view is built from a whitelist: only public events, only the event fields
named in ``_PUBLIC_FIELDS``, only non-internal messages and documents. Anything added to
the timeline later stays hidden from customers until it is named here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from complaintdesk.betting.money import format_money
from complaintdesk.checks.representations import entries
from complaintdesk.complaints import states
from complaintdesk.complaints.casefile import Timeline, beside, timeline
from complaintdesk.complaints.deadlines import deadlines_of
from complaintdesk.complaints.models import Attachment, Complaint, ComplaintEvent, Message, Status
from complaintdesk.complaints.schemas import (
    AttachmentOut,
    CaseOut,
    CaseSummary,
    CustomerOut,
    Deadlines,
    Money,
    ProposalOut,
    PublicEvent,
    PublicMessage,
    ResolutionOut,
    StaffEvent,
    StaffMessage,
    TrackOut,
)
from complaintdesk.decisions.models import ResolutionProposal
from complaintdesk.sla.representations import public_clock
from complaintdesk.sla.schemas import SlaOut

_PUBLIC_FIELDS: dict[str, tuple[str, ...]] = {
    "created": ("kind", "category"),
    "acknowledged": ("first_response_due", "resolution_due", "regulatory_due"),
    "status_changed": ("from", "to"),
    "customer_message": (),
    "staff_reply": (),
    "attachment_added": ("filename", "size"),
    "resolution": ("outcome", "compensation"),
    "review_requested": (),
    "feedback": ("score",),
    "converted": ("regulatory_due",),
    "category_changed": ("from", "to"),
    "clock_paused": ("clocks",),
    "clock_resumed": ("clocks", "paused_seconds", "deadlines"),
    "deadline_extended": ("clock", "days", "from", "to", "reason"),
    "information_request": (),
    "merged": ("into",),
}


def _deadlines(case: Complaint | Row[Any]) -> Deadlines:
    return Deadlines(**deadlines_of(case))


def attachment_out(a: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=a.id,
        filename=a.filename,
        content_type=a.content_type,
        size=a.size,
        sha256=a.sha256,
        uploaded_by=a.uploaded_by.value,
        created_at=a.created_at,
    )


def _resolution(case: Complaint) -> ResolutionOut | None:
    if case.outcome is None:
        return None
    compensation = None
    if case.compensation_amount is not None and case.compensation_currency:
        compensation = Money(
            amount=format_money(case.compensation_amount, case.compensation_currency),
            currency=case.compensation_currency,
        )
    return ResolutionOut(
        outcome=case.outcome,
        summary=case.resolution_summary,
        compensation=compensation,
        resolved_at=case.resolved_at,
    )


def _feedback(case: Complaint) -> dict[str, Any] | None:
    if case.feedback_score is None:
        return None
    return {"score": case.feedback_score, "comment": case.feedback_comment}


# The customer's page reads its case's public record in three statements built once per
# process (building and keying them cost about what running them did), as plain rows.
_PUBLIC_EVENTS = (
    select(ComplaintEvent.at, ComplaintEvent.type, ComplaintEvent.actor, ComplaintEvent.data)
    .where(
        ComplaintEvent.complaint_id == bindparam("complaint_id"),
        ComplaintEvent.public.is_(True),
    )
    .order_by(ComplaintEvent.id)
)
_PUBLIC_MESSAGES = (
    select(Message.id, Message.author, Message.body, Message.created_at)
    .where(Message.complaint_id == bindparam("complaint_id"), Message.internal.is_(False))
    .order_by(Message.id)
)
_PUBLIC_ATTACHMENTS = (
    select(Attachment)
    .where(Attachment.complaint_id == bindparam("complaint_id"), Attachment.internal.is_(False))
    .order_by(Attachment.id)
)


def track_view(session: Session, case: Complaint) -> TrackOut:
    """The customer's view of their case: three small queries, all public facts."""
    of_case = {"complaint_id": case.id}
    events = session.execute(_PUBLIC_EVENTS, of_case).all()
    messages = session.execute(_PUBLIC_MESSAGES, of_case).all()
    attachments = session.scalars(_PUBLIC_ATTACHMENTS, of_case).all()
    return TrackOut(
        reference=case.reference,
        kind=case.kind,
        status=case.status,
        category=case.category,
        language=case.language,
        subject=case.subject,
        description=case.description,
        created_at=case.created_at,
        updated_at=case.updated_at,
        deadlines=_deadlines(case),
        timeline=[
            PublicEvent(
                at=e.at,
                type=e.type,
                actor=e.actor.value,
                data={k: e.data[k] for k in _PUBLIC_FIELDS.get(e.type, ()) if k in e.data},
            )
            for e in events
            if e.type in _PUBLIC_FIELDS
        ],
        messages=[
            PublicMessage(id=m.id, author=m.author.value, body=m.body, created_at=m.created_at)
            for m in messages
        ],
        attachments=[attachment_out(a) for a in attachments],
        resolution=_resolution(case),
        feedback=_feedback(case),
        clock=public_clock(session, case),
        can_request_review=case.status is Status.resolved,
        can_leave_feedback=case.status in states.FINISHED_STATUSES,
    )


def summary(case: Complaint | Row[Any], assignee: str | None) -> CaseSummary:
    """A case's line in a list, from the case or from its ``queries.QUEUE_COLUMNS``."""
    return CaseSummary(
        reference=case.reference,
        kind=case.kind,
        status=case.status,
        category=case.category,
        priority=case.priority,
        team=case.team,
        assignee=assignee,
        language=case.language,
        jurisdiction=case.jurisdiction,
        subject=case.subject,
        created_at=case.created_at,
        updated_at=case.updated_at,
        due_at=case.due_at,
        deadlines=_deadlines(case),
        sla_state=case.sla_state,
        version=case.version,
    )


def proposal_out(p: ResolutionProposal) -> ProposalOut:
    """A proposal with who proposed and decided it (both loaded with it)."""
    compensation = None
    if p.compensation_amount is not None and p.compensation_currency:
        compensation = Money(
            amount=format_money(p.compensation_amount, p.compensation_currency),
            currency=p.compensation_currency,
        )
    return ProposalOut(
        id=p.id,
        state=p.state.value,
        outcome=p.outcome,
        summary=p.summary,
        compensation=compensation,
        reasons=list(p.reasons),
        proposed_by=p.proposed_by.username if p.proposed_by else None,
        proposed_at=p.proposed_at,
        decided_by=p.decided_by.username if p.decided_by else None,
        decided_at=p.decided_at,
        note=p.note,
    )


def staff_view(session: Session, case: Complaint) -> CaseOut:
    """The whole case for staff (loaded by ``services.get_case``) with its timeline, its
    checks, its clocks and its decisions: a fixed number of queries, fewer when lists are
    empty."""
    found = beside(session, case)
    return case_view(
        case,
        timeline(session, case.id),
        checks=entries(found.checks, case.language),
        sla=found.sla,
        proposals=found.proposals,
    )


def case_view(
    case: Complaint,
    lines: Timeline,
    checks: list[dict[str, Any]] | None = None,
    sla: SlaOut | None = None,
    proposals: list[ResolutionProposal] | None = None,
) -> CaseOut:
    """The staff view: every event and message, internal ones marked as such."""
    base = summary(case, case.assignee.username if case.assignee else None)
    return CaseOut(
        **base.model_dump(),
        description=case.description,
        customer=CustomerOut(
            email=case.customer_email,
            name=case.customer_name,
            phone=case.customer_phone,
            account_id=case.customer_account_id,
        ),
        bet_ids=list(case.bet_ids or []),
        evidence=case.evidence,
        messages=[
            StaffMessage(
                id=m.id,
                author=m.author.value,
                by=m.username,
                internal=m.internal,
                body=m.body,
                created_at=m.created_at,
            )
            for m in lines.messages
        ],
        timeline=[
            StaffEvent(
                id=e.id,
                at=e.at,
                type=e.type,
                actor=e.actor.value,
                by=e.username,
                public=e.public,
                data=e.data,
            )
            for e in lines.events
        ],
        attachments=[attachment_out(a) for a in case.attachments],
        resolution=_resolution(case),
        feedback=_feedback(case),
        checks=checks or [],
        sla=sla,
        decisions=[proposal_out(p) for p in proposals or []],
        allowed_transitions=sorted(states.allowed(case.status) - states.NEEDS_RESOLUTION),
    )
