"""The clocks of one case: started at intake, paused while the case waits for its
customer, resumed, met, restarted on reopening, re-derived when the policy changes, and
extended once where the regulator allows.

Every function takes a ``Session`` and only adds and flushes. Every deadline that moves is
recorded on the timeline in the same transaction: ``clock_paused``, ``clock_resumed`` and
``deadline_extended`` are public (the customer sees them, in words of their own);
``sla_applied`` and ``deadlines_changed`` are internal.

A clock that has breached keeps its deadline: no later rule moves it back into time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import CursorResult, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from complaintdesk.complaints.errors import NotFound, VersionConflict
from complaintdesk.complaints.models import Actor, Complaint, ComplaintEvent, Kind, Status
from complaintdesk.complaints.references import normalise_reference
from complaintdesk.complaints.states import FINISHED_STATUSES, OPEN_STATUSES
from complaintdesk.db import utcnow
from complaintdesk.sla import calendar as cal
from complaintdesk.sla.calendar import CalendarInvalid, WorkingCalendar
from complaintdesk.sla.clocks import DAY, ClockSpec, paused_spans
from complaintdesk.sla.defaults import DEFAULT_PAUSE_CLOCKS, DeadlinePolicy
from complaintdesk.sla.errors import ExtensionRefused
from complaintdesk.sla.models import (
    BusinessCalendar,
    CaseClock,
    Clock,
    ClockPause,
    JurisdictionRule,
    SlaPolicy,
    SlaState,
)
from complaintdesk.sla.queries import jurisdiction_rule, match_policy, ordered_policies
from complaintdesk.staff.permissions import Action, StaffActor, require

AT_RISK = SlaState.at_risk.value
BREACHED = SlaState.breached.value
PauseRow = tuple[dt.datetime, dt.datetime | None, Sequence[str]]


@dataclass
class ClockPlan:
    """A new case's clock record and what it came from, before the case has an id."""

    clock: CaseClock
    policy: SlaPolicy | None
    rule: JurisdictionRule | None
    calendar: BusinessCalendar | None


@dataclass
class CaseClocks:
    """A case's clock record with the pauses and the calendar its deadlines depend on."""

    case: Complaint
    clock: CaseClock
    pauses: list[ClockPause] = field(default_factory=list)
    calendar: WorkingCalendar | None = None

    @property
    def open_pause(self) -> ClockPause | None:
        return next((p for p in reversed(self.pauses) if p.ended_at is None), None)

    def spans(self) -> list[PauseRow]:
        return [(p.started_at, p.ended_at, list(p.clocks)) for p in self.pauses]

    def running(self) -> dict[str, ClockSpec]:
        """The clocks of the case that have not been met, with what their deadline is
        computed from. An open pause counts as zero until it ends."""
        case, clock, spans = self.case, self.clock, self.spans()
        specs: dict[str, ClockSpec] = {}
        if case.status in FINISHED_STATUSES:
            return specs

        def spec(name: str, start: dt.datetime, seconds: float, calendar: Any) -> ClockSpec:
            return ClockSpec(name, start, seconds, calendar, paused_spans(spans, name))

        if case.first_responded_at is None:
            specs[Clock.first_response] = spec(
                Clock.first_response, clock.started_at, clock.first_response_seconds, self.calendar
            )
        if clock.next_response_started_at is not None and clock.next_response_seconds:
            specs[Clock.next_response] = spec(
                Clock.next_response,
                clock.next_response_started_at,
                clock.next_response_seconds,
                self.calendar,
            )
        specs[Clock.resolution] = spec(
            Clock.resolution, clock.resolution_started_at, clock.resolution_seconds, self.calendar
        )
        if clock.regulatory_started_at is not None and clock.regulatory_days is not None:
            # The regulator counts calendar days, never the desk's working hours.
            specs[Clock.regulatory] = ClockSpec(
                Clock.regulatory,
                clock.regulatory_started_at,
                (clock.regulatory_days + clock.extension_days) * DAY,
                None,
                paused_spans(spans, Clock.regulatory) if clock.regulatory_pauses else (),
            )
        return specs

    def paused_clocks(self) -> frozenset[str]:
        pause = self.open_pause
        return frozenset(pause.clocks) if pause else frozenset()


# --- intake --------------------------------------------------------------------------


def plan(
    session: Session, case: Complaint, fallback: DeadlinePolicy, now: dt.datetime
) -> ClockPlan:
    """Choose the policy and the jurisdiction rule of a new case and set its deadlines.

    Called before the case is inserted, so the deadlines go in with it; :func:`record`
    adds the clock record and the timeline entry once the case has its id.
    """
    policy = match_policy(ordered_policies(session), case.category, case.priority)
    rule = jurisdiction_rule(session, case.jurisdiction)
    calendar_row = (
        session.get(BusinessCalendar, policy.calendar_id) if policy and policy.calendar_id else None
    )
    clock = CaseClock(
        started_at=now, resolution_started_at=now, flags={}, paused_seconds=0, extension_days=0
    )
    _apply_policy(clock, policy, fallback)
    _apply_rule(clock, rule, fallback)
    clock.regulatory_started_at = now if case.kind is Kind.complaint else None
    clock.calendar_id = calendar_row.id if calendar_row else None
    calendar = parse_calendar(calendar_row)
    acknowledgement = now + (
        dt.timedelta(hours=rule.acknowledgement_hours) if rule else fallback.acknowledgement
    )
    if policy and policy.acknowledgement_minutes is not None:
        acknowledgement = min(
            acknowledgement, cal.add(calendar, now, policy.acknowledgement_minutes * 60)
        )
    case.acknowledgement_due_at = acknowledgement
    clocks = CaseClocks(case, clock, [], calendar)
    for name, spec in clocks.running().items():
        _set_due(case, name, spec.due())
    refresh_due(case)
    return ClockPlan(clock, policy, rule, calendar_row)


def record(session: Session, case: Complaint, planned: ClockPlan, now: dt.datetime) -> None:
    """Keep the clock record of a case just inserted, and say on its timeline what its
    deadlines follow."""
    clock = planned.clock
    clock.complaint_id = case.id
    session.add(clock)
    clocks = CaseClocks(case, clock, [], parse_calendar(planned.calendar))
    settle(clocks, now)
    session.add(
        event(
            case,
            "sla_applied",
            now,
            policy=clock.policy_key,
            calendar=planned.calendar.key if planned.calendar else None,
            jurisdiction=clock.jurisdiction,
            targets=_targets(clock),
            pause_clocks=list(clock.pause_clocks),
        )
    )


# --- changes of the case -------------------------------------------------------------


def on_status_change(
    session: Session, case: Complaint, previous: Status, to: Status, now: dt.datetime
) -> None:
    """Pause when the case starts waiting for its customer, resume when it stops; finish
    the clocks when the case is decided; restart resolution when it is reopened."""
    if previous is to:
        return
    clocks = load(session, case)
    if to is Status.awaiting_customer:
        _pause(session, clocks, now)
    elif previous is Status.awaiting_customer:
        _resume(session, clocks, now)
    if to in FINISHED_STATUSES and previous not in FINISHED_STATUSES:
        _finish(session, clocks, now)
    elif previous in FINISHED_STATUSES and to in OPEN_STATUSES:
        _reopen(session, clocks, now)
    settle(clocks, now)


def on_staff_reply(session: Session, case: Complaint, now: dt.datetime, *, first: bool) -> None:
    """A reply to the customer meets the first response (``first``) or the next one."""
    clocks = load(session, case)
    if first:
        _met(session, clocks, Clock.first_response, case.first_response_due_at, now)
    if case.next_response_due_at is not None:
        _met(session, clocks, Clock.next_response, case.next_response_due_at, now)
        case.next_response_due_at = None
        clocks.clock.next_response_started_at = None
    settle(clocks, now)


def on_customer_message(session: Session, case: Complaint, now: dt.datetime) -> None:
    """After the first response, a customer's message starts the next-response clock
    (unless one is running already: the earlier deadline stands)."""
    if case.status not in OPEN_STATUSES or case.first_responded_at is None:
        return
    clocks = load(session, case)
    clock = clocks.clock
    if not clock.next_response_seconds or case.next_response_due_at is not None:
        return
    clock.next_response_started_at = now
    clock.flags = {k: v for k, v in clock.flags.items() if k != Clock.next_response}
    due = clocks.running()[Clock.next_response].due()
    case.next_response_due_at = due
    session.add(
        event(
            case,
            "deadlines_changed",
            now,
            cause="customer_message",
            changes={Clock.next_response.value: {"from": None, "to": _iso(due)}},
        )
    )
    settle(clocks, now)


def on_converted(
    session: Session, case: Complaint, fallback: DeadlinePolicy, now: dt.datetime
) -> None:
    """A consultation became a formal complaint: the regulator's clock starts now, under
    the rule of the jurisdiction the customer gave."""
    clocks = load(session, case)
    clock = clocks.clock
    rule = jurisdiction_rule(session, case.jurisdiction)
    _apply_rule(clock, rule, fallback)
    clock.regulatory_started_at = now
    spec = clocks.running().get(Clock.regulatory)
    case.regulatory_due_at = spec.due() if spec else None
    settle(clocks, now)


def apply_policy(session: Session, case: Complaint, now: dt.datetime, *, cause: str) -> bool:
    """Re-derive the deadlines when the case's category or priority now matches another
    policy; True if it did. Met and breached clocks keep their deadlines."""
    clocks = load(session, case)
    clock = clocks.clock
    policy = match_policy(ordered_policies(session), case.category, case.priority)
    if (policy.id if policy else None) == clock.policy_id:
        return False
    previous = clock.policy_key
    _apply_policy(clock, policy, DeadlinePolicy())
    clock.calendar_id = policy.calendar_id if policy else None
    clocks.calendar = parse_calendar(
        session.get(BusinessCalendar, clock.calendar_id) if clock.calendar_id else None
    )
    changes = _recompute(clocks)
    session.add(
        event(
            case,
            "deadlines_changed",
            now,
            cause=cause,
            policy={"from": previous, "to": clock.policy_key},
            changes=changes,
        )
    )
    settle(clocks, now)
    return True


def extend(
    session: Session,
    actor: StaffActor,
    reference: str,
    *,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Extend the regulatory deadline once, as the case's jurisdiction allows (Curaçao: by
    four weeks, with notice). ``reason`` is the notice the customer receives."""
    require(actor, Action.extend_deadline)
    case = case_for_update(session, reference)
    if expected_version is not None and expected_version != case.version:
        raise VersionConflict(
            f"the case changed since you loaded it (version {expected_version}, now "
            f"{case.version}); reload it and try again"
        )
    now = now or utcnow()
    clocks = load(session, case)
    clock = clocks.clock
    rule = jurisdiction_rule(session, case.jurisdiction)
    if case.status not in OPEN_STATUSES:
        raise ExtensionRefused("only an open case's deadline can be extended")
    if case.regulatory_due_at is None or clock.regulatory_started_at is None:
        raise ExtensionRefused("this case has no regulatory deadline to extend")
    if clock.extension_days:
        raise ExtensionRefused("the regulatory deadline has been extended once already")
    if rule is None or rule.extension_days <= 0:
        where = rule.name if rule else "this jurisdiction"
        raise ExtensionRefused(f"the rules of {where} allow no extension")
    if case.regulatory_due_at <= now or clock.flags.get(Clock.regulatory) == BREACHED:
        raise ExtensionRefused("the regulatory deadline has passed; it can no longer be extended")
    previous = case.regulatory_due_at
    clock.extension_days = rule.extension_days
    clock.extended_at = now
    due = clocks.running()[Clock.regulatory].due()
    case.regulatory_due_at = due
    clock.flags = {k: v for k, v in clock.flags.items() if k != Clock.regulatory}
    session.add(
        event(
            case,
            "deadline_extended",
            now,
            public=True,
            actor=actor,
            clock=Clock.regulatory.value,
            days=rule.extension_days,
            jurisdiction=rule.code,
            reason=reason,
            regulatory_due=_iso(due),
            **moved(_iso(previous), _iso(due)),
        )
    )
    case.updated_at = now
    settle(clocks, now)
    refresh_due(case)
    session.flush()
    return case


# --- the record ----------------------------------------------------------------------


def load(session: Session, case: Complaint) -> CaseClocks:
    """The case's clock record, pauses and calendar; a case filed before the desk kept
    clocks gets a record from today's configuration, its clocks started when it was."""
    # Sessions do not autoflush: a record added in this unit of work is still pending.
    clock = session.get(CaseClock, case.id) or next(
        (o for o in session.new if isinstance(o, CaseClock) and o.complaint_id == case.id), None
    )
    if clock is None:
        planned = plan(session, case, DeadlinePolicy(), case.created_at)
        record(session, case, planned, case.created_at)
        clock = planned.clock
    return load_for(session, case, clock)


def load_for(
    session: Session,
    case: Complaint,
    clock: CaseClock,
    pauses: Sequence[ClockPause] | None = None,
) -> CaseClocks:
    """The pauses and calendar of a clock record already at hand (``pauses`` too, when a
    caller loaded them for many cases at once)."""
    if pauses is None:
        pauses = session.scalars(
            select(ClockPause).where(ClockPause.complaint_id == case.id).order_by(ClockPause.id)
        ).all()
    pauses = list(pauses)
    pauses += [o for o in session.new if isinstance(o, ClockPause) and o.complaint_id == case.id]
    calendar = parse_calendar(
        session.get(BusinessCalendar, clock.calendar_id) if clock.calendar_id else None
    )
    return CaseClocks(case, clock, pauses, calendar)


def settle(clocks: CaseClocks, now: dt.datetime) -> None:
    """Bring the case's SLA state and the sweep's next look in line with its clocks."""
    case, clock = clocks.case, clocks.clock
    running = clocks.running()
    paused = clocks.paused_clocks()
    flags = {k: v for k, v in clock.flags.items() if v == BREACHED or k in running}
    if flags != clock.flags:
        clock.flags = flags
    moments = []
    for name, spec in running.items():
        if name in paused or flags.get(name) == BREACHED:
            continue
        moments.append(
            spec.due() if flags.get(name) == AT_RISK else spec.at_risk_at(clock.at_risk_percent)
        )
    clock.next_check_at = min(moments) if moments else None
    state = (
        SlaState.breached
        if BREACHED in flags.values()
        else SlaState.at_risk
        if AT_RISK in flags.values()
        else SlaState.ok
    )
    if case.sla_state != state.value:
        _flag(case, state.value)


def _flag(case: Complaint, sla_state: str) -> None:
    """Set the case's SLA flag without moving its version.

    The flag is the clocks' note on the case, not a change of it: an agent whose form was
    loaded before the sweep marked the case at risk may still act on it. The write is
    guarded by the version the case was read at, so a case changed in the meantime fails
    the sweep's transaction as an ordinary versioned update would. A case that is new, or
    whose own columns change anyway, takes the flag with that change.
    """
    state = inspect(case)
    session = state.session
    if (
        session is None
        or not state.persistent
        or session.is_modified(case, include_collections=False)
    ):
        case.sla_state = sla_state
        return
    written = session.execute(
        update(Complaint)
        .where(Complaint.id == case.id, Complaint.version == case.version)
        .values(sla_state=sla_state)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], written).rowcount != 1:
        raise StaleDataError(f"case {case.reference} changed while its clocks were flagged")
    set_committed_value(case, "sla_state", sla_state)


def refresh_due(case: Complaint) -> None:
    """Set ``due_at`` to the nearest deadline still to be met (None once finished)."""
    if case.status in FINISHED_STATUSES:
        case.due_at = None
        return
    candidates = [case.resolution_due_at, case.regulatory_due_at, case.next_response_due_at]
    if case.first_responded_at is None:
        candidates.append(case.first_response_due_at)
    pending = [d for d in candidates if d is not None]
    case.due_at = min(pending) if pending else None


def case_for_update(session: Session, reference: str) -> Complaint:
    canonical = normalise_reference(reference)
    case = (
        session.scalar(select(Complaint).where(Complaint.reference == canonical))
        if canonical
        else None
    )
    if case is None:
        raise NotFound(f"no case {reference}")
    return case


def event(
    case: Complaint,
    type_: str,
    now: dt.datetime,
    *,
    public: bool = False,
    actor: StaffActor | None = None,
    **data: Any,
) -> ComplaintEvent:
    """A timeline entry written by the clocks (the system), or by ``actor``."""
    return ComplaintEvent(
        complaint_id=case.id,
        type=type_,
        actor=Actor.staff if actor else Actor.system,
        user_id=actor.id if actor else None,
        public=public,
        data=data,
        at=now,
    )


# --- internals -----------------------------------------------------------------------


def _pause(session: Session, clocks: CaseClocks, now: dt.datetime) -> None:
    if clocks.open_pause is not None:
        return
    clock = clocks.clock
    running = clocks.running()
    stopped = [
        name
        for name in clock.pause_clocks
        if name in running
        and clock.flags.get(name) != BREACHED
        and running[name].due() > now
        and (name != Clock.regulatory or clock.regulatory_pauses)
    ]
    if not stopped:
        return
    pause = ClockPause(complaint_id=clocks.case.id, started_at=now, clocks=stopped)
    session.add(pause)
    clocks.pauses.append(pause)
    clock.paused_since = now
    session.add(event(clocks.case, "clock_paused", now, public=True, clocks=stopped))


def _resume(session: Session, clocks: CaseClocks, now: dt.datetime) -> None:
    pause = clocks.open_pause
    if pause is None:
        return
    pause.ended_at = now
    seconds = int((now - pause.started_at).total_seconds())
    clock = clocks.clock
    clock.paused_seconds += seconds
    clock.paused_since = None
    changes = _recompute(clocks)
    session.add(
        event(
            clocks.case,
            "clock_resumed",
            now,
            public=True,
            clocks=list(pause.clocks),
            paused_seconds=seconds,
            deadlines={name: change["to"] for name, change in changes.items()},
        )
    )


def _finish(session: Session, clocks: CaseClocks, now: dt.datetime) -> None:
    case = clocks.case
    _met(session, clocks, Clock.resolution, case.resolution_due_at, now)
    if case.first_responded_at is not None and case.first_responded_at >= now:
        _met(session, clocks, Clock.first_response, case.first_response_due_at, now)
    if case.next_response_due_at is not None:
        _met(session, clocks, Clock.next_response, case.next_response_due_at, now)
        case.next_response_due_at = None
        clocks.clock.next_response_started_at = None


def _reopen(session: Session, clocks: CaseClocks, now: dt.datetime) -> None:
    """A reopened case gets a new resolution clock; the regulator's keeps running, with
    every pause it had counted."""
    clock = clocks.clock
    clock.resolution_started_at = now
    clock.flags = {k: v for k, v in clock.flags.items() if k != Clock.resolution}
    changes = _recompute(clocks)
    session.add(event(clocks.case, "deadlines_changed", now, cause="reopened", changes=changes))


def _met(
    session: Session, clocks: CaseClocks, name: str, due: dt.datetime | None, now: dt.datetime
) -> None:
    """A clock met at ``now``: late means breached (recorded once), else its warning ends."""
    flags = dict(clocks.clock.flags)
    if due is not None and now > due and flags.get(name) != BREACHED:
        flags[name] = BREACHED
        session.add(
            event(clocks.case, "sla_breached", now, clock=name, due=_iso(due), met_at=_iso(now))
        )
    elif flags.get(name) == AT_RISK:
        del flags[name]
    clocks.clock.flags = flags


def _recompute(clocks: CaseClocks) -> dict[str, dict[str, str | None]]:
    """Set every running clock's deadline from its inputs; the changes, clock by clock."""
    changes: dict[str, dict[str, str | None]] = {}
    for name, spec in clocks.running().items():
        if clocks.clock.flags.get(name) == BREACHED:
            continue
        before = _get_due(clocks.case, name)
        after = spec.due()
        if before != after:
            _set_due(clocks.case, name, after)
            changes[name] = {"from": _iso(before), "to": _iso(after)}
    refresh_due(clocks.case)
    return changes


def _apply_policy(clock: CaseClock, policy: SlaPolicy | None, fallback: DeadlinePolicy) -> None:
    if policy is None:
        clock.policy_id = None
        clock.policy_key = None
        clock.first_response_seconds = int(fallback.first_response.total_seconds())
        clock.next_response_seconds = int(fallback.first_response.total_seconds())
        clock.resolution_seconds = int(fallback.resolution.total_seconds())
        clock.pause_clocks = list(DEFAULT_PAUSE_CLOCKS)
        clock.at_risk_percent = 80
        return
    clock.policy_id = policy.id
    clock.policy_key = policy.key
    clock.first_response_seconds = policy.first_response_minutes * 60
    clock.next_response_seconds = (
        policy.next_response_minutes * 60 if policy.next_response_minutes else None
    )
    clock.resolution_seconds = policy.resolution_minutes * 60
    clock.pause_clocks = list(policy.pause_clocks)
    clock.at_risk_percent = policy.at_risk_percent


def _apply_rule(clock: CaseClock, rule: JurisdictionRule | None, fallback: DeadlinePolicy) -> None:
    clock.jurisdiction = rule.code if rule else None
    clock.regulatory_days = (
        rule.regulatory_days if rule else round(fallback.regulatory / dt.timedelta(days=1))
    )
    clock.regulatory_pauses = rule.allow_pause if rule else True


def parse_calendar(row: BusinessCalendar | None) -> WorkingCalendar | None:
    if row is None:
        return None
    try:
        return WorkingCalendar.parse(row.timezone, row.hours, row.holidays)
    except CalendarInvalid:
        # Calendars are validated when saved; one the zone database no longer knows is
        # counted around the clock rather than stopping every case that uses it.
        return None


_COLUMNS = {
    Clock.first_response: "first_response_due_at",
    Clock.next_response: "next_response_due_at",
    Clock.resolution: "resolution_due_at",
    Clock.regulatory: "regulatory_due_at",
}


def _get_due(case: Complaint, name: str) -> dt.datetime | None:
    value: dt.datetime | None = getattr(case, _COLUMNS[Clock(name)])
    return value


def _set_due(case: Complaint, name: str, value: dt.datetime | None) -> None:
    setattr(case, _COLUMNS[Clock(name)], value)


def _targets(clock: CaseClock) -> dict[str, Any]:
    return {
        "first_response_seconds": clock.first_response_seconds,
        "next_response_seconds": clock.next_response_seconds,
        "resolution_seconds": clock.resolution_seconds,
        "regulatory_days": clock.regulatory_days,
    }


def moved(before: Any, after: Any) -> dict[str, Any]:
    """``{"from": before, "to": after}``: how the timeline records a change."""
    return {"from": before, "to": after}


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None
