"""A proposed final response waiting for (or past) its second pair of eyes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaintdesk.complaints.models import Outcome
from complaintdesk.db import Base, intpk, optional_timestamp
from complaintdesk.staff.models import User


def _enum(cls: type[StrEnum]) -> Enum:
    return Enum(cls, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e])


class ProposalState(StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class ResolutionProposal(Base):
    """The outcome, the reasons the customer will read and the compensation, as proposed.

    At most one proposal per case is pending (a partial unique index says so to the
    database, so two proposals racing cannot both wait). ``reasons`` names why it needs
    approval (``decisions.rules.Reason``).
    """

    __tablename__ = "resolution_proposals"

    id: Mapped[intpk]
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    state: Mapped[ProposalState] = mapped_column(_enum(ProposalState))
    outcome: Mapped[Outcome] = mapped_column(_enum(Outcome))
    summary: Mapped[str] = mapped_column(Text)
    compensation_amount: Mapped[Decimal | None] = mapped_column()
    compensation_currency: Mapped[str | None] = mapped_column(String(3))
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    proposed_at: Mapped[dt.datetime] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[optional_timestamp]
    note: Mapped[str | None] = mapped_column(Text)

    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id], lazy="raise")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id], lazy="raise")

    __table_args__ = (
        Index("ix_resolution_proposals_complaint", "complaint_id", "id"),
        # The approvals queue: what waits, oldest first.
        Index("ix_resolution_proposals_state", "state", "proposed_at", "id"),
        Index(
            "uq_resolution_proposals_pending",
            "complaint_id",
            unique=True,
            postgresql_where=text("state = 'pending'"),
            sqlite_where=text("state = 'pending'"),
        ),
    )
