"""The ``demo`` adapter: the demo operator's records from the desk's own database.

The records were written by ``complaintdesk demo`` in the platform contract's shapes and
are read back through the same validation as any platform's, so the demo exercises the
checks exactly as a live platform would. Each call is its own short read-only unit of
work: the adapter never shares the caller's transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from complaintdesk.db import Database
from complaintdesk.platform.models import DemoBet, DemoBonus, DemoCustomer, DemoTransaction
from complaintdesk.platform.records import (
    Bet,
    Bonus,
    Customer,
    Transaction,
    parse_bet,
    parse_bonus,
    parse_customer,
    parse_transaction,
)


class DemoPlatform:
    name = "demo"

    def __init__(self, db: Database) -> None:
        self.db = db

    def get_customer(self, account_id: str) -> Customer | None:
        with self.db.read() as session:
            row = session.get(DemoCustomer, account_id)
            return None if row is None else parse_customer(row.record)

    def get_bet(self, bet_id: str) -> Bet | None:
        with self.db.read() as session:
            row = session.get(DemoBet, bet_id)
            return None if row is None else parse_bet(row.record)

    def customer_bets(self, account_id: str, *, since: dt.datetime | None) -> list[Bet] | None:
        with self.db.read() as session:
            if session.get(DemoCustomer, account_id) is None:
                return None
            query = select(DemoBet.record).where(DemoBet.account_id == account_id)
            if since is not None:
                query = query.where(DemoBet.placed_at >= since)
            records = session.scalars(query.order_by(DemoBet.placed_at, DemoBet.bet_id)).all()
        return [parse_bet(r) for r in records]

    def customer_transactions(
        self, account_id: str, *, since: dt.datetime | None
    ) -> list[Transaction] | None:
        with self.db.read() as session:
            if session.get(DemoCustomer, account_id) is None:
                return None
            query = select(DemoTransaction.record).where(DemoTransaction.account_id == account_id)
            if since is not None:
                query = query.where(DemoTransaction.created_at >= since)
            records = session.scalars(
                query.order_by(DemoTransaction.created_at.desc(), DemoTransaction.transaction_id)
            ).all()
        return [parse_transaction(r) for r in records]

    def customer_bonuses(self, account_id: str) -> list[Bonus] | None:
        with self.db.read() as session:
            if session.get(DemoCustomer, account_id) is None:
                return None
            records = session.scalars(
                select(DemoBonus.record)
                .where(DemoBonus.account_id == account_id)
                .order_by(DemoBonus.bonus_id)
            ).all()
        return [parse_bonus(r) for r in records]
