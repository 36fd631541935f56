"""The validated bet: typed records built once by :mod:`.parse` and trusted afterwards.

Settlement code never re-checks what these records hold; their invariants are stated
here and enforced in one place, the parser. The records of legs and bets are not frozen
although nothing mutates them: a frozen dataclass sets every field through
``object.__setattr__``, which made building them the costliest step of verifying a
single, and they never leave the verifier.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from complaintdesk.betting.settlement.odds import Odds
from complaintdesk.betting.settlement.profile import Rules

# Results of a fixed-odds selection. "push" is the contract's factor-1 outcome written
# as a result (an operator's own push markets); it settles exactly as "void" does.
WON = "won"
LOST = "lost"
VOID = "void"
PUSH = "push"
HALF_WON = "half_won"
HALF_LOST = "half_lost"
RESULTS = frozenset({WON, LOST, VOID, PUSH, HALF_WON, HALF_LOST})

SINGLE = "single"
ACCUMULATOR = "accumulator"
SYSTEM = "system"

PER_LINE = "line"
PER_BET = "bet"


@dataclass(frozen=True, slots=True)
class DeadHeat:
    """``tied`` runners share ``position`` of a market paying ``places`` places.

    Invariant: 1 ≤ position ≤ places and tied ≥ 1, so the share ``k`` of the stake that
    stands is in (0, 1].
    """

    tied: int
    places: int
    position: int

    @property
    def share(self) -> Fraction:
        """k = min(1, (P − (p − 1)) / N): the places left for the tied runners, shared."""
        return min(Fraction(1), Fraction(self.places - self.position + 1, self.tied))


@dataclass(slots=True)
class Leg:
    """What every selection has: its number on the slip (from 1), price and display name.

    ``correct_odds`` is set when the price was a palpable error; the leg then settles at
    it instead of ``odds``.
    """

    number: int
    odds: Odds
    correct_odds: Odds | None
    name: str | None


@dataclass(slots=True)
class FixedLeg(Leg):
    """A fixed-odds selection. ``result`` is None only on a cashed-out bet.

    Invariant: ``dead_heat`` is set only with ``result == "won"``.
    """

    result: str | None
    dead_heat: DeadHeat | None


@dataclass(slots=True)
class HandicapLeg(Leg):
    """An Asian handicap. ``score`` is None only on a cashed-out bet.

    Invariant: ``score_at_placement``, when set, is component-wise ≤ ``score``.
    """

    line: Fraction
    score: tuple[int, int] | None
    score_at_placement: tuple[int, int] | None


@dataclass(slots=True)
class TotalLeg(Leg):
    """An Asian total, ``over`` or ``under`` a line ≥ 0. ``total`` None only when cashed out."""

    side: str
    line: Fraction
    total: int | None


@dataclass(slots=True)
class RaceLeg(Leg):
    """A runner in a race (or any place market).

    ``position`` is None when unplaced (or when a cashed-out bet does not say).
    ``places`` and ``place_fraction`` are the each-way terms; the parser guarantees both
    on every runner of an each-way bet that ran. ``rule4`` holds the deductions that
    apply to this bet, each in [0, 1).
    """

    position: int | None
    tied: int
    places: int | None
    place_fraction: Fraction | None
    rule4: tuple[Fraction, ...]
    non_runner: bool
    starting_price: Odds | None
    bog: bool


AnyLeg = FixedLeg | HandicapLeg | TotalLeg | RaceLeg


@dataclass(slots=True)
class BetRecord:
    """A bet ready to settle.

    Invariants: every size in ``sizes`` is between 1 and ``len(legs)``, strictly
    increasing; ``stake`` > 0 and, like every amount, has no more decimals than
    ``places`` (the currency's minor unit); ``settled`` is False only when ``cash_out``
    is set, and then leg results may be missing.
    """

    bet_id: str | int | None
    currency: str
    places: int
    kind: str
    system: str | None
    sizes: tuple[int, ...]
    stake: Fraction
    stake_per: str
    each_way: bool
    free_bet: bool
    cash_out: Fraction | None
    max_winnings: Fraction | None
    paid_return: Fraction | None
    rules: Rules
    legs: tuple[AnyLeg, ...]
