"""Retention of the outbox: webhook deliveries are kept a while, customers' mail for good.

A webhook delivery copies a case's details to the operator's systems; once it has gone out,
been given up or cancelled, it and its attempts are kept ``keep`` (the desk's
``WEBHOOK_RETENTION_DAYS``) for anyone looking into a delivery, then deleted. An e-mail to a
customer stays with its case: it is the record of what the customer was told, and when.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from complaintdesk.notifications.models import (
    Channel,
    DeliveryAttempt,
    OutboxMessage,
    OutboxStatus,
)

FINISHED = (OutboxStatus.sent, OutboxStatus.failed, OutboxStatus.cancelled)


def prune_webhooks(session: Session, *, now: dt.datetime, keep: dt.timedelta) -> int:
    """Delete the webhook deliveries finished before ``now - keep``; how many."""
    old = select(OutboxMessage.id).where(
        OutboxMessage.channel == Channel.webhook,
        OutboxMessage.status.in_(FINISHED),
        OutboxMessage.updated_at < now - keep,
    )
    session.execute(delete(DeliveryAttempt).where(DeliveryAttempt.message_id.in_(old)))
    deleted = session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(old)))
    return cast(CursorResult[Any], deleted).rowcount
