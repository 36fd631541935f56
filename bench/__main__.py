"""One command for the whole benchmark suite.

    python -m bench --size 100000 --db postgresql     # load, serve, measure, report
    python -m bench --size 500 --db sqlite --quick     # the quick mode CI runs
    python -m bench load --size 10000                  # only fill the configured desk

See bench/README.md for what each scenario measures and how to read the report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

# Measure the code of this checkout, wherever the environment's installed package points.
_SRC = Path(__file__).resolve().parent.parent / "src"
if _SRC.is_dir() and str(_SRC) not in sys.path:
    sys.path.insert(0, str(_SRC))

from bench import load, report, scenarios  # noqa: E402
from bench import server as serving  # noqa: E402

SCENARIOS = ("floor", "queue", "case", "track", "search", "intake", "settlement", "ceiling")
HTTP = ("floor", "queue", "case", "track", "search", "intake")
DEFAULT_POSTGRES = "postgresql+psycopg:///postgres?host=/var/run/postgresql"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--size", type=int, default=10_000, help="cases to load")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a few requests per scenario: checks the suite works, not speed",
    )
    parser.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help=f"comma-separated, from {', '.join(SCENARIOS)}",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("bench/results"),
        help="where the JSON and Markdown reports go",
    )
    parser.add_argument("--workers", type=int, default=2, help="app processes to serve with")
    parser.add_argument("--seed", type=int, default=load.DEFAULT_SEED)
    parser.add_argument(
        "--postgres-url",
        default=None,
        help="a PostgreSQL URL with the right to create databases "
        "(default: COMPLAINTDESK_BENCH_POSTGRES_URL, or the local server)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse a PostgreSQL benchmark database of the same size and seed",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the benchmark database afterwards (for --reuse)"
    )
    args = parser.parse_args(argv)
    unknown = set(args.scenarios.split(",")) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    return args


class BenchDatabase:
    """The database a run measures: a fresh SQLite file, or a PostgreSQL database named
    ``complaintdesk_bench_<size>``, dropped at the end unless kept."""

    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.admin_url = (
            args.postgres_url
            or _env("COMPLAINTDESK_BENCH_POSTGRES_URL")
            or _env("COMPLAINTDESK_TEST_POSTGRES_URL")
            or DEFAULT_POSTGRES
        )
        if args.db == "sqlite":
            self.url = f"sqlite:///{workdir / 'bench.sqlite3'}"
            self.name = None
        else:
            self.name = f"complaintdesk_bench_{args.size}"
            self.url = (
                make_url(self.admin_url)
                .set(database=self.name)
                .render_as_string(hide_password=False)
            )
        # Reused only for the same size and seed; the server migrates it to the newest
        # schema when it starts.
        self.marker = json.dumps({"size": args.size, "seed": args.seed})

    def _admin(self) -> sa.Engine:
        return sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")

    def prepare(self) -> dict[str, Any]:
        """Load the cases (or find them loaded); returns what the load did."""
        if self.name:
            engine = self._admin()
            try:
                with engine.connect() as conn:
                    comment = conn.scalar(
                        sa.text(
                            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                            "WHERE datname = :n"
                        ),
                        {"n": self.name},
                    )
                    if self.args.reuse and comment and comment.startswith(self.marker):
                        say(f"reusing {self.name}")
                        return dict(json.loads(comment[len(self.marker) :]), reused=True)
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
                    conn.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
            finally:
                engine.dispose()
        say(f"loading {self.args.size:,} cases ({self.args.db})")
        loaded = load.load(self.url, self.args.size, seed=self.args.seed, progress=say).as_dict()
        if self.name:
            engine = self._admin()
            try:
                with engine.connect() as conn:
                    text = (self.marker + json.dumps(loaded)).replace("'", "''")
                    conn.execute(sa.text(f"COMMENT ON DATABASE \"{self.name}\" IS '{text}'"))
            finally:
                engine.dispose()
        return loaded

    def server_version(self) -> str | None:
        if not self.name:
            return None
        engine = self._admin()
        try:
            with engine.connect() as conn:
                return str(conn.scalar(sa.text("SHOW server_version")))
        finally:
            engine.dispose()

    def drop(self) -> None:
        if self.name and not self.args.keep:
            engine = self._admin()
            try:
                with engine.connect() as conn:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            finally:
                engine.dispose()


def _env(name: str) -> str | None:
    import os  # noqa: PLC0415

    return os.environ.get(name) or None


def _timed(name: str, run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    say(f"scenario {name}")
    start = time.perf_counter()
    result = run()
    say(f"  done in {time.perf_counter() - start:.1f} s")
    return result


def run(args: argparse.Namespace) -> dict[str, Any]:
    chosen = args.scenarios.split(",")
    limits = scenarios.Limits.quick() if args.quick else scenarios.Limits()
    started = dt.datetime.now(dt.UTC)
    workdir = Path(tempfile.mkdtemp(prefix="complaintdesk-bench-"))
    database = BenchDatabase(args, workdir)
    results: dict[str, Any] = {}
    machine = report.machine()
    try:
        loaded = database.prepare()
        http = [s for s in chosen if s in HTTP]
        if http:
            server = serving.Server(database.url, args.workers, workdir)
            password = serving.admin_password(database.url)
            say(f"serving with {args.workers} app processes on {server.base}")
            server.start()
            try:
                ctx = scenarios.Context(
                    server=server,
                    url=database.url,
                    dialect=args.db,
                    token=serving.login(server, password),
                    first_id=loaded["first_id"],
                    last_id=loaded["last_id"],
                    limits=limits,
                    seed=args.seed,
                )
                steps: dict[str, Callable[[scenarios.Context], dict[str, Any]]] = {
                    "floor": scenarios.floor,
                    "queue": scenarios.queue,
                    "case": scenarios.case_view,
                    "track": scenarios.track,
                    "search": scenarios.search,
                    "intake": scenarios.intake,
                }
                for name in http:  # reads first: intake adds cases
                    results[name] = _timed(name, functools.partial(steps[name], ctx))
                results["memory"] = server.memory()
            finally:
                server.stop()
        if "settlement" in chosen:
            results["settlement"] = _timed("settlement", lambda: scenarios.settlement_speed(limits))
        if "ceiling" in chosen and args.db == "postgresql":
            results["ceiling"] = _timed(
                "ceiling",
                lambda: scenarios.pgbench_ceiling(database.admin_url, limits.pgbench_seconds),
            )
        postgres = database.server_version()
    finally:
        database.drop()
        shutil.rmtree(workdir, ignore_errors=True)
    command = (
        f"python -m bench --size {args.size} --db {args.db}"
        + (" --quick" if args.quick else "")
        + (f" --scenarios {args.scenarios}" if chosen != list(SCENARIOS) else "")
        + (f" --workers {args.workers}" if args.workers != 2 else "")
    )
    return {
        "meta": {
            "size": args.size,
            "db": args.db,
            "quick": args.quick,
            "workers": args.workers,
            "read_concurrency": limits.read_concurrency,
            "read_connections": limits.read_connections,
            "intake_concurrency": limits.intake_concurrency,
            "seed": args.seed,
            "started": started.isoformat(timespec="seconds"),
            "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "command": command,
            "arguments": shlex.join(sys.argv[1:]),
        },
        "machine": machine,
        "versions": report.versions(postgres),
        "load": loaded,
        "scenarios": results,
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["load"]:
        return load.main(argv[1:])
    args = parse(argv)
    result = run(args)
    stem = f"{args.db}-{args.size}" + ("-quick" if args.quick else "")
    baseline = None
    base_path = args.out / f"{args.db}-10000.json"
    if args.size > 10_000 and not args.quick and base_path.exists():
        baseline = json.loads(base_path.read_text(encoding="utf-8"))
    result["targets"] = report.targets(result, baseline)
    json_path, md_path = report.write(result, args.out, stem)
    say(f"report: {json_path} and {md_path}")
    for t in result["targets"]:
        say(f"  {'ok  ' if t['met'] else 'MISS'} {t['target']}: {t['measured']} ({t['goal']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
