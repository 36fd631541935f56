"""The breach sweep: marks clocks at risk and breached, and escalates breaches.

A case is looked at only when its ``next_check_at`` has come (an indexed column kept by
every change of its clocks), so a sweep reads the cases due a look, not every open case.
What the sweep does to a clock it records in the clock's flags in the same transaction,
so running it again changes nothing more: it is idempotent, and two workers running it
at once skip each other's rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL).

At risk (the policy's share of the time used, 80 % by default): an ``sla_at_risk`` event
naming the team lead to notify. Breached: an ``sla_breached`` event, then the policy's
escalation — raise the priority, reassign to the team lead or to another team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaintdesk.complaints.models import Complaint, ComplaintEvent
from complaintdesk.complaints.states import OPEN_STATUSES
from complaintdesk.routing import services as routing
from complaintdesk.routing.models import Team
from complaintdesk.sla import services as clocks
from complaintdesk.sla.models import CaseClock, ClockPause, Reassign, SlaPolicy
from complaintdesk.sla.services import AT_RISK, BREACHED, CaseClocks
from complaintdesk.staff.models import User

BATCH = 500


@dataclass
class SweepReport:
    """What one sweep found: the references newly at risk, newly breached, escalated."""

    now: dt.datetime
    checked: int = 0
    at_risk: list[str] = field(default_factory=list)
    breached: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "checked": self.checked,
            "at_risk": self.at_risk,
            "breached": self.breached,
            "escalated": self.escalated,
        }

    def summary(self) -> str:
        return (
            f"checked {self.checked} case(s): {len(self.at_risk)} newly at risk, "
            f"{len(self.breached)} newly breached, {len(self.escalated)} escalated"
        )


def sweep(session: Session, *, now: dt.datetime, batch: int = BATCH) -> SweepReport:
    """Look at every case whose clocks are due a look by ``now``; flush, never commit."""
    run = _Sweep(session, now, SweepReport(now=now))
    seen: set[int] = set()
    while True:
        stmt = (
            select(CaseClock, Complaint)
            .join(Complaint, Complaint.id == CaseClock.complaint_id)
            .where(CaseClock.next_check_at <= now)
            .order_by(CaseClock.next_check_at, CaseClock.complaint_id)
            .limit(batch)
        )
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True, of=CaseClock)
        rows = [(c, case) for c, case in session.execute(stmt).all() if c.complaint_id not in seen]
        if not rows:
            break
        pauses: dict[int, list[ClockPause]] = {}
        for pause in session.scalars(
            select(ClockPause)
            .where(ClockPause.complaint_id.in_([c.complaint_id for c, _ in rows]))
            .order_by(ClockPause.id)
        ):
            pauses.setdefault(pause.complaint_id, []).append(pause)
        for clock, case in rows:
            seen.add(clock.complaint_id)
            run.report.checked += 1
            run.check(case, clock, pauses.get(clock.complaint_id, []))
        session.flush()
        if len(rows) < batch:
            break
    return run.report


@dataclass
class _Sweep:
    session: Session
    now: dt.datetime
    report: SweepReport
    # Team key → its lead: a sweep names the same few leads many times.
    leads: dict[str | None, User | None] = field(default_factory=dict)

    def check(self, case: Complaint, clock: CaseClock, pauses: list[ClockPause]) -> None:
        """Flag this case's clocks as ``now`` finds them and escalate new breaches."""
        state = clocks.load_for(self.session, case, clock, pauses)
        if case.status in OPEN_STATUSES:
            # An escalation may raise the priority and so bring other deadlines nearer:
            # look again until it changes nothing (a handful of rounds at most).
            for _ in range(5):
                if not self.flag(state):
                    break
                state = clocks.load_for(self.session, case, clock, state.pauses)
        clocks.settle(state, self.now)

    def flag(self, state: CaseClocks) -> bool:
        """Flag the clocks due a flag; True if an escalation changed the case's priority or
        hands, so that its clocks need another look."""
        session, now, report = self.session, self.now, self.report
        case, clock = state.case, state.clock
        paused = state.paused_clocks()
        changed = False
        for name, spec in state.running().items():
            flag = clock.flags.get(name)
            if name in paused or flag == BREACHED:
                continue
            due = spec.due()
            if due <= now:
                clock.flags = {**clock.flags, name: BREACHED}
                _remember(report.breached, case.reference)
                session.add(self.notice("sla_breached", state, name, due))
                if _escalate(session, state, name, now, self.lead(case.team)):
                    _remember(report.escalated, case.reference)
                    changed = True
            elif flag is None and now >= spec.at_risk_at(clock.at_risk_percent):
                clock.flags = {**clock.flags, name: AT_RISK}
                _remember(report.at_risk, case.reference)
                session.add(
                    self.notice(
                        "sla_at_risk", state, name, due, used_percent=round(spec.used(now) * 100)
                    )
                )
        return changed

    def notice(
        self, type_: str, state: CaseClocks, name: str, due: dt.datetime, **extra: Any
    ) -> ComplaintEvent:
        """The timeline entry of a clock at risk or breached, naming whom to notify."""
        case = state.case
        lead = self.lead(case.team) if _notifies(self.session, state.clock) else None
        return clocks.event(
            case,
            type_,
            self.now,
            clock=name,
            due=due.isoformat(),
            team=case.team,
            notify=[lead.username] if lead else [],
            lead_email=lead.email if lead else None,
            **extra,
        )

    def lead(self, team_key: str | None) -> User | None:
        if team_key not in self.leads:
            self.leads[team_key] = _lead(self.session, team_key)
        return self.leads[team_key]


def _escalate(
    session: Session, state: CaseClocks, clock_name: str, now: dt.datetime, lead: User | None
) -> bool:
    """Apply the policy's escalation to a breach; True if the case changed hands or rank."""
    case, clock = state.case, state.clock
    policy = session.get(SlaPolicy, clock.policy_id) if clock.policy_id else None
    if policy is None:
        return False
    changed = False
    reason = f"the {clock_name.replace('_', ' ')} deadline was missed"
    if policy.escalate_priority is not None:
        changed |= routing.raise_priority(
            session, case, to=policy.escalate_priority, reason=reason, now=now
        )
    if policy.reassign is Reassign.lead:
        if lead is not None and lead.active and case.assignee_id != lead.id:
            _reassign(session, case, now, reason, assignee=lead)
            changed = True
    elif policy.reassign is Reassign.team and policy.reassign_team_id is not None:
        team = session.get(Team, policy.reassign_team_id)
        if team is not None and team.key != case.team:
            chosen = routing.pick_assignee(session, team)
            _reassign(session, case, now, reason, assignee=chosen, team=team)
            changed = True
    return changed


def _reassign(
    session: Session,
    case: Complaint,
    now: dt.datetime,
    reason: str,
    *,
    assignee: User | routing.Assignee | None,
    team: Team | None = None,
) -> None:
    data: dict[str, Any] = {"cause": "sla_breached", "reason": reason}
    if team is not None:
        data["team"] = team.key
        case.team = team.key
    case.assignee_id = assignee.id if assignee else None
    data["assignee"] = assignee.username if assignee else None
    case.updated_at = now
    session.add(clocks.event(case, "assigned", now, **data))


def _lead(session: Session, team_key: str | None) -> User | None:
    if not team_key:
        return None
    team = session.scalar(select(Team).where(Team.key == team_key))
    if team is None or team.lead_id is None:
        return None
    return session.get(User, team.lead_id)


def _notifies(session: Session, clock: CaseClock) -> bool:
    policy = session.get(SlaPolicy, clock.policy_id) if clock.policy_id else None
    return policy.notify_lead if policy else True


def _remember(references: list[str], reference: str) -> None:
    if reference not in references:
        references.append(reference)
