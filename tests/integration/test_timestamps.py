"""Timestamps on PostgreSQL come back aware and in UTC, whatever time zone the server, the
role or the connection string names: each connection of the desk works in UTC, and a
value read in another zone is still converted."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import literal_column, select, text

from complaintdesk.db import Database, UTCDateTime
from complaintdesk.staff.models import Role, User

pytestmark = pytest.mark.postgres

# A moment with microseconds, in a zone of its own.
WRITTEN = dt.datetime(2026, 3, 29, 1, 30, 15, 250_000, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def _in_tokyo(url: str) -> str:
    """The same database, with a connection string that asks for Tokyo's time."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options={quote('-c TimeZone=Asia/Tokyo')}"


@pytest.fixture
def tokyo(postgres_database: str) -> Iterator[Database]:
    database = Database(_in_tokyo(postgres_database))
    yield database
    database.dispose()
    cleanup = Database(postgres_database)
    with cleanup.transaction() as session:
        session.execute(text("DELETE FROM users WHERE username = 'tz-check'"))
    cleanup.dispose()


def _write(db: Database) -> None:
    with db.transaction() as session:
        session.add(
            User(username="tz-check", password_hash="x", role=Role.agent, created_at=WRITTEN)
        )


def _read(db: Database) -> dt.datetime:
    with db.read() as session:
        return session.scalars(select(User.created_at).where(User.username == "tz-check")).one()


def test_a_timestamp_reads_back_the_same_moment_in_utc(tokyo: Database) -> None:
    _write(tokyo)
    read = _read(tokyo)
    assert read == WRITTEN
    assert read.tzinfo is dt.UTC
    assert read.isoformat() == "2026-03-28T22:30:15.250000+00:00"
    with tokyo.read() as session:
        assert session.scalar(text("SHOW TimeZone")) == "UTC"


def test_a_connection_in_another_zone_still_reads_utc(tokyo: Database) -> None:
    _write(tokyo)
    with tokyo.transaction() as session:
        session.execute(text("SET LOCAL TIME ZONE 'America/New_York'"))
        read = session.scalars(select(User.created_at).where(User.username == "tz-check")).one()
    assert read == WRITTEN
    assert read.tzinfo is dt.UTC


def test_a_timestamp_without_a_time_zone_is_taken_as_utc(
    tokyo: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As SQLite's are: the desk stores UTC, and a column without a zone holds it, whatever
    the local time of the machine reading it."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    naive = literal_column("TIMESTAMP '2026-03-28 22:30:15.25'", type_=UTCDateTime())
    try:
        with tokyo.read() as session:
            read = session.scalar(select(naive))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert read == WRITTEN
    assert read is not None
    assert read.tzinfo is dt.UTC
