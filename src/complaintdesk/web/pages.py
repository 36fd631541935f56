"""What every HTML face of the desk shares: the language switch, the static files and the
friendly error pages (in the visitor's language, never a traceback)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from complaintdesk.web import i18n
from complaintdesk.web.i18n import N_
from complaintdesk.web.security import set_cookie
from complaintdesk.web.templating import STATIC_DIR, pages

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

# Paths that answer JSON errors; every other path is a page and answers an HTML page.
_MACHINE_PATHS = ("/api/", "/healthz", "/openapi.json", "/docs", "/redoc")

ERROR_TEXTS: dict[int, tuple[str, str]] = {
    400: (N_("We could not read that request"), N_("Please go back and try again.")),
    403: (
        N_("This form has expired"),
        N_(
            "For your safety we only accept forms sent from a page of ours opened recently. "
            "Go back, reload the page and send it again. If this keeps happening, please "
            "allow cookies for this site."
        ),
    ),
    404: (
        N_("We could not find that page"),
        N_("The address may be mistyped, or the page has moved."),
    ),
    405: (N_("We could not read that request"), N_("Please go back and try again.")),
    409: (
        N_("This case changed a moment ago"),
        N_("Someone updated it at the same time. Please go back, reload it and try again."),
    ),
    413: (
        N_("That file is too large"),
        N_("Please send a smaller file, or a screenshot of the part that matters."),
    ),
    415: (
        N_("We cannot accept that kind of file"),
        N_("Please send a PDF, PNG, JPEG or WebP image, or a plain text file."),
    ),
    422: (
        N_("We could not accept that"),
        N_("Some of what was sent is not valid. Please go back and check the form."),
    ),
    429: (
        N_("Too many attempts"),
        N_("Please wait a minute and try again. Nothing you sent was lost on our side."),
    ),
    500: (
        N_("Something went wrong on our side"),
        N_("We have been told about it. Please try again in a few minutes."),
    ),
}


def wants_page(request: Request) -> bool:
    """True when an error on this request should be answered with an HTML page."""
    path = request.url.path
    return not any(path == p.rstrip("/") or path.startswith(p) for p in _MACHINE_PATHS)


def error_page(
    request: Request,
    status_code: int,
    *,
    headers: dict[str, str] | None = None,
    detail: str | None = None,
) -> Response:
    """A calm page explaining what happened and what to do next, in the visitor's language.

    ``detail`` is an already translated sentence to add (e.g. the upload limit).
    """
    title, text = ERROR_TEXTS.get(status_code, ERROR_TEXTS[500 if status_code >= 500 else 400])
    try:
        return pages(request).render(
            request,
            "errors/error.html",
            {"status": status_code, "title": title, "text": text, "detail": detail},
            status_code=status_code,
            headers=headers,
        )
    except Exception:  # the error page must not fail in turn; say it plainly instead
        log.exception("the error page could not be rendered")
        return HTMLResponse(
            f"<!doctype html><title>{status_code}</title><p>{status_code}</p>",
            status_code=status_code,
            headers=headers,
        )


def _local_path(target: str | None) -> str:
    """Only a path on this site: never another site (an open redirect), never a scheme."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/language")
def switch_language(request: Request, to: str = "", next: str = "/") -> Response:
    """Remember the visitor's language and go back to the page they were on."""
    language = i18n.supported(to) or i18n.DEFAULT_LANGUAGE
    response = RedirectResponse(_local_path(next), status_code=303)
    settings = pages(request).settings
    set_cookie(response, settings, i18n.LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600)
    return response


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
