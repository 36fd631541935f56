"""One test (or a few) per settlement rule of the contract, with figures worked by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.betting.settlement import Verdict, verify


def bet(*legs: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A GBP bet: a single for one leg, an accumulator for more, unless ``type`` says."""
    record: dict[str, Any] = {
        "type": "single" if len(legs) == 1 else "accumulator",
        "currency": "GBP",
        "stake": "10",
        "legs": list(legs),
    }
    record.update(fields)
    return record


def won(odds: str) -> dict[str, Any]:
    return {"odds": odds, "result": "won"}


def runner(odds: str, position: int | None, **fields: Any) -> dict[str, Any]:
    return {"market": "race", "odds": odds, "position": position, **fields}


def returns(record: dict[str, Any], **options: Any) -> str:
    return verify(record, **options).to_dict()["expected_return"]


# -- odds ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("odds", "expected"),
    [
        ("2.50", "25.00"),
        ("5/2", "35.00"),
        ("11/10", "21.00"),
        ("1/3", "13.33"),  # the fraction, not its displayed 1.33 (which would pay 13.30)
        ("2/7", "12.86"),  # 12.857142…
        ("evens", "20.00"),
        ("Evens", "20.00"),
        ("+150", "25.00"),
        ("-200", "15.00"),
        ("+100", "20.00"),
        ("-100", "20.00"),
        ("-110", "19.09"),  # 10 × (1 + 100/110) = 19.0909…
    ],
)
def test_every_style_of_price_settles_on_its_exact_value(odds: str, expected: str) -> None:
    assert returns(bet(won(odds))) == expected


# -- results of fixed-odds legs --------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "expected", "outcome"),
    [
        ("won", "19.00", "win"),
        ("lost", "0.00", "loss"),
        ("void", "10.00", "push"),
        ("push", "10.00", "push"),
        ("half_won", "14.50", "win"),  # 10 × (1.90 + 1) / 2
        ("half_lost", "5.00", "partial_loss"),  # half the stake back
    ],
)
def test_each_result_gives_its_factor(result: str, expected: str, outcome: str) -> None:
    verdict = verify(bet({"odds": "1.90", "result": result}))

    assert verdict.to_dict()["expected_return"] == expected
    assert verdict.outcome == outcome


def test_an_accumulator_multiplies_its_legs_and_a_lost_leg_loses_it_all() -> None:
    assert returns(bet(won("2.00"), won("1.50"), won("3/1"))) == "120.00"
    assert returns(bet(won("2.00"), {"odds": "1.50", "result": "lost"}, won("3/1"))) == "0.00"


def test_a_void_leg_drops_out_of_an_accumulator() -> None:
    treble = bet(won("2.00"), {"odds": "9.00", "result": "void"}, won("3.00"))
    assert returns(treble) == returns(bet(won("2.00"), won("3.00"))) == "60.00"


def test_an_accumulator_of_void_legs_returns_the_stake() -> None:
    verdict = verify(bet({"odds": "2.0", "result": "void"}, {"odds": "3.0", "result": "void"}))
    assert verdict.to_dict()["expected_return"] == "10.00"
    assert verdict.outcome == "push"


# -- systems ---------------------------------------------------------------------------

SYSTEM_LINES = [
    ("trixie", 3, 4),
    ("patent", 3, 7),
    ("yankee", 4, 11),
    ("lucky15", 4, 15),
    ("canadian", 5, 26),
    ("lucky31", 5, 31),
    ("heinz", 6, 57),
    ("lucky63", 6, 63),
    ("super_heinz", 7, 120),
    ("goliath", 8, 247),
]


@pytest.mark.parametrize(("name", "legs", "lines"), SYSTEM_LINES)
def test_a_named_system_has_its_lines_and_stakes_each(name: str, legs: int, lines: int) -> None:
    losers = [{"odds": "2.0", "result": "lost"}] * legs
    verdict = verify(bet(*losers, type="system", system=name, stake="1"))

    assert verdict.lines == lines
    assert verdict.to_dict()["outlay"] == f"{lines}.00"
    assert verdict.to_dict()["expected_return"] == "0.00"
    assert f"{lines} lines" in verdict.explanation[0]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Every leg at evens: a k-fold returns 2**k, and there are C(n, k) of them.
        ("trixie", "20.00"),  # 3 × 4 + 8
        ("patent", "26.00"),  # 3 × 2 + 3 × 4 + 8
        ("yankee", "72.00"),  # 6 × 4 + 4 × 8 + 16
        ("lucky15", "80.00"),  # 4 × 2 + 72
    ],
)
def test_a_system_adds_up_every_combination(name: str, expected: str) -> None:
    legs = 3 if name in ("trixie", "patent") else 4
    winners = [won("evens")] * legs
    assert returns(bet(*winners, type="system", system=name, stake="1")) == expected


def test_a_system_of_chosen_sizes_covers_every_combination_of_those_sizes() -> None:
    winners = [won("2.0"), won("2.0"), won("2.0")]
    record = bet(*winners, type="system", system={"sizes": [1, 3]}, stake="1")

    verdict = verify(record)

    assert verdict.lines == 4  # 3 singles and the treble
    assert verdict.to_dict()["expected_return"] == "14.00"  # 3 × 2 + 8


def test_stake_per_bet_splits_the_stake_over_the_lines() -> None:
    winners = [won("2.0"), won("3.0"), won("4.0")]
    record = bet(*winners, type="system", system="trixie", stake="1", stake_per="bet")

    verdict = verify(record).to_dict()

    assert verdict["outlay"] == "1.00"
    # 0.25 a line on 4 lines: doubles 6 + 8 + 12, treble 24, all × 0.25.
    assert verdict["expected_return"] == "12.50"


def test_a_stake_that_does_not_divide_evenly_is_split_exactly_and_rounded_once() -> None:
    winners = [won("2.0")] * 3
    record = bet(*winners, type="system", system="patent", stake="1", stake_per="bet")

    verdict = verify(record).to_dict()

    assert verdict["outlay"] == "1.00"
    assert verdict["expected_return"] == "3.71"  # 26 / 7 = 3.714285…


# -- Asian handicap and totals ---------------------------------------------------------


def handicap(line: str, score: list[int], **fields: Any) -> dict[str, Any]:
    return {"market": "asian_handicap", "odds": "2.00", "line": line, "score": score, **fields}


@pytest.mark.parametrize(
    ("line", "score", "expected"),
    [
        ("0", [1, 0], "200.00"),
        ("0", [0, 0], "100.00"),
        ("-0.5", [1, 1], "0.00"),
        ("+0.5", [1, 1], "200.00"),
        ("+0.25", [1, 1], "150.00"),  # half on 0 pushes, half on +0.5 wins
        ("-0.25", [2, 1], "200.00"),
        ("+0.75", [0, 1], "50.00"),  # half on +0.5 loses, half on +1 pushes
        ("-1.25", [2, 1], "50.00"),  # half on -1 pushes, half on -1.5 loses
        ("-1.75", [3, 1], "150.00"),  # half on -1.5 wins, half on -2 pushes
        ("-2", [3, 1], "100.00"),
        ("1", [0, 2], "0.00"),
    ],
)
def test_asian_handicap_settles_on_the_margin_over_the_line(
    line: str, score: list[int], expected: str
) -> None:
    assert returns(bet(handicap(line, score), stake="100")) == expected


def test_an_in_play_handicap_counts_only_the_goals_after_the_bet() -> None:
    # Final 2-2, but the bet was struck at 2-0: the goals that count make it 0-2.
    record = bet(handicap("+1.5", [2, 2], score_at_placement=[2, 0]), stake="100")
    assert returns(record) == "0.00"
    # The same line on the whole match would have won.
    assert returns(bet(handicap("+1.5", [2, 2]), stake="100")) == "200.00"


@pytest.mark.parametrize(
    ("side", "line", "total", "expected"),
    [
        ("over", "2.5", 3, "200.00"),
        ("over", "2.5", 2, "0.00"),
        ("over", "3", 3, "100.00"),
        ("over", "2.75", 3, "150.00"),  # over 2.5 wins, over 3 pushes
        ("under", "2.75", 3, "50.00"),  # under 2.5 loses, under 3 pushes
        ("under", "2.25", 1, "200.00"),
        ("over", "0.25", 0, "50.00"),
    ],
)
def test_asian_total_settles_on_the_count_against_the_line(
    side: str, line: str, total: int, expected: str
) -> None:
    leg = {"market": "asian_total", "odds": "2.00", "side": side, "line": line, "total": total}
    assert returns(bet(leg, stake="100")) == expected


def test_asian_legs_combine_in_an_accumulator_like_any_other() -> None:
    half_won = handicap("-0.25", [1, 0])  # wins outright: 2.00
    pushed = {"market": "asian_total", "odds": "1.90", "side": "over", "line": "2", "total": 2}
    assert returns(bet(half_won, pushed, won("1.50"))) == "30.00"


# -- dead heats ------------------------------------------------------------------------


def test_a_fixed_odds_dead_heat_settles_a_share_of_the_stake() -> None:
    two_way = {"odds": "3.0", "result": "won", "dead_heat": {"tied": 2}}
    assert returns(bet(two_way)) == "15.00"
    # Three tie for 2nd of 3 places: 2 places left for 3 runners, k = 2/3.
    three_way = {
        "odds": "4.0",
        "result": "won",
        "dead_heat": {"tied": 3, "places": 3, "position": 2},
    }
    assert returns(bet(three_way, stake="9")) == "24.00"
    # A tie inside the paid places costs nothing: 2 tie for 1st of 3 places.
    inside = {
        "odds": "4.0",
        "result": "won",
        "dead_heat": {"tied": 2, "places": 3, "position": 1},
    }
    assert returns(bet(inside)) == "40.00"


def test_a_dead_heat_for_the_win_applies_within_each_part_of_an_each_way_bet() -> None:
    # 5/1, two dead-heat for 1st, 3 places at 1/4 the odds.
    leg = runner("5/1", 1, tied=2, places=3, place_fraction="1/4")
    # Win part: 10 × 6 / 2 = 30. Place part: both placed, no reduction: 10 × 2.25 = 22.50.
    assert returns(bet(leg, each_way=True)) == "52.50"


def test_a_dead_heat_for_the_last_place_halves_the_place_part() -> None:
    leg = runner("10/1", 3, tied=2, places=3, place_fraction="1/5")
    # Win part lost. Place part: 10 × (1 + 10/5) × 1/2 = 15.
    assert returns(bet(leg, each_way=True)) == "15.00"


# -- races: each way, Rule 4, BOG, non-runners -------------------------------------------


def test_each_way_doubles_the_outlay_and_settles_two_parts() -> None:
    leg = runner("7/4", 2, places=4, place_fraction="1/4")
    verdict = verify(bet(leg, each_way=True))

    assert verdict.to_dict()["outlay"] == "20.00"
    assert verdict.lines == 2
    assert verdict.to_dict()["expected_return"] == "14.38"  # place only: 10 × 1.4375
    assert verdict.outcome == "partial_loss"


def test_an_unplaced_each_way_runner_loses_both_parts() -> None:
    leg = runner("7/4", None, places=4, place_fraction="1/4")
    assert returns(bet(leg, each_way=True)) == "0.00"


def test_each_way_stake_per_bet_splits_the_stake_over_both_parts() -> None:
    leg = runner("7/4", 1, places=4, place_fraction="1/4")
    verdict = verify(bet(leg, each_way=True, stake_per="bet")).to_dict()

    assert verdict["outlay"] == "10.00"
    # 5 on each part: 5 × 2.75 + 5 × 1.4375 = 20.9375.
    assert verdict["expected_return"] == "20.94"


def test_each_way_multiples_settle_win_to_win_and_place_to_place() -> None:
    first = runner("3/1", 1, places=5, place_fraction="1/5")
    second = runner("2/1", 2, places=3, place_fraction="1/4")
    verdict = verify(bet(first, second, each_way=True, stake="1"))

    assert verdict.to_dict()["outlay"] == "2.00"
    # Win double: 4 × 0 (second lost). Place double: (1 + 3/5) × (1 + 2/4) = 2.40.
    assert verdict.to_dict()["expected_return"] == "2.40"


def test_rule4_waived_below_the_operators_threshold() -> None:
    leg = runner("8/1", 1, rule4=["0.05"])
    assert returns(bet(leg)) == "86.00"  # 10 × (1 + 8 × 0.95)
    waived = bet(leg, rules={"rule4_waive_total_below": "0.10"})
    assert returns(waived) == "90.00"
    # "Below" is strict: a total equal to the threshold is deducted.
    assert returns(bet(leg, rules={"rule4_waive_total_below": "0.05"})) == "86.00"


def test_rule4_cap_comes_from_the_operators_profile() -> None:
    leg = runner("10/1", 1, rule4=["0.45", "0.55"])
    assert returns(bet(leg)) == "20.00"  # capped at the default 90p
    assert returns(bet(leg, rules={"rule4_cap": "0.75"})) == "35.00"  # 10 × (1 + 10 × 0.25)


def test_rule4_reduces_the_winnings_of_the_place_part_too() -> None:
    leg = runner("4/1", 2, places=3, place_fraction="1/4", rule4=["0.20"])
    # Place part: 10 × (1 + 4 × 0.8 × 1/4) = 18; the win part lost.
    assert returns(bet(leg, each_way=True)) == "18.00"


def test_best_odds_guaranteed_pays_the_starting_price_when_it_is_bigger() -> None:
    assert returns(bet(runner("5/1", 1, starting_price="7/1", bog=True))) == "80.00"
    assert returns(bet(runner("5/1", 1, starting_price="3/1", bog=True))) == "60.00"
    # Without BOG, the price taken stands whatever the starting price.
    assert returns(bet(runner("5/1", 1, starting_price="7/1"))) == "60.00"


def test_best_odds_guaranteed_applies_to_the_place_part_as_well() -> None:
    leg = runner("4/1", 2, places=3, place_fraction="1/4", starting_price="8/1", bog=True)
    assert returns(bet(leg, each_way=True)) == "30.00"  # 10 × (1 + 8/4)


def test_a_non_runner_drops_out_of_a_multiple() -> None:
    non_runner = {"market": "race", "odds": "6/1", "non_runner": True}
    assert returns(bet(won("2.0"), non_runner)) == "20.00"
    assert returns(bet(non_runner)) == "10.00"


def test_a_runner_that_finished_second_loses_a_win_bet() -> None:
    verdict = verify(bet(runner("6/1", 2)))
    assert verdict.to_dict()["expected_return"] == "0.00"
    assert verdict.outcome == "loss"


# -- palpable errors, cash-out, free bets, maximum winnings -----------------------------


def test_a_palpable_error_resettles_the_leg_at_the_correct_price() -> None:
    wrong = {"odds": "50.0", "result": "won", "palpable_error": {"correct_odds": "5/1"}}
    assert returns(bet(won("2.0"), wrong)) == "120.00"


def test_cash_out_pays_the_accepted_amount_whatever_the_results() -> None:
    open_legs = [{"odds": "2.0"}, {"market": "asian_handicap", "odds": "1.9", "line": "-1"}]
    verdict = verify(bet(*open_legs, cash_out="12.34"))

    assert verdict.to_dict()["expected_return"] == "12.34"
    assert verdict.to_dict()["outlay"] == "10.00"
    assert verdict.outcome == "win"


def test_a_free_bet_does_not_return_its_stake() -> None:
    assert returns(bet(won("3.0"), free_bet=True)) == "20.00"
    assert returns(bet({"odds": "3.0", "result": "lost"}, free_bet=True)) == "0.00"
    # A void free bet returns nothing in cash: max(0, 10 − 10).
    void = verify(bet({"odds": "3.0", "result": "void"}, free_bet=True))
    assert void.to_dict()["expected_return"] == "0.00"
    assert void.outcome == "loss"


def test_maximum_winnings_cap_the_winnings_not_the_stake() -> None:
    assert returns(bet(won("21.0"), max_winnings="100")) == "110.00"
    assert returns(bet(won("5.0"), max_winnings="100")) == "50.00"  # under the cap
    assert returns(bet({"odds": "5.0", "result": "lost"}, max_winnings="100")) == "0.00"


def test_maximum_winnings_of_a_free_bet_cap_all_that_it_pays() -> None:
    # 10 free at 21.0 wins 200 beyond the stake; the cap leaves 100.
    assert returns(bet(won("21.0"), free_bet=True, max_winnings="100")) == "100.00"


# -- rounding, currencies, verdicts ------------------------------------------------------


def test_the_return_is_rounded_once_half_up() -> None:
    assert returns(bet(won("1.30"), stake="1.75")) == "2.28"  # 2.275
    assert returns(bet(won("1.30"), stake="1.65")) == "2.15"  # 2.145


@pytest.mark.parametrize(
    ("currency", "stake", "expected"),
    [("JPY", "1000", "1333"), ("KWD", "10", "13.333"), ("EUR", "10", "13.33")],
)
def test_rounding_uses_the_currencys_minor_unit(currency: str, stake: str, expected: str) -> None:
    assert returns(bet(won("1/3"), currency=currency, stake=stake)) == expected


def verdict_for(paid: str, **fields: Any) -> Verdict:
    record = bet(won("2.50"), paid_return=paid)
    record.update(fields)
    return verify(record)


@pytest.mark.parametrize(
    ("paid", "verdict", "difference"),
    [
        ("25.00", "correct", "0.00"),
        ("25.01", "correct", "0.01"),
        ("24.99", "correct", "-0.01"),
        ("24.98", "underpaid", "-0.02"),
        ("25.02", "overpaid", "0.02"),
        ("0", "underpaid", "-25.00"),
    ],
)
def test_the_verdict_allows_one_minor_unit_per_line(
    paid: str, verdict: str, difference: str
) -> None:
    answer = verdict_for(paid).to_dict()
    assert answer["verdict"] == verdict
    assert answer["difference"] == difference
    assert answer["paid_return"] == f"{Decimal(paid):.2f}"


def test_the_tolerance_grows_with_the_lines() -> None:
    winners = [won("2.0")] * 4
    lucky15 = bet(*winners, type="system", system="lucky15", stake="1")
    expected = Decimal(returns(lucky15))
    assert expected == Decimal("80.00")

    assert verify({**lucky15, "paid_return": str(expected - Decimal("0.15"))}).verdict == "correct"
    assert verify({**lucky15, "paid_return": str(expected - Decimal("0.16"))}).verdict == (
        "underpaid"
    )


def test_the_tolerance_of_a_currency_without_minor_unit_is_one_unit_per_line() -> None:
    record = bet(won("1/3"), currency="JPY", stake="1000")
    assert verify({**record, "paid_return": "1334"}).verdict == "correct"
    assert verify({**record, "paid_return": "1335"}).verdict == "overpaid"


def test_nothing_paid_yet_has_no_difference() -> None:
    answer = verify(bet(won("2.0"))).to_dict()
    assert answer["verdict"] == "not_paid_yet"
    assert answer["paid_return"] is None
    assert answer["difference"] is None


def test_the_verdict_has_exactly_the_contracts_fields() -> None:
    answer = verify(bet(won("2.0"), bet_id="B-1", paid_return="20")).to_dict()
    assert list(answer) == [
        "bet_id",
        "currency",
        "expected_return",
        "outlay",
        "outcome",
        "paid_return",
        "difference",
        "verdict",
        "explanation",
    ]
    assert answer["bet_id"] == "B-1"
    assert answer["paid_return"] == "20.00"
    assert verify(bet(won("2.0"))).to_dict()["bet_id"] is None


def test_the_verdict_is_frozen() -> None:
    verdict = verify(bet(won("2.0")))
    with pytest.raises(AttributeError):
        verdict.verdict = "correct"  # type: ignore[misc]


# -- rule profiles -----------------------------------------------------------------------


def test_a_bet_can_name_one_of_the_operators_rule_profiles() -> None:
    leg = runner("10/1", 1, rule4=["0.45", "0.55"])
    profiles = {"generous": {"rule4_cap": "0.50"}, "standard": {}}

    assert returns(bet(leg, rules="generous"), profiles=profiles) == "60.00"
    assert returns(bet(leg, rules="standard"), profiles=profiles) == "20.00"
    with pytest.raises(InvalidInput) as raised:
        verify(bet(leg, rules="strict"), profiles=profiles)
    assert raised.value.field == "rules"
    assert "generous, standard" in raised.value.message


def test_platform_fields_of_a_fetched_bet_are_accepted_and_names_are_quoted() -> None:
    record = bet(
        {
            "odds": "2.0",
            "result": "won",
            "event": "Arsenal v Chelsea",
            "market_name": "Match result",
            "selection_name": "Arsenal",
        },
        account_id="A-77",
        placed_at="2024-05-01T12:00:00Z",
        settled_at="2024-05-01T14:00:00Z",
        status="settled",
    )
    verdict = verify(record)
    assert verdict.to_dict()["expected_return"] == "20.00"
    assert "(Arsenal v Chelsea, Match result, Arsenal) won at 2.0" in " ".join(verdict.explanation)
