"""Platform slips as the wagering explainer reads bets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from complaintdesk.checks.conversion import outlay, wagering_bet
from complaintdesk.platform.records import parse_bet
from tests.platform_fixtures import CORRECT, UNDERPAID


def _leg(**leg: Any) -> dict[str, Any]:
    bet = {**CORRECT, "legs": [leg]}
    return wagering_bet(parse_bet(bet))["legs"][0]


def test_a_settled_single_keeps_its_stake_odds_result_and_names() -> None:
    bet = wagering_bet(parse_bet(CORRECT))
    assert bet["stake"] == "10.00"
    assert bet["status"] == "settled"
    assert bet["legs"] == [
        {
            "odds": "1.5000",
            "result": "won",
            "event_id": "Arsenal v Chelsea",
            "market": "Match result",
            "selection": "Arsenal",
        }
    ]


def test_an_each_way_bet_counts_both_parts_and_the_place_is_not_a_win() -> None:
    bet = wagering_bet(parse_bet(UNDERPAID))
    assert bet["stake"] == "20.00"
    assert bet["legs"][0]["odds"] == "9.0000"
    assert bet["legs"][0]["result"] == "lost"


@pytest.mark.parametrize(
    ("line", "score", "result"),
    [
        ("-0.25", [1, 1], "half_lost"),
        ("-0.75", [2, 1], "half_won"),
        ("-1", [2, 1], "push"),
        ("0", [0, 1], "lost"),
        ("0.5", [1, 1], "won"),
    ],
)
def test_asian_handicap_results(line: str, score: list[int], result: str) -> None:
    leg = _leg(market="asian_handicap", odds="1.90", line=line, score=score)
    assert leg["result"] == result


def test_in_play_handicaps_count_goals_after_the_bet() -> None:
    leg = _leg(
        market="asian_handicap", odds="1.8", line="-0.75", score=[2, 0], score_at_placement=[1, 0]
    )
    assert leg["result"] == "half_won"


@pytest.mark.parametrize(
    ("side", "line", "total", "result"),
    [("over", "2.25", 2, "half_lost"), ("under", "2.25", 2, "half_won"), ("over", "2.5", 3, "won")],
)
def test_asian_totals(side: str, line: str, total: int, result: str) -> None:
    leg = _leg(market="asian_total", odds="1.9", side=side, line=line, total=total)
    assert leg["result"] == result


def test_prices_in_any_style_become_decimal_odds() -> None:
    assert _leg(odds="4/6", result="lost")["odds"] == "1.6667"
    assert _leg(odds="-110", result="lost")["odds"] == "1.9091"
    assert _leg(odds="evens", result="won")["odds"] == "2.0000"
    # A palpable error is wagered at the corrected price.
    assert _leg(odds="18/1", result="won", palpable_error={"correct_odds": "2/1"})["odds"] == (
        "3.0000"
    )


def test_an_open_bet_knows_its_outlay_but_not_its_results() -> None:
    slip = {
        **CORRECT,
        "type": "system",
        "system": "yankee",
        "stake": "1.00",
        "status": "open",
        "legs": [{"odds": "2.0"} for _ in range(4)],
    }
    slip.pop("paid_return")
    assert outlay(slip) == Decimal("11.00")
    bet = wagering_bet(parse_bet(slip))
    assert bet["status"] == "open"
    assert {leg["result"] for leg in bet["legs"]} == {"open"}


def test_a_race_non_runner_is_void() -> None:
    assert _leg(market="race", odds="5/1", non_runner=True)["result"] == "void"
    assert _leg(market="race", odds="5/1", position=None)["result"] == "lost"
