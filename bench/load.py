"""Fill a desk with N realistic cases, fast: the benchmark's data generator.

The database is built by the migrations (never ``create_all``), then loaded in bulk:
PostgreSQL through ``COPY`` (psycopg's ``cursor.copy``), SQLite through ``executemany`` in
large transactions with the pragmas of a bulk load. On an empty desk the secondary
indexes and the triggers of the loaded tables are dropped first and rebuilt once at the
end (the SQLite full-text index with one ``rebuild``), as a restore would do.

The shape of the data: categories, priorities, languages (Russian and English) and
jurisdictions in realistic shares; most cases finished, about one in eight open; every
case routed to its category's team, with a timeline of several events, messages, its
searchable text and its clock record. Everything follows from the seed, except the
clock: cases are dated relative to the moment of loading, so open ones are due soon.

Columns are read from the database and the models at run time: a column another
context adds later is filled from its server default, or else from the model's Python
default, so a growing schema does not break the generator.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench import timeline
from complaintdesk.complaints.references import ALPHABET, REFERENCE_PATTERN, hash_access_key
from complaintdesk.db import Base, UTCDateTime, make_engine, utcnow
from complaintdesk.migrations import upgrade
from complaintdesk.models import load_all

# Every benchmark case opens with this key (customers' tracking pages); the cases are
# synthetic, so one shared, published key is harmless and lets the suite open any of them.
BENCH_ACCESS_KEY = "benchmark-access-key-synthetic-cases"
DEFAULT_SEED = 20_261_125
BATCH = 5_000


# Agents per team grow with the desk: 3 at 10k cases, 40 at 1M (a case a day or two each).
def agents_per_team(size: int) -> int:
    return max(3, min(40, size // 25_000))


# Processes writing rows while the main one copies them in: generating is the slow part.
GENERATORS = min(4, os.cpu_count() or 1)
ADMIN_USERNAME = "bench.admin"
# Tables loaded, in the order their rows reference each other.
TABLES = (
    "complaints",
    "complaint_events",
    "messages",
    "complaint_search",
    "case_clocks",
    "clock_pauses",
)
_N = len(ALPHABET) ** 8
_A = pow(7, 23, _N)  # a power of 7 is coprime with 30**8: i -> A*i+B is a bijection
_B = 387_420_489


def reference(case_id: int, prefix: str = "CMP") -> str:
    """A valid, unique, random-looking reference for case ``case_id`` (a bijection)."""
    n = (_A * case_id + _B) % _N
    chars = []
    for _ in range(8):
        n, digit = divmod(n, len(ALPHABET))
        chars.append(ALPHABET[digit])
    body = "".join(chars)
    return f"{prefix}-{body[:4]}-{body[4:]}"


@dataclass
class Loaded:
    """What a load did: rows per table, the id range of its cases, seconds per phase."""

    size: int
    first_id: int
    last_id: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    teams: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "first_id": self.first_id,
            "last_id": self.last_id,
            "rows": self.rows,
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
            "teams": self.teams,
        }


class Columns:
    """How the generator's rows of one table become the database's rows.

    ``known`` names the columns the generator fills, in the order of its tuples. Columns
    the database does not have are left out; NOT NULL columns the generator does not know
    take the model's Python default when the database has no default of its own.
    """

    def __init__(
        self,
        table: sa.Table,
        reflected: Sequence[Mapping[str, Any]],
        known: Sequence[str],
        convert: Callable[[Any], Any],
    ) -> None:
        present = {c["name"] for c in reflected}
        self.table = table.name
        self.names = [name for name in known if name in present]
        self._pick = (
            None if len(self.names) == len(known) else [known.index(name) for name in self.names]
        )
        extra: list[tuple[str, Any]] = []
        for col in reflected:
            if col["name"] in known or col["nullable"] or col.get("default") is not None:
                continue
            if col["name"] == "id":  # numbered by the database
                continue
            extra.append((col["name"], convert(_python_default(table, col["name"]))))
        self.names += [name for name, _ in extra]
        self._extra = tuple(value for _, value in extra)

    def row(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        if self._pick is not None:
            values = tuple(values[i] for i in self._pick)
        return values + self._extra if self._extra else values


def _python_default(table: sa.Table, name: str) -> Any:
    column = table.c.get(name)
    default = getattr(column, "default", None) if column is not None else None
    if default is None:
        raise RuntimeError(
            f"{table.name}.{name} is NOT NULL without a default; teach bench/load.py to fill it"
        )
    value = default.arg
    if callable(value):
        value = value(None)
    return value.value if hasattr(value, "value") else value


def _sqlite_time(value: dt.datetime | None) -> str | None:
    # The format SQLAlchemy's DateTime stores on SQLite: text that sorts like time.
    return None if value is None else value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _convert_for(dialect: str) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, dt.datetime) and dialect == "sqlite":
            return _sqlite_time(value)
        return value

    return convert


def _check_sqlite_format() -> None:
    from sqlalchemy.dialects import sqlite  # noqa: PLC0415

    sample = dt.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
    impl: Any = UTCDateTime().dialect_impl(sqlite.dialect())
    processed = impl.process_bind_param(sample, sqlite.dialect())
    stored = impl.impl_instance.bind_processor(sqlite.dialect())(processed)
    if stored != _sqlite_time(sample):
        raise RuntimeError(
            f"SQLite stores times as {stored!r}; the generator writes them "
            f"as {_sqlite_time(sample)!r}"
        )


# --- the sinks: COPY on PostgreSQL, executemany on SQLite ------------------------------


class Sink:
    dialect = ""

    def write(self, columns: Columns, rows: list[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def secondary(self, tables: Sequence[str]) -> list[tuple[str, str]]:
        raise NotImplementedError

    def execute(self, sql: str) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError

    def finish(self, tables: Sequence[str]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class PostgresSink(Sink):
    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg  # noqa: PLC0415

        u = make_url(url)
        params = {
            k: v
            for k, v in {
                "host": u.query.get("host") or u.host,
                "port": u.port,
                "dbname": u.database,
                "user": u.username,
                "password": u.password,
            }.items()
            if v
        }
        self.conn = psycopg.connect(**params)  # type: ignore[arg-type]
        with self.conn.cursor() as cur:
            cur.execute("SET synchronous_commit = off")
            cur.execute("SET maintenance_work_mem = '1GB'")
            cur.execute("SET max_parallel_maintenance_workers = 2")
            try:  # a superuser loads without firing the foreign-key triggers row by row
                cur.execute("SET session_replication_role = replica")
                self.conn.commit()
            except psycopg.Error:
                self.conn.rollback()

    def write(self, columns: Columns, rows: list[tuple[Any, ...]]) -> None:
        names = ", ".join(f'"{n}"' for n in columns.names)
        with (
            self.conn.cursor() as cur,
            cur.copy(f'COPY "{columns.table}" ({names}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row(columns.row(row))

    def secondary(self, tables: Sequence[str]) -> list[tuple[str, str]]:
        with self.conn.cursor() as cur:
            cur.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                "WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace "
                "AND NOT x.indisprimary AND NOT x.indisunique "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)",
                (list(tables),),
            )
            return [(f'DROP INDEX "{name}"', sql) for name, sql in cur.fetchall()]

    def execute(self, sql: str) -> None:
        with self.conn.cursor() as cur:
            cur.execute(sql)

    def commit(self) -> None:
        self.conn.commit()

    def finish(self, tables: Sequence[str]) -> None:
        from psycopg.errors import InsufficientPrivilege  # noqa: PLC0415

        with self.conn.cursor() as cur:
            for table in tables:
                cur.execute(
                    "SELECT pg_get_serial_sequence(table_name, 'id') FROM "
                    "information_schema.columns WHERE table_schema = 'public' "
                    "AND table_name = %s AND column_name = 'id'",
                    (table,),
                )
                row = cur.fetchone()
                if row and row[0]:
                    cur.execute(
                        f'SELECT setval(%s, GREATEST((SELECT max(id) FROM "{table}"), 1))',  # noqa: S608
                        (row[0],),
                    )
        self.conn.commit()
        self.conn.autocommit = True
        with self.conn.cursor() as cur:
            for table in tables:
                cur.execute(f'ALTER TABLE "{table}" RESET (autovacuum_enabled)')
                cur.execute(f'VACUUM (ANALYZE) "{table}"')
            # The checkpointer would otherwise write out what the load and VACUUM left
            # dirty over the next minutes (checkpoint_completion_target), while the
            # scenarios run: at 1M cases, gigabytes. Measure a desk of this size at rest,
            # not the bulk load's wake. A role without pg_checkpoint measures without it.
            with contextlib.suppress(InsufficientPrivilege):
                cur.execute("CHECKPOINT")
        self.conn.autocommit = False

    def close(self) -> None:
        self.conn.close()


class SQLiteSink(Sink):
    dialect = "sqlite"

    def __init__(self, url: str) -> None:
        import sqlite3  # noqa: PLC0415

        self.conn = sqlite3.connect(make_url(url).database or "", isolation_level=None)
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "foreign_keys=OFF",
            "cache_size=-262144",
            "temp_store=MEMORY",
            "locking_mode=EXCLUSIVE",
        ):
            self.conn.execute(f"PRAGMA {pragma}")
        self.conn.execute("BEGIN")

    def write(self, columns: Columns, rows: list[tuple[Any, ...]]) -> None:
        names = ", ".join(f'"{n}"' for n in columns.names)
        marks = ", ".join("?" for _ in columns.names)
        self.conn.executemany(
            f'INSERT INTO "{columns.table}" ({names}) VALUES ({marks})',  # noqa: S608
            [columns.row(r) for r in rows],
        )

    def secondary(self, tables: Sequence[str]) -> list[tuple[str, str]]:
        marks = ", ".join("?" for _ in tables)
        found = self.conn.execute(
            f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "  # noqa: S608
            f"AND tbl_name IN ({marks}) AND sql IS NOT NULL",
            list(tables),
        ).fetchall()
        return [(f'DROP {kind.upper()} "{name}"', sql) for kind, name, sql in found]

    def execute(self, sql: str) -> None:
        self.conn.execute(sql)

    def commit(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.execute("BEGIN")

    def finish(self, tables: Sequence[str]) -> None:
        if self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'complaint_fts'").fetchone():
            self.conn.execute("INSERT INTO complaint_fts(complaint_fts) VALUES ('rebuild')")
        self.conn.execute("COMMIT")
        self.conn.execute("ANALYZE")
        self.conn.execute("PRAGMA locking_mode=NORMAL")
        self.conn.execute("PRAGMA journal_mode=WAL")

    def close(self) -> None:
        self.conn.close()


# --- staff and configuration --------------------------------------------------------


def _prepare(
    engine: sa.Engine, size: int
) -> tuple[list[str], dict[str, list[int]], dict[str, int]]:
    """The desk's teams (its starting configuration), agents in each and the SLA
    policies; returns (team keys, agent ids per team, policy id per key)."""
    from sqlalchemy.orm import Session  # noqa: PLC0415

    from complaintdesk.sla import defaults  # noqa: PLC0415

    with Session(engine) as session, session.begin():
        defaults.install(session)
    meta = Base.metadata.tables
    users, members = meta["users"], meta.get("team_members")
    teams_t, policies_t = meta["teams"], meta.get("sla_policies")
    agents: dict[str, list[int]] = {}
    with engine.begin() as conn:
        teams = {key: tid for tid, key in conn.execute(sa.select(teams_t.c.id, teams_t.c.key))}
        for key, team_id in sorted(teams.items()):
            ids = []
            for n in range(1, agents_per_team(size) + 1):
                username = f"agent.{key}.{n}"
                user_id = conn.scalar(sa.select(users.c.id).where(users.c.username == username))
                if user_id is None:
                    user_id = conn.execute(
                        sa.insert(users)
                        .values(
                            username=username,
                            # Not an argon2 hash: these accounts cannot sign in.
                            password_hash="!benchmark-agent",  # noqa: S106 - not a password
                            role="agent",
                            display_name=f"{key.replace('_', ' ').title()} {n}",
                            email=None,
                            language="ru" if n % 2 else "en",
                            active=True,
                            created_at=utcnow(),
                        )
                        .returning(users.c.id)
                    ).scalar_one()
                    if members is not None:
                        conn.execute(
                            sa.insert(members).values(
                                team_id=team_id,
                                user_id=user_id,
                                available=True,
                                capacity=None,
                                created_at=utcnow(),
                            )
                        )
                ids.append(int(user_id))
            agents[key] = ids
        policies: dict[str, int] = {}
        if policies_t is not None:
            policies = {k: i for i, k in conn.execute(sa.select(policies_t.c.id, policies_t.c.key))}
    return sorted(teams), agents, policies


# --- the load ---------------------------------------------------------------------------


def _sink(url: str) -> Sink:
    return SQLiteSink(url) if url.startswith("sqlite") else PostgresSink(url)


def load(
    url: str, size: int, *, seed: int = DEFAULT_SEED, progress: Callable[[str], None] | None = None
) -> Loaded:
    """Migrate the database at ``url`` and add ``size`` cases to it."""
    say = progress or (lambda _m: None)
    started = time.perf_counter()
    upgrade(url)
    load_all()
    engine = make_engine(url)
    if url.startswith("sqlite"):
        _check_sqlite_format()
    try:
        teams, agents, policies = _prepare(engine, size)
        inspector = sa.inspect(engine)
        present = [t for t in TABLES if inspector.has_table(t)]
        reflected = {t: inspector.get_columns(t) for t in present}
        with engine.connect() as conn:
            first_id = (conn.scalar(sa.text("SELECT max(id) FROM complaints")) or 0) + 1
            empty = first_id == 1
    finally:
        engine.dispose()
    result = Loaded(size=size, first_id=first_id, last_id=first_id + size - 1, teams=teams)
    result.seconds["prepare"] = time.perf_counter() - started
    sink = _sink(url)
    convert = _convert_for(sink.dialect)
    meta = Base.metadata.tables
    columns = {t: Columns(meta[t], reflected[t], timeline.COLUMNS[t], convert) for t in present}
    result.rows = dict.fromkeys(present, 0)
    try:
        dropped: list[tuple[str, str]] = []
        if empty:  # rebuilt once at the end: far faster than keeping them row by row
            dropped = sink.secondary(present)
            for drop, _ in dropped:
                sink.execute(drop)
            if sink.dialect == "postgresql":  # VACUUM ANALYZE runs once at the end
                for table in present:
                    sink.execute(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)')
            sink.commit()
        mark = time.perf_counter()
        options = {
            "seed": seed,
            "now": utcnow(),
            "teams": teams,
            "agents": agents,
            "policies": policies,
            "access_key_hash": hash_access_key(BENCH_ACCESS_KEY),
            "customers": (first_id + size) // 3,
        }
        for batch in _batches(options, sink.dialect, first_id, size):
            for table in present:
                rows = batch[table]
                if rows:
                    sink.write(columns[table], rows)
                    result.rows[table] += len(rows)
            sink.commit()
            done = result.rows["complaints"]
            if done % (BATCH * 20) == 0 or done == size:
                rate = done / (time.perf_counter() - mark)
                say(f"  {done:,} cases loaded ({rate:,.0f}/s)")
        result.seconds["rows"] = time.perf_counter() - mark
        mark = time.perf_counter()
        for _, create in dropped:
            sink.execute(create)
        sink.commit()
        result.seconds["indexes"] = time.perf_counter() - mark
        mark = time.perf_counter()
        sink.finish(present)
        result.seconds["analyze"] = time.perf_counter() - mark
    finally:
        sink.close()
    result.seconds["total"] = time.perf_counter() - started
    for sample in (first_id, result.last_id):
        assert REFERENCE_PATTERN.match(reference(sample))
    return result


_generator: timeline.Generator | None = None


def _start_worker(options: dict[str, Any], dialect: str) -> None:
    global _generator  # noqa: PLW0603 - one generator per worker process
    _generator = timeline.Generator(time=_convert_for(dialect), **options)


def _generate(ids: range) -> dict[str, list[tuple[Any, ...]]]:
    assert _generator is not None
    return _generator.batch(ids, reference)


def _batches(
    options: dict[str, Any], dialect: str, first_id: int, size: int
) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    """The rows, batch after batch, made by a pool of processes while this one writes."""
    ranges = [
        range(start, min(start + BATCH, first_id + size))
        for start in range(first_id, first_id + size, BATCH)
    ]
    workers = max(1, min(GENERATORS, len(ranges)))
    if workers == 1:
        _start_worker(options, dialect)
        yield from map(_generate, ranges)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, _start_worker, (options, dialect)) as pool:
        # A few batches ahead, no more: the rows wait in memory until they are written.
        pending: deque[Any] = deque()
        for ids in ranges:
            pending.append(pool.apply_async(_generate, (ids,)))
            if len(pending) > 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def main(argv: list[str] | None = None) -> int:
    """``python -m bench load --size N``: fill the configured desk."""
    import argparse  # noqa: PLC0415

    from complaintdesk.config import Settings  # noqa: PLC0415

    parser = argparse.ArgumentParser(
        prog="python -m bench load",
        description="Add N synthetic cases to the desk at COMPLAINTDESK_DATABASE_URL "
        f"(every case opens with the access key {BENCH_ACCESS_KEY}).",
    )
    parser.add_argument("--size", type=int, required=True, help="cases to add")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.resolved_database_url
    print(f"loading {args.size:,} cases into {make_url(url).render_as_string()}")
    loaded = load(url, args.size, seed=args.seed, progress=print)
    print(json.dumps(loaded.as_dict(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
