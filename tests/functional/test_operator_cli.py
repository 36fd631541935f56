"""`complaintdesk demo` and `complaintdesk checks run` as an operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "complaintdesk.cli.main"]


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "COMPLAINTDESK_DATABASE_URL": database_url,
        "COMPLAINTDESK_DATA_DIR": str(tmp_path / "data"),
        "COMPLAINTDESK_ENVIRONMENT": "development",
    }


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_demo_loads_once_says_where_to_sign_in_and_leaves_nothing_due(
    env: dict[str, str],
) -> None:
    first = run(env, "demo", "--seed", "5")
    assert first.returncode == 0, first.stderr
    assert "Loaded the demo operator (seed 5)" in first.stdout
    assert "64 complaints" in first.stdout
    assert "automatic checks run" in first.stdout
    assert "/api/v1/auth/token" in first.stdout
    assert "/console" in first.stdout
    for line in ("anna    agent", "lena    lead", "carl    compliance", "admin   admin"):
        assert line in first.stdout
    assert "demo-compliance-carl" in first.stdout

    again = run(env, "demo")
    assert again.returncode == 0, again.stderr
    assert "already loaded (seed 5" in again.stdout
    assert "nothing was changed" in again.stdout

    checked = run(env, "checks", "run", "--once")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "checks: 0 run (demo platform)"


def test_demo_refuses_production(env: dict[str, str]) -> None:
    production = {
        **env,
        "COMPLAINTDESK_ENVIRONMENT": "production",
        "COMPLAINTDESK_SECRET_KEY": "a-production-secret-of-more-than-32-characters",
    }
    refused = run(production, "demo")
    assert refused.returncode == 1
    assert "production" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert refused.stdout == ""


def test_checks_run_with_a_broken_platform_setting_is_a_clear_error(env: dict[str, str]) -> None:
    broken = run({**env, "COMPLAINTDESK_PLATFORM_URL": "ftp://platform"}, "checks", "run", "--once")
    assert broken.returncode == 1
    assert "COMPLAINTDESK_PLATFORM_URL" in broken.stderr
    assert "Traceback" not in broken.stderr
