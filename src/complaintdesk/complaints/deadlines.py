"""The clocks of a case, as the complaint services see them.

The complaint services call these hooks at the moments that matter to a deadline: a case
is filed (route it and start its clocks), its status changes (pause, resume, finish,
reopen), staff reply (first and next response met), the customer writes (the next
response is due), a consultation becomes a complaint (the regulator's clock starts).
The rules themselves live in :mod:`complaintdesk.routing` and :mod:`complaintdesk.sla`:
policies by category and priority, business calendars, jurisdiction rules, pauses.

``Complaint.due_at`` stays "the nearest deadline still open", what the queue sorts by.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from complaintdesk.complaints.models import Category, Complaint, Status
from complaintdesk.routing import services as routing
from complaintdesk.sla import defaults
from complaintdesk.sla import services as sla
from complaintdesk.sla.defaults import DeadlinePolicy
from complaintdesk.sla.services import refresh_due

__all__ = ["DeadlinePolicy", "Intake", "deadlines_of", "refresh_due", "start_clocks"]


@dataclass(frozen=True, slots=True)
class Intake:
    """What :func:`start_clocks` decided for a new case, to record once it has an id."""

    route: routing.Route
    plan: sla.ClockPlan
    now: dt.datetime

    def record(self, session: Session, case: Complaint) -> None:
        routing.record_route(session, case, self.route, self.now)
        sla.record(session, case, self.plan, self.now)


def start_clocks(
    session: Session, case: Complaint, policy: DeadlinePolicy, now: dt.datetime
) -> Intake:
    """Route a new case (before it is inserted) and set its deadlines by the policy of its
    category and priority and the rule of its jurisdiction; ``policy`` holds the numbers
    used where the desk's configuration says nothing. A desk filing its first case gets
    its starting configuration here (see :mod:`complaintdesk.sla.defaults`)."""
    route = routing.route_new_case(session, case)
    if route.team is None and defaults.install(session, policy):
        route = routing.route_new_case(session, case)
    plan = sla.plan(session, case, policy, now)
    return Intake(route, plan, now)


def status_changed(
    session: Session, case: Complaint, previous: Status, to: Status, now: dt.datetime
) -> None:
    sla.on_status_change(session, case, previous, to, now)


def staff_replied(session: Session, case: Complaint, now: dt.datetime, *, first: bool) -> None:
    sla.on_staff_reply(session, case, now, first=first)


def customer_wrote(session: Session, case: Complaint, now: dt.datetime) -> None:
    sla.on_customer_message(session, case, now)


def converted(
    session: Session,
    case: Complaint,
    policy: DeadlinePolicy,
    now: dt.datetime,
    *,
    previous_category: Category,
) -> None:
    """The regulator's clock starts; a new category routes the case again."""
    if case.category is not previous_category:
        routing.reroute(session, case, now, cause="category_changed")
        sla.apply_policy(session, case, now, cause="converted")
    sla.on_converted(session, case, policy, now)


def deadlines_of(case: Complaint | Row[Any]) -> dict[str, dt.datetime | None]:
    return {
        "acknowledgement": case.acknowledgement_due_at,
        "first_response": case.first_response_due_at,
        "resolution": case.resolution_due_at,
        "regulatory": case.regulatory_due_at,
    }
