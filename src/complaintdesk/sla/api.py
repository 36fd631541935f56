"""JSON routes of the clocks: SLA policies, business calendars and jurisdiction rules
(leads and admins change them; every staff member reads them), the extension of a case's
regulatory deadline, and the terms a customer is promised (public)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from complaintdesk.complaints.api import _after_write
from complaintdesk.complaints.schemas import CaseOut
from complaintdesk.sla import admin, services
from complaintdesk.sla.models import BusinessCalendar, JurisdictionRule, SlaPolicy
from complaintdesk.sla.queries import customer_terms
from complaintdesk.sla.schemas import (
    CalendarIn,
    CalendarOut,
    CalendarPatch,
    ExtensionIn,
    JurisdictionIn,
    JurisdictionOut,
    JurisdictionPatch,
    PolicyIn,
    PolicyOut,
    PolicyPatch,
    TermsOut,
)
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.web.deps import Desk, desk, public_rate_limit, staff

router = APIRouter(prefix="/api/v1/sla", tags=["sla"])
cases = APIRouter(prefix="/api/v1", tags=["staff"])
public = APIRouter(prefix="/api/v1", tags=["customers"], dependencies=[Depends(public_rate_limit)])


def _calendar_out(calendar: BusinessCalendar, policies: list[str]) -> CalendarOut:
    return CalendarOut(
        key=calendar.key,
        name=calendar.name,
        timezone=calendar.timezone,
        hours=calendar.hours,
        holidays=list(calendar.holidays),
        policies=policies,
    )


def _policy_out(session: Session, policy: SlaPolicy) -> PolicyOut:
    return PolicyOut(
        key=policy.key,
        name=policy.name,
        position=policy.position,
        categories=list(policy.categories),
        priorities=list(policy.priorities),
        calendar=admin.calendar_key(session, policy),
        acknowledgement_minutes=policy.acknowledgement_minutes,
        first_response_minutes=policy.first_response_minutes,
        next_response_minutes=policy.next_response_minutes,
        resolution_minutes=policy.resolution_minutes,
        pause_clocks=list(policy.pause_clocks),
        at_risk_percent=policy.at_risk_percent,
        notify_lead=policy.notify_lead,
        escalate_priority=policy.escalate_priority,
        reassign=policy.reassign,
        reassign_team=admin.reassign_team_key(session, policy),
    )


def _jurisdiction_out(rule: JurisdictionRule) -> JurisdictionOut:
    return JurisdictionOut.model_validate(rule, from_attributes=True)


# --- calendars -------------------------------------------------------------------------


@router.get("/calendars", response_model=list[CalendarOut], summary="Business calendars")
def list_calendars(
    actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> list[CalendarOut]:
    with d.db.read() as session:
        return [_calendar_out(c, p) for c, p in admin.list_calendars(session, actor)]


@router.post("/calendars", status_code=201, response_model=CalendarOut, summary="Add a calendar")
def create_calendar(
    body: CalendarIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> CalendarOut:
    with d.db.transaction() as session:
        return _calendar_out(admin.create_calendar(session, actor, body.model_dump()), [])


@router.get("/calendars/{key}", response_model=CalendarOut, summary="One calendar")
def get_calendar(
    key: str, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> CalendarOut:
    with d.db.read() as session:
        return _calendar_out(*admin.get_calendar(session, actor, key))


@router.patch("/calendars/{key}", response_model=CalendarOut, summary="Change a calendar")
def update_calendar(
    key: str, body: CalendarPatch, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> CalendarOut:
    with d.db.transaction() as session:
        admin.update_calendar(session, actor, key, body.model_dump(exclude_unset=True))
        return _calendar_out(*admin.get_calendar(session, actor, key))


@router.delete("/calendars/{key}", status_code=204, summary="Delete a calendar no policy uses")
def delete_calendar(
    key: str, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> Response:
    with d.db.transaction() as session:
        admin.delete_calendar(session, actor, key)
    return Response(status_code=204)


# --- policies --------------------------------------------------------------------------


@router.get("/policies", response_model=list[PolicyOut], summary="SLA policies, in the order tried")
def list_policies(actor: StaffActor = Depends(staff), d: Desk = Depends(desk)) -> list[PolicyOut]:
    with d.db.read() as session:
        return [_policy_out(session, p) for p in admin.list_policies(session, actor)]


@router.post("/policies", status_code=201, response_model=PolicyOut, summary="Add an SLA policy")
def create_policy(
    body: PolicyIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> PolicyOut:
    with d.db.transaction() as session:
        return _policy_out(session, admin.create_policy(session, actor, body.model_dump()))


@router.get("/policies/{key}", response_model=PolicyOut, summary="One SLA policy")
def get_policy(key: str, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)) -> PolicyOut:
    with d.db.read() as session:
        return _policy_out(session, admin.get_policy(session, actor, key))


@router.patch(
    "/policies/{key}",
    response_model=PolicyOut,
    summary="Change an SLA policy (applies to cases filed or re-derived afterwards)",
)
def update_policy(
    key: str, body: PolicyPatch, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> PolicyOut:
    with d.db.transaction() as session:
        policy = admin.update_policy(session, actor, key, body.model_dump(exclude_unset=True))
        return _policy_out(session, policy)


@router.delete("/policies/{key}", status_code=204, summary="Delete an SLA policy")
def delete_policy(
    key: str, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> Response:
    with d.db.transaction() as session:
        admin.delete_policy(session, actor, key)
    return Response(status_code=204)


# --- jurisdiction rules ----------------------------------------------------------------


@router.get("/jurisdictions", response_model=list[JurisdictionOut], summary="Jurisdiction rules")
def list_jurisdictions(
    actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> list[JurisdictionOut]:
    with d.db.read() as session:
        return [_jurisdiction_out(r) for r in admin.list_jurisdictions(session, actor)]


@router.post(
    "/jurisdictions", status_code=201, response_model=JurisdictionOut, summary="Add a rule"
)
def create_jurisdiction(
    body: JurisdictionIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> JurisdictionOut:
    with d.db.transaction() as session:
        return _jurisdiction_out(admin.create_jurisdiction(session, actor, body.model_dump()))


@router.get("/jurisdictions/{code}", response_model=JurisdictionOut, summary="One rule")
def get_jurisdiction(
    code: str, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> JurisdictionOut:
    with d.db.read() as session:
        return _jurisdiction_out(admin.get_jurisdiction(session, actor, code))


@router.patch("/jurisdictions/{code}", response_model=JurisdictionOut, summary="Change a rule")
def update_jurisdiction(
    code: str, body: JurisdictionPatch, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> JurisdictionOut:
    with d.db.transaction() as session:
        rule = admin.update_jurisdiction(session, actor, code, body.model_dump(exclude_unset=True))
        return _jurisdiction_out(rule)


@router.delete("/jurisdictions/{code}", status_code=204, summary="Delete a rule")
def delete_jurisdiction(
    code: str, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> Response:
    with d.db.transaction() as session:
        admin.delete_jurisdiction(session, actor, code)
    return Response(status_code=204)


# --- a case, and the customer's terms --------------------------------------------------


@cases.post(
    "/complaints/{reference}/extension",
    response_model=CaseOut,
    summary="Extend the regulatory deadline once, as the jurisdiction allows (with notice)",
)
def extend(
    reference: str, body: ExtensionIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> CaseOut:
    with d.db.transaction() as session:
        services.extend(
            session, actor, reference, reason=body.reason, expected_version=body.version
        )
    return _after_write(d, actor, reference)


@public.get("/terms", response_model=TermsOut, summary="What a customer is promised")
def terms(
    jurisdiction: Annotated[
        str | None, Query(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$", description="e.g. GB, CA-ON")
    ] = None,
    language: Literal["en", "ru"] = "en",
    d: Desk = Depends(desk),
) -> TermsOut:
    with d.db.read() as session:
        return TermsOut(**customer_terms(session, jurisdiction, language).as_dict())
