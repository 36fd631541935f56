"""Signing in and out of the console.

The same accounts and roles as the API. A wrong name or password gets one answer for
both (nobody learns which accounts exist); repeated failures lock the name and the address
out for a while that grows (``console.services``), answered 429 with ``Retry-After``.
"""

from __future__ import annotations

import math

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from complaintdesk.console import services as console
from complaintdesk.console.errors import SessionEnded
from complaintdesk.console.views import handling
from complaintdesk.web.deps import Desk, desk
from complaintdesk.web.i18n import N_
from complaintdesk.web.templating import Pages, pages

router = APIRouter(include_in_schema=False)

WRONG = N_("The user name or password is wrong.")
LOCKED = N_("Too many failed attempts. Please wait %(minutes)s min and try again.")
SIGNED_OUT = N_("You have signed out.")
REQUIRED = N_("Please give your user name and password.")


@router.get("/console/sign-in")
def sign_in_page(
    request: Request,
    next: str = "",
    done: str = "",
    d: Desk = Depends(desk),
    p: Pages = Depends(pages),
) -> Response:
    try:
        actor = handling.staff(request)
    except SessionEnded:
        actor = None
    if actor is not None:
        return handling.redirect(handling.local_target(next or handling.home_queue(actor)))
    notice = handling.translator(p, request)(SIGNED_OUT) if done == "signed-out" else None
    return _page(request, p, next=next, notice=notice)


@router.post("/console/sign-in")
async def sign_in(request: Request, d: Desk = Depends(desk), p: Pages = Depends(pages)) -> Response:
    values = await handling.form(request, d)
    username = values.get("username", "")[:200]
    password = values.get("password", "")[:1024]
    target = values.get("next", "")
    translate = handling.translator(p, request)
    if not username.strip() or not password:
        return _page(
            request, p, next=target, username=username, error=translate(REQUIRED), status_code=422
        )
    address = request.client.host if request.client else "unknown"

    def run() -> Response:
        with d.db.transaction() as session:
            outcome = console.attempt(
                session,
                username=username,
                password=password,
                address=address,
                lifetime=handling.lifetime(d.settings),
            )
            user = outcome.user
            home = (
                handling.home_queue(console.actor_for(session, outcome.token))
                if outcome.token
                else ""
            )
        if outcome.retry_after:
            minutes = max(1, math.ceil(outcome.retry_after / 60))
            return _page(
                request,
                p,
                next=target,
                username=username,
                error=translate(LOCKED) % {"minutes": minutes},
                status_code=429,
                headers={"Retry-After": str(outcome.retry_after)},
            )
        if outcome.token is None or user is None:
            return _page(
                request, p, next=target, username=username, error=translate(WRONG), status_code=401
            )
        response = handling.redirect(handling.local_target(target or home))
        handling.remember(response, d.settings, outcome.token)
        return response

    return await handling.threaded(run)


@router.post("/console/sign-out")
async def sign_out(request: Request, d: Desk = Depends(desk)) -> Response:
    await handling.form(request, d)
    token = handling.token(request, d.settings)

    def run() -> Response:
        with d.db.transaction() as session:
            console.sign_out(session, token)
        response = handling.redirect(f"{handling.PATH}/sign-in?done=signed-out")
        handling.forget(response, d.settings)
        return response

    return await handling.threaded(run)


def _page(
    request: Request,
    p: Pages,
    *,
    next: str,
    username: str = "",
    error: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    return p.render(
        request,
        "console/sign_in.html",
        {
            "actor": None,
            "next": handling.local_target(next) if next else "",
            "username": username,
            "error": error,
            "notice": notice,
        },
        status_code=status_code,
        headers=handling.page_headers(p.settings, headers),
    )
