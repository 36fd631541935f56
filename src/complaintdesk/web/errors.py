"""Every error becomes ``{"error": {"code", "message"}}`` with a 4xx status, mapped here once.

Domain errors come from the services (``complaints/errors.py``); validation errors from
Pydantic; anything unforeseen is logged and answered 500 with no internals in the body.
Pages (any path outside the API) get the same status with a friendly HTML page instead.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.complaints import errors as domain
from complaintdesk.console import errors as console_errors
from complaintdesk.mail import errors as mail_errors
from complaintdesk.notifications import errors as notification_errors
from complaintdesk.routing import errors as routing_errors
from complaintdesk.sla import errors as sla_errors
from complaintdesk.staff import errors as staff_errors
from complaintdesk.web.csrf import CsrfFailed
from complaintdesk.web.pages import error_page, wants_page
from complaintdesk.web.ratelimit import RateLimited
from complaintdesk.web.security import redact

log = logging.getLogger(__name__)

STATUS: dict[type[domain.ComplaintError], int] = {
    domain.NotFound: 404,
    domain.InvalidTransition: 409,
    domain.VersionConflict: 409,
    domain.Forbidden: 403,
    domain.InvalidRequest: 422,
    domain.PayloadTooLarge: 413,
    domain.UnsupportedMediaType: 415,
    staff_errors.AuthenticationFailed: 401,
    staff_errors.UserExists: 409,
    staff_errors.UnknownUser: 404,
    console_errors.LockedOut: 429,
    console_errors.SessionEnded: 401,
    notification_errors.OutboxMessageNotFound: 404,
    notification_errors.NotRetryable: 409,
    notification_errors.SubscriptionNotFound: 404,
    notification_errors.InvalidSubscription: 422,
    mail_errors.UnusableMessage: 422,
    mail_errors.InboundNotFound: 404,
    mail_errors.NotHeld: 409,
    routing_errors.TeamNotFound: 404,
    routing_errors.UnknownTeam: 422,
    sla_errors.ExtensionRefused: 409,
    sla_errors.InvalidConfiguration: 422,
    sla_errors.ConfigurationConflict: 409,
}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def _status_for(exc: domain.ComplaintError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def install(app: FastAPI) -> None:
    @app.exception_handler(domain.ComplaintError)
    async def _domain(request: Request, exc: domain.ComplaintError) -> Response:
        if wants_page(request):
            return error_page(request, _status_for(exc))
        headers = {"WWW-Authenticate": "Bearer"} if _status_for(exc) == 401 else None
        return JSONResponse(error_body(exc.code, exc.message), _status_for(exc), headers=headers)

    @app.exception_handler(InvalidInput)
    async def _engine_input(_: Request, exc: InvalidInput) -> JSONResponse:
        return JSONResponse(error_body("invalid_input", str(exc), field=exc.field), 422)

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, __: StaleDataError) -> Response:
        if wants_page(request):
            return error_page(request, 409)
        return JSONResponse(
            error_body(
                "version_conflict", "someone changed the case at the same moment; reload it"
            ),
            409,
        )

    @app.exception_handler(RateLimited)
    async def _limited(request: Request, exc: RateLimited) -> Response:
        if wants_page(request):
            return error_page(request, 429, headers={"Retry-After": str(exc.retry_after)})
        return JSONResponse(
            error_body("rate_limited", "too many requests; try again shortly"),
            429,
            headers={"Retry-After": str(exc.retry_after)},
        )

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc: CsrfFailed) -> Response:
        if wants_page(request):
            return error_page(request, 403)
        return JSONResponse(error_body("csrf_failed", str(exc)), 403)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if wants_page(request):
            return error_page(request, 422)
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSONResponse(
                error_body("malformed_json", "the request body is not valid JSON"), 400
            )
        details = [
            {"field": _location(tuple(e.get("loc", ()))), "message": str(e.get("msg", ""))}
            for e in errors[:20]
        ]
        message = "; ".join(f"{d['field']}: {d['message']}" for d in details[:5])
        return JSONResponse(error_body("invalid_request", message, details=details), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_page(request):
            return error_page(request, exc.status_code, headers=getattr(exc, "headers", None))
        code = {
            404: "not_found",
            405: "method_not_allowed",
            401: "unauthorized",
            413: "payload_too_large",
        }.get(exc.status_code, "http_error")
        return JSONResponse(
            error_body(code, str(exc.detail)),
            exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, redact(request.url.path))
        if wants_page(request):
            return error_page(request, 500)
        return JSONResponse(error_body("internal_error", "something went wrong on our side"), 500)
