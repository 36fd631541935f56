"""Webhook signatures: what a receiver checks, including refusing replays."""

from __future__ import annotations

import json

import pytest

from complaintdesk.notifications.webhooks import (
    InvalidSignature,
    new_secret,
    sign,
    verify,
    wire_body,
)

SECRET = "whsec_test-secret"
BODY = b'{"type":"complaint.created"}'
NOW = 1_800_000_000


def test_a_signed_body_verifies_and_returns_its_timestamp() -> None:
    header = sign(SECRET, NOW, BODY)
    assert header.startswith(f"t={NOW},v1=")
    assert verify(SECRET, header, BODY, now=NOW + 10) == NOW


@pytest.mark.parametrize(
    ("secret", "body"),
    [("whsec_other", BODY), (SECRET, BODY + b" "), (SECRET, b'{"type":"complaint.resolved"}')],
)
def test_another_secret_or_an_altered_body_is_refused(secret: str, body: bytes) -> None:
    with pytest.raises(InvalidSignature, match="does not match"):
        verify(secret, sign(SECRET, NOW, BODY), body, now=NOW)


@pytest.mark.parametrize("age", [301, -301, 86_400])
def test_a_replayed_or_future_delivery_is_refused(age: int) -> None:
    with pytest.raises(InvalidSignature, match="too old or in the future"):
        verify(SECRET, sign(SECRET, NOW, BODY), BODY, now=NOW + age)


@pytest.mark.parametrize("header", [None, "", "v1=abc", "t=soon,v1=abc", "garbage"])
def test_a_missing_or_malformed_header_is_refused(header: str | None) -> None:
    with pytest.raises(InvalidSignature):
        verify(SECRET, header, BODY, now=NOW)


def test_any_of_several_signatures_may_match_during_a_secret_rotation() -> None:
    good = sign(SECRET, NOW, BODY).split(",v1=")[1]
    header = f"t={NOW},v1={'0' * 64},v1={good}"
    assert verify(SECRET, header, BODY, now=NOW) == NOW


def test_the_wire_body_is_stable_and_names_event_and_delivery() -> None:
    payload = {"type": "complaint.created", "data": {"ключ": "значение"}}
    first = wire_body(payload, event_id=7, outbox_id=42)
    assert first == wire_body(dict(reversed(payload.items())), event_id=7, outbox_id=42)
    document = json.loads(first)
    assert document["id"] == "evt_7"
    assert document["delivery"] == "dlv_42"
    assert "значение".encode() in first


def test_secrets_are_long_and_distinct() -> None:
    secrets = {new_secret() for _ in range(50)}
    assert len(secrets) == 50
    assert all(s.startswith("whsec_") and len(s) > 40 for s in secrets)
