"""JSON routes of the checks: list a case's checks, re-run one (staff only)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from complaintdesk.checks import representations, services
from complaintdesk.checks.schemas import CheckList, CheckOut
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.web.deps import Desk, desk, staff

router = APIRouter(prefix="/api/v1", tags=["staff"])


@router.get(
    "/complaints/{reference}/checks",
    response_model=CheckList,
    response_model_exclude_unset=True,  # each entry carries its own kind's fields only
    summary="What the desk verified automatically on the case",
)
def list_checks(
    reference: str, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> CheckList:
    with d.db.read() as session:
        case, checks = services.list_for_case(session, actor, reference)
        return CheckList(items=[representations.check_out(c, case.language) for c in checks])


@router.post(
    "/complaints/{reference}/checks/{check_id}/rerun",
    status_code=202,
    response_model=CheckOut,
    response_model_exclude_unset=True,
    summary="Run a check again (in the background, as soon as a worker is free)",
)
def rerun(
    reference: str, check_id: int, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> CheckOut:
    with d.db.transaction() as session:
        case, check = services.rerun(session, actor, reference, check_id)
        return representations.check_out(check, case.language)
