"""What the tracking page shows about a case: its status in plain words, the promises with
their dates, the public timeline, the conversation, and which actions are open now.

Built only from the customer's view of the case (``representations.track_view``), which
is a whitelist of public facts, plus the case's own clocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from complaintdesk.complaints.models import Complaint, Kind, Status
from complaintdesk.complaints.schemas import TrackOut
from complaintdesk.complaints.states import FINISHED_STATUSES, OPEN_STATUSES
from complaintdesk.db import utcnow
from complaintdesk.portal import wording
from complaintdesk.web.i18n import N_


@dataclass(frozen=True, slots=True)
class Promise:
    """One date we committed to: "We will answer by 26 Nov, 14:00"."""

    text: str
    at: dt.datetime
    overdue: bool


@dataclass(frozen=True, slots=True)
class CasePage:
    view: TrackOut
    status_label: str
    status_text: str
    kind_label: str
    category_label: str
    outcome_label: str | None
    promises: list[Promise]
    timeline: list[wording.TimelineEntry]
    can_write: bool
    can_convert: bool
    final_response: bool


FIRST_ANSWER = N_("We will answer by")
FINAL_ANSWER = N_("We aim to give our final answer by")
REGULATORY = N_("At the latest, as the regulator requires, by")
ANSWERED = N_("We gave our final answer on")


def _promises(case: Complaint, now: dt.datetime) -> list[Promise]:
    if case.status in FINISHED_STATUSES:
        return [Promise(ANSWERED, case.resolved_at, False)] if case.resolved_at else []
    promises: list[Promise] = []
    if case.first_responded_at is None and case.first_response_due_at:
        promises.append(
            Promise(FIRST_ANSWER, case.first_response_due_at, now > case.first_response_due_at)
        )
    if case.kind is Kind.complaint and case.resolution_due_at:
        promises.append(Promise(FINAL_ANSWER, case.resolution_due_at, now > case.resolution_due_at))
    if case.regulatory_due_at:
        promises.append(Promise(REGULATORY, case.regulatory_due_at, now > case.regulatory_due_at))
    return promises


def case_page(case: Complaint, view: TrackOut, translate: Callable[[str], str]) -> CasePage:
    label, text = wording.STATUS_WORDS[view.status]
    events = [(e.at, e.type, e.actor, e.data) for e in view.timeline]
    return CasePage(
        view=view,
        status_label=label,
        status_text=text,
        kind_label=wording.KIND_WORDS[view.kind],
        category_label=wording.CATEGORY_LABELS[view.category],
        outcome_label=wording.OUTCOME_WORDS[view.resolution.outcome] if view.resolution else None,
        promises=_promises(case, utcnow()),
        timeline=wording.timeline(events, translate),
        can_write=view.status is not Status.closed,
        can_convert=view.kind is Kind.consultation and view.status in OPEN_STATUSES,
        final_response=view.resolution is not None and view.status in FINISHED_STATUSES,
    )
