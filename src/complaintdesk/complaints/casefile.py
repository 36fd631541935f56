"""What the staff case view shows beside the case itself, found in one query.

The view needs the case's clock and calendar, and its checks, clock pauses and decision
proposals. Most cases have none of the last three, and a query that finds nothing costs
what one that finds something does: :func:`beside` reads the clock and the calendar into
the session (where :func:`complaintdesk.sla.representations.case_sla` finds them
without asking again) and says which of the lists the case has, so that the view asks
only for those.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from complaintdesk.checks.models import Check
from complaintdesk.complaints.models import Complaint
from complaintdesk.decisions.models import ResolutionProposal
from complaintdesk.sla.models import BusinessCalendar, CaseClock, ClockPause


@dataclass(frozen=True, slots=True)
class Beside:
    # Held here because a session only keeps weak references: while this lives, the
    # session's ``get`` finds the clock and the calendar without a query.
    clock: CaseClock | None
    calendar: BusinessCalendar | None
    has_checks: bool
    has_pauses: bool
    has_proposals: bool


def beside(session: Session, case: Complaint) -> Beside:
    """One query: the clock and calendar into the session, and which lists are not empty."""
    row = session.execute(
        select(
            CaseClock,
            BusinessCalendar,
            exists().where(Check.complaint_id == Complaint.id),
            exists().where(ClockPause.complaint_id == Complaint.id),
            exists().where(ResolutionProposal.complaint_id == Complaint.id),
        )
        .select_from(Complaint)
        .outerjoin(CaseClock, CaseClock.complaint_id == Complaint.id)
        .outerjoin(BusinessCalendar, BusinessCalendar.id == CaseClock.calendar_id)
        .where(Complaint.id == case.id)
    ).one()
    clock, calendar, has_checks, has_pauses, has_proposals = row
    return Beside(
        clock=clock,
        calendar=calendar,
        has_checks=bool(has_checks),
        has_pauses=bool(has_pauses),
        has_proposals=bool(has_proposals),
    )
