"""The desk as an operator runs it: `complaintdesk serve` in its own process, a staff user
made with `complaintdesk users add`, and the whole flow over real HTTP on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.samples import COMPLAINT

CLI = [sys.executable, "-m", "complaintdesk.cli.main"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "COMPLAINTDESK_DATABASE_URL": database_url,
        "COMPLAINTDESK_DATA_DIR": str(tmp_path / "data"),
        "COMPLAINTDESK_PUBLIC_RATE_LIMIT": "1000/minute",
    }


@pytest.fixture
def served(env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            process.kill()
            pytest.fail(f"the server did not start: {process.communicate()[0].decode()}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _cli(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=env, input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


def test_served_desk_end_to_end(served: str, env: dict[str, str]) -> None:
    added = _cli(
        env,
        "users",
        "add",
        "maria",
        "--role",
        "lead",
        "--password-stdin",
        stdin="a long password\n",
    )
    assert added.returncode == 0, added.stderr
    with httpx.Client(base_url=served, timeout=10) as http:
        filed = http.post("/api/v1/complaints", json=COMPLAINT).json()
        ref, key = filed["reference"], filed["access_key"]
        token = http.post(
            "/api/v1/auth/token", json={"username": "maria", "password": "a long password"}
        ).json()
        staff = {"Authorization": f"Bearer {token['access_token']}"}
        queue = http.get("/api/v1/complaints", params={"sort": "due"}, headers=staff).json()
        assert [c["reference"] for c in queue["items"]] == [ref]
        assert (
            http.post(
                f"/api/v1/complaints/{ref}/replies", headers=staff, json={"body": "Checking"}
            ).status_code
            == 201
        )
        assert (
            http.post(
                f"/api/v1/complaints/{ref}/notes", headers=staff, json={"body": "internal"}
            ).status_code
            == 201
        )
        resolved = http.post(
            f"/api/v1/complaints/{ref}/resolution",
            headers=staff,
            json={"outcome": "upheld", "summary": "Resettled as won"},
        )
        assert resolved.status_code == 200
        track = http.get(f"/api/v1/track/{ref}", headers={"X-Access-Key": key}).json()
        assert track["status"] == "resolved"
        assert [m["body"] for m in track["messages"]] == ["Checking", "Resettled as won"]
        bad = http.post(
            "/api/v1/complaints", content=b"{", headers={"Content-Type": "application/json"}
        )
        assert bad.status_code == 400
        assert bad.json()["error"]["code"] == "malformed_json"


def test_users_cli(env: dict[str, str]) -> None:
    assert (
        _cli(
            env,
            "users",
            "add",
            "ivan",
            "--role",
            "agent",
            "--password-stdin",
            stdin="long password 1\n",
        ).returncode
        == 0
    )
    again = _cli(
        env,
        "users",
        "add",
        "ivan",
        "--role",
        "agent",
        "--password-stdin",
        stdin="long password 1\n",
    )
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert "Traceback" not in again.stderr
    short = _cli(
        env, "users", "add", "olga", "--role", "agent", "--password-stdin", stdin="short\n"
    )
    assert short.returncode == 1
    assert "at least 10 characters" in short.stderr
    bad_role = _cli(env, "users", "add", "olga", "--role", "boss", "--password-stdin", stdin="x\n")
    assert bad_role.returncode == 2
    listed = _cli(env, "users", "list")
    assert listed.stdout.split() == ["ivan", "agent", "active", "ivan"]
    assert _cli(env, "users", "disable", "ivan").returncode == 0
    assert "disabled" in _cli(env, "users", "list").stdout
    missing = _cli(env, "users", "disable", "nobody")
    assert missing.returncode == 1
    assert "no user named" in missing.stderr


def test_settings_errors_are_clear(env: dict[str, str]) -> None:
    prod = {**env, "COMPLAINTDESK_ENVIRONMENT": "production"}
    answer = _cli(prod, "migrate")
    assert answer.returncode == 1
    assert "COMPLAINTDESK_SECRET_KEY" in answer.stderr
    assert "Traceback" not in answer.stderr
    unreachable = {
        **env,
        "COMPLAINTDESK_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none",
    }
    answer = _cli(unreachable, "migrate")
    assert answer.returncode == 1
    assert "cannot reach the database" in answer.stderr
