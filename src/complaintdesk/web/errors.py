"""Every error becomes ``{"error": {"code", "message"}}`` with a 4xx status, mapped here once.

Domain errors come from the services (``complaints/errors.py``); validation errors from
Pydantic; anything unforeseen is logged and answered 500 with no internals in the body.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.complaints import errors as domain
from complaintdesk.staff import errors as staff_errors
from complaintdesk.web.ratelimit import RateLimited

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
    async def _domain(_: Request, exc: domain.ComplaintError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if _status_for(exc) == 401 else None
        return JSONResponse(error_body(exc.code, exc.message), _status_for(exc), headers=headers)

    @app.exception_handler(InvalidInput)
    async def _engine_input(_: Request, exc: InvalidInput) -> JSONResponse:
        return JSONResponse(error_body("invalid_input", str(exc), field=exc.field), 422)

    @app.exception_handler(StaleDataError)
    async def _stale(_: Request, __: StaleDataError) -> JSONResponse:
        return JSONResponse(
            error_body(
                "version_conflict", "someone changed the case at the same moment; reload it"
            ),
            409,
        )

    @app.exception_handler(RateLimited)
    async def _limited(_: Request, exc: RateLimited) -> JSONResponse:
        return JSONResponse(
            error_body("rate_limited", "too many requests; try again shortly"),
            429,
            headers={"Retry-After": str(exc.retry_after)},
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
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
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
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
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body("internal_error", "something went wrong on our side"), 500)
