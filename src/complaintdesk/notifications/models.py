"""The outbox, its attempt log and the operator's webhook subscriptions.

An :class:`OutboxMessage` is written in the same transaction as the change that causes it
and carries everything needed to send it (the rendered mail, the webhook body), so the
worker never has to reconstruct what the case looked like at that moment. Its
``idempotency_key`` (timeline event, channel, recipient) is unique: one event can never
queue the same message twice, and every retry of a message sends the same Message-ID or
delivery id, so a receiver can always recognise a repeat.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Enum, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from complaintdesk.complaints.models import ComplaintEvent
from complaintdesk.db import Base, intpk, optional_timestamp, timestamp


def _enum(cls: type[StrEnum], length: int = 16) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Channel(StrEnum):
    email = "email"
    webhook = "webhook"


class OutboxStatus(StrEnum):
    pending = "pending"  # waiting for its next attempt (due at next_attempt_at)
    sending = "sending"  # a worker holds it until locked_until
    sent = "sent"
    failed = "failed"  # the worker gave up; staff can retry it by hand
    parked = "parked"  # e-mail while no SMTP server is configured: logged, kept, not lost
    cancelled = "cancelled"  # its webhook subscription was disabled before it went out


# Statuses in which a message still has to go out (in order, per recipient and case).
UNSENT = (OutboxStatus.pending, OutboxStatus.sending, OutboxStatus.parked)


class AttemptOutcome(StrEnum):
    sent = "sent"
    retry = "retry"  # failed; will be tried again
    failed = "failed"  # failed and given up (permanent error or the limit reached)
    parked = "parked"
    cancelled = "cancelled"
    interrupted = "interrupted"  # the worker stopped during the attempt (crash, kill)


class WebhookSubscription(Base):
    """An operator's endpoint and the case events it wants.

    The secret signs every delivery, so it is kept as it is (a receiver must hold the same
    value); the API shows it once, at creation, and never again.
    """

    __tablename__ = "webhook_subscriptions"

    id: Mapped[intpk]
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[Any]] = mapped_column(default=list)
    description: Mapped[str] = mapped_column(String(200), default="")
    secret: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[timestamp]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    disabled_at: Mapped[optional_timestamp]
    disabled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[intpk]
    idempotency_key: Mapped[str] = mapped_column(String(400), unique=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    # What the message is: an e-mail's template (acknowledgement, staff_reply, ...) or the
    # webhook's event name (complaint.created, ...).
    kind: Mapped[str] = mapped_column(String(64))
    complaint_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE")
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaint_events.id", ondelete="CASCADE")
    )
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), index=True
    )
    # An e-mail address, or "webhook:<subscription id>".
    recipient: Mapped[str] = mapped_column(String(320))
    # The Message-ID of an e-mail: stable across retries, and how replies find their case.
    message_id: Mapped[str | None] = mapped_column(String(255), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column()
    status: Mapped[OutboxStatus] = mapped_column(_enum(OutboxStatus), default=OutboxStatus.pending)
    attempts: Mapped[int] = mapped_column(default=0)
    # Failed attempts since the message was queued or last retried by hand.
    failures: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[timestamp]
    locked_until: Mapped[optional_timestamp]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]
    sent_at: Mapped[optional_timestamp]

    event: Mapped[ComplaintEvent | None] = relationship(lazy="raise")
    subscription: Mapped[WebhookSubscription | None] = relationship(lazy="raise")
    attempt_log: Mapped[list[DeliveryAttempt]] = relationship(
        back_populates="message", lazy="raise", order_by="DeliveryAttempt.id"
    )

    __table_args__ = (
        # What the worker asks for: due messages in order.
        Index("ix_outbox_messages_due", "status", "next_attempt_at", "id"),
        # Keeps each recipient's messages about a case in order (see claim_due).
        Index("ix_outbox_messages_thread", "complaint_id", "recipient", "status", "id"),
    )


@event.listens_for(OutboxMessage, "before_insert")
def _key_from_event(_mapper: Mapper[Any], _connection: Connection, target: OutboxMessage) -> None:
    # The event's id exists only once the event row is inserted, in the same flush, just
    # before this row (the foreign key orders the inserts); so the key is completed here.
    if not target.idempotency_key:
        if target.event_id is None:
            raise ValueError("an outbox message needs an idempotency key or an event")
        target.idempotency_key = f"event:{target.event_id}:{target.channel}:{target.recipient}"


class DeliveryAttempt(Base):
    """One attempt at sending an outbox message, written before the attempt starts.

    An attempt with no ``finished_at`` belongs to a worker that is sending it now, or that
    died during it; the next worker to take the message marks it ``interrupted``.
    """

    __tablename__ = "outbox_attempts"

    id: Mapped[intpk]
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_messages.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    worker: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[timestamp]
    finished_at: Mapped[optional_timestamp]
    outcome: Mapped[AttemptOutcome | None] = mapped_column(_enum(AttemptOutcome))
    # The SMTP reply code or the HTTP status, when the other side answered.
    status_code: Mapped[int | None] = mapped_column()
    detail: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int | None] = mapped_column()

    message: Mapped[OutboxMessage] = relationship(back_populates="attempt_log", lazy="raise")

    __table_args__ = (Index("ix_outbox_attempts_message", "message_id", "id"),)
