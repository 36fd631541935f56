"""The case pages: opening a case by link or by reference and key, the case itself, the
confirmation with the key shown once, and what the customer can do there (write, add
documents, ask for a review, rate, make a question a complaint, forget the case)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from complaintdesk.complaints import representations, services
from complaintdesk.complaints.errors import (
    ComplaintError,
    InvalidRequest,
    InvalidTransition,
    NotFound,
)
from complaintdesk.complaints.models import Attachment, Complaint
from complaintdesk.complaints.references import normalise_reference
from complaintdesk.portal import access, forms, terms, tracking, wording
from complaintdesk.portal.views import handling
from complaintdesk.web.deps import Desk, desk, public_rate_limit
from complaintdesk.web.i18n import N_
from complaintdesk.web.security import NO_REFERRER
from complaintdesk.web.templating import Pages, pages

router = APIRouter(include_in_schema=False)
limited = [Depends(public_rate_limit)]

NOTICES = {
    "message": N_("Your message has been sent. We will answer here."),
    "document": N_("Your document has been added to the case."),
    "review": N_("You have asked for a review. A senior colleague will look at your case again."),
    "feedback": N_("Thank you for rating our answer."),
    "converted": N_("Your question is now a formal complaint."),
}
NOT_NOW = N_("This cannot be done at this stage of your case.")
NO_FILE = N_("Please choose a file to send.")


# --- opening a case -------------------------------------------------------------------------


@router.get("/track")
def lookup_page(request: Request, p: Pages = Depends(pages)) -> Response:
    return p.render(
        request, "portal/lookup.html", {"values": {"reference": "", "key": ""}, "errors": {}}
    )


@router.post("/track", dependencies=limited)
async def lookup(request: Request, d: Desk = Depends(desk), p: Pages = Depends(pages)) -> Response:
    posted = await handling.posted(request, d)
    form = forms.reference_form(posted.data)
    if not form.valid:
        return p.render(
            request,
            "portal/lookup.html",
            {"values": form.values, "errors": handling.errors(p, request, form)},
            status_code=422,
        )
    reference = normalise_reference(form.values["reference"]) or form.values["reference"]
    key = form.values["key"].strip()
    return await run_in_threadpool(_open_with_key, request, d, p, reference, key)


def _open_with_key(request: Request, d: Desk, p: Pages, reference: str, key: str) -> Response:
    try:
        with d.db.read() as session:
            case = services.open_for_customer(session, reference, key)
            canonical = case.reference
    except NotFound:
        return handling.not_found(p, request, reference, **NO_REFERRER)
    response = handling.redirect(access.case_path(canonical), NO_REFERRER)
    access.grant(response, d.settings, canonical, key)
    return response


@router.get("/t/{reference}/{key}", dependencies=limited)
def case_link(
    request: Request,
    reference: str,
    key: str,
    d: Desk = Depends(desk),
    p: Pages = Depends(pages),
) -> Response:
    """The link we give and e-mail: trade the key for a case cookie, then drop it from the
    address bar (and from any Referer) by redirecting to the plain case page."""
    return _open_with_key(request, d, p, reference, key)


# --- the case -------------------------------------------------------------------------------


def _case_page(
    request: Request,
    d: Desk,
    p: Pages,
    session: Session,
    case: Complaint,
    *,
    values: Mapping[str, Mapping[str, str]] | None = None,
    errors: Mapping[str, Mapping[str, str]] | None = None,
    notice: str | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> Response:
    view = representations.track_view(session, case)
    page = tracking.case_page(case, view, handling.translator(p, request))
    with_terms = terms.customer_terms(session, d.settings, case.jurisdiction, p.language(request))
    return p.render(
        request,
        "portal/track.html",
        {
            "case": page,
            "reference": case.reference,
            "values": values or {},
            "errors": errors or {},
            "notice": notice,
            "problem": problem,
            "terms": with_terms,
            "categories": wording.CATEGORIES,
            "upload_limit": handling.limit_text(d, p, request),
        },
        status_code=status_code,
    )


def _canonical(reference: str) -> str | None:
    return normalise_reference(reference)


@router.get("/track/{reference}")
def case_page(
    request: Request,
    reference: str,
    done: str | None = None,
    d: Desk = Depends(desk),
    p: Pages = Depends(pages),
) -> Response:
    canonical = _canonical(reference)
    if canonical and canonical != reference:
        return RedirectResponse(access.case_path(canonical), status_code=308)
    key = access.key_for(request, d.settings, canonical or "")
    if canonical is None or key is None:
        return handling.not_found(p, request, canonical or "")
    with d.db.read() as session:
        try:
            case = services.open_for_customer(session, canonical, key)
        except NotFound:
            response = handling.not_found(p, request, canonical)
            access.forget(response, d.settings, canonical)
            return response
        notice = handling.translator(p, request)(NOTICES[done]) if done in NOTICES else None
        return _case_page(request, d, p, session, case, notice=notice)


@router.get("/track/{reference}/confirmation")
def confirmation(
    request: Request, reference: str, d: Desk = Depends(desk), p: Pages = Depends(pages)
) -> Response:
    canonical = _canonical(reference) or ""
    key = access.key_for(request, d.settings, canonical)
    if key is None:
        return handling.not_found(p, request, canonical)
    if not access.just_filed(request, d.settings, canonical):
        return handling.redirect(access.case_path(canonical))
    with d.db.read() as session:
        try:
            case = services.open_for_customer(session, canonical, key)
        except NotFound:
            return handling.not_found(p, request, canonical)
        base = d.settings.public_base_url.rstrip("/")
        return p.render(
            request,
            "portal/confirmation.html",
            {
                "reference": case.reference,
                "key": key,
                "link": f"{base}/t/{case.reference}/{quote(key, safe='')}",
                "kind": case.kind.value,
                "email": case.customer_email,
                "first_response_due": case.first_response_due_at,
            },
        )


@dataclass
class Submitted:
    """A form posted on the case page, its files already read and checked."""

    data: dict[str, str]
    files: list[tuple[str | None, bytes]]
    file_error: str | None


Action = Callable[[Session, Complaint, Submitted], "str | forms.Form"]


async def _act(
    request: Request, reference: str, d: Desk, p: Pages, *, form_name: str, action: Action
) -> Response:
    """Run one customer action on the case this browser holds, then show the outcome.

    ``action`` returns the notice code for the redirect, or the form with its errors to
    show again on the case page (nothing is written then).
    """
    posted = await handling.posted(request, d)
    canonical = _canonical(reference) or ""
    key = access.key_for(request, d.settings, canonical)
    if key is None:
        return handling.not_found(p, request, canonical)
    files, file_error = await handling.read_files(posted.files, d, p, request)
    submitted = Submitted(posted.data, files, file_error)
    problem: str | None = None

    def run() -> Response:
        nonlocal problem
        try:
            with d.db.transaction() as session:
                case = services.open_for_customer(session, canonical, key)
                outcome = action(session, case, submitted)
                if isinstance(outcome, str):
                    return handling.redirect(f"{access.case_path(canonical)}?done={outcome}")
        except NotFound:
            return handling.not_found(p, request, canonical)
        except (InvalidTransition, InvalidRequest):
            # The case moved on (or never got there): say so at the top of the page, where
            # it shows even when the form itself is no longer offered.
            outcome = forms.Form(values=dict(posted.data))
            problem = handling.translator(p, request)(NOT_NOW)
        with d.db.read() as session:
            case = services.open_for_customer(session, canonical, key)
            errors = handling.errors(p, request, outcome)
            if file_error:
                errors["files"] = file_error
            return _case_page(
                request,
                d,
                p,
                session,
                case,
                values={form_name: outcome.values},
                errors={form_name: errors},
                problem=problem,
                status_code=422,
            )

    return await run_in_threadpool(run)


@router.post("/track/{reference}/messages", dependencies=limited)
async def write(
    request: Request, reference: str, d: Desk = Depends(desk), p: Pages = Depends(pages)
) -> Response:
    def action(session: Session, case: Complaint, posted: Submitted) -> str | forms.Form:
        form, body = forms.message_form(posted.data)
        if body is None:
            return form
        services.customer_message(session, case, body)
        return "message"

    return await _act(request, reference, d, p, form_name="message", action=action)


@router.post("/track/{reference}/documents", dependencies=limited)
async def add_document(
    request: Request, reference: str, d: Desk = Depends(desk), p: Pages = Depends(pages)
) -> Response:
    def action(session: Session, case: Complaint, posted: Submitted) -> str | forms.Form:
        form = forms.Form(values={})
        if posted.file_error:
            form.fail("files", NO_FILE)  # replaced by the precise message when shown
        elif not posted.files:
            form.fail("files", NO_FILE)
        else:
            handling.attach(session, d, case, posted.files)
            return "document"
        return form

    return await _act(request, reference, d, p, form_name="document", action=action)


@router.post("/track/{reference}/review", dependencies=limited)
async def ask_for_review(
    request: Request, reference: str, d: Desk = Depends(desk), p: Pages = Depends(pages)
) -> Response:
    def action(session: Session, case: Complaint, posted: Submitted) -> str | forms.Form:
        form, reason = forms.message_form(posted.data, "reason")
        if reason is None:
            return form
        services.request_review(session, case, reason)
        return "review"

    return await _act(request, reference, d, p, form_name="review", action=action)


@router.post("/track/{reference}/feedback", dependencies=limited)
async def rate(
    request: Request, reference: str, d: Desk = Depends(desk), p: Pages = Depends(pages)
) -> Response:
    def action(session: Session, case: Complaint, posted: Submitted) -> str | forms.Form:
        form, rating = forms.feedback_form(posted.data)
        if rating is None:
            return form
        services.leave_feedback(session, case, rating[0], rating[1])
        return "feedback"

    return await _act(request, reference, d, p, form_name="feedback", action=action)


@router.post("/track/{reference}/convert", dependencies=limited)
async def convert(
    request: Request, reference: str, d: Desk = Depends(desk), p: Pages = Depends(pages)
) -> Response:
    def action(session: Session, case: Complaint, posted: Submitted) -> str | forms.Form:
        form, parsed = forms.convert_form(posted.data)
        if parsed is None:
            return form
        category, contact = parsed
        services.convert_consultation(
            session,
            case,
            customer=services.CustomerDetails(
                email=contact.email,
                name=contact.name,
                phone=contact.phone,
                account_id=contact.account_id,
            ),
            policy=d.policy,
            category=category,
        )
        return "converted"

    return await _act(request, reference, d, p, form_name="convert", action=action)


@router.post("/track/{reference}/forget")
async def forget(request: Request, reference: str, d: Desk = Depends(desk)) -> Response:
    """Remove the case from this browser (a shared computer, a borrowed phone)."""
    await handling.posted(request, d)
    response = handling.redirect("/")
    access.forget(response, d.settings, _canonical(reference) or reference)
    return response


@router.get("/track/{reference}/documents/{attachment_id}")
def download(
    request: Request,
    reference: str,
    attachment_id: int,
    d: Desk = Depends(desk),
    p: Pages = Depends(pages),
) -> Response:
    canonical = _canonical(reference) or ""
    key = access.key_for(request, d.settings, canonical)
    with d.db.read() as session:
        try:
            case = services.open_for_customer(session, canonical, key)
        except ComplaintError:
            return handling.not_found(p, request, canonical)
        attachment = session.scalar(
            select(Attachment).where(
                Attachment.id == attachment_id,
                Attachment.complaint_id == case.id,
                Attachment.internal.is_(False),
            )
        )
        if attachment is None:
            return handling.not_found(p, request, canonical)
        # Always a download, never shown inline: a customer's file must not run as our page.
        return Response(
            d.storage.get(attachment.storage_key),
            media_type=attachment.content_type,
            headers={
                "Content-Disposition": "attachment; filename*=UTF-8''"
                + quote(attachment.filename, safe=""),
                "Cache-Control": "private, no-store",
            },
        )
