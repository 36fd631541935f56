"""The operator's site vouches for a signed-in customer: a signed identity token.

Token (the README documents it for operators)::

    base64url(JSON payload) "." base64url(HMAC-SHA256(EMBED_SECRET, first part))

base64url without "=" padding; the MAC is over the ASCII text of the first part. The
payload holds ``account_id`` (1-64 characters), ``email`` and ``exp`` (Unix seconds, at most
one hour ahead), and optionally ``name``, ``language`` ("en"/"ru") and ``jurisdiction``
("GB", "CA-ON"...). Once checked, the portal carries the identity in the form under a
signature of its own (two hours), so a customer who takes time to write is not refused.
"""

from __future__ import annotations

import hmac
import json
import re
import time
from dataclasses import dataclass
from typing import Any

from complaintdesk.portal.terms import jurisdiction as parse_jurisdiction
from complaintdesk.web.i18n import N_
from complaintdesk.web.signing import Signer, b64decode, hmac_sha256

MAX_LIFETIME = 3600
CLOCK_SKEW = 60
TICKET_LIFETIME = 2 * 3600
_ACCOUNT = re.compile(r"^[A-Za-z0-9._:@-]{1,64}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")


class IdentityRefused(Exception):
    """The signed identity cannot be trusted; ``message`` is shown (translated) as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


DISABLED = N_("This site is not set up to receive signed-in customers.")
MALFORMED = N_("The sign-in details from the operator's site could not be read.")
FORGED = N_("The sign-in details from the operator's site are not validly signed.")
EXPIRED = N_("The sign-in details from the operator's site have expired.")
TOO_LONG_LIVED = N_(
    "The sign-in details from the operator's site must expire within an hour; these do not."
)


@dataclass(frozen=True, slots=True)
class Identity:
    account_id: str
    email: str
    name: str | None = None
    language: str | None = None
    jurisdiction: str | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "account_id": self.account_id,
                "email": self.email,
                "name": self.name,
                "language": self.language,
                "jurisdiction": self.jurisdiction,
            },
            separators=(",", ":"),
        )


def _optional(payload: dict[str, Any], key: str, limit: int) -> str | None:
    value = payload.get(key)
    return value.strip()[:limit] or None if isinstance(value, str) else None


def _identity(payload: dict[str, Any]) -> Identity:
    account, email = payload.get("account_id"), payload.get("email")
    if not isinstance(account, str) or not _ACCOUNT.match(account):
        raise IdentityRefused(MALFORMED)
    if not isinstance(email, str) or not _EMAIL.match(email):
        raise IdentityRefused(MALFORMED)
    language = payload.get("language")
    return Identity(
        account_id=account,
        email=email,
        name=_optional(payload, "name", 200),
        language=language if language in ("en", "ru") else None,
        jurisdiction=parse_jurisdiction(_optional(payload, "jurisdiction", 8)),
    )


def verify(token: str, secret: str, *, now: float | None = None) -> Identity:
    """The identity a token vouches for; IdentityRefused if it is off, forged or stale."""
    if not secret:
        raise IdentityRefused(DISABLED)
    token = token.strip()
    if len(token) > 4096 or token.count(".") != 1:
        raise IdentityRefused(MALFORMED)
    payload_text, signature = token.split(".")
    expected = hmac_sha256(secret.encode(), payload_text.encode())
    try:
        given = b64decode(signature)
        payload = json.loads(b64decode(payload_text))
    except (ValueError, UnicodeDecodeError):
        raise IdentityRefused(MALFORMED) from None
    if not hmac.compare_digest(expected, given):
        raise IdentityRefused(FORGED)
    if not isinstance(payload, dict):
        raise IdentityRefused(MALFORMED)
    now = time.time() if now is None else now
    expires = payload.get("exp")
    if not isinstance(expires, int) or isinstance(expires, bool):
        raise IdentityRefused(MALFORMED)
    if expires + CLOCK_SKEW < now:
        raise IdentityRefused(EXPIRED)
    if expires > now + MAX_LIFETIME + CLOCK_SKEW:
        raise IdentityRefused(TOO_LONG_LIVED)
    return _identity(payload)


def ticket(identity: Identity, secret_key: str) -> str:
    """The verified identity, re-signed by the desk for the form's hidden field."""
    return Signer(secret_key, "embedded-identity").sign(identity.to_json(), max_age=TICKET_LIFETIME)


def from_ticket(value: str | None, secret_key: str) -> Identity | None:
    raw = Signer(secret_key, "embedded-identity").unsign(value)
    if raw is None:
        return None
    try:
        return _identity(json.loads(raw))
    except (ValueError, IdentityRefused):
        return None
