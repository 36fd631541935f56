"""The case, its timeline, its messages and documents.

A case keeps every deadline as a column so that queues sort and filter on indexes; the
timeline (``ComplaintEvent``) is append-only and is the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Enum, ForeignKey, Index, String, Text, bindparam, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaintdesk.db import Base, intpk, optional_timestamp, timestamp
from complaintdesk.staff.models import User


def _enum(cls: type[StrEnum], length: int = 24) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Kind(StrEnum):
    complaint = "complaint"
    consultation = "consultation"


class Status(StrEnum):
    received = "received"
    in_progress = "in_progress"
    awaiting_customer = "awaiting_customer"
    escalated = "escalated"
    resolved = "resolved"
    closed = "closed"
    referred_to_adr = "referred_to_adr"


class Outcome(StrEnum):
    upheld = "upheld"
    partially_upheld = "partially_upheld"
    not_upheld = "not_upheld"
    withdrawn = "withdrawn"


class Category(StrEnum):
    technical_fault = "technical_fault"
    bet_settlement = "bet_settlement"
    bonus_terms = "bonus_terms"
    deposit_withdrawal = "deposit_withdrawal"
    payout_refusal = "payout_refusal"
    account_verification = "account_verification"
    responsible_gambling = "responsible_gambling"
    other = "other"


class Priority(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


class Actor(StrEnum):
    customer = "customer"
    staff = "staff"
    system = "system"


# The open statuses as SQL, for the partial index of the queue (states.OPEN_STATUSES).
_OPEN_SQL = "status IN ('received', 'in_progress', 'awaiting_customer', 'escalated')"


class Complaint(Base):
    __tablename__ = "complaints"

    id: Mapped[intpk]
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    access_key_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[Kind] = mapped_column(_enum(Kind))
    status: Mapped[Status] = mapped_column(_enum(Status))
    category: Mapped[Category] = mapped_column(_enum(Category))
    priority: Mapped[Priority] = mapped_column(_enum(Priority), default=Priority.normal)
    language: Mapped[str] = mapped_column(String(8))
    jurisdiction: Mapped[str | None] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)

    customer_email: Mapped[str | None] = mapped_column(String(320))
    customer_name: Mapped[str | None] = mapped_column(String(200))
    customer_phone: Mapped[str | None] = mapped_column(String(40))
    customer_account_id: Mapped[str | None] = mapped_column(String(64), index=True)
    bet_ids: Mapped[list[Any]] = mapped_column(default=list)
    evidence: Mapped[dict[str, Any] | None] = mapped_column()

    team: Mapped[str | None] = mapped_column(String(64))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assignee: Mapped[User | None] = relationship(lazy="raise")

    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome))
    resolution_summary: Mapped[str | None] = mapped_column(Text)
    compensation_amount: Mapped[Decimal | None] = mapped_column()
    compensation_currency: Mapped[str | None] = mapped_column(String(3))
    feedback_score: Mapped[int | None] = mapped_column()
    feedback_comment: Mapped[str | None] = mapped_column(Text)

    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]
    acknowledgement_due_at: Mapped[optional_timestamp]
    acknowledged_at: Mapped[optional_timestamp]
    first_response_due_at: Mapped[optional_timestamp]
    first_responded_at: Mapped[optional_timestamp]
    resolution_due_at: Mapped[optional_timestamp]
    resolved_at: Mapped[optional_timestamp]
    regulatory_due_at: Mapped[optional_timestamp]
    # Set when the customer writes after the first response; met by the next staff reply.
    next_response_due_at: Mapped[optional_timestamp]
    closed_at: Mapped[optional_timestamp]
    # The nearest deadline still open: what the queue sorts by. Null once nothing is due.
    due_at: Mapped[optional_timestamp]
    # ok, at_risk or breached: kept by the SLA clocks and their sweep (complaintdesk.sla).
    sla_state: Mapped[str] = mapped_column(String(16), default="ok")

    version: Mapped[int] = mapped_column(default=1)

    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", lazy="raise", order_by="ComplaintEvent.id"
    )
    messages: Mapped[list[Message]] = relationship(
        back_populates="complaint", lazy="raise", order_by="Message.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="complaint", lazy="raise", order_by="Attachment.id"
    )

    # SQLAlchemy bumps the version on every UPDATE and refuses one whose WHERE clause finds
    # an older version: two writers racing cannot both win.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    __table_args__ = (
        Index("ix_complaints_queue", "status", "due_at", "id"),
        Index("ix_complaints_team_queue", "team", "status", "due_at", "id"),
        # A team's open cases in queue order: the queue's pages read only what they show.
        Index(
            "ix_complaints_open_team_queue",
            "team",
            "due_at",
            "id",
            postgresql_where=text(_OPEN_SQL),
            sqlite_where=text(_OPEN_SQL),
        ),
        Index("ix_complaints_assignee_queue", "assignee_id", "status", "due_at", "id"),
        # Open cases per agent, counted each time a least-loaded team takes a case.
        Index(
            "ix_complaints_open_assignee",
            "assignee_id",
            postgresql_where=text(_OPEN_SQL),
            sqlite_where=text(_OPEN_SQL),
        ),
        # The console's counts per queue: every column they group by, open cases only.
        Index(
            "ix_complaints_open_counts",
            "status",
            "sla_state",
            "assignee_id",
            "team",
            postgresql_where=text(_OPEN_SQL),
            sqlite_where=text(_OPEN_SQL),
        ),
        Index("ix_complaints_category_queue", "category", "status", "due_at", "id"),
        Index("ix_complaints_sla_queue", "sla_state", "status", "due_at", "id"),
        Index("ix_complaints_created", "created_at", "id"),
        # Every case by deadline: what a search walks to fill a page for a common word.
        Index("ix_complaints_due", "due_at", "id"),
        Index("ix_complaints_customer_email", "customer_email"),
    )


def status_in(statuses: Iterable[Status]) -> ColumnElement[bool]:
    """``status IN (...)`` with the statuses written into the SQL, in the order they are
    declared (the order ``_OPEN_SQL`` names them): a database then matches a statement on
    open cases to the partial indexes above, which SQLite does only by the same words,
    never through bound parameters, and PostgreSQL not in a generic plan."""
    wanted = set(statuses)
    values = [s.value for s in Status if s in wanted]
    return Complaint.status.in_(bindparam(None, values, expanding=True, literal_execute=True))


class ComplaintEvent(Base):
    """One entry of a case's timeline. Never updated or deleted (the database refuses)."""

    __tablename__ = "complaint_events"

    id: Mapped[intpk]
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    at: Mapped[timestamp]
    type: Mapped[str] = mapped_column(String(40))
    actor: Mapped[Actor] = mapped_column(_enum(Actor, 16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    public: Mapped[bool] = mapped_column()
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    complaint: Mapped[Complaint] = relationship(back_populates="events", lazy="raise")
    user: Mapped[User | None] = relationship(lazy="raise")

    __table_args__ = (Index("ix_complaint_events_complaint", "complaint_id", "id"),)


class Message(Base):
    """A message of the conversation; ``internal`` ones are staff notes, never shown outside."""

    __tablename__ = "messages"

    id: Mapped[intpk]
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    author: Mapped[Actor] = mapped_column(_enum(Actor, 16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    internal: Mapped[bool] = mapped_column(default=False)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[timestamp]

    complaint: Mapped[Complaint] = relationship(back_populates="messages", lazy="raise")
    user: Mapped[User | None] = relationship(lazy="raise")

    __table_args__ = (Index("ix_messages_complaint", "complaint_id", "id"),)


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[intpk]
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    uploaded_by: Mapped[Actor] = mapped_column(_enum(Actor, 16))
    internal: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[timestamp]

    complaint: Mapped[Complaint] = relationship(back_populates="attachments", lazy="raise")

    __table_args__ = (Index("ix_attachments_complaint", "complaint_id", "id"),)


class SearchDocument(Base):
    """The searchable text of a case: subject, description and every message.

    SQLite indexes it with an FTS5 table kept in step by triggers; PostgreSQL with a GIN
    index on its English and Russian ``tsvector`` (both created by the migration).
    """

    __tablename__ = "complaint_search"

    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True
    )
    document: Mapped[str] = mapped_column(Text)
