"""The connection pool on PostgreSQL: a connection the server closed while it waited in the
pool is replaced before anyone uses it; one that was in use a moment ago is not tested
again (that round trip would cost every request), so if the server closed it, one use
fails and the pool then replaces every connection as old as it."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from complaintdesk.db import Database

pytestmark = pytest.mark.postgres


def _backend(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(text("SELECT pg_backend_pid()")))


def _terminate(url: str, pid: int) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        admin.dispose()


def test_a_connection_closed_while_it_waited_is_replaced_unseen(postgres_database: str) -> None:
    db = Database(postgres_database, ping_after_idle=0.0)
    try:
        first = _backend(db)
        _terminate(postgres_database, first)
        second = _backend(db)  # no error: the pool tested the connection and opened another
        assert second != first
        assert _backend(db) == second  # the newest connection is reused (LIFO)
    finally:
        db.dispose()


def test_a_connection_back_from_work_a_moment_ago_is_used_untested(
    postgres_database: str,
) -> None:
    db = Database(postgres_database, ping_after_idle=60.0)
    try:
        first = _backend(db)
        _terminate(postgres_database, first)
        with pytest.raises(OperationalError):
            _backend(db)
        assert _backend(db) != first  # the next use gets a new connection
    finally:
        db.dispose()
