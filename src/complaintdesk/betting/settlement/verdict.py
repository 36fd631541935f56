"""The verdict on a bet: what it should have returned, what was paid, and why."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

WIN = "win"
PUSH = "push"
PARTIAL_LOSS = "partial_loss"
LOSS = "loss"

CORRECT = "correct"
UNDERPAID = "underpaid"
OVERPAID = "overpaid"
NOT_PAID_YET = "not_paid_yet"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The settlement contract's verdict, plus two figures for callers in Python.

    Money fields are ``Decimal`` amounts quantised to the currency's minor unit
    (``Decimal("25.00")`` for GBP, ``Decimal("2500")`` for JPY). ``paid_return`` and
    ``difference`` (paid − expected) are None when nothing has been paid yet.
    ``lines`` (each-way parts counted separately) sets the rounding tolerance, and
    ``exact_return`` is the return before the bet's one rounding; neither is part of
    the JSON, which :meth:`to_dict` gives exactly as the contract publishes it.
    """

    bet_id: str | int | None
    currency: str
    expected_return: Decimal
    outlay: Decimal
    outcome: str
    paid_return: Decimal | None
    difference: Decimal | None
    verdict: str
    explanation: tuple[str, ...]
    lines: int
    exact_return: Fraction

    def to_dict(self) -> dict[str, Any]:
        """The verdict as the contract's JSON: money as strings, ``bet_id`` null if absent."""
        return {
            "bet_id": self.bet_id,
            "currency": self.currency,
            "expected_return": str(self.expected_return),
            "outlay": str(self.outlay),
            "outcome": self.outcome,
            "paid_return": None if self.paid_return is None else str(self.paid_return),
            "difference": None if self.difference is None else str(self.difference),
            "verdict": self.verdict,
            "explanation": list(self.explanation),
        }
