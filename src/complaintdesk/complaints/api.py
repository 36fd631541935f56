"""JSON routes of the complaints context: the customer's (no login) and the staff's."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Header, Query, Response, UploadFile
from fastapi.responses import JSONResponse
from sqlalchemy import select

from complaintdesk.complaints import queries, representations, services
from complaintdesk.complaints.deadlines import deadlines_of
from complaintdesk.complaints.errors import NotFound
from complaintdesk.complaints.models import Attachment, Category, Kind, Status
from complaintdesk.complaints.schemas import (
    AssignIn,
    AttachmentOut,
    CaseOut,
    CasePage,
    ComplaintIn,
    ConsultationIn,
    ConvertIn,
    Created,
    Deadlines,
    FeedbackIn,
    FiledOut,
    MessageIn,
    ProposalOut,
    ResolutionIn,
    ReviewIn,
    TrackOut,
    TransitionIn,
)
from complaintdesk.decisions import services as decisions
from complaintdesk.decisions.rules import ApprovalPolicy
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.web.deps import Desk, desk, public_rate_limit, staff
from complaintdesk.web.params import AnyOf
from complaintdesk.web.responses import model_response

public = APIRouter(prefix="/api/v1", tags=["customers"], dependencies=[Depends(public_rate_limit)])
router = APIRouter(prefix="/api/v1", tags=["staff"])

AccessKey = Annotated[str | None, Header(alias="X-Access-Key", description="The case's access key")]


def _customer(body: ComplaintIn | ConvertIn) -> services.CustomerDetails:
    c = body.customer
    return services.CustomerDetails(
        email=str(c.email), name=c.name or None, phone=c.phone, account_id=c.account_id
    )


def _filed(filed: services.Filed) -> FiledOut:
    case = filed.case
    return FiledOut(
        reference=case.reference,
        access_key=filed.access_key,
        kind=case.kind,
        status=case.status,
        category=case.category,
        deadlines=Deadlines(**deadlines_of(case)),
    )


@public.post(
    "/complaints", status_code=201, response_model=FiledOut, summary="File a formal complaint"
)
def file_complaint(body: ComplaintIn, d: Desk = Depends(desk)) -> Response:
    evidence = body.evidence.model_dump(exclude_none=True) if body.evidence else None
    with d.db.transaction() as session:
        filed = services.file_complaint(
            session,
            subject=body.subject,
            description=body.description,
            customer=_customer(body),
            policy=d.policy,
            category=body.category,
            language=body.language,
            jurisdiction=body.jurisdiction,
            bet_ids=body.bet_ids,
            evidence=evidence,
        )
        return model_response(_filed(filed), status_code=201)


@public.post(
    "/consultations", status_code=201, response_model=FiledOut, summary="Ask an anonymous question"
)
def open_consultation(body: ConsultationIn, d: Desk = Depends(desk)) -> FiledOut:
    with d.db.transaction() as session:
        return _filed(
            services.open_consultation(
                session, question=body.question, language=body.language, policy=d.policy
            )
        )


@public.get("/track/{reference}", response_model=TrackOut, summary="Follow a case")
def track(reference: str, access_key: AccessKey = None, d: Desk = Depends(desk)) -> Response:
    with d.db.read() as session:
        case = services.open_for_customer(session, reference, access_key)
        return model_response(representations.track_view(session, case))


@public.post(
    "/track/{reference}/messages",
    status_code=201,
    response_model=Created,
    summary="Write to the desk about a case",
)
def customer_message(
    reference: str, body: MessageIn, access_key: AccessKey = None, d: Desk = Depends(desk)
) -> Created:
    with d.db.transaction() as session:
        case = services.open_for_customer(session, reference, access_key)
        message = services.customer_message(session, case, body.body)
        return Created(id=message.id, created_at=message.created_at)


@public.post(
    "/track/{reference}/attachments",
    status_code=201,
    response_model=AttachmentOut,
    summary="Add a document (PDF, PNG, JPEG, WebP or plain text)",
)
async def upload(
    reference: str,
    file: UploadFile = File(...),
    access_key: AccessKey = None,
    d: Desk = Depends(desk),
) -> AttachmentOut:
    # Read at most one byte past the limit: enough to refuse, never the whole of a huge file.
    data = await file.read(d.settings.upload_max_bytes + 1)
    with d.db.transaction() as session:
        case = services.open_for_customer(session, reference, access_key)
        attachment = services.add_attachment(
            session,
            d.storage,
            case,
            filename=file.filename,
            data=data,
            limit=d.settings.upload_max_bytes,
        )
        return representations.attachment_out(attachment)


@public.get(
    "/track/{reference}/attachments/{attachment_id}",
    summary="Download a document",
    response_class=Response,
)
def download(
    reference: str, attachment_id: int, access_key: AccessKey = None, d: Desk = Depends(desk)
) -> Response:
    with d.db.read() as session:
        case = services.open_for_customer(session, reference, access_key)
        attachment = session.scalar(
            select(Attachment).where(
                Attachment.id == attachment_id,
                Attachment.complaint_id == case.id,
                Attachment.internal.is_(False),
            )
        )
        if attachment is None:
            raise NotFound("no such document on this case")
        return _file_response(d, attachment)


@public.post(
    "/track/{reference}/review",
    status_code=201,
    response_model=TrackOut,
    summary="Ask for a review of the outcome",
)
def request_review(
    reference: str, body: ReviewIn, access_key: AccessKey = None, d: Desk = Depends(desk)
) -> TrackOut:
    with d.db.transaction() as session:
        case = services.open_for_customer(session, reference, access_key)
        services.request_review(session, case, body.reason)
        return representations.track_view(session, case)


@public.post(
    "/track/{reference}/feedback",
    status_code=201,
    response_model=TrackOut,
    summary="Rate the outcome, 1 to 5",
)
def feedback(
    reference: str, body: FeedbackIn, access_key: AccessKey = None, d: Desk = Depends(desk)
) -> TrackOut:
    with d.db.transaction() as session:
        case = services.open_for_customer(session, reference, access_key)
        services.leave_feedback(session, case, body.score, body.comment)
        return representations.track_view(session, case)


@public.post(
    "/track/{reference}/convert",
    response_model=TrackOut,
    summary="Turn an anonymous consultation into a formal complaint",
)
def convert(
    reference: str, body: ConvertIn, access_key: AccessKey = None, d: Desk = Depends(desk)
) -> TrackOut:
    with d.db.transaction() as session:
        case = services.open_for_customer(session, reference, access_key)
        services.convert_consultation(
            session,
            case,
            customer=_customer(body),
            policy=d.policy,
            subject=body.subject,
            category=body.category,
            jurisdiction=body.jurisdiction,
        )
        return representations.track_view(session, case)


# --- staff -------------------------------------------------------------------------


@router.get("/complaints", response_model=CasePage, summary="List cases (the queue)")
def list_cases(
    status: Annotated[
        list[Status] | None,
        AnyOf,
        Query(description="any of these statuses: repeat or comma-separate"),
    ] = None,
    category: Annotated[
        list[Category] | None,
        AnyOf,
        Query(description="any of these categories: repeat or comma-separate"),
    ] = None,
    kind: Kind | None = None,
    team: Annotated[str | None, Query(max_length=64)] = None,
    assignee: Annotated[
        str | None, Query(max_length=64, description="a username or 'none'")
    ] = None,
    language: Literal["en", "ru"] | None = None,
    sla: Annotated[
        Literal["ok", "at_risk", "breached"] | None,
        Query(description="cases whose clocks are at risk or breached (as of the last sweep)"),
    ] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    sort: Literal["due", "created", "-created", "-updated"] = "due",
    limit: Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)] = 25,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    actor: StaffActor = Depends(staff),
    d: Desk = Depends(desk),
) -> Response:
    filters = queries.CaseFilter(
        statuses=status or (),
        categories=category or (),
        kind=kind,
        team=team,
        assignee=assignee,
        language=language,
        sla=sla,
        q=q,
    )
    with d.db.read() as session:
        page = queries.list_cases(session, actor, filters, sort=sort, limit=limit, cursor=cursor)
        return model_response(
            CasePage(
                items=[representations.summary(c, u) for c, u in page.items],
                next_cursor=page.next_cursor,
            )
        )


@router.get("/complaints/{reference}", response_model=CaseOut, summary="The whole case")
def get_case(
    reference: str, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> Response:
    with d.db.read() as session:
        case = services.get_case(session, actor, reference)
        return model_response(representations.staff_view(session, case))


@router.get(
    "/complaints/{reference}/attachments/{attachment_id}",
    response_class=Response,
    summary="Download a document of the case",
)
def staff_download(
    reference: str, attachment_id: int, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> Response:
    with d.db.read() as session:
        case = services.get_case(session, actor, reference)
        attachment = next((a for a in case.attachments if a.id == attachment_id), None)
        if attachment is None:
            raise NotFound("no such document on this case")
        return _file_response(d, attachment)


@router.post(
    "/complaints/{reference}/replies",
    status_code=201,
    response_model=Created,
    summary="Reply to the customer",
)
def reply(
    reference: str, body: MessageIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> Created:
    with d.db.transaction() as session:
        message = services.reply(session, actor, reference, body.body)
        return Created(id=message.id, created_at=message.created_at)


@router.post(
    "/complaints/{reference}/notes",
    status_code=201,
    response_model=Created,
    summary="Add an internal note (never shown to the customer)",
)
def note(
    reference: str, body: MessageIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> Created:
    with d.db.transaction() as session:
        message = services.add_note(session, actor, reference, body.body)
        return Created(id=message.id, created_at=message.created_at)


@router.post("/complaints/{reference}/assign", response_model=CaseOut, summary="Assign the case")
def assign(
    reference: str, body: AssignIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> CaseOut:
    with d.db.transaction() as session:
        services.assign(
            session,
            actor,
            reference,
            assignee=body.assignee,
            unassign=body.unassign,
            team=body.team,
            expected_version=body.version,
        )
    return _after_write(d, actor, reference)


@router.post(
    "/complaints/{reference}/transitions",
    response_model=CaseOut,
    summary="Move the case through its lifecycle",
)
def move(
    reference: str, body: TransitionIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> CaseOut:
    with d.db.transaction() as session:
        services.transition(
            session, actor, reference, to=body.to, reason=body.reason, expected_version=body.version
        )
    return _after_write(d, actor, reference)


@router.post(
    "/complaints/{reference}/resolution",
    response_model=CaseOut,
    summary="Record the final response (or propose it, when it needs approval)",
    responses={
        202: {
            "model": ProposalOut,
            "description": "A refused payout or compensation above the limit: the decision "
            "waits for a compliance officer (POST .../resolution/approve or /reject); the "
            "customer is told nothing until it is approved.",
        }
    },
)
def resolve(
    reference: str, body: ResolutionIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> Response | CaseOut:
    with d.db.transaction() as session:
        decision = services.resolve(
            session,
            actor,
            reference,
            outcome=body.outcome,
            summary=body.summary,
            compensation=body.compensation.as_tuple() if body.compensation else None,
            approval=ApprovalPolicy.from_settings(d.settings),
            wording_checked=body.wording_checked,
            expected_version=body.version,
        )
        waiting = (decision.case.id, decision.proposal.id) if decision.proposal else None
    if waiting is not None:
        with d.db.read() as session:
            proposal = next(p for p in decisions.history(session, waiting[0]) if p.id == waiting[1])
            return JSONResponse(
                representations.proposal_out(proposal).model_dump(mode="json"), status_code=202
            )
    return _after_write(d, actor, reference)


def _after_write(d: Desk, actor: StaffActor, reference: str) -> CaseOut:
    with d.db.read() as session:
        return representations.staff_view(session, services.get_case(session, actor, reference))


def _file_response(d: Desk, attachment: Attachment) -> Response:
    # Always a download, never rendered inline: a document a customer uploaded must not
    # run as a page of ours, whatever it contains.
    quoted = quote(attachment.filename, safe="")
    return Response(
        d.storage.get(attachment.storage_key),
        media_type=attachment.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quoted}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
