"""Incoming mail against real SQLite and PostgreSQL: replies join their case, strangers
are held for staff, new messages become acknowledged complaints, machines are recorded
and never answered, and nothing is taken twice."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from complaintdesk.complaints import services
from complaintdesk.complaints.casefile import timeline
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.complaints.models import Attachment, Complaint, Message, Status
from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.mail import services as mail
from complaintdesk.mail.errors import NotHeld, UnusableMessage
from complaintdesk.mail.models import Disposition, InboundMail
from complaintdesk.notifications import derive
from complaintdesk.notifications.models import Channel, OutboxMessage
from complaintdesk.staff import services as staff_services
from complaintdesk.staff.models import Role
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.storage.backends import LocalStorage

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
FIXTURES = Path(__file__).parents[1] / "fixtures" / "mail" / "awkward"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def desk(db: Database, settings: Settings) -> Database:
    derive.install(db, settings)
    return db


@pytest.fixture
def storage(settings: Settings) -> LocalStorage:
    return LocalStorage(settings.attachments_dir)


@pytest.fixture
def agent(db: Database) -> StaffActor:
    with db.transaction() as session:
        user = staff_services.create_user(
            session, username="anna", password="x" * 12, role=Role.agent
        )
        return StaffActor(id=user.id, username=user.username, role=user.role)


@pytest.fixture
def case(desk: Database) -> str:
    with desk.transaction() as session:
        filed = services.file_complaint(
            session,
            subject="Bet settled as lost",
            description="Coupon 778812",
            customer=services.CustomerDetails(email="Ivan@Example.com", name="Ivan"),
            policy=DeadlinePolicy(),
            now=T0,
        )
        return filed.case.reference


def take(db: Database, storage: LocalStorage, settings: Settings, raw: bytes) -> mail.Ingested:
    with db.transaction() as session:
        return mail.ingest(session, storage, settings, raw, policy=DeadlinePolicy(), now=T0)


def message(
    *headers: str,
    sender: str = "Ivan <ivan@example.com>",
    body: str = "Here is the coupon: 778812.",
    message_id: str = "<m1@example.com>",
) -> bytes:
    lines = [f"From: {sender}", "To: complaints@localhost", f"Message-ID: {message_id}"]
    lines += [*headers, "Content-Type: text/plain; charset=utf-8"]
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def messages_of(db: Database, reference: str) -> list[tuple[str, str]]:
    with db.read() as session:
        return [
            (m.author.value, m.body)
            for m in session.scalars(
                select(Message)
                .join(Complaint, Complaint.id == Message.complaint_id)
                .where(Complaint.reference == reference)
                .order_by(Message.id)
            )
        ]


def mails(db: Database) -> list[str]:
    with db.read() as session:
        return list(
            session.scalars(
                select(OutboxMessage.kind)
                .where(OutboxMessage.channel == Channel.email)
                .order_by(OutboxMessage.id)
            )
        )


def test_a_reply_naming_the_reference_joins_the_case_without_its_quoted_history(
    desk: Database, storage: LocalStorage, settings: Settings, case: str, agent: StaffActor
) -> None:
    with desk.transaction() as session:
        services.transition(session, agent, case, to=Status.awaiting_customer)
    body = (
        "Here is the coupon: 778812.\n\n"
        "On Wed, 25 Nov 2026 at 09:00, Complaints <complaints@localhost> wrote:\n"
        "> We need more information from you\n"
    )
    result = take(
        desk, storage, settings, message(f"Subject: Re: [{case}] We need more", body=body)
    )
    assert (result.disposition, result.reference) == (Disposition.attached, case)
    assert messages_of(desk, case) == [("customer", "Here is the coupon: 778812.")]
    with desk.read() as session:
        assert services.get_case(session, agent, case).status is Status.in_progress
    # The customer's mail is answered by people, not by an automatic mail: no loop.
    assert mails(desk) == ["acknowledgement", "information_request"]


def test_a_reply_finds_its_case_by_our_message_id_alone(
    desk: Database, storage: LocalStorage, settings: Settings, case: str
) -> None:
    with desk.read() as session:
        ours = session.scalar(select(OutboxMessage.message_id))
    result = take(
        desk, storage, settings, message("Subject: Re: your mail", f"In-Reply-To: {ours}")
    )
    assert (result.disposition, result.reference) == (Disposition.attached, case)
    # ... or by the case's thread id when the outbox row is long gone.
    second = take(
        desk,
        storage,
        settings,
        message(f"References: <{case}@localhost>", message_id="<m2@example.com>"),
    )
    assert second.reference == case


def test_mail_from_someone_else_is_held_then_released_or_discarded_by_staff(
    desk: Database, storage: LocalStorage, settings: Settings, case: str, agent: StaffActor
) -> None:
    pdf = base64.b64encode(PDF).decode()
    raw = (
        f"From: Lawyer <lawyer@firm.example>\r\nSubject: Re: [{case}] on behalf of Ivan\r\n"
        "Message-ID: <l1@firm.example>\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nI act for Mr Petrov.\r\n"
        "--b\r\nContent-Type: application/pdf\r\n"
        'Content-Disposition: attachment; filename="authority.pdf"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{pdf}\r\n--b--\r\n"
    ).encode()
    held = take(desk, storage, settings, raw)
    assert held.disposition is Disposition.held
    assert messages_of(desk, case) == []
    with desk.read() as session:
        events = timeline(session, services.get_case(session, agent, case).id).events
        [note] = [e for e in events if e.type == "mail_held"]
        assert (note.public, note.data["sender"]) == (False, "lawyer@firm.example")

    with desk.transaction() as session:
        mail.release(session, agent, storage, settings, held.inbound_id, now=T0)
    assert messages_of(desk, case) == [
        ("customer", "[e-mail from lawyer@firm.example]\n\nI act for Mr Petrov.")
    ]
    with desk.read() as session:
        names = session.scalars(select(Attachment.filename)).all()
        assert names == ["authority.pdf"]
    with desk.transaction() as session, pytest.raises(NotHeld):
        mail.release(session, agent, storage, settings, held.inbound_id, now=T0)

    other = take(
        desk,
        storage,
        settings,
        message(f"Subject: [{case}] spam", sender="x@spam.example", message_id="<s@x>"),
    )
    with desk.transaction() as session:
        mail.discard(session, agent, other.inbound_id, now=T0)
    assert len(messages_of(desk, case)) == 1
    with desk.read() as session:
        record = session.get(InboundMail, other.inbound_id)
        assert record is not None
        assert record.disposition is Disposition.discarded


def test_a_reply_about_an_anonymous_question_is_held(
    desk: Database, storage: LocalStorage, settings: Settings
) -> None:
    with desk.transaction() as session:
        ref = services.open_consultation(
            session, question="Q?", policy=DeadlinePolicy()
        ).case.reference
    result = take(desk, storage, settings, message(f"Subject: Re: {ref}"))
    assert result.disposition is Disposition.held


def test_a_new_message_becomes_an_acknowledged_complaint_in_its_language(
    desk: Database, storage: LocalStorage, settings: Settings
) -> None:
    raw = (FIXTURES / "koi8r_new_complaint.eml").read_bytes()
    result = take(desk, storage, settings, raw)
    assert result.disposition is Disposition.new_case
    with desk.read() as session:
        case = session.scalar(select(Complaint).where(Complaint.reference == result.reference))
        assert case is not None
        assert (case.subject, case.language) == ("Ставка рассчитана неверно", "ru")
        assert (case.customer_email, case.customer_name) == (
            "ivan.petrov@example.com",
            "Иван Петров",
        )
        assert "Спартак выиграл 2:1" in case.description
        [ack] = session.scalars(select(OutboxMessage)).all()
        assert ack.recipient == "ivan.petrov@example.com"
        assert ack.payload["subject"] == f"[{case.reference}] Мы получили вашу жалобу"


def test_attachments_go_through_the_cores_checks_one_by_one(
    desk: Database, storage: LocalStorage, settings: Settings
) -> None:
    result = take(desk, storage, settings, (FIXTURES / "attachments.eml").read_bytes())
    assert result.summary.endswith("(2 attachments, 1 refused)")
    with desk.read() as session:
        stored = session.execute(select(Attachment.filename, Attachment.content_type)).all()
        assert sorted(stored) == [("screen.png", "image/png"), ("выписка.pdf", "application/pdf")]
        record = session.get(InboundMail, result.inbound_id)
        assert record is not None
        refused = [a for a in record.attachments if not a["accepted"]]
        assert [a["filename"] for a in refused] == ["invoice.exe"]
        assert "not accepted" in refused[0]["reason"]
        types = session.scalars(
            select(services.ComplaintEvent.type).where(
                services.ComplaintEvent.complaint_id == record.complaint_id
            )
        ).all()
        assert "mail_attachments_refused" in types


def test_an_attachment_over_the_limit_is_refused_and_the_mail_still_taken(
    desk: Database, storage: LocalStorage, settings: Settings
) -> None:
    small = settings.model_copy(update={"upload_max_bytes": 20})
    result = take(desk, storage, small, (FIXTURES / "attachments.eml").read_bytes())
    assert result.disposition is Disposition.new_case
    assert result.summary.endswith("(3 refused)")


@pytest.mark.parametrize(
    ("fixture", "disposition"),
    [
        ("auto_reply.eml", Disposition.auto_reply),
        ("bulk_newsletter.eml", Disposition.bulk),
        ("bounce_dsn.eml", Disposition.bounce),
    ],
)
def test_machines_are_recorded_and_never_answered(
    desk: Database,
    storage: LocalStorage,
    settings: Settings,
    fixture: str,
    disposition: Disposition,
) -> None:
    result = take(desk, storage, settings, (FIXTURES / fixture).read_bytes())
    assert result.disposition is disposition
    with desk.read() as session:
        assert session.scalars(select(Complaint)).all() == []
    assert mails(desk) == []


def test_an_auto_reply_and_a_bounce_about_a_case_are_noted_on_it(
    desk: Database, storage: LocalStorage, settings: Settings, case: str, agent: StaffActor
) -> None:
    with desk.read() as session:
        ours = session.scalar(select(OutboxMessage.message_id))
    take(
        desk,
        storage,
        settings,
        message(f"Subject: Out of office: [{case}]", "Auto-Submitted: auto-replied"),
    )
    bounce = (
        "From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <dsn@mx.example>\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
        "--r\r\nContent-Type: text/plain\r\n\r\nfailed\r\n"
        "--r\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n\r\n"
        f"--r\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {ours}\r\n\r\n--r--\r\n"
    ).encode()
    assert take(desk, storage, settings, bounce).reference == case
    with desk.read() as session:
        events = timeline(session, services.get_case(session, agent, case).id).events
        noted = [(e.type, e.public) for e in events if e.type.startswith("mail_")]
    assert noted == [("mail_auto_reply", False), ("mail_bounce", False)]
    assert messages_of(desk, case) == []
    assert mails(desk) == ["acknowledgement"]


def test_our_own_mail_coming_back_is_not_taken_for_a_customer(
    desk: Database, storage: LocalStorage, settings: Settings
) -> None:
    result = take(desk, storage, settings, message(sender="complaints@localhost"))
    assert result.disposition is Disposition.loop
    assert mails(desk) == []


def test_the_same_message_delivered_twice_is_taken_once(
    desk: Database, storage: LocalStorage, settings: Settings
) -> None:
    raw = (FIXTURES / "html_only.eml").read_bytes()
    first = take(desk, storage, settings, raw)
    again = take(desk, storage, settings, raw)
    assert (again.duplicate, again.inbound_id, again.reference) == (
        True,
        first.inbound_id,
        first.reference,
    )
    with desk.read() as session:
        assert len(session.scalars(select(Complaint)).all()) == 1
    assert mails(desk) == ["acknowledgement"]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ((FIXTURES / "no_sender.eml").read_bytes(), "no usable sender"),
        ((FIXTURES / "not_a_message.eml").read_bytes(), "does not start with headers"),
        ((FIXTURES / "empty.eml").read_bytes(), "empty"),
        ((FIXTURES / "binary.eml").read_bytes(), "binary"),
        (message(sender="Ivan <ivan@-bad-.example>"), "not valid"),
        (message("Subject: ", body=""), "no subject, no text and no attachments"),
    ],
)
def test_unusable_messages_are_refused_with_the_reason_and_leave_nothing(
    desk: Database, storage: LocalStorage, settings: Settings, raw: bytes, reason: str
) -> None:
    with pytest.raises(UnusableMessage, match=reason):
        take(desk, storage, settings, raw)
    with desk.read() as session:
        assert session.scalars(select(InboundMail)).all() == []


def test_an_empty_reply_is_refused(
    desk: Database, storage: LocalStorage, settings: Settings, case: str
) -> None:
    with pytest.raises(UnusableMessage, match="no text of its own"):
        take(desk, storage, settings, message(f"Subject: Re: [{case}]", body="  \n"))


def test_a_message_over_the_size_limit_is_refused(
    desk: Database, storage: LocalStorage, settings: Settings
) -> None:
    small = settings.model_copy(update={"mail_max_bytes": 100})
    with pytest.raises(UnusableMessage, match="larger than the limit of 100 bytes"):
        take(desk, storage, small, message(body="x" * 200))
