"""How a case's clocks are shown: to staff (everything, with the explanation) and to the
customer (only that and how long the clocks were paused, in their words).

Each builder costs a fixed number of queries, whatever the case's history.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.states import FINISHED_STATUSES, OPEN_STATUSES
from complaintdesk.db import utcnow
from complaintdesk.sla import wording
from complaintdesk.sla.models import BusinessCalendar, CaseClock, Clock, ClockPause, SlaState
from complaintdesk.sla.queries import jurisdiction_rule
from complaintdesk.sla.schemas import ClockOut, PauseOut, PublicClockOut, SlaOut
from complaintdesk.sla.services import AT_RISK, BREACHED, CaseClocks, parse_calendar


def case_sla(
    session: Session,
    case: Complaint,
    now: dt.datetime | None = None,
    *,
    pauses: list[ClockPause] | None = None,
) -> SlaOut | None:
    """The SLA block of the staff case view (None for a case the clocks never saw).

    ``pauses`` are the case's clock pauses when the caller already knows them (an empty
    list when it knows there are none); otherwise they are read here.
    """
    clock = session.get(CaseClock, case.id)
    if clock is None:
        return None
    now = now or utcnow()
    if pauses is None:
        pauses = list(
            session.scalars(
                select(ClockPause).where(ClockPause.complaint_id == case.id).order_by(ClockPause.id)
            )
        )
    calendar_row = session.get(BusinessCalendar, clock.calendar_id) if clock.calendar_id else None
    rule = jurisdiction_rule(session, clock.jurisdiction) if clock.jurisdiction else None
    clocks = CaseClocks(case, clock, pauses, parse_calendar(calendar_row))
    running = clocks.running()
    paused = clocks.paused_clocks()
    flags = dict(clock.flags)
    # The sweep runs every few minutes; the case view says what is true now.
    for name, spec in running.items():
        if name in paused or flags.get(name) == BREACHED:
            continue
        if spec.due() <= now:
            flags[name] = BREACHED
        elif flags.get(name) is None and spec.used(now) * 100 >= clock.at_risk_percent:
            flags[name] = AT_RISK
    out: dict[str, ClockOut] = {}
    for name, due, met in (
        (Clock.first_response, case.first_response_due_at, case.first_responded_at),
        (Clock.next_response, case.next_response_due_at, None),
        (Clock.resolution, case.resolution_due_at, case.resolved_at),
        (Clock.regulatory, case.regulatory_due_at, case.resolved_at),
    ):
        if due is None and name not in running:
            continue
        met_at = None if name in running else met
        state = flags.get(name)
        if state is None:
            state = "paused" if name in paused else ("met" if name not in running else "ok")
        out[name.value] = ClockOut(due_at=due, state=state, met_at=met_at)
    total = clock.paused_seconds + (
        int((now - clock.paused_since).total_seconds()) if clock.paused_since else 0
    )
    facts = wording.StaffFacts(
        policy=clock.policy_key,
        calendar=f"{calendar_row.key} ({calendar_row.timezone})" if calendar_row else None,
        first_response_seconds=clock.first_response_seconds,
        next_response_seconds=clock.next_response_seconds,
        resolution_seconds=clock.resolution_seconds,
        jurisdiction=clock.jurisdiction,
        regulator=rule.regulator if rule and rule.regulator else None,
        regulatory_days=clock.regulatory_days if clock.regulatory_started_at else None,
        extension_days=clock.extension_days,
        extended_at=clock.extended_at,
        pause_clocks=list(clock.pause_clocks),
        pauses=len([p for p in pauses if p.ended_at is not None]),
        paused_seconds=clock.paused_seconds,
        paused_since=clock.paused_since,
        at_risk=[n for n, v in flags.items() if v == AT_RISK],
        breached=[n for n, v in flags.items() if v == BREACHED],
    )
    state = (
        SlaState.breached
        if BREACHED in flags.values()
        else SlaState.at_risk
        if AT_RISK in flags.values()
        else SlaState.ok
    )
    return SlaOut(
        state=state.value,
        policy=clock.policy_key,
        calendar=calendar_row.key if calendar_row else None,
        jurisdiction=clock.jurisdiction,
        paused=clock.paused_since is not None,
        paused_seconds=total,
        pauses=[
            PauseOut(
                started_at=p.started_at,
                ended_at=p.ended_at,
                seconds=int(((p.ended_at or now) - p.started_at).total_seconds()),
                clocks=list(p.clocks),
            )
            for p in pauses
        ],
        clocks=out,
        extension_days=clock.extension_days,
        extended_at=clock.extended_at,
        can_extend=bool(
            rule
            and rule.extension_days > 0
            and not clock.extension_days
            and case.status in OPEN_STATUSES
            and case.regulatory_due_at is not None
            and case.regulatory_due_at > now
            and flags.get(Clock.regulatory) != BREACHED
        ),
        explanation={lang: wording.staff_explanation(facts, lang) for lang in wording.LANGUAGES},
    )


# Asked for every time a customer looks at their case: built once per process.
_CLOCK = select(CaseClock).where(CaseClock.complaint_id == bindparam("complaint_id"))


def public_clock(
    session: Session, case: Complaint, now: dt.datetime | None = None
) -> PublicClockOut | None:
    """The customer's view of the clocks: paused or not, for how long, extended or not."""
    clock = session.scalar(_CLOCK, {"complaint_id": case.id})
    if clock is None:
        return None
    now = now or utcnow()
    open_seconds = (
        (now - clock.paused_since).total_seconds()
        if clock.paused_since and case.status not in FINISHED_STATUSES
        else None
    )
    facts = wording.PauseFacts(
        closed_seconds=clock.paused_seconds,
        open_seconds=open_seconds,
        extension_days=clock.extension_days,
    )
    texts = {lang: wording.public_explanation(facts, lang) for lang in wording.LANGUAGES}
    return PublicClockOut(
        paused=open_seconds is not None,
        paused_seconds=clock.paused_seconds + int(open_seconds or 0),
        extension_days=clock.extension_days,
        explanation={k: v for k, v in texts.items() if v} or None,
    )
