"""Signed values, embedded identities and log redaction: forged, stale or secret-bearing
input never passes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging

import pytest

from complaintdesk.portal import embedding
from complaintdesk.web.security import RedactSecrets, redact
from complaintdesk.web.signing import Signer

SECRET = "an-operator-shared-secret-0123456789abcdef"


def test_a_signed_value_comes_back_only_unchanged_unexpired_and_for_its_purpose() -> None:
    now = [1_000_000.0]
    signer = Signer("key", "case", clock=lambda: now[0])
    token = signer.sign("CMP-2222-2222\nsecret", max_age=60)
    assert signer.unsign(token) == "CMP-2222-2222\nsecret"
    assert Signer("key", "csrf", clock=lambda: now[0]).unsign(token) is None
    assert Signer("other key", "case", clock=lambda: now[0]).unsign(token) is None
    payload, expires, signature = token.split(".")
    assert signer.unsign(f"{payload}.{int(expires) + 999}.{signature}") is None
    for broken in ("", "a.b", "a.b.c.d", token + "x", None):
        assert signer.unsign(broken) is None
    now[0] += 61
    assert signer.unsign(token) is None


def _token(claims: dict[str, object], secret: str = SECRET) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    mac = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()
    return payload + "." + base64.urlsafe_b64encode(mac).decode().rstrip("=")


def test_an_operator_identity_is_checked_exactly_as_documented() -> None:
    now = 1_800_000_000
    good = _token(
        {"account_id": "AC-1", "email": "a@example.com", "exp": now + 300, "jurisdiction": "gb"}
    )
    identity = embedding.verify(good, SECRET, now=now)
    assert (identity.account_id, identity.email, identity.jurisdiction) == (
        "AC-1",
        "a@example.com",
        "GB",
    )
    refusals = {
        embedding.FORGED: _token(
            {"account_id": "AC-1", "email": "a@example.com", "exp": now + 300}, secret="x" * 40
        ),
        embedding.EXPIRED: _token(
            {"account_id": "AC-1", "email": "a@example.com", "exp": now - 61}
        ),
        embedding.TOO_LONG_LIVED: _token(
            {"account_id": "AC-1", "email": "a@example.com", "exp": now + 7200}
        ),
        embedding.MALFORMED: _token(
            {"account_id": "has space", "email": "a@example.com", "exp": now + 60}
        ),
    }
    for message, token in refusals.items():
        with pytest.raises(embedding.IdentityRefused) as refused:
            embedding.verify(token, SECRET, now=now)
        assert refused.value.message == message
    with pytest.raises(embedding.IdentityRefused):
        embedding.verify(good, "", now=now)
    ticket = embedding.ticket(identity, "desk-key")
    assert embedding.from_ticket(ticket, "desk-key") == identity
    assert embedding.from_ticket(ticket, "another-desk-key") is None


def test_access_keys_and_identities_never_reach_the_access_log() -> None:
    assert redact("/t/CMP-2222-2222/s3cr3t-k3y") == "/t/CMP-2222-2222/[redacted]"
    assert redact("/embed?identity=abc.def&lang=ru") == "/embed?identity=[redacted]&lang=ru"
    assert redact("/track/CMP-2222-2222") == "/track/CMP-2222-2222"
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/t/CMP-2222-2222/s3cr3t", "1.1", 303),
        None,
    )
    assert RedactSecrets().filter(record)
    assert "s3cr3t" not in record.getMessage()
    assert "/t/CMP-2222-2222/[redacted]" in record.getMessage()
