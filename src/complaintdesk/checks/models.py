"""One row per automatic check on a case."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from complaintdesk.db import Base, intpk, optional_timestamp, timestamp


def _enum(cls: type[StrEnum]) -> Enum:
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class CheckKind(StrEnum):
    settlement = "settlement"
    wagering = "wagering"
    payment = "payment"


class CheckState(StrEnum):
    pending = "pending"  # waiting for its first run (or a re-run)
    done = "done"  # the record was found and explained: ``result`` holds it
    not_found = "not_found"  # the platform has no such record (404)
    unavailable = "unavailable"  # the platform failed; retried at ``next_attempt_at``
    invalid = "invalid"  # the record breaks its contract: retrying would not help


class CheckSource(StrEnum):
    platform = "platform"  # fetched from the operator's platform
    evidence = "evidence"  # the record the customer attached to the complaint


# States from which the worker runs a check once ``next_attempt_at`` has come.
DUE_STATES = (CheckState.pending, CheckState.unavailable)
FINAL_STATES = frozenset({CheckState.done, CheckState.not_found, CheckState.invalid})


class Check(Base):
    """A check of one record (``subject``: a bet, bonus or transaction id) for one case.

    ``subject`` is None for a check that finds its records when it runs (the customer's
    recent payments, their bonuses): the first record found takes this row, the others get
    rows of their own. ``evidence_index`` points into the complaint's ``evidence.bets``.
    ``attempts`` counts runs; it also fences a worker's result against a worker that took
    the check over after the first one's lease ran out.
    """

    __tablename__ = "case_checks"

    id: Mapped[intpk]
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    kind: Mapped[CheckKind] = mapped_column(_enum(CheckKind))
    source: Mapped[CheckSource] = mapped_column(_enum(CheckSource))
    subject: Mapped[str | None] = mapped_column(String(128))
    evidence_index: Mapped[int | None] = mapped_column()
    state: Mapped[CheckState] = mapped_column(_enum(CheckState))
    attempts: Mapped[int] = mapped_column(default=0)
    # Unavailable runs in a row: the retry budget, reset by a success or a re-run.
    failures: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[optional_timestamp]
    last_error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column()
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]
    completed_at: Mapped[optional_timestamp]

    __table_args__ = (
        Index("ix_case_checks_complaint", "complaint_id", "id"),
        Index("ix_case_checks_due", "state", "next_attempt_at"),
    )

    def due(self, now: dt.datetime) -> bool:
        return (
            self.state in DUE_STATES
            and self.next_attempt_at is not None
            and self.next_attempt_at <= now
        )
