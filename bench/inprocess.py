"""The CPU the two hot reads cost in one process, without HTTP: the staff case view and a
queue page, each as its route builds it (the desk's services, the answer written to JSON).

    python -m bench.inprocess                       # the desk COMPLAINTDESK_DATABASE_URL names
    python -m bench.inprocess --url postgresql+psycopg:///complaintdesk_bench_10000

Served figures carry the HTTP stack, the load generator and PostgreSQL on the same cores;
these carry only the code that builds the answer, so a change to it shows here when a
served run cannot tell it from the machine's noise. For a before/after, run this module
from both checkouts in turn, several times: it measures the code of the checkout it is in.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_SRC = Path(__file__).resolve().parent.parent / "src"
if _SRC.is_dir() and str(_SRC) not in sys.path:
    sys.path.insert(0, str(_SRC))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.timeline import OPEN  # noqa: E402


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.inprocess",
        description="CPU per staff case view and per queue page, in one process.",
    )
    parser.add_argument(
        "--url",
        default=os.environ.get("COMPLAINTDESK_DATABASE_URL"),
        help="the desk's database (default: COMPLAINTDESK_DATABASE_URL)",
    )
    parser.add_argument("--reads", type=int, default=300, help="reads per round (default 300)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per read (default 5)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not args.url:
        parser.error("name the desk's database: --url or COMPLAINTDESK_DATABASE_URL")
    if args.reads < 1 or args.rounds < 1:
        parser.error("--reads and --rounds must be at least 1")
    return args


def measure(args: argparse.Namespace) -> dict[str, Any]:
    # Imported here so that --help works without the desk's dependencies loaded.
    from complaintdesk.complaints import queries, representations, services  # noqa: PLC0415
    from complaintdesk.complaints.models import Status  # noqa: PLC0415
    from complaintdesk.complaints.schemas import CasePage  # noqa: PLC0415
    from complaintdesk.db import Database  # noqa: PLC0415
    from complaintdesk.staff.models import User  # noqa: PLC0415
    from complaintdesk.staff.permissions import StaffActor  # noqa: PLC0415
    from complaintdesk.web.app import create_app  # noqa: F401, PLC0415 - every model mapped

    db = Database(args.url)
    try:
        with db.engine.connect() as conn:
            who = conn.execute(
                sa.select(User.id, User.username, User.role)
                .where(User.active.is_(True))
                .order_by(User.id)
                .limit(1)
            ).first()
            team = conn.execute(
                sa.text(
                    "SELECT team FROM complaints WHERE status IN "
                    "('received', 'in_progress', 'awaiting_customer', 'escalated') "
                    "AND team IS NOT NULL GROUP BY team ORDER BY count(*) DESC, team LIMIT 1"
                )
            ).scalar()
            references = list(
                conn.scalars(
                    sa.text("SELECT reference FROM complaints ORDER BY random() LIMIT :n"),
                    {"n": args.reads},
                )
            )
        if who is None or not references:
            raise SystemExit("the desk needs cases, and an active staff member to read them")
        actor = StaffActor(id=who.id, username=who.username, role=who.role)
        picked = references  # distinct cases, in random order
        wanted = queries.CaseFilter(statuses=[Status(s) for s in OPEN], team=team)

        def case_view(reference: str) -> str:
            with db.read() as session:
                case = services.get_case(session, actor, reference)
                return representations.staff_view(session, case).model_dump_json(by_alias=True)

        def queue_page(_reference: str) -> str:
            with db.read() as session:
                page = queries.list_cases(session, actor, wanted, sort="due", limit=25)
                return CasePage(
                    items=[representations.summary(c, u) for c, u in page.items],
                    next_cursor=page.next_cursor,
                ).model_dump_json(by_alias=True)

        reads: dict[str, Callable[[str], str]] = {"case view": case_view, "queue page": queue_page}
        figures: dict[str, Any] = {"team": team, "reads_per_round": args.reads}
        for name, read in reads.items():
            for reference in picked[:30]:  # warm the statement caches and the pool
                read(reference)
            rounds = []
            for _ in range(args.rounds):
                started = time.process_time()
                for reference in picked:
                    read(reference)
                rounds.append((time.process_time() - started) / len(picked) * 1000)
            figures[name] = {
                "cpu_ms_median": round(statistics.median(rounds), 3),
                "cpu_ms_min": round(min(rounds), 3),
                "cpu_ms_rounds": [round(r, 3) for r in rounds],
            }
        return figures
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        figures = measure(args)
    except sa.exc.SQLAlchemyError as error:
        where = make_url(args.url).render_as_string(hide_password=True)
        print(f"cannot read the desk at {where}: {error.__class__.__name__}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"team {figures['team']}, {args.reads} reads a round, {args.rounds} rounds")
        for name in ("case view", "queue page"):
            f = figures[name]
            print(
                f"  {name}: {f['cpu_ms_median']:.2f} ms CPU a read (median), "
                f"{f['cpu_ms_min']:.2f} (min)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
