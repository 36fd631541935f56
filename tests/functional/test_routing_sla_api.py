"""Routing, clocks and their administration over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from complaintdesk.config import Settings
from complaintdesk.db import Database, utcnow
from complaintdesk.sla.tasks import sweep
from complaintdesk.staff.models import Role
from tests.samples import COMPLAINT

Headers = dict[str, str]


@pytest.fixture
def lead(make_staff: Callable[..., Headers]) -> Headers:
    return make_staff("lena", Role.lead)


def _file(client: TestClient, **changes: Any) -> dict[str, Any]:
    answer = client.post("/api/v1/complaints", json={**COMPLAINT, **changes})
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def _case(client: TestClient, headers: Headers, reference: str) -> dict[str, Any]:
    answer = client.get(f"/api/v1/complaints/{reference}", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_a_fresh_desk_routes_by_category_and_shows_its_clocks(
    client: TestClient, agent: Headers
) -> None:
    teams = client.get("/api/v1/routing/teams", headers=agent).json()
    assert len(teams) == 8
    assert [t["key"] for t in teams if t["is_default"]] == ["other"]
    harm = _file(client, category="responsible_gambling", jurisdiction="CW")
    case = _case(client, agent, harm["reference"])
    assert (case["team"], case["priority"]) == ("responsible_gambling", "urgent")
    assert case["sla"]["policy"] == "urgent"
    assert case["sla"]["jurisdiction"] == "CW"
    assert case["sla"]["state"] == "ok"
    assert case["sla"]["can_extend"] is True
    assert set(case["sla"]["clocks"]) == {"first_response", "resolution", "regulatory"}
    assert "Policy «urgent»" in case["sla"]["explanation"]["en"]
    assert "Политика «urgent»" in case["sla"]["explanation"]["ru"]
    created = dt.datetime.fromisoformat(case["created_at"])
    deadlines = {k: dt.datetime.fromisoformat(v) for k, v in case["deadlines"].items()}
    assert deadlines["first_response"] - created == dt.timedelta(hours=2)
    assert deadlines["regulatory"] - created == dt.timedelta(days=28)
    types = [e["type"] for e in case["timeline"]]
    assert types[:4] == ["created", "acknowledged", "routed", "sla_applied"]
    queue = client.get("/api/v1/complaints", headers=agent).json()["items"]
    assert queue[0]["sla_state"] == "ok"


def test_waiting_for_the_customer_pauses_and_the_customer_sees_it(
    client: TestClient, agent: Headers
) -> None:
    filed = _file(client)
    ref, key = filed["reference"], {"X-Access-Key": filed["access_key"]}
    moved = client.post(
        f"/api/v1/complaints/{ref}/transitions",
        json={"to": "awaiting_customer", "reason": "need the coupon screenshot"},
        headers=agent,
    )
    assert moved.status_code == 200
    assert moved.json()["sla"]["paused"] is True
    assert moved.json()["sla"]["clocks"]["resolution"]["state"] == "paused"
    waiting = client.get(f"/api/v1/track/{ref}", headers=key).json()
    assert waiting["clock"]["paused"] is True
    assert "wait for your reply or documents" in waiting["clock"]["explanation"]["en"]
    assert "ждём вашего ответа" in waiting["clock"]["explanation"]["ru"]
    answered = client.post(
        f"/api/v1/track/{ref}/messages", json={"body": "Screenshot attached"}, headers=key
    )
    assert answered.status_code == 201
    after = client.get(f"/api/v1/track/{ref}", headers=key).json()
    assert after["status"] == "in_progress"
    assert after["clock"]["paused"] is False
    public = [e for e in after["timeline"] if e["type"].startswith("clock_")]
    assert [e["type"] for e in public] == ["clock_paused", "clock_resumed"]
    assert public[0]["data"] == {"clocks": ["resolution", "regulatory"]}
    assert "reason" not in str(after["timeline"])  # the agent's wording stays internal
    staff_view = _case(client, agent, ref)
    assert len(staff_view["sla"]["pauses"]) == 1
    assert staff_view["sla"]["pauses"][0]["ended_at"] is not None


def test_curacao_extension_over_http(client: TestClient, agent: Headers, lead: Headers) -> None:
    filed = _file(client, jurisdiction="CW")
    ref = filed["reference"]
    before = _case(client, lead, ref)
    refused = client.post(
        f"/api/v1/complaints/{ref}/extension", json={"reason": "more time"}, headers=agent
    )
    assert refused.status_code == 403
    extended = client.post(
        f"/api/v1/complaints/{ref}/extension",
        json={"reason": "We are waiting for the payment provider.", "version": before["version"]},
        headers=lead,
    )
    assert extended.status_code == 200, extended.text
    body = extended.json()
    moved = dt.datetime.fromisoformat(body["deadlines"]["regulatory"]) - dt.datetime.fromisoformat(
        before["deadlines"]["regulatory"]
    )
    assert moved == dt.timedelta(days=28)
    assert body["sla"]["extension_days"] == 28
    assert body["sla"]["can_extend"] is False
    again = client.post(
        f"/api/v1/complaints/{ref}/extension", json={"reason": "again"}, headers=lead
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "extension_refused"
    gb = _file(client, jurisdiction="GB")["reference"]
    none = client.post(f"/api/v1/complaints/{gb}/extension", json={"reason": "x"}, headers=lead)
    assert none.status_code == 409
    track = client.get(f"/api/v1/track/{ref}", headers={"X-Access-Key": filed["access_key"]})
    (notice,) = [e for e in track.json()["timeline"] if e["type"] == "deadline_extended"]
    assert notice["data"]["reason"] == "We are waiting for the payment provider."
    assert notice["data"]["days"] == 28


def test_triage_over_http_routes_again(client: TestClient, agent: Headers) -> None:
    ref = _file(client)["reference"]
    answer = client.post(
        f"/api/v1/complaints/{ref}/triage",
        json={"category": "payout_refusal", "reason": "it is a refused payout"},
        headers=agent,
    )
    assert answer.status_code == 200, answer.text
    assert (answer.json()["category"], answer.json()["team"]) == (
        "payout_refusal",
        "payout_refusal",
    )
    nothing = client.post(f"/api/v1/complaints/{ref}/triage", json={}, headers=agent)
    assert nothing.status_code == 422
    lower = client.post(f"/api/v1/complaints/{ref}/triage", json={"priority": "low"}, headers=agent)
    assert lower.status_code == 403


def test_the_queue_filters_breached_and_at_risk_cases(
    client: TestClient, agent: Headers, db: Database
) -> None:
    late = _file(client)["reference"]
    _file(client, category="bonus_terms")
    with db.transaction() as session:
        sweep(session, now=utcnow() + dt.timedelta(hours=20))
    at_risk = client.get("/api/v1/complaints?sla=at_risk", headers=agent).json()["items"]
    assert len(at_risk) == 2
    assert {c["sla_state"] for c in at_risk} == {"at_risk"}
    client.post(f"/api/v1/complaints/{late}/replies", json={"body": "Hi"}, headers=agent)
    with db.transaction() as session:
        sweep(session, now=utcnow() + dt.timedelta(hours=25))
    breached = client.get("/api/v1/complaints?sla=breached", headers=agent).json()["items"]
    assert len(breached) == 1
    assert breached[0]["reference"] != late
    assert client.get("/api/v1/complaints?sla=late", headers=agent).status_code == 422


def test_administration_is_validated(client: TestClient, agent: Headers, lead: Headers) -> None:
    def post(path: str, body: dict[str, Any], headers: Headers = lead) -> Any:
        return client.post(f"/api/v1{path}", json=body, headers=headers)

    unknown_team = post("/routing/rules", {"name": "Lost", "team": "nowhere"})
    assert unknown_team.status_code == 422
    assert unknown_team.json()["error"]["code"] == "unknown_team"
    assert (
        post("/routing/rules", {"name": "X", "team": "other", "colour": "red"}).status_code == 422
    )
    assert post("/routing/teams", {"key": "vip", "name": "VIP"}, agent).status_code == 403
    assert post("/routing/teams", {"key": "other", "name": "Again"}).status_code == 409
    assert post("/routing/teams", {"key": "Bad Key", "name": "x"}).status_code == 422
    no_lead = post("/routing/teams", {"key": "vip", "name": "VIP", "lead": "ghost"})
    assert no_lead.status_code == 422
    assert no_lead.json()["error"]["code"] == "unknown_user"
    assert client.delete("/api/v1/routing/teams/other", headers=lead).status_code == 409
    assert client.get("/api/v1/routing/teams/ghosts", headers=lead).status_code == 404
    assert (
        client.patch("/api/v1/routing/teams/other", json={"name": None}, headers=lead).status_code
        == 422
    )
    calendar = {
        "key": "office",
        "name": "Office",
        "timezone": "Europe/London",
        "hours": {"mon": [["09:00", "17:00"]]},
    }
    bad_zone = post("/sla/calendars", {**calendar, "timezone": "Mars/Base"})
    assert bad_zone.status_code == 422
    assert bad_zone.json()["error"]["code"] == "invalid_calendar"
    assert post("/sla/calendars", {**calendar, "hours": {"mon": [["9", "5"]]}}).status_code == 422
    assert post("/sla/calendars", calendar).status_code == 201
    policy = {"key": "vip", "name": "VIP", "first_response_minutes": 60, "resolution_minutes": 600}
    assert post("/sla/policies", {**policy, "calendar": "nope"}).json()["error"]["code"] == (
        "unknown_calendar"
    )
    assert post("/sla/policies", {**policy, "reassign": "team"}).status_code == 422
    assert post("/sla/policies", {**policy, "at_risk_percent": 100}).status_code == 422
    assert post("/sla/policies", {**policy, "pause_clocks": ["lunch"]}).status_code == 422
    made = post("/sla/policies", {**policy, "calendar": "office", "position": 1})
    assert made.status_code == 201, made.text
    assert made.json()["calendar"] == "office"
    assert client.delete("/api/v1/sla/calendars/office", headers=lead).status_code == 409
    assert (
        post(
            "/sla/jurisdictions",
            {"code": "gb", "name": "x", "acknowledgement_hours": 1, "regulatory_days": 1},
        ).status_code
        == 422
    )
    assert (
        post(
            "/sla/jurisdictions",
            {"code": "GB", "name": "x", "acknowledgement_hours": 1, "regulatory_days": 1},
        ).status_code
        == 409
    )
    assert client.delete("/api/v1/sla/jurisdictions/default", headers=lead).status_code == 409


def test_leads_configure_routing_and_the_next_case_follows(
    client: TestClient, lead: Headers, make_staff: Callable[..., Headers]
) -> None:
    make_staff("anna", Role.agent)
    assert (
        client.post(
            "/api/v1/routing/teams",
            json={
                "key": "vip",
                "name": "VIP desk",
                "name_ru": "VIP",
                "lead": "lena",
                "strategy": "round_robin",
            },
            headers=lead,
        ).status_code
        == 201
    )
    member = client.put(
        "/api/v1/routing/teams/vip/members/anna", json={"capacity": 5}, headers=lead
    )
    assert member.json()["members"] == [
        {"username": "anna", "available": True, "capacity": 5, "open_cases": 0}
    ]
    rule = client.post(
        "/api/v1/routing/rules",
        json={
            "name": "Ontario",
            "team": "vip",
            "position": 1,
            "jurisdictions": ["CA"],
            "set_priority": "high",
        },
        headers=lead,
    )
    assert rule.status_code == 201, rule.text
    preview = client.post(
        "/api/v1/routing/preview",
        json={"category": "bonus_terms", "jurisdiction": "CA-ON"},
        headers=lead,
    ).json()
    assert preview["team"] == "vip"
    assert preview["rule"]["name"] == "Ontario"
    ref = _file(client, jurisdiction="CA-ON")["reference"]
    case = _case(client, lead, ref)
    assert (case["team"], case["assignee"], case["priority"]) == ("vip", "anna", "high")
    assert case["sla"]["policy"] == "high"
    away = client.put("/api/v1/routing/availability/anna", json={"available": False}, headers=lead)
    assert away.status_code == 204
    assert _case(client, lead, _file(client, jurisdiction="CA-ON")["reference"])["assignee"] is None
    rules = client.get("/api/v1/routing/rules", headers=lead).json()
    assert rules[0]["name"] == "Ontario"
    patched = client.patch(
        f"/api/v1/routing/rules/{rules[0]['id']}", json={"active": False}, headers=lead
    )
    assert patched.json()["active"] is False
    assert _case(client, lead, _file(client, jurisdiction="CA-ON")["reference"])["team"] == (
        "bet_settlement"
    )


def test_customer_terms_are_public_in_both_languages(client: TestClient) -> None:
    ru = client.get("/api/v1/terms", params={"jurisdiction": "CW", "language": "ru"})
    assert ru.status_code == 200
    body = ru.json()
    assert (body["regulatory_days"], body["extension_days"]) == (28, 28)
    assert "продлить один раз" in body["summary"]
    assert client.get("/api/v1/terms", params={"jurisdiction": "gb"}).status_code == 422


def test_the_admin_api_is_in_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/routing/teams",
        "/api/v1/routing/rules/{rule_id}",
        "/api/v1/routing/availability/{username}",
        "/api/v1/sla/policies/{key}",
        "/api/v1/sla/calendars",
        "/api/v1/sla/jurisdictions/{code}",
        "/api/v1/complaints/{reference}/triage",
        "/api/v1/complaints/{reference}/extension",
    ):
        assert path in paths


def test_the_sweep_command_runs_once_and_says_what_it_did(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    _file(client)
    env = {
        **os.environ,
        "COMPLAINTDESK_DATABASE_URL": settings.resolved_database_url,
        "COMPLAINTDESK_DATA_DIR": str(tmp_path / "cli"),
    }
    later = (utcnow() + dt.timedelta(days=3)).isoformat()
    cli = [sys.executable, "-m", "complaintdesk.cli.main", "sla", "sweep", "--now", later]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*cli, *args], env=env, capture_output=True, text=True, timeout=60, check=False
        )

    first = run()
    assert first.returncode == 0, first.stderr
    assert "1 newly breached" in first.stdout
    second = run("--json")
    assert second.returncode == 0
    assert '"breached": []' in second.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "complaintdesk.cli.main", "sla", "sweep", "--now", "tomorrow"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 1
    assert "ISO 8601" in bad.stderr
    assert "Traceback" not in bad.stderr
