"""The outbox against real SQLite and PostgreSQL: every stage the customer cares about
queues one mail in their language in the same transaction, nothing internal ever does, and
the worker sends each message once — retrying, giving up visibly, resuming after a crash."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from decimal import Decimal
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from complaintdesk.complaints import services
from complaintdesk.complaints.casefile import timeline
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.complaints.models import Complaint, ComplaintEvent, Outcome, Status
from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.notifications import derive
from complaintdesk.notifications import services as notifications
from complaintdesk.notifications.errors import DeliveryFailed, NotRetryable
from complaintdesk.notifications.mailers import LogMailer
from complaintdesk.notifications.models import (
    AttemptOutcome,
    Channel,
    DeliveryAttempt,
    OutboxMessage,
    OutboxStatus,
)
from complaintdesk.notifications.outbox import (
    BATCH_LIMIT,
    Result,
    RetryPolicy,
    claim_due,
    claim_next,
    complete_all,
)
from complaintdesk.notifications.rendering import format_when
from complaintdesk.staff import services as staff_services
from complaintdesk.staff.models import Role
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.worker.runner import Worker
from tests.statements import counted

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
POLICY = DeadlinePolicy()


class ScriptedMailer:
    """Stands in for an SMTP server: each send takes the next scripted outcome (None
    accepts, a DeliveryFailed refuses); once the script runs out, everything is accepted."""

    delivers = True

    def __init__(self, *script: DeliveryFailed | None) -> None:
        self.script = list(script)
        self.sent: list[EmailMessage] = []
        self.lock = threading.Lock()

    def send(self, message: EmailMessage) -> None:
        with self.lock:
            outcome = self.script.pop(0) if self.script else None
            if outcome is not None:
                raise outcome
            self.sent.append(message)

    def close(self) -> None:
        return None


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


def file(db: Database, *, language: str = "en", email: str = "Ivan@Example.com") -> str:
    with db.transaction() as session:
        filed = services.file_complaint(
            session,
            subject="Bet settled as lost",
            description="Coupon 778812 won 2-1",
            customer=services.CustomerDetails(email=email, name="Ivan Petrov"),
            policy=POLICY,
            language=language,
            now=T0,
        )
        return filed.case.reference


def outbox(db: Database, channel: Channel = Channel.email) -> list[OutboxMessage]:
    with db.read() as session:
        rows = list(
            session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.channel == channel)
                .order_by(OutboxMessage.id)
            )
        )
        session.expunge_all()  # keep what was read once the read-only unit of work ends
        return rows


def worker(settings: Settings, db: Database, mailer: object, **changes: object) -> Worker:
    tuned = settings.model_copy(
        update={"outbox_backoff_seconds": 60, "outbox_max_attempts": 3, **changes}
    )
    return Worker(tuned, db, mailer=mailer, jobs=[], name="test-worker")  # type: ignore[arg-type]


def test_every_stage_the_customer_cares_about_mails_them_once_in_their_language(
    desk: Database, lead: StaffActor
) -> None:
    ref = file(desk, language="ru")
    with desk.transaction() as session:
        services.reply(session, lead, ref, "Пришлите, пожалуйста, номер купона.")
    with desk.transaction() as session:
        services.transition(session, lead, ref, to=Status.awaiting_customer)
    with desk.transaction() as session:
        case = session.scalar(select(Complaint).where(Complaint.reference == ref))
        assert case is not None
        services.customer_message(session, case, "Купон 778812")
    with desk.transaction() as session:
        services.add_note(session, lead, ref, "Internal: check the feed for match 42")
        services.assign(session, lead, ref, team="deposit_withdrawal")
    with desk.transaction() as session:
        services.resolve(
            session,
            lead,
            ref,
            outcome=Outcome.upheld,
            summary="Купон пересчитан как выигрышный.",
            compensation=(Decimal("25.00"), "EUR"),
        )
    with desk.transaction() as session:
        case = session.scalar(select(Complaint).where(Complaint.reference == ref))
        assert case is not None
        services.request_review(session, case, "Сумма неверная")
    with desk.transaction() as session:
        services.resolve(session, lead, ref, outcome=Outcome.upheld, summary="Доплата 5 EUR.")
    with desk.transaction() as session:
        services.transition(session, lead, ref, to=Status.closed)

    mails = outbox(desk)
    assert [m.kind for m in mails] == [
        "acknowledgement",
        "staff_reply",
        "information_request",
        "resolution",
        "review_requested",
        "resolution",
        "closed",
    ]
    assert {m.recipient for m in mails} == {"ivan@example.com"}
    assert all(m.payload["subject"].startswith(f"[{ref}] ") for m in mails)
    assert all(m.payload["language"] == "ru" for m in mails)
    assert "Пришлите, пожалуйста, номер купона." in mails[1].payload["text"]
    assert "Пришлите, пожалуйста, номер купона." in mails[2].payload["text"]
    assert "25,00" in mails[3].payload["text"]
    assert all("check the feed" not in m.payload["text"] for m in mails)
    assert len({m.message_id for m in mails}) == len(mails)
    assert {m.payload["headers"]["References"] for m in mails} == {f"<{ref}@localhost>"}


def test_anonymous_questions_mail_no_one_until_they_become_complaints(
    desk: Database,
) -> None:
    with desk.transaction() as session:
        filed = services.open_consultation(session, question="Is cash-out taxed?", policy=POLICY)
        ref = filed.case.reference
    assert outbox(desk) == []
    with desk.transaction() as session:
        case = services.open_for_customer(session, ref, filed.access_key)
        services.convert_consultation(
            session,
            case,
            customer=services.CustomerDetails(email="anon@example.com"),
            policy=POLICY,
        )
    [mail] = outbox(desk)
    assert mail.kind == "acknowledgement"
    assert "Your question is now a formal complaint" in mail.payload["text"]


def test_the_access_key_never_goes_into_mail(desk: Database) -> None:
    with desk.transaction() as session:
        filed = services.file_complaint(
            session,
            subject="s",
            description="d",
            customer=services.CustomerDetails(email="c@example.com"),
            policy=POLICY,
        )
    [mail] = outbox(desk)
    assert filed.access_key not in str(mail.payload)


def test_one_event_one_message_per_channel_and_recipient(desk: Database) -> None:
    file(desk)
    [mail] = outbox(desk)
    with desk.read() as session:
        event_id = session.scalar(select(ComplaintEvent.id).where(ComplaintEvent.type == "created"))
    assert mail.idempotency_key == f"event:{event_id}:email:ivan@example.com"
    with pytest.raises(IntegrityError), desk.transaction() as session:
        session.add(
            OutboxMessage(
                idempotency_key=mail.idempotency_key,
                channel=Channel.email,
                kind="acknowledgement",
                recipient="ivan@example.com",
                payload={},
                next_attempt_at=T0,
                created_at=T0,
                updated_at=T0,
            )
        )


def test_a_change_that_rolls_back_leaves_no_mail(desk: Database) -> None:
    def fail_after_the_change() -> None:
        with desk.transaction() as session:
            services.file_complaint(
                session,
                subject="s",
                description="d",
                customer=services.CustomerDetails(email="c@example.com"),
                policy=POLICY,
            )
            raise RuntimeError("the request failed after the change")

    with pytest.raises(RuntimeError):
        fail_after_the_change()
    assert outbox(desk) == []


def test_the_worker_sends_each_message_once_with_its_queued_headers(
    desk: Database, settings: Settings, lead: StaffActor
) -> None:
    ref = file(desk)
    with desk.transaction() as session:
        # On the test's clock: a reply written at the real time would not yet be due at T0.
        services.reply(session, lead, ref, "We are looking into it.", now=T0)
    mailer = ScriptedMailer()
    tally = worker(settings, desk, mailer).send_due(now=T0 + dt.timedelta(seconds=1))
    assert tally["sent"] == 2
    assert worker(settings, desk, mailer).send_due(now=T0 + dt.timedelta(hours=1)) == {}
    first, second = mailer.sent
    assert first["Subject"] == f"[{ref}] We have received your complaint"
    assert first["To"] == "Ivan Petrov <Ivan@Example.com>"
    assert first["Auto-Submitted"] == "auto-generated"
    assert second["Auto-Submitted"] is None  # a person's reply
    assert [first["Message-ID"], second["Message-ID"]] == [m.message_id for m in outbox(desk)]
    assert first.get_body(("plain",)) is not None
    assert first.get_body(("html",)) is not None
    assert all(m.status is OutboxStatus.sent for m in outbox(desk))


def test_failures_are_retried_with_growing_waits_then_given_up_visibly(
    desk: Database, settings: Settings, lead: StaffActor
) -> None:
    ref = file(desk)
    down = DeliveryFailed("connection refused")
    mailer = ScriptedMailer(down, down, down)
    w = worker(settings, desk, mailer)
    assert w.send_due(now=T0)["pending"] == 1
    [mail] = outbox(desk)
    first_wait = mail.next_attempt_at - T0
    assert dt.timedelta(seconds=60) <= first_wait <= dt.timedelta(seconds=66)
    assert w.send_due(now=T0 + dt.timedelta(seconds=30)) == {}  # not due yet
    at = mail.next_attempt_at
    assert w.send_due(now=at)["pending"] == 1
    [mail] = outbox(desk)
    assert dt.timedelta(seconds=120) <= mail.next_attempt_at - at <= dt.timedelta(seconds=132)
    assert w.send_due(now=mail.next_attempt_at)["failed"] == 1

    [mail] = outbox(desk)
    assert (mail.status, mail.attempts, mail.last_error) == (
        OutboxStatus.failed,
        3,
        "connection refused",
    )
    with desk.read() as session:
        attempts = session.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id)).all()
        assert [a.outcome for a in attempts] == [
            AttemptOutcome.retry,
            AttemptOutcome.retry,
            AttemptOutcome.failed,
        ]
        case = services.get_case(session, lead, ref)
        [failed] = [e for e in timeline(session, case.id).events if e.type == "notification_failed"]
        assert failed.public is False
        assert failed.data["kind"] == "acknowledgement"

    # Retried by hand: a fresh set of attempts, and the retry is on the case's record.
    later = T0 + dt.timedelta(days=1)
    with desk.transaction() as session:
        notifications.retry(session, lead, mail.id, now=later)
    assert w.send_due(now=later)["sent"] == 1
    assert len(mailer.sent) == 1
    with desk.transaction() as session, pytest.raises(NotRetryable):
        notifications.retry(session, lead, mail.id, now=later)
    with desk.read() as session:
        case = services.get_case(session, lead, ref)
        types = [e.type for e in timeline(session, case.id).events]
    assert "notification_retried" in types


def test_a_permanent_refusal_is_given_up_at_once(desk: Database, settings: Settings) -> None:
    file(desk)
    mailer = ScriptedMailer(DeliveryFailed("550 no such user", permanent=True, status_code=550))
    assert worker(settings, desk, mailer).send_due(now=T0)["failed"] == 1
    [mail] = outbox(desk)
    assert mail.attempts == 1


def test_a_later_message_waits_for_an_earlier_one_to_the_same_customer(
    desk: Database, settings: Settings, lead: StaffActor
) -> None:
    ref = file(desk)
    other = file(desk, email="olga@example.com")
    with desk.transaction() as session:
        services.reply(session, lead, ref, "First reply", now=T0)  # on the test's clock
    mailer = ScriptedMailer(DeliveryFailed("greylisted, try later"))
    w = worker(settings, desk, mailer)
    w.send_due(now=T0)
    sent_to = [str(m["To"]) for m in mailer.sent]
    # Ivan's acknowledgement failed, so his reply waits; Olga's mail is not held up.
    assert sent_to == ["Ivan Petrov <olga@example.com>"]
    acknowledgement = outbox(desk)[0]
    w.send_due(now=acknowledgement.next_attempt_at)
    subjects = [m["Subject"] for m in mailer.sent[1:]]
    assert subjects == [
        f"[{ref}] We have received your complaint",
        f"[{ref}] A reply about your complaint",
    ]
    assert other not in "".join(subjects)


def test_without_smtp_mail_is_logged_and_kept_then_sent_once_smtp_is_there(
    desk: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    ref = file(desk)
    file(desk)
    with caplog.at_level(logging.INFO, logger="complaintdesk.mail.out"):
        tally = worker(settings, desk, LogMailer()).send_due(now=T0)
    assert tally["parked"] == 2
    assert f"Subject: [{ref}] We have received your complaint" in caplog.text
    assert "Follow your case at" in caplog.text
    assert {m.status for m in outbox(desk)} == {OutboxStatus.parked}
    assert worker(settings, desk, LogMailer()).send_due(now=T0 + dt.timedelta(hours=1)) == {}

    mailer = ScriptedMailer()
    assert worker(settings, desk, mailer).send_due(now=T0 + dt.timedelta(hours=2))["sent"] == 2
    assert {m.status for m in outbox(desk)} == {OutboxStatus.sent}


def test_a_message_whose_worker_died_is_taken_over_and_sent_with_the_same_id(
    desk: Database, settings: Settings
) -> None:
    file(desk)
    policy = RetryPolicy(lease=dt.timedelta(minutes=5))
    with desk.transaction() as session:
        claimed = claim_next(session, worker="doomed", now=T0, policy=policy, email_enabled=True)
    assert claimed is not None
    # ... and the worker is killed before it can record anything.
    mailer = ScriptedMailer()
    w = worker(settings, desk, mailer)
    assert w.send_due(now=T0 + dt.timedelta(minutes=4)) == {}  # the lease still holds
    assert w.send_due(now=T0 + dt.timedelta(minutes=5, seconds=1))["sent"] == 1
    [message] = mailer.sent
    assert message["Message-ID"] == claimed.payload["headers"]["Message-ID"]
    with desk.read() as session:
        attempts = session.execute(
            select(DeliveryAttempt.worker, DeliveryAttempt.outcome).order_by(DeliveryAttempt.id)
        ).all()
    assert [tuple(a) for a in attempts] == [
        ("doomed", AttemptOutcome.interrupted),
        ("test-worker", AttemptOutcome.sent),
    ]


def test_workers_side_by_side_send_every_message_exactly_once(
    desk: Database, settings: Settings
) -> None:
    for n in range(12):
        file(desk, email=f"c{n}@example.com")
    mailer = ScriptedMailer()

    def run(name: str) -> None:
        Worker(settings, desk, mailer=mailer, jobs=[], name=name).send_due(now=T0)

    threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = [m["Message-ID"] for m in mailer.sent]
    assert len(ids) == 12
    assert len(set(ids)) == 12
    with desk.read() as session:
        assert session.scalar(select(func.count()).select_from(DeliveryAttempt)) == 12


def test_a_claimed_message_is_not_claimed_again(desk: Database) -> None:
    """On PostgreSQL a second worker skips the row the first holds locked (SKIP LOCKED)
    and takes the next; on SQLite writers take turns, and the lease keeps it apart."""
    file(desk, email="a@example.com")
    file(desk, email="b@example.com")
    policy = RetryPolicy()
    with desk.transaction() as first:
        one = claim_next(first, worker="one", now=T0, policy=policy, email_enabled=True)
        if desk.dialect == "postgresql":
            with desk.transaction() as second:
                two = claim_next(second, worker="two", now=T0, policy=policy, email_enabled=True)
    if desk.dialect != "postgresql":
        with desk.transaction() as second:
            two = claim_next(second, worker="two", now=T0, policy=policy, email_enabled=True)
    assert one is not None
    assert two is not None
    assert {one.recipient, two.recipient} == {"a@example.com", "b@example.com"}
    with desk.transaction() as third:
        assert claim_next(third, worker="three", now=T0, policy=policy, email_enabled=True) is None


def test_a_backlog_is_claimed_as_a_batch_that_keeps_each_customers_mail_in_order(
    desk: Database, lead: StaffActor
) -> None:
    first = file(desk, email="a@example.com")
    for who in "bcd":
        file(desk, email=f"{who}@example.com")
    with desk.transaction() as session:
        services.reply(session, lead, first, "First reply", now=T0)
    policy = RetryPolicy(batch=10)
    with desk.transaction() as session:
        batch = claim_due(
            session, worker="w", now=T0, policy=policy, email_enabled=True, limit=policy.batch
        )
    # Four acknowledgements; a's reply waits for a's acknowledgement, in this batch or not.
    assert sorted(c.recipient for c in batch) == [f"{w}@example.com" for w in "abcd"]
    assert {c.kind for c in batch} == {"acknowledgement"}
    assert len({c.attempt_id for c in batch}) == 4
    rows = {m.id: m for m in outbox(desk)}
    assert all(rows[c.id].status is OutboxStatus.sending for c in batch)
    assert all(rows[c.id].claimed_by == "w" for c in batch)

    outcomes = [
        Result(AttemptOutcome.sent),
        Result(AttemptOutcome.failed, detail="greylisted"),
        Result(AttemptOutcome.failed, detail="no such mailbox", permanent=True),
        Result(AttemptOutcome.parked),
    ]
    with desk.transaction() as session:
        statuses = complete_all(
            session, list(zip(batch, outcomes, strict=True)), now=T0, policy=policy
        )
    assert statuses == [
        OutboxStatus.sent,
        OutboxStatus.pending,
        OutboxStatus.failed,
        OutboxStatus.parked,
    ]
    rows = {m.id: m for m in outbox(desk)}
    assert [rows[c.id].status for c in batch] == statuses
    assert rows[batch[1].id].next_attempt_at > T0  # retried later, not at once
    with desk.read() as session:
        recorded = dict(
            session.execute(select(DeliveryAttempt.id, DeliveryAttempt.outcome)).tuples().all()
        )
    assert [recorded[c.attempt_id] for c in batch] == [
        AttemptOutcome.sent,
        AttemptOutcome.retry,
        AttemptOutcome.failed,
        AttemptOutcome.parked,
    ]


def test_a_worker_sends_a_backlog_in_a_few_statements_a_batch_not_a_few_a_message(
    desk: Database, settings: Settings
) -> None:
    for n in range(12):
        file(desk, email=f"c{n}@example.com")
    mailer = ScriptedMailer()
    w = worker(settings, desk, mailer, worker_lease_seconds=3600)
    assert w.policy.batch == BATCH_LIMIT
    with counted(desk.engine) as statements:
        assert w.send_due(now=T0) == {"sent": 12}
    assert len(mailer.sent) == 12
    # One batch: the due statuses asked in turn, the claimed rows marked, their attempts
    # written; then, after the sends, the attempts and rows read and the results recorded;
    # then the statuses asked again, empty. One message at a time this took 99 statements.
    assert len([s for s in statements if not s.startswith("INSERT")]) == 11
    if desk.dialect == "postgresql":  # SQLite writes the attempts one by one, in-process
        assert len(statements) == 12


@pytest.mark.parametrize(
    ("lease", "smtp", "webhook", "batch"),
    [
        (300, 30, 10, 9),  # the defaults: nine sends of 30 s leave 30 s of the lease
        (3600, 30, 10, BATCH_LIMIT),
        (45, 30, 10, 1),  # a lease barely longer than one send: one message at a time
        (100, 10, 49, 1),
    ],
)
def test_a_batch_is_never_larger_than_its_lease_can_wait_for(
    settings: Settings, lease: int, smtp: int, webhook: int, batch: int
) -> None:
    tuned = settings.model_copy(
        update={
            "worker_lease_seconds": lease,
            "smtp_timeout_seconds": smtp,
            "webhook_timeout_seconds": webhook,
        }
    )
    policy = RetryPolicy.from_settings(tuned)
    assert policy.batch == batch
    # Every send of the batch may take its whole timeout, and the lease still holds.
    assert policy.batch * max(smtp, webhook) < lease


def test_a_deadline_extension_tells_the_customer_the_new_date_and_why(
    desk: Database, lead: StaffActor
) -> None:
    from complaintdesk.sla import services as sla  # noqa: PLC0415

    with desk.transaction() as session:
        filed = services.file_complaint(
            session,
            subject="Withdrawal refused",
            description="d",
            customer=services.CustomerDetails(email="olga@example.com", name="Ольга"),
            policy=POLICY,
            language="ru",
            jurisdiction="CW",
            now=T0,
        )
        reference = filed.case.reference
    with desk.transaction() as session:
        case = sla.extend(
            session,
            lead,
            reference,
            reason="Платёжная система ещё не прислала выписку.",
            now=T0 + dt.timedelta(days=3),
        )
        new_due = case.regulatory_due_at
    assert new_due is not None
    mail = outbox(desk)[-1]
    assert mail.kind == "deadline_extended"
    assert mail.payload["subject"] == f"[{reference}] Нам нужно больше времени"
    text = mail.payload["text"]
    assert "Причина: Платёжная система ещё не прислала выписку." in text
    assert format_when(new_due, "ru") in text
    # The customer is told where to turn: the dispute body of their jurisdiction.
    assert "обратиться в Curaçao Gaming Authority certified ADR provider" in text


def test_a_mail_that_cannot_be_written_never_stops_the_complaint(
    desk: Database, lead: StaffActor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise KeyError("a template asked for something it was not given")

    monkeypatch.setattr(derive, "render", broken)
    reference = file(desk)
    [mail] = outbox(desk)
    assert mail.status is OutboxStatus.failed
    assert "could not be written: KeyError" in (mail.last_error or "")
    with desk.read() as session:
        assert services.get_case(session, lead, reference).status is Status.received
    with desk.transaction() as session, pytest.raises(NotRetryable, match="nothing to send"):
        notifications.retry(session, lead, mail.id)
