"""Use cases of a case: file, follow, converse, move, decide.

Every function takes a ``Session`` and only adds and flushes; the caller commits. Every
change appends a timeline event in the same transaction, so the timeline is the audit
trail. Customer-facing functions take the case already opened by its access key
(:func:`open_for_customer`); staff-facing ones take a :class:`StaffActor` and check the
role here, once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from complaintdesk.complaints import deadlines, states
from complaintdesk.complaints.documents import check_size, safe_filename, sniff_content_type
from complaintdesk.complaints.errors import (
    InvalidRequest,
    InvalidTransition,
    NotFound,
    VersionConflict,
)
from complaintdesk.complaints.models import (
    Actor,
    Attachment,
    Category,
    Complaint,
    ComplaintEvent,
    Kind,
    Message,
    Outcome,
    Priority,
    SearchDocument,
    Status,
)
from complaintdesk.complaints.references import (
    hash_access_key,
    key_matches,
    new_access_key,
    new_reference,
    normalise_reference,
)
from complaintdesk.db import utcnow
from complaintdesk.decisions import services as decisions
from complaintdesk.decisions.models import ResolutionProposal
from complaintdesk.decisions.rules import ApprovalPolicy
from complaintdesk.routing.admin import known_team
from complaintdesk.staff.models import User
from complaintdesk.staff.permissions import Action, StaffActor, require
from complaintdesk.storage.backends import Storage

LANGUAGES = ("en", "ru")


@dataclass(frozen=True, slots=True)
class CustomerDetails:
    email: str
    name: str | None = None
    phone: str | None = None
    account_id: str | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """A final response recorded, or (``proposal`` set) waiting for a second person."""

    case: Complaint
    proposal: ResolutionProposal | None = None

    @property
    def pending(self) -> bool:
        return self.proposal is not None


@dataclass(frozen=True, slots=True)
class Filed:
    """A new case and its access key: the only moment the key exists in clear."""

    case: Complaint
    access_key: str


def _event(
    case: Complaint,
    type_: str,
    *,
    actor: Actor,
    public: bool,
    user_id: int | None = None,
    at: dt.datetime | None = None,
    **data: Any,
) -> ComplaintEvent:
    return ComplaintEvent(
        complaint_id=case.id,
        type=type_,
        actor=actor,
        user_id=user_id,
        public=public,
        data=data,
        at=at or utcnow(),
    )


def _touch(case: Complaint, now: dt.datetime) -> None:
    case.updated_at = now
    deadlines.refresh_due(case)


def _check_version(case: Complaint, expected: int | None) -> None:
    if expected is not None and expected != case.version:
        raise VersionConflict(
            f"the case changed since you loaded it (version {expected}, now {case.version}); "
            "reload it and try again"
        )


def _insert_case(session: Session, case: Complaint, kind: Kind) -> str:
    """Insert with a fresh random reference, retrying on the (astronomically rare) clash."""
    key = new_access_key()
    case.access_key_hash = hash_access_key(key)
    for _ in range(5):
        case.reference = new_reference(kind)
        try:
            with session.begin_nested():
                session.add(case)
                session.flush()
        except IntegrityError:
            continue
        return key
    raise RuntimeError("could not draw a unique reference")  # pragma: no cover


def file_complaint(
    session: Session,
    *,
    subject: str,
    description: str,
    customer: CustomerDetails,
    policy: deadlines.DeadlinePolicy,
    category: Category | None = None,
    language: str = "en",
    jurisdiction: str | None = None,
    bet_ids: Sequence[str] = (),
    evidence: Mapping[str, Any] | None = None,
    verified_account: str | None = None,
    now: dt.datetime | None = None,
) -> Filed:
    """A formal complaint: received and acknowledged at once, with its clocks started.

    ``verified_account`` is the account id the operator's site vouched for (a signed
    identity checked at the edge); it is recorded on the ``created`` event as a fact.
    """
    now = now or utcnow()
    vouched: dict[str, Any] = {"verified_account": verified_account} if verified_account else {}
    case = Complaint(
        kind=Kind.complaint,
        status=Status.received,
        category=category or Category.other,
        priority=Priority.normal,
        language=_language(language),
        jurisdiction=jurisdiction,
        subject=subject,
        description=description,
        customer_email=customer.email,
        customer_name=customer.name,
        customer_phone=customer.phone,
        customer_account_id=customer.account_id,
        bet_ids=list(bet_ids),
        evidence=dict(evidence) if evidence else None,
        created_at=now,
        updated_at=now,
        acknowledged_at=now,
    )
    intake = deadlines.start_clocks(session, case, policy, now)
    key = _insert_case(session, case, Kind.complaint)
    session.add_all(
        [
            _event(
                case,
                "created",
                actor=Actor.customer,
                public=True,
                at=now,
                kind=case.kind.value,
                category=case.category.value,
                **vouched,
            ),
            _event(
                case,
                "acknowledged",
                actor=Actor.system,
                public=True,
                at=now,
                first_response_due=_iso(case.first_response_due_at),
                resolution_due=_iso(case.resolution_due_at),
                regulatory_due=_iso(case.regulatory_due_at),
            ),
            SearchDocument(complaint_id=case.id, document=f"{subject}\n{description}"),
        ]
    )
    intake.record(session, case)
    session.flush()
    return Filed(case, key)


def open_consultation(
    session: Session,
    *,
    question: str,
    policy: deadlines.DeadlinePolicy,
    language: str = "en",
    now: dt.datetime | None = None,
) -> Filed:
    """An anonymous question: no contact details, answered on its tracking page."""
    now = now or utcnow()
    subject = _first_line(question)
    case = Complaint(
        kind=Kind.consultation,
        status=Status.received,
        category=Category.other,
        priority=Priority.normal,
        language=_language(language),
        subject=subject,
        description=question,
        bet_ids=[],
        created_at=now,
        updated_at=now,
        acknowledged_at=now,
    )
    intake = deadlines.start_clocks(session, case, policy, now)
    key = _insert_case(session, case, Kind.consultation)
    session.add_all(
        [
            _event(case, "created", actor=Actor.customer, public=True, at=now, kind="consultation"),
            _event(
                case,
                "acknowledged",
                actor=Actor.system,
                public=True,
                at=now,
                first_response_due=_iso(case.first_response_due_at),
            ),
            SearchDocument(complaint_id=case.id, document=question),
        ]
    )
    intake.record(session, case)
    session.flush()
    return Filed(case, key)


_BY_REFERENCE = select(Complaint).where(Complaint.reference == bindparam("reference"))


def open_for_customer(session: Session, reference: str, access_key: str | None) -> Complaint:
    """The case the reference and key open together; NotFound for any mismatch, alike."""
    canonical = normalise_reference(reference)
    case = session.scalar(_BY_REFERENCE, {"reference": canonical}) if canonical else None
    if not key_matches(access_key, case.access_key_hash if case else None) or case is None:
        raise NotFound("no case with that reference and access key")
    return case


def convert_consultation(
    session: Session,
    case: Complaint,
    *,
    customer: CustomerDetails,
    policy: deadlines.DeadlinePolicy,
    subject: str | None = None,
    category: Category | None = None,
    jurisdiction: str | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Turn an anonymous consultation into a formal complaint; its history stays with it."""
    if case.kind is not Kind.consultation:
        raise InvalidRequest("this case is already a formal complaint", code="already_complaint")
    if case.status in states.FINISHED_STATUSES:
        raise InvalidTransition("a finished consultation cannot become a complaint; file a new one")
    now = now or utcnow()
    previous_category = case.category
    case.kind = Kind.complaint
    case.customer_email = customer.email
    case.customer_name = customer.name
    case.customer_phone = customer.phone
    case.customer_account_id = customer.account_id
    if subject:
        case.subject = subject
    if category:
        case.category = category
    if jurisdiction:
        case.jurisdiction = jurisdiction
    # The regulator's clock starts when the complaint is made formally.
    deadlines.converted(session, case, policy, now, previous_category=previous_category)
    _touch(case, now)
    session.add(
        _event(
            case,
            "converted",
            actor=Actor.customer,
            public=True,
            at=now,
            regulatory_due=_iso(case.regulatory_due_at),
        )
    )
    session.flush()
    return case


def customer_message(
    session: Session, case: Complaint, body: str, *, now: dt.datetime | None = None
) -> Message:
    now = now or utcnow()
    message = Message(complaint_id=case.id, author=Actor.customer, body=body, created_at=now)
    session.add(message)
    session.add(_event(case, "customer_message", actor=Actor.customer, public=True, at=now))
    if case.status is Status.awaiting_customer:
        _move(
            session,
            case,
            Status.in_progress,
            actor=Actor.system,
            now=now,
            reason="the customer answered",
        )
    deadlines.customer_wrote(session, case, now)
    _append_search(session, case, body)
    _touch(case, now)
    session.flush()
    return message


def add_attachment(
    session: Session,
    storage: Storage,
    case: Complaint,
    *,
    filename: str | None,
    data: bytes,
    limit: int,
    uploaded_by: Actor = Actor.customer,
    user_id: int | None = None,
) -> Attachment:
    check_size(len(data), limit)
    content_type = sniff_content_type(data)
    digest = hashlib.sha256(data).hexdigest()
    key = f"{digest[:32]}-{secrets.token_hex(8)}"
    storage.put(key, data)
    now = utcnow()
    attachment = Attachment(
        complaint_id=case.id,
        filename=safe_filename(filename, content_type),
        content_type=content_type,
        size=len(data),
        sha256=digest,
        storage_key=key,
        uploaded_by=uploaded_by,
        created_at=now,
    )
    session.add(attachment)
    session.flush()
    session.add(
        _event(
            case,
            "attachment_added",
            actor=uploaded_by,
            user_id=user_id,
            public=True,
            at=now,
            attachment_id=attachment.id,
            filename=attachment.filename,
            size=attachment.size,
            sha256=digest,
        )
    )
    _touch(case, now)
    session.flush()
    return attachment


def request_review(
    session: Session, case: Complaint, reason: str, *, now: dt.datetime | None = None
) -> Complaint:
    """The customer disputes the outcome: a resolved case reopens as escalated."""
    if case.status is not Status.resolved:
        raise InvalidTransition(
            "a review can be asked for once the case has a resolution"
            if case.status in states.OPEN_STATUSES
            else f"a case that is {case.status.value} cannot be reviewed again here"
        )
    now = now or utcnow()
    session.add(Message(complaint_id=case.id, author=Actor.customer, body=reason, created_at=now))
    session.add(_event(case, "review_requested", actor=Actor.customer, public=True, at=now))
    _move(session, case, Status.escalated, actor=Actor.customer, now=now)
    _append_search(session, case, reason)
    _touch(case, now)
    session.flush()
    return case


def leave_feedback(session: Session, case: Complaint, score: int, comment: str | None) -> None:
    if case.status not in states.FINISHED_STATUSES:
        raise InvalidRequest(
            "the outcome can be rated once the case is resolved", code="not_resolved"
        )
    now = utcnow()
    case.feedback_score = score
    case.feedback_comment = comment
    session.add(_event(case, "feedback", actor=Actor.customer, public=True, at=now, score=score))
    _touch(case, now)
    session.flush()


# --- staff -------------------------------------------------------------------------


# The case's statement, built once per process (a statement built per request, with its
# cache key, costs about as much CPU as the database spends answering it).
_CASE = (
    select(Complaint, exists().where(Attachment.complaint_id == Complaint.id))
    .where(Complaint.reference == bindparam("reference"))
    .options(joinedload(Complaint.assignee))
)


def get_case(session: Session, actor: StaffActor, reference: str) -> Complaint:
    """The case for staff, with its assignee and its documents loaded (no lazy loads: the
    relationships raise if touched unloaded); its timeline is ``casefile.timeline``."""
    require(actor, Action.view)
    canonical = normalise_reference(reference)
    row = session.execute(_CASE, {"reference": canonical}).first() if canonical else None
    if row is None:
        raise NotFound(f"no case {reference}")
    case, has_attachments = row
    # Most cases have no documents: they are asked for only when the case has some.
    attachments = (
        list(
            session.scalars(
                select(Attachment).where(Attachment.complaint_id == case.id).order_by(Attachment.id)
            )
        )
        if has_attachments
        else []
    )
    set_committed_value(case, "attachments", attachments)
    return case


def _case_for_update(session: Session, reference: str) -> Complaint:
    canonical = normalise_reference(reference)
    case = (
        session.scalar(select(Complaint).where(Complaint.reference == canonical))
        if canonical
        else None
    )
    if case is None:
        raise NotFound(f"no case {reference}")
    return case


def reply(
    session: Session,
    actor: StaffActor,
    reference: str,
    body: str,
    *,
    now: dt.datetime | None = None,
) -> Message:
    """A message to the customer. The first one meets the first-response deadline."""
    require(actor, Action.reply)
    return _reply(session, actor, _case_for_update(session, reference), body, now=now or utcnow())


def request_information(
    session: Session,
    actor: StaffActor,
    reference: str,
    body: str,
    *,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Message:
    """Ask the customer for something: the question goes to them and the case waits for
    their answer, which pauses the clocks the SLA policy pauses. One mail carries both
    (the ``information_request`` event, unlike a reply, sends none of its own)."""
    require(actor, Action.reply)
    require(actor, Action.transition)
    case = _case_for_update(session, reference)
    _check_version(case, expected_version)
    if case.status not in states.OPEN_STATUSES:
        raise InvalidTransition(
            f"a case that is {case.status.value} cannot wait for the customer; reopen it first"
        )
    now = now or utcnow()
    if case.status is Status.awaiting_customer:
        # Asking again while waiting: no move, so the question goes as a reply of its own.
        return _reply(session, actor, case, body, now=now)
    message = _reply(session, actor, case, body, now=now, event_type="information_request")
    _move(
        session,
        case,
        Status.awaiting_customer,
        actor=Actor.staff,
        user_id=actor.id,
        now=now,
        reason="information requested",
    )
    _touch(case, now)
    session.flush()
    return message


def _reply(
    session: Session,
    actor: StaffActor,
    case: Complaint,
    body: str,
    *,
    now: dt.datetime,
    event_type: str = "staff_reply",
) -> Message:
    message = Message(
        complaint_id=case.id, author=Actor.staff, user_id=actor.id, body=body, created_at=now
    )
    session.add(message)
    session.add(_event(case, event_type, actor=Actor.staff, user_id=actor.id, public=True, at=now))
    first = case.first_responded_at is None
    if first:
        case.first_responded_at = now
        session.add(
            _event(
                case,
                "first_response",
                actor=Actor.system,
                public=False,
                at=now,
                due=_iso(case.first_response_due_at),
                met=bool(case.first_response_due_at and now <= case.first_response_due_at),
            )
        )
    if case.status is Status.received:
        _move(session, case, Status.in_progress, actor=Actor.staff, user_id=actor.id, now=now)
    deadlines.staff_replied(session, case, now, first=first)
    _append_search(session, case, body)
    _touch(case, now)
    session.flush()
    return message


def add_note(session: Session, actor: StaffActor, reference: str, body: str) -> Message:
    """An internal note: on the staff timeline only, never in any customer view or mail."""
    require(actor, Action.note)
    case = _case_for_update(session, reference)
    now = utcnow()
    note = Message(
        complaint_id=case.id,
        author=Actor.staff,
        user_id=actor.id,
        internal=True,
        body=body,
        created_at=now,
    )
    session.add(note)
    session.add(_event(case, "note", actor=Actor.staff, user_id=actor.id, public=False, at=now))
    _append_search(session, case, body)
    _touch(case, now)
    session.flush()
    return note


def assign(
    session: Session,
    actor: StaffActor,
    reference: str,
    *,
    assignee: str | None = None,
    unassign: bool = False,
    team: str | None = None,
    expected_version: int | None = None,
) -> Complaint:
    case = _case_for_update(session, reference)
    _check_version(case, expected_version)
    target: User | None = None
    if assignee is not None:
        target = session.scalar(select(User).where(User.username == assignee.strip().lower()))
        if target is None or not target.active:
            raise InvalidRequest(
                f"no active staff member named {assignee!r}", code="unknown_assignee"
            )
    assigning_other = (
        (target is not None and target.id != actor.id)
        or team is not None
        or (unassign and case.assignee_id not in (None, actor.id))
    )
    require(actor, Action.assign_any if assigning_other else Action.assign_self)
    if team is not None:
        known_team(session, team)
    if target is None and team is None and not unassign:
        raise InvalidRequest("name an assignee or a team (or unassign)", code="nothing_to_do")
    now = utcnow()
    changes: dict[str, Any] = {}
    if target is not None and target.id != case.assignee_id:
        changes["assignee"] = target.username
        case.assignee_id = target.id
    elif unassign and case.assignee_id is not None:
        changes["assignee"] = None
        case.assignee_id = None
    if team is not None and team != case.team:
        changes["team"] = team
        case.team = team
    if changes:
        session.add(
            _event(
                case,
                "assigned",
                actor=Actor.staff,
                user_id=actor.id,
                public=False,
                at=now,
                **changes,
            )
        )
        _touch(case, now)
    session.flush()
    return case


def transition(
    session: Session,
    actor: StaffActor,
    reference: str,
    *,
    to: Status,
    reason: str | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    require(actor, Action.refer_to_adr if to is Status.referred_to_adr else Action.transition)
    case = _case_for_update(session, reference)
    _check_version(case, expected_version)
    states.check_transition(case.status, to)
    if to in states.NEEDS_RESOLUTION:
        raise InvalidTransition("record a resolution (outcome and summary) to resolve a case")
    if to is Status.closed and case.kind is Kind.complaint and case.outcome is None:
        raise InvalidTransition("a complaint is closed after its resolution is recorded")
    now = now or utcnow()
    _move(session, case, to, actor=Actor.staff, user_id=actor.id, now=now, reason=reason)
    _touch(case, now)
    session.flush()
    return case


def resolve(
    session: Session,
    actor: StaffActor,
    reference: str,
    *,
    outcome: Outcome,
    summary: str,
    compensation: tuple[Decimal, str] | None = None,
    approval: ApprovalPolicy | None = None,
    wording_checked: bool = False,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Decision:
    """Decide the case: outcome, the reasons the customer reads, compensation.

    The reasons are screened first (``approval``'s words; the settings' defaults when none
    is given). A refused payout, or compensation above the limit, is only *proposed*: it
    waits, on an internal event, for a compliance officer other than the proposer
    (:func:`decide`), and the customer hears nothing until it is approved. Anything else is
    recorded at once as the final response.
    """
    require(actor, Action.resolve)
    policy = approval or ApprovalPolicy.default()
    case = _case_for_update(session, reference)
    _check_version(case, expected_version)
    states.check_transition(case.status, Status.resolved)
    decisions.ensure_none_pending(session, case)
    checked = decisions.check_wording(policy, summary, checked=wording_checked)
    now = now or utcnow()
    reasons = policy.reasons(case.category, outcome, compensation)
    if reasons:
        proposal = decisions.propose(
            session,
            actor,
            case,
            outcome=outcome,
            summary=summary,
            compensation=compensation,
            reasons=reasons,
            checked_words=checked,
            now=now,
        )
        _touch(case, now)
        session.flush()
        return Decision(case, proposal)
    _record_resolution(
        session,
        case,
        outcome,
        summary,
        compensation,
        author=actor.id,
        released_by=actor.id,
        now=now,
        checked_words=checked,
    )
    return Decision(case)


def decide(
    session: Session,
    actor: StaffActor,
    reference: str,
    *,
    approve: bool,
    note: str | None = None,
    proposal_id: int | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Decision:
    """The second pair of eyes: approve the pending decision (the customer is told now,
    in the proposer's words) or reject it with a note (the case stays open for the
    proposer to decide again). Only a compliance officer other than the proposer may."""
    case = _case_for_update(session, reference)
    _check_version(case, expected_version)
    proposal = decisions.take_pending(session, actor, case, proposal_id)
    now = now or utcnow()
    if not approve:
        decisions.reject(session, actor, case, proposal, note=note, now=now)
        _touch(case, now)
        session.flush()
        return Decision(case, proposal)
    states.check_transition(case.status, Status.resolved)
    decisions.approve(session, actor, case, proposal, note=note, now=now)
    compensation = (
        (proposal.compensation_amount, proposal.compensation_currency)
        if proposal.compensation_amount is not None and proposal.compensation_currency
        else None
    )
    _record_resolution(
        session,
        case,
        proposal.outcome,
        proposal.summary,
        compensation,
        author=proposal.proposed_by_id,
        released_by=actor.id,
        now=now,
        proposal=proposal.id,
    )
    return Decision(case, proposal)


def _record_resolution(
    session: Session,
    case: Complaint,
    outcome: Outcome,
    summary: str,
    compensation: tuple[Decimal, str] | None,
    *,
    author: int | None,
    released_by: int,
    now: dt.datetime,
    proposal: int | None = None,
    checked_words: Sequence[str] = (),
) -> None:
    """The final response, public: written by ``author``, released by ``released_by``
    (the same person unless it needed approval). ``checked_words`` are the words the
    author confirmed reveal nothing internal (kept on the record, never shown outside)."""
    case.outcome = outcome
    case.resolution_summary = summary
    case.compensation_amount, case.compensation_currency = compensation or (None, None)
    case.resolved_at = now
    if case.first_responded_at is None:
        case.first_responded_at = now
    session.add(
        Message(
            complaint_id=case.id, author=Actor.staff, user_id=author, body=summary, created_at=now
        )
    )
    data: dict[str, Any] = {"outcome": outcome.value}
    if compensation:
        data["compensation"] = {"amount": str(compensation[0]), "currency": compensation[1]}
    if proposal is not None:
        data["proposal"] = proposal
    if checked_words:
        data["wording_checked"] = list(checked_words)
    session.add(
        _event(
            case, "resolution", actor=Actor.staff, user_id=released_by, public=True, at=now, **data
        )
    )
    _move(session, case, Status.resolved, actor=Actor.staff, user_id=released_by, now=now)
    _append_search(session, case, summary)
    _touch(case, now)
    session.flush()


def close_as_duplicate(
    session: Session, actor: StaffActor, case: Complaint, *, into: str, now: dt.datetime
) -> None:
    """Close an open case that duplicates ``into`` (``links.services.merge`` records the
    link). The lifecycle table closes a complaint only after its resolution; a duplicate's
    answer is given on the case it was merged into, so any open case may close this way.
    The customer reads the public ``merged`` event with the surviving reference."""
    require(actor, Action.link)
    if case.status not in states.OPEN_STATUSES:
        raise InvalidTransition(f"a case that is {case.status.value} cannot be merged away")
    decisions.ensure_none_pending(session, case)
    session.add(
        _event(case, "merged", actor=Actor.staff, user_id=actor.id, public=True, at=now, into=into)
    )
    previous = case.status
    case.status = Status.closed
    case.closed_at = now
    session.add(
        _event(
            case,
            "status_changed",
            actor=Actor.staff,
            user_id=actor.id,
            public=True,
            at=now,
            **{"from": previous.value, "to": Status.closed.value, "reason": f"merged into {into}"},
        )
    )
    deadlines.status_changed(session, case, previous, Status.closed, now)
    _touch(case, now)
    session.flush()


# --- internals ---------------------------------------------------------------------


def _move(
    session: Session,
    case: Complaint,
    to: Status,
    *,
    actor: Actor,
    now: dt.datetime,
    user_id: int | None = None,
    reason: str | None = None,
) -> None:
    states.check_transition(case.status, to)
    previous = case.status
    case.status = to
    if to is Status.closed:
        case.closed_at = now
    data: dict[str, Any] = {"from": previous.value, "to": to.value}
    if reason:
        data["reason"] = reason
    session.add(
        _event(case, "status_changed", actor=actor, user_id=user_id, public=True, at=now, **data)
    )
    deadlines.status_changed(session, case, previous, to, now)


def _append_search(session: Session, case: Complaint, text: str) -> None:
    session.execute(
        update(SearchDocument)
        .where(SearchDocument.complaint_id == case.id)
        .values(document=SearchDocument.document + "\n" + text)
    )


def _language(value: str) -> str:
    if value not in LANGUAGES:
        raise InvalidRequest(
            f"language must be one of {', '.join(LANGUAGES)}", code="invalid_language"
        )
    return value


def _first_line(text: str, limit: int = 200) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None
