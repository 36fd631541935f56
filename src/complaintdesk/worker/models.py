"""The state of the periodic jobs, shared by every worker so that each job runs once per
period however many workers there are."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from complaintdesk.db import Base, optional_timestamp, timestamp


class JobState(Base):
    __tablename__ = "periodic_jobs"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    next_run_at: Mapped[timestamp]
    last_started_at: Mapped[optional_timestamp]
    last_finished_at: Mapped[optional_timestamp]
    last_error: Mapped[str | None] = mapped_column(Text)
    runs: Mapped[int] = mapped_column(default=0)
    failures: Mapped[int] = mapped_column(default=0)
