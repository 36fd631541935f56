"""The second pair of eyes over the API: the decisions waiting, approve, reject.

``POST /api/v1/complaints/{reference}/resolution`` (complaints API) answers 202 with the
proposal when a decision needs approval; these routes decide on it.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from complaintdesk.complaints import representations, services
from complaintdesk.complaints.schemas import CaseOut
from complaintdesk.decisions import services as decisions
from complaintdesk.decisions.schemas import DecisionIn, WaitingList, WaitingOut
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.web.deps import Desk, desk, staff

router = APIRouter(prefix="/api/v1", tags=["staff"])


@router.get(
    "/approvals",
    response_model=WaitingList,
    summary="Decisions waiting for a second person (compliance)",
)
def waiting(actor: StaffActor = Depends(staff), d: Desk = Depends(desk)) -> WaitingList:
    with d.db.read() as session:
        return WaitingList(
            items=[
                WaitingOut(
                    reference=row.case.reference,
                    subject=row.case.subject,
                    category=row.case.category.value,
                    language=row.case.language,
                    proposal=representations.proposal_out(row.proposal),
                )
                for row in decisions.waiting(session, actor)
            ]
        )


@router.post(
    "/complaints/{reference}/resolution/approve",
    response_model=CaseOut,
    summary="Approve the pending decision: the customer is told now (compliance, not the proposer)",
)
def approve(
    reference: str, body: DecisionIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> CaseOut:
    return _decide(d, actor, reference, body, approve=True)


@router.post(
    "/complaints/{reference}/resolution/reject",
    response_model=CaseOut,
    summary="Reject the pending decision with a note; the case stays open",
)
def reject(
    reference: str, body: DecisionIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> CaseOut:
    return _decide(d, actor, reference, body, approve=False)


def _decide(
    d: Desk, actor: StaffActor, reference: str, body: DecisionIn, *, approve: bool
) -> CaseOut:
    with d.db.transaction() as session:
        services.decide(
            session,
            actor,
            reference,
            approve=approve,
            note=body.note,
            proposal_id=body.proposal,
            expected_version=body.version,
        )
    with d.db.read() as session:
        return representations.staff_view(session, services.get_case(session, actor, reference))
