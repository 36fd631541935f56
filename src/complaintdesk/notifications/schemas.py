"""The JSON of the outbox and webhook subscription API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from complaintdesk.notifications.models import (
    AttemptOutcome,
    Channel,
    DeliveryAttempt,
    OutboxMessage,
    OutboxStatus,
    WebhookSubscription,
)

EventName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=2000)]
    events: Annotated[list[EventName], Field(min_length=1, max_length=50)] = Field(
        description="Event names such as complaint.created, or * for every event."
    )
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""


class SubscriptionOut(BaseModel):
    id: int
    url: str
    events: list[str]
    description: str
    active: bool
    created_at: dt.datetime
    disabled_at: dt.datetime | None

    @classmethod
    def of(cls, s: WebhookSubscription) -> SubscriptionOut:
        return cls(
            id=s.id,
            url=s.url,
            events=list(s.events),
            description=s.description,
            active=s.active,
            created_at=s.created_at,
            disabled_at=s.disabled_at,
        )


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(
        description="Signs every delivery (HMAC-SHA256). Shown this once; keep it safe."
    )


class EventCatalogue(BaseModel):
    events: list[str]


class AttemptOut(BaseModel):
    number: int
    worker: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    outcome: AttemptOutcome | None
    status_code: int | None
    detail: str | None
    duration_ms: int | None

    @classmethod
    def of(cls, a: DeliveryAttempt) -> AttemptOut:
        return cls(
            number=a.number,
            worker=a.worker,
            started_at=a.started_at,
            finished_at=a.finished_at,
            outcome=a.outcome,
            status_code=a.status_code,
            detail=a.detail,
            duration_ms=a.duration_ms,
        )


class OutboxOut(BaseModel):
    id: int
    idempotency_key: str
    channel: Channel
    kind: str
    status: OutboxStatus
    reference: str | None
    recipient: str
    subject: str | None = Field(None, description="For e-mail: the subject line.")
    message_id: str | None
    subscription_id: int | None
    attempts: int
    failures: int
    next_attempt_at: dt.datetime | None
    last_error: str | None
    created_at: dt.datetime
    sent_at: dt.datetime | None

    @classmethod
    def of(cls, m: OutboxMessage, reference: str | None) -> OutboxOut:
        waiting = m.status in (OutboxStatus.pending, OutboxStatus.sending)
        return cls(
            id=m.id,
            idempotency_key=m.idempotency_key,
            channel=m.channel,
            kind=m.kind,
            status=m.status,
            reference=reference,
            recipient=m.recipient,
            subject=m.payload.get("subject") if m.channel is Channel.email else None,
            message_id=m.message_id,
            subscription_id=m.subscription_id,
            attempts=m.attempts,
            failures=m.failures,
            next_attempt_at=m.next_attempt_at if waiting else None,
            last_error=m.last_error,
            created_at=m.created_at,
            sent_at=m.sent_at,
        )


class OutboxDetail(OutboxOut):
    content: dict[str, Any] = Field(
        description="What is sent: an e-mail's text and HTML parts, or a webhook's JSON."
    )
    attempt_log: list[AttemptOut]

    @classmethod
    def detail(cls, m: OutboxMessage, reference: str | None) -> OutboxDetail:
        content = (
            {"text": m.payload.get("text"), "html": m.payload.get("html")}
            if m.channel is Channel.email
            else dict(m.payload)
        )
        return cls(
            **OutboxOut.of(m, reference).model_dump(),
            content=content,
            attempt_log=[AttemptOut.of(a) for a in m.attempt_log],
        )


class OutboxPage(BaseModel):
    items: list[OutboxOut]
    next_cursor: str | None
