"""Where a case goes and who takes it: routing rules, assignment within a team, priority.

A new case is matched against the active rules in order (lowest position first, first
match wins); the default team catches the rest. Inside the team the case is assigned by
the team's strategy among the members marked available (and under their capacity), or
left for someone to take. Changing a case's category routes it again; priority can be
raised by a rule, by a breach, or by a check that found the bet underpaid
(:func:`raise_priority`), and the case's deadlines follow the policy of its new priority.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from complaintdesk.complaints.errors import InvalidRequest, VersionConflict
from complaintdesk.complaints.models import Category, Complaint, Priority, status_in
from complaintdesk.complaints.states import OPEN_STATUSES
from complaintdesk.db import utcnow
from complaintdesk.routing.models import RoutingRule, Strategy, Team, TeamMember
from complaintdesk.sla import services as clocks
from complaintdesk.sla.services import moved
from complaintdesk.staff.models import User
from complaintdesk.staff.permissions import Action, StaffActor, require

RANK = {Priority.low: 0, Priority.normal: 1, Priority.high: 2, Priority.urgent: 3}


@dataclass(frozen=True, slots=True)
class Route:
    """Where a case was sent, by which rule, and to whom."""

    team: Team | None
    rule: RoutingRule | None
    assignee: Assignee | None
    raised_from: Priority | None = None


def matches(
    rule: RoutingRule,
    *,
    category: str,
    language: str,
    jurisdiction: str | None,
    priority: str,
) -> bool:
    """Every non-empty condition of ``rule`` admits the case (``CA`` admits ``CA-ON``)."""
    if rule.categories and category not in rule.categories:
        return False
    if rule.languages and language not in rule.languages:
        return False
    if rule.priorities and priority not in rule.priorities:
        return False
    if rule.jurisdictions:
        code = (jurisdiction or "").upper()
        country = code.split("-", 1)[0]
        if not any(j in (code, country) for j in rule.jurisdictions):
            return False
    return True


# The statements every new case asks, built once per process (building one, with its
# cache key, costs about as much CPU as the database spends answering it).
_ACTIVE_RULES = (
    select(RoutingRule, Team)
    .join(Team, Team.id == RoutingRule.team_id)
    .where(RoutingRule.active.is_(True))
    .order_by(RoutingRule.position, RoutingRule.id)
)
_DEFAULT_TEAM = select(Team).where(Team.is_default.is_(True)).limit(1)
_MEMBERS = (
    select(
        User.id,
        User.username,
        TeamMember.capacity,
        select(func.count())
        .where(Complaint.assignee_id == User.id, status_in(OPEN_STATUSES))
        .correlate(User)
        .scalar_subquery(),
    )
    .join(User, User.id == TeamMember.user_id)
    .where(
        TeamMember.team_id == bindparam("team_id"),
        TeamMember.available.is_(True),
        User.active.is_(True),
    )
    .order_by(User.id)
)


def choose(
    session: Session,
    *,
    category: str,
    language: str,
    jurisdiction: str | None,
    priority: str,
) -> tuple[Team | None, RoutingRule | None]:
    """The team a case with these attributes goes to, and the rule that sent it there.

    One query for the rules and their teams; a second only when no rule matches.
    """
    for rule, team in session.execute(_ACTIVE_RULES).all():
        if matches(
            rule, category=category, language=language, jurisdiction=jurisdiction, priority=priority
        ):
            return team, rule
    return session.scalar(_DEFAULT_TEAM), None


def route_new_case(session: Session, case: Complaint) -> Route:
    """Send a new case (not yet inserted) to its team and, where automatic, an agent."""
    team, rule = _choose_for(session, case)
    raised_from = None
    if rule is not None and rule.set_priority and RANK[rule.set_priority] > RANK[case.priority]:
        raised_from = case.priority
        case.priority = rule.set_priority
    case.team = team.key if team else None
    assignee = pick_assignee(session, team) if team else None
    case.assignee_id = assignee.id if assignee else None
    return Route(team, rule, assignee, raised_from)


def record_route(session: Session, case: Complaint, route: Route, now: dt.datetime) -> None:
    data: dict[str, Any] = {
        "team": route.team.key if route.team else None,
        "rule": _rule_ref(route.rule),
        "assignee": route.assignee.username if route.assignee else None,
    }
    if route.raised_from is not None:
        data["priority"] = {"from": route.raised_from.value, "to": case.priority.value}
    session.add(clocks.event(case, "routed", now, **data))


@dataclass(frozen=True, slots=True)
class Assignee:
    """The agent a case was given to: what the case and its timeline record of them."""

    id: int
    username: str


def pick_assignee(session: Session, team: Team, *, exclude: int | None = None) -> Assignee | None:
    """The member of ``team`` who gets the next case, by the team's strategy; None for a
    manual team, or when nobody available has room.

    One query reads the available members with their open cases. A round-robin team's row
    is locked first, so that two cases routed at once do not both read the same rota (it
    is written back below). A least-loaded team is not locked: its cases would otherwise
    commit one at a time. Two cases filed in the same instant may then both go to the
    least-loaded agent, and the next ones even it out; a member's capacity is checked
    against the cases committed so far (SQLite has one writer at a time anyway).
    """
    if team.strategy is Strategy.manual:
        return None
    round_robin = team.strategy is Strategy.round_robin
    if round_robin and session.get_bind().dialect.name == "postgresql":
        session.execute(select(Team.id).where(Team.id == team.id).with_for_update())
    rows = session.execute(_MEMBERS, {"team_id": team.id}).all()
    eligible = [
        (int(count), Assignee(user_id, username))
        for user_id, username, capacity, count in rows
        if user_id != exclude and (capacity is None or count < capacity)
    ]
    if not eligible:
        return None
    if round_robin:
        last = team.last_assigned_user_id or 0
        chosen = next((a for _, a in eligible if a.id > last), eligible[0][1])
        team.last_assigned_user_id = chosen.id
        return chosen
    return min(eligible, key=lambda ca: (ca[0], ca[1].id))[1]


def open_loads(session: Session, user_ids: Sequence[int]) -> dict[int, int]:
    """Open cases per user (one grouped query on the assignee queue index)."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(Complaint.assignee_id, func.count())
        .where(Complaint.assignee_id.in_(list(user_ids)), status_in(OPEN_STATUSES))
        .group_by(Complaint.assignee_id)
    ).all()
    return {int(user_id): int(n) for user_id, n in rows if user_id is not None}


def reroute(
    session: Session,
    case: Complaint,
    now: dt.datetime,
    *,
    cause: str,
    actor: StaffActor | None = None,
) -> bool:
    """Route an existing case again (its category changed); True if its team changed.

    The assignee stays when they are a member of the new team; otherwise the new team's
    strategy picks one. A rule that raises priority raises it here too.
    """
    team, rule = _choose_for(session, case)
    if rule is not None and rule.set_priority and RANK[rule.set_priority] > RANK[case.priority]:
        raise_priority(
            session, case, to=rule.set_priority, reason=f"routing rule: {rule.name}", now=now
        )
    key = team.key if team else None
    if key == case.team:
        return False
    previous_team, previous_assignee = case.team, case.assignee_id
    keep = (
        team is not None
        and case.assignee_id is not None
        and session.scalar(
            select(TeamMember.id).where(
                TeamMember.team_id == team.id, TeamMember.user_id == case.assignee_id
            )
        )
        is not None
    )
    case.team = key
    if not keep:
        chosen = pick_assignee(session, team) if team else None
        case.assignee_id = chosen.id if chosen else None
    data: dict[str, Any] = {
        "cause": cause,
        "team": {"from": previous_team, "to": key},
        "rule": _rule_ref(rule),
    }
    if case.assignee_id != previous_assignee:
        data["assignee"] = {
            "from": _username(session, previous_assignee),
            "to": _username(session, case.assignee_id),
        }
    session.add(clocks.event(case, "routed", now, actor=actor, **data))
    return True


def raise_priority(
    session: Session,
    case: Complaint,
    *,
    to: Priority,
    reason: str,
    now: dt.datetime | None = None,
    actor: StaffActor | None = None,
) -> bool:
    """Raise the case's priority (never lower it here); True if it rose.

    For the checks that find a bet underpaid, the SLA sweep's escalation and routing rules.
    The case's deadlines follow the policy of the new priority, if that is another one.
    """
    if RANK[to] <= RANK[case.priority]:
        return False
    now = now or utcnow()
    _change_priority(session, case, to, reason=reason, now=now, actor=actor)
    session.flush()
    return True


def triage(
    session: Session,
    actor: StaffActor,
    reference: str,
    *,
    category: Category | None = None,
    priority: Priority | None = None,
    reason: str | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Change a case's category and/or priority: the case is routed again when its
    category changes, and its deadlines follow the policy that now applies.

    Any staff member may correct the category or raise the priority; lowering it is a
    lead's decision (the same role that may assign to others).
    """
    require(actor, Action.transition)
    case = clocks.case_for_update(session, reference)
    if expected_version is not None and expected_version != case.version:
        raise VersionConflict(
            f"the case changed since you loaded it (version {expected_version}, now "
            f"{case.version}); reload it and try again"
        )
    new_category = category if category is not None and category != case.category else None
    new_priority = priority if priority is not None and priority != case.priority else None
    if new_category is None and new_priority is None:
        raise InvalidRequest(
            "give a category or a priority different from the case's", code="nothing_to_do"
        )
    if new_priority is not None and RANK[new_priority] < RANK[case.priority]:
        require(actor, Action.assign_any)
    now = now or utcnow()
    if new_category is not None:
        previous = case.category
        case.category = new_category
        session.add(
            clocks.event(
                case,
                "category_changed",
                now,
                public=True,
                actor=actor,
                reason=reason,
                **moved(previous.value, new_category.value),
            )
        )
    if new_priority is not None:
        _change_priority(
            session, case, new_priority, reason=reason, now=now, actor=actor, derive=False
        )
    if case.status in OPEN_STATUSES:
        if new_category is not None:
            reroute(session, case, now, cause="category_changed", actor=actor)
        clocks.apply_policy(session, case, now, cause="triage")
    case.updated_at = now
    clocks.refresh_due(case)
    session.flush()
    return case


def _change_priority(
    session: Session,
    case: Complaint,
    to: Priority,
    *,
    reason: str | None,
    now: dt.datetime,
    actor: StaffActor | None,
    derive: bool = True,
) -> None:
    previous = case.priority
    case.priority = to
    session.add(
        clocks.event(
            case,
            "priority_changed",
            now,
            actor=actor,
            reason=reason,
            **moved(previous.value, to.value),
        )
    )
    if derive and case.status in OPEN_STATUSES:
        clocks.apply_policy(session, case, now, cause="priority_changed")
    case.updated_at = now
    clocks.refresh_due(case)


def _choose_for(session: Session, case: Complaint) -> tuple[Team | None, RoutingRule | None]:
    return choose(
        session,
        category=case.category.value,
        language=case.language,
        jurisdiction=case.jurisdiction,
        priority=case.priority.value,
    )


def _rule_ref(rule: RoutingRule | None) -> dict[str, Any] | None:
    return {"id": rule.id, "name": rule.name} if rule else None


def _username(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = session.get(User, user_id)
    return user.username if user else None
