"""SQLAlchemy base, shared column types, the engine and the unit of work.

Services receive a ``Session`` and only ``add``/``flush``; the edge (a request, a job, a
CLI command) opens one unit of work with :meth:`Database.transaction` and commits once.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    Connection,
    DateTime,
    Dialect,
    Engine,
    MetaData,
    String,
    create_engine,
    event,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, mapped_column, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.types import Numeric, TypeDecorator, TypeEngine

# Stable constraint names, so migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware datetime, stored as UTC.

    SQLite has no time zones; without this type a value read back would be naive and
    compare wrongly with aware ones. Naive values are refused on the way in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use timezone-aware UTC")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        if dialect.name != "postgresql" or self.impl_instance.result_processor(dialect, coltype):
            return super().result_processor(dialect, coltype)
        return _utc

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        when = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        if not isinstance(when, dt.datetime):
            raise TypeError(f"expected a datetime, got {type(when).__name__}")
        return _utc(when)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """A timestamp read back, in UTC: one without a zone holds UTC (SQLite's, or a column
    without one). PostgreSQL's come aware and already in UTC on the desk's connections
    (:func:`_utc_session`), so there this is the whole result processor and most values
    need nothing; a queue page reads some 180."""
    if value is None or value.tzinfo is dt.UTC:
        return value
    if value.tzinfo is None:  # a column without a time zone holds UTC, as on SQLite
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


class Money(TypeDecorator[Decimal]):
    """An exact amount: NUMERIC on PostgreSQL, text on SQLite (whose NUMERIC is a float)."""

    impl = Numeric(18, 4, asdecimal=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(18, 4, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value))


JSONType = JSON().with_variant(JSONB(), "postgresql")

intpk = Annotated[int, mapped_column(primary_key=True)]
timestamp = Annotated[dt.datetime, mapped_column(UTCDateTime(), default=utcnow)]
optional_timestamp = Annotated[dt.datetime | None, mapped_column(UTCDateTime(), nullable=True)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dt.datetime: UTCDateTime(),
        Decimal: Money(),
        dict[str, Any]: JSONType,
        list[Any]: JSONType,
    }


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let _sqlite_begin issue BEGIN itself instead of pysqlite's implicit, deferred one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers work while one writer commits; NORMAL sync is durable in WAL mode
    # against process crashes, and a busy timeout turns lock contention into a short wait.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


# A pooled connection that has waited this long is tested before it is handed out.
PING_AFTER_IDLE = 1.0  # seconds


def _ping_if_idle(engine: Engine, idle: float) -> None:
    """Test a pooled connection before use only when it has waited ``idle`` seconds.

    A connection dies while it waits: the server restarted, or a firewall or the server's
    idle timeout closed it. Testing every one before every use (``pool_pre_ping``) costs
    each request a round trip to the server, two for a staff request (its token, then its
    work), though under load a connection goes back to work within milliseconds of its
    last use. The pool hands out the connection used last (LIFO), so a busy process keeps
    reusing a few fresh ones, and one that has waited is tested; if the test fails, the
    pool drops it and opens another. A connection that dies in use fails its request, as
    with ``pool_pre_ping``, and the pool then drops every connection older than that one.
    """

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < idle:
            return  # just opened, or back from work a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("a pooled connection was closed while it waited") from exc


def _utc_session(dbapi_connection: Any, _record: Any) -> None:
    """Each new PostgreSQL connection works in UTC, so that the timestamps it returns need
    no conversion (a server or role may name another zone; its values would still be
    converted, only at a cost). Behind a pooler that does not keep session settings, the
    values are converted as before."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
    finally:
        dbapi_connection.autocommit = autocommit


def make_engine(
    url: str, *, pool_size: int = 10, ping_after_idle: float = PING_AFTER_IDLE
) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            json_serializer=_json_dumps,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url == "postgresql+psycopg://" or "pool=null" in url:
        engine = create_engine(url.replace("?pool=null", ""), poolclass=NullPool)
    else:
        engine = create_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_use_lifo=True,
            json_serializer=_json_dumps,
        )
        _ping_if_idle(engine, ping_after_idle)
    event.listen(engine, "connect", _utc_session)
    return engine


def _sqlite_begin(conn: Any) -> None:
    # pysqlite defers BEGIN until the first write, so two units of work can both read and
    # then one fails to upgrade its lock. A writing unit of work takes the lock up front.
    read_only = conn.get_execution_options().get(READ_ONLY, False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


READ_ONLY = "complaintdesk_read_only"


def _json_dumps(value: Any) -> str:
    import json  # noqa: PLC0415 - tiny, and keeps the module's import list about SQL

    return json.dumps(value, ensure_ascii=False, default=str)


Observer = Callable[[Session, Any], None]


class WriteInReadOnlyUnitOfWork(RuntimeError):
    """A read unit of work (:meth:`Database.read`) tried to write: a programming error."""


def _refuse_writes(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise WriteInReadOnlyUnitOfWork(
            "a read-only unit of work never writes; use Database.transaction()"
        )


class Database:
    """The engine and the session factory of one database."""

    def __init__(
        self, url: str, *, pool_size: int = 10, ping_after_idle: float = PING_AFTER_IDLE
    ) -> None:
        self.url = url
        self.engine = make_engine(url, pool_size=pool_size, ping_after_idle=ping_after_idle)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=False)
        self._observers: dict[type[Any], list[Observer]] = {}
        event.listen(self.sessions, "before_flush", self._before_flush)
        read_options: dict[str, Any] = {READ_ONLY: True}
        if self.engine.dialect.name == "postgresql":
            # Each statement of a read sees what was committed when it started, as it would
            # at READ COMMITTED inside a transaction; without one, a read costs no BEGIN and
            # no ROLLBACK round trip to the server.
            read_options["isolation_level"] = "AUTOCOMMIT"
        self._read_engine = self.engine.execution_options(**read_options)
        self._read_sessions = sessionmaker(
            self._read_engine, expire_on_commit=False, autoflush=False
        )
        event.listen(self._read_sessions, "before_flush", _refuse_writes)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any exception."""
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work; nothing is committed.

        Closing the session hands its connection back to the pool, which rolls the
        transaction back; a session-level rollback first would only spend time
        expiring every object it loaded.
        """
        with self._read_sessions() as session:
            yield session

    @contextmanager
    def read_rows(self) -> Iterator[Connection]:
        """A read of plain rows, without a session: for a lookup so frequent (a staff
        request's token) that a session's own bookkeeping is a third of its cost."""
        with self._read_engine.connect() as connection:
            yield connection

    def on_new(self, cls: type[Any], observer: Observer) -> None:
        """Call ``observer(session, obj)`` for every new ``cls`` row, inside the flush that
        inserts it: whatever the observer adds commits or rolls back with the change itself.

        This is how the outbox, webhooks and clocks follow the timeline without every
        service having to remember them: each change appends a timeline event, and the
        observers registered for ``ComplaintEvent`` react to it in the same transaction.
        """
        self._observers.setdefault(cls, []).append(observer)

    def _before_flush(self, session: Session, _context: Any, _instances: Any) -> None:
        # Objects an observer adds are flushed too but not observed again (new list each pass).
        for obj in [o for o in session.new if type(o) in self._observers]:
            for observer in self._observers[type(obj)]:
                observer(session, obj)

    def dispose(self) -> None:
        self.engine.dispose()
