"""Staff use cases of the notifications context: webhook subscriptions, and retrying by
hand a message the worker gave up on. Authorisation is decided here (``permissions``):
subscriptions are managed by leads and admins; a mail to a customer may be retried by any
staff member (it is a message to the customer, like a reply), a webhook delivery by those
who manage webhooks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from complaintdesk.complaints.models import Actor, ComplaintEvent
from complaintdesk.db import utcnow
from complaintdesk.notifications.derive import ALL_EVENTS, WEBHOOK_EVENTS
from complaintdesk.notifications.errors import (
    InvalidSubscription,
    NotRetryable,
    OutboxMessageNotFound,
    SubscriptionNotFound,
)
from complaintdesk.notifications.models import (
    Channel,
    OutboxMessage,
    OutboxStatus,
    WebhookSubscription,
)
from complaintdesk.notifications.webhooks import literal_address, new_secret, public
from complaintdesk.staff.permissions import Action, StaffActor, require

EVENT_NAMES = tuple(sorted(set(WEBHOOK_EVENTS.values())))


def _check_url(url: str, *, private_addresses: bool) -> str:
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError:
        raise InvalidSubscription("the URL is not a valid address") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidSubscription("the URL must be an absolute http:// or https:// address")
    host = parts.hostname.rstrip(".")
    literal = literal_address(host)
    inside = (
        (literal is not None and not public(literal))
        or host == "localhost"
        or (host.endswith(".localhost"))
    )
    if inside and not private_addresses:
        raise InvalidSubscription(
            f"{host} is not a public address: deliveries inside the operator's network are "
            "refused unless COMPLAINTDESK_WEBHOOK_PRIVATE_ADDRESSES allows them"
        )
    if parts.username or parts.password:
        raise InvalidSubscription(
            "put no credentials in the URL: the signature authenticates each delivery"
        )
    if parts.fragment:
        raise InvalidSubscription("the URL must not have a #fragment")
    return url


def _check_events(events: Sequence[str]) -> list[str]:
    chosen = list(dict.fromkeys(e.strip() for e in events))
    if not chosen:
        raise InvalidSubscription("name at least one event, or * for all")
    unknown = [e for e in chosen if e != ALL_EVENTS and e not in EVENT_NAMES]
    if unknown:
        raise InvalidSubscription(
            f"unknown event {', '.join(unknown)}; known: {', '.join(EVENT_NAMES)} (or *)"
        )
    return [ALL_EVENTS] if ALL_EVENTS in chosen else chosen


def create_subscription(
    session: Session,
    actor: StaffActor,
    *,
    url: str,
    events: Sequence[str],
    description: str = "",
    private_addresses: bool = False,
    now: dt.datetime | None = None,
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its signing secret: the only time the secret is shown.

    Its URL must name a public host unless ``private_addresses`` (the desk's setting)
    allows one inside the operator's network; each delivery checks the address again."""
    require(actor, Action.manage_webhooks)
    secret = new_secret()
    subscription = WebhookSubscription(
        url=_check_url(url, private_addresses=private_addresses),
        events=_check_events(events),
        description=description.strip(),
        secret=secret,
        active=True,
        created_at=now or utcnow(),
        created_by_id=actor.id,
    )
    session.add(subscription)
    session.flush()
    return subscription, secret


def list_subscriptions(session: Session, actor: StaffActor) -> list[WebhookSubscription]:
    require(actor, Action.manage_webhooks)
    return list(session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id)))


def get_subscription(
    session: Session, actor: StaffActor, subscription_id: int
) -> WebhookSubscription:
    require(actor, Action.manage_webhooks)
    subscription = session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise SubscriptionNotFound(f"no webhook subscription {subscription_id}")
    return subscription


def disable_subscription(
    session: Session, actor: StaffActor, subscription_id: int, *, now: dt.datetime | None = None
) -> WebhookSubscription:
    """Stop sending to it: no new deliveries, and those still waiting are cancelled."""
    now = now or utcnow()
    subscription = get_subscription(session, actor, subscription_id)
    if subscription.active:
        subscription.active = False
        subscription.disabled_at = now
        subscription.disabled_by_id = actor.id
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.subscription_id == subscription.id,
                OutboxMessage.status.in_([OutboxStatus.pending, OutboxStatus.failed]),
            )
            .values(
                status=OutboxStatus.cancelled,
                last_error="the webhook subscription was disabled",
                updated_at=now,
            )
        )
        session.flush()
    return subscription


def retry(
    session: Session, actor: StaffActor, outbox_id: int, *, now: dt.datetime | None = None
) -> OutboxMessage:
    """Send again a message the worker gave up on, with a fresh set of attempts."""
    now = now or utcnow()
    message = session.get(OutboxMessage, outbox_id, with_for_update=True)
    if message is None:
        raise OutboxMessageNotFound(f"no outgoing message {outbox_id}")
    require(actor, Action.reply if message.channel is Channel.email else Action.manage_webhooks)
    if message.status is not OutboxStatus.failed:
        raise NotRetryable(
            f"message {outbox_id} is {message.status.value}; only a message the worker gave "
            "up on (failed) can be retried"
        )
    if message.payload.get("unwritten"):
        raise NotRetryable(
            f"message {outbox_id} could not be written ({message.last_error}); there is "
            "nothing to send"
        )
    if message.subscription_id is not None:
        subscription = session.get(WebhookSubscription, message.subscription_id)
        if subscription is None or not subscription.active:
            raise NotRetryable("its webhook subscription is disabled")
    message.status = OutboxStatus.pending
    message.failures = 0
    message.next_attempt_at = now
    message.updated_at = now
    if message.complaint_id is not None:
        session.add(
            ComplaintEvent(
                complaint_id=message.complaint_id,
                type="notification_retried",
                actor=Actor.staff,
                user_id=actor.id,
                public=False,
                at=now,
                data={"outbox_id": message.id, "channel": message.channel.value},
            )
        )
    session.flush()
    return message
