"""CSRF protection for every HTML form: a signed double-submit token.

The browser holds a random nonce in an HttpOnly cookie; each form carries
HMAC(SECRET_KEY, nonce) in a hidden field. A POST is accepted only when the field matches
the cookie's nonce (compared in constant time). Another site can make the browser send
the cookie, but cannot read it nor compute the field; and because the field is signed with
the server's key, planting a cookie of the attacker's choosing does not help either.
"""

from __future__ import annotations

import hmac
import re
import secrets

from starlette.requests import Request
from starlette.responses import Response

from complaintdesk.config import Settings
from complaintdesk.web.security import set_cookie
from complaintdesk.web.signing import Signer

COOKIE = "cd_csrf"
FIELD = "csrf_token"
_NONCE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class CsrfFailed(Exception):
    """The form came without a valid token: forged, or from a page too old to trust."""


def _signer(settings: Settings) -> Signer:
    return Signer(settings.secret_key, "csrf")


def _nonce(request: Request) -> str:
    """This visitor's nonce: from the cookie, or a new one (set on the response later)."""
    nonce: str | None = getattr(request.state, "csrf_nonce", None)
    if nonce:
        return nonce
    cookie = request.cookies.get(COOKIE, "")
    if _NONCE.match(cookie):
        nonce = cookie
    else:
        nonce = secrets.token_urlsafe(32)
        request.state.csrf_new = True
    request.state.csrf_nonce = nonce
    return nonce


def token(request: Request, settings: Settings) -> str:
    """The value to put in a form's hidden ``csrf_token`` field."""
    return _signer(settings).signature(_nonce(request))


def remember(request: Request, response: Response, settings: Settings) -> None:
    """Set the nonce cookie if this request drew a new one."""
    if getattr(request.state, "csrf_new", False):
        set_cookie(response, settings, COOKIE, request.state.csrf_nonce)


def verify(request: Request, settings: Settings, submitted: str | None) -> None:
    cookie = request.cookies.get(COOKIE, "")
    if not _NONCE.match(cookie) or not submitted:
        raise CsrfFailed("the form has no valid security token")
    expected = _signer(settings).signature(cookie)
    if not hmac.compare_digest(expected.encode(), submitted.encode()[:128]):
        raise CsrfFailed("the form's security token does not match")
