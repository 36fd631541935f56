"""Properties that hold for every bet the rules describe, checked on generated bets.

Exact returns (``Verdict.exact_return``, before the one rounding) are compared where a
property is an identity, so that no rounding can hide or fake a difference.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.betting.money import round_money
from complaintdesk.betting.settlement import verify

FAST = settings(max_examples=150, deadline=None)

decimal_odds = st.integers(101, 5000).map(lambda n: f"{n // 100}.{n % 100:02d}")
fractional_odds = st.tuples(st.integers(1, 40), st.integers(1, 20)).map(lambda t: f"{t[0]}/{t[1]}")
american_odds = st.one_of(
    st.integers(100, 2000).map(lambda n: f"+{n}"), st.integers(100, 2000).map(lambda n: f"-{n}")
)
odds = st.one_of(decimal_odds, fractional_odds, american_odds, st.just("evens"))
results = st.sampled_from(["won", "lost", "void", "push", "half_won", "half_lost"])
stakes = st.sampled_from(["0.10", "1", "2.50", "3", "10", "33.33", "100"])
fixed_legs = st.builds(lambda o, r: {"odds": o, "result": r}, odds, results)


def exact(record: dict[str, Any]) -> Fraction:
    return verify(record).exact_return


def multiple(legs: list[dict[str, Any]], stake: str, **fields: Any) -> dict[str, Any]:
    kind = "single" if len(legs) == 1 else "accumulator"
    return {"type": kind, "currency": "GBP", "stake": stake, "legs": legs, **fields}


@FAST
@given(
    legs=st.lists(fixed_legs, min_size=3, max_size=6),
    stake=stakes,
    data=st.data(),
)
def test_a_system_returns_the_sum_of_its_combinations_as_accumulators(
    legs: list[dict[str, Any]], stake: str, data: st.DataObject
) -> None:
    sizes = data.draw(
        st.lists(st.integers(1, len(legs)), min_size=1, max_size=len(legs), unique=True)
    )
    system = {
        "type": "system",
        "system": {"sizes": sizes},
        "currency": "GBP",
        "stake": stake,
        "legs": legs,
    }

    by_combination = sum(
        (exact(multiple(list(combo), stake)) for k in sizes for combo in combinations(legs, k)),
        Fraction(0),
    )

    assert exact(system) == by_combination


@FAST
@given(legs=st.lists(fixed_legs, min_size=1, max_size=5), void_at=st.integers(0, 5), stake=stakes)
def test_a_void_leg_behaves_as_odds_of_one(
    legs: list[dict[str, Any]], void_at: int, stake: str
) -> None:
    void = {"odds": "7/2", "result": "void"}
    with_void = [*legs[:void_at], void, *legs[void_at:]]

    assert exact(multiple(with_void, stake)) == exact(multiple(legs, stake))


@st.composite
def each_way_runners(draw: st.DrawFn) -> dict[str, Any]:
    places = draw(st.integers(1, 5))
    position = draw(st.one_of(st.none(), st.integers(1, 8)))
    tied = 1 if position is None else draw(st.integers(1, 3))
    leg: dict[str, Any] = {
        "market": "race",
        "odds": draw(st.one_of(decimal_odds, fractional_odds)),
        "position": position,
        "places": places,
        "place_fraction": draw(st.sampled_from(["1", "1/2", "1/3", "1/4", "1/5", "0.2"])),
    }
    if tied > 1:
        leg["tied"] = tied
    if draw(st.booleans()):
        leg["rule4"] = draw(st.lists(st.sampled_from(["0.05", "0.1", "0.25", "0.4"]), max_size=3))
    return leg


def place_part_as_a_fixed_single(leg: dict[str, Any], stake: str) -> dict[str, Any]:
    """The place part of an each-way runner, written as a plain fixed-odds single."""
    decimal = verify(multiple([{"odds": leg["odds"], "result": "won"}], "1")).exact_return
    deduction = min(sum((Fraction(r) for r in leg.get("rule4", [])), Fraction(0)), Fraction(9, 10))
    fraction = Fraction(leg["place_fraction"])
    winnings = (decimal - 1) * (1 - deduction) * fraction  # per unit, at the place terms
    position = leg["position"]
    if position is None or position > leg["places"]:
        return multiple([{"odds": "2.0", "result": "lost"}], stake)
    place_leg: dict[str, Any] = {
        "odds": f"{winnings.numerator}/{winnings.denominator}",
        "result": "won",
    }
    if leg.get("tied", 1) > 1:
        place_leg["dead_heat"] = {
            "tied": leg["tied"],
            "places": leg["places"],
            "position": position,
        }
    return multiple([place_leg], stake)


@FAST
@given(leg=each_way_runners(), stake=stakes)
def test_each_way_is_its_win_part_plus_its_place_part(leg: dict[str, Any], stake: str) -> None:
    each_way = multiple([leg], stake, each_way=True)
    win_part = multiple([leg], stake)
    place_part = place_part_as_a_fixed_single(leg, stake)

    assert exact(each_way) == exact(win_part) + exact(place_part)
    assert verify(each_way).outlay == 2 * verify(win_part).outlay


@FAST
@given(
    goals=st.tuples(st.integers(0, 6), st.integers(0, 6)),
    price=decimal_odds,
    stake=stakes,
    count=st.integers(1, 4),
)
def test_a_push_returns_the_stake(
    goals: tuple[int, int], price: str, stake: str, count: int
) -> None:
    # The line that exactly cancels the margin: every leg pushes.
    line = str(goals[1] - goals[0])
    leg = {"market": "asian_handicap", "odds": price, "line": line, "score": list(goals)}

    verdict = verify(multiple([leg] * count, stake))

    assert verdict.expected_return == verdict.outlay
    assert verdict.outcome == "push"


@FAST
@given(
    legs=st.lists(fixed_legs, min_size=1, max_size=5),
    system=st.sampled_from([None, "trixie", "patent", "yankee", "lucky15"]),
    which=st.integers(0, 4),
    raise_by=st.integers(1, 500),
    stake=stakes,
)
def test_raising_a_winning_legs_odds_never_lowers_the_return(
    legs: list[dict[str, Any]], system: str | None, which: int, raise_by: int, stake: str
) -> None:
    if system is not None:
        legs = (legs * 4)[: 3 if system in ("trixie", "patent") else 4]
    index = which % len(legs)
    legs = [dict(leg) for leg in legs]
    legs[index]["result"] = "won"
    before = multiple(legs, stake)
    if system is not None:
        before.update(type="system", system=system)
    after = {**before, "legs": [dict(leg) for leg in legs]}
    price = verify(multiple([legs[index]], "1")).exact_return
    higher = price + Fraction(raise_by, 100)
    after["legs"][index]["odds"] = f"{higher.numerator - higher.denominator}/{higher.denominator}"

    assert exact(after) >= exact(before)


@FAST
@given(
    price=st.one_of(decimal_odds, fractional_odds),
    deductions=st.lists(st.integers(0, 95).map(lambda n: f"0.{n:02d}"), min_size=1, max_size=4),
    cap=st.integers(0, 99).map(lambda n: f"0.{n:02d}"),
    each_way=st.booleans(),
    stake=stakes,
)
def test_rule4_never_makes_a_winner_pay_less_than_its_stake(
    price: str, deductions: list[str], cap: str, each_way: bool, stake: str
) -> None:
    leg = {"market": "race", "odds": price, "position": 1, "rule4": deductions}
    if each_way:
        leg.update(places=3, place_fraction="1/4")
    verdict = verify(multiple([leg], stake, each_way=each_way, rules={"rule4_cap": cap}))

    assert verdict.expected_return >= verdict.outlay
    assert verdict.outcome in ("win", "push")


@FAST
@given(
    legs=st.lists(fixed_legs, min_size=1, max_size=4),
    stake=stakes,
    currency=st.sampled_from(["GBP", "JPY", "KWD", "EUR"]),
)
def test_the_expected_return_is_the_exact_return_rounded_once_half_up(
    legs: list[dict[str, Any]], stake: str, currency: str
) -> None:
    if currency == "JPY":  # no fractions of a yen
        whole = stake.partition(".")[0]
        stake = whole if whole != "0" else "1"
    record = {**multiple(legs, stake), "currency": currency}

    english, russian = verify(record), verify(record, language="ru")

    assert english.expected_return == round_money(english.exact_return, currency)
    assert english.to_dict() | {"explanation": None} == russian.to_dict() | {"explanation": None}


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 10)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "0", "1", "2.5", "-1", "5/2", "evens", "+150", "won", "x", "0.25"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)
BET_FIELDS = [
    "type",
    "system",
    "stake",
    "stake_per",
    "each_way",
    "free_bet",
    "cash_out",
    "max_winnings",
    "paid_return",
    "rules",
    "currency",
    "legs",
]
LEG_FIELDS = [
    "odds",
    "market",
    "result",
    "dead_heat",
    "line",
    "score",
    "score_at_placement",
    "side",
    "total",
    "position",
    "tied",
    "places",
    "place_fraction",
    "rule4",
    "non_runner",
    "starting_price",
    "bog",
    "palpable_error",
]


@FAST
@given(
    bet_field=st.sampled_from(BET_FIELDS),
    leg_field=st.sampled_from(LEG_FIELDS),
    market=st.sampled_from(["fixed", "asian_handicap", "asian_total", "race"]),
    bet_value=json_values,
    leg_value=json_values,
)
def test_any_malformed_bet_is_refused_as_invalid_input_and_nothing_else(
    bet_field: str, leg_field: str, market: str, bet_value: Any, leg_value: Any
) -> None:
    leg: dict[str, Any] = {"odds": "2.0", "market": market, leg_field: leg_value}
    record: dict[str, Any] = {"type": "single", "currency": "GBP", "stake": "1", "legs": [leg]}
    record[bet_field] = bet_value
    try:
        verdict = verify(record)
    except InvalidInput:
        return  # refused cleanly: what the contract asks of bad input
    assert verdict.expected_return >= 0
    assert verdict.explanation
