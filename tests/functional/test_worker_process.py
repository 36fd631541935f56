"""The worker as an operator runs it: `complaintdesk worker` in its own process, killed
with SIGKILL half-way through a backlog and started again; and the worker that
`complaintdesk serve` runs beside the web server (one, however many web processes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from complaintdesk.complaints import services
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.notifications import derive
from complaintdesk.notifications import services as notifications
from complaintdesk.notifications.models import (
    AttemptOutcome,
    Channel,
    DeliveryAttempt,
    OutboxMessage,
    OutboxStatus,
)
from complaintdesk.notifications.webhooks import verify
from complaintdesk.staff import services as staff_services
from complaintdesk.staff.models import Role
from complaintdesk.staff.permissions import StaffActor
from tests.loopback import SMTPSink, WebhookReceiver, free_port, wait_for
from tests.samples import COMPLAINT

CLI = [sys.executable, "-m", "complaintdesk.cli.main"]
CASES = 30


@pytest.fixture
def sink() -> Iterator[SMTPSink]:
    # Slow enough that a kill lands in the middle of the backlog.
    server = SMTPSink(delay=0.03).start()
    yield server
    server.stop()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver(delay=0.02).start()
    yield server
    server.stop()


def environment(settings: Settings, sink: SMTPSink, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "COMPLAINTDESK_DATABASE_URL": settings.resolved_database_url,
        "COMPLAINTDESK_DATA_DIR": str(settings.data_dir),
        "COMPLAINTDESK_SMTP_URL": sink.url,
        "COMPLAINTDESK_WORKER_POLL_SECONDS": "0.1",
        "COMPLAINTDESK_WORKER_LEASE_SECONDS": "2",
        "COMPLAINTDESK_SMTP_TIMEOUT_SECONDS": "1",
        "COMPLAINTDESK_WEBHOOK_TIMEOUT_SECONDS": "1",
        # The test's receiver listens on 127.0.0.1.
        "COMPLAINTDESK_WEBHOOK_PRIVATE_ADDRESSES": "true",
        **extra,
    }


def backlog(db: Database, settings: Settings, url: str) -> str:
    """Cases filed while no worker runs: a mail and a webhook delivery each; the secret."""
    derive.install(db, settings)
    with db.transaction() as session:
        user = staff_services.create_user(
            session, username="ops", password="x" * 12, role=Role.admin
        )
        actor = StaffActor(id=user.id, username=user.username, role=user.role)
        _, secret = notifications.create_subscription(
            session, actor, url=url, events=["complaint.created"], private_addresses=True
        )
    for n in range(CASES):
        with db.transaction() as session:
            services.file_complaint(
                session,
                subject=f"Case {n}",
                description="Bet settled as lost",
                customer=services.CustomerDetails(email=f"bettor{n}@example.com"),
                policy=DeadlinePolicy(),
            )
    return secret


def outbox(db: Database) -> list[tuple[int, str, Channel, str | None, OutboxStatus]]:
    with db.read() as session:
        return [
            (r.id, r.idempotency_key, r.channel, r.message_id, r.status)
            for r in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]


def test_a_worker_killed_mid_way_loses_nothing_and_doubles_nothing(
    db: Database, settings: Settings, sink: SMTPSink, receiver: WebhookReceiver
) -> None:
    secret = backlog(db, settings, receiver.url)
    rows = outbox(db)
    assert len(rows) == 2 * CASES
    env = environment(settings, sink)

    first = subprocess.Popen([*CLI, "worker"], env=env, stderr=subprocess.DEVNULL)
    try:
        wait_for(
            lambda: len(sink.raw) + len(receiver.received) >= 15,
            timeout=120,
            what="some deliveries",
        )
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    delivered_before_restart = len(sink.raw) + len(receiver.received)
    assert delivered_before_restart < 2 * CASES, "the kill came too late to prove anything"

    second = subprocess.Popen([*CLI, "worker"], env=env, stderr=subprocess.PIPE)
    try:
        ids = {message_id for *_, message_id, _ in rows if message_id}
        wait_for(
            lambda: (
                {m["Message-ID"] for m in sink.messages} >= ids
                and {h.headers["X-Complaintdesk-Delivery"] for h in receiver.received}
                >= {f"dlv_{r[0]}" for r in rows if r[2] is Channel.webhook}
            ),
            timeout=120,
            what="every delivery after the restart",
        )
    finally:
        second.send_signal(signal.SIGTERM)
        _, errors = second.communicate(timeout=30)
    assert second.returncode == 0, errors.decode()
    assert b"Traceback" not in errors

    # Every message is sent, as the database records it.
    assert {status for *_, status in outbox(db)} == {OutboxStatus.sent}
    # Each idempotency key reached its receiver; a key could arrive twice only if the
    # worker died after handing it over and before recording that (the one attempt
    # marked interrupted), and then it came with the same id for the receiver to drop.
    mail_ids = Counter(m["Message-ID"] for m in sink.messages)
    hook_ids = Counter(h.headers["X-Complaintdesk-Delivery"] for h in receiver.received)
    arrivals = {
        key: mail_ids[message_id] if channel is Channel.email else hook_ids[f"dlv_{oid}"]
        for oid, key, channel, message_id, _ in rows
    }
    assert all(count >= 1 for count in arrivals.values())
    with db.read() as session:
        interrupted = set(
            session.scalars(
                select(OutboxMessage.idempotency_key)
                .join(DeliveryAttempt, DeliveryAttempt.message_id == OutboxMessage.id)
                .where(DeliveryAttempt.outcome == AttemptOutcome.interrupted)
            )
        )
        unfinished = session.scalars(
            select(DeliveryAttempt).where(DeliveryAttempt.finished_at.is_(None))
        ).all()
    assert unfinished == []
    assert len(interrupted) <= 1  # the worker sends one message at a time
    doubled = {key for key, count in arrivals.items() if count > 1}
    assert doubled <= interrupted
    assert all(count <= 2 for count in arrivals.values())
    # What a receiver keeps after dropping repeats of an id: each key exactly once.
    assert len(set(mail_ids)) + len(set(hook_ids)) == len(rows)
    for hit in receiver.received:
        verify(secret, hit.headers["X-Complaintdesk-Signature"], hit.body)


@pytest.fixture
def served(settings: Settings, sink: SMTPSink, request: pytest.FixtureRequest) -> Iterator[str]:
    port = free_port()
    args: list[str] = getattr(request, "param", [])
    env = environment(settings, sink, COMPLAINTDESK_PUBLIC_RATE_LIMIT="1000/minute")
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_for(up, timeout=120, what="the server")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.parametrize("served", [["--workers", "2"]], indirect=True)
def test_serve_runs_one_worker_beside_its_web_processes(
    served: str, sink: SMTPSink, db: Database
) -> None:
    references = [
        httpx.post(f"{served}/api/v1/complaints", json=COMPLAINT, timeout=10).json()["reference"]
        for _ in range(4)
    ]
    wait_for(lambda: len(sink.raw) == 4, timeout=60, what="the acknowledgements")
    subjects = sorted(str(m["Subject"]) for m in sink.messages)
    assert subjects == sorted(f"[{r}] We have received your complaint" for r in references)
    with db.read() as session:
        workers = set(session.scalars(select(DeliveryAttempt.worker)))
    assert len(workers) == 1  # one worker, not one per web process


@pytest.mark.parametrize("served", [["--no-worker"]], indirect=True)
def test_without_its_worker_mail_waits_for_complaintdesk_worker_once(
    served: str, sink: SMTPSink, settings: Settings
) -> None:
    httpx.post(f"{served}/api/v1/complaints", json=COMPLAINT, timeout=10).raise_for_status()
    time.sleep(1)
    assert sink.raw == []
    once = subprocess.run(
        [*CLI, "worker", "--once"],
        env=environment(settings, sink),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert once.returncode == 0, once.stderr
    assert "1 sent" in once.stdout
    assert len(sink.raw) == 1


def test_a_worker_started_on_a_fresh_data_dir_migrates_and_runs_its_jobs(
    tmp_path: Path, sink: SMTPSink
) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "fresh")
    once = subprocess.run(
        [*CLI, "worker", "--once"],
        env=environment(settings, sink),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert once.returncode == 0, once.stderr
    assert once.stdout.strip() == (
        "worker: 1 job:console.prune_sign_ins, 1 job:notifications.prune_webhooks, 1 job:sla.sweep"
    )
