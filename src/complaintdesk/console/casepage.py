"""Everything the case page shows, gathered in a fixed number of queries whatever the
case's history: the case with its timeline, messages and documents (``get_case``), its
checks, clocks, decisions, links, the templates on offer, and the people and teams it can
be given to. The customer's account comes from the operator's platform (``customers``).

The timeline interleaves events and messages: an event that carries a message (a reply,
a note, the customer's words) shows it, and each entry says whether the customer sees it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from complaintdesk.checks.representations import check_out
from complaintdesk.checks.schemas import CheckOut
from complaintdesk.complaints import services as complaints
from complaintdesk.complaints import states
from complaintdesk.complaints.casefile import Timeline, beside, timeline
from complaintdesk.complaints.models import Actor, Complaint, Status
from complaintdesk.console import wording
from complaintdesk.decisions.models import ProposalState, ResolutionProposal
from complaintdesk.links import services as links
from complaintdesk.macros import services as macros
from complaintdesk.macros.models import ReplyMacro
from complaintdesk.macros.rendering import substitute
from complaintdesk.routing.models import Team
from complaintdesk.sla.schemas import SlaOut
from complaintdesk.staff.models import User
from complaintdesk.staff.permissions import Action, StaffActor
from complaintdesk.web.i18n import N_, Formatter, catalogs

Translate = Callable[[str], str]

# Events whose words are a message: shown with it, as one entry.
_MESSAGE_EVENTS = {
    "customer_message": Actor.customer,
    "review_requested": Actor.customer,
    "staff_reply": Actor.staff,
    "information_request": Actor.staff,
    "note": Actor.staff,
    "resolution": Actor.staff,
}
CUSTOMER = N_("customer")
SYSTEM = N_("the desk")
THE_CUSTOMER = N_("Customer")


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the timeline."""

    at: dt.datetime
    text: str
    who: str
    public: bool
    body: str | None = None
    from_customer: bool = False


@dataclass(frozen=True, slots=True)
class Deadline:
    label: str
    due: dt.datetime | None
    state: str  # ok, at_risk, breached, met, paused
    state_label: str
    met_at: dt.datetime | None
    left: str
    urgency: str


@dataclass
class CasePage:
    case: Complaint
    assignee: str | None
    timeline: list[Entry]
    deadlines: list[Deadline]
    sla: SlaOut | None
    sla_text: str | None
    checks: list[CheckOut]
    links: list[links.Linked]
    proposals: list[ResolutionProposal]
    pending: ResolutionProposal | None
    macros: Sequence[ReplyMacro]
    people: list[tuple[str, str]] = field(default_factory=list)
    teams: list[tuple[str, str]] = field(default_factory=list)
    moves: list[Status] = field(default_factory=list)
    placeholders: dict[str, str] = field(default_factory=dict)

    @property
    def next_deadline(self) -> Deadline | None:
        """The deadline still running that comes first (the list is in clock order)."""
        running = [(d.due, n, d) for n, d in enumerate(self.deadlines) if d.left and d.due]
        return min(running)[2] if running else None


def build(
    session: Session,
    actor: StaffActor,
    reference: str,
    *,
    language: str,
    translate: Translate,
    now: dt.datetime,
) -> CasePage:
    case = complaints.get_case(session, actor, reference)
    side = beside(session, case, now)
    found, sla, proposals = side.checks, side.sla, side.proposals
    people: list[tuple[str, str]] = []
    teams: list[tuple[str, str]] = []
    if actor.can(Action.assign_any):
        people = [
            (u, n or u)
            for u, n in session.execute(
                select(User.username, User.display_name)
                .where(User.active.is_(True))
                .order_by(User.display_name, User.username)
            ).all()
        ]
        teams = [
            (k, n) for k, n in session.execute(select(Team.key, Team.name).order_by(Team.name))
        ]
    me = session.get(User, actor.id)
    check_views = [check_out(c, language) for c in found]
    return CasePage(
        case=case,
        assignee=case.assignee.username if case.assignee else None,
        timeline=_timeline(timeline(session, case.id), translate),
        deadlines=_deadlines(case, sla, now, translate),
        sla=sla,
        sla_text=(sla.explanation.get(language) if sla else None),
        checks=check_views,
        links=links.for_case(session, case),
        proposals=proposals,
        pending=next((p for p in proposals if p.state is ProposalState.pending), None),
        macros=macros.offered(session, actor, case.category),
        people=people,
        teams=teams,
        moves=sorted(
            states.allowed(case.status)
            - states.NEEDS_RESOLUTION
            - {Status.awaiting_customer}
            - ({Status.referred_to_adr} if not actor.can(Action.refer_to_adr) else set())
        ),
        placeholders=placeholders(case, check_views, me.display_name if me else actor.username),
    )


def _timeline(lines: Timeline, translate: Translate) -> list[Entry]:
    unmatched: list[Row[Any]] = list(lines.messages)

    def take(event: Row[Any]) -> Row[Any] | None:
        author = _MESSAGE_EVENTS.get(event.type)
        if author is None:
            return None
        for message in unmatched:
            if message.created_at == event.at and message.author is author:
                unmatched.remove(message)
                return message
        return None

    entries: list[Entry] = []
    for event in lines.events:
        message = take(event)
        entries.append(
            Entry(
                at=event.at,
                text=wording.event_text(event.type, event.data or {}, translate),
                who=_who(event.actor, event, translate),
                public=event.public,
                body=message.body if message else None,
                from_customer=event.actor is Actor.customer,
            )
        )
    # A message no event accounts for (older data, mail fed in by hand) still shows.
    for message in unmatched:
        entries.append(
            Entry(
                at=message.created_at,
                text=translate(wording.EVENTS["note" if message.internal else "staff_reply"])
                if message.author is Actor.staff
                else translate(wording.EVENTS["customer_message"]),
                who=_who(message.author, message, translate),
                public=not message.internal,
                body=message.body,
                from_customer=message.author is Actor.customer,
            )
        )
    entries.sort(key=lambda e: e.at)
    return entries


def _who(actor: Actor, line: Row[Any], translate: Translate) -> str:
    """Who is behind an event or a message of the timeline."""
    if line.username is not None:
        return str(line.display_name or line.username)
    if actor is Actor.customer:
        return translate(THE_CUSTOMER)
    return translate(SYSTEM)


def _deadlines(
    case: Complaint, sla: SlaOut | None, now: dt.datetime, translate: Translate
) -> list[Deadline]:
    rows: list[Deadline] = []
    clocks = sla.clocks if sla else {}
    for name in ("first_response", "next_response", "resolution", "regulatory"):
        clock = clocks.get(name)
        due = clock.due_at if clock else getattr(case, f"{name}_due_at", None)
        if due is None:
            continue
        state = clock.state if clock else "ok"
        met_at = clock.met_at if clock else None
        paused = state == "paused"
        finished = state == "met" or case.status in states.FINISHED_STATUSES
        rows.append(
            Deadline(
                label=translate(wording.CLOCKS[name]),
                due=due,
                state=state,
                state_label=translate(wording.CLOCK_STATES.get(state, state)),
                met_at=met_at,
                left="" if finished else wording.time_left(due, now, translate, paused=paused),
                urgency="none" if finished else wording.urgency(due, now, paused=paused),
            )
        )
    return rows


def placeholders(case: Complaint, found: Sequence[CheckOut], agent: str) -> dict[str, str]:
    """The values of the template placeholders, in the customer's language (times in UTC,
    labelled: the customer reads them wherever they are)."""
    language = case.language if case.language in ("en", "ru") else "en"
    fmt = Formatter(language)
    owed = next(
        (
            (c.amount_owed, c.currency)
            for c in found
            if c.kind.value == "settlement" and c.amount_owed and c.currency
        ),
        None,
    )
    return {
        "name": case.customer_name or catalogs().gettext(language, CUSTOMER),
        "reference": case.reference,
        "subject": case.subject,
        "agent": agent,
        "first_response_deadline": fmt.datetime(case.first_response_due_at),
        "deadline": fmt.datetime(case.resolution_due_at),
        "regulatory_deadline": fmt.datetime(case.regulatory_due_at),
        "amount_owed": fmt.money(Decimal(owed[0]), owed[1]) if owed else "",
        "compensation": (
            fmt.money(case.compensation_amount, case.compensation_currency)
            if case.compensation_amount is not None and case.compensation_currency
            else ""
        ),
    }


def macro_text(page: CasePage, macro_id: int) -> str | None:
    """A template's text for this case, its placeholders filled (None: no such template)."""
    macro = next((m for m in page.macros if m.id == macro_id), None)
    if macro is None:
        return None
    return substitute(macros.body_for(macro, page.case.language), page.placeholders)


def reasons_text(proposal: ResolutionProposal, translate: Translate) -> str:
    return ", ".join(translate(wording.APPROVAL_REASONS.get(r, r)) for r in proposal.reasons or [])


def amount(proposal: ResolutionProposal, fmt: Formatter) -> str | None:
    if proposal.compensation_amount is None or not proposal.compensation_currency:
        return None
    return fmt.money(proposal.compensation_amount, proposal.compensation_currency)
