"""Automatic checks through the HTTP API: a complaint naming a bet gets the operator's record
checked and explained, through any adapter, and intake never waits for the platform."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.web.app import create_app
from complaintdesk.worker.runner import Worker
from tests.platform_fixtures import ACCOUNT, load_demo_tables, serve_platform, write_folder

COMPLAINT: dict[str, Any] = {
    "subject": "Each-way bet placed but nothing paid",
    "description": "My each-way bet ID 77881234 on Shishkin finished third, a place, "
    "but it shows as lost and I got nothing back.",
    "customer": {"email": "ivan.petrov@example.com", "account_id": ACCOUNT},
    "category": "bet_settlement",
    "language": "en",
    "jurisdiction": "GB",
}


@pytest.fixture(params=["files", "http", "demo"])
def adapter_settings(
    request: pytest.FixtureRequest, settings: Settings, db: Database, tmp_path: Path
) -> Iterator[Settings]:
    if request.param == "files":
        yield settings.model_copy(update={"platform_dir": write_folder(tmp_path / "export")})
    elif request.param == "http":
        with serve_platform() as server:
            yield settings.model_copy(update={"platform_url": server.url})
    else:
        load_demo_tables(db)
        yield settings


def _client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings), raise_server_exceptions=False)


def test_a_mis_settled_bet_named_in_the_text_is_found_and_explained(
    adapter_settings: Settings,
    db: Database,
    make_staff: Callable[..., dict[str, str]],
) -> None:
    with _client(adapter_settings) as client:
        agent = make_staff("alice")
        filed = client.post("/api/v1/complaints", json=COMPLAINT)
        assert filed.status_code == 201, filed.text
        reference, key = filed.json()["reference"], filed.json()["access_key"]
        case = client.get(f"/api/v1/complaints/{reference}", headers=agent).json()
        [waiting] = case["checks"]
        assert waiting["kind"] == "settlement"
        assert waiting["bet_id"] == "77881234"
        assert waiting["state"] == "pending"
        assert waiting["message"] == "Waiting to be checked."

        # The worker (not the request) runs it.
        tally = Worker(adapter_settings, db, jobs=[]).run_once()
        assert tally["checks"] == 1

        case = client.get(f"/api/v1/complaints/{reference}", headers=agent).json()
        [check] = case["checks"]
        assert check["state"] == "done"
        assert check["verdict"]["verdict"] == "underpaid"
        assert check["verdict"]["expected_return"] == "26.00"
        assert check["verdict"]["paid_return"] == "0.00"
        assert check["amount_owed"] == "26.00"
        assert check["currency"] == "GBP"
        assert check["account_matches"] is True
        assert check["bet"]["legs"][0]["selection_name"] == "Shishkin"
        assert any("place" in step.lower() for step in check["verdict"]["explanation"])
        assert "report" not in check  # another kind's fields are left out
        assert case["priority"] == "high"
        completed = [e for e in case["timeline"] if e["type"] == "check_completed"]
        assert [(e["public"], e["data"]["amount_owed"]) for e in completed] == [(False, "26.00")]

        listed = client.get(f"/api/v1/complaints/{reference}/checks", headers=agent).json()
        assert listed["items"] == case["checks"]

        tracked = client.get(f"/api/v1/track/{reference}", headers={"X-Access-Key": key}).json()
        assert "check_completed" not in {e["type"] for e in tracked["timeline"]}
        assert "checks" not in tracked


def _dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_intake_never_waits_for_a_dead_platform_and_the_case_says_it_is_retrying(
    settings: Settings, db: Database, make_staff: Callable[..., dict[str, str]]
) -> None:
    dead = settings.model_copy(update={"platform_url": _dead_url(), "platform_retries": 0})
    with _client(dead) as client:
        agent = make_staff("alice")
        started = time.monotonic()
        filed = client.post(
            "/api/v1/complaints",
            json={**COMPLAINT, "language": "ru", "description": "Купон №77881234 не выплачен."},
        )
        assert filed.status_code == 201, filed.text
        assert time.monotonic() - started < 2
        reference = filed.json()["reference"]

        assert Worker(dead, db, jobs=[]).run_once()["checks"] == 1
        [check] = client.get(f"/api/v1/complaints/{reference}", headers=agent).json()["checks"]
        assert check["state"] == "unavailable"
        assert check["next_attempt_at"] is not None
        assert check["message"].startswith("Платформа оператора недоступна, повторная попытка в")
        assert "cannot reach the platform" in check["problem"]
        assert check["verdict"] is None

        rerun = client.post(
            f"/api/v1/complaints/{reference}/checks/{check['id']}/rerun", headers=agent
        )
        assert rerun.status_code == 202, rerun.text
        assert rerun.json()["state"] == "pending"
        assert rerun.json()["message"] == "Ожидает проверки."
        case = client.get(f"/api/v1/complaints/{reference}", headers=agent).json()
        asked = [e for e in case["timeline"] if e["type"] == "check_rerun_requested"]
        assert [(e["by"], e["public"]) for e in asked] == [("alice", False)]


def test_rerunning_what_does_not_exist_is_a_clear_404(
    client: TestClient, make_staff: Callable[..., dict[str, str]], filed: dict[str, Any]
) -> None:
    agent = make_staff("alice")
    reference = filed["reference"]
    missing = client.post(f"/api/v1/complaints/{reference}/checks/999/rerun", headers=agent)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "check_not_found"
    nowhere = client.post("/api/v1/complaints/CMP-0000-0000/checks/1/rerun", headers=agent)
    assert nowhere.status_code == 404
    assert nowhere.json()["error"]["code"] == "not_found"
    bad = client.post(f"/api/v1/complaints/{reference}/checks/first/rerun", headers=agent)
    assert bad.status_code == 422
    anonymous = client.post(f"/api/v1/complaints/{reference}/checks/1/rerun")
    assert anonymous.status_code == 401
    assert client.get(f"/api/v1/complaints/{reference}/checks").status_code == 401
