"""The CPU the two hot reads cost in one process, without HTTP: the staff case view and a
queue page (the team with the most open cases), each answered by its route's own function
(the desk's services and the answer's JSON; no token check, no HTTP). With ``--intake``,
also the CPU of filing a complaint as ``POST /api/v1/complaints`` does (validation, the
case and its rows, the commit, the answer's JSON); the complaints filed stay in the desk,
and the acknowledgement mail they queue is the background worker's, not counted here.

    python -m bench.inprocess                       # the desk COMPLAINTDESK_DATABASE_URL names
    python -m bench.inprocess --url postgresql+psycopg:///complaintdesk_bench_10000
    python -m bench.inprocess --intake --reads 200  # and file 200 complaints a round

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
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_SRC = Path(__file__).resolve().parent.parent / "src"
if _SRC.is_dir() and str(_SRC) not in sys.path:
    sys.path.insert(0, str(_SRC))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.scenarios import open_by_team  # noqa: E402
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
    parser.add_argument(
        "--intake",
        action="store_true",
        help="also file --reads complaints a round, as POST /api/v1/complaints (they stay)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not args.url:
        parser.error("name the desk's database: --url or COMPLAINTDESK_DATABASE_URL")
    if args.reads < 1 or args.rounds < 1:
        parser.error("--reads and --rounds must be at least 1")
    return args


def measure(args: argparse.Namespace) -> dict[str, Any]:
    # The web app is imported here, not at the top, so that --help answers at once.
    from complaintdesk.config import Settings  # noqa: PLC0415
    from complaintdesk.web.app import build_desk  # noqa: PLC0415

    teams = open_by_team(args.url)
    with tempfile.TemporaryDirectory() as data_dir:
        desk = build_desk(Settings(database_url=args.url, data_dir=Path(data_dir)))
        try:
            return _rounds(args, desk, teams[0][0] if teams else None)
        finally:
            desk.db.dispose()


def _rounds(args: argparse.Namespace, desk: Any, team: str | None) -> dict[str, Any]:
    """Each read, as its route answers it (the route's own function, without HTTP)."""
    from bench.scenarios import intake_bodies  # noqa: PLC0415
    from complaintdesk.complaints import api  # noqa: PLC0415
    from complaintdesk.complaints.models import Status  # noqa: PLC0415
    from complaintdesk.complaints.schemas import ComplaintIn  # noqa: PLC0415
    from complaintdesk.staff.models import User  # noqa: PLC0415
    from complaintdesk.staff.permissions import StaffActor  # noqa: PLC0415

    with desk.db.engine.connect() as conn:
        who = conn.execute(
            sa.select(User.id, User.username, User.role)
            .where(User.active.is_(True))
            .order_by(User.id)
            .limit(1)
        ).first()
        picked = list(  # distinct cases, in random order
            conn.scalars(
                sa.text("SELECT reference FROM complaints ORDER BY random() LIMIT :n"),
                {"n": args.reads},
            )
        )
    if who is None or not picked:
        raise SystemExit("the desk needs cases, and an active staff member to read them")
    actor = StaffActor(id=who.id, username=who.username, role=who.role)
    open_statuses = [Status(s) for s in OPEN]

    def case_view(reference: str) -> bytes:
        return bytes(api.get_case(reference, actor=actor, d=desk).body)

    def queue_page(_reference: str) -> bytes:
        return bytes(
            api.list_cases(
                status=open_statuses,
                category=None,
                kind=None,
                team=team,
                assignee=None,
                language=None,
                sla=None,
                q=None,
                sort="due",
                limit=25,
                cursor=None,
                actor=actor,
                d=desk,
            ).body
        )

    bodies = iter(intake_bodies(args.reads * args.rounds + 30, seed=int(time.time())))

    def intake(_reference: str) -> bytes:
        # The request's JSON is parsed and validated as FastAPI does it for the route.
        body = ComplaintIn.model_validate_json(json.dumps(next(bodies), ensure_ascii=False))
        return bytes(api.file_complaint(body, d=desk).body)

    reads: dict[str, Callable[[str], bytes]] = {"case view": case_view, "queue page": queue_page}
    if args.intake:
        reads["intake"] = intake
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
        for name in ("case view", "queue page", "intake"):
            if name not in figures:
                continue
            f = figures[name]
            print(
                f"  {name}: {f['cpu_ms_median']:.2f} ms CPU a read (median), "
                f"{f['cpu_ms_min']:.2f} (min)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
