"""Incoming mail: a reply joins its case, a new message becomes a complaint, and anything
else is recorded without being answered.

- A reply names its case by the reference in the subject or by our Message-ID in
  ``In-Reply-To``/``References``. From the case's customer it becomes a customer message
  (quoted history cut off) with its attachments; from anyone else it is *held* for staff,
  who release it onto the case or discard it.
- A message naming no case becomes a new complaint, acknowledged like any other.
- Auto-replies, bulk mail, bounces and our own mail coming back are recorded (on their
  case too, as an internal event) and never answered.
- The same message delivered twice (an MTA retrying after a lost reply) is taken once.

Every accepted message is kept as received in storage (the case file's evidence).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from complaintdesk.complaints import services as cases
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.complaints.errors import ComplaintError
from complaintdesk.complaints.models import Actor, Complaint, ComplaintEvent
from complaintdesk.complaints.references import normalise_reference
from complaintdesk.complaints.schemas import BODY_MAX, SUBJECT_MAX
from complaintdesk.config import Settings
from complaintdesk.db import utcnow
from complaintdesk.mail.classify import classify
from complaintdesk.mail.decoding import mostly_cyrillic
from complaintdesk.mail.errors import InboundNotFound, NotHeld, UnusableMessage
from complaintdesk.mail.models import Disposition, InboundMail
from complaintdesk.mail.parse import MailAttachment, ParsedMail, parse
from complaintdesk.mail.quotes import strip_quoted
from complaintdesk.notifications.models import OutboxMessage
from complaintdesk.staff.permissions import Action, StaffActor, require
from complaintdesk.storage.backends import Storage

MAX_ATTACHMENTS = 20
_REFERENCE = re.compile(r"\b(CMP|CNS)-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}\b", re.IGNORECASE)
_TRUNCATED = "\n\n[…] (shortened: the whole message is kept as received)"


@dataclass(frozen=True, slots=True)
class Ingested:
    inbound_id: int
    disposition: Disposition
    reference: str | None
    summary: str
    duplicate: bool = False


def own_addresses(settings: Settings) -> frozenset[str]:
    address = parseaddr(settings.mail_from)[1].lower()
    return frozenset({address} if address else set())


def ingest(
    session: Session,
    storage: Storage,
    settings: Settings,
    raw: bytes,
    *,
    policy: DeadlinePolicy,
    now: dt.datetime | None = None,
) -> Ingested:
    """Take one message; :class:`UnusableMessage` (with the reason) if it cannot be."""
    now = now or utcnow()
    if len(raw) > settings.mail_max_bytes:
        raise UnusableMessage(
            f"the message is larger than the limit of {settings.mail_max_bytes} bytes"
        )
    mail = parse(raw)
    key = _dedupe_key(mail, raw)
    seen = session.scalar(select(InboundMail).where(InboundMail.dedupe_key == key))
    if seen is not None:
        reference = _reference_of(session, seen.complaint_id)
        return Ingested(
            seen.id,
            seen.disposition,
            reference,
            f"already received (as {seen.disposition.value}); nothing done twice",
            duplicate=True,
        )
    case = find_case(session, mail)
    intake = _Intake(session, storage, settings, raw, now)
    record = InboundMail(
        dedupe_key=key,
        message_id=(mail.message_id or "")[:500] or None,
        received_at=now,
        from_address=(mail.from_address or "")[:320] or None,
        from_name=(mail.from_name or "")[:200] or None,
        subject=mail.subject[:300],
        raw_size=len(raw),
        text="",
        attachments=[],
    )
    automatic = classify(mail, own_addresses=own_addresses(settings))
    if automatic is not None:
        record.disposition = automatic.disposition
        record.reason = automatic.reason
        record.text = mail.text[:BODY_MAX]
        return intake.record(record, case, f"mail_{automatic.disposition}")
    if not mail.from_address:
        raise UnusableMessage("the message has no usable sender address (From)")
    if case is not None and _same_address(mail.from_address, case.customer_email):
        return intake.attach(record, mail, case)
    if case is not None:
        record.disposition = Disposition.held
        record.reason = (
            f"from {mail.from_address}, who is not the customer of {case.reference}: "
            "held for staff to release onto the case or discard"
        )
        record.text = strip_quoted(mail.text)[:BODY_MAX]
        return intake.record(record, case, "mail_held")
    return intake.new_complaint(record, mail, policy)


def find_case(session: Session, mail: ParsedMail) -> Complaint | None:
    """The case a message answers: by our Message-IDs it refers to, then by a reference
    in its subject (or, for a bounce, in the bounced message)."""
    ids = [*mail.in_reply_to, *mail.references, *mail.reported_ids][-100:]
    if ids:
        complaint_id = session.scalar(
            select(OutboxMessage.complaint_id)
            .where(OutboxMessage.message_id.in_(ids), OutboxMessage.complaint_id.is_not(None))
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        )
        if complaint_id is not None:
            return session.get(Complaint, complaint_id)
        for message_id in reversed(ids):
            # The thread id every mail of a case carries: <CMP-XXXX-XXXX@domain>.
            candidate = message_id.strip("<>").split("@", 1)[0].split(".", 1)[0]
            case = _by_reference(session, candidate)
            if case is not None:
                return case
    for text in (mail.subject, mail.reported_subject):
        for match in _REFERENCE.finditer(text or ""):
            case = _by_reference(session, match.group(0))
            if case is not None:
                return case
    return None


def _by_reference(session: Session, text: str) -> Complaint | None:
    reference = normalise_reference(text)
    if reference is None:
        return None
    return session.scalar(select(Complaint).where(Complaint.reference == reference))


def _reference_of(session: Session, complaint_id: int | None) -> str | None:
    if complaint_id is None:
        return None
    return session.scalar(select(Complaint.reference).where(Complaint.id == complaint_id))


def _same_address(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.strip().lower() == b.strip().lower())


def _dedupe_key(mail: ParsedMail, raw: bytes) -> str:
    if mail.message_id:
        basis = "\0".join((mail.message_id, mail.from_address or "", mail.subject))
        return "mid:" + hashlib.sha256(basis.encode("utf-8", "replace")).hexdigest()
    return "raw:" + hashlib.sha256(raw).hexdigest()


def _keep_raw(storage: Storage, raw: bytes) -> str:
    key = f"mail-{hashlib.sha256(raw).hexdigest()[:32]}-{secrets.token_hex(6)}"
    storage.put(key, raw)
    return key


def _event(case: Complaint, type_: str, now: dt.datetime, **data: Any) -> ComplaintEvent:
    return ComplaintEvent(
        complaint_id=case.id, type=type_, actor=Actor.system, public=False, at=now, data=data
    )


@dataclass(slots=True)
class _Intake:
    """One message being taken in: what every step needs."""

    session: Session
    storage: Storage
    settings: Settings
    raw: bytes
    now: dt.datetime

    def keep_raw(self) -> str:
        return _keep_raw(self.storage, self.raw)

    def record(self, record: InboundMail, case: Complaint | None, event_type: str) -> Ingested:
        """Keep a message that is not acted on (held, or automatic), on its case if any."""
        session = self.session
        record.complaint_id = case.id if case else None
        record.raw_key = self.keep_raw()
        session.add(record)
        session.flush()
        if case is not None:
            session.add(
                _event(
                    case,
                    event_type,
                    self.now,
                    inbound_id=record.id,
                    sender=record.from_address,
                    subject=record.subject,
                    reason=record.reason,
                )
            )
            session.flush()
        where = f" on {case.reference}" if case else ""
        return Ingested(
            record.id,
            record.disposition,
            case.reference if case else None,
            f"{record.reason}{where}",
        )

    def attach(self, record: InboundMail, mail: ParsedMail, case: Complaint) -> Ingested:
        session = self.session
        text = strip_quoted(mail.text)
        if not text.strip() and not mail.attachments:
            raise UnusableMessage("the reply has no text of its own and no attachments")
        record.disposition = Disposition.attached
        record.complaint_id = case.id
        record.text = text[:BODY_MAX]
        record.raw_key = self.keep_raw()
        session.add(record)
        session.flush()
        if text.strip():
            cases.customer_message(session, case, _shorten(text))
        record.attachments = self.add_attachments(case, mail.attachments)
        session.add(
            _event(case, "mail_received", self.now, inbound_id=record.id, sender=mail.from_address)
        )
        session.flush()
        return Ingested(
            record.id,
            record.disposition,
            case.reference,
            f"added to {case.reference} as the customer's message{_count(record.attachments)}",
        )

    def new_complaint(
        self, record: InboundMail, mail: ParsedMail, policy: DeadlinePolicy
    ) -> Ingested:
        session = self.session
        assert mail.from_address is not None  # noqa: S101 - ingest checked it
        try:
            sender = validate_email(mail.from_address, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise UnusableMessage(
                f"the sender address {mail.from_address!r} is not valid: {exc}"
            ) from None
        text = mail.text.strip()
        subject = mail.subject.strip() or (text.splitlines()[0].strip() if text else "")
        if not subject and not text:
            if not mail.attachments:
                raise UnusableMessage("the message has no subject, no text and no attachments")
            subject = "(documents sent by e-mail)"
        if len(subject) > SUBJECT_MAX:
            subject = subject[: SUBJECT_MAX - 1] + "…"
        filed = cases.file_complaint(
            session,
            subject=subject,
            description=_shorten(text or subject),
            customer=cases.CustomerDetails(email=sender, name=mail.from_name),
            policy=policy,
            language="ru" if mostly_cyrillic(f"{mail.subject}\n{text}") else "en",
            now=self.now,
        )
        case = filed.case
        record.disposition = Disposition.new_case
        record.complaint_id = case.id
        record.text = text[:BODY_MAX]
        record.raw_key = self.keep_raw()
        session.add(record)
        session.flush()
        record.attachments = self.add_attachments(case, mail.attachments)
        session.add(_event(case, "mail_received", self.now, inbound_id=record.id, sender=sender))
        session.flush()
        return Ingested(
            record.id,
            record.disposition,
            case.reference,
            f"new complaint {case.reference} from {sender}{_count(record.attachments)}",
        )

    def add_attachments(
        self, case: Complaint, attachments: list[MailAttachment]
    ) -> list[dict[str, Any]]:
        return _add_attachments(
            self.session,
            self.storage,
            case,
            attachments,
            limit=self.settings.upload_max_bytes,
            now=self.now,
        )


def _shorten(text: str) -> str:
    if len(text) <= BODY_MAX:
        return text
    return text[: BODY_MAX - len(_TRUNCATED)] + _TRUNCATED


def _add_attachments(
    session: Session,
    storage: Storage,
    case: Complaint,
    attachments: list[MailAttachment],
    *,
    limit: int,
    now: dt.datetime,
) -> list[dict[str, Any]]:
    """Each attachment through the core's checks (size, type by content); one refused is
    noted and the others still taken."""
    outcome: list[dict[str, Any]] = []
    for index, item in enumerate(attachments):
        entry: dict[str, Any] = {
            "filename": item.filename,
            "content_type": item.content_type,
            "size": len(item.data),
        }
        if index >= MAX_ATTACHMENTS:
            entry.update(accepted=False, reason=f"more than {MAX_ATTACHMENTS} attachments")
        else:
            # The core checks size and type before it writes anything, so a refusal
            # leaves nothing behind to roll back.
            try:
                attachment = cases.add_attachment(
                    session,
                    storage,
                    case,
                    filename=item.filename,
                    data=item.data,
                    limit=limit,
                )
            except ComplaintError as exc:
                entry.update(accepted=False, reason=exc.message)
            else:
                entry.update(accepted=True, attachment_id=attachment.id)
        outcome.append(entry)
    refused = [e for e in outcome if not e["accepted"]]
    if refused:
        session.add(
            _event(case, "mail_attachments_refused", now, attachments=refused[:MAX_ATTACHMENTS])
        )
    return outcome


def _count(attachments: list[dict[str, Any]]) -> str:
    taken = sum(1 for a in attachments if a["accepted"])
    refused = len(attachments) - taken
    parts = []
    if taken:
        parts.append(f"{taken} attachment{'s' if taken != 1 else ''}")
    if refused:
        parts.append(f"{refused} refused")
    return f" ({', '.join(parts)})" if parts else ""


# --- staff: held mail ----------------------------------------------------------------


def get_inbound(session: Session, actor: StaffActor, inbound_id: int) -> InboundMail:
    require(actor, Action.view)
    record = session.get(InboundMail, inbound_id)
    if record is None:
        raise InboundNotFound(f"no incoming message {inbound_id}")
    return record


def _held(session: Session, actor: StaffActor, inbound_id: int) -> tuple[InboundMail, Complaint]:
    require(actor, Action.reply)
    record = session.get(InboundMail, inbound_id, with_for_update=True)
    if record is None:
        raise InboundNotFound(f"no incoming message {inbound_id}")
    if record.disposition is not Disposition.held:
        raise NotHeld(f"message {inbound_id} is {record.disposition.value}, not held")
    case = session.get(Complaint, record.complaint_id) if record.complaint_id else None
    if case is None:
        raise NotHeld(f"message {inbound_id} no longer has a case to go to")
    return record, case


def release(
    session: Session,
    actor: StaffActor,
    storage: Storage,
    settings: Settings,
    inbound_id: int,
    *,
    now: dt.datetime | None = None,
) -> InboundMail:
    """Put a held message on its case as a message from the customer's side, naming its
    real sender, with its attachments."""
    now = now or utcnow()
    record, case = _held(session, actor, inbound_id)
    mail = parse(storage.get(record.raw_key)) if record.raw_key else None
    text = strip_quoted(mail.text) if mail else record.text
    cases.customer_message(
        session, case, _shorten(f"[e-mail from {record.from_address}]\n\n{text}".strip())
    )
    if mail is not None:
        record.attachments = _add_attachments(
            session, storage, case, mail.attachments, limit=settings.upload_max_bytes, now=now
        )
    record.disposition = Disposition.released
    record.decided_by_id = actor.id
    record.decided_at = now
    session.add(
        ComplaintEvent(
            complaint_id=case.id,
            type="mail_released",
            actor=Actor.staff,
            user_id=actor.id,
            public=False,
            at=now,
            data={"inbound_id": record.id, "sender": record.from_address},
        )
    )
    session.flush()
    return record


def discard(
    session: Session, actor: StaffActor, inbound_id: int, *, now: dt.datetime | None = None
) -> InboundMail:
    """Set a held message aside: it stays on record, never on the case."""
    now = now or utcnow()
    record, case = _held(session, actor, inbound_id)
    record.disposition = Disposition.discarded
    record.decided_by_id = actor.id
    record.decided_at = now
    session.add(
        ComplaintEvent(
            complaint_id=case.id,
            type="mail_discarded",
            actor=Actor.staff,
            user_id=actor.id,
            public=False,
            at=now,
            data={"inbound_id": record.id, "sender": record.from_address},
        )
    )
    session.flush()
    return record
