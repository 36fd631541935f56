"""From the timeline to the outbox: which event sends which mail and which webhooks.

:func:`install` registers an observer of new :class:`ComplaintEvent` rows on a
:class:`Database`. It runs inside the flush that inserts the event, so the outbox rows it
adds commit or roll back with the change itself: no change without its messages, and no
message about a change that did not happen. The services know nothing of it.

Only public events mail the customer, and only the ones listed in :func:`mail_kind`;
internal events and notes never do. Webhooks follow the events named in ``WEBHOOK_EVENTS``.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from decimal import Decimal
from email.utils import parseaddr
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaintdesk.complaints.models import Actor, Complaint, ComplaintEvent, Kind, Message, Status
from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.notifications.models import (
    Channel,
    OutboxMessage,
    OutboxStatus,
    WebhookSubscription,
)
from complaintdesk.notifications.rendering import (
    format_amount,
    format_when,
    language_of,
    outcome_label,
    render,
)
from complaintdesk.sla.queries import jurisdiction_rule

log = logging.getLogger("complaintdesk.notifications")

# Timeline event → the webhook event name the operator subscribes to. Events not named
# here (internal notes, the desk's own delivery records...) never leave by webhook.
WEBHOOK_EVENTS: dict[str, str] = {
    "created": "complaint.created",
    "converted": "complaint.converted",
    "status_changed": "complaint.status_changed",
    "resolution": "complaint.resolved",
    "customer_message": "complaint.customer_message",
    "staff_reply": "complaint.staff_reply",
    "attachment_added": "complaint.attachment_added",
    "review_requested": "complaint.review_requested",
    "feedback": "complaint.feedback",
    "assigned": "complaint.assigned",
    "first_response": "complaint.first_response",
    "deadline_extended": "complaint.deadline_extended",
    "sla_at_risk": "complaint.at_risk",
    "sla_breached": "complaint.breached",
}
ALL_EVENTS = "*"

# Where no dispute body is named for the customer's jurisdiction or by the operator.
ADR_DESCRIBED = {
    "en": "the independent dispute resolution (ADR) body named in our final response",
    "ru": "независимый орган по разрешению споров (ADR), указанный в нашем окончательном ответе",
}

# Notices the desk sends on its own, as opposed to carrying a person's words or decision:
# marked Auto-Submitted (RFC 3834) so that customers' vacation responders stay quiet.
AUTOMATIC = frozenset({"acknowledgement", "review_requested", "deadline_extended", "closed"})


def mail_kind(event: ComplaintEvent, case: Complaint) -> str | None:
    """The mail a timeline event sends the customer, if any."""
    if not event.public or not case.customer_email:
        return None
    data = event.data or {}
    match event.type:
        case "created":
            return "acknowledgement" if case.kind is Kind.complaint else None
        case "converted":
            return "acknowledgement"
        case "staff_reply":
            return "staff_reply"
        case "status_changed" if data.get("to") == Status.awaiting_customer.value:
            return "information_request"
        case "status_changed" if data.get("to") == Status.closed.value:
            return "closed"
        case "deadline_extended" | "resolution" | "review_requested":
            return event.type
    return None


def mail_domain(settings: Settings) -> str:
    address = parseaddr(settings.mail_from)[1]
    return address.rpartition("@")[2] or "localhost"


def thread_id(reference: str, domain: str) -> str:
    """The Message-ID every mail about a case refers to, so mail clients thread them."""
    return f"<{reference}@{domain}>"


# Built once per process: every case filed asks.
_SUBSCRIBED = (
    select(WebhookSubscription)
    .where(WebhookSubscription.active.is_(True))
    .order_by(WebhookSubscription.id)
)


class Deriver:
    """The observer: adds the outbox rows a new timeline event calls for."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.domain = mail_domain(settings)

    def __call__(self, session: Session, event: ComplaintEvent) -> None:
        case = session.get(Complaint, event.complaint_id)
        if case is None:  # pragma: no cover - the foreign key makes this impossible
            return
        kind = mail_kind(event, case)
        if kind is not None:
            try:
                mail = self._mail(session, event, case, kind)
            except Exception as exc:
                # A fault in a template must never refuse a customer's complaint or
                # undo a reply: the mail is queued as failed, for staff to see.
                log.exception("could not write the %s mail for %s", kind, case.reference)
                mail = self._unwritten(event, case, kind, exc)
            session.add(mail)
        name = WEBHOOK_EVENTS.get(event.type)
        if name is not None:
            session.add_all(self._webhooks(session, event, case, name))

    # --- mail ----------------------------------------------------------------------

    def _mail(
        self, session: Session, event: ComplaintEvent, case: Complaint, kind: str
    ) -> OutboxMessage:
        assert case.customer_email is not None  # noqa: S101 - mail_kind checked it
        language = language_of(case.language)
        mail = render(kind, language, self._context(session, event, case, kind, language))
        message_id = f"<{case.reference}.{secrets.token_hex(8)}@{self.domain}>"
        root = thread_id(case.reference, self.domain)
        headers = {
            "Message-ID": message_id,
            "In-Reply-To": root,
            "References": root,
            "X-Complaintdesk-Reference": case.reference,
            "X-Complaintdesk-Notification": kind,
        }
        if kind in AUTOMATIC:
            headers["Auto-Submitted"] = "auto-generated"
            headers["X-Auto-Response-Suppress"] = "OOF, AutoReply"
        return OutboxMessage(
            event=event,
            complaint_id=case.id,
            channel=Channel.email,
            kind=kind,
            recipient=case.customer_email.strip().lower(),
            message_id=message_id,
            payload={
                "from": self.settings.mail_from,
                "to": case.customer_email.strip(),
                "to_name": case.customer_name or "",
                "language": language,
                "subject": mail.subject,
                "text": mail.text,
                "html": mail.html,
                "headers": headers,
            },
            next_attempt_at=event.at,
            created_at=event.at,
            updated_at=event.at,
        )

    def _unwritten(
        self, event: ComplaintEvent, case: Complaint, kind: str, exc: Exception
    ) -> OutboxMessage:
        assert case.customer_email is not None  # noqa: S101 - mail_kind checked it
        return OutboxMessage(
            event=event,
            complaint_id=case.id,
            channel=Channel.email,
            kind=kind,
            recipient=case.customer_email.strip().lower(),
            payload={"to": case.customer_email.strip(), "unwritten": True},
            status=OutboxStatus.failed,
            last_error=f"the mail could not be written: {type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=event.at,
            created_at=event.at,
            updated_at=event.at,
        )

    def _context(
        self, session: Session, event: ComplaintEvent, case: Complaint, kind: str, language: str
    ) -> dict[str, Any]:
        data = event.data or {}

        def when(value: dt.datetime | None) -> str | None:
            return format_when(value, language)

        context: dict[str, Any] = {
            "reference": case.reference,
            "case_subject": case.subject,
            "name": case.customer_name,
            "track_url": f"{self.settings.public_base_url.rstrip('/')}/track/{case.reference}",
            "first_response_due": when(case.first_response_due_at),
            "resolution_due": when(case.resolution_due_at),
            "regulatory_due": when(case.regulatory_due_at),
            "converted": event.type == "converted",
            "adr": self._adr(session, case, language),
        }
        if kind == "staff_reply":
            message = _staff_message(session, case, at=event.at)
            context["body"] = message.body if message else ""
        elif kind == "information_request":
            message = _staff_message(session, case)
            context["last_message"] = message.body if message else None
        elif kind == "resolution":
            compensation = data.get("compensation") or None
            context["outcome"] = outcome_label(str(data.get("outcome", case.outcome)), language)
            context["summary"] = case.resolution_summary or ""
            context["compensation"] = (
                format_amount(
                    Decimal(str(compensation["amount"])), str(compensation["currency"]), language
                )
                if compensation
                else None
            )
        elif kind == "deadline_extended":
            context["new_due"] = when(_new_deadline(data) or case.regulatory_due_at)
            reason = data.get("reason")
            context["reason"] = str(reason) if reason else None
        return context

    def _adr(self, session: Session, case: Complaint, language: str) -> str:
        """The dispute body the customer can turn to: the one of their jurisdiction's
        rule, else the operator's (``ADR_NAME``), else a description of one."""
        rule = jurisdiction_rule(session, case.jurisdiction)
        if rule is not None and rule.adr_name:
            name, url = rule.adr_name, rule.adr_url
        else:
            name, url = self.settings.adr_name, self.settings.adr_url
        if not name:
            return ADR_DESCRIBED[language]
        return f"{name} ({url})" if url else name

    # --- webhooks ------------------------------------------------------------------

    def _webhooks(
        self, session: Session, event: ComplaintEvent, case: Complaint, name: str
    ) -> list[OutboxMessage]:
        subscriptions = session.scalars(_SUBSCRIBED).all()
        wanted = [s for s in subscriptions if name in s.events or ALL_EVENTS in s.events]
        if not wanted:
            return []
        body = {
            "type": name,
            "occurred_at": event.at.isoformat(),
            "complaint": {
                "reference": case.reference,
                "kind": case.kind.value,
                "status": case.status.value,
                "category": case.category.value,
                "priority": case.priority.value,
                "language": case.language,
                "jurisdiction": case.jurisdiction,
                "team": case.team,
                "account_id": case.customer_account_id,
                "due_at": case.due_at.isoformat() if case.due_at else None,
            },
            "actor": event.actor.value,
            "public": event.public,
            "data": dict(event.data or {}),
        }
        return [
            OutboxMessage(
                event=event,
                complaint_id=case.id,
                channel=Channel.webhook,
                kind=name,
                recipient=f"webhook:{subscription.id}",
                subscription=subscription,
                payload=body,
                next_attempt_at=event.at,
                created_at=event.at,
                updated_at=event.at,
            )
            for subscription in wanted
        ]


def _staff_message(
    session: Session, case: Complaint, at: dt.datetime | None = None
) -> Message | None:
    """The staff's message to the customer written with this change (still unflushed) or,
    failing that, the latest one on record."""
    fresh = [
        m
        for m in session.new
        if isinstance(m, Message)
        and m.complaint_id == case.id
        and m.author is Actor.staff
        and not m.internal
        and (at is None or m.created_at == at)
    ]
    if fresh:
        return fresh[-1]
    return session.scalar(
        select(Message)
        .where(
            Message.complaint_id == case.id,
            Message.author == Actor.staff,
            Message.internal.is_(False),
        )
        .order_by(Message.id.desc())
        .limit(1)
    )


def _new_deadline(data: dict[str, Any]) -> dt.datetime | None:
    for key in ("regulatory_due", "new_due", "due"):
        value = data.get(key)
        if isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value)
            except ValueError:
                continue
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return None


def install(db: Database, settings: Settings) -> None:
    """Let every new timeline event of ``db`` queue the mail and webhooks it calls for."""
    db.on_new(ComplaintEvent, Deriver(settings))
