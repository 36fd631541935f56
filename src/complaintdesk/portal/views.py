"""The customer portal's pages at ``/``: file, ask, confirm, follow, answer, escalate.

Every form posts and redirects (PRG) and works without JavaScript. A form with mistakes is
shown again with every value kept and each mistake next to its field. Routes read the
form, check its CSRF token, call one service and render; the services decide what a case
allows. Access keys never appear in a URL the browser keeps: see ``portal/access.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from complaintdesk.complaints import representations, services
from complaintdesk.complaints.documents import check_size, sniff_content_type
from complaintdesk.complaints.errors import (
    ComplaintError,
    InvalidRequest,
    InvalidTransition,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from complaintdesk.complaints.models import Attachment, Complaint
from complaintdesk.complaints.references import normalise_reference
from complaintdesk.portal import access, embedding, forms, terms, tracking, wording
from complaintdesk.web import csrf
from complaintdesk.web.deps import Desk, desk, public_rate_limit
from complaintdesk.web.i18n import N_, catalogs
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
FILE_TOO_LARGE = N_("“%(name)s” is larger than %(limit)s. Please send a smaller file.")
FILE_TYPE = N_(
    "“%(name)s” is not a kind of file we accept: please send PDF, PNG, JPEG, WebP or text."
)
FILE_EMPTY = N_("“%(name)s” is empty.")
FILES_TOO_MANY = N_("Please attach at most %(limit)s files at a time.")
FILES_AGAIN = N_("For your safety the browser forgets chosen files: please choose them again.")
NO_FILE = N_("Please choose a file to send.")
TICKET_EXPIRED = N_(
    "Your sign-in from the operator's site has expired, so this complaint is not linked to "
    "your account. You can still send it, or open the form again from the site."
)


# --- helpers ----------------------------------------------------------------------------


@dataclass
class Posted:
    data: dict[str, str]
    files: list[UploadFile]


async def _posted(request: Request, d: Desk) -> Posted:
    form = await request.form()
    data = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    csrf.verify(request, d.settings, data.get(csrf.FIELD))
    files = [
        f
        for f in form.getlist("files")
        if isinstance(f, UploadFile) and (f.filename or (f.size or 0) > 0)
    ]
    return Posted(data, files)


def _translator(p: Pages, request: Request) -> Callable[[str], str]:
    language = p.language(request)
    return lambda message: catalogs().gettext(language, message)


def _errors(p: Pages, request: Request, form: forms.Form) -> dict[str, str]:
    translate = _translator(p, request)
    return {name: translate(msg) % form.params.get(name, {}) for name, msg in form.errors.items()}


def _duration(p: Pages, request: Request) -> Callable[[dt.timedelta], str]:
    language = p.language(request)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return catalogs().ngettext(language, singular, plural, n)

    return lambda value: wording.duration(value, ngettext)


def _redirect(url: str, headers: Mapping[str, str] | None = None) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=dict(headers or {}))


def _limit_text(d: Desk, p: Pages, request: Request) -> str:
    return p.formatter(request).filesize(d.settings.upload_max_bytes)


async def _read_files(
    files: list[UploadFile], d: Desk, p: Pages, request: Request
) -> tuple[list[tuple[str | None, bytes]], str | None]:
    """Read the chosen files (at most one byte past the limit each) and check them the way
    the core will, so a bad file is refused before anything is filed."""
    translate = _translator(p, request)
    if len(files) > forms.FILES_MAX:
        return [], translate(FILES_TOO_MANY) % {"limit": forms.FILES_MAX}
    read: list[tuple[str | None, bytes]] = []
    for upload in files:
        data = await upload.read(d.settings.upload_max_bytes + 1)
        name = upload.filename or "?"
        try:
            check_size(len(data), d.settings.upload_max_bytes)
            sniff_content_type(data)
        except PayloadTooLarge:
            return [], translate(FILE_TOO_LARGE) % {
                "name": name,
                "limit": _limit_text(d, p, request),
            }
        except UnsupportedMediaType:
            return [], translate(FILE_TYPE) % {"name": name}
        except InvalidRequest:
            return [], translate(FILE_EMPTY) % {"name": name}
        read.append((upload.filename, data))
    return read, None


def _not_found(p: Pages, request: Request, reference: str = "", **headers: str) -> Response:
    return p.render(
        request,
        "portal/not_found.html",
        {"values": {"reference": reference, "key": ""}, "errors": {}},
        status_code=404,
        headers=headers or None,
    )


# --- start, complaint, question ------------------------------------------------------------


@router.get("/")
def start(
    request: Request,
    jurisdiction: str | None = None,
    d: Desk = Depends(desk),
    p: Pages = Depends(pages),
) -> Response:
    code = terms.jurisdiction(jurisdiction)
    with d.db.read() as session:
        found = terms.customer_terms(session, d.settings, code, p.language(request))
    duration = _duration(p, request)
    within = {
        "acknowledgement": duration(found.acknowledgement) if found.acknowledgement else "",
        "first_response": duration(found.first_response),
        "resolution": duration(found.resolution),
        "regulatory": duration(dt.timedelta(days=found.regulatory_days)),
    }
    return p.render(
        request, "portal/start.html", {"terms": found, "jurisdiction": code, "within": within}
    )


def _complaint_form(
    request: Request,
    d: Desk,
    p: Pages,
    *,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    identity: embedding.Identity | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    values = dict(values or {})
    if identity is not None:
        values.setdefault("email", identity.email)
        values.setdefault("name", identity.name or "")
    if identity and identity.jurisdiction:
        values["jurisdiction"] = identity.jurisdiction
    return p.render(
        request,
        "portal/complaint.html",
        {
            "values": {n: values.get(n, "") for n in forms.COMPLAINT_FIELDS},
            "errors": dict(errors or {}),
            "categories": wording.CATEGORIES,
            "identity": identity,
            "ticket": embedding.ticket(identity, d.settings.secret_key) if identity else "",
            "notice": notice,
            "upload_limit": _limit_text(d, p, request),
            "files_max": forms.FILES_MAX,
        },
        status_code=status_code,
    )


@router.get("/complaint")
def complaint_page(
    request: Request,
    jurisdiction: str | None = None,
    category: str | None = None,
    d: Desk = Depends(desk),
    p: Pages = Depends(pages),
) -> Response:
    values = {
        "jurisdiction": terms.jurisdiction(jurisdiction) or "",
        "category": category if category in wording.CATEGORY_LABELS else "",
    }
    return _complaint_form(request, d, p, values=values)


@router.post("/complaint", dependencies=limited)
async def file_complaint(
    request: Request, d: Desk = Depends(desk), p: Pages = Depends(pages)
) -> Response:
    posted = await _posted(request, d)
    ticket = posted.data.get("identity_ticket", "")
    identity = embedding.from_ticket(ticket, d.settings.secret_key) if ticket else None
    form, parsed = forms.complaint_form(
        posted.data, verified_account=identity.account_id if identity else None
    )
    errors = _errors(p, request, form)
    files, file_error = await _read_files(posted.files, d, p, request)
    if file_error:
        errors["files"] = file_error
    elif posted.files and errors:
        errors["files"] = _translator(p, request)(FILES_AGAIN)
    if ticket and identity is None:
        return _complaint_form(
            request,
            d,
            p,
            values=form.values,
            errors=errors,
            notice=_translator(p, request)(TICKET_EXPIRED),
            status_code=422,
        )
    if parsed is None or file_error:
        return _complaint_form(
            request, d, p, values=form.values, errors=errors, identity=identity, status_code=422
        )
    language = p.language(request)
    jurisdiction = terms.jurisdiction(form.values.get("jurisdiction"))

    def file() -> tuple[str, str]:
        with d.db.transaction() as session:
            filed = services.file_complaint(
                session,
                subject=parsed.subject,
                description=parsed.description,
                customer=services.CustomerDetails(
                    email=parsed.contact.email,
                    name=parsed.contact.name,
                    phone=parsed.contact.phone,
                    account_id=parsed.contact.account_id,
                ),
                policy=d.policy,
                category=parsed.category,
                language=language,
                jurisdiction=jurisdiction,
                bet_ids=parsed.bet_ids,
                verified_account=identity.account_id if identity else None,
            )
            _attach(session, d, filed.case, files)
            return filed.case.reference, filed.access_key

    reference, key = await run_in_threadpool(file)
    return _filed_redirect(d, reference, key)


def _attach(
    session: Session, d: Desk, case: Complaint, files: list[tuple[str | None, bytes]]
) -> None:
    for filename, data in files:
        services.add_attachment(
            session,
            d.storage,
            case,
            filename=filename,
            data=data,
            limit=d.settings.upload_max_bytes,
        )


def _filed_redirect(d: Desk, reference: str, key: str) -> Response:
    response = _redirect(f"{access.case_path(reference)}/confirmation")
    access.grant(response, d.settings, reference, key)
    access.mark_filed(response, d.settings, reference)
    return response


@router.get("/question")
def question_page(request: Request, p: Pages = Depends(pages)) -> Response:
    return p.render(request, "portal/question.html", {"values": {"question": ""}, "errors": {}})


@router.post("/question", dependencies=limited)
async def ask_question(
    request: Request, d: Desk = Depends(desk), p: Pages = Depends(pages)
) -> Response:
    posted = await _posted(request, d)
    form, question = forms.question_form(posted.data)
    if question is None:
        return p.render(
            request,
            "portal/question.html",
            {"values": form.values, "errors": _errors(p, request, form)},
            status_code=422,
        )
    language = p.language(request)

    def ask() -> tuple[str, str]:
        with d.db.transaction() as session:
            filed = services.open_consultation(
                session, question=question, policy=d.policy, language=language
            )
            return filed.case.reference, filed.access_key

    reference, key = await run_in_threadpool(ask)
    return _filed_redirect(d, reference, key)


# --- embedding ------------------------------------------------------------------------------


def _embedded(request: Request, d: Desk, p: Pages, token: str) -> Response:
    try:
        identity = embedding.verify(token, d.settings.embed_secret)
    except embedding.IdentityRefused as refused:
        return p.render(
            request,
            "portal/embed_refused.html",
            {"reason": refused.message},
            status_code=403,
        )
    explicit = request.query_params.get("lang") or request.cookies.get("cd_lang")
    if identity.language and not explicit:
        request.state.lang = identity.language
    return _complaint_form(request, d, p, identity=identity)


@router.get("/embed")
def embed(
    request: Request, identity: str = "", d: Desk = Depends(desk), p: Pages = Depends(pages)
) -> Response:
    """The complaint form for a customer the operator's site vouches for."""
    return _embedded(request, d, p, identity)


@router.post("/embed", dependencies=limited)
async def embed_posted(
    request: Request, d: Desk = Depends(desk), p: Pages = Depends(pages)
) -> Response:
    """The same, with the identity posted by the operator's page (kept out of URLs and logs).

    No CSRF token here: the operator's page on another site posts this on purpose, and it
    changes nothing; the form it shows carries a token like every other.
    """
    form = await request.form()
    token = form.get("identity")
    return _embedded(request, d, p, token if isinstance(token, str) else "")


# --- opening a case -------------------------------------------------------------------------


@router.get("/track")
def lookup_page(request: Request, p: Pages = Depends(pages)) -> Response:
    return p.render(
        request, "portal/lookup.html", {"values": {"reference": "", "key": ""}, "errors": {}}
    )


@router.post("/track", dependencies=limited)
async def lookup(request: Request, d: Desk = Depends(desk), p: Pages = Depends(pages)) -> Response:
    posted = await _posted(request, d)
    form = forms.reference_form(posted.data)
    if not form.valid:
        return p.render(
            request,
            "portal/lookup.html",
            {"values": form.values, "errors": _errors(p, request, form)},
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
        return _not_found(p, request, reference, **NO_REFERRER)
    response = _redirect(access.case_path(canonical), NO_REFERRER)
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
    page = tracking.case_page(case, view, _translator(p, request))
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
            "upload_limit": _limit_text(d, p, request),
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
        return _not_found(p, request, canonical or "")
    with d.db.read() as session:
        try:
            case = services.open_for_customer(session, canonical, key)
        except NotFound:
            response = _not_found(p, request, canonical)
            access.forget(response, d.settings, canonical)
            return response
        notice = _translator(p, request)(NOTICES[done]) if done in NOTICES else None
        return _case_page(request, d, p, session, case, notice=notice)


@router.get("/track/{reference}/confirmation")
def confirmation(
    request: Request, reference: str, d: Desk = Depends(desk), p: Pages = Depends(pages)
) -> Response:
    canonical = _canonical(reference) or ""
    key = access.key_for(request, d.settings, canonical)
    if key is None:
        return _not_found(p, request, canonical)
    if not access.just_filed(request, d.settings, canonical):
        return _redirect(access.case_path(canonical))
    with d.db.read() as session:
        try:
            case = services.open_for_customer(session, canonical, key)
        except NotFound:
            return _not_found(p, request, canonical)
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
    posted = await _posted(request, d)
    canonical = _canonical(reference) or ""
    key = access.key_for(request, d.settings, canonical)
    if key is None:
        return _not_found(p, request, canonical)
    files, file_error = await _read_files(posted.files, d, p, request)
    submitted = Submitted(posted.data, files, file_error)
    problem: str | None = None

    def run() -> Response:
        nonlocal problem
        try:
            with d.db.transaction() as session:
                case = services.open_for_customer(session, canonical, key)
                outcome = action(session, case, submitted)
                if isinstance(outcome, str):
                    return _redirect(f"{access.case_path(canonical)}?done={outcome}")
        except NotFound:
            return _not_found(p, request, canonical)
        except (InvalidTransition, InvalidRequest):
            # The case moved on (or never got there): say so at the top of the page, where
            # it shows even when the form itself is no longer offered.
            outcome = forms.Form(values=dict(posted.data))
            problem = _translator(p, request)(NOT_NOW)
        with d.db.read() as session:
            case = services.open_for_customer(session, canonical, key)
            errors = _errors(p, request, outcome)
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
            _attach(session, d, case, posted.files)
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
    await _posted(request, d)
    response = _redirect("/")
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
            return _not_found(p, request, canonical)
        attachment = session.scalar(
            select(Attachment).where(
                Attachment.id == attachment_id,
                Attachment.complaint_id == case.id,
                Attachment.internal.is_(False),
            )
        )
        if attachment is None:
            return _not_found(p, request, canonical)
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
