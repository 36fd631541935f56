"""The console's queues: which a role sees, what each holds, how many cases are in each.

A queue is a fixed filter over the open cases (mine, my team's, unassigned, at risk,
breached, awaiting the customer, all), narrowed by whatever the agent filters or searches
for, sorted by the nearest deadline and cut into pages by a cursor
(``complaints.queries.list_cases``, one query a page). The approvals queue lists the
decisions waiting for a second person.

Counts cost one grouped query over the open cases, read from an index that holds every
column it groups by (``ix_complaints_open_counts``). It reads at most ``COUNT_CAP`` open
cases: beyond that the counts are shown as "at least" (the desk stays quick with a
backlog of any size, and nobody needs to know whether it is 100,001 or 100,002).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from complaintdesk.complaints import queries
from complaintdesk.complaints.models import Complaint, Status, status_in
from complaintdesk.complaints.states import OPEN_STATUSES
from complaintdesk.decisions import services as decisions
from complaintdesk.routing import admin as routing_admin
from complaintdesk.routing.models import RoutingRule, Team, TeamMember
from complaintdesk.sla import admin as sla_admin
from complaintdesk.sla.models import SlaPolicy
from complaintdesk.staff.models import Role
from complaintdesk.staff.permissions import Action, StaffActor, require

COUNT_CAP = 100_000
PAGE_SIZE = 25


class Queue(StrEnum):
    mine = "mine"
    team = "team"
    unassigned = "unassigned"
    at_risk = "at_risk"
    breached = "breached"
    awaiting = "awaiting"
    all = "all"
    approvals = "approvals"


CASE_QUEUES = (
    Queue.mine,
    Queue.team,
    Queue.unassigned,
    Queue.at_risk,
    Queue.breached,
    Queue.awaiting,
    Queue.all,
)

# Where each role starts its day.
HOME: dict[Role, Queue] = {
    Role.agent: Queue.mine,
    Role.lead: Queue.team,
    Role.compliance: Queue.approvals,
    Role.admin: Queue.all,
}


def queues_for(actor: StaffActor) -> list[Queue]:
    """The queues ``actor`` sees: every case queue, and approvals for those who approve."""
    return [*CASE_QUEUES, *([Queue.approvals] if actor.can(Action.approve) else [])]


def home(actor: StaffActor) -> Queue:
    queue = HOME[actor.role]
    return queue if queue in queues_for(actor) else Queue.mine


def my_teams(session: Session, actor: StaffActor) -> list[str]:
    """The keys of the teams ``actor`` is a member or the lead of (one query)."""
    member = select(Team.key).join(TeamMember, TeamMember.team_id == Team.id)
    member = member.where(TeamMember.user_id == actor.id)
    led = select(Team.key).where(Team.lead_id == actor.id)
    return sorted(set(session.scalars(member.union(led))))


@dataclass(frozen=True, slots=True)
class Counts:
    cases: dict[Queue, int]
    capped: bool  # more open cases than COUNT_CAP: the numbers are lower bounds

    def __getitem__(self, queue: Queue) -> int:
        return self.cases.get(queue, 0)


def counts(
    session: Session, actor: StaffActor, teams: Sequence[str], *, cap: int = COUNT_CAP
) -> Counts:
    """How many open cases each queue holds: one grouped query (and one small count of
    the decisions waiting, for those who approve)."""
    require(actor, Action.view)
    sample = (
        select(Complaint.status, Complaint.sla_state, Complaint.assignee_id, Complaint.team)
        .where(status_in(OPEN_STATUSES))
        .limit(cap + 1)
        .subquery()
    )
    mine = case((sample.c.assignee_id == actor.id, 1), else_=0)
    nobody = case((sample.c.assignee_id.is_(None), 1), else_=0)
    ours = case((sample.c.team.in_(list(teams)), 1), else_=0) if teams else literal(0)
    rows = session.execute(
        select(
            sample.c.status,
            sample.c.sla_state,
            mine.label("mine"),
            nobody.label("nobody"),
            ours.label("ours"),
            func.count(),
        ).group_by(sample.c.status, sample.c.sla_state, mine, nobody, ours)
    ).all()
    tally = dict.fromkeys(CASE_QUEUES, 0)
    for status, sla_state, is_mine, is_nobody, is_ours, n in rows:
        tally[Queue.all] += n
        tally[Queue.mine] += n if is_mine else 0
        tally[Queue.unassigned] += n if is_nobody else 0
        tally[Queue.team] += n if is_ours else 0
        tally[Queue.awaiting] += n if Status(status) is Status.awaiting_customer else 0
        tally[Queue.at_risk] += n if sla_state == "at_risk" else 0
        tally[Queue.breached] += n if sla_state == "breached" else 0
    capped = tally[Queue.all] > cap
    if capped:
        tally = {q: min(n, cap) for q, n in tally.items()}
    if actor.can(Action.approve):
        tally[Queue.approvals] = decisions.count_waiting(session)
    return Counts(tally, capped)


def queue_filter(
    queue: Queue, actor: StaffActor, teams: Sequence[str], refine: queries.CaseFilter
) -> queries.CaseFilter | None:
    """The filter of ``queue`` narrowed by ``refine``; None when nothing can match (a
    status filter outside the queue's statuses, "my team's" for someone in no team).

    "All" holds the open cases, but a status filter or a search there reaches the
    finished ones too: that is where an old case is looked up.
    """
    statuses: Sequence[Status] = sorted(OPEN_STATUSES)
    changes: dict[str, object] = {}
    if queue is Queue.all and (refine.statuses or refine.q):
        statuses = refine.statuses
    elif queue is Queue.awaiting:
        statuses = [Status.awaiting_customer]
    if refine.statuses and queue is not Queue.all:
        statuses = [s for s in statuses if s in refine.statuses]
        if not statuses:
            return None
    match queue:
        case Queue.mine:
            changes["assignee_id"] = actor.id
        case Queue.team:
            if not teams:
                return None
            changes["teams"] = list(teams)
        case Queue.unassigned:
            changes["assignee"] = "none"
        case Queue.at_risk | Queue.breached:
            if refine.sla and refine.sla != queue.value:
                return None
            changes["sla"] = queue.value
    return dataclasses.replace(refine, statuses=list(statuses), **changes)  # type: ignore[arg-type]


def page(
    session: Session,
    actor: StaffActor,
    queue: Queue,
    teams: Sequence[str],
    refine: queries.CaseFilter,
    *,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> queries.Page:
    """One page of a case queue, nearest deadline first (one query)."""
    require(actor, Action.view)
    wanted = queue_filter(queue, actor, teams, refine)
    if wanted is None:
        return queries.Page(items=[], next_cursor=None)
    return queries.list_cases(session, actor, wanted, sort="due", limit=limit, cursor=cursor)


# --- administration ----------------------------------------------------------------------
# Every staff member may read the routing through the API (it explains where cases go);
# the console's administration pages are for those who change it.


def administered_teams(session: Session, actor: StaffActor) -> list[routing_admin.TeamView]:
    require(actor, Action.manage_routing)
    return routing_admin.list_teams(session, actor)


def administered_rules(session: Session, actor: StaffActor) -> Sequence[RoutingRule]:
    require(actor, Action.manage_routing)
    return routing_admin.list_rules(session, actor)


def administered_policies(session: Session, actor: StaffActor) -> Sequence[SlaPolicy]:
    require(actor, Action.manage_routing)
    return sla_admin.list_policies(session, actor)
