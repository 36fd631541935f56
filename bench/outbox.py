"""How fast the outbox drains and incoming mail is taken, on SQLite or PostgreSQL.

    python -m bench.outbox --db sqlite --cases 500
    python -m bench.outbox --db postgresql --cases 500 --workers 4

Files ``--cases`` complaints (each queues an acknowledgement and, with a subscription, a
webhook delivery), measures what the timeline observer adds to filing, then drains the
outbox with ``--workers`` worker threads into an SMTP server and a webhook receiver on
loopback, and finally ingests a batch of incoming mail. Prints one line per measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from aiosmtpd.controller import Controller
from sqlalchemy.engine import make_url

from complaintdesk.complaints import services
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.mail import services as mail
from complaintdesk.migrations import upgrade
from complaintdesk.notifications import derive
from complaintdesk.notifications import services as notifications
from complaintdesk.staff.models import Role
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.storage.backends import LocalStorage
from complaintdesk.worker.runner import Worker

POSTGRES = "postgresql+psycopg:///postgres?host=/var/run/postgresql"


class _Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.count += 1
        await asyncio.sleep(0)
        return "250 OK"


def _receiver() -> tuple[ThreadingHTTPServer, list[int]]:
    hits: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            hits.append(1)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, hits


def _database(kind: str, directory: Path) -> tuple[str, Any]:
    if kind == "sqlite":
        return f"sqlite:///{directory / 'bench.sqlite3'}", None
    name = f"outbox_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def _file(db: Database, n: int, tag: str) -> list[float]:
    timings = []
    for i in range(n):
        started = time.perf_counter()
        with db.transaction() as session:
            services.file_complaint(
                session,
                subject=f"Bet settled as lost {tag} {i}",
                description="Coupon 778812 won 2-1 but the bet shows lost.",
                customer=services.CustomerDetails(email=f"bettor{i}@example.com", name="Ivan"),
                policy=DeadlinePolicy(),
            )
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.outbox")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--mail", type=int, default=200, help="incoming messages to ingest")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        url, drop = _database(args.db, directory)
        try:
            upgrade(url)
            smtp_handler = _Sink()
            port = 2600 + uuid.uuid4().int % 2000
            controller = Controller(smtp_handler, hostname="127.0.0.1", port=port)
            controller.start()
            receiver, hits = _receiver()
            settings = Settings(
                _env_file=None,
                database_url=url,
                data_dir=directory / "data",
                smtp_url=f"smtp://127.0.0.1:{port}",
                webhook_private_addresses=True,  # the receiver listens on 127.0.0.1
            )
            plain = Database(url)
            observed = Database(url)
            derive.install(observed, settings)
            with observed.transaction() as session:
                from complaintdesk.staff import services as staff  # noqa: PLC0415

                user = staff.create_user(
                    session, username="ops", password="x" * 12, role=Role.admin
                )
                actor = StaffActor(id=user.id, username=user.username, role=user.role)
                notifications.create_subscription(
                    session,
                    actor,
                    url=f"http://127.0.0.1:{receiver.server_address[1]}/h",
                    events=["complaint.created"],
                    private_addresses=True,
                )
            without = _file(plain, args.cases, "plain")
            with_observer = _file(observed, args.cases, "observed")
            print(
                f"file a complaint ({args.db}): median {statistics.median(without) * 1000:.1f} ms "
                f"without the outbox observer, {statistics.median(with_observer) * 1000:.1f} ms "
                "with it (one mail + one webhook queued)"
            )

            queued = 2 * args.cases
            started = time.perf_counter()
            threads = [
                threading.Thread(
                    target=lambda: Worker(settings, observed, jobs=[]).send_due(),
                )
                for _ in range(args.workers)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            assert smtp_handler.count == args.cases, smtp_handler.count
            assert len(hits) == args.cases, len(hits)
            print(
                f"drain {queued} messages ({args.cases} SMTP + {args.cases} webhooks, "
                f"{args.workers} worker(s), {args.db}): {elapsed:.2f} s, "
                f"{queued / elapsed:.0f} messages/s"
            )

            storage = LocalStorage(settings.attachments_dir)
            raws = [
                (
                    f"From: Bettor {i} <bettor{i}@example.org>\r\nSubject: Withdrawal refused\r\n"
                    f"Message-ID: <in-{i}@example.org>\r\nContent-Type: text/plain; charset=koi8-r"
                    "\r\n\r\n"
                ).encode()
                + "Вывод 15 000 рублей отклонён. Прошу разобраться.\r\n".encode("koi8-r")
                for i in range(args.mail)
            ]
            started = time.perf_counter()
            for raw in raws:
                with observed.transaction() as session:
                    mail.ingest(session, storage, settings, raw, policy=DeadlinePolicy())
            elapsed = time.perf_counter() - started
            print(
                f"ingest {args.mail} new-complaint e-mails ({args.db}): {elapsed:.2f} s, "
                f"{args.mail / elapsed:.0f} messages/s"
            )
            controller.stop()
            receiver.shutdown()
            plain.dispose()
            observed.dispose()
        finally:
            if drop is not None:
                drop()


if __name__ == "__main__":
    main()
