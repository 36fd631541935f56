"""The demo bookmaker's records: customers, their bets, payments and bonuses.

Everything is drawn from one ``random.Random`` and one ``now``, so a seed gives the same
book every time. Records are in the platform contract's shapes (``platform.md``) and are
what the ``demo`` adapter serves.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from complaintdesk.betting.wagering import explain
from complaintdesk.checks.conversion import wagering_bet
from complaintdesk.demo import world
from complaintdesk.demo.bets import BetMaker, Slip, expected_return, money
from complaintdesk.platform.records import parse_bet

Record = dict[str, Any]


@dataclass
class Customer:
    account_id: str
    name: str
    email: str
    country: str
    jurisdiction: str
    language: str
    currency: str
    kyc_status: str
    self_excluded: bool
    limits: dict[str, str]
    joined_at: dt.datetime

    @property
    def odds_style(self) -> str:
        if self.jurisdiction == "GB":
            return "fractional"
        if self.jurisdiction == "CA-ON":
            return "american"
        return "decimal"

    @property
    def payments_market(self) -> str:
        return "ru" if self.language == "ru" else self.jurisdiction

    def record(self) -> Record:
        return {
            "account_id": self.account_id,
            "email": self.email,
            "name": self.name,
            "country": self.country,
            "jurisdiction": self.jurisdiction,
            "kyc_status": self.kyc_status,
            "self_excluded": self.self_excluded,
            "limits": self.limits,
            "language": self.language,
            "currency": self.currency,
        }


@dataclass
class Book:
    """The operator's records, as the demo writes them."""

    customers: list[Customer] = field(default_factory=list)
    bets: list[Slip] = field(default_factory=list)
    transactions: list[Record] = field(default_factory=list)
    bonuses: list[Record] = field(default_factory=list)

    def bets_of(self, account: str) -> list[Slip]:
        return [b for b in self.bets if b["account_id"] == account]


class Operator:
    """Draws the book; scenarios (``demo.scripts``) add their own records through it."""

    def __init__(self, rng: random.Random, now: dt.datetime) -> None:
        self.rng = rng
        self.now = now
        self.bets = BetMaker(rng, now)
        self.book = Book()
        self._accounts = iter(rng.sample(range(100_000, 999_999), 2_000))
        self._transactions = iter(rng.sample(range(1_000_000, 9_999_999), 20_000))
        self._bonuses = iter(rng.sample(range(10_000, 99_999), 2_000))

    # --- customers ---------------------------------------------------------------------

    def customers(self, count: int) -> list[Customer]:
        weights = [m[1] for m in world.MARKETS]
        for _ in range(count):
            market = self.rng.choices(world.MARKETS, weights)[0]
            self.book.customers.append(self._customer(*market))
        return self.book.customers

    def _customer(
        self,
        jurisdiction: str,
        _share: float,
        countries: tuple[str, ...],
        currency: str,
        language: str,
    ) -> Customer:
        number = next(self._accounts)
        if language == "ru":
            (first, first_latin) = self.rng.choice(world.FIRST_RU)
            (male, female), last_latin = self.rng.choice(world.LAST_RU)
            name = f"{first} {female if first in world.FEMALE_RU else male}"
            email = f"{first_latin}.{last_latin}{number % 100}@example.com"
        else:
            first, last = self.rng.choice(world.FIRST_EN), self.rng.choice(world.LAST_EN)
            name = f"{first} {last}"
            email = f"{first.lower()}.{last.lower()}{number % 100}@example.com"
        kyc = self.rng.choices(
            ("verified", "pending", "documents_requested", "rejected"), (80, 10, 7, 3)
        )[0]
        limits: dict[str, str] = {}
        if self.rng.random() < 0.25:
            limits["deposit_daily"] = money(self.rng.choice((50, 100, 200, 500)))
        if self.rng.random() < 0.1:
            limits["loss_monthly"] = money(self.rng.choice((200, 500, 1000)))
        return Customer(
            account_id=f"AC-{number}",
            name=name,
            email=email,
            country=self.rng.choice(countries),
            jurisdiction=jurisdiction,
            language=language,
            currency=currency,
            kyc_status=kyc,
            self_excluded=self.rng.random() < 0.015,
            limits=limits,
            joined_at=self.now - dt.timedelta(days=self.rng.randint(100, 900)),
        )

    # --- activity ----------------------------------------------------------------------

    def activity(self, customer: Customer, *, bets: int) -> None:
        """A customer's deposits, bets over the last four months, and withdrawals."""
        times = sorted(
            self.now - dt.timedelta(minutes=self.rng.randint(30, 120 * 24 * 60))
            for _ in range(bets)
        )
        first = times[0] if times else self.now - dt.timedelta(days=30)
        self.payment(customer, "deposit", first - dt.timedelta(hours=self.rng.randint(1, 48)))
        for placed_at in times:
            self.book.bets.append(
                self.bets.slip(
                    customer.account_id, customer.currency, customer.odds_style, placed_at
                )
            )
            if self.rng.random() < 0.18:
                self.payment(
                    customer, "deposit", placed_at - dt.timedelta(minutes=self.rng.randint(5, 600))
                )
            if self.rng.random() < 0.07:
                self.payment(
                    customer, "withdrawal", placed_at + dt.timedelta(hours=self.rng.randint(3, 72))
                )

    def payment(
        self,
        customer: Customer,
        kind: str,
        at: dt.datetime,
        *,
        status: str | None = None,
        decline_code: str | None = None,
        reason_code: str | None = None,
        amount: str | None = None,
        method: tuple[str, str] | None = None,
    ) -> Record:
        """One deposit or withdrawal; a random fate unless the caller decides it."""
        at = min(at, self.now - dt.timedelta(minutes=5))
        method_name, provider = method or self.rng.choice(
            world.PAYMENT_METHODS[customer.payments_market]
        )
        if status is None:
            roll = self.rng.random()
            if roll < 0.08:
                status = "declined"
                decline_code = self.rng.choice(world.DECLINES[_family(method_name, provider)])
            elif roll < 0.11 and kind == "withdrawal":
                status, reason_code = "pending", self.rng.choice(world.HOLDS)
            elif roll < 0.13:
                status = "cancelled"
            else:
                status = "completed"
        record: Record = {
            "transaction_id": f"TX-{next(self._transactions)}",
            "account_id": customer.account_id,
            "kind": kind,
            "amount": amount
            or money(self.rng.choice((10, 20, 25, 50, 50, 100, 100, 200, 250, 500))),
            "currency": customer.currency,
            "method": method_name,
            "provider": provider,
            "status": status,
            "created_at": at.isoformat(),
            "updated_at": (at + dt.timedelta(minutes=self.rng.randint(0, 90))).isoformat(),
        }
        if decline_code:
            record["decline_code"] = decline_code
        if reason_code:
            record["reason_code"] = reason_code
        self.book.transactions.append(record)
        return record

    def bonus(
        self,
        customer: Customer,
        activated_at: dt.datetime,
        *,
        deposit: int = 100,
        multiplier: str = "5",
        base: str = "bonus",
        min_odds: str | None = "1.50",
        max_bet: str | None = None,
        excluded_markets: list[str] | None = None,
        max_conversion: str | None = None,
        days: int = 30,
        name: str = "Welcome bonus",
    ) -> Record:
        """A bonus with its terms; its status follows its wagering, as the explainer sees it."""
        amount = money(min(deposit, 200))
        terms: Record = {
            "bonus_id": f"BN-{next(self._bonuses)}",
            "account_id": customer.account_id,
            "name": name,
            "amount": amount,
            "deposit": money(deposit),
            "currency": customer.currency,
            "wagering": {"multiplier": multiplier, "base": base},
            "activated_at": activated_at.isoformat(),
            "expires_at": (activated_at + dt.timedelta(days=days)).isoformat(),
        }
        for key, value in (
            ("min_odds", min_odds),
            ("max_bet", max_bet),
            ("excluded_markets", excluded_markets),
            ("max_conversion", max_conversion),
        ):
            if value is not None:
                terms[key] = value
        terms["bonus_balance"] = amount
        terms["status"] = self._bonus_status(customer, terms)
        self.book.bonuses.append(terms)
        return terms

    def _bonus_status(self, customer: Customer, bonus: Record) -> str:
        start = dt.datetime.fromisoformat(bonus["activated_at"])
        end = dt.datetime.fromisoformat(bonus["expires_at"])
        bets = [
            wagering_bet(parse_bet(b))
            for b in self.book.bets_of(customer.account_id)
            if start <= dt.datetime.fromisoformat(b["placed_at"]) <= end
        ]
        terms = {
            k: v
            for k, v in bonus.items()
            if k not in ("account_id", "name", "bonus_balance", "status")
        }
        report = explain({"bonus": terms, "bets": bets}, now=self.now)
        if report.complete:
            return "completed"
        return "expired" if report.expired else "active"

    def random_bonus(self, customer: Customer) -> None:
        bets = self.book.bets_of(customer.account_id)
        if len(bets) < 4:
            return
        start = dt.datetime.fromisoformat(bets[len(bets) // 3]["placed_at"]) - dt.timedelta(hours=1)
        deposit = self.rng.choice((20, 50, 100, 100, 200))
        self.payment(
            customer,
            "deposit",
            start - dt.timedelta(minutes=20),
            status="completed",
            amount=money(deposit),
        )
        self.bonus(
            customer,
            start,
            deposit=deposit,
            multiplier=self.rng.choice(("3", "5", "5", "8")),
            base=self.rng.choice(("bonus", "bonus", "deposit_plus_bonus")),
            min_odds=self.rng.choice(("1.50", "1.75", "2.00")),
            max_bet=self.rng.choice((None, money(deposit))),
            days=self.rng.choice((14, 30, 30)),
        )


def _family(method: str, provider: str) -> str:
    if provider == "sepa":
        return "sepa"
    if provider in ("swift", "interac") or method in ("bank_transfer", "open_banking"):
        return "swift"
    if method == "ewallet":
        return "ewallet"
    return "card"


def owed(slip: Slip) -> Decimal:
    """What a mis-settled slip still owes the customer (expected return − paid)."""
    return expected_return(slip) - Decimal(slip["paid_return"])
