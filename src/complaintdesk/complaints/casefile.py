"""What the staff case view shows beside the case itself: its checks, its clocks and its
decisions, for the API's case view and the console's case page alike.

Most cases have no checks, clock pauses or decision proposals, and a query that finds
nothing costs what one that finds something does. One query reads the case's clock, its
calendar and the jurisdiction rule its clock follows, and says which of those lists the
case has; only those are then asked for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from complaintdesk.checks.models import Check
from complaintdesk.checks.services import for_case
from complaintdesk.complaints.models import Complaint
from complaintdesk.decisions import services as decisions
from complaintdesk.decisions.models import ResolutionProposal
from complaintdesk.sla.models import BusinessCalendar, CaseClock, ClockPause, JurisdictionRule
from complaintdesk.sla.queries import found_rule
from complaintdesk.sla.representations import case_sla
from complaintdesk.sla.schemas import SlaOut


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
