"""The explanation of a verdict: one plain sentence per rule applied, in English or Russian.

The settlement code says *what* happened by calling one method of :class:`Sentences` per
step; each language writes the sentence its own way (word order, plural forms, ordinal
numbers). Sentences are written to be pasted into a reply to the customer, so they name
the leg, quote the figures the customer can check, and avoid the trade's shorthand
where a plain word will do.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from complaintdesk.betting.settlement.formatting import number, units_text
from complaintdesk.betting.settlement.odds import Odds
from complaintdesk.betting.settlement.records import BetRecord, DeadHeat, Leg

# Half of a quarter-line bet: the line it settles on, the margin over it, and the result.
Half = tuple[Fraction, Fraction, str]
HALF_WON_OUTCOME = "won"
HALF_PUSH_OUTCOME = "push"
HALF_LOST_OUTCOME = "lost"


@dataclass(frozen=True, slots=True)
class Rule4:
    """What Rule 4 did to one selection: the deductions, their total and what applied.

    ``applied`` is the share of winnings taken: the total, or the cap when the total is
    above it, or 0 when the operator waives a total below ``waive_below``.
    """

    deductions: tuple[Fraction, ...]
    total: Fraction
    applied: Fraction
    cap: Fraction
    waive_below: Fraction | None


class Sentences(ABC):
    """One method per step of a settlement; each returns one finished sentence.

    Money arguments are exact ``Fraction`` amounts; the sentence formats them with the
    bet's currency (``25.00 GBP``). ``label`` is what :meth:`leg_label` returned.
    """

    def __init__(self, currency: str, places: int) -> None:
        self.currency = currency
        self.places = places

    def units(self, count: int) -> str:
        """An amount given in minor units, as text with the currency: 250 → "2.50 GBP"."""
        return f"{units_text(count, self.places)} {self.currency}"

    # -- the bet as a whole -------------------------------------------------------------
    @abstractmethod
    def leg_label(self, leg: Leg, only: bool) -> str:
        """How sentences name a leg: by number, or as "the selection" on a one-leg bet."""

    @abstractmethod
    def shape(
        self,
        record: BetRecord,
        by_size: Sequence[tuple[int, int]],
        combos: int,
        line_stake: str,
    ) -> str:
        """The kind of bet, its lines and the stake of one line."""

    @abstractmethod
    def each_way(self, combos: int, lines: int, line_stake: str) -> str:
        """Each way doubles the lines: a win bet and a place bet per combination."""

    @abstractmethod
    def stake_split(self, stake: str, lines: int, line_stake: str) -> str:
        """``stake_per: bet``: the stake is the outlay, shared equally by the lines."""

    @abstractmethod
    def outlay(self, lines: int, line_stake: str, outlay: str) -> str:
        """The total staked over several lines."""

    # -- prices -------------------------------------------------------------------------
    @abstractmethod
    def odds_converted(self, label: str, odds: Odds) -> str:
        """A fractional, "evens" or American price and its decimal value."""

    @abstractmethod
    def palpable_error(self, label: str, taken: Odds, correct: Odds) -> str:
        """The price was an obvious error; the leg settles at the correct one."""

    @abstractmethod
    def best_odds(self, label: str, taken: Odds, starting_price: Odds, uses_sp: bool) -> str:
        """Best Odds Guaranteed compared the price taken with the starting price."""

    # -- legs ---------------------------------------------------------------------------
    @abstractmethod
    def fixed_result(self, label: str, result: str, price: Odds, factor: Fraction) -> str:
        """A fixed-odds leg's result and its factor."""

    @abstractmethod
    def fixed_dead_heat(
        self, label: str, dead_heat: DeadHeat, price: Odds, factor: Fraction
    ) -> str:
        """A fixed-odds selection that won in a dead heat."""

    @abstractmethod
    def in_play(
        self,
        label: str,
        final: tuple[int, int],
        at_placement: tuple[int, int],
        counted: tuple[int, int],
    ) -> str:
        """An in-play handicap counts only the goals scored after the bet."""

    @abstractmethod
    def handicap(
        self,
        label: str,
        *,
        line: Fraction,
        counted: tuple[int, int],
        halves: Sequence[Half],
        price: Odds,
        factor: Fraction,
    ) -> str:
        """An Asian handicap: the margin over the line (or each half-line) and the factor."""

    @abstractmethod
    def total(
        self,
        label: str,
        *,
        side: str,
        line: Fraction,
        total: int,
        halves: Sequence[Half],
        price: Odds,
        factor: Fraction,
    ) -> str:
        """An Asian total: the count against the line (or each half-line) and the factor."""

    @abstractmethod
    def non_runner(self, label: str, each_way: bool) -> str:
        """A runner that did not run drops out at factor 1."""

    @abstractmethod
    def rule4(self, label: str, rule4: Rule4, price: Fraction, reduced: Fraction) -> str:
        """Rule 4 took a share of the winnings (or was capped, or waived)."""

    @abstractmethod
    def race_win(
        self,
        label: str,
        *,
        position: int | None,
        tied: int,
        price: Fraction,
        share: Fraction,
        factor: Fraction,
        each_way: bool,
    ) -> str:
        """Where the runner finished and what the win bet (or win part) makes of it."""

    @abstractmethod
    def place_part(
        self,
        label: str,
        *,
        position: int | None,
        tied: int,
        places: int,
        fraction_of_odds: Fraction,
        share: Fraction,
        price: Fraction,
        factor: Fraction,
    ) -> str:
        """The place part: placed or not, at the place fraction, with any dead heat."""

    @abstractmethod
    def each_way_multiples(self) -> str:
        """Each-way multiples pair win with win and place with place."""

    # -- the return ---------------------------------------------------------------------
    @abstractmethod
    def line_return(
        self, part: str | None, line_stake: str, factors: Sequence[Fraction], amount: str
    ) -> str:
        """A single's or an accumulator's return: the stake times each factor. ``part`` is
        ``"win"`` or ``"place"`` on an each-way bet, else None."""

    @abstractmethod
    def system_return(
        self, part: str | None, by_size: Sequence[tuple[int, int, str]], amount: str
    ) -> str:
        """A system's return, size by size: ``(k, lines, amount)``."""

    @abstractmethod
    def each_way_return(self, win: str, place: str, amount: str) -> str:
        """The win part and the place part added up."""

    @abstractmethod
    def free_bet(self, gross: str, outlay: str, amount: str, below_stake: bool) -> str:
        """A free bet's stake is not returned."""

    @abstractmethod
    def max_winnings(self, cap: str, winnings: str, amount: str) -> str:
        """The operator's maximum winnings cut the winnings."""

    @abstractmethod
    def cash_out(self, amount: str) -> str:
        """A cashed-out bet returns the amount accepted, whatever the results."""

    @abstractmethod
    def rounding(self, exact: str, rounded: str) -> str:
        """The one rounding of the bet, half up to the currency's smallest unit."""

    @abstractmethod
    def expected(self, amount: str, outlay: str, outcome: str) -> str:
        """What the bet should return and what that is against the outlay."""

    @abstractmethod
    def compared(self, paid: str, difference_units: int, verdict: str, lines: int) -> str:
        """What the operator paid against the expected return, and the verdict.

        ``difference_units`` is paid − expected in the currency's minor units; the
        tolerance of a correct verdict is one minor unit per line.
        """

    @abstractmethod
    def not_paid(self) -> str:
        """No paid return was given, so there is nothing to compare yet."""


def factor_text(value: Fraction) -> str:
    """A leg's factor in a product: "0" and "1" bare (they are not prices), others as figures."""
    if value.denominator == 1 and value.numerator < 2:
        return str(value.numerator)
    return number(value)


def signed(value: Fraction) -> str:
    """A line or margin with its sign: "+0.5", "-0.75", "0"."""
    text = number(value, 0, 2)
    return f"+{text}" if value > 0 else text


def price_text(odds: Odds) -> str:
    """A price as the customer saw it, with its decimal value when it was not decimal."""
    return f"{odds.text} ({odds.shown})" if odds.needs_conversion else odds.text


def half_formula(price: Odds, first: str, second: str) -> str:
    """``(1.95 + 1) / 2``: the two half-stakes' factors of a quarter line, averaged."""
    shown = {HALF_WON_OUTCOME: price.shown, HALF_PUSH_OUTCOME: "1", HALF_LOST_OUTCOME: "0"}
    return f"({shown[first]} + {shown[second]}) / 2"
