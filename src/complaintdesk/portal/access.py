"""How a browser holds on to a case without the access key ever sitting in a URL.

The case link ``/t/{reference}/{key}`` (and the reference-and-key form) trade the key for a
cookie: signed, HttpOnly, scoped to ``/track/{reference}`` so it travels only with that
case's own pages, and limited in time. Every later page sends it back and the service
checks the key again, so the cookie grants nothing the key itself would not.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from complaintdesk.config import Settings
from complaintdesk.web.security import delete_cookie, set_cookie
from complaintdesk.web.signing import Signer

CASE_COOKIE = "cd_case"
FILED_COOKIE = "cd_filed"
CASE_LIFETIME = 7 * 24 * 3600
# How long the confirmation page may show a new case's key: long enough to copy it.
FILED_LIFETIME = 15 * 60


def case_path(reference: str) -> str:
    return f"/track/{reference}"


def _signer(settings: Settings, purpose: str) -> Signer:
    return Signer(settings.secret_key, purpose)


def grant(response: Response, settings: Settings, reference: str, key: str) -> None:
    """Let this browser open the case for a while (until it forgets it, or a week passes)."""
    value = _signer(settings, "case").sign(f"{reference}\n{key}", max_age=CASE_LIFETIME)
    set_cookie(
        response, settings, CASE_COOKIE, value, path=case_path(reference), max_age=CASE_LIFETIME
    )


def key_for(request: Request, settings: Settings, reference: str) -> str | None:
    """The access key this browser holds for ``reference``, if any."""
    value = _signer(settings, "case").unsign(request.cookies.get(CASE_COOKIE))
    if value is None:
        return None
    signed_reference, _, key = value.partition("\n")
    return key if signed_reference == reference and key else None


def forget(response: Response, settings: Settings, reference: str) -> None:
    for name in (CASE_COOKIE, FILED_COOKIE):
        delete_cookie(response, settings, name, path=case_path(reference))


def mark_filed(response: Response, settings: Settings, reference: str) -> None:
    """Allow the confirmation page to show the new key, briefly."""
    value = _signer(settings, "filed").sign(reference, max_age=FILED_LIFETIME)
    set_cookie(
        response, settings, FILED_COOKIE, value, path=case_path(reference), max_age=FILED_LIFETIME
    )


def just_filed(request: Request, settings: Settings, reference: str) -> bool:
    return _signer(settings, "filed").unsign(request.cookies.get(FILED_COOKIE)) == reference
