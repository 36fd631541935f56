"""Administration of routing: teams, their members and availability, routing rules.

Leads and admins manage it (``Action.manage_routing``); every staff member may read it
and may mark themselves available or away. The rules hold: a rule names a team that
exists; exactly one team is the default; a team still named by a rule, by an SLA
policy's escalation or by open cases cannot be deleted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from complaintdesk.complaints.errors import InvalidRequest
from complaintdesk.complaints.models import Category, Complaint, Priority, status_in
from complaintdesk.complaints.states import OPEN_STATUSES
from complaintdesk.db import utcnow
from complaintdesk.routing.errors import TeamNotFound, UnknownTeam
from complaintdesk.routing.models import RoutingRule, Strategy, Team, TeamMember
from complaintdesk.routing.services import choose, open_loads
from complaintdesk.sla.errors import ConfigurationConflict
from complaintdesk.sla.models import SlaPolicy
from complaintdesk.staff.errors import UnknownUser
from complaintdesk.staff.models import User
from complaintdesk.staff.permissions import Action, StaffActor, require

LANGUAGES = ("en", "ru")


@dataclass(frozen=True, slots=True)
class TeamView:
    team: Team
    lead: str | None
    members: list[tuple[TeamMember, User, int]]  # member, user, open cases


# --- teams -----------------------------------------------------------------------------


def list_teams(session: Session, actor: StaffActor) -> list[TeamView]:
    """Every team with its lead, members and their open cases, in three queries."""
    require(actor, Action.view)
    teams = session.scalars(
        select(Team)
        .options(
            selectinload(Team.members).selectinload(TeamMember.user),
            selectinload(Team.lead),
        )
        .order_by(Team.key)
    ).all()
    user_ids = sorted({m.user_id for t in teams for m in t.members})
    loads = open_loads(session, user_ids)
    return [_view(t, loads) for t in teams]


def get_team(session: Session, actor: StaffActor, key: str) -> TeamView:
    require(actor, Action.view)
    team = _team(session, key, load=True)
    return _view(team, open_loads(session, [m.user_id for m in team.members]))


def create_team(
    session: Session,
    actor: StaffActor,
    *,
    key: str,
    name: str,
    name_ru: str = "",
    lead: str | None = None,
    strategy: Strategy = Strategy.least_loaded,
    is_default: bool = False,
) -> Team:
    require(actor, Action.manage_routing)
    if session.scalar(select(Team.id).where(Team.key == key)) is not None:
        raise ConfigurationConflict(f"a team {key!r} exists already", code="team_exists")
    team = Team(
        key=key,
        name=name,
        name_ru=name_ru,
        lead_id=_user(session, lead, named_in_body=True).id if lead else None,
        strategy=strategy,
        is_default=False,
    )
    session.add(team)
    session.flush()
    if is_default or session.scalar(select(func.count()).select_from(Team)) == 1:
        _make_default(session, team)
    return team


def update_team(session: Session, actor: StaffActor, key: str, changes: Mapping[str, Any]) -> Team:
    """Change a team; ``changes`` holds only the fields given (``lead`` None: no lead)."""
    require(actor, Action.manage_routing)
    team = _team(session, key)
    _no_nulls(changes, ("name", "name_ru", "strategy", "is_default"))
    if "name" in changes:
        team.name = changes["name"]
    if "name_ru" in changes:
        team.name_ru = changes["name_ru"]
    if "strategy" in changes:
        team.strategy = Strategy(changes["strategy"])
    if "lead" in changes:
        lead = changes["lead"]
        team.lead_id = _user(session, lead, named_in_body=True).id if lead else None
    if "is_default" in changes:
        if changes["is_default"]:
            _make_default(session, team)
        elif team.is_default:
            raise InvalidRequest(
                "one team must catch the cases no rule matches: make another team the "
                "default instead",
                code="default_team_required",
            )
    team.updated_at = utcnow()
    session.flush()
    return team


def delete_team(session: Session, actor: StaffActor, key: str) -> None:
    require(actor, Action.manage_routing)
    team = _team(session, key)
    if team.is_default:
        raise ConfigurationConflict(
            "the default team cannot be deleted; make another team the default first",
            code="team_in_use",
        )
    rules = session.scalar(
        select(func.count()).select_from(RoutingRule).where(RoutingRule.team_id == team.id)
    )
    if rules:
        raise ConfigurationConflict(
            f"{rules} routing rule(s) send cases to {key!r}; change or delete them first",
            code="team_in_use",
        )
    if session.scalar(select(SlaPolicy.key).where(SlaPolicy.reassign_team_id == team.id).limit(1)):
        raise ConfigurationConflict(
            f"an SLA policy escalates to {key!r}; change it first", code="team_in_use"
        )
    open_cases = session.scalar(
        select(func.count())
        .select_from(Complaint)
        .where(Complaint.team == key, status_in(OPEN_STATUSES))
    )
    if open_cases:
        raise ConfigurationConflict(
            f"{open_cases} open case(s) are with {key!r}; move them first", code="team_in_use"
        )
    session.delete(team)
    session.flush()


# --- members and availability ----------------------------------------------------------


def set_member(
    session: Session,
    actor: StaffActor,
    key: str,
    username: str,
    changes: Mapping[str, Any],
) -> TeamMember:
    """Add ``username`` to the team, or change their availability and capacity there."""
    require(actor, Action.manage_routing)
    _no_nulls(changes, ("available",))
    team = _team(session, key)
    user = _user(session, username)
    member = session.scalar(
        select(TeamMember).where(TeamMember.team_id == team.id, TeamMember.user_id == user.id)
    )
    if member is None:
        member = TeamMember(team_id=team.id, user_id=user.id, available=True, capacity=None)
        session.add(member)
    if "available" in changes:
        member.available = bool(changes["available"])
    if "capacity" in changes:
        member.capacity = changes["capacity"]
    session.flush()
    return member


def remove_member(session: Session, actor: StaffActor, key: str, username: str) -> None:
    require(actor, Action.manage_routing)
    team = _team(session, key)
    user = _user(session, username)
    member = session.scalar(
        select(TeamMember).where(TeamMember.team_id == team.id, TeamMember.user_id == user.id)
    )
    if member is None:
        raise TeamNotFound(f"{user.username} is not a member of {key!r}")
    session.delete(member)
    session.flush()


def set_availability(session: Session, actor: StaffActor, username: str, *, available: bool) -> int:
    """Mark a staff member available or away in every team they belong to; anyone may do
    it for themselves, leads and admins for others. Returns the teams it touched."""
    user = _user(session, username)
    if user.id != actor.id:
        require(actor, Action.manage_routing)
    result = session.execute(
        update(TeamMember).where(TeamMember.user_id == user.id).values(available=available)
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


# --- rules -----------------------------------------------------------------------------


def list_rules(session: Session, actor: StaffActor) -> Sequence[RoutingRule]:
    require(actor, Action.view)
    return session.scalars(
        select(RoutingRule)
        .options(selectinload(RoutingRule.team))
        .order_by(RoutingRule.position, RoutingRule.id)
    ).all()


def get_rule(session: Session, actor: StaffActor, rule_id: int) -> RoutingRule:
    require(actor, Action.view)
    return _rule(session, rule_id)


def create_rule(session: Session, actor: StaffActor, values: Mapping[str, Any]) -> RoutingRule:
    require(actor, Action.manage_routing)
    team = known_team(session, values["team"])
    position = values.get("position")
    if position is None:
        last = session.scalar(select(func.max(RoutingRule.position)))
        position = (last or 0) + 10
    rule = RoutingRule(
        position=position,
        name=values["name"],
        team_id=team.id,
        categories=_categories(values.get("categories") or []),
        languages=_languages(values.get("languages") or []),
        jurisdictions=_jurisdictions(values.get("jurisdictions") or []),
        priorities=_priorities(values.get("priorities") or []),
        set_priority=Priority(values["set_priority"]) if values.get("set_priority") else None,
        active=values.get("active", True),
    )
    session.add(rule)
    session.flush()
    rule.team = team
    return rule


def update_rule(
    session: Session, actor: StaffActor, rule_id: int, changes: Mapping[str, Any]
) -> RoutingRule:
    require(actor, Action.manage_routing)
    rule = _rule(session, rule_id)
    _no_nulls(changes, ("name", "team", "position", "active"))
    if "team" in changes:
        team = known_team(session, changes["team"])
        rule.team_id = team.id
        rule.team = team
    for name, clean in (
        ("categories", _categories),
        ("languages", _languages),
        ("jurisdictions", _jurisdictions),
        ("priorities", _priorities),
    ):
        if name in changes:
            setattr(rule, name, clean(changes[name] or []))
    if "set_priority" in changes:
        rule.set_priority = Priority(changes["set_priority"]) if changes["set_priority"] else None
    for name in ("name", "position", "active"):
        if name in changes:
            setattr(rule, name, changes[name])
    rule.updated_at = utcnow()
    session.flush()
    return rule


def delete_rule(session: Session, actor: StaffActor, rule_id: int) -> None:
    require(actor, Action.manage_routing)
    session.delete(_rule(session, rule_id))
    session.flush()


def preview(
    session: Session,
    actor: StaffActor,
    *,
    category: Category,
    language: str,
    jurisdiction: str | None,
    priority: Priority,
) -> tuple[Team | None, RoutingRule | None]:
    """Where a case with these attributes would go today, and by which rule."""
    require(actor, Action.view)
    return choose(
        session,
        category=category.value,
        language=language,
        jurisdiction=jurisdiction,
        priority=priority.value,
    )


# --- internals -------------------------------------------------------------------------


def _view(team: Team, loads: Mapping[int, int]) -> TeamView:
    members = sorted(team.members, key=lambda m: m.user.username)
    return TeamView(
        team=team,
        lead=team.lead.username if team.lead else None,
        members=[(m, m.user, loads.get(m.user_id, 0)) for m in members],
    )


def _team(session: Session, key: str, *, load: bool = False) -> Team:
    stmt = select(Team).where(Team.key == key)
    if load:
        stmt = stmt.options(
            selectinload(Team.members).selectinload(TeamMember.user), selectinload(Team.lead)
        )
    team = session.scalar(stmt)
    if team is None:
        raise TeamNotFound(f"no team {key!r}")
    return team


def known_team(session: Session, key: str) -> Team:
    """The team ``key`` names, for a rule or a case to go to; UnknownTeam (422) if none."""
    team = session.scalar(select(Team).where(Team.key == key))
    if team is None:
        raise UnknownTeam(key)
    return team


def _rule(session: Session, rule_id: int) -> RoutingRule:
    rule = session.scalar(
        select(RoutingRule).where(RoutingRule.id == rule_id).options(selectinload(RoutingRule.team))
    )
    if rule is None:
        raise TeamNotFound(f"no routing rule {rule_id}")
    return rule


def _user(session: Session, username: str, *, named_in_body: bool = False) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or not user.active:
        message = f"no active staff member named {username!r}"
        if named_in_body:
            raise InvalidRequest(message, code="unknown_user")
        raise UnknownUser(message)
    return user


def _make_default(session: Session, team: Team) -> None:
    session.execute(update(Team).where(Team.id != team.id).values(is_default=False))
    team.is_default = True


def _no_nulls(changes: Mapping[str, Any], fields: Sequence[str]) -> None:
    for name in fields:
        if name in changes and changes[name] is None:
            raise InvalidRequest(f"{name} cannot be null", code="invalid_request")


def _categories(values: Sequence[Any]) -> list[str]:
    return sorted({Category(v).value for v in values})


def _priorities(values: Sequence[Any]) -> list[str]:
    return sorted({Priority(v).value for v in values})


def _languages(values: Sequence[Any]) -> list[str]:
    unknown = [v for v in values if v not in LANGUAGES]
    if unknown:
        raise InvalidRequest(f"languages are {', '.join(LANGUAGES)}", code="invalid_language")
    return sorted(set(values))


def _jurisdictions(values: Sequence[Any]) -> list[str]:
    return sorted({str(v).upper() for v in values})
