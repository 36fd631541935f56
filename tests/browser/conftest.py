"""Real Chromium (Debian's, at /usr/bin/chromium) driven by Playwright against the desk
served by `complaintdesk serve` on loopback, exactly as an operator runs it.

Without Chromium the suite is skipped with the reason, except under CI=true, where it
must run: a missing browser fails the run (`scripts/test` installs it there).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from complaintdesk.db import Database
from complaintdesk.staff import services as staff_services
from complaintdesk.staff.models import Role

CHROMIUM = os.environ.get("COMPLAINTDESK_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STAFF_PASSWORD = "browser suite password"
EMBED_SECRET = "embed-secret-for-the-browser-suite-0123456789"
ADR_NAME = "Independent Betting Adjudication Service"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    base_url: str
    database_url: str
    log: Path

    def staff_headers(self) -> dict[str, str]:
        answer = httpx.post(
            f"{self.base_url}/api/v1/auth/token",
            json={"username": "lena", "password": STAFF_PASSWORD},
            timeout=10,
        )
        answer.raise_for_status()
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def resolve(self, reference: str, *, compensation: dict[str, str] | None = None) -> None:
        """A staff member answers the case and records the final response (through the API)."""
        headers = self.staff_headers()
        body: dict[str, Any] = {"outcome": "partially_upheld", "summary": "We re-settled the bet."}
        if compensation:
            body["compensation"] = compensation
        with httpx.Client(base_url=self.base_url, headers=headers, timeout=10) as http:
            assert (
                http.post(
                    f"/api/v1/complaints/{reference}/replies", json={"body": "We are checking."}
                ).status_code
                == 201
            )
            assert (
                http.post(f"/api/v1/complaints/{reference}/resolution", json=body).status_code
                == 200
            )


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"Chromium is required in CI and is not at {CHROMIUM}")
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("served")
    database_url = f"sqlite:///{root / 'desk.sqlite3'}"
    log = root / "server.log"
    env = {
        **os.environ,
        "COMPLAINTDESK_ENVIRONMENT": "test",
        "COMPLAINTDESK_DATABASE_URL": database_url,
        "COMPLAINTDESK_DATA_DIR": str(root / "data"),
        "COMPLAINTDESK_SECRET_KEY": "browser-suite-secret-key-0123456789abcdef",
        "COMPLAINTDESK_PUBLIC_RATE_LIMIT": "10000/minute",
        "COMPLAINTDESK_ADR_NAME": ADR_NAME,
        "COMPLAINTDESK_ADR_URL": "https://adr.example.org/",
        "COMPLAINTDESK_EMBED_SECRET": EMBED_SECRET,
    }
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "complaintdesk.cli.main", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
            if process.poll() is not None:
                break
        else:
            process.kill()
        if process.poll() is not None:
            pytest.fail(f"the server did not start:\n{log.read_text(errors='replace')}")
        db = Database(database_url)
        with db.transaction() as session:
            staff_services.create_user(
                session, username="lena", password=STAFF_PASSWORD, role=Role.lead
            )
        db.dispose()
        yield Served(base_url, database_url, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_context(browser: Browser, served: Served) -> Iterator[Callable[..., BrowserContext]]:
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        options.setdefault("locale", "en-GB")
        options.setdefault("timezone_id", "Europe/London")
        context = browser.new_context(base_url=served.base_url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def screenshot() -> Callable[[Page, str], None]:
    """Save a screenshot to docs/screenshots when COMPLAINTDESK_SCREENSHOTS=1 (kept in git)."""

    def take(page: Page, name: str) -> None:
        if os.environ.get("COMPLAINTDESK_SCREENSHOTS") != "1":
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        viewport = page.viewport_size or {"width": 1280, "height": 800}
        height = page.evaluate("document.documentElement.scrollHeight")
        # A phone shows its first screen and a half; a desktop page at most 1,500 px.
        limit = int(viewport["height"] * 1.5) if viewport["width"] < 600 else 1500
        page.screenshot(
            path=str(SCREENSHOTS / f"{name}.png"),
            full_page=True,
            scale="css",
            clip={"x": 0, "y": 0, "width": viewport["width"], "height": min(height, limit)},
        )

    return take
