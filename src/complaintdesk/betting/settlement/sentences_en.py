"""English sentences of a settlement explanation."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from complaintdesk.betting.settlement.explain import (
    Half,
    Rule4,
    Sentences,
    factor_text,
    half_formula,
    price_text,
    signed,
)
from complaintdesk.betting.settlement.formatting import (
    fraction,
    number,
    percent,
)
from complaintdesk.betting.settlement.odds import AMERICAN, EVENS, FRACTIONAL, Odds
from complaintdesk.betting.settlement.records import (
    ACCUMULATOR,
    HALF_LOST,
    HALF_WON,
    LOST,
    PUSH,
    SINGLE,
    VOID,
    WON,
    BetRecord,
    DeadHeat,
    Leg,
)

SYSTEM_NAMES = {
    "trixie": "Trixie",
    "patent": "Patent",
    "yankee": "Yankee",
    "lucky15": "Lucky 15",
    "canadian": "Canadian (Super Yankee)",
    "lucky31": "Lucky 31",
    "heinz": "Heinz",
    "lucky63": "Lucky 63",
    "super_heinz": "Super Heinz",
    "goliath": "Goliath",
}
_FOLDS = {
    1: ("single", "singles"),
    2: ("double", "doubles"),
    3: ("treble", "trebles"),
    4: ("four-fold", "four-folds"),
    5: ("five-fold", "five-folds"),
    6: ("six-fold", "six-folds"),
    7: ("seven-fold", "seven-folds"),
    8: ("eight-fold", "eight-folds"),
}
_OUTCOMES = {
    "win": "a win",
    "push": "a push: the outlay comes back",
    "partial_loss": "a partial loss",
    "loss": "a loss",
}
_HALF_OUTCOMES = {"won": "won", "push": "a push", "lost": "lost"}


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def counted(n: int, one: str, many: str) -> str:
    """``1 line``, ``2 lines``."""
    return f"{n} {one if n == 1 else many}"


def folds(k: int, n: int) -> str:
    """``n`` combinations of ``k`` legs: "4 singles", "1 double", "6 4-folds"."""
    one, many = _FOLDS.get(k, (f"{k}-fold", f"{k}-folds"))
    return counted(n, one, many)


def joined(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) < 3:
        return " and ".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


class English(Sentences):
    """Sentences for customers and agents writing in English."""

    def leg_label(self, leg: Leg, only: bool) -> str:
        base = "The selection" if only else f"Leg {leg.number}"
        return f"{base} ({leg.name})" if leg.name else base

    def shape(
        self,
        record: BetRecord,
        by_size: Sequence[tuple[int, int]],
        combos: int,
        line_stake: str,
    ) -> str:
        stake = line_stake
        legs = len(record.legs)
        if record.kind == SINGLE:
            return f"A single of {stake}."
        if record.kind == ACCUMULATOR:
            name = _FOLDS.get(legs, (f"{legs}-fold",))[0]
            return (
                f"An accumulator of {legs} legs (a {name}) staking {stake} on one line: every leg "
                "has to win for it to pay, and a void leg drops out."
            )
        lines = joined([folds(k, n) for k, n in by_size])
        if record.system is not None:
            name = SYSTEM_NAMES[record.system]
            return (
                f"A {name} on {legs} selections: {counted(combos, 'line', 'lines')} ({lines}) "
                f"of {stake} each."
            )
        sizes = joined([str(k) for k, _ in by_size]).replace(" and ", " or ")
        return (
            f"A system covering every combination of {sizes} of the {legs} selections: "
            f"{counted(combos, 'line', 'lines')} ({lines}) of {stake} each."
        )

    def each_way(self, combos: int, lines: int, line_stake: str) -> str:
        if combos == 1:
            return (
                f"Each way: the bet is two bets of {line_stake}, one to win and one to "
                f"place, so {lines} lines."
            )
        return (
            f"Each way: every line is two bets of {line_stake}, one to win and one to "
            f"place, so {lines} lines in all."
        )

    def stake_split(self, stake: str, lines: int, line_stake: str) -> str:
        return (
            f"The stake of {stake} is for the whole bet, split equally over its "
            f"{counted(lines, 'line', 'lines')}: {line_stake} a line, "
            f"and the outlay is {stake}."
        )

    def outlay(self, lines: int, line_stake: str, outlay: str) -> str:
        each = line_stake
        return f"Outlay: {counted(lines, 'line', 'lines')} × {each} = {outlay}."

    def odds_converted(self, label: str, odds: Odds) -> str:
        exact = "; the exact value is used" if odds.shown.endswith("…") else ""
        if odds.style == FRACTIONAL:
            return (
                f"{label}: fractional odds {odds.text} are {odds.shown} in decimal "
                f"(1 + {odds.text.strip()}){exact}."
            )
        if odds.style == EVENS:
            return f"{label}: odds of evens are 2.00 in decimal."
        if odds.style == AMERICAN:
            text = odds.text.strip()
            ratio = f"{text[1:]}/100" if text.startswith("+") else f"100/{text[1:]}"
            return (
                f"{label}: American odds {text} are {odds.shown} in decimal (1 + {ratio}){exact}."
            )
        return f"{label}: odds {odds.text}."

    def palpable_error(self, label: str, taken: Odds, correct: Odds) -> str:
        return (
            f"{label}: the price {taken.text} was an obvious error (a palpable error), so the "
            f"leg is resettled at the correct price, {price_text(correct)}."
        )

    def best_odds(self, label: str, taken: Odds, starting_price: Odds, uses_sp: bool) -> str:
        if uses_sp:
            return (
                f"{label}: Best Odds Guaranteed: the starting price {price_text(starting_price)} "
                f"beats the price taken, {price_text(taken)}, so the leg is settled at the "
                "starting price."
            )
        return (
            f"{label}: Best Odds Guaranteed: the price taken, {price_text(taken)}, is at least the "
            f"starting price {price_text(starting_price)}, so it stands."
        )

    def fixed_result(self, label: str, result: str, price: Odds, factor: Fraction) -> str:
        if result == WON:
            return f"{label} won at {price.shown}: factor {price.shown}."
        if result == LOST:
            return f"{label} lost: factor 0."
        if result == VOID:
            return f"{label} is void: it drops out, counting as factor 1."
        if result == PUSH:
            return f"{label} is a push: its stake stands, counting as factor 1."
        if result == HALF_WON:
            return (
                f"{label} half won: half the stake wins at {price.shown} and half is returned: "
                f"factor ({price.shown} + 1) / 2 = {number(factor)}."
            )
        if result == HALF_LOST:
            return (
                f"{label} half lost: half the stake is lost and half is returned: "
                "factor 1/2 = 0.50."
            )
        return f"{label}: {result}, factor {number(factor)}."

    def fixed_dead_heat(
        self, label: str, dead_heat: DeadHeat, price: Odds, factor: Fraction
    ) -> str:
        tie = (
            f"{dead_heat.tied} tied for {ordinal(dead_heat.position)} with "
            f"{counted(dead_heat.places, 'place', 'places')} paid"
        )
        share = dead_heat.share
        if share == 1:
            return (
                f"{label} won in a dead heat ({tie}); the tie is within the paid places, so the "
                f"stake is not reduced: factor {price.shown}."
            )
        return (
            f"{label} won in a dead heat ({tie}), so only {fraction(share)} of the stake is "
            f"settled at {price.shown}: factor {fraction(share)} × {price.shown} = "
            f"{number(factor)}."
        )

    def in_play(
        self,
        label: str,
        final: tuple[int, int],
        at_placement: tuple[int, int],
        counted: tuple[int, int],
    ) -> str:
        return (
            f"{label} was struck in play at {at_placement[0]}-{at_placement[1]}; the final score "
            f"was {final[0]}-{final[1]}, so only the goals after the bet count: "
            f"{counted[0]}-{counted[1]}."
        )

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
        score = f"{counted[0]}-{counted[1]}"
        diff = counted[0] - counted[1]
        if len(halves) == 1:
            _, margin, outcome = halves[0]
            return (
                f"{label}: Asian handicap {signed(line)} at {price.shown}; with the score {score} "
                f"the margin is {diff} {'-' if line < 0 else '+'} {number(abs(line), 0, 2)} = "
                f"{signed(margin)}: {_HALF_OUTCOMES[outcome]}, factor {number(factor)}."
            )
        (low, m1, o1), (high, m2, o2) = halves
        return (
            f"{label}: Asian handicap {signed(line)} at {price.shown} is two half-stakes, on "
            f"{signed(low)} and {signed(high)}. With the score {score} the margin on "
            f"{signed(low)} is {signed(m1)} ({_HALF_OUTCOMES[o1]}) and on {signed(high)} is "
            f"{signed(m2)} ({_HALF_OUTCOMES[o2]}): factor {half_formula(price, o1, o2)} = "
            f"{number(factor)}."
        )

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
        if len(halves) == 1:
            outcome = halves[0][2]
            return (
                f"{label}: Asian total {side} {number(line, 0, 2)} at {price.shown}; the total was "
                f"{total}: {_HALF_OUTCOMES[outcome]}, factor {number(factor)}."
            )
        (low, _, o1), (high, _, o2) = halves
        low_text, high_text = number(low, 0, 2), number(high, 0, 2)
        return (
            f"{label}: Asian total {side} {number(line, 0, 2)} at {price.shown} is two "
            f"half-stakes, {side} {low_text} and {side} {high_text}. The total was {total}: "
            f"{side} {low_text} {_HALF_OUTCOMES[o1]}, {side} {high_text} {_HALF_OUTCOMES[o2]}: "
            f"factor {half_formula(price, o1, o2)} = {number(factor)}."
        )

    def non_runner(self, label: str, each_way: bool) -> str:
        both = " in both the win and the place part" if each_way else ""
        return f"{label} was a non-runner: it drops out, counting as factor 1{both}."

    def rule4(self, label: str, rule4: Rule4, price: Fraction, reduced: Fraction) -> str:
        listed = joined([percent(d) for d in rule4.deductions])
        if rule4.applied == 0 and rule4.waive_below is not None and rule4.total > 0:
            return (
                f"{label}: the Rule 4 deduction{'s' if len(rule4.deductions) > 1 else ''} of "
                f"{listed} (a total of {percent(rule4.total)}) is below the operator's threshold "
                f"of {percent(rule4.waive_below)} and is waived."
            )
        if len(rule4.deductions) == 1:
            what = f"a deduction of {listed}"
        else:
            what = f"deductions of {listed} added together"
        if rule4.applied < rule4.total:
            what += f", a total of {percent(rule4.total)} capped at {percent(rule4.cap)}"
        return (
            f"{label}: Rule 4 takes {percent(rule4.applied)} of the winnings ({what}): odds "
            f"{number(price)} become 1 + {number(price - 1)} × {number(1 - rule4.applied)} = "
            f"{number(reduced)}."
        )

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
        loses = "the win part loses" if each_way else "the bet loses"
        if position is None:
            return f"{label} was unplaced: {loses}, factor 0."
        if position != 1:
            heat = " in a dead heat" if tied > 1 else ""
            return f"{label} finished {ordinal(position)}{heat}: {loses}, factor 0."
        part = "the win part's " if each_way else "the "
        if tied == 1:
            what = "win part factor" if each_way else "factor"
            return f"{label} won at {number(price)}: {what} {number(price)}."
        others = counted(tied - 1, "other runner", "other runners")
        return (
            f"{label} dead-heated for 1st with {others}, so only {fraction(share)} of {part}stake "
            f"wins at {number(price)}: factor {fraction(share)} × {number(price)} = "
            f"{number(factor)}."
        )

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
        paid = counted(places, "place", "places")
        if position is None:
            return f"{label}, place part: unplaced with {paid} paid: factor 0."
        if position > places:
            return f"{label}, place part: {ordinal(position)} is outside the {paid} paid: factor 0."
        place_price = 1 + (price - 1) * fraction_of_odds
        terms = (
            f"{label}, place part: placed {ordinal(position)} with {paid} paid, at "
            f"{fraction(fraction_of_odds)} the odds: 1 + {number(price - 1)} × "
            f"{fraction(fraction_of_odds)} = {number(place_price)}"
        )
        if tied == 1:
            return f"{terms}, factor {number(factor)}."
        others = counted(tied - 1, "other runner", "other runners")
        if share == 1:
            return (
                f"{terms}; the dead heat with {others} is within the places, so the stake is "
                f"not reduced: factor {number(factor)}."
            )
        return (
            f"{terms}; in a dead heat with {others} only {fraction(share)} of the place stake "
            f"stands: factor {fraction(share)} × {number(place_price)} = {number(factor)}."
        )

    def each_way_multiples(self) -> str:
        return (
            "Each-way multiples settle win-to-win and place-to-place: the win lines use the legs' "
            "win factors and the place lines their place factors."
        )

    def line_return(
        self, part: str | None, line_stake: str, factors: Sequence[Fraction], amount: str
    ) -> str:
        steps = " × ".join(factor_text(f) for f in factors)
        return f"{_part(part)}: {line_stake} × {steps} = {amount}."

    def system_return(
        self, part: str | None, by_size: Sequence[tuple[int, int, str]], amount: str
    ) -> str:
        if len(by_size) == 1:
            k, n, _ = by_size[0]
            return f"{_part(part)} of the {folds(k, n)}: {amount}."
        pieces = " + ".join(f"{folds(k, n)} {value}" for k, n, value in by_size)
        return f"{_part(part)}: {pieces} = {amount}."

    def each_way_return(self, win: str, place: str, amount: str) -> str:
        return f"Each way: win part {win} + place part {place} = {amount}."

    def free_bet(self, gross: str, outlay: str, amount: str, below_stake: bool) -> str:
        if below_stake:
            return (
                f"Free bet: the {outlay} stake is not returned; the {gross} "
                f"returned is less than the stake, so the bet returns {amount}."
            )
        return (
            f"Free bet: the {outlay} stake is not returned, so the bet returns "
            f"{gross} − {outlay} = {amount}."
        )

    def max_winnings(self, cap: str, winnings: str, amount: str) -> str:
        return (
            f"Maximum winnings of {cap} apply: winnings of {winnings} are cut "
            f"to {cap}, so the bet returns {amount}."
        )

    def cash_out(self, amount: str) -> str:
        return (
            f"The bet was cashed out for {amount}: that accepted amount is its return, "
            "whatever the results."
        )

    def rounding(self, exact: str, rounded: str) -> str:
        return f"The exact return, {exact}, is rounded once, half up, to {rounded}."

    def expected(self, amount: str, outlay: str, outcome: str) -> str:
        return f"Expected return: {amount} on an outlay of {outlay}: {_OUTCOMES[outcome]}."

    def compared(self, paid: str, difference_units: int, verdict: str, lines: int) -> str:
        paid_text = paid
        gap = self.units(abs(difference_units))
        if difference_units == 0:
            return f"The operator paid {paid_text}, exactly as due: the settlement is correct."
        more_or_less = "more" if difference_units > 0 else "less"
        if verdict == "correct":
            unit = self.units(1)
            return (
                f"The operator paid {paid_text}, {gap} {more_or_less} than due, within the "
                f"rounding tolerance of {self.units(lines)} ({unit} per line, "
                f"{counted(lines, 'line', 'lines')}): the settlement is correct."
            )
        if verdict == "underpaid":
            return (
                f"The operator paid {paid_text}, {gap} less than due: the bet was underpaid "
                f"by {gap}."
            )
        return f"The operator paid {paid_text}, {gap} more than due: the bet was overpaid by {gap}."

    def not_paid(self) -> str:
        return "No paid return is recorded yet, so there is nothing to compare: not paid yet."


def _part(part: str | None) -> str:
    if part == "win":
        return "Win part"
    if part == "place":
        return "Place part"
    return "Return"
