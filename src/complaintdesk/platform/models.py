"""The demo operator's records, kept in the desk's own database for the ``demo`` adapter.

Each row holds the record exactly as the platform contract shapes it (``record``), with the
columns the adapter looks records up by beside it. ``complaintdesk demo`` fills them;
nothing else writes them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from complaintdesk.db import Base, intpk, timestamp


class DemoCustomer(Base):
    __tablename__ = "demo_customers"

    account_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    jurisdiction: Mapped[str] = mapped_column(String(8))
    language: Mapped[str] = mapped_column(String(8))
    record: Mapped[dict[str, Any]] = mapped_column()


class DemoBet(Base):
    __tablename__ = "demo_bets"

    bet_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("demo_customers.account_id", ondelete="CASCADE")
    )
    placed_at: Mapped[dt.datetime] = mapped_column()
    record: Mapped[dict[str, Any]] = mapped_column()

    __table_args__ = (Index("ix_demo_bets_account", "account_id", "placed_at"),)


class DemoTransaction(Base):
    __tablename__ = "demo_transactions"

    transaction_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("demo_customers.account_id", ondelete="CASCADE")
    )
    created_at: Mapped[dt.datetime] = mapped_column()
    record: Mapped[dict[str, Any]] = mapped_column()

    __table_args__ = (Index("ix_demo_transactions_account", "account_id", "created_at"),)


class DemoBonus(Base):
    __tablename__ = "demo_bonuses"

    bonus_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("demo_customers.account_id", ondelete="CASCADE"), index=True
    )
    record: Mapped[dict[str, Any]] = mapped_column()


class DemoLoad(Base):
    """One row per load of the demo operator: how ``complaintdesk demo`` knows it ran."""

    __tablename__ = "demo_loads"

    id: Mapped[intpk]
    seed: Mapped[int] = mapped_column()
    loaded_at: Mapped[timestamp]
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
