"""A bettor files, follows, writes, uploads, asks for a review and rates — over HTTP."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.samples import COMPLAINT

REFERENCE = re.compile(r"^CMP-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$")


def _track(client: TestClient, filed: dict[str, Any]) -> dict[str, Any]:
    answer = client.get(
        f"/api/v1/track/{filed['reference']}", headers={"X-Access-Key": filed["access_key"]}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_filing_answers_with_reference_key_and_deadlines(filed: dict[str, Any]) -> None:
    assert REFERENCE.match(filed["reference"])
    assert len(filed["access_key"]) >= 22  # 128 bits and more, URL-safe
    assert filed["status"] == "received"
    assert filed["category"] == "bet_settlement"
    deadlines = {k: dt.datetime.fromisoformat(v) for k, v in filed["deadlines"].items()}
    assert all(d.tzinfo is not None for d in deadlines.values())
    ack = deadlines["acknowledgement"]
    assert deadlines["first_response"] - ack == dt.timedelta(hours=24)
    assert deadlines["resolution"] - ack == dt.timedelta(hours=48)
    assert deadlines["regulatory"] - ack == dt.timedelta(weeks=8)


def test_references_are_random_not_sequential(client: TestClient) -> None:
    refs = {client.post("/api/v1/complaints", json=COMPLAINT).json()["reference"] for _ in range(5)}
    assert len(refs) == 5
    assert all(REFERENCE.match(r) for r in refs)


def test_tracking_shows_public_timeline_and_acknowledgement(
    client: TestClient, filed: dict[str, Any]
) -> None:
    case = _track(client, filed)
    assert case["reference"] == filed["reference"]
    assert case["kind"] == "complaint"
    assert [e["type"] for e in case["timeline"]] == ["created", "acknowledged"]
    assert case["deadlines"] == filed["deadlines"]
    assert "access_key" not in str(case)


def test_wrong_missing_key_and_unknown_reference_all_answer_the_same_404(
    client: TestClient, filed: dict[str, Any]
) -> None:
    ref = filed["reference"]
    answers = [
        client.get(f"/api/v1/track/{ref}", headers={"X-Access-Key": "x" * 32}),
        client.get(f"/api/v1/track/{ref}"),
        client.get("/api/v1/track/CMP-2222-2222", headers={"X-Access-Key": filed["access_key"]}),
        client.get("/api/v1/track/not-a-reference", headers={"X-Access-Key": filed["access_key"]}),
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({a.text for a in answers}) == 1


def test_customer_message_upload_and_download(client: TestClient, filed: dict[str, Any]) -> None:
    headers = {"X-Access-Key": filed["access_key"]}
    ref = filed["reference"]
    assert (
        client.post(
            f"/api/v1/track/{ref}/messages", json={"body": "Here is my screenshot"}, headers=headers
        ).status_code
        == 201
    )
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    answer = client.post(
        f"/api/v1/track/{ref}/attachments",
        headers=headers,
        files={"file": ("../../etc/screen.png", png, "image/png")},
    )
    assert answer.status_code == 201, answer.text
    doc = answer.json()
    assert doc["filename"] == "screen.png"
    assert doc["size"] == len(png)
    assert doc["sha256"] == __import__("hashlib").sha256(png).hexdigest()
    case = _track(client, filed)
    assert [m["body"] for m in case["messages"]] == ["Here is my screenshot"]
    assert case["attachments"][0]["id"] == doc["id"]
    download = client.get(f"/api/v1/track/{ref}/attachments/{doc['id']}", headers=headers)
    assert download.status_code == 200
    assert download.content == png
    assert download.headers["content-type"] == "image/png"
    assert download.headers["content-disposition"].startswith("attachment;")


def test_review_and_feedback_after_resolution(
    client: TestClient, filed: dict[str, Any], agent: dict[str, str]
) -> None:
    ref = filed["reference"]
    headers = {"X-Access-Key": filed["access_key"]}
    # Before a resolution there is nothing to review or rate.
    assert (
        client.post(
            f"/api/v1/track/{ref}/review", json={"reason": "unfair"}, headers=headers
        ).status_code
        == 409
    )
    assert (
        client.post(f"/api/v1/track/{ref}/feedback", json={"score": 5}, headers=headers).status_code
        == 422
    )
    resolved = client.post(
        f"/api/v1/complaints/{ref}/resolution",
        headers=agent,
        json={"outcome": "not_upheld", "summary": "The match ended 1-1; the bet lost."},
    )
    assert resolved.status_code == 200, resolved.text
    case = _track(client, filed)
    assert case["status"] == "resolved"
    assert case["resolution"]["outcome"] == "not_upheld"
    assert case["can_request_review"] is True
    rated = client.post(
        f"/api/v1/track/{ref}/feedback", json={"score": 2, "comment": "slow"}, headers=headers
    )
    assert rated.status_code == 201
    assert rated.json()["feedback"] == {"score": 2, "comment": "slow"}
    review = client.post(
        f"/api/v1/track/{ref}/review",
        json={"reason": "The result feed was wrong, it was 2-1"},
        headers=headers,
    )
    assert review.status_code == 201
    assert review.json()["status"] == "escalated"
    assert review.json()["timeline"][-1]["data"] == {"from": "resolved", "to": "escalated"}


def test_consultation_is_anonymous_and_converts_keeping_history(client: TestClient) -> None:
    answer = client.post(
        "/api/v1/consultations", json={"question": "Как отыгрывается бонус?", "language": "ru"}
    )
    assert answer.status_code == 201, answer.text
    filed = answer.json()
    assert filed["reference"].startswith("CNS-")
    assert filed["kind"] == "consultation"
    assert filed["deadlines"]["regulatory"] is None
    headers = {"X-Access-Key": filed["access_key"]}
    client.post(
        f"/api/v1/track/{filed['reference']}/messages",
        json={"body": "И ещё вопрос"},
        headers=headers,
    )
    converted = client.post(
        f"/api/v1/track/{filed['reference']}/convert",
        headers=headers,
        json={"customer": {"email": "anna@example.ru"}, "category": "bonus_terms"},
    )
    assert converted.status_code == 200, converted.text
    case = converted.json()
    assert case["kind"] == "complaint"
    assert case["category"] == "bonus_terms"
    assert case["deadlines"]["regulatory"] is not None
    assert [m["body"] for m in case["messages"]] == ["И ещё вопрос"]
    assert [e["type"] for e in case["timeline"]][-1] == "converted"


def test_internal_notes_never_reach_the_customer(
    client: TestClient, filed: dict[str, Any], agent: dict[str, str]
) -> None:
    ref = filed["reference"]
    secret = "Risk flagged this account for bonus abuse"
    assert (
        client.post(
            f"/api/v1/complaints/{ref}/notes", json={"body": secret}, headers=agent
        ).status_code
        == 201
    )
    client.post(f"/api/v1/complaints/{ref}/assign", json={"assignee": "alice"}, headers=agent)
    client.post(
        f"/api/v1/complaints/{ref}/transitions",
        json={"to": "awaiting_customer", "reason": "internal: check with risk"},
        headers=agent,
    )
    public_text = client.get(
        f"/api/v1/track/{ref}", headers={"X-Access-Key": filed["access_key"]}
    ).text
    assert secret not in public_text
    assert "risk" not in public_text.lower()
    assert "alice" not in public_text
    staff_view = client.get(f"/api/v1/complaints/{ref}", headers=agent).json()
    notes = [m for m in staff_view["messages"] if m["internal"]]
    assert [n["body"] for n in notes] == [secret]


def test_customer_answer_moves_awaiting_case_back_to_in_progress(
    client: TestClient, filed: dict[str, Any], agent: dict[str, str]
) -> None:
    ref = filed["reference"]
    client.post(
        f"/api/v1/complaints/{ref}/transitions", json={"to": "awaiting_customer"}, headers=agent
    )
    client.post(
        f"/api/v1/track/{ref}/messages",
        json={"body": "Statement attached"},
        headers={"X-Access-Key": filed["access_key"]},
    )
    assert _track(client, filed)["status"] == "in_progress"


def test_public_endpoints_are_rate_limited(settings: Any, make_staff: Callable[..., Any]) -> None:
    from complaintdesk.web.app import create_app  # noqa: PLC0415

    limited = settings.model_copy(update={"public_rate_limit": "3/minute"})
    with TestClient(create_app(limited)) as client:
        codes = [
            client.post("/api/v1/consultations", json={"question": "hi?"}).status_code
            for _ in range(4)
        ]
        assert codes == [201, 201, 201, 429]
        last = client.post("/api/v1/consultations", json={"question": "hi?"})
        assert last.status_code == 429
        assert int(last.headers["Retry-After"]) >= 1
        assert last.json()["error"]["code"] == "rate_limited"
