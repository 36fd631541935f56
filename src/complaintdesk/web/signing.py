"""Values the desk hands to a browser and must recognise later unchanged: signed with a key
derived from SECRET_KEY for one purpose, with an expiry, checked in constant time.

A token is ``<payload>.<expiry>.<signature>`` (URL-safe base64 for the payload and the
signature, expiry in Unix seconds). Each purpose has its own derived key, so a value signed
for one use (say, a CSRF cookie) is worthless for another (a case cookie).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable


def b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hmac_sha256(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


class Signer:
    """Signs and checks short strings for one purpose."""

    def __init__(
        self, secret: str, purpose: str, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._key = hmac_sha256(secret.encode(), b"complaintdesk:" + purpose.encode())
        self._clock = clock

    def signature(self, message: str) -> str:
        return b64encode(hmac_sha256(self._key, message.encode()))

    def sign(self, value: str, *, max_age: int) -> str:
        payload = b64encode(value.encode())
        expires = int(self._clock()) + max_age
        body = f"{payload}.{expires}"
        return f"{body}.{self.signature(body)}"

    def unsign(self, token: str | None) -> str | None:
        """The signed value, or None if the token is malformed, forged or expired."""
        if not token or len(token) > 4096 or token.count(".") != 2:
            return None
        payload, expires, signature = token.split(".")
        if not hmac.compare_digest(self.signature(f"{payload}.{expires}"), signature):
            return None
        if not expires.isdigit() or int(expires) < self._clock():
            return None
        try:
            return b64decode(payload).decode()
        except (ValueError, UnicodeDecodeError):
            return None
