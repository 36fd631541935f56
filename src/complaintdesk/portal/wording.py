"""What the portal says about a case, in plain words a worried customer understands.

Every text is marked with ``N_`` and translated where it is shown, so the catalogs hold
them all; the codes (statuses, categories, event types) never reach the page as such.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from complaintdesk.complaints.models import Category, Kind, Outcome, Status
from complaintdesk.web.i18n import N_


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str
    hint: str


CATEGORIES: tuple[Choice, ...] = (
    Choice(
        Category.bet_settlement,
        N_("Bet settlement"),
        N_("A bet was settled wrongly: lost instead of won, voided, or paid at the wrong odds."),
    ),
    Choice(
        Category.deposit_withdrawal,
        N_("Deposit or withdrawal"),
        N_("Money you sent has not arrived, or a withdrawal is late, declined or short."),
    ),
    Choice(
        Category.payout_refusal,
        N_("Refused payout"),
        N_("We refused to pay out winnings, citing our terms or a suspected breach."),
    ),
    Choice(
        Category.bonus_terms,
        N_("Bonus"),
        N_("A bonus or free bet was not credited, was removed, or its wagering is unclear."),
    ),
    Choice(
        Category.account_verification,
        N_("Account or verification"),
        N_("Your account was limited, closed or blocked, or identity checks are stuck."),
    ),
    Choice(
        Category.technical_fault,
        N_("Technical fault"),
        N_("The site or app failed: a bet was not placed, the page froze, or a balance is wrong."),
    ),
    Choice(
        Category.responsible_gambling,
        N_("Responsible gambling"),
        N_("Limits, time-outs or self-exclusion did not work, or you need help to stop."),
    ),
    Choice(Category.other, N_("Something else"), N_("Anything that does not fit above.")),
)

CATEGORY_LABELS = {c.value: c.label for c in CATEGORIES}

STATUS_WORDS: dict[Status, tuple[str, str]] = {
    Status.received: (
        N_("Received"),
        N_("We have your case and it is waiting for the first person to pick it up."),
    ),
    Status.in_progress: (
        N_("Being looked into"),
        N_("Someone is working on your case and checking the details."),
    ),
    Status.awaiting_customer: (
        N_("Waiting for you"),
        N_("We asked you something. Please answer below so we can carry on."),
    ),
    Status.escalated: (
        N_("With a senior colleague"),
        N_("Your case has been passed to a senior colleague for a closer look."),
    ),
    Status.resolved: (
        N_("Answered"),
        N_("We have sent our final answer. If you disagree, you can ask for a review."),
    ),
    Status.closed: (
        N_("Closed"),
        N_("This case is closed. You can still read everything that happened."),
    ),
    Status.referred_to_adr: (
        N_("With the independent dispute body"),
        N_("Your case has been passed to the independent dispute resolution body."),
    ),
}

OUTCOME_WORDS: dict[Outcome, str] = {
    Outcome.upheld: N_("Upheld: we agree with you"),
    Outcome.partially_upheld: N_("Partly upheld: we agree with part of it"),
    Outcome.not_upheld: N_("Not upheld: we do not agree"),
    Outcome.withdrawn: N_("Withdrawn"),
}

KIND_WORDS: dict[Kind, str] = {Kind.complaint: N_("Complaint"), Kind.consultation: N_("Question")}

# One sentence per public timeline event; "%(x)s" takes a value from the event's data.
EVENT_WORDS: dict[str, str] = {
    "created": N_("You sent your case"),
    "acknowledged": N_("We confirmed we received it"),
    "customer_message": N_("You wrote to us"),
    "staff_reply": N_("We replied"),
    "attachment_added": N_("A document was added: %(filename)s"),
    "resolution": N_("We sent our final answer"),
    "review_requested": N_("You asked for a review"),
    "feedback": N_("You rated our answer %(score)s out of 5"),
    "converted": N_("Your question became a formal complaint"),
    "information_request": N_("We asked you for more information"),
    "merged": N_("Your case was joined to case %(into)s, where we answer it"),
}

STATUS_EVENT = N_("Status: %(status)s")


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: dt.datetime
    text: str
    by_customer: bool


def timeline(
    events: list[tuple[dt.datetime, str, str, dict[str, object]]], translate: Callable[[str], str]
) -> list[TimelineEntry]:
    """The public events as sentences (``translate`` is the visitor's gettext)."""
    entries: list[TimelineEntry] = []
    for at, type_, actor, data in events:
        if type_ == "status_changed":
            to = data.get("to")
            if not isinstance(to, str) or to not in Status.__members__:
                continue
            label = translate(STATUS_WORDS[Status(to)][0])
            entries.append(TimelineEntry(at, translate(STATUS_EVENT) % {"status": label}, False))
            continue
        template = EVENT_WORDS.get(type_)
        if template is None:
            continue
        values = {
            "filename": data.get("filename", ""),
            "score": data.get("score", ""),
            "into": data.get("into", ""),
        }
        entries.append(TimelineEntry(at, translate(template) % values, actor == "customer"))
    return entries


def duration(value: dt.timedelta, ngettext: Callable[[str, str, int], str]) -> str:
    """A target as people say it: "24 hours", "2 days", "8 weeks"."""
    hours = int(value.total_seconds() // 3600)
    days, rest = divmod(hours, 24)
    if rest or days <= 2:
        return ngettext("%(num)s hour", "%(num)s hours", hours) % {"num": hours}
    if days % 7 == 0 and days >= 14:
        weeks = days // 7
        return ngettext("%(num)s week", "%(num)s weeks", weeks) % {"num": weeks}
    return ngettext("%(num)s day", "%(num)s days", days) % {"num": days}
