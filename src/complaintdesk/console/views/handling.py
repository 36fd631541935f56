"""How every console route reads a request and answers: the session cookie and the staff
member behind it, forms with their CSRF token, the console's pages, redirects, and the
pages for "sign in first", "not allowed" and "not found".

The session cookie is signed with SECRET_KEY, HttpOnly, SameSite=Strict (no other site's
link or form ever carries it), Secure over HTTPS, and scoped to ``/console``. It holds a
random token that the database knows only by its hash (``console.services``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from complaintdesk.config import Settings
from complaintdesk.console import queries as queue_queries
from complaintdesk.console import services as console
from complaintdesk.console import wording
from complaintdesk.db import utcnow
from complaintdesk.staff.permissions import Action, StaffActor
from complaintdesk.web import csrf, security
from complaintdesk.web.deps import Desk, desk_of
from complaintdesk.web.i18n import N_, catalogs
from complaintdesk.web.signing import Signer
from complaintdesk.web.templating import Pages, pages

COOKIE = "cd_staff"
PATH = "/console"


def page_headers(settings: Settings, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The console is never framed, even where the operator lets its site frame the portal
    (``FRAME_ANCESTORS``): a staff page inside another site's frame invites clickjacking."""
    unframed = settings.model_copy(update={"frame_ancestors": ""})
    return {
        "Content-Security-Policy": security.page_policy(unframed),
        "X-Frame-Options": "DENY",
        **(extra or {}),
    }


def _signer(settings: Settings) -> Signer:
    return Signer(settings.secret_key, "console-session")


def lifetime(settings: Settings) -> dt.timedelta:
    return dt.timedelta(minutes=settings.token_ttl_minutes)


def remember(response: Response, settings: Settings, token: str) -> None:
    seconds = int(lifetime(settings).total_seconds())
    response.set_cookie(
        COOKIE,
        _signer(settings).sign(token, max_age=seconds),
        max_age=seconds,
        path=PATH,
        secure=settings.secure_cookies,
        httponly=True,
        samesite="strict",
    )


def forget(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        COOKIE, path=PATH, secure=settings.secure_cookies, httponly=True, samesite="strict"
    )


def token(request: Request, settings: Settings) -> str | None:
    return _signer(settings).unsign(request.cookies.get(COOKIE))


def staff(request: Request) -> StaffActor:
    """The signed-in staff member (a dependency); SessionEnded sends them to sign in."""
    d = desk_of(request)
    actor: StaffActor | None = getattr(request.state, "console_actor", None)
    if actor is None:
        with d.db.read() as session:
            actor = console.actor_for(session, token(request, d.settings))
        request.state.console_actor = actor
    return actor


def sign_in_redirect(request: Request) -> RedirectResponse:
    target = request.url.path
    if request.url.query and request.method == "GET":
        target += "?" + request.url.query
    return RedirectResponse(f"{PATH}/sign-in?" + urlencode({"next": target}), status_code=303)


def local_target(target: str | None) -> str:
    """Only a console path of ours after signing in: never another site."""
    if (
        not target
        or not target.startswith(PATH)
        or target.startswith("//")
        or "\\" in target
        or any(c in target for c in "\r\n")
    ):
        return PATH
    return target


async def form(request: Request, d: Desk) -> dict[str, str]:
    """The posted form's text fields, after its CSRF token is checked."""
    data = await request.form()
    values = {k: v for k, v in data.multi_items() if isinstance(v, str)}
    csrf.verify(request, d.settings, values.get(csrf.FIELD))
    return values


async def form_lists(request: Request, d: Desk) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The form's single values and, for repeated fields (check boxes), every value."""
    data = await request.form()
    values = {k: v for k, v in data.multi_items() if isinstance(v, str)}
    csrf.verify(request, d.settings, values.get(csrf.FIELD))
    lists: dict[str, list[str]] = {}
    for k, v in data.multi_items():
        if isinstance(v, str):
            lists.setdefault(k, []).append(v)
    return values, lists


def translator(p: Pages, request: Request) -> Callable[[str], str]:
    language = p.language(request)
    return lambda message: catalogs().gettext(language, message)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def case_url(reference: str, **params: str) -> str:
    url = f"{PATH}/cases/{quote(reference, safe='')}"
    return url + ("?" + urlencode(params) if params else "")


def render(
    request: Request,
    actor: StaffActor,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A console page: the template with the staff member, the navigation and the words."""
    p = pages(request)
    translate = translator(p, request)
    values: dict[str, Any] = {
        "actor": actor,
        "role_label": wording.label(wording.ROLES, actor.role, translate),
        "can": actor.can,
        "Action": Action,
        "w": wording,
        "t": translate,
        "label": lambda table, value: wording.label(table, value, translate),
        "now": utcnow(),
        "admin_links": admin_links(actor),
        "section": "",
    }
    values.update(context or {})
    return p.render(
        request,
        template,
        values,
        status_code=status_code,
        headers=page_headers(p.settings, headers),
    )


def admin_links(actor: StaffActor) -> list[tuple[str, str]]:
    """The administration pages ``actor`` may open, as (path, label) pairs."""
    links = []
    if actor.can(Action.manage_routing):
        links += [
            (f"{PATH}/admin/teams", N_("Teams")),
            (f"{PATH}/admin/rules", N_("Routing rules")),
            (f"{PATH}/admin/policies", N_("SLA policies")),
        ]
    if actor.can(Action.manage_macros):
        links.append((f"{PATH}/admin/templates", N_("Reply templates")))
    if actor.can(Action.manage_users):
        links.append((f"{PATH}/admin/users", N_("Users and roles")))
    return links


def problem_page(
    request: Request, actor: StaffActor | None, status_code: int, title: str, text: str
) -> Response:
    """A console page for "not allowed" and "not found", in the console's frame."""
    p = pages(request)
    context = {"status": status_code, "title": title, "text": text}
    if actor is None:
        return p.render(
            request,
            "console/problem.html",
            {**context, "actor": None},
            status_code=status_code,
            headers=page_headers(p.settings),
        )
    return render(request, actor, "console/problem.html", context, status_code=status_code)


def home_queue(actor: StaffActor) -> str:
    return f"{PATH}/queue/{queue_queries.home(actor).value}"


async def threaded(fn: Callable[[], Response]) -> Response:
    return await run_in_threadpool(fn)
