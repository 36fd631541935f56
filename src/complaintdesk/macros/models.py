"""Reply templates, each with an English and a Russian body."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from complaintdesk.db import Base, intpk, timestamp


class ReplyMacro(Base):
    """A reply template. ``category`` (a complaint category's value, or None for any)
    puts it first in the list for cases of that category; inactive ones are kept for the
    record but no longer offered."""

    __tablename__ = "reply_macros"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(32))
    body_en: Mapped[str] = mapped_column(Text)
    body_ru: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]
    updated_at: Mapped[dt.datetime] = mapped_column()

    __table_args__ = (Index("ix_reply_macros_active", "active", "name"),)
