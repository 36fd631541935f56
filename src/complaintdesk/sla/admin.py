"""Administration of the clocks: SLA policies, business calendars, jurisdiction rules.

Leads and admins manage them (``Action.manage_routing``); every staff member may read
them. A change applies to cases filed (or re-derived) after it: a case keeps the targets
it was given, so its deadlines never move without a rule and a timeline entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from complaintdesk.complaints.errors import InvalidRequest, NotFound
from complaintdesk.complaints.models import Category, Priority
from complaintdesk.db import utcnow
from complaintdesk.routing.errors import UnknownTeam
from complaintdesk.routing.models import Team
from complaintdesk.sla.calendar import CalendarInvalid, WorkingCalendar
from complaintdesk.sla.defaults import DEFAULT_JURISDICTION
from complaintdesk.sla.errors import ConfigurationConflict, InvalidConfiguration
from complaintdesk.sla.models import (
    BusinessCalendar,
    Clock,
    JurisdictionRule,
    Reassign,
    SlaPolicy,
)
from complaintdesk.staff.permissions import Action, StaffActor, require

# --- calendars -------------------------------------------------------------------------


def list_calendars(session: Session, actor: StaffActor) -> list[tuple[BusinessCalendar, list[str]]]:
    """Every calendar with the keys of the policies counting in it (two queries)."""
    require(actor, Action.view)
    calendars = session.scalars(select(BusinessCalendar).order_by(BusinessCalendar.key)).all()
    users: dict[int, list[str]] = {}
    for calendar_id, key in session.execute(
        select(SlaPolicy.calendar_id, SlaPolicy.key)
        .where(SlaPolicy.calendar_id.is_not(None))
        .order_by(SlaPolicy.key)
    ):
        if calendar_id is not None:
            users.setdefault(calendar_id, []).append(key)
    return [(c, users.get(c.id, [])) for c in calendars]


def get_calendar(
    session: Session, actor: StaffActor, key: str
) -> tuple[BusinessCalendar, list[str]]:
    require(actor, Action.view)
    calendar = _calendar(session, key)
    return calendar, _policies_using(session, calendar.id)


def create_calendar(
    session: Session, actor: StaffActor, values: Mapping[str, Any]
) -> BusinessCalendar:
    require(actor, Action.manage_routing)
    if session.scalar(select(BusinessCalendar.id).where(BusinessCalendar.key == values["key"])):
        raise ConfigurationConflict(
            f"a calendar {values['key']!r} exists already", code="calendar_exists"
        )
    timezone, hours, holidays = _calendar_fields(
        values["timezone"], values["hours"], values.get("holidays") or []
    )
    calendar = BusinessCalendar(
        key=values["key"], name=values["name"], timezone=timezone, hours=hours, holidays=holidays
    )
    session.add(calendar)
    session.flush()
    return calendar


def update_calendar(
    session: Session, actor: StaffActor, key: str, changes: Mapping[str, Any]
) -> BusinessCalendar:
    require(actor, Action.manage_routing)
    _no_nulls(changes, ("name", "timezone", "hours", "holidays"))
    calendar = _calendar(session, key)
    timezone, hours, holidays = _calendar_fields(
        changes.get("timezone", calendar.timezone),
        changes.get("hours", calendar.hours),
        changes.get("holidays", calendar.holidays),
    )
    calendar.timezone, calendar.hours, calendar.holidays = timezone, hours, holidays
    if "name" in changes:
        calendar.name = changes["name"]
    calendar.updated_at = utcnow()
    session.flush()
    return calendar


def delete_calendar(session: Session, actor: StaffActor, key: str) -> None:
    require(actor, Action.manage_routing)
    calendar = _calendar(session, key)
    using = _policies_using(session, calendar.id)
    if using:
        raise ConfigurationConflict(
            f"policies count in this calendar ({', '.join(using)}); change them first",
            code="calendar_in_use",
        )
    session.delete(calendar)
    session.flush()


# --- policies --------------------------------------------------------------------------


def list_policies(session: Session, actor: StaffActor) -> Sequence[SlaPolicy]:
    require(actor, Action.view)
    return session.scalars(select(SlaPolicy).order_by(SlaPolicy.position, SlaPolicy.id)).all()


def get_policy(session: Session, actor: StaffActor, key: str) -> SlaPolicy:
    require(actor, Action.view)
    return _policy(session, key)


def create_policy(session: Session, actor: StaffActor, values: Mapping[str, Any]) -> SlaPolicy:
    require(actor, Action.manage_routing)
    if session.scalar(select(SlaPolicy.id).where(SlaPolicy.key == values["key"])):
        raise ConfigurationConflict(
            f"a policy {values['key']!r} exists already", code="policy_exists"
        )
    position = values.get("position")
    if position is None:
        position = (session.scalar(select(func.max(SlaPolicy.position))) or 0) + 10
    policy = SlaPolicy(
        key=values["key"],
        name=values["name"],
        position=position,
        first_response_minutes=values["first_response_minutes"],
        resolution_minutes=values["resolution_minutes"],
    )
    defaults = {
        "categories": [],
        "priorities": [],
        "calendar": None,
        "acknowledgement_minutes": None,
        "next_response_minutes": None,
        "pause_clocks": [Clock.resolution.value, Clock.regulatory.value],
        "at_risk_percent": 80,
        "notify_lead": True,
        "escalate_priority": None,
        "reassign": Reassign.none,
        "reassign_team": None,
    }
    _apply(session, policy, {**defaults, **{k: v for k, v in values.items() if k in defaults}})
    session.add(policy)
    session.flush()
    return policy


def update_policy(
    session: Session, actor: StaffActor, key: str, changes: Mapping[str, Any]
) -> SlaPolicy:
    require(actor, Action.manage_routing)
    _no_nulls(
        changes,
        (
            "name",
            "position",
            "categories",
            "priorities",
            "first_response_minutes",
            "resolution_minutes",
            "pause_clocks",
            "at_risk_percent",
            "notify_lead",
            "reassign",
        ),
    )
    policy = _policy(session, key)
    for name in ("name", "position", "first_response_minutes", "resolution_minutes"):
        if name in changes:
            setattr(policy, name, changes[name])
    _apply(session, policy, changes)
    policy.updated_at = utcnow()
    session.flush()
    return policy


def delete_policy(session: Session, actor: StaffActor, key: str) -> None:
    """Cases that followed the policy keep their targets (their record holds them)."""
    require(actor, Action.manage_routing)
    session.delete(_policy(session, key))
    session.flush()


def reassign_team_key(session: Session, policy: SlaPolicy) -> str | None:
    if policy.reassign_team_id is None:
        return None
    team = session.get(Team, policy.reassign_team_id)
    return team.key if team else None


def calendar_key(session: Session, policy: SlaPolicy) -> str | None:
    if policy.calendar_id is None:
        return None
    calendar = session.get(BusinessCalendar, policy.calendar_id)
    return calendar.key if calendar else None


# --- jurisdiction rules ----------------------------------------------------------------


def list_jurisdictions(session: Session, actor: StaffActor) -> Sequence[JurisdictionRule]:
    require(actor, Action.view)
    return session.scalars(select(JurisdictionRule).order_by(JurisdictionRule.code)).all()


def get_jurisdiction(session: Session, actor: StaffActor, code: str) -> JurisdictionRule:
    require(actor, Action.view)
    return _jurisdiction(session, code)


def create_jurisdiction(
    session: Session, actor: StaffActor, values: Mapping[str, Any]
) -> JurisdictionRule:
    require(actor, Action.manage_routing)
    code = values["code"]
    if session.scalar(select(JurisdictionRule.id).where(JurisdictionRule.code == code)):
        raise ConfigurationConflict(
            f"a rule for {code!r} exists already", code="jurisdiction_exists"
        )
    rule = JurisdictionRule(**dict(values))
    session.add(rule)
    session.flush()
    return rule


def update_jurisdiction(
    session: Session, actor: StaffActor, code: str, changes: Mapping[str, Any]
) -> JurisdictionRule:
    require(actor, Action.manage_routing)
    _no_nulls(changes, tuple(changes))
    rule = _jurisdiction(session, code)
    for name, value in changes.items():
        setattr(rule, name, value)
    rule.updated_at = utcnow()
    session.flush()
    return rule


def delete_jurisdiction(session: Session, actor: StaffActor, code: str) -> None:
    require(actor, Action.manage_routing)
    if code == DEFAULT_JURISDICTION:
        raise ConfigurationConflict(
            "the default rule applies to every jurisdiction without its own; change it instead",
            code="jurisdiction_in_use",
        )
    session.delete(_jurisdiction(session, code))
    session.flush()


# --- internals -------------------------------------------------------------------------


def _apply(session: Session, policy: SlaPolicy, values: Mapping[str, Any]) -> None:
    """Set the optional fields of a policy that ``values`` names, checking references."""
    if "categories" in values:
        policy.categories = sorted({Category(v).value for v in values["categories"]})
    if "priorities" in values:
        policy.priorities = sorted({Priority(v).value for v in values["priorities"]})
    if "calendar" in values:
        key = values["calendar"]
        if key is None:
            policy.calendar_id = None
        else:
            calendar = session.scalar(select(BusinessCalendar).where(BusinessCalendar.key == key))
            if calendar is None:
                raise InvalidConfiguration(f"there is no calendar {key!r}", code="unknown_calendar")
            policy.calendar_id = calendar.id
    for name in ("acknowledgement_minutes", "next_response_minutes", "at_risk_percent"):
        if name in values:
            setattr(policy, name, values[name])
    if "notify_lead" in values:
        policy.notify_lead = bool(values["notify_lead"])
    if "pause_clocks" in values:
        clocks = list(dict.fromkeys(Clock(v).value for v in values["pause_clocks"]))
        policy.pause_clocks = clocks
    if "escalate_priority" in values:
        value = values["escalate_priority"]
        policy.escalate_priority = Priority(value) if value else None
    if "reassign_team" in values:
        key = values["reassign_team"]
        if key is None:
            policy.reassign_team_id = None
        else:
            team = session.scalar(select(Team).where(Team.key == key))
            if team is None:
                raise UnknownTeam(key)
            policy.reassign_team_id = team.id
    if "reassign" in values:
        policy.reassign = Reassign(values["reassign"])
    if policy.reassign is Reassign.team and policy.reassign_team_id is None:
        raise InvalidConfiguration(
            "reassign=team needs reassign_team: the team breached cases move to",
            code="reassign_team_required",
        )


def _calendar_fields(
    timezone: str, hours: Mapping[str, Sequence[Sequence[str]]], holidays: Sequence[Any]
) -> tuple[str, dict[str, list[list[str]]], list[str]]:
    days = sorted({d.isoformat() if isinstance(d, dt.date) else str(d) for d in holidays})
    clean = {day: [list(interval) for interval in intervals] for day, intervals in hours.items()}
    try:
        WorkingCalendar.parse(timezone, clean, days)
    except CalendarInvalid as exc:
        raise InvalidConfiguration(str(exc), code="invalid_calendar") from None
    return timezone, clean, days


def _calendar(session: Session, key: str) -> BusinessCalendar:
    calendar = session.scalar(select(BusinessCalendar).where(BusinessCalendar.key == key))
    if calendar is None:
        raise NotFound(f"no calendar {key!r}")
    return calendar


def _policies_using(session: Session, calendar_id: int) -> list[str]:
    return list(
        session.scalars(
            select(SlaPolicy.key)
            .where(SlaPolicy.calendar_id == calendar_id)
            .order_by(SlaPolicy.key)
        )
    )


def _policy(session: Session, key: str) -> SlaPolicy:
    policy = session.scalar(select(SlaPolicy).where(SlaPolicy.key == key))
    if policy is None:
        raise NotFound(f"no SLA policy {key!r}")
    return policy


def _jurisdiction(session: Session, code: str) -> JurisdictionRule:
    rule = session.scalar(select(JurisdictionRule).where(JurisdictionRule.code == code))
    if rule is None:
        raise NotFound(f"no jurisdiction rule {code!r}")
    return rule


def _no_nulls(changes: Mapping[str, Any], fields: Sequence[str]) -> None:
    for name in fields:
        if name in changes and changes[name] is None:
            raise InvalidRequest(f"{name} cannot be null", code="invalid_request")
