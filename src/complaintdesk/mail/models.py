"""Every e-mail the desk accepted, and what became of it.

A message from someone other than the case's customer is *held* here for staff (never put
on the case by itself); auto-replies, bulk mail and bounces are recorded and never answered.
The raw message is kept in storage (``raw_key``), so a held message can still be released
with its attachments, and the case file shows exactly what arrived.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from complaintdesk.db import Base, intpk, optional_timestamp, timestamp


class Disposition(StrEnum):
    attached = "attached"  # a reply from the case's customer, now a customer message
    new_case = "new_case"  # a new complaint, acknowledged like any other
    held = "held"  # about a case, but not from its customer: waiting for staff
    released = "released"  # a held message staff attached to its case
    discarded = "discarded"  # a held message staff set aside
    auto_reply = "auto_reply"  # out-of-office and other automatic answers: recorded only
    bulk = "bulk"  # lists, newsletters: recorded only
    bounce = "bounce"  # delivery reports: recorded (on the case, when it names one)
    loop = "loop"  # our own mail came back to us: recorded only


# What staff still have to decide on.
WAITING = (Disposition.held,)


class InboundMail(Base):
    __tablename__ = "inbound_mail"

    id: Mapped[intpk]
    # The Message-ID (or, without one, the content) hashed: the same mail delivered twice,
    # as an MTA does after a lost reply, is recognised and taken once.
    dedupe_key: Mapped[str] = mapped_column(String(80), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(500))
    received_at: Mapped[timestamp]
    from_address: Mapped[str | None] = mapped_column(String(320))
    from_name: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300), default="")
    disposition: Mapped[Disposition] = mapped_column(
        Enum(
            Disposition,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    complaint_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaints.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    raw_key: Mapped[str | None] = mapped_column(String(200))
    raw_size: Mapped[int] = mapped_column(default=0)
    # [{filename, content_type, size, accepted, reason}] for every attachment found.
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[optional_timestamp]

    __table_args__ = (Index("ix_inbound_mail_disposition", "disposition", "id"),)
