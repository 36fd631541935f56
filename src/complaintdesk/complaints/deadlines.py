"""The clocks of a case: when each answer is due, and which deadline is nearest.

These are the simple defaults (acknowledge at once, first response in 24 h, resolution in
48 h, the regulatory deadline in 8 weeks). Routing and SLA policies replace the numbers
per category, priority and jurisdiction; the columns and ``refresh_due`` stay.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from complaintdesk.complaints.models import Complaint, Kind
from complaintdesk.complaints.states import FINISHED_STATUSES
from complaintdesk.config import Settings


@dataclass(frozen=True, slots=True)
class DeadlinePolicy:
    first_response: dt.timedelta = dt.timedelta(hours=24)
    resolution: dt.timedelta = dt.timedelta(hours=48)
    regulatory: dt.timedelta = dt.timedelta(days=56)

    @classmethod
    def from_settings(cls, settings: Settings) -> DeadlinePolicy:
        return cls(
            first_response=dt.timedelta(hours=settings.first_response_hours),
            resolution=dt.timedelta(hours=settings.resolution_hours),
            regulatory=dt.timedelta(days=settings.regulatory_days),
        )


def start_clocks(case: Complaint, policy: DeadlinePolicy, now: dt.datetime) -> None:
    case.acknowledgement_due_at = now
    case.first_response_due_at = now + policy.first_response
    case.resolution_due_at = now + policy.resolution
    # A consultation is a question, not a complaint: no regulator's clock runs on it.
    case.regulatory_due_at = now + policy.regulatory if case.kind is Kind.complaint else None
    refresh_due(case)


def refresh_due(case: Complaint) -> None:
    """Set ``due_at`` to the nearest deadline still to be met (None once finished)."""
    if case.status in FINISHED_STATUSES:
        case.due_at = None
        return
    candidates = [case.resolution_due_at, case.regulatory_due_at]
    if case.first_responded_at is None:
        candidates.append(case.first_response_due_at)
    pending = [d for d in candidates if d is not None]
    case.due_at = min(pending) if pending else None


def deadlines_of(case: Complaint) -> dict[str, dt.datetime | None]:
    return {
        "acknowledgement": case.acknowledgement_due_at,
        "first_response": case.first_response_due_at,
        "resolution": case.resolution_due_at,
        "regulatory": case.regulatory_due_at,
    }
