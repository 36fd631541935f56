"""What the staff case view shows beside the case itself: its timeline, its checks, its
clocks and its decisions, for the API's case view and the console's case page alike.

The timeline's events and messages are read as rows with the name of the staff member
behind each: the view only shows them, and loading them as objects of the session (with
their users) cost more CPU than the rest of the view.

Most cases have no checks, clock pauses or decision proposals, and a query that finds
nothing costs what one that finds something does. One query reads the case's clock, its
calendar and the jurisdiction rule its clock follows, and says which of those lists the
case has; only those are then asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, bindparam, exists, select
from sqlalchemy.orm import Session

from complaintdesk.checks.models import Check
from complaintdesk.checks.services import for_case
from complaintdesk.complaints.models import Complaint, ComplaintEvent, Message
from complaintdesk.decisions import services as decisions
from complaintdesk.decisions.models import ResolutionProposal
from complaintdesk.sla.models import BusinessCalendar, CaseClock, ClockPause, JurisdictionRule
from complaintdesk.sla.queries import found_rule
from complaintdesk.sla.representations import case_sla
from complaintdesk.sla.schemas import SlaOut
from complaintdesk.staff.models import User


@dataclass(frozen=True, slots=True)
class Timeline:
    """A case's events (``id, at, type, actor, public, data``) and messages (``id, author,
    internal, body, created_at``) in the order they were recorded, each with the
    ``username`` and ``display_name`` of the staff member behind it (None for the customer
    and the desk itself)."""

    events: Sequence[Row[Any]]
    messages: Sequence[Row[Any]]


def _with_author(
    model: type[ComplaintEvent] | type[Message], *columns: Any
) -> Select[*tuple[Any, ...]]:
    """The case's rows of ``model``, in the order recorded, with who is behind each."""
    return (
        select(*columns, User.username, User.display_name)
        .outerjoin(User, User.id == model.user_id)
        .where(model.complaint_id == bindparam("case_id"))
        .order_by(model.id)
    )


# Built once per process: only the case's id is bound each time.
_EVENTS = _with_author(
    ComplaintEvent,
    ComplaintEvent.id,
    ComplaintEvent.at,
    ComplaintEvent.type,
    ComplaintEvent.actor,
    ComplaintEvent.public,
    ComplaintEvent.data,
)
_MESSAGES = _with_author(
    Message, Message.id, Message.author, Message.internal, Message.body, Message.created_at
)


def timeline(session: Session, case_id: int) -> Timeline:
    """The case's events and messages: two queries, whatever their number."""
    connection = session.connection()
    return Timeline(
        events=connection.execute(_EVENTS, {"case_id": case_id}).all(),
        messages=connection.execute(_MESSAGES, {"case_id": case_id}).all(),
    )


@dataclass(frozen=True, slots=True)
class Beside:
    checks: list[Check]
    sla: SlaOut | None
    proposals: list[ResolutionProposal]  # with who proposed and decided each


# Built once per process: only the case's id is bound each time.
_BESIDE = (
    select(
        CaseClock,
        BusinessCalendar,
        JurisdictionRule,
        exists().where(Check.complaint_id == Complaint.id),
        exists().where(ClockPause.complaint_id == Complaint.id),
        exists().where(ResolutionProposal.complaint_id == Complaint.id),
    )
    .select_from(Complaint)
    .outerjoin(CaseClock, CaseClock.complaint_id == Complaint.id)
    .outerjoin(BusinessCalendar, BusinessCalendar.id == CaseClock.calendar_id)
    # The clock records the code of the rule it follows; a rule since removed or recoded is
    # looked for as a case's jurisdiction is (its country's, then the default one).
    .outerjoin(JurisdictionRule, JurisdictionRule.code == CaseClock.jurisdiction)
    .where(Complaint.id == bindparam("case_id"))
)


def beside(session: Session, case: Complaint, now: dt.datetime | None = None) -> Beside:
    """The case's checks, SLA block and proposals: one query, and one more for each list
    that is not empty."""
    _clock, _calendar, rule, has_checks, has_pauses, has_proposals = session.execute(
        _BESIDE, {"case_id": case.id}
    ).one()
    if rule is not None:
        found_rule(session, rule)
    # ``case_sla`` asks the session for the clock and the calendar by key; the session holds
    # its objects weakly, and answers without a query because ``_clock`` and ``_calendar``
    # keep them alive until this returns.
    return Beside(
        checks=for_case(session, case.id) if has_checks else [],
        sla=case_sla(session, case, now, pauses=None if has_pauses else []),
        proposals=decisions.history(session, case.id) if has_proposals else [],
    )
