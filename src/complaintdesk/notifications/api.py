"""Staff routes: the outbox (what was sent, what failed, retry) and webhook subscriptions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from complaintdesk.notifications import queries, services
from complaintdesk.notifications.models import Channel, OutboxStatus
from complaintdesk.notifications.schemas import (
    EventCatalogue,
    OutboxDetail,
    OutboxOut,
    OutboxPage,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
)
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.web.deps import Desk, desk, staff
from complaintdesk.web.params import AnyOf

router = APIRouter(prefix="/api/v1", tags=["notifications"])


@router.get("/outbox", response_model=OutboxPage, summary="Outgoing mail and webhook deliveries")
def list_outbox(
    status: Annotated[
        list[OutboxStatus] | None,
        AnyOf,
        Query(description="any of these statuses: repeat or comma-separate"),
    ] = None,
    channel: Channel | None = None,
    reference: Annotated[str | None, Query(max_length=20)] = None,
    subscription: int | None = None,
    limit: Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)] = 50,
    cursor: Annotated[str | None, Query(max_length=20)] = None,
    actor: StaffActor = Depends(staff),
    d: Desk = Depends(desk),
) -> OutboxPage:
    filters = queries.OutboxFilter(
        statuses=status or (), channel=channel, reference=reference, subscription_id=subscription
    )
    with d.db.read() as session:
        page = queries.list_outbox(session, actor, filters, limit=limit, cursor=cursor)
        return OutboxPage(
            items=[OutboxOut.of(m, ref) for m, ref in page.items], next_cursor=page.next_cursor
        )


@router.get(
    "/outbox/{outbox_id}", response_model=OutboxDetail, summary="One message and its attempts"
)
def get_outbox(
    outbox_id: int, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> OutboxDetail:
    with d.db.read() as session:
        message, reference = queries.get_message(session, actor, outbox_id)
        return OutboxDetail.detail(message, reference)


@router.post(
    "/outbox/{outbox_id}/retry",
    response_model=OutboxDetail,
    summary="Send again a message the worker gave up on",
)
def retry(
    outbox_id: int, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> OutboxDetail:
    with d.db.transaction() as session:
        services.retry(session, actor, outbox_id)
    with d.db.read() as session:
        message, reference = queries.get_message(session, actor, outbox_id)
        return OutboxDetail.detail(message, reference)


@router.get(
    "/webhooks/events", response_model=EventCatalogue, summary="The events one can subscribe to"
)
def events(_: StaffActor = Depends(staff)) -> EventCatalogue:
    return EventCatalogue(events=list(services.EVENT_NAMES))


@router.get("/webhooks", response_model=list[SubscriptionOut], summary="Webhook subscriptions")
def list_webhooks(
    actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> list[SubscriptionOut]:
    with d.db.read() as session:
        return [SubscriptionOut.of(s) for s in services.list_subscriptions(session, actor)]


@router.post(
    "/webhooks",
    status_code=201,
    response_model=SubscriptionCreated,
    summary="Subscribe a URL to case events (the secret is shown once)",
)
def create_webhook(
    body: SubscriptionIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> SubscriptionCreated:
    with d.db.transaction() as session:
        subscription, secret = services.create_subscription(
            session,
            actor,
            url=body.url,
            events=body.events,
            description=body.description,
            private_addresses=d.settings.webhook_private_addresses,
        )
        return SubscriptionCreated(**SubscriptionOut.of(subscription).model_dump(), secret=secret)


@router.get("/webhooks/{subscription_id}", response_model=SubscriptionOut, summary="A subscription")
def get_webhook(
    subscription_id: int, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> SubscriptionOut:
    with d.db.read() as session:
        return SubscriptionOut.of(services.get_subscription(session, actor, subscription_id))


@router.post(
    "/webhooks/{subscription_id}/disable",
    response_model=SubscriptionOut,
    summary="Stop a subscription (deliveries still waiting are cancelled)",
)
def disable_webhook(
    subscription_id: int, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> SubscriptionOut:
    with d.db.transaction() as session:
        return SubscriptionOut.of(services.disable_subscription(session, actor, subscription_id))
