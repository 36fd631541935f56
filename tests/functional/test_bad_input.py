"""Every kind of bad input gets a clear 4xx in the contract's error shape and stores nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from complaintdesk.staff.models import Role
from tests.samples import COMPLAINT

Headers = dict[str, str]


def _error(answer: Any, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"error"}
    assert body["error"]["code"]
    assert body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]


def _count(client: TestClient, headers: Headers) -> int:
    return len(client.get("/api/v1/complaints?limit=200", headers=headers).json()["items"])


BAD_COMPLAINTS: list[tuple[str, Any]] = [
    ("wrong type", {**COMPLAINT, "subject": 123}),
    ("unknown field", {**COMPLAINT, "priority": "urgent"}),
    ("unknown customer field", {**COMPLAINT, "customer": {"email": "a@example.com", "vip": True}}),
    ("empty subject", {**COMPLAINT, "subject": "   "}),
    ("subject too long", {**COMPLAINT, "subject": "x" * 201}),
    ("description too long", {**COMPLAINT, "description": "x" * 20_001}),
    ("invalid email", {**COMPLAINT, "customer": {"email": "not-an-email"}}),
    ("no contact", {k: v for k, v in COMPLAINT.items() if k != "customer"}),
    ("unknown category", {**COMPLAINT, "category": "lottery"}),
    ("unknown language", {**COMPLAINT, "language": "de"}),
    ("bad jurisdiction", {**COMPLAINT, "jurisdiction": "United Kingdom"}),
    ("bet ids not strings", {**COMPLAINT, "bet_ids": [1, 2]}),
    ("not an object", [COMPLAINT]),
    ("evidence with unknown key", {**COMPLAINT, "evidence": {"screenshots": []}}),
]


@pytest.mark.parametrize(("case", "body"), BAD_COMPLAINTS, ids=[c for c, _ in BAD_COMPLAINTS])
def test_bad_complaints_are_422_and_store_nothing(
    client: TestClient, agent: Headers, case: str, body: Any
) -> None:
    error = _error(client.post("/api/v1/complaints", json=body), 422)
    assert error["code"] == "invalid_request"
    assert error["details"][0]["field"]
    assert _count(client, agent) == 0


def test_malformed_json_is_400(client: TestClient, agent: Headers) -> None:
    answer = client.post(
        "/api/v1/complaints",
        content=b'{"subject": "x",',
        headers={"Content-Type": "application/json"},
    )
    assert _error(answer, 400)["code"] == "malformed_json"
    assert _error(
        client.post(
            "/api/v1/complaints", content=b"\xff\xfe", headers={"Content-Type": "application/json"}
        ),
        400,
    )
    assert _count(client, agent) == 0


def test_the_limits_are_inclusive(client: TestClient) -> None:
    body = {**COMPLAINT, "subject": "я" * 200, "description": "ж" * 20_000}
    assert client.post("/api/v1/complaints", json=body).status_code == 201


def test_bad_uploads(client: TestClient, filed: dict[str, Any], settings: Any) -> None:
    ref, key = filed["reference"], filed["access_key"]
    headers = {"X-Access-Key": key}

    def upload(name: str, data: bytes) -> Any:
        return client.post(
            f"/api/v1/track/{ref}/attachments",
            headers=headers,
            files={"file": (name, data, "application/octet-stream")},
        )

    assert (
        _error(upload("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100), 415)["code"]
        == "unsupported_media_type"
    )
    assert _error(upload("page.html", b"<html>\x00<script>"), 415)
    assert _error(upload("empty.txt", b""), 422)["code"] == "empty_file"
    big = b"%PDF-1.4\n" + b"0" * settings.upload_max_bytes
    assert _error(upload("big.pdf", big), 413)["code"] == "payload_too_large"
    assert _error(client.post(f"/api/v1/track/{ref}/attachments", headers=headers), 422)
    track = client.get(f"/api/v1/track/{ref}", headers=headers).json()
    assert track["attachments"] == []
    assert [e["type"] for e in track["timeline"]] == ["created", "acknowledged"]
    # A PNG named .pdf is stored as what it is.
    ok = upload("statement.pdf", b"\x89PNG\r\n\x1a\n" + b"\x01" * 10)
    assert ok.status_code == 201
    assert ok.json()["content_type"] == "image/png"


def test_bad_customer_actions(client: TestClient, filed: dict[str, Any]) -> None:
    ref = filed["reference"]
    headers = {"X-Access-Key": filed["access_key"]}
    assert _error(
        client.post(f"/api/v1/track/{ref}/messages", json={"body": ""}, headers=headers), 422
    )
    assert _error(
        client.post(f"/api/v1/track/{ref}/messages", json={"body": "x" * 20_001}, headers=headers),
        422,
    )
    assert _error(
        client.post(f"/api/v1/track/{ref}/feedback", json={"score": 6}, headers=headers), 422
    )
    assert _error(
        client.post(f"/api/v1/track/{ref}/feedback", json={"score": "5"}, headers=headers), 422
    )
    assert _error(client.post(f"/api/v1/track/{ref}/messages", json={"body": "hi"}), 404)
    assert _error(
        client.post(
            f"/api/v1/track/{ref}/convert",
            headers=headers,
            json={"customer": {"email": "x@example.com"}},
        ),
        422,
    )
    track = client.get(f"/api/v1/track/{ref}", headers=headers).json()
    assert track["messages"] == []


def test_bad_staff_requests(client: TestClient, filed: dict[str, Any], agent: Headers) -> None:
    ref = filed["reference"]
    assert _error(client.get("/api/v1/complaints/CMP-2222-2222", headers=agent), 404)
    assert _error(client.get("/api/v1/complaints/../../etc", headers=agent), 404)
    assert (
        _error(client.get("/api/v1/complaints?cursor=garbage", headers=agent), 422)["code"]
        == "invalid_cursor"
    )
    assert _error(client.get("/api/v1/complaints?status=lost", headers=agent), 422)
    assert _error(client.get("/api/v1/complaints?limit=0", headers=agent), 422)
    assert _error(client.get("/api/v1/complaints?q=%20%21%21", headers=agent), 422)
    assert _error(
        client.post(f"/api/v1/complaints/{ref}/transitions", json={"to": "done"}, headers=agent),
        422,
    )
    assert (
        _error(
            client.post(
                f"/api/v1/complaints/{ref}/assign", json={"assignee": "ghost"}, headers=agent
            ),
            422,
        )["code"]
        == "unknown_assignee"
    )
    assert _error(
        client.post(f"/api/v1/complaints/{ref}/assign", json={"version": "1"}, headers=agent), 422
    )
    bad_money = [
        {"amount": "10.005", "currency": "GBP"},
        {"amount": "-5", "currency": "GBP"},
        {"amount": "0", "currency": "GBP"},
        {"amount": 10.5, "currency": "GBP"},
        {"amount": "10", "currency": "pounds"},
        {"amount": "10.5", "currency": "JPY"},
    ]
    for compensation in bad_money:
        _error(
            client.post(
                f"/api/v1/complaints/{ref}/resolution",
                headers=agent,
                json={"outcome": "upheld", "summary": "ok", "compensation": compensation},
            ),
            422,
        )
    _error(
        client.post(
            f"/api/v1/complaints/{ref}/resolution",
            headers=agent,
            json={"outcome": "won", "summary": "ok"},
        ),
        422,
    )
    case = client.get(f"/api/v1/complaints/{ref}", headers=agent).json()
    assert case["status"] == "received"
    assert case["assignee"] is None
    assert case["resolution"] is None
    assert _error(client.delete(f"/api/v1/complaints/{ref}", headers=agent), 405)
    assert _error(client.get("/api/v1/nowhere"), 404)


def test_a_case_cannot_be_sent_to_a_team_the_desk_does_not_have(
    client: TestClient, filed: dict[str, Any], make_staff: Callable[..., dict[str, str]]
) -> None:
    lead = make_staff("lena", Role.lead)
    ref = filed["reference"]
    before = client.get(f"/api/v1/complaints/{ref}", headers=lead).json()
    answer = client.post(f"/api/v1/complaints/{ref}/assign", json={"team": "nowhere"}, headers=lead)
    assert _error(answer, 422)["code"] == "unknown_team"
    after = client.get(f"/api/v1/complaints/{ref}", headers=lead).json()
    assert (after["team"], after["version"], len(after["timeline"])) == (
        before["team"],
        before["version"],
        len(before["timeline"]),
    )
