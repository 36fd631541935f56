"""Prices as bet records give them: decimal, fractional, "evens" and American.

Every price becomes ``D``, the exact return per unit staked, as a
:class:`~fractions.Fraction`. A fractional price settles on its fraction (``1/3`` is
1.333…, never the 1.33 a screen may show), and an American price on its exact ratio
(``-110`` is 1 + 100/110). Parsing is cached: a busy operator's bets repeat a few
hundred prices, and building a ``Fraction`` from text is the slowest step of a single.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.betting.settlement.formatting import number
from complaintdesk.betting.settlement.values import MAX_FIGURE

DECIMAL = "decimal"
FRACTIONAL = "fractional"
EVENS = "evens"
AMERICAN = "american"

_DECIMAL = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_FRACTIONAL = re.compile(r"(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)")
_AMERICAN = re.compile(r"([+-])(\d+(?:\.\d+)?)")
_EVENS = frozenset({"evens", "evs", "even"})
_ONE = Fraction(1)
_HUNDRED = Fraction(100)


@dataclass(frozen=True, slots=True)
class Odds:
    """A price: the text as given, its style and its exact decimal value ``D`` (> 1)."""

    text: str  # without surrounding spaces
    style: str
    decimal: Fraction
    shown: str  # D for sentences: "3.50", "1.3333…"
    # The customer saw a price that is not decimal odds, so the explanation converts it.
    needs_conversion: bool
    # (D + 1) / 2, the factor of a half-won bet at this price, worked out once per price.
    half_won: Fraction

    @classmethod
    def of(cls, text: str, style: str, decimal: Fraction) -> Odds:
        """The price ``decimal`` as written ``text`` in ``style``, with what follows from it."""
        return cls(text, style, decimal, number(decimal), style != DECIMAL, (decimal + 1) / 2)


def parse_odds(value: object, field: str) -> Odds:
    """Parse a price, or raise :class:`InvalidInput` naming ``field``.

    Invariant of the result: ``decimal > 1``. A price of 1 or less would return no
    winnings (or less than the stake) on a winning bet, which no market offers.
    """
    if not isinstance(value, str):
        raise InvalidInput(
            field, 'must be a price as a string, e.g. "2.50", "5/2", "evens" or "+150"'
        )
    parsed = _parse(value)
    if isinstance(parsed, str):
        raise InvalidInput(field, parsed)
    return parsed


@lru_cache(maxsize=4096)
def _parse(text: str) -> Odds | str:
    """The price, or the reason it is not one (a string, so that failures cache too)."""
    clean = text.strip()
    if len(clean) > MAX_FIGURE:
        return f"is longer than {MAX_FIGURE} characters: not a price"
    if _DECIMAL.fullmatch(clean):
        value = Fraction(clean)
        if value <= _ONE:
            return "decimal odds must be greater than 1"
        return Odds.of(clean, DECIMAL, value)
    if clean.lower() in _EVENS:
        return Odds.of(clean, EVENS, Fraction(2))
    match = _FRACTIONAL.fullmatch(clean)
    if match:
        won, staked = Fraction(match.group(1)), Fraction(match.group(2))
        if won <= 0 or staked <= 0:
            return "fractional odds a/b need a and b greater than 0"
        value = _ONE + won / staked
        return Odds.of(clean, FRACTIONAL, value)
    match = _AMERICAN.fullmatch(clean)
    if match:
        amount = Fraction(match.group(2))
        if amount < _HUNDRED:
            return "American odds must be +100 or more, or -100 or less"
        value = _ONE + (amount / _HUNDRED if match.group(1) == "+" else _HUNDRED / amount)
        return Odds.of(clean, AMERICAN, value)
    return (
        f'{text!r} is not a price: use decimal "2.50", fractional "5/2", "evens" or American "+150"'
    )
