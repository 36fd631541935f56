"""The console's pages at ``/console``: sign-in, queues, the case, administration.

Every form posts and redirects (PRG), carries a CSRF token, and works without JavaScript;
the small script (``/static/console.js``) adds keyboard shortcuts. Routes read the form,
call one service and render; the services decide what a role may do.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from complaintdesk.console.errors import SessionEnded
from complaintdesk.console.views import admin, auth, case, handling, queue

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(queue.router)
router.include_router(case.router)
router.include_router(admin.router)


def install(app: FastAPI) -> None:
    """Add the console's routes, and send anyone whose session ended to sign in."""

    async def sign_in_first(request: Request, _: Exception) -> Response:
        response = handling.sign_in_redirect(request)
        if handling.COOKIE in request.cookies:
            handling.forget(response, request.app.state.desk.settings)
        return response

    app.add_exception_handler(SessionEnded, sign_in_first)
    app.include_router(router)
