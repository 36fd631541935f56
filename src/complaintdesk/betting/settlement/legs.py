"""Settling one leg: its factor ``F``, the return per unit staked on it.

Every leg yields a win factor and, on an each-way bet, a place factor; multiples then
combine win factors with win factors and place factors with place factors. Each rule
applied appends one sentence to the explanation, in the order a reader needs them:
the price (conversion, palpable error, Best Odds Guaranteed), then what reduces it
(Rule 4), then the result (and dead heat) and the factor that follows.
"""

from __future__ import annotations

from fractions import Fraction

from complaintdesk.betting.settlement.explain import (
    HALF_LOST_OUTCOME,
    HALF_PUSH_OUTCOME,
    HALF_WON_OUTCOME,
    Half,
    Rule4,
    Sentences,
)
from complaintdesk.betting.settlement.odds import Odds
from complaintdesk.betting.settlement.profile import Rules
from complaintdesk.betting.settlement.records import (
    HALF_LOST,
    HALF_WON,
    LOST,
    WON,
    AnyLeg,
    FixedLeg,
    HandicapLeg,
    RaceLeg,
    TotalLeg,
)

ZERO = Fraction(0)
ONE = Fraction(1)
HALF = Fraction(1, 2)
_QUARTER = Fraction(1, 4)

Factors = tuple[Fraction, Fraction | None]


def settle_leg(
    leg: AnyLeg, *, each_way: bool, only: bool, rules: Rules, say: Sentences, out: list[str]
) -> Factors:
    """The leg's (win factor, place factor); the place factor is None unless each way.

    ``only`` says the leg is the bet's only one (sentences then name it "the
    selection"). Sentences for each rule applied are appended to ``out``.
    """
    label = say.leg_label(leg, only)
    if isinstance(leg, RaceLeg):
        return _race(leg, label, each_way=each_way, rules=rules, say=say, out=out)
    price = _price(leg.odds, leg.correct_odds, label, say, out)
    if isinstance(leg, FixedLeg):
        return _fixed(leg, price, label, say, out), None
    if isinstance(leg, HandicapLeg):
        return _handicap(leg, price, label, say, out), None
    return _total(leg, price, label, say, out), None


def _price(odds: Odds, correct: Odds | None, label: str, say: Sentences, out: list[str]) -> Odds:
    """The price the leg settles at, saying how it was read and any palpable error."""
    if odds.needs_conversion:
        out.append(say.odds_converted(label, odds))
    if correct is not None:
        out.append(say.palpable_error(label, odds, correct))
        return correct
    return odds


def _fixed(leg: FixedLeg, price: Odds, label: str, say: Sentences, out: list[str]) -> Fraction:
    result = leg.result
    decimal = price.decimal
    if result == WON:
        if leg.dead_heat is not None:
            factor = leg.dead_heat.share * decimal
            out.append(say.fixed_dead_heat(label, leg.dead_heat, price, factor))
            return factor
        factor = decimal
    elif result == LOST:
        factor = ZERO
    elif result == HALF_WON:
        factor = price.half_won
    elif result == HALF_LOST:
        factor = HALF
    else:  # void or push: the stake on this leg stands untouched
        factor = ONE
    out.append(say.fixed_result(label, str(result), price, factor))
    return factor


def _halves(
    margin_without_line: Fraction, line: Fraction, decimal: Fraction
) -> tuple[list[Half], Fraction]:
    """Settle an Asian line on a margin; a quarter line as two half-stakes.

    A quarter line (x.25, x.75) is half the stake on ``line − 0.25`` and half on
    ``line + 0.25``; each half wins (D), pushes (1) or loses (0) on its own, and the leg's
    factor is their average.
    """
    lines: tuple[Fraction, ...] = (line,)
    if line.denominator == 4:
        lines = (line - _QUARTER, line + _QUARTER)
    halves: list[Half] = []
    total = ZERO
    for half_line in lines:
        margin = margin_without_line + half_line
        if margin > 0:
            halves.append((half_line, margin, HALF_WON_OUTCOME))
            total += decimal
        elif margin == 0:
            halves.append((half_line, margin, HALF_PUSH_OUTCOME))
            total += ONE
        else:
            halves.append((half_line, margin, HALF_LOST_OUTCOME))
    return halves, total / len(lines)


def _handicap(
    leg: HandicapLeg, price: Odds, label: str, say: Sentences, out: list[str]
) -> Fraction:
    score = leg.score
    if score is None:  # only a cashed-out bet leaves it out, and that one is not settled
        raise ValueError("a handicap leg without a score cannot be settled")
    counted = score
    if leg.score_at_placement is not None:
        before = leg.score_at_placement
        counted = (score[0] - before[0], score[1] - before[1])
        out.append(say.in_play(label, score, before, counted))
    halves, factor = _halves(Fraction(counted[0] - counted[1]), leg.line, price.decimal)
    out.append(
        say.handicap(
            label, line=leg.line, counted=counted, halves=halves, price=price, factor=factor
        )
    )
    return factor


def _total(leg: TotalLeg, price: Odds, label: str, say: Sentences, out: list[str]) -> Fraction:
    if leg.total is None:  # only a cashed-out bet leaves it out, and that one is not settled
        raise ValueError("a total leg without a total cannot be settled")
    # Over wins by (total − line); under by (line − total): one margin rule for both.
    if leg.side == "over":
        halves, factor = _halves(Fraction(leg.total), -leg.line, price.decimal)
        halves = [(-half_line, margin, outcome) for half_line, margin, outcome in halves]
        halves.sort()
    else:
        halves, factor = _halves(Fraction(-leg.total), leg.line, price.decimal)
    out.append(
        say.total(
            label,
            side=leg.side,
            line=leg.line,
            total=leg.total,
            halves=halves,
            price=price,
            factor=factor,
        )
    )
    return factor


def rule4_applied(deductions: tuple[Fraction, ...], rules: Rules) -> Rule4:
    """Sum the deductions, waive a small total if the operator does, cap the rest."""
    total = sum(deductions, ZERO)
    if rules.rule4_waive_total_below is not None and total < rules.rule4_waive_total_below:
        applied = ZERO
    else:
        applied = min(total, rules.rule4_cap)
    return Rule4(deductions, total, applied, rules.rule4_cap, rules.rule4_waive_total_below)


def _race(
    leg: RaceLeg, label: str, *, each_way: bool, rules: Rules, say: Sentences, out: list[str]
) -> Factors:
    if leg.non_runner:
        out.append(say.non_runner(label, each_way))
        return ONE, (ONE if each_way else None)
    taken = _price(leg.odds, leg.correct_odds, label, say, out)
    price = taken
    if leg.bog and leg.starting_price is not None:
        uses_sp = leg.starting_price.decimal > taken.decimal
        out.append(say.best_odds(label, taken, leg.starting_price, uses_sp))
        if uses_sp:
            price = leg.starting_price
    decimal = price.decimal

    position, tied = leg.position, leg.tied
    won = position == 1
    placed = each_way and position is not None and leg.places is not None and position <= leg.places
    if leg.rule4 and (won or placed):
        # Rule 4 takes a share of the winnings (D − 1), never of the stake, in both parts.
        rule4 = rule4_applied(leg.rule4, rules)
        reduced = ONE + (decimal - 1) * (1 - rule4.applied)
        out.append(say.rule4(label, rule4, decimal, reduced))
        decimal = reduced

    # A dead heat for the win is a dead heat in a market paying one place.
    win_share = min(ONE, Fraction(1, tied)) if won else ZERO
    win_factor = win_share * decimal if won else ZERO
    out.append(
        say.race_win(
            label,
            position=position,
            tied=tied,
            price=decimal,
            share=win_share,
            factor=win_factor,
            each_way=each_way,
        )
    )
    if not each_way:
        return win_factor, None

    places, fraction = leg.places, leg.place_fraction
    if places is None or fraction is None:  # the parser requires both on each-way runners
        raise ValueError("an each-way runner needs its place terms")
    if placed and position is not None:
        place_share = min(ONE, Fraction(places - position + 1, tied))
        place_factor = place_share * (ONE + (decimal - 1) * fraction)
    else:
        place_share, place_factor = ZERO, ZERO
    out.append(
        say.place_part(
            label,
            position=position,
            tied=tied,
            places=places,
            fraction_of_odds=fraction,
            share=place_share,
            price=decimal,
            factor=place_factor,
        )
    )
    return win_factor, place_factor
