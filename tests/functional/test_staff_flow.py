"""Staff sign in, find cases, answer, move and decide them — over HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update

from complaintdesk.db import Database, utcnow
from complaintdesk.staff import services as staff_services
from complaintdesk.staff.models import ApiToken, Role
from tests.samples import COMPLAINT

Headers = dict[str, str]


def _file(client: TestClient, **changes: Any) -> dict[str, Any]:
    answer = client.post("/api/v1/complaints", json={**COMPLAINT, **changes})
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_sign_in_refuses_wrong_password_and_unknown_user(
    client: TestClient, agent: Headers
) -> None:
    wrong = client.post("/api/v1/auth/token", json={"username": "alice", "password": "nope-nope"})
    unknown = client.post("/api/v1/auth/token", json={"username": "bob", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert client.get("/api/v1/complaints").status_code == 401
    assert (
        client.get("/api/v1/complaints", headers={"Authorization": "Bearer forged"}).status_code
        == 401
    )


def test_disabled_users_tokens_stop_working(
    client: TestClient, db: Database, agent: Headers
) -> None:
    assert client.get("/api/v1/complaints", headers=agent).status_code == 200
    with db.transaction() as session:
        staff_services.disable_user(session, "alice")
    assert client.get("/api/v1/complaints", headers=agent).status_code == 401


def test_an_expired_token_stops_working(client: TestClient, db: Database, agent: Headers) -> None:
    assert client.get("/api/v1/complaints", headers=agent).status_code == 200
    with db.transaction() as session:
        session.execute(update(ApiToken).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    answer = client.get("/api/v1/complaints", headers=agent)
    assert answer.status_code == 401
    assert "sign in again" in answer.json()["error"]["message"]


def test_full_staff_flow(client: TestClient, agent: Headers) -> None:
    filed = _file(client)
    ref = filed["reference"]
    page = client.get("/api/v1/complaints", headers=agent).json()
    assert [c["reference"] for c in page["items"]] == [ref]
    assert (
        client.post(
            f"/api/v1/complaints/{ref}/assign", json={"assignee": "alice"}, headers=agent
        ).json()["assignee"]
        == "alice"
    )
    replied = client.post(
        f"/api/v1/complaints/{ref}/replies",
        json={"body": "We are checking the result feed."},
        headers=agent,
    )
    assert replied.status_code == 201
    case = client.get(f"/api/v1/complaints/{ref}", headers=agent).json()
    assert case["status"] == "in_progress"  # the first reply starts the work
    assert case["customer"]["email"] == "bettor@example.com"
    # The bet the complaint names waits for the worker to check it against the platform.
    assert [(c["kind"], c["bet_id"], c["state"]) for c in case["checks"]] == [
        ("settlement", "778812", "pending")
    ]
    types = [e["type"] for e in case["timeline"]]
    assert types[:2] == ["created", "acknowledged"]
    assert {"assigned", "staff_reply", "first_response", "status_changed"} <= set(types)
    moved = client.post(
        f"/api/v1/complaints/{ref}/transitions",
        json={"to": "awaiting_customer", "reason": "need the coupon screenshot"},
        headers=agent,
    )
    assert moved.status_code == 200
    assert moved.json()["status"] == "awaiting_customer"
    resolved = client.post(
        f"/api/v1/complaints/{ref}/resolution",
        headers=agent,
        json={
            "outcome": "upheld",
            "summary": "The bet was resettled as won.",
            "compensation": {"amount": "25.50", "currency": "GBP"},
        },
    )
    assert resolved.status_code == 200, resolved.text
    body = resolved.json()
    assert body["status"] == "resolved"
    assert body["resolution"]["compensation"] == {"amount": "25.50", "currency": "GBP"}
    assert body["due_at"] is None
    closed = client.post(
        f"/api/v1/complaints/{ref}/transitions", json={"to": "closed"}, headers=agent
    )
    assert closed.json()["status"] == "closed"
    customer = client.get(f"/api/v1/track/{ref}", headers={"X-Access-Key": filed["access_key"]})
    assert [m["body"] for m in customer.json()["messages"]] == [
        "We are checking the result feed.",
        "The bet was resettled as won.",
    ]


def test_illegal_transition_is_409_and_changes_nothing(client: TestClient, agent: Headers) -> None:
    ref = _file(client)["reference"]
    before = client.get(f"/api/v1/complaints/{ref}", headers=agent).json()
    answer = client.post(
        f"/api/v1/complaints/{ref}/transitions", json={"to": "closed"}, headers=agent
    )
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "invalid_transition"
    after = client.get(f"/api/v1/complaints/{ref}", headers=agent).json()
    assert after == before
    # Resolving needs an outcome: the resolution endpoint, not a bare move.
    assert (
        client.post(
            f"/api/v1/complaints/{ref}/transitions", json={"to": "resolved"}, headers=agent
        ).status_code
        == 409
    )


def test_stale_version_gets_409_never_a_silent_overwrite(
    client: TestClient, make_staff: Callable[..., Headers]
) -> None:
    lead = make_staff("lena", Role.lead)
    other = make_staff("oleg", Role.lead)
    ref = _file(client)["reference"]
    version = client.get(f"/api/v1/complaints/{ref}", headers=lead).json()["version"]
    first = client.post(
        f"/api/v1/complaints/{ref}/assign",
        json={"assignee": "lena", "version": version},
        headers=lead,
    )
    assert first.status_code == 200
    second = client.post(
        f"/api/v1/complaints/{ref}/assign",
        json={"assignee": "oleg", "version": version},
        headers=other,
    )
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "version_conflict"
    assert client.get(f"/api/v1/complaints/{ref}", headers=lead).json()["assignee"] == "lena"


def test_roles_agent_cannot_assign_others_or_refer_to_adr(
    client: TestClient, make_staff: Callable[..., Headers]
) -> None:
    agent = make_staff("alice", Role.agent)
    make_staff("bob", Role.agent)
    compliance = make_staff("carol", Role.compliance)
    ref = _file(client)["reference"]
    assert (
        client.post(
            f"/api/v1/complaints/{ref}/assign", json={"assignee": "bob"}, headers=agent
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/complaints/{ref}/assign", json={"assignee": "alice"}, headers=agent
        ).status_code
        == 200
    )
    client.post(f"/api/v1/complaints/{ref}/transitions", json={"to": "escalated"}, headers=agent)
    assert (
        client.post(
            f"/api/v1/complaints/{ref}/transitions", json={"to": "referred_to_adr"}, headers=agent
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/complaints/{ref}/transitions",
            json={"to": "referred_to_adr"},
            headers=compliance,
        ).status_code
        == 200
    )
    assert client.get("/api/v1/users", headers=agent).status_code == 403


def test_admin_manages_users_over_the_api(
    client: TestClient, make_staff: Callable[..., Headers]
) -> None:
    admin = make_staff("root-admin", Role.admin)
    created = client.post(
        "/api/v1/users",
        headers=admin,
        json={
            "username": "dmitry",
            "password": "long enough password",
            "role": "compliance",
            "language": "ru",
        },
    )
    assert created.status_code == 201, created.text
    assert {u["username"] for u in client.get("/api/v1/users", headers=admin).json()} == {
        "root-admin",
        "dmitry",
    }
    assert (
        client.post(
            "/api/v1/users",
            headers=admin,
            json={"username": "dmitry", "password": "long enough password", "role": "agent"},
        ).status_code
        == 409
    )


def test_filters_search_and_cursor_pagination(client: TestClient, agent: Headers) -> None:
    _file(
        client,
        subject="Withdrawal rejected",
        description="Моя выплата отклонена банком",
        category="deposit_withdrawal",
        language="ru",
    )
    _file(
        client,
        subject="Bonus not credited",
        description="Welcome bonus missing",
        category="bonus_terms",
    )
    for i in range(5):
        _file(
            client,
            subject=f"App crashed {i}",
            description="The app froze during cash out",
            category="technical_fault",
        )
    tech = client.get("/api/v1/complaints?category=technical_fault&limit=2", headers=agent).json()
    seen = [c["reference"] for c in tech["items"]]
    cursor = tech["next_cursor"]
    while cursor:
        page = client.get(
            f"/api/v1/complaints?category=technical_fault&limit=2&cursor={cursor}", headers=agent
        ).json()
        seen += [c["reference"] for c in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 5
    russian = client.get("/api/v1/complaints", params={"q": "выплата"}, headers=agent).json()
    assert [c["subject"] for c in russian["items"]] == ["Withdrawal rejected"]
    english = client.get("/api/v1/complaints", params={"q": "bonus"}, headers=agent).json()
    assert [c["subject"] for c in english["items"]] == ["Bonus not credited"]
    ru_lang = client.get("/api/v1/complaints?language=ru", headers=agent).json()
    assert len(ru_lang["items"]) == 1

    def subjects(query: str) -> list[str]:
        answer = client.get(f"/api/v1/complaints?{query}&limit=50", headers=agent)
        assert answer.status_code == 200, answer.text
        return sorted(c["subject"] for c in answer.json()["items"])

    # Several values of one filter: repeated, or separated by commas, as the API says.
    two = ["Bonus not credited", "Withdrawal rejected"]
    assert subjects("category=bonus_terms&category=deposit_withdrawal") == two
    assert subjects("category=bonus_terms,deposit_withdrawal") == two
    assert subjects("category=bonus_terms, deposit_withdrawal,") == two
    assert len(subjects("status=received,in_progress")) == 7
    assert subjects("status=resolved,closed") == []
    wrong = client.get("/api/v1/complaints?status=received,lost", headers=agent)
    assert wrong.status_code == 422
    assert "status" in wrong.json()["error"]["message"]
    due = [
        c["due_at"]
        for c in client.get("/api/v1/complaints?limit=50", headers=agent).json()["items"]
    ]
    assert due == sorted(due)


def test_search_finds_words_in_messages(client: TestClient, agent: Headers) -> None:
    filed = _file(client)
    client.post(
        f"/api/v1/track/{filed['reference']}/messages",
        json={"body": "Мой купон показывает проигрыш"},
        headers={"X-Access-Key": filed["access_key"]},
    )
    found = client.get("/api/v1/complaints", params={"q": "купон"}, headers=agent).json()
    assert [c["reference"] for c in found["items"]] == [filed["reference"]]
    by_ref = client.get(
        "/api/v1/complaints", params={"q": filed["reference"].lower()}, headers=agent
    ).json()
    assert [c["reference"] for c in by_ref["items"]] == [filed["reference"]]


def test_health_and_openapi(client: TestClient) -> None:
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["database"] == "ok"
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/api/v1/complaints",
        "/api/v1/track/{reference}",
        "/api/v1/auth/token",
        "/api/v1/settlement/verify",
        "/api/v1/wagering/explain",
    } <= set(paths)
