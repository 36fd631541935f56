"""The intake pages: how complaints work, the complaint form (also embedded by the
operator's site with a signed identity) and the anonymous question."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from complaintdesk.complaints import services
from complaintdesk.portal import embedding, forms, terms, wording
from complaintdesk.portal.views import handling
from complaintdesk.web.deps import Desk, desk, public_rate_limit
from complaintdesk.web.i18n import N_
from complaintdesk.web.templating import Pages, pages

router = APIRouter(include_in_schema=False)
limited = [Depends(public_rate_limit)]

FILES_AGAIN = N_("For your safety the browser forgets chosen files: please choose them again.")
TICKET_EXPIRED = N_(
    "Your sign-in from the operator's site has expired, so this complaint is not linked to "
    "your account. You can still send it, or open the form again from the site."
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
    say = handling.duration(p, request)
    within = {
        "acknowledgement": say(found.acknowledgement) if found.acknowledgement else "",
        "first_response": say(found.first_response),
        "resolution": say(found.resolution),
        "regulatory": say(dt.timedelta(days=found.regulatory_days)),
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
            "upload_limit": handling.limit_text(d, p, request),
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
    posted = await handling.posted(request, d)
    ticket = posted.data.get("identity_ticket", "")
    identity = embedding.from_ticket(ticket, d.settings.secret_key) if ticket else None
    form, parsed = forms.complaint_form(
        posted.data, verified_account=identity.account_id if identity else None
    )
    errors = handling.errors(p, request, form)
    files, file_error = await handling.read_files(posted.files, d, p, request)
    if file_error:
        errors["files"] = file_error
    elif posted.files and errors:
        errors["files"] = handling.translator(p, request)(FILES_AGAIN)
    if ticket and identity is None:
        return _complaint_form(
            request,
            d,
            p,
            values=form.values,
            errors=errors,
            notice=handling.translator(p, request)(TICKET_EXPIRED),
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
            handling.attach(session, d, filed.case, files)
            return filed.case.reference, filed.access_key

    reference, key = await run_in_threadpool(file)
    return handling.filed_redirect(d, reference, key)


@router.get("/question")
def question_page(request: Request, p: Pages = Depends(pages)) -> Response:
    return p.render(request, "portal/question.html", {"values": {"question": ""}, "errors": {}})


@router.post("/question", dependencies=limited)
async def ask_question(
    request: Request, d: Desk = Depends(desk), p: Pages = Depends(pages)
) -> Response:
    posted = await handling.posted(request, d)
    form, question = forms.question_form(posted.data)
    if question is None:
        return p.render(
            request,
            "portal/question.html",
            {"values": form.values, "errors": handling.errors(p, request, form)},
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
    return handling.filed_redirect(d, reference, key)


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
