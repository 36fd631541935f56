"""What the console says, in English and Russian: labels of statuses, categories, queues
and roles, the timeline's events in words, and the time left before a deadline.

Every text is marked with ``N_`` and translated where it is shown (``scripts/translations``
puts them in the catalogs). Codes never reach the page as such, except an event type this
file does not know yet, shown as its code so that nothing on the record is hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from complaintdesk.complaints.models import Category, Kind, Outcome, Priority, Status
from complaintdesk.console.queries import Queue
from complaintdesk.staff.models import Role
from complaintdesk.web.i18n import N_

Translate = Callable[[str], str]

QUEUES: dict[Queue, str] = {
    Queue.mine: N_("Mine"),
    Queue.team: N_("My team's"),
    Queue.unassigned: N_("Unassigned"),
    Queue.at_risk: N_("At risk"),
    Queue.breached: N_("Breached"),
    Queue.awaiting: N_("Awaiting customer"),
    Queue.all: N_("All open"),
    Queue.approvals: N_("Awaiting approval"),
}

STATUSES: dict[Status, str] = {
    Status.received: N_("New"),
    Status.in_progress: N_("In progress"),
    Status.awaiting_customer: N_("Awaiting customer"),
    Status.escalated: N_("Escalated"),
    Status.resolved: N_("Resolved"),
    Status.closed: N_("Closed"),
    Status.referred_to_adr: N_("Referred to ADR"),
}

CATEGORIES: dict[Category, str] = {
    Category.technical_fault: N_("Technical fault"),
    Category.bet_settlement: N_("Bet settlement"),
    Category.bonus_terms: N_("Bonus terms"),
    Category.deposit_withdrawal: N_("Deposit or withdrawal"),
    Category.payout_refusal: N_("Payout refusal"),
    Category.account_verification: N_("Account or verification"),
    Category.responsible_gambling: N_("Responsible gambling"),
    Category.other: N_("Other"),
}

PRIORITIES: dict[Priority, str] = {
    Priority.low: N_("Low"),
    Priority.normal: N_("Normal"),
    Priority.high: N_("High"),
    Priority.urgent: N_("Urgent"),
}

OUTCOMES: dict[Outcome, str] = {
    Outcome.upheld: N_("Upheld"),
    Outcome.partially_upheld: N_("Partially upheld"),
    Outcome.not_upheld: N_("Not upheld"),
    Outcome.withdrawn: N_("Withdrawn"),
}

KINDS: dict[Kind, str] = {Kind.complaint: N_("Complaint"), Kind.consultation: N_("Question")}

ROLES: dict[Role, str] = {
    Role.agent: N_("Agent"),
    Role.lead: N_("Team lead"),
    Role.compliance: N_("Compliance officer"),
    Role.admin: N_("Administrator"),
}

LANGUAGES = {"en": N_("English"), "ru": N_("Russian")}

SLA_STATES = {"ok": N_("On time"), "at_risk": N_("At risk"), "breached": N_("Breached")}

CLOCKS = {
    "first_response": N_("First response"),
    "next_response": N_("Next response"),
    "resolution": N_("Resolution"),
    "regulatory": N_("Regulator's deadline"),
}

CLOCK_STATES = {
    "ok": N_("running"),
    "at_risk": N_("at risk"),
    "breached": N_("breached"),
    "met": N_("met"),
    "paused": N_("paused"),
}

APPROVAL_REASONS = {
    "payout_refusal": N_("a refused payout"),
    "above_limit": N_("compensation above the approval limit"),
    "no_limit": N_("compensation in a currency without an approval limit"),
}

PROPOSAL_STATES = {
    "pending": N_("Waiting for approval"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
}

LINKS = {
    "related": N_("Related"),
    "duplicate_of": N_("Merged into"),
    "merged_from": N_("Merged from this case"),
    "same_customer": N_("Same customer"),
}

VERDICTS = {
    "correct": N_("Settled correctly"),
    "underpaid": N_("Underpaid"),
    "overpaid": N_("Overpaid"),
    "not_paid_yet": N_("Not paid yet"),
}

CHECK_KINDS = {
    "settlement": N_("Bet settlement"),
    "wagering": N_("Bonus wagering"),
    "payment": N_("Payment"),
}

CHECK_STATES = {
    "pending": N_("Waiting to run"),
    "done": N_("Done"),
    "not_found": N_("Not found on the platform"),
    "unavailable": N_("Platform unavailable, retrying"),
    "invalid": N_("The record is not valid"),
}

KYC = {
    "verified": N_("Verified"),
    "pending": N_("Verification pending"),
    "rejected": N_("Verification rejected"),
    "unverified": N_("Not verified"),
    "not_started": N_("Not verified"),
}

# The timeline in words; "%(x)s" takes a value from the event's data (see ``event_text``).
EVENTS: dict[str, str] = {
    "created": N_("Filed by the customer"),
    "acknowledged": N_("Acknowledgement sent"),
    "routed": N_("Routed to %(team)s"),
    "sla_applied": N_("Deadlines set by policy %(policy)s"),
    "deadlines_changed": N_("Deadlines recalculated"),
    "sla_at_risk": N_("A deadline is at risk"),
    "sla_breached": N_("A deadline was breached"),
    "assigned": N_("Assigned: %(assignment)s"),
    "first_response": N_("First response given"),
    "customer_message": N_("The customer wrote"),
    "staff_reply": N_("Reply to the customer"),
    "information_request": N_("Information requested from the customer"),
    "note": N_("Internal note"),
    "attachment_added": N_("Document added: %(filename)s"),
    "resolution": N_("Final response sent: %(outcome)s"),
    "resolution_proposed": N_("Decision proposed for approval: %(outcome)s"),
    "resolution_approved": N_("Decision approved"),
    "resolution_rejected": N_("Decision rejected"),
    "review_requested": N_("The customer asked for a review"),
    "feedback": N_("The customer rated the answer %(score)s out of 5"),
    "converted": N_("The question became a formal complaint"),
    "category_changed": N_("Category changed to %(category)s"),
    "priority_changed": N_("Priority changed to %(priority)s"),
    "clock_paused": N_("Clocks paused while waiting for the customer"),
    "clock_resumed": N_("Clocks resumed"),
    "deadline_extended": N_("Regulator's deadline extended"),
    "check_completed": N_("Automatic check finished: %(check)s"),
    "check_rerun_requested": N_("Check run again: %(check)s"),
    "mail_received": N_("E-mail received from the customer"),
    "mail_attachments_refused": N_("E-mail attachments refused"),
    "mail_released": N_("Held e-mail released"),
    "mail_discarded": N_("Held e-mail discarded"),
    "notification_failed": N_("A notification could not be delivered"),
    "notification_retried": N_("A notification was sent again"),
    "merged": N_("Merged into %(case)s"),
    "merged_in": N_("%(case)s was merged into this case"),
    "linked": N_("Linked to %(case)s"),
}

STATUS_CHANGE = N_("Status: %(status)s")
NOBODY = N_("nobody")

IN_TIME = N_("in %(time)s")
OVERDUE = N_("%(time)s overdue")
PAUSED = N_("paused")
MINUTES = N_("%(n)s min")
HOURS = N_("%(n)s h")
DAYS = N_("%(n)s d")


def span(delta: dt.timedelta, translate: Translate) -> str:
    """A length of time as an agent reads it at a glance: "40 min", "3 h", "2 d 5 h"."""
    minutes = int(abs(delta.total_seconds()) // 60)
    if minutes < 60:
        return translate(MINUTES) % {"n": max(minutes, 1)}
    hours = minutes // 60
    if hours < 48:
        return translate(HOURS) % {"n": hours}
    days, rest = divmod(hours, 24)
    text = translate(DAYS) % {"n": days}
    return f"{text} {translate(HOURS) % {'n': rest}}" if rest else text


def time_left(
    due: dt.datetime | None, now: dt.datetime, translate: Translate, *, paused: bool = False
) -> str:
    """ "in 3 h", "2 h overdue", "paused", or "" when nothing is due."""
    if paused:
        return translate(PAUSED)
    if due is None:
        return ""
    delta = due - now
    if delta.total_seconds() > 0:
        return translate(IN_TIME) % {"time": span(delta, translate)}
    return translate(OVERDUE) % {"time": span(delta, translate)}


def urgency(due: dt.datetime | None, now: dt.datetime, *, paused: bool = False) -> str:
    """A class for the time left: overdue, soon (within 4 hours), later, paused."""
    if paused:
        return "paused"
    if due is None:
        return "none"
    left = (due - now).total_seconds()
    return "overdue" if left <= 0 else ("soon" if left <= 4 * 3600 else "later")


def label(table: Mapping[Any, str], value: Any, translate: Translate) -> str:
    """A value's label in the visitor's language; the value itself when it has none."""
    text = table.get(value)
    if text is None and hasattr(value, "value"):
        text = table.get(value.value)
    return translate(text) if text else str(getattr(value, "value", value))


def event_text(type_: str, data: Mapping[str, Any], translate: Translate) -> str:
    """One timeline event as a sentence in the visitor's language."""
    if type_ == "status_changed":
        to = data.get("to")
        status = (
            label(STATUSES, Status(str(to)), translate) if to in Status.__members__ else str(to)
        )
        return translate(STATUS_CHANGE) % {"status": status}
    template = EVENTS.get(type_)
    if template is None:
        return type_.replace("_", " ")
    values = {
        "team": _moved(data.get("team")) or "—",
        "policy": data.get("policy") or "—",
        "assignment": _assignment(data, translate),
        "filename": data.get("filename", ""),
        "outcome": _outcome(data.get("outcome"), translate),
        "score": data.get("score", ""),
        "category": _category(_moved(data.get("to")) or data.get("to"), translate),
        "priority": _priority(_moved(data.get("to")) or data.get("to"), translate),
        "check": _check(data, translate),
        "case": data.get("case") or data.get("into") or "",
    }
    return translate(template) % values


def _moved(value: Any) -> str | None:
    """The "to" side of a ``{"from", "to"}`` change, or the value itself."""
    if isinstance(value, Mapping):
        to = value.get("to")
        return str(to) if to is not None else None
    return str(value) if value is not None else None


def _assignment(data: Mapping[str, Any], translate: Translate) -> str:
    parts = []
    if "assignee" in data:
        parts.append(_moved(data["assignee"]) or translate(NOBODY))
    if "team" in data:
        parts.append(_moved(data["team"]) or translate(NOBODY))
    return ", ".join(parts) or "—"


def _outcome(value: Any, translate: Translate) -> str:
    return label(OUTCOMES, Outcome(value), translate) if value in Outcome.__members__ else "—"


def _category(value: Any, translate: Translate) -> str:
    return label(CATEGORIES, Category(value), translate) if value in Category.__members__ else "—"


def _priority(value: Any, translate: Translate) -> str:
    return label(PRIORITIES, Priority(value), translate) if value in Priority.__members__ else "—"


def _check(data: Mapping[str, Any], translate: Translate) -> str:
    kind = data.get("kind")
    name = label(CHECK_KINDS, kind, translate) if kind else ""
    subject = data.get("subject")
    return f"{name} {subject}".strip() if subject else name
