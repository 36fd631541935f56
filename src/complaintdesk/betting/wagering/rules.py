"""The wagering rules: whether a bet counts, the first reason it does not, what it adds.

The checks run in the contract's order of precedence and the first that applies is the
reason reported, so a customer hears the most basic reason first: an open bet is "not
settled yet" even if its odds are also too low, because settling comes before anything
else. :data:`PRECEDENCE` is that order and :func:`first_failure` follows it literally.

Interpretations that the contract leaves open, chosen here once:

- A void (or pushed) leg is not a leg: it is ignored for total odds, per-leg minimum odds,
  the count of qualifying legs, excluded markets and opposite outcomes. A bet whose every
  leg is void is a void bet whatever its status says.
- Total odds are the product of the non-void legs' odds (a single's odds for a single).
- ``min_odds`` and ``leg_min_odds`` are inclusive ("at least"); ``max_bet`` is inclusive
  (only a stake above it fails).
- The bonus window is half-open: a bet placed exactly at ``activated_at`` counts, a bet
  placed exactly at ``expires_at`` does not (the bonus has ended at that instant).
- Per-leg rules (``leg_min_odds``, ``min_qualifying_legs``) apply to multiples
  (accumulators and systems) only; a single is judged by ``min_odds``. Without
  ``leg_min_odds``, ``min_qualifying_legs`` is the minimum number of non-void legs.
- Opposite outcomes: two different bets with non-void legs on the same ``event_id`` and
  ``market`` but a different ``selection`` cover both sides; none of those bets count.
  Every bet of the case is looked at, whatever its status, because a hedge is a hedge even
  when its other half was cashed out or is still open. Legs without ``event_id``,
  ``market`` or ``selection`` cannot be matched and are never opposed.
- ``lesser_of_risk_and_win``: risk = stake, win = stake × (total odds − 1) at the odds
  taken (the possible win, not the actual result).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, localcontext
from enum import StrEnum

from complaintdesk.betting.money import round_money
from complaintdesk.betting.wagering.terms import Bet, Terms


class ReasonCode(StrEnum):
    """Why a bet counts or not. Declared in the contract's order of precedence."""

    NOT_SETTLED = "not_settled"
    CASHED_OUT = "cashed_out"
    VOID = "void"
    FREE_BET = "free_bet"
    PLACED_BEFORE_ACTIVATION = "placed_before_activation"
    PLACED_AFTER_EXPIRY = "placed_after_expiry"
    BET_TYPE_NOT_ALLOWED = "bet_type_not_allowed"
    EXCEEDS_MAX_BET = "exceeds_max_bet"
    EXCLUDED_MARKET = "excluded_market"
    OPPOSITE_OUTCOMES = "opposite_outcomes"
    BELOW_MIN_ODDS = "below_min_odds"
    LEG_BELOW_MIN_ODDS = "leg_below_min_odds"
    TOO_FEW_QUALIFYING_LEGS = "too_few_qualifying_legs"
    COUNTS = "counts"


# (bet, terms, ids of bets on opposite outcomes) -> the rule applies, i.e. the bet fails it.
Check = Callable[[Bet, Terms, frozenset[str]], bool]


def total_odds(bet: Bet) -> Decimal:
    """The product of the non-void legs' odds, exactly (1 when every leg is void)."""
    # Products of decimal odds are finite decimals; enough precision keeps them exact.
    with localcontext() as context:
        context.prec = 1000
        product = Decimal(1)
        for leg in bet.live_legs:
            product *= leg.odds
    return product


def is_multiple(bet: Bet) -> bool:
    return bet.type != "single"


def qualifying_legs(bet: Bet, terms: Terms) -> int:
    """Non-void legs at or above the per-leg minimum (all non-void legs without one)."""
    floor = terms.leg_min_odds
    return sum(1 for leg in bet.live_legs if floor is None or leg.odds >= floor)


def _not_settled(bet: Bet, terms: Terms, opposed: frozenset[str]) -> bool:
    return bet.status == "open"


def _cashed_out(bet: Bet, terms: Terms, opposed: frozenset[str]) -> bool:
    return bet.status == "cashed_out"


def _void(bet: Bet, terms: Terms, opposed: frozenset[str]) -> bool:
    return bet.status == "void" or not bet.live_legs


def _free_bet(bet: Bet, terms: Terms, opposed: frozenset[str]) -> bool:
    return bet.free_bet


def _before_activation(bet: Bet, terms: Terms, opposed: frozenset[str]) -> bool:
    return bet.placed_at < terms.activated_at


def _after_expiry(bet: Bet, terms: Terms, opposed: frozenset[str]) -> bool:
    return bet.placed_at >= terms.expires_at


def _type_not_allowed(bet: Bet, terms: Terms, opposed: frozenset[str]) -> bool:
    return bet.type not in terms.bet_types


def _exceeds_max_bet(bet: Bet, terms: Terms, opposed: frozenset[str]) -> bool:
    return terms.max_bet is not None and bet.stake > terms.max_bet


def _excluded_market(bet: Bet, terms: Terms, opposed: frozenset[str]) -> bool:
    return any(
        leg.market is not None and leg.market.casefold() in terms.excluded_markets
        for leg in bet.live_legs
    )


def _opposite(bet: Bet, terms: Terms, opposed: frozenset[str]) -> bool:
    return bet.bet_id in opposed


def _below_min_odds(bet: Bet, terms: Terms, opposed: frozenset[str]) -> bool:
    return terms.min_odds is not None and total_odds(bet) < terms.min_odds


def _leg_below_min_odds(bet: Bet, terms: Terms, opposed: frozenset[str]) -> bool:
    # With a minimum number of qualifying legs, low legs are allowed as long as enough
    # legs reach the minimum: that shortfall is the next rule's reason, not this one.
    return (
        is_multiple(bet)
        and terms.leg_min_odds is not None
        and terms.min_qualifying_legs is None
        and any(leg.odds < terms.leg_min_odds for leg in bet.live_legs)
    )


def _too_few_legs(bet: Bet, terms: Terms, opposed: frozenset[str]) -> bool:
    return (
        is_multiple(bet)
        and terms.min_qualifying_legs is not None
        and qualifying_legs(bet, terms) < terms.min_qualifying_legs
    )


PRECEDENCE: tuple[tuple[ReasonCode, Check], ...] = (
    (ReasonCode.NOT_SETTLED, _not_settled),
    (ReasonCode.CASHED_OUT, _cashed_out),
    (ReasonCode.VOID, _void),
    (ReasonCode.FREE_BET, _free_bet),
    (ReasonCode.PLACED_BEFORE_ACTIVATION, _before_activation),
    (ReasonCode.PLACED_AFTER_EXPIRY, _after_expiry),
    (ReasonCode.BET_TYPE_NOT_ALLOWED, _type_not_allowed),
    (ReasonCode.EXCEEDS_MAX_BET, _exceeds_max_bet),
    (ReasonCode.EXCLUDED_MARKET, _excluded_market),
    (ReasonCode.OPPOSITE_OUTCOMES, _opposite),
    (ReasonCode.BELOW_MIN_ODDS, _below_min_odds),
    (ReasonCode.LEG_BELOW_MIN_ODDS, _leg_below_min_odds),
    (ReasonCode.TOO_FEW_QUALIFYING_LEGS, _too_few_legs),
)
"""The checks in the contract's order: the first that applies is the bet's reason."""


def first_failure(bet: Bet, terms: Terms, opposed: frozenset[str]) -> ReasonCode:
    """The first rule ``bet`` fails, in order of precedence, or ``COUNTS`` if none."""
    for code, applies in PRECEDENCE:
        if applies(bet, terms, opposed):
            return code
    return ReasonCode.COUNTS


def contribution(bet: Bet, terms: Terms) -> Decimal:
    """What a counting bet adds to the wagering, rounded once to the minor unit.

    By stake, or by the lesser of the stake (the risk) and the possible win at the odds
    taken, stake × (total odds − 1), so that a bet at very short odds adds only what it
    could have won.
    """
    if terms.counts == "stake":
        return round_money(bet.stake, terms.currency)
    win = bet.stake * (total_odds(bet) - 1)
    return round_money(min(bet.stake, win), terms.currency)


def opposite_outcomes(bets: Iterable[Bet]) -> Mapping[str, tuple[str, ...]]:
    """Each bet on an opposite outcome to another bet, with the ids of those other bets.

    Outcomes are matched on (event_id, market), case-insensitively; two bets oppose each
    other when one has a selection there that the other does not share.
    """
    sides: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for bet in bets:
        for leg in bet.live_legs:
            if leg.event_id is None or leg.market is None or leg.selection is None:
                continue
            key = (leg.event_id.casefold(), leg.market.casefold())
            sides[key][bet.bet_id].add(leg.selection.casefold())
    partners: dict[str, set[str]] = defaultdict(set)
    for by_bet in sides.values():
        for bet_id, chosen in by_bet.items():
            for other_id, other_chosen in by_bet.items():
                if other_id != bet_id and (chosen - other_chosen or other_chosen - chosen):
                    partners[bet_id].add(other_id)
    return {bet_id: tuple(sorted(others)) for bet_id, others in partners.items()}
