"""Real deliveries on loopback: an SMTP exchange with an aiosmtpd server (plain, STARTTLS
with authentication, refusals, a server that is down) and webhook receivers on http.server
that check the signature exactly as an operator's system would."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from complaintdesk.complaints import services
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.complaints.models import Outcome
from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.notifications import derive
from complaintdesk.notifications import services as notifications
from complaintdesk.notifications.mailers import LogMailer, SMTPMailer
from complaintdesk.notifications.models import (
    Channel,
    DeliveryAttempt,
    OutboxMessage,
    OutboxStatus,
)
from complaintdesk.notifications.webhooks import verify
from complaintdesk.staff import services as staff_services
from complaintdesk.staff.models import Role
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.worker import jobs
from complaintdesk.worker.runner import Worker
from tests.loopback import SMTPSink, WebhookReceiver, free_port, self_signed_tls

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def desk(db: Database, settings: Settings) -> Database:
    derive.install(db, settings)
    return db


@pytest.fixture
def lead(db: Database) -> StaffActor:
    with db.transaction() as session:
        user = staff_services.create_user(
            session, username="lena", password="x" * 12, role=Role.lead
        )
        return StaffActor(id=user.id, username=user.username, role=user.role)


@pytest.fixture
def sink() -> Iterator[SMTPSink]:
    server = SMTPSink().start()
    yield server
    server.stop()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver().start()
    yield server
    server.stop()


def file(db: Database, *, language: str = "en", email: str = "ivan@example.com") -> tuple[str, str]:
    with db.transaction() as session:
        filed = services.file_complaint(
            session,
            subject="Ставка рассчитана неверно" if language == "ru" else "Bet settled as lost",
            description="Coupon 778812",
            customer=services.CustomerDetails(email=email, name="Иван Петров"),
            policy=DeadlinePolicy(),
            language=language,
            jurisdiction="GB",
            now=T0,
        )
        return filed.case.reference, filed.access_key


def tuned(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(
        update={
            "outbox_backoff_seconds": 60,
            "outbox_max_attempts": 3,
            "smtp_timeout_seconds": 5,
            "webhook_timeout_seconds": 5,
            "webhook_private_addresses": True,  # the receivers listen on 127.0.0.1
            **changes,
        }
    )


def rows(db: Database) -> list[OutboxMessage]:
    with db.read() as session:
        found = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        session.expunge_all()
        return found


# --- SMTP ----------------------------------------------------------------------------


def test_a_real_smtp_exchange_delivers_the_customers_mail(
    desk: Database, settings: Settings, sink: SMTPSink
) -> None:
    reference, access_key = file(desk, language="ru")
    worker = Worker(tuned(settings, smtp_url=sink.url), desk, jobs=[])
    assert worker.send_due(now=T0)["sent"] == 1

    [raw] = sink.raw
    [message] = sink.messages
    [(envelope_from, recipients)] = sink.envelopes
    [row] = rows(desk)
    assert envelope_from == "complaints@localhost"
    assert recipients == ["ivan@example.com"]
    assert message["Subject"] == f"[{reference}] Мы получили вашу жалобу"
    assert message["Message-ID"] == row.message_id
    assert message["In-Reply-To"] == f"<{reference}@localhost>"
    assert message["Content-Language"] == "ru"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert f"/track/{reference}" in text
    assert "ключ доступа" in text
    assert "обратиться в IBAS (Independent Betting Adjudication Service)" in text  # GB's
    assert f'href="http://127.0.0.1:8000/track/{reference}"' in html
    assert access_key.encode() not in raw
    assert access_key not in text


def test_starttls_and_authentication_with_credentials_from_the_url(
    desk: Database, settings: Settings, tmp_path: Path
) -> None:
    server = SMTPSink(credentials=("desk@op.example", "s3cr:t"), tls=self_signed_tls(tmp_path))
    server.start()
    try:
        file(desk)
        url = f"smtp://desk%40op.example:s3cr%3At@127.0.0.1:{server.port}"
        settings = tuned(settings, smtp_url=url, smtp_security="starttls", smtp_verify_tls=False)
        assert Worker(settings, desk, jobs=[]).send_due(now=T0)["sent"] == 1
        assert server.logins == ["desk@op.example"]
        assert len(server.raw) == 1
    finally:
        server.stop()


def test_a_password_is_never_sent_over_an_unencrypted_connection(
    desk: Database, settings: Settings
) -> None:
    server = SMTPSink(credentials=("desk", "pw")).start()
    try:
        file(desk)
        url = f"smtp://desk:pw@127.0.0.1:{server.port}"
        Worker(tuned(settings, smtp_url=url), desk, jobs=[]).send_due(now=T0)
        [row] = rows(desk)
        assert row.status is OutboxStatus.pending
        assert "refusing to send the SMTP password" in (row.last_error or "")
        assert server.logins == []
        # Explicitly allowed (a relay on a trusted network), it goes.
        mailer = SMTPMailer.from_settings(tuned(settings, smtp_url=url, smtp_security="none"))
        worker = Worker(tuned(settings, smtp_url=url), desk, mailer=mailer, jobs=[])
        assert worker.send_due(now=row.next_attempt_at)["sent"] == 1
        assert server.logins == ["desk"]
    finally:
        server.stop()


def test_refusals_the_server_means_and_those_it_does_not(
    desk: Database, settings: Settings
) -> None:
    server = SMTPSink(
        refuse={
            "gone@example.com": "550 5.1.1 no such mailbox",
            "busy@example.com": "451 4.7.1 greylisted, try later",
        }
    ).start()
    try:
        file(desk, email="gone@example.com")
        file(desk, email="busy@example.com")
        file(desk, email="fine@example.com")
        tally = Worker(tuned(settings, smtp_url=server.url), desk, jobs=[]).send_due(now=T0)
        assert tally == {"failed": 1, "pending": 1, "sent": 1}
        gone, busy, fine = rows(desk)
        assert (gone.status, gone.attempts) == (OutboxStatus.failed, 1)
        assert "550 5.1.1 no such mailbox" in (gone.last_error or "")
        assert busy.status is OutboxStatus.pending
        assert "451" in (busy.last_error or "")
        assert fine.status is OutboxStatus.sent
        with desk.read() as session:
            codes = session.scalars(
                select(DeliveryAttempt.status_code).order_by(DeliveryAttempt.id)
            ).all()
        assert codes == [550, 451, None]
    finally:
        server.stop()


def test_a_mail_server_that_is_down_costs_a_retry_not_the_mail(
    desk: Database, settings: Settings
) -> None:
    file(desk)
    port = free_port()  # nothing listens there
    worker = Worker(tuned(settings, smtp_url=f"smtp://127.0.0.1:{port}"), desk, jobs=[])
    assert worker.send_due(now=T0)["pending"] == 1
    [row] = rows(desk)
    assert "cannot deliver to 127.0.0.1" in (row.last_error or "")
    server = SMTPSink()
    server.start()
    try:
        later = row.next_attempt_at
        worker = Worker(tuned(settings, smtp_url=server.url), desk, jobs=[])
        assert worker.send_due(now=later)["sent"] == 1
        assert len(server.raw) == 1
    finally:
        server.stop()


# --- webhooks ------------------------------------------------------------------------


def subscribe(db: Database, actor: StaffActor, url: str, events: list[str]) -> tuple[int, str]:
    with db.transaction() as session:
        subscription, secret = notifications.create_subscription(
            session, actor, url=url, events=events, private_addresses=True, now=T0
        )
        return subscription.id, secret


def test_subscribed_events_arrive_signed_and_verifiable(
    desk: Database, settings: Settings, lead: StaffActor, receiver: WebhookReceiver
) -> None:
    everything, all_secret = subscribe(desk, lead, receiver.url + "/all", ["*"])
    _, resolved_secret = subscribe(desk, lead, receiver.url + "/resolved", ["complaint.resolved"])
    reference, _ = file(desk)
    with desk.transaction() as session:
        services.add_note(session, lead, reference, "internal: never leaves")
        # On the test's clock: a resolution at the real time would not yet be due at T0.
        services.resolve(
            session, lead, reference, outcome=Outcome.not_upheld, summary="Lost.", now=T0
        )
    worker = Worker(tuned(settings), desk, jobs=[])
    worker.send_due(now=T0)

    by_path: dict[str, list[dict[str, object]]] = {}
    for hit in receiver.received:
        secret = all_secret if hit.path.endswith("/all") else resolved_secret
        verify(secret, hit.headers["X-Complaintdesk-Signature"], hit.body)
        document = json.loads(hit.body)
        assert hit.headers["X-Complaintdesk-Event"] == document["type"]
        assert hit.headers["X-Complaintdesk-Delivery"] == document["delivery"]
        by_path.setdefault(hit.path, []).append(document)
    assert [d["type"] for d in by_path["/hooks/all"]] == [
        "complaint.created",
        "complaint.resolved",
        "complaint.status_changed",
    ]
    [resolved] = by_path["/hooks/resolved"]
    assert resolved["type"] == "complaint.resolved"
    assert resolved["complaint"]["reference"] == reference  # type: ignore[index]
    assert resolved["data"] == {"outcome": "not_upheld"}
    assert all("never leaves" not in json.dumps(d) for d in by_path["/hooks/all"])
    assert {r.subscription_id for r in rows(desk) if r.channel is Channel.webhook} >= {everything}


def test_a_failing_receiver_gets_retries_and_every_attempt_is_logged(
    desk: Database, settings: Settings, lead: StaffActor
) -> None:
    flaky = WebhookReceiver(statuses=[500, 503]).start()
    try:
        subscribe(desk, lead, flaky.url, ["complaint.created"])
        file(desk)
        worker = Worker(tuned(settings), desk, jobs=[])
        worker.send_due(now=T0)
        [row] = [r for r in rows(desk) if r.channel is Channel.webhook]
        worker.send_due(now=row.next_attempt_at)
        [row] = [r for r in rows(desk) if r.channel is Channel.webhook]
        worker.send_due(now=row.next_attempt_at)
        [row] = [r for r in rows(desk) if r.channel is Channel.webhook]
        assert row.status is OutboxStatus.sent
        with desk.read() as session:
            codes = session.scalars(
                select(DeliveryAttempt.status_code)
                .where(DeliveryAttempt.message_id == row.id)
                .order_by(DeliveryAttempt.id)
            ).all()
        assert codes == [500, 503, 200]
        bodies = {hit.body for hit in flaky.received}
        assert len(flaky.received) == 3
        assert len(bodies) == 1  # the same bytes every time, only the signature is fresh
        ids = {hit.headers["X-Complaintdesk-Delivery"] for hit in flaky.received}
        assert ids == {f"dlv_{row.id}"}
    finally:
        flaky.stop()


@pytest.mark.parametrize(("status", "gives_up"), [(410, True), (302, False)])
def test_gone_receivers_are_given_up_and_redirects_are_not_followed(
    desk: Database, settings: Settings, lead: StaffActor, status: int, gives_up: bool
) -> None:
    target = WebhookReceiver(statuses=[status]).start()
    try:
        subscribe(desk, lead, target.url, ["complaint.created"])
        file(desk)
        Worker(tuned(settings), desk, jobs=[]).send_due(now=T0)
        [row] = [r for r in rows(desk) if r.channel is Channel.webhook]
        assert row.status is (OutboxStatus.failed if gives_up else OutboxStatus.pending)
        assert len(target.received) == 1
        if not gives_up:
            assert "redirects are not followed" in (row.last_error or "")
    finally:
        target.stop()


def test_a_disabled_subscription_gets_nothing_more(
    desk: Database, settings: Settings, lead: StaffActor, receiver: WebhookReceiver
) -> None:
    subscription_id, _ = subscribe(desk, lead, receiver.url, ["complaint.created"])
    file(desk)
    with desk.transaction() as session:
        notifications.disable_subscription(session, lead, subscription_id, now=T0)
    file(desk, email="later@example.com")
    Worker(tuned(settings), desk, jobs=[]).send_due(now=T0)
    assert receiver.received == []
    [row] = [r for r in rows(desk) if r.channel is Channel.webhook]
    assert row.status is OutboxStatus.cancelled


def test_the_sla_sweep_runs_from_the_registry_and_its_breaches_reach_subscribers(
    desk: Database, settings: Settings, lead: StaffActor, receiver: WebhookReceiver
) -> None:
    _, secret = subscribe(desk, lead, receiver.url, ["complaint.breached"])
    reference, _ = file(desk)
    worker = Worker(tuned(settings), desk, mailer=LogMailer())
    late = T0 + dt.timedelta(days=3)
    tally = worker.run_once(now=late)
    assert tally["job:sla.sweep"] == 1
    breaches = [json.loads(hit.body) for hit in receiver.received]
    assert breaches
    assert {b["type"] for b in breaches} == {"complaint.breached"}
    assert {b["complaint"]["reference"] for b in breaches} == {reference}  # type: ignore[index]
    for hit in receiver.received:
        verify(secret, hit.headers["X-Complaintdesk-Signature"], hit.body)
    # A breach is the desk's own business: the customer is not mailed about it.
    assert [r.kind for r in rows(desk) if r.channel is Channel.email] == ["acknowledgement"]


def test_deliveries_inside_the_operators_network_are_refused_without_connecting(
    desk: Database, settings: Settings, lead: StaffActor, receiver: WebhookReceiver
) -> None:
    # Subscribed while the desk allowed private addresses; the setting is off now.
    subscribe(desk, lead, receiver.url, ["complaint.created"])
    file(desk)
    worker = Worker(tuned(settings, webhook_private_addresses=False), desk, jobs=[])
    worker.send_due(now=T0)
    assert receiver.received == []
    [row] = [r for r in rows(desk) if r.channel is Channel.webhook]
    assert row.status is OutboxStatus.failed  # not retried: it would fail the same way
    assert "127.0.0.1" in (row.last_error or "")
    assert "not a public address" in (row.last_error or "")


def test_finished_webhook_deliveries_are_pruned_after_their_retention_and_mail_is_kept(
    desk: Database, settings: Settings, lead: StaffActor, receiver: WebhookReceiver
) -> None:
    subscribe(desk, lead, receiver.url, ["complaint.created"])
    file(desk)
    Worker(tuned(settings), desk, jobs=[]).send_due(now=T0)
    assert len(receiver.received) == 1
    file(desk, email="later@example.com")  # its delivery has not gone out yet
    before = rows(desk)
    [delivered] = [r.id for r in before if r.status is OutboxStatus.sent and r.subscription_id]
    [prune] = [
        job
        for job in jobs.registered_jobs(tuned(settings))
        if job.name == "notifications.prune_webhooks"
    ]
    assert prune.every == dt.timedelta(days=1)
    assert jobs.run_due(desk, [prune], now=T0 + dt.timedelta(days=29, hours=23)) == [prune.name]
    assert [r.id for r in rows(desk)] == [r.id for r in before]  # kept 30 days

    assert jobs.run_due(desk, [prune], now=T0 + dt.timedelta(days=31)) == [prune.name]
    after = rows(desk)
    assert [r.id for r in after] == [r.id for r in before if r.id != delivered]
    assert {r.channel for r in after} == {Channel.email, Channel.webhook}
    assert [r.status for r in after if r.channel is Channel.webhook] == [OutboxStatus.pending]
    with desk.read() as session:
        attempts = session.scalars(select(DeliveryAttempt.message_id)).all()
    assert delivered not in attempts
    assert attempts  # the mail's attempts stay with it
