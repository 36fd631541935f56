"""The worker: sends what the outbox holds and runs the periodic jobs.

Each message goes through two short transactions (claim, then record the result) around
the send, so a worker can be killed at any instant: a claimed message whose worker died is
taken again when its lease runs out, and nothing committed is ever lost (see
``notifications/outbox.py``). Run it as ``complaintdesk worker`` (any number of them on
PostgreSQL), or let ``complaintdesk serve`` run one beside the web server.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence

from sqlalchemy.exc import SQLAlchemyError

from complaintdesk.checks.tasks import CheckRunner
from complaintdesk.config import Settings
from complaintdesk.db import Database, utcnow
from complaintdesk.notifications import derive
from complaintdesk.notifications.errors import DeliveryFailed
from complaintdesk.notifications.mailers import Mailer, build_mailer, compose
from complaintdesk.notifications.models import AttemptOutcome, Channel
from complaintdesk.notifications.outbox import Claimed, Result, RetryPolicy, claim_due, complete_all
from complaintdesk.notifications.webhooks import WebhookSender, delivery_id, wire_body
from complaintdesk.worker import jobs as periodic

log = logging.getLogger("complaintdesk.worker")

PARKED = "no COMPLAINTDESK_SMTP_URL: written to the log and kept in the outbox"


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


class Worker:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        mailer: Mailer | None = None,
        webhooks: WebhookSender | None = None,
        jobs: Sequence[periodic.PeriodicJob] | None = None,
        name: str | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.db = db
        self.mailer = mailer or build_mailer(settings)
        self.webhooks = webhooks or WebhookSender(
            timeout=settings.webhook_timeout_seconds,
            private_addresses=settings.webhook_private_addresses,
        )
        self.jobs = list(periodic.registered_jobs(settings) if jobs is None else jobs)
        self.name = name or worker_name()
        self.clock = clock
        self.policy = RetryPolicy.from_settings(settings)
        # The automatic checks of complaints: platform calls, outside any transaction.
        self.checks = CheckRunner(settings, db)

    # --- the outbox ----------------------------------------------------------------

    def send_due(
        self, now: dt.datetime | None = None, *, stop: threading.Event | None = None
    ) -> Counter[str]:
        """Send every message due (at ``now``, or as the clock runs); a tally by outcome."""
        tally: Counter[str] = Counter()
        try:
            while stop is None or not stop.is_set():
                with self.db.transaction() as session:
                    batch = claim_due(
                        session,
                        worker=self.name,
                        now=now or self.clock(),
                        policy=self.policy,
                        email_enabled=self.mailer.delivers,
                        limit=self.policy.batch,
                    )
                if not batch:
                    break
                results = [(claimed, self._attempt(claimed)) for claimed in batch]
                with self.db.transaction() as session:
                    statuses = complete_all(
                        session, results, now=now or self.clock(), policy=self.policy
                    )
                for (claimed, result), status in zip(results, statuses, strict=True):
                    tally[status.value if status else "taken_over"] += 1
                    self._log(claimed, result, status.value if status else "taken over")
        finally:
            self.mailer.close()
        return tally

    def _attempt(self, claimed: Claimed) -> Result:
        started = time.monotonic()
        outcome, code, detail, permanent = AttemptOutcome.sent, None, None, False
        try:
            if claimed.channel is Channel.email:
                message = compose(claimed.payload)
                self.mailer.send(message)
                if not self.mailer.delivers:
                    outcome, detail = AttemptOutcome.parked, PARKED
            else:
                assert claimed.url is not None  # noqa: S101 - claim_due sets both
                assert claimed.secret is not None  # noqa: S101
                code = self.webhooks.deliver(
                    claimed.url,
                    secret=claimed.secret,
                    body=wire_body(
                        claimed.payload, event_id=claimed.event_id, outbox_id=claimed.id
                    ),
                    event=claimed.kind,
                    delivery=delivery_id(claimed.id),
                )
        except DeliveryFailed as exc:
            outcome, code, detail, permanent = (
                AttemptOutcome.failed,
                exc.status_code,
                exc.detail,
                exc.permanent,
            )
        except Exception as exc:  # one broken message must not stop the worker
            log.exception("unexpected error sending outbox message %s", claimed.id)
            outcome, detail = AttemptOutcome.failed, f"internal error: {type(exc).__name__}: {exc}"
        return Result(
            outcome=outcome,
            detail=detail,
            status_code=code,
            permanent=permanent,
            duration_ms=int((time.monotonic() - started) * 1000),
        )

    def _log(self, claimed: Claimed, result: Result, status: str) -> None:
        level = logging.WARNING if result.outcome is AttemptOutcome.failed else logging.INFO
        log.log(
            level,
            "%s %s #%s to %s (attempt %s): %s%s",
            claimed.channel.value,
            claimed.kind,
            claimed.id,
            claimed.url or claimed.recipient,
            claimed.attempt,
            status,
            f" - {result.detail}" if result.detail and status != "parked" else "",
        )

    # --- the loop ------------------------------------------------------------------

    def run_once(self, now: dt.datetime | None = None) -> Counter[str]:
        """Run the due jobs and send everything due, then return (``worker --once``)."""
        tally: Counter[str] = Counter()
        for name in periodic.run_due(self.db, self.jobs, now=now, clock=self.clock):
            tally[f"job:{name}"] += 1
        tally.update(self.send_due(now))
        if checked := self.checks.run_due(now):
            tally["checks"] = checked
        return tally

    def run_forever(self, stop: threading.Event) -> None:
        """Until ``stop`` is set: jobs, then the outbox, then a nap. A database that is
        away for a while is waited for, not fatal."""
        log.info("worker %s started", self.name)
        while not stop.is_set():
            try:
                periodic.run_due(self.db, self.jobs, clock=self.clock)
                self.send_due(stop=stop)
                self.checks.run_due()
            except SQLAlchemyError as exc:
                log.warning("worker %s: database unavailable (%s); retrying", self.name, exc)
            except Exception:  # keep working; the error is logged in full
                log.exception("worker %s: unexpected error; carrying on", self.name)
            stop.wait(self.settings.worker_poll_seconds)
        self.webhooks.close()
        log.info("worker %s stopped", self.name)


def build_worker(
    settings: Settings, *, jobs: Sequence[periodic.PeriodicJob] | None = None
) -> tuple[Worker, Database]:
    """A worker on its own connection pool, with the timeline observers installed (the
    periodic jobs change cases too, and their events must queue their messages)."""
    db = Database(settings.resolved_database_url, pool_size=2)
    derive.install(db, settings)
    return Worker(settings, db, jobs=jobs), db


def start_in_thread(settings: Settings) -> tuple[threading.Thread, threading.Event]:
    """The worker ``complaintdesk serve`` runs beside the web server (one per serve
    command, however many web processes it starts)."""
    stop = threading.Event()
    worker, db = build_worker(settings)

    def run() -> None:
        try:
            worker.run_forever(stop)
        finally:
            db.dispose()

    thread = threading.Thread(target=run, name="complaintdesk-worker", daemon=True)
    thread.start()
    return thread, stop
