"""The scenarios: the desk served as in production, measured from a separate process.

The server is ``complaintdesk serve --workers N`` on a free loopback port, against the
benchmark database; each HTTP scenario writes a spec and runs ``python -m bench.loadgen``
on it (a process of its own, bounded in requests and time). The settlement verifier is
measured by ``bench.settlement``, the PostgreSQL ceiling by ``pgbench``.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench import settlement, vocabulary
from bench.load import BENCH_ACCESS_KEY, reference
from bench.server import Server, child_env, loadgen
from bench.timeline import OPEN
from complaintdesk.db import make_engine

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Limits:
    """How much of each scenario to run: the full suite, or the quick mode of CI."""

    reads: int = 3000
    read_seconds: float = 20.0
    read_concurrency: int = 2
    # Keep-alive connections the reads go over, in turn (see bench.loadgen).
    read_connections: int = 16
    intake: int = 20_000
    intake_seconds: float = 20.0
    intake_concurrency: int = 16
    warmup: int = 200
    settlement: tuple[str, ...] = ("--bets", "4000", "--rounds", "5", "--goliaths", "300")
    pgbench_seconds: int = 10
    max_walk_pages: int = 2000
    page_size: int = 25

    @classmethod
    def quick(cls) -> Limits:
        return cls(
            reads=30,
            read_seconds=5,
            intake=60,
            intake_seconds=5,
            warmup=5,
            settlement=("--bets", "200", "--rounds", "1", "--goliaths", "10"),
            pgbench_seconds=2,
            max_walk_pages=20,
            page_size=5,  # so that a small desk still has a deep page
        )


@dataclass
class Context:
    server: Server
    url: str
    dialect: str
    token: str
    first_id: int
    last_id: int
    limits: Limits
    seed: int

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def reads(self, requests: list[dict[str, Any]]) -> dict[str, Any]:
        lim = self.limits
        return loadgen(
            self.server,
            requests,
            count=lim.reads,
            seconds=lim.read_seconds,
            concurrency=lim.read_concurrency,
            warmup=min(lim.warmup, 50),
            connections=lim.read_connections,
        )


# --- the scenarios --------------------------------------------------------------------


def floor(ctx: Context) -> dict[str, Any]:
    """``GET /healthz`` (one ``SELECT 1``): what any request costs on this machine right now,
    the floor under every other figure. Measured twice: at the reads' concurrency, and at
    intake's, where it is the most requests of any kind the served stack (HTTP, framework,
    one pooled round trip to the database) answers per second on this machine."""
    result = ctx.reads([{"path": "/healthz"}])
    lim = ctx.limits
    result["at_intake_concurrency"] = loadgen(
        ctx.server,
        [{"path": "/healthz"}],
        count=lim.reads,
        seconds=lim.read_seconds,
        concurrency=lim.intake_concurrency,
        warmup=min(lim.warmup, 50),
    )
    return result


def open_by_team(url: str) -> list[tuple[str, int]]:
    """Each team with its open cases, the fullest first."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT team, count(*) FROM complaints WHERE status IN "
                    "('received', 'in_progress', 'awaiting_customer', 'escalated') "
                    "AND team IS NOT NULL GROUP BY team ORDER BY 2 DESC, 1"
                )
            ).all()
    finally:
        engine.dispose()
    return [(str(t), int(n)) for t, n in rows]


def queue_path(team: str, cursor: str | None = None, limit: int = 25) -> str:
    params: list[tuple[str, str]] = [("team", team)] + [("status", s) for s in OPEN]
    params += [("sort", "due"), ("limit", str(limit))]
    if cursor:
        params.append(("cursor", cursor))
    return "/api/v1/complaints?" + urlencode(params)


def queue(ctx: Context) -> dict[str, Any]:
    """A team's open cases by deadline, 25 a page: the first page, and a deep page reached
    by following the cursors (the deep page's own request is what is timed)."""
    teams = open_by_team(ctx.url)
    team, open_cases = teams[0]
    size = ctx.limits.page_size
    pages = max(1, -(-open_cases // size))
    target = max(2, min(int(pages * 0.9), ctx.limits.max_walk_pages))
    cursors: list[tuple[int, str]] = []  # (the page a cursor opens, the cursor)
    walk: list[float] = []
    with httpx.Client(base_url=ctx.server.base, headers=ctx.auth, timeout=60) as client:
        cursor = None
        for page in range(1, target + 1):
            start = time.perf_counter()
            answer = client.get(queue_path(team, cursor, size))
            walk.append((time.perf_counter() - start) * 1000)
            answer.raise_for_status()
            cursor = answer.json()["next_cursor"]
            if cursor is None:
                break
            if page >= target - 5:
                cursors.append((page + 1, cursor))
    # The first and the deep pages are asked for in turn within one run, so that whatever
    # else the machine does at that moment weighs on both alike.
    first_page = {"path": queue_path(team, limit=size), "headers": ctx.auth, "tag": "first"}
    requests: list[dict[str, Any]] = []
    for _, c in cursors or [(0, "")]:
        requests.append(first_page)
        if c:
            requests.append({"path": queue_path(team, c, size), "headers": ctx.auth, "tag": "deep"})
    both = ctx.reads(requests)
    first, deep = _split(both, "first"), (_split(both, "deep") if cursors else None)
    deep_page = cursors[0][0] if cursors else 1
    head, tail = walk[:5], walk[-5:]
    return {
        "team": team,
        "open_cases_in_team": open_cases,
        "open_cases_by_team": dict(teams),
        "pages_walked": len(walk),
        "deep_pages": [p for p, _ in cursors],
        "page_size": size,
        "rows_before_deep_page": (deep_page - 1) * size,
        "first": first,
        "deep": deep,
        "walk_ms": {
            "first_pages_mean": round(sum(head) / len(head), 2),
            "last_pages_mean": round(sum(tail) / len(tail), 2),
        },
    }


def _split(run: dict[str, Any], tag: str) -> dict[str, Any]:
    """One tag's figures of a run that interleaved several kinds of request; the CPU cost
    is the run's, per request of any kind."""
    figures = dict(run.get("by_tag", {}).get(tag) or run)
    keys = ("errors", "error_samples", "statuses", "cpu_ms_per_request", "cpu_bound_per_s")
    for key in (*keys, "concurrency"):
        if key in run:
            figures[key] = run[key]
    return figures


def _sample_refs(ctx: Context, count: int) -> list[str]:
    rng = random.Random(ctx.seed + 1)
    return [reference(rng.randint(ctx.first_id, ctx.last_id)) for _ in range(count)]


def case_view(ctx: Context) -> dict[str, Any]:
    """The whole case with its timeline, as staff open it."""
    refs = _sample_refs(ctx, 1000)
    return ctx.reads([{"path": f"/api/v1/complaints/{r}", "headers": ctx.auth} for r in refs])


def track(ctx: Context) -> dict[str, Any]:
    """The customer's tracking page of a case (reference and access key)."""
    refs = _sample_refs(ctx, 1000)
    return ctx.reads(
        [
            {"path": f"/api/v1/track/{r}", "headers": {"X-Access-Key": BENCH_ACCESS_KEY}}
            for r in refs
        ]
    )


def _matches(ctx: Context, term: str) -> int | None:
    """How many cases the desk's own search condition finds for ``term``."""
    from sqlalchemy.orm import Session  # noqa: PLC0415

    from complaintdesk.complaints import queries  # noqa: PLC0415

    engine = make_engine(ctx.url)
    dialect = engine.dialect.name
    try:
        with Session(engine) as session:
            found = session.scalar(
                sa.select(sa.func.count()).where(queries.search_condition(dialect)),
                {"search": queries.search_terms(dialect, queries.search_words(term))},
            )
            return int(found or 0)
    except sa.exc.DBAPIError:
        return None
    finally:
        engine.dispose()


def search(ctx: Context) -> dict[str, Any]:
    """Full-text search from the queue (``q``), Russian and English, common and rare."""
    requests, terms = [], []
    for lang, kind, term in vocabulary.SEARCH_TERMS:
        tag = f"{lang}/{kind}/{term}"
        terms.append(
            {
                "tag": tag,
                "language": lang,
                "kind": kind,
                "query": term,
                "matching_cases": _matches(ctx, term),
            }
        )
        requests.append(
            {
                "path": f"/api/v1/complaints?q={quote(term)}&limit=25",
                "headers": ctx.auth,
                "tag": tag,
            }
        )
    result = ctx.reads(requests)
    result["terms"] = terms
    return result


def intake_bodies(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    categories = list(vocabulary.CATEGORY_WEIGHTS)
    weights = list(vocabulary.CATEGORY_WEIGHTS.values())
    bodies = []
    for i in range(count):
        lang = "ru" if rng.random() < 0.55 else "en"
        category = rng.choices(categories, weights)[0]
        s = {k: rng.choice(v) for k, v in vocabulary.SLOTS[lang].items()}
        s.update(
            amount=str(rng.choice((20, 50, 100, 250))),
            bet=str(rng.randint(10**7, 10**8 - 1)),
            date="01.11.2026",
            years=str(rng.randint(2, 9)),
            club2=rng.choice(s["club"]),
        )
        text = " ".join(
            [
                rng.choice(vocabulary.OPENERS[lang][category]).format(**s),
                rng.choice(vocabulary.DETAILS[lang]).format(**s),
                rng.choice(vocabulary.CLOSERS[lang]),
            ]
        )
        body: dict[str, Any] = {
            "subject": rng.choice(vocabulary.SUBJECTS[lang][category]).format(**s),
            "description": text[0].upper() + text[1:],
            "customer": {
                "email": f"{rng.choice(vocabulary.MAIL_NAMES)}.{i}@example.com",
                "name": f"{rng.choice(vocabulary.FIRST_NAMES[lang])} "
                f"{rng.choice(vocabulary.LAST_NAMES[lang])}",
                "account_id": f"ACC-{rng.randint(1, 999_999):07d}",
            },
            "language": lang,
            "jurisdiction": rng.choice(["GB", "GB", "MT", "CW", "SE"]),
        }
        if rng.random() < 0.8:
            body["category"] = category
        bodies.append(body)
    return bodies


def intake(ctx: Context) -> dict[str, Any]:
    """``POST /api/v1/complaints`` at concurrency 16: every 201 is a committed case."""
    lim = ctx.limits
    requests = [
        {"method": "POST", "path": "/api/v1/complaints", "body": json.dumps(b, ensure_ascii=False)}
        for b in intake_bodies(min(lim.intake, 2000), ctx.seed)
    ]
    return loadgen(
        ctx.server,
        requests,
        count=lim.intake,
        seconds=lim.intake_seconds,
        concurrency=lim.intake_concurrency,
        warmup=lim.warmup,
        expect=(201,),
    )


def settlement_speed(limits: Limits) -> dict[str, Any]:
    """``bench.settlement`` in a process of its own (it pins itself to one core)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.settlement", *limits.settlement],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=child_env(),
        check=False,
    )
    if done.returncode not in (0, 1):  # 1: measured, but a target missed
        raise RuntimeError(f"bench.settlement failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    result["targets"] = {
        "singles_accas_per_second": settlement.SINGLES_ACCAS_TARGET,
        "goliath_ms_p50": settlement.GOLIATH_TARGET_MS,
    }
    return result


# --- the physical limit ---------------------------------------------------------------


def pgbench_ceiling(admin_url: str, seconds: int) -> dict[str, Any]:
    """PostgreSQL's own rate of durable single-row inserts, one per transaction, at
    concurrency 16 (``pgbench -c 16 -j 2`` with a custom script), on a scratch database."""
    if shutil.which("pgbench") is None:
        return {"skipped": "pgbench is not installed"}
    name = "complaintdesk_bench_pgbench"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    u = make_url(admin_url)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            settings = {
                k: conn.scalar(sa.text(f"SHOW {k}"))
                for k in ("synchronous_commit", "fsync", "wal_sync_method", "shared_buffers")
            }
        scratch = sa.create_engine(u.set(database=name))
        with scratch.begin() as conn:
            conn.execute(
                sa.text(
                    "CREATE TABLE intake (id bigserial PRIMARY KEY, "
                    "body text NOT NULL, at timestamptz NOT NULL DEFAULT now())"
                )
            )
        scratch.dispose()
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
            f.write("INSERT INTO intake (body) VALUES ('one complaint, durable once committed');\n")
        command = ["pgbench", "-n", "-c", "16", "-j", "2", "-T", str(seconds), "-f", f.name]
        host = u.query.get("host") or u.host
        for flag, value in (("-h", host), ("-p", u.port), ("-U", u.username)):
            if value:
                command += [flag, str(value)]
        env = dict(os.environ, PGPASSWORD=u.password) if u.password else None
        done = subprocess.run(
            [*command, name],
            capture_output=True,
            text=True,
            env=env,
            timeout=seconds + 120,
            check=False,
        )
        os.unlink(f.name)
        found = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", done.stdout)
        latency = re.search(r"latency average = ([0-9.]+) ms", done.stdout)
        if done.returncode != 0 or not found:
            return {"error": (done.stderr or done.stdout)[-1000:]}
        return {
            "inserts_per_s": round(float(found.group(1)), 1),
            "latency_avg_ms": float(latency.group(1)) if latency else None,
            "clients": 16,
            "threads": 2,
            "seconds": seconds,
            "script": "INSERT INTO intake (body) VALUES (...): one row per transaction",
            "settings": settings,
        }
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
