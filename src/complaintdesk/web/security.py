"""Security headers, cookie flags and log redaction for every answer the desk gives.

The API and any non-page answer get the tightest policy (``default-src 'none'``). HTML pages
may load only what the desk serves itself: no inline scripts or styles, no third-party
origins, forms posting only back to us. Which sites may frame the pages is the operator's
setting (``FRAME_ANCESTORS``); by default none may.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Literal, TypedDict

from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from complaintdesk.config import Settings

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Resource-Policy": "same-origin",
}

# Answers whose URL carries a secret (a case link) send no Referer onwards at all.
NO_REFERRER = {"Referrer-Policy": "no-referrer"}


def frame_ancestors(settings: Settings) -> str:
    return " ".join(settings.frame_ancestors.split()) or "'none'"


def page_policy(settings: Settings) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors(settings)}",
        ]
    )


def apply_headers(path: str, headers: MutableHeaders, settings: Settings) -> None:
    """Add the security headers an answer lacks (a route may set stricter ones itself)."""
    for name, value in COMMON_HEADERS.items():
        headers.setdefault(name, value)
    is_api = path.startswith("/api/")
    if headers.get("content-type", "").startswith("text/html") and not is_api:
        headers.setdefault("Content-Security-Policy", page_policy(settings))
        if not settings.frame_ancestors.split():
            headers.setdefault("X-Frame-Options", "DENY")
        # Pages carry CSRF tokens and case details: never from a shared cache or history.
        headers.setdefault("Cache-Control", "no-store")
    else:
        headers.setdefault("Content-Security-Policy", API_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")
    if is_api:
        headers.setdefault("Cache-Control", "no-store")
    if settings.secure_cookies:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")


class SecurityHeaders:
    """ASGI middleware that puts :func:`apply_headers` on every HTTP answer.

    A plain ASGI wrapper around ``send`` rather than an ``@app.middleware("http")``
    function: that form runs each request in a task group of its own and streams the
    answer through a queue, which cost more than the rest of a small request together.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                apply_headers(path, MutableHeaders(scope=message), self.settings)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class CookieOptions(TypedDict):
    path: str
    secure: bool
    httponly: bool
    samesite: Literal["lax", "strict", "none"]


def cookie_options(settings: Settings, *, path: str = "/", httponly: bool = True) -> CookieOptions:
    """Flags for a cookie of ours: Secure over HTTPS, HttpOnly unless a script must read it.

    SameSite is Lax, except when operators may frame the portal over HTTPS: a framed page
    on another site only receives cookies marked SameSite=None, and Partitioned keeps them
    to that one embedding site (browsers that block third-party cookies still allow these).
    """
    return CookieOptions(
        path=path,
        secure=settings.secure_cookies,
        httponly=httponly,
        samesite="none" if _framed(settings) else "lax",
    )


def _framed(settings: Settings) -> bool:
    return bool(settings.frame_ancestors.split()) and settings.secure_cookies


def set_cookie(
    response: Response,
    settings: Settings,
    key: str,
    value: str,
    *,
    path: str = "/",
    max_age: int | None = None,
    httponly: bool = True,
) -> None:
    """Set a cookie with the desk's flags (``cookie_options``).

    Python before 3.14 cannot write the Partitioned attribute, so it is appended here.
    """
    response.set_cookie(
        key, value, max_age=max_age, **cookie_options(settings, path=path, httponly=httponly)
    )
    if _framed(settings):
        _partition_last_cookie(response)


def delete_cookie(response: Response, settings: Settings, key: str, *, path: str = "/") -> None:
    response.delete_cookie(key, **cookie_options(settings, path=path))
    if _framed(settings):
        _partition_last_cookie(response)


def _partition_last_cookie(response: Response) -> None:
    for index in range(len(response.raw_headers) - 1, -1, -1):
        name, value = response.raw_headers[index]
        if name == b"set-cookie":
            response.raw_headers[index] = (name, value + b"; Partitioned")
            return


# --- access log -----------------------------------------------------------------------

_CASE_LINK = re.compile(r"^(/t/[^/?#]+/)[^/?#]+")
_SECRET_QUERY = re.compile(r"(?i)\b(identity|key|access_key)=[^&\s]*")


def redact(path: str) -> str:
    """A request target fit for a log: case links and identity tokens blanked out."""
    return _SECRET_QUERY.sub(r"\1=[redacted]", _CASE_LINK.sub(r"\1[redacted]", path))


class RedactSecrets(logging.Filter):
    """Blanks access keys and signed identities out of uvicorn's access log lines.

    uvicorn logs ``(client, method, path, http_version, status)`` as the record's args; the
    path of a case link (``/t/{reference}/{key}``) holds the key to a customer's case.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args: Any = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact(args[2]), *args[3:])
        return True


def install_log_redaction() -> None:
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())
