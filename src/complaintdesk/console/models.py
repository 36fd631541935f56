"""Console sessions and the record of sign-in attempts (for the lock-out)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from complaintdesk.db import Base, intpk, timestamp


class ConsoleSession(Base):
    """A signed-in browser. The cookie holds the token (signed); the table only its
    SHA-256, so a leaked table signs nobody in. Signing out deletes the row."""

    __tablename__ = "console_sessions"

    id: Mapped[intpk]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[timestamp]
    expires_at: Mapped[dt.datetime] = mapped_column()


class SignInAttempt(Base):
    """One attempt to sign in: who (the name typed, normalised), from where, and how it
    went (``success``, ``failure``, or ``locked`` when refused unheard during a lock-out)."""

    __tablename__ = "console_sign_ins"

    id: Mapped[intpk]
    at: Mapped[timestamp]
    username: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))

    __table_args__ = (
        Index("ix_console_sign_ins_username", "username", "at"),
        Index("ix_console_sign_ins_address", "address", "at"),
    )
