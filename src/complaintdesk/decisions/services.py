"""Proposals and their approval: the four-eyes half of a final response.

The complaint services decide *whether* a resolution needs approval and record the final
response once it has it (``complaints.services.resolve`` and ``decide``); these functions
keep the proposals and write their internal timeline events. Like every service they add
and flush, never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from complaintdesk.complaints.errors import InvalidRequest
from complaintdesk.complaints.models import Actor, Complaint, ComplaintEvent, Outcome
from complaintdesk.decisions.errors import (
    ApprovalPending,
    NothingToApprove,
    SecondPersonRequired,
    WordingRefused,
    WordingToCheck,
)
from complaintdesk.decisions.models import ProposalState, ResolutionProposal
from complaintdesk.decisions.rules import ApprovalPolicy, Reason
from complaintdesk.staff.permissions import Action, StaffActor, require

NOTE_MAX = 2000


def check_wording(policy: ApprovalPolicy, summary: str, *, checked: bool) -> list[str]:
    """Refuse reasons that name what must stay internal; ask once more about words that
    may reveal anti-fraud work (unless the proposer says they checked). Returns the words
    that were let through after the check, for the record."""
    screening = policy.screen(summary)
    if screening.refused:
        raise WordingRefused(
            "the reasons for the customer may not mention "
            + ", ".join(f"“{w}”" for w in screening.refused)
            + ": describe the decision by the terms it applies, not by how it was found",
            screening.refused,
        )
    if screening.warnings and not checked:
        raise WordingToCheck(
            "the reasons for the customer mention "
            + ", ".join(f"“{w}”" for w in screening.warnings)
            + ": make sure they reveal nothing of how fraud or money laundering is detected, "
            "then confirm (wording_checked) and send them again",
            screening.warnings,
        )
    return screening.warnings


def pending_for(session: Session, complaint_id: int) -> ResolutionProposal | None:
    return session.scalar(
        select(ResolutionProposal).where(
            ResolutionProposal.complaint_id == complaint_id,
            ResolutionProposal.state == ProposalState.pending,
        )
    )


def ensure_none_pending(session: Session, case: Complaint) -> None:
    if pending_for(session, case.id) is not None:
        raise ApprovalPending(
            "a decision on this case is waiting for approval; it can be approved or rejected, "
            "not recorded a second time"
        )


def propose(
    session: Session,
    actor: StaffActor,
    case: Complaint,
    *,
    outcome: Outcome,
    summary: str,
    compensation: tuple[Decimal, str] | None,
    reasons: Sequence[Reason],
    checked_words: Sequence[str] = (),
    now: dt.datetime,
) -> ResolutionProposal:
    """Keep the decision for a second person; the customer hears nothing of it yet."""
    proposal = ResolutionProposal(
        complaint_id=case.id,
        state=ProposalState.pending,
        outcome=outcome,
        summary=summary,
        compensation_amount=compensation[0] if compensation else None,
        compensation_currency=compensation[1] if compensation else None,
        reasons=[r.value for r in reasons],
        proposed_by_id=actor.id,
        proposed_at=now,
    )
    try:
        with session.begin_nested():
            session.add(proposal)
            session.flush()
    except IntegrityError:
        # Another proposal for the case was recorded a moment ago (the unique index).
        raise ApprovalPending("a decision on this case is already waiting for approval") from None
    data: dict[str, Any] = {
        "proposal": proposal.id,
        "outcome": outcome.value,
        "reasons": proposal.reasons,
    }
    if compensation:
        data["compensation"] = {"amount": str(compensation[0]), "currency": compensation[1]}
    if checked_words:
        data["wording_checked"] = list(checked_words)
    session.add(_event(case, "resolution_proposed", actor, now, **data))
    session.flush()
    return proposal


def take_pending(
    session: Session, actor: StaffActor, case: Complaint, proposal_id: int | None
) -> ResolutionProposal:
    """The case's pending proposal, for ``actor`` (a second person) to decide on."""
    require(actor, Action.approve)
    proposal = pending_for(session, case.id)
    if proposal is None or (proposal_id is not None and proposal.id != proposal_id):
        raise NothingToApprove("no decision on this case is waiting for approval")
    if proposal.proposed_by_id == actor.id:
        raise SecondPersonRequired(
            "a decision you proposed needs a second person: another compliance officer "
            "approves or rejects it"
        )
    return proposal


def approve(
    session: Session,
    actor: StaffActor,
    case: Complaint,
    proposal: ResolutionProposal,
    *,
    note: str | None,
    now: dt.datetime,
) -> None:
    _decided(proposal, ProposalState.approved, actor, note, now)
    session.add(
        _event(case, "resolution_approved", actor, now, proposal=proposal.id, **_noted(note))
    )
    session.flush()


def reject(
    session: Session,
    actor: StaffActor,
    case: Complaint,
    proposal: ResolutionProposal,
    *,
    note: str | None,
    now: dt.datetime,
) -> None:
    """Send the decision back to its proposer, saying why (the note is required)."""
    if not note or not note.strip():
        raise InvalidRequest(
            "say why the decision is rejected, so that its proposer can put it right",
            code="note_required",
        )
    _decided(proposal, ProposalState.rejected, actor, note, now)
    session.add(
        _event(case, "resolution_rejected", actor, now, proposal=proposal.id, **_noted(note))
    )
    session.flush()


@dataclass(frozen=True, slots=True)
class Waiting:
    """A row of the approvals queue."""

    proposal: ResolutionProposal  # with proposed_by loaded
    case: Complaint


def waiting(session: Session, actor: StaffActor, *, limit: int = 200) -> list[Waiting]:
    """The decisions waiting for approval, oldest first (a fixed number of queries)."""
    require(actor, Action.approve)
    rows = session.execute(
        select(ResolutionProposal, Complaint)
        .join(Complaint, Complaint.id == ResolutionProposal.complaint_id)
        .where(ResolutionProposal.state == ProposalState.pending)
        .options(
            selectinload(ResolutionProposal.proposed_by),
            selectinload(ResolutionProposal.decided_by),
        )
        .order_by(ResolutionProposal.proposed_at, ResolutionProposal.id)
        .limit(limit)
    ).all()
    return [Waiting(p, c) for p, c in rows]


def count_waiting(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(ResolutionProposal)
            .where(ResolutionProposal.state == ProposalState.pending)
        )
        or 0
    )


def history(session: Session, complaint_id: int) -> list[ResolutionProposal]:
    """Every proposal of a case with who proposed and decided it (two queries)."""
    return list(
        session.scalars(
            select(ResolutionProposal)
            .where(ResolutionProposal.complaint_id == complaint_id)
            .options(
                selectinload(ResolutionProposal.proposed_by),
                selectinload(ResolutionProposal.decided_by),
            )
            .order_by(ResolutionProposal.id)
        )
    )


# --- internals -----------------------------------------------------------------------


def _decided(
    proposal: ResolutionProposal,
    state: ProposalState,
    actor: StaffActor,
    note: str | None,
    now: dt.datetime,
) -> None:
    if note and len(note) > NOTE_MAX:
        raise InvalidRequest(f"keep the note under {NOTE_MAX} characters", code="note_too_long")
    proposal.state = state
    proposal.decided_by_id = actor.id
    proposal.decided_at = now
    proposal.note = note.strip() if note and note.strip() else None


def _noted(note: str | None) -> dict[str, Any]:
    return {"note": note.strip()} if note and note.strip() else {}


def _event(
    case: Complaint, type_: str, actor: StaffActor, now: dt.datetime, **data: Any
) -> ComplaintEvent:
    """An internal timeline entry: the customer never sees a proposal or its review."""
    return ComplaintEvent(
        complaint_id=case.id,
        type=type_,
        actor=Actor.staff,
        user_id=actor.id,
        public=False,
        data=data,
        at=now,
    )
