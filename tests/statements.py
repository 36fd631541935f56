"""Counting the SQL statements a piece of work sends: the guard that a page or a view
costs a fixed number of queries, whatever the case's history or the desk's size."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event

_NOT_QUERIES = ("BEGIN", "SAVEPOINT", "PRAGMA")


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """The statements sent on ``engine`` inside the block (transaction control left out,
    once the block ends)."""
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)
        statements[:] = [s for s in statements if not s.startswith(_NOT_QUERIES)]
