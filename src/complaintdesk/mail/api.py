"""Staff routes for incoming mail: what arrived, and the held messages to decide on."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from complaintdesk.mail import queries, services
from complaintdesk.mail.models import Disposition
from complaintdesk.mail.schemas import InboundDetail, InboundOut, InboundPage
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.web.deps import Desk, desk, staff
from complaintdesk.web.params import AnyOf

router = APIRouter(prefix="/api/v1/mail", tags=["mail"])


@router.get("/inbound", response_model=InboundPage, summary="Incoming mail (held=waiting for you)")
def list_inbound(
    disposition: Annotated[
        list[Disposition] | None,
        AnyOf,
        Query(description="any of these, e.g. held: repeat or comma-separate"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)] = 50,
    cursor: Annotated[str | None, Query(max_length=20)] = None,
    actor: StaffActor = Depends(staff),
    d: Desk = Depends(desk),
) -> InboundPage:
    with d.db.read() as session:
        page = queries.list_inbound(
            session, actor, dispositions=disposition or (), limit=limit, cursor=cursor
        )
        return InboundPage(
            items=[InboundOut.of(m, ref) for m, ref in page.items], next_cursor=page.next_cursor
        )


@router.get("/inbound/{inbound_id}", response_model=InboundDetail, summary="One incoming message")
def get_inbound(
    inbound_id: int, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> InboundDetail:
    with d.db.read() as session:
        record = services.get_inbound(session, actor, inbound_id)
        return InboundDetail.detail(record, queries.reference_of(session, record))


@router.post(
    "/inbound/{inbound_id}/release",
    response_model=InboundDetail,
    summary="Put a held message on its case, with its attachments",
)
def release(
    inbound_id: int, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> InboundDetail:
    with d.db.transaction() as session:
        record = services.release(session, actor, d.storage, d.settings, inbound_id)
        return InboundDetail.detail(record, queries.reference_of(session, record))


@router.post(
    "/inbound/{inbound_id}/discard",
    response_model=InboundDetail,
    summary="Set a held message aside (it stays on record, never on the case)",
)
def discard(
    inbound_id: int, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> InboundDetail:
    with d.db.transaction() as session:
        record = services.discard(session, actor, inbound_id)
        return InboundDetail.detail(record, queries.reference_of(session, record))
