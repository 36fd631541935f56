"""HTTP through the real app (in process), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.staff import services as staff_services
from complaintdesk.staff.models import Role
from complaintdesk.web.app import create_app
from tests.samples import COMPLAINT

PASSWORD = "correct horse battery"


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def make_staff(db: Database, client: TestClient) -> Callable[..., dict[str, str]]:
    """Create a staff member and sign in; returns the Authorization header."""

    def make(username: str = "alice", role: Role = Role.agent) -> dict[str, str]:
        with db.transaction() as session:
            staff_services.create_user(session, username=username, password=PASSWORD, role=role)
        answer = client.post(
            "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    return make


@pytest.fixture
def agent(make_staff: Callable[..., dict[str, str]]) -> dict[str, str]:
    return make_staff("alice", Role.agent)


@pytest.fixture
def filed(client: TestClient) -> dict[str, Any]:
    answer = client.post("/api/v1/complaints", json=COMPLAINT)
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]
