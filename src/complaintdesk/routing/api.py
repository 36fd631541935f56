"""JSON routes of routing: teams, members, availability, rules (leads and admins change
them; every staff member reads them), and the triage of a case (category, priority)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from complaintdesk.complaints.api import _after_write
from complaintdesk.complaints.schemas import CaseOut
from complaintdesk.routing import admin, services
from complaintdesk.routing.models import RoutingRule
from complaintdesk.routing.schemas import (
    AvailabilityIn,
    MemberIn,
    MemberOut,
    PreviewIn,
    PreviewOut,
    RuleIn,
    RuleOut,
    RulePatch,
    TeamIn,
    TeamOut,
    TeamPatch,
    TriageIn,
)
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.web.deps import Desk, desk, staff

router = APIRouter(prefix="/api/v1/routing", tags=["routing"])
cases = APIRouter(prefix="/api/v1", tags=["staff"])


def _team_out(view: admin.TeamView) -> TeamOut:
    team = view.team
    return TeamOut(
        key=team.key,
        name=team.name,
        name_ru=team.name_ru,
        lead=view.lead,
        strategy=team.strategy,
        is_default=team.is_default,
        members=[
            MemberOut(
                username=user.username,
                available=member.available,
                capacity=member.capacity,
                open_cases=load,
            )
            for member, user, load in view.members
        ],
    )


def _rule_out(rule: RoutingRule, team: str | None = None) -> RuleOut:
    return RuleOut(
        id=rule.id,
        position=rule.position,
        name=rule.name,
        team=team or rule.team.key,
        categories=list(rule.categories),
        languages=list(rule.languages),
        jurisdictions=list(rule.jurisdictions),
        priorities=list(rule.priorities),
        set_priority=rule.set_priority,
        active=rule.active,
    )


# --- teams -----------------------------------------------------------------------------


@router.get("/teams", response_model=list[TeamOut], summary="Teams, leads and members")
def list_teams(actor: StaffActor = Depends(staff), d: Desk = Depends(desk)) -> list[TeamOut]:
    with d.db.read() as session:
        return [_team_out(v) for v in admin.list_teams(session, actor)]


@router.post("/teams", status_code=201, response_model=TeamOut, summary="Add a team")
def create_team(
    body: TeamIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> TeamOut:
    with d.db.transaction() as session:
        admin.create_team(
            session,
            actor,
            key=body.key,
            name=body.name,
            name_ru=body.name_ru,
            lead=body.lead,
            strategy=body.strategy,
            is_default=body.is_default,
        )
        return _team_out(admin.get_team(session, actor, body.key))


@router.get("/teams/{key}", response_model=TeamOut, summary="One team")
def get_team(key: str, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)) -> TeamOut:
    with d.db.read() as session:
        return _team_out(admin.get_team(session, actor, key))


@router.patch("/teams/{key}", response_model=TeamOut, summary="Change a team")
def update_team(
    key: str, body: TeamPatch, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> TeamOut:
    with d.db.transaction() as session:
        admin.update_team(session, actor, key, body.model_dump(exclude_unset=True))
        return _team_out(admin.get_team(session, actor, key))


@router.delete("/teams/{key}", status_code=204, summary="Delete a team no rule or case uses")
def delete_team(key: str, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)) -> Response:
    with d.db.transaction() as session:
        admin.delete_team(session, actor, key)
    return Response(status_code=204)


@router.put(
    "/teams/{key}/members/{username}",
    response_model=TeamOut,
    summary="Add a member, or change their availability and capacity",
)
def set_member(
    key: str,
    username: str,
    body: MemberIn,
    actor: StaffActor = Depends(staff),
    d: Desk = Depends(desk),
) -> TeamOut:
    with d.db.transaction() as session:
        admin.set_member(session, actor, key, username, body.model_dump(exclude_unset=True))
        return _team_out(admin.get_team(session, actor, key))


@router.delete("/teams/{key}/members/{username}", status_code=204, summary="Remove a member")
def remove_member(
    key: str, username: str, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> Response:
    with d.db.transaction() as session:
        admin.remove_member(session, actor, key, username)
    return Response(status_code=204)


@router.put(
    "/availability/{username}",
    status_code=204,
    summary="Mark a staff member available or away in all their teams (yourself, or as a lead)",
)
def set_availability(
    username: str, body: AvailabilityIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> Response:
    with d.db.transaction() as session:
        admin.set_availability(session, actor, username, available=body.available)
    return Response(status_code=204)


# --- rules -----------------------------------------------------------------------------


@router.get("/rules", response_model=list[RuleOut], summary="Routing rules, in the order tried")
def list_rules(actor: StaffActor = Depends(staff), d: Desk = Depends(desk)) -> list[RuleOut]:
    with d.db.read() as session:
        return [_rule_out(r) for r in admin.list_rules(session, actor)]


@router.post("/rules", status_code=201, response_model=RuleOut, summary="Add a routing rule")
def create_rule(
    body: RuleIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> RuleOut:
    with d.db.transaction() as session:
        return _rule_out(admin.create_rule(session, actor, body.model_dump()))


@router.get("/rules/{rule_id}", response_model=RuleOut, summary="One routing rule")
def get_rule(rule_id: int, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)) -> RuleOut:
    with d.db.read() as session:
        return _rule_out(admin.get_rule(session, actor, rule_id))


@router.patch("/rules/{rule_id}", response_model=RuleOut, summary="Change a routing rule")
def update_rule(
    rule_id: int, body: RulePatch, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> RuleOut:
    with d.db.transaction() as session:
        return _rule_out(
            admin.update_rule(session, actor, rule_id, body.model_dump(exclude_unset=True))
        )


@router.delete("/rules/{rule_id}", status_code=204, summary="Delete a routing rule")
def delete_rule(
    rule_id: int, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> Response:
    with d.db.transaction() as session:
        admin.delete_rule(session, actor, rule_id)
    return Response(status_code=204)


@router.post("/preview", response_model=PreviewOut, summary="Where a case would be routed")
def preview(
    body: PreviewIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> PreviewOut:
    with d.db.read() as session:
        team, rule = admin.preview(
            session,
            actor,
            category=body.category,
            language=body.language,
            jurisdiction=body.jurisdiction,
            priority=body.priority,
        )
        key = team.key if team else None
        return PreviewOut(team=key, rule=_rule_out(rule, key) if rule else None)


# --- a case ----------------------------------------------------------------------------


@cases.post(
    "/complaints/{reference}/triage",
    response_model=CaseOut,
    summary="Change a case's category or priority (routes it again, re-derives deadlines)",
)
def triage(
    reference: str, body: TriageIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> CaseOut:
    with d.db.transaction() as session:
        services.triage(
            session,
            actor,
            reference,
            category=body.category,
            priority=body.priority,
            reason=body.reason,
            expected_version=body.version,
        )
    return _after_write(d, actor, reference)
