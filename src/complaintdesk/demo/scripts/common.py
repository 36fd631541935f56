"""What every demo scenario shares: the complaint it produces and small helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from complaintdesk.complaints.models import Category, Outcome
from complaintdesk.demo.bets import Leg, Slip, money
from complaintdesk.demo.operator import Customer, Operator

H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


@dataclass
class Script:
    """One complaint of the demo and how far the desk has got with it."""

    customer: Customer
    category: Category
    subject: str
    description: str
    finding: str  # what the desk found, in the customer's language (for the final response)
    bet_ids: list[str] = field(default_factory=list)
    evidence: dict[str, Any] | None = None
    compensation: Decimal | None = None
    stage: str = "new"
    outcome: Outcome | None = None

    @property
    def language(self) -> str:
        return self.customer.language


Scenario = Callable[[Operator, Customer], Script]


def russian(customer: Customer) -> bool:
    return customer.language == "ru"


def say(customer: Customer, en: str, ru: str) -> str:
    return ru if russian(customer) else en


def slip_of(
    op: Operator, customer: Customer, legs: list[Leg], *, ago: dt.timedelta, **extra: Any
) -> Slip:
    placed = op.now - ago
    slip: Slip = {
        "bet_id": op.bets.new_id(),
        "account_id": customer.account_id,
        "currency": customer.currency,
        "type": "single" if len(legs) == 1 else "accumulator",
        "stake": "10.00",
        "legs": legs,
        "placed_at": placed.isoformat(),
        "settled_at": (placed + dt.timedelta(hours=3)).isoformat(),
        "status": "settled",
        **extra,
    }
    op.book.bets.append(slip)
    return slip


def race_leg(op: Operator, customer: Customer, odds: str, **facts: Any) -> Leg:
    leg = op.bets.race_leg(customer.odds_style, each_way="places" in facts, settled=False)
    leg.update({"odds": odds, **facts})
    return leg


def amount_in(customer: Customer, amount: Decimal | str) -> str:
    return f"{money(amount)} {customer.currency}"
