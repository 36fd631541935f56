"""The wagering explainer: the worked cases, each rule and reason code, totals, bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.betting.wagering import ReasonCode, WageringReport, explain
from complaintdesk.betting.wagering.rules import PRECEDENCE

# The shared examples sit beside the repository, as the contracts do.
SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
CASES_FILE = SHARED / "examples" / "wagering" / "cases.json"
WORKED_CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))

ACTIVATED = "2026-11-01T00:00:00Z"
EXPIRES = "2026-12-01T00:00:00Z"
PLACED = "2026-11-10T12:00:00Z"
SETTLED = "2026-11-10T20:00:00Z"
NOW = datetime(2026, 11, 20, tzinfo=UTC)


def leg(odds: str = "2.00", result: str = "lost", **extra: Any) -> dict[str, Any]:
    return {"odds": odds, "result": result, **extra}


def bet(bet_id: str = "b1", **fields: Any) -> dict[str, Any]:
    """A settled single in the bonus window; ``fields`` override (None removes a field)."""
    record: dict[str, Any] = {
        "bet_id": bet_id,
        "type": "single",
        "stake": "10",
        "placed_at": PLACED,
        "settled_at": SETTLED,
        "status": "settled",
        "legs": [leg()],
    }
    record.update(fields)
    return {key: value for key, value in record.items() if value is not None}


def acca(bet_id: str = "b1", *odds: str, **fields: Any) -> dict[str, Any]:
    return bet(bet_id, type="accumulator", legs=[leg(price) for price in odds], **fields)


def case(bets: list[dict[str, Any]], balance: str | None = None, **terms: Any) -> dict[str, Any]:
    """A 100 EUR bonus to wager 5 times between ACTIVATED and EXPIRES; ``terms`` override."""
    bonus: dict[str, Any] = {
        "amount": "100",
        "deposit": "0",
        "currency": "EUR",
        "wagering": {"multiplier": "5", "base": "bonus"},
        "activated_at": ACTIVATED,
        "expires_at": EXPIRES,
    }
    bonus.update(terms)
    result: dict[str, Any] = {"bonus": bonus, "bets": bets}
    if balance is not None:
        result["bonus_balance"] = balance
    return result


def run(bets: list[dict[str, Any]], **terms: Any) -> WageringReport:
    return explain(case(bets, **terms), now=NOW)


def codes(report: WageringReport) -> dict[str, str]:
    return {line.bet_id: str(line.reason_code) for line in report.bets}


# --- the worked cases -----------------------------------------------------------------


@pytest.mark.parametrize("worked", WORKED_CASES, ids=[c["id"] for c in WORKED_CASES])
def test_worked_case(worked: dict[str, Any]) -> None:
    report = explain(worked["input"], now=NOW).to_dict()
    expected = worked["expected"]
    for name, value in expected.items():
        if name != "bets":
            assert report[name] == value, name
    assert {line["bet_id"]: line["reason_code"] for line in report["bets"]} == expected["bets"]


# --- one scenario per reason code -------------------------------------------------------

# code -> (bets, terms): bet b1 is reported with that code and nothing earlier applies.
SCENARIOS: dict[ReasonCode, tuple[list[dict[str, Any]], dict[str, Any]]] = {
    ReasonCode.NOT_SETTLED: ([bet(status="open", settled_at=None, legs=[leg(result="open")])], {}),
    ReasonCode.CASHED_OUT: ([bet(status="cashed_out")], {}),
    ReasonCode.VOID: ([bet(status="void", legs=[leg(result="void")])], {}),
    ReasonCode.FREE_BET: ([bet(free_bet=True)], {}),
    ReasonCode.PLACED_BEFORE_ACTIVATION: (
        [bet(placed_at="2026-10-31T23:59:59Z", settled_at="2026-11-01T10:00:00Z")],
        {},
    ),
    ReasonCode.PLACED_AFTER_EXPIRY: (
        [bet(placed_at=EXPIRES, settled_at="2026-12-01T10:00:00Z")],
        {},
    ),
    ReasonCode.BET_TYPE_NOT_ALLOWED: ([bet()], {"bet_types": ["accumulator", "system"]}),
    ReasonCode.EXCEEDS_MAX_BET: ([bet(stake="25.01")], {"max_bet": "25"}),
    ReasonCode.EXCLUDED_MARKET: (
        [bet(legs=[leg(market="Correct_Score")])],
        {"excluded_markets": ["correct_score"]},
    ),
    ReasonCode.OPPOSITE_OUTCOMES: (
        [
            bet(legs=[leg(event_id="e1", market="match_result", selection="home")]),
            bet("b2", legs=[leg(event_id="e1", market="match_result", selection="away")]),
        ],
        {},
    ),
    ReasonCode.BELOW_MIN_ODDS: ([bet(legs=[leg("1.45")])], {"min_odds": "1.51"}),
    ReasonCode.LEG_BELOW_MIN_ODDS: ([acca("b1", "2.00", "1.30")], {"leg_min_odds": "1.40"}),
    ReasonCode.TOO_FEW_QUALIFYING_LEGS: (
        [acca("b1", "1.50", "1.30", "1.60")],
        {"leg_min_odds": "1.40", "min_qualifying_legs": 3},
    ),
}


def test_every_reason_code_has_a_scenario() -> None:
    assert set(SCENARIOS) == {code for code, _ in PRECEDENCE}


@pytest.mark.parametrize("code", list(SCENARIOS), ids=str)
def test_each_rule_reports_its_code_and_contributes_nothing(code: ReasonCode) -> None:
    bets, terms = SCENARIOS[code]
    report = run(bets, **terms)
    line = report.bets[0]
    assert line.reason_code is code
    assert line.counts is False
    assert report.to_dict()["bets"][0]["contribution"] == "0.00"
    assert report.counted == 0


@pytest.mark.parametrize("code", list(SCENARIOS), ids=str)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_each_code_has_a_plain_reason_in_both_languages(code: ReasonCode, language: str) -> None:
    bets, terms = SCENARIOS[code]
    reason = explain(case(bets, **terms), language=language, now=NOW).bets[0].reason
    assert reason.endswith(".")
    assert "{" not in reason
    assert "None" not in reason
    if language == "ru":
        assert any("а" <= char <= "я" for char in reason.lower())


def test_the_contract_order_of_precedence() -> None:
    assert [str(code) for code, _ in PRECEDENCE] == [
        "not_settled",
        "cashed_out",
        "void",
        "free_bet",
        "placed_before_activation",
        "placed_after_expiry",
        "bet_type_not_allowed",
        "exceeds_max_bet",
        "excluded_market",
        "opposite_outcomes",
        "below_min_odds",
        "leg_below_min_odds",
        "too_few_qualifying_legs",
    ]


@pytest.mark.parametrize(
    ("fields", "terms", "expected"),
    [
        # Open and below the minimum odds: the customer first hears it is not settled.
        (
            {"status": "open", "settled_at": None, "legs": [leg("1.20", "open")]},
            {"min_odds": "1.50"},
            "not_settled",
        ),
        ({"status": "cashed_out", "free_bet": True}, {}, "cashed_out"),
        ({"free_bet": True, "placed_at": "2026-10-01T00:00:00Z"}, {}, "free_bet"),
        (
            {"stake": "500", "legs": [leg("1.10")]},
            {"max_bet": "100", "min_odds": "1.50"},
            "exceeds_max_bet",
        ),
        (
            {"legs": [leg("1.10", market="corners")]},
            {"excluded_markets": ["corners"], "min_odds": "1.50"},
            "excluded_market",
        ),
    ],
)
def test_the_first_applicable_reason_wins(
    fields: dict[str, Any], terms: dict[str, Any], expected: str
) -> None:
    assert codes(run([bet(**fields)], **terms))["b1"] == expected


# --- the rules, one by one --------------------------------------------------------------


def test_a_settled_bet_whose_legs_are_all_void_is_void() -> None:
    voided = acca("b1", "1.50", "1.80")
    voided["legs"] = [leg("1.50", "void"), leg("1.80", "push")]
    assert codes(run([voided]))["b1"] == "void"


def test_window_is_inclusive_at_activation_and_exclusive_at_expiry() -> None:
    report = run(
        [
            bet("at_start", placed_at=ACTIVATED),
            bet("last_second", placed_at="2026-11-30T23:59:59Z", settled_at="2026-12-01T01:00:00Z"),
            bet("at_end", placed_at=EXPIRES, settled_at="2026-12-01T01:00:00Z"),
        ]
    )
    assert codes(report) == {
        "at_start": "counts",
        "last_second": "counts",
        "at_end": "placed_after_expiry",
    }


def test_a_bet_placed_in_the_window_and_settled_after_expiry_counts() -> None:
    late = bet(placed_at="2026-11-30T20:00:00Z", settled_at="2026-12-02T10:00:00Z")
    assert codes(run([late]))["b1"] == "counts"


def test_times_with_offsets_are_compared_as_instants() -> None:
    # 02:30 in Moscow on 1 November is 23:30 UTC on 31 October: before activation.
    early = bet(placed_at="2026-11-01T02:30:00+03:00")
    assert codes(run([early]))["b1"] == "placed_before_activation"


def test_all_bet_types_are_allowed_by_default() -> None:
    system = bet("b3", type="system", legs=[leg(), leg(), leg()])
    report = run([bet(), acca("b2", "1.5", "1.5"), system])
    assert set(codes(report).values()) == {"counts"}


def test_a_stake_equal_to_the_maximum_bet_counts() -> None:
    report = run([bet(stake="25"), bet("b2", stake="25.01")], max_bet="25")
    assert codes(report) == {"b1": "counts", "b2": "exceeds_max_bet"}


def test_a_void_leg_in_an_excluded_market_does_not_exclude_the_bet() -> None:
    multiple = acca("b1", "1.50", "1.80")
    multiple["legs"][1] = leg("1.80", "void", market="corners")
    assert codes(run([multiple], excluded_markets=["corners"]))["b1"] == "counts"


def test_min_odds_is_inclusive() -> None:
    report = run([bet(legs=[leg("1.51")]), bet("b2", legs=[leg("1.50")])], min_odds="1.51")
    assert codes(report) == {"b1": "counts", "b2": "below_min_odds"}


def test_total_odds_of_a_multiple_are_the_product_of_its_non_void_legs() -> None:
    passes = acca("b1", "1.20", "1.30")  # 1.56
    fails = acca("b2", "1.20", "1.30", "3.00")
    fails["legs"][2] = leg("3.00", "void")  # 1.56 once the void leg drops out
    fails["legs"][1] = leg("1.25")  # 1.50
    report = run([passes, fails], min_odds="1.55")
    assert codes(report) == {"b1": "counts", "b2": "below_min_odds"}
    assert "1.50" in report.bets[1].reason


def test_without_a_qualifying_count_every_non_void_leg_must_reach_the_leg_minimum() -> None:
    low_but_void = acca("b1", "1.50", "1.10", "1.60")
    low_but_void["legs"][1] = leg("1.10", "void")
    report = run([acca("b0", "1.50", "1.30", "1.60"), low_but_void], leg_min_odds="1.40")
    assert codes(report) == {"b0": "leg_below_min_odds", "b1": "counts"}


def test_with_a_qualifying_count_other_legs_may_be_lower() -> None:
    report = run(
        [acca("b1", "1.50", "1.45", "1.60", "1.05")],
        leg_min_odds="1.40",
        min_qualifying_legs=3,
    )
    assert codes(report)["b1"] == "counts"


def test_void_legs_are_not_qualifying_legs() -> None:
    multiple = acca("b1", "1.50", "1.45", "1.60")
    multiple["legs"][2] = leg("1.60", "void")
    report = run([multiple], leg_min_odds="1.40", min_qualifying_legs=3)
    assert codes(report)["b1"] == "too_few_qualifying_legs"
    assert report.bets[0].reason == (
        "Only 2 selections have odds of 1.40 or more; at least 3 are needed."
    )


def test_min_qualifying_legs_alone_counts_non_void_legs() -> None:
    two_left = acca("b1", "1.50", "1.45", "1.60")
    two_left["legs"][0] = leg("1.50", "void")
    report = run([two_left, acca("b2", "1.10", "1.10", "1.10")], min_qualifying_legs=3)
    assert codes(report) == {"b1": "too_few_qualifying_legs", "b2": "counts"}


def test_leg_rules_apply_to_multiples_only() -> None:
    report = run([bet(legs=[leg("1.20")])], leg_min_odds="1.40", min_qualifying_legs=3)
    assert codes(report)["b1"] == "counts"


def test_bets_on_both_sides_of_a_market_do_not_count_but_others_do() -> None:
    def on(bet_id: str, event: str, market: str, selection: str, **fields: Any) -> dict[str, Any]:
        return bet(bet_id, legs=[leg(event_id=event, market=market, selection=selection)], **fields)

    report = run(
        [
            on("home", "e1", "match_result", "home"),
            on("away", "e1", "Match_Result", "AWAY"),
            on("home_again", "e1", "match_result", "Home"),
            on("other_event", "e2", "match_result", "away"),
            on("other_market", "e1", "total_goals_2.5", "over"),
        ]
    )
    assert codes(report) == {
        "home": "opposite_outcomes",
        "away": "opposite_outcomes",
        "home_again": "opposite_outcomes",
        "other_event": "counts",
        "other_market": "counts",
    }
    assert report.bets[1].reason == (
        "Placed on the opposite outcome to your bets home and home_again on the same market, "
        "so none of these bets count."
    )


def test_a_hedge_counts_against_a_bet_even_when_the_other_side_was_cashed_out() -> None:
    side = {"event_id": "e1", "market": "match_result"}
    report = run(
        [
            bet(legs=[leg(selection="home", **side)]),
            bet("b2", status="cashed_out", legs=[leg(selection="away", **side)]),
        ]
    )
    assert codes(report) == {"b1": "opposite_outcomes", "b2": "cashed_out"}


def test_legs_without_event_or_selection_are_never_opposed() -> None:
    report = run(
        [
            bet(legs=[leg(market="match_result", selection="home")]),
            bet("b2", legs=[leg(market="match_result", selection="away")]),
            bet("b3", legs=[leg(event_id="e1", market="match_result")]),
            bet("b4", legs=[leg(event_id="e1", market="match_result", selection="away")]),
        ]
    )
    assert set(codes(report).values()) == {"counts"}


def test_integer_event_ids_match_their_string_form() -> None:
    report = run(
        [
            bet(legs=[leg(event_id=77, market="winner", selection="a")]),
            bet("b2", legs=[leg(event_id="77", market="winner", selection="b")]),
        ]
    )
    assert set(codes(report).values()) == {"opposite_outcomes"}


# --- contributions and totals -----------------------------------------------------------


@pytest.mark.parametrize(
    ("stake", "odds", "expected"),
    [
        ("100", ["1.50"], "50.00"),  # the win is the lesser
        ("100", ["3.00"], "100.00"),  # the stake is the lesser
        ("100", ["2.00"], "100.00"),  # equal
        ("100", ["1.50", "1.40"], "100.00"),  # 2.10 total: win 110
        ("10.01", ["1.333"], "3.33"),  # 3.33333 rounds half-up once, per bet
        ("10", ["1.005"], "0.05"),  # 0.05 exactly
        ("10", ["1.0045"], "0.05"),  # 0.045 rounds up
    ],
)
def test_lesser_of_risk_and_win(stake: str, odds: list[str], expected: str) -> None:
    kind = "single" if len(odds) == 1 else "accumulator"
    record = bet(type=kind, stake=stake, legs=[leg(price) for price in odds])
    report = explain(case([record], counts="lesser_of_risk_and_win"), now=NOW).to_dict()
    assert report["bets"][0]["contribution"] == expected
    assert report["counted"] == expected


def test_lesser_of_risk_and_win_ignores_void_legs() -> None:
    multiple = acca("b1", "1.50", "4.00", stake="100")
    multiple["legs"][1] = leg("4.00", "void")
    report = run([multiple], counts="lesser_of_risk_and_win")
    assert report.to_dict()["counted"] == "50.00"
    assert report.bets[0].reason == (
        "Counts 50 EUR: the lesser of the stake (100 EUR) and the possible win (50 EUR)."
    )


def test_requirement_bases_and_fractional_multipliers() -> None:
    terms = {"amount": "75", "deposit": "500"}
    both = run([], wagering={"multiplier": "4", "base": "deposit_plus_bonus"}, **terms)
    deposit_only = run([], wagering={"multiplier": "2.5", "base": "deposit"}, **terms)
    bonus_only = run([], wagering={"multiplier": "35", "base": "bonus"}, **terms)
    assert (both.requirement, deposit_only.requirement, bonus_only.requirement) == (
        2300,
        1250,
        2625,
    )


def test_totals_progress_and_remaining() -> None:
    report = run(
        [bet(stake="300")],
        amount="75",
        deposit="500",
        wagering={"multiplier": "4", "base": "deposit_plus_bonus"},
    )
    data = report.to_dict()
    assert (data["requirement"], data["counted"], data["remaining"]) == (
        "2300.00",
        "300.00",
        "2000.00",
    )
    assert data["progress"] == "0.1304"
    assert data["expired"] is False
    assert data["released"] is None
    assert data["convertible"] is None
    assert data["forfeited"] is None


def test_progress_is_rounded_down_so_one_means_complete() -> None:
    report = run([bet(stake="499.99")])
    assert report.to_dict()["progress"] == "0.9999"
    assert report.to_dict()["remaining"] == "0.01"


def test_bets_after_the_requirement_is_met_still_count_in_full() -> None:
    # Listed out of settlement order: the bet settled first is the one that completes.
    later = bet("later", stake="300", settled_at="2026-11-12T20:00:00Z")
    first = bet("first", stake="300", settled_at="2026-11-11T20:00:00Z")
    second = bet("second", stake="300", settled_at="2026-11-11T21:00:00Z")
    report = run([later, second, first])
    data = report.to_dict()
    assert data["counted"] == "900.00"
    assert data["remaining"] == "0.00"
    assert data["progress"] == "1.0000"
    assert data["completed_by"] == "second"
    assert data["completed_at"] == "2026-11-11T21:00:00+00:00"
    assert [line["bet_id"] for line in data["bets"]] == ["later", "second", "first"]


def test_open_bets_do_not_complete_the_requirement() -> None:
    report = run([bet(stake="500", status="open", settled_at=None, legs=[leg(result="open")])])
    assert report.to_dict()["counted"] == "0.00"
    assert report.completed_at is None


def test_a_bonus_without_wagering_is_complete_at_once() -> None:
    report = run([], wagering={"multiplier": "0", "base": "bonus"}, release_steps=2)
    data = report.to_dict()
    assert (data["requirement"], data["progress"], data["released"]) == ("0.00", "1.0000", "100.00")


@pytest.mark.parametrize(
    ("now", "stake", "expired"),
    [
        (datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC), "10", False),
        (datetime(2026, 12, 1, tzinfo=UTC), "10", True),
        (datetime(2026, 12, 1, 3, tzinfo=timezone(timedelta(hours=3))), "10", True),
        (datetime(2027, 1, 1, tzinfo=UTC), "500", False),  # completed: nothing lapsed
    ],
)
def test_expired(now: datetime, stake: str, expired: bool) -> None:
    assert explain(case([bet(stake=stake)]), now=now).expired is expired


@pytest.mark.parametrize(
    ("amount", "steps", "stake", "released"),
    [
        ("100", 4, "374.99", "50.00"),  # two of four steps reached, the third not yet
        ("100", 4, "375", "75.00"),  # reaching a step releases it
        ("100", 3, "170", "33.33"),  # a third of 100, rounded down
        ("100", 3, "335", "66.66"),
        ("100", 3, "500", "100.00"),  # the last step releases the rest
        ("100", 1, "499", "0.00"),
    ],
)
def test_release_in_steps(amount: str, steps: int, stake: str, released: str) -> None:
    report = run([bet(stake=stake)], amount=amount, release_steps=steps)
    assert report.to_dict()["released"] == released


@pytest.mark.parametrize(
    ("balance", "stake", "convertible", "forfeited"),
    [
        ("2400", "500", "1000.00", "1400.00"),
        ("800", "500", "800.00", "0.00"),
        ("2400", "499", None, None),  # not complete yet
        (None, "500", None, None),  # no balance to convert
    ],
)
def test_max_conversion(
    balance: str | None, stake: str, convertible: str | None, forfeited: str | None
) -> None:
    data = explain(
        case([bet(stake=stake)], balance=balance, max_conversion="1000"), now=NOW
    ).to_dict()
    assert (data["convertible"], data["forfeited"]) == (convertible, forfeited)


@pytest.mark.parametrize(("currency", "counted"), [("JPY", "500"), ("KWD", "500.000")])
def test_money_uses_the_currency_minor_unit(currency: str, counted: str) -> None:
    assert run([bet(stake="500")], currency=currency).to_dict()["counted"] == counted


def test_report_shape() -> None:
    data = run([bet()], bonus_id="WELCOME-1").to_dict()
    assert set(data) == {
        "bonus_id",
        "currency",
        "requirement",
        "counted",
        "remaining",
        "progress",
        "expired",
        "released",
        "convertible",
        "forfeited",
        "completed_at",
        "completed_by",
        "bets",
        "summary",
        "language",
    }
    assert data["bonus_id"] == "WELCOME-1"
    assert data["bets"] == [
        {
            "bet_id": "b1",
            "counts": True,
            "contribution": "10.00",
            "reason_code": "counts",
            "reason": "Counts: the stake of 10 EUR goes towards the requirement.",
        }
    ]
    json.dumps(data)  # plain JSON, no Decimal or datetime left


def test_null_optional_fields_mean_absent() -> None:
    record = bet()
    record.update(free_bet=None, currency=None)
    record["legs"] = [leg(event_id=None, market=None, selection=None)]
    report = run([record], counts=None, bet_types=None, min_odds=None, max_bet=None)
    assert codes(report) == {"b1": "counts"}


def test_now_defaults_to_the_current_time() -> None:
    long_ago = case([bet()], activated_at="2020-01-01T00:00:00Z", expires_at="2020-02-01T00:00:00Z")
    long_ago["bets"][0].update(placed_at="2020-01-10T00:00:00Z", settled_at="2020-01-10T01:00:00Z")
    assert explain(long_ago).expired is True


# --- bad input ----------------------------------------------------------------------------


def with_change(path: list[Any], value: Any) -> dict[str, Any]:
    """The WP1 case with the value at ``path`` replaced (a missing last key is added)."""
    data: dict[str, Any] = json.loads(json.dumps(WORKED_CASES[0]["input"]))
    data["bets"].append(acca("b2", "1.50", "1.50", "1.50"))
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (["colour"], "red", "colour"),
        (["bonus", "max_bets"], "5", "bonus.max_bets"),
        (["bonus", "wagering", "times"], "5", "bonus.wagering.times"),
        (["bets", 1, "colour"], "red", "bets[1].colour"),
        (["bets", 1, "legs", 2, "price"], "1.5", "bets[1].legs[2].price"),
        (["bets", 1, "stake"], "ten", "bets[1].stake"),
        (["bets", 1, "stake"], 10.5, "bets[1].stake"),
        (["bets", 1, "stake"], "0", "bets[1].stake"),
        (["bets", 1, "stake"], "-5", "bets[1].stake"),
        (["bets", 1, "stake"], "10.005", "bets[1].stake"),
        (["bets", 1, "legs", 0, "odds"], "evens?", "bets[1].legs[0].odds"),
        (["bets", 1, "legs", 0, "odds"], "0.90", "bets[1].legs[0].odds"),
        (["bets", 1, "legs", 0, "result"], "lose", "bets[1].legs[0].result"),
        (["bets", 1, "placed_at"], "2026-11-10T12:00:00", "bets[1].placed_at"),
        (["bets", 1, "placed_at"], "yesterday", "bets[1].placed_at"),
        (["bets", 1, "settled_at"], "2026-11-10T11:00:00Z", "bets[1].settled_at"),
        (["bets", 1, "settled_at"], None, "bets[1].settled_at"),
        (["bets", 1, "bet_id"], "b1", "bets[1].bet_id"),
        (["bets", 1, "type"], "lucky15", "bets[1].type"),
        (["bets", 1, "status"], "won", "bets[1].status"),
        (["bets", 1, "free_bet"], "yes", "bets[1].free_bet"),
        (["bets", 1, "currency"], "GBP", "bets[1].currency"),
        (["bets", 1, "legs"], [], "bets[1].legs"),
        (["bets", 0, "type"], "single", "bets[0].legs"),
        (["bets"], {"b1": {}}, "bets"),
        (["bonus", "expires_at"], "2026-10-01T00:00:00Z", "bonus.expires_at"),
        (["bonus", "expires_at"], "2026-11-01T00:00:00Z", "bonus.expires_at"),
        (["bonus", "currency"], "euro", "bonus.currency"),
        (["bonus", "amount"], "1,000", "bonus.amount"),
        (["bonus", "wagering"], None, "bonus.wagering"),
        (["bonus", "wagering", "base"], "stake", "bonus.wagering.base"),
        (["bonus", "wagering", "multiplier"], "x5", "bonus.wagering.multiplier"),
        (["bonus", "counts"], "winnings", "bonus.counts"),
        (["bonus", "bet_types"], ["double"], "bonus.bet_types[0]"),
        (["bonus", "bet_types"], [], "bonus.bet_types"),
        (["bonus", "min_qualifying_legs"], True, "bonus.min_qualifying_legs"),
        (["bonus", "min_qualifying_legs"], 0, "bonus.min_qualifying_legs"),
        (["bonus", "excluded_markets"], "corners", "bonus.excluded_markets"),
        (["bonus_balance"], "lots", "bonus_balance"),
        (["bonus_balance"], "10.001", "bonus_balance"),
        (["bonus", "max_bet"], "1.001", "bonus.max_bet"),
    ],
)
def test_bad_input_names_the_field(path: list[Any], value: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        explain(with_change(path, value), now=NOW)
    assert raised.value.field == field
    assert raised.value.message


def test_a_deposit_base_needs_the_deposit() -> None:
    data = case([], wagering={"multiplier": "4", "base": "deposit_plus_bonus"})
    del data["bonus"]["deposit"]
    with pytest.raises(InvalidInput) as raised:
        explain(data, now=NOW)
    assert raised.value.field == "bonus.deposit"


@pytest.mark.parametrize("value", [None, [], "case", 7])
def test_a_case_must_be_an_object(value: Any) -> None:
    with pytest.raises(InvalidInput) as raised:
        explain(value, now=NOW)
    assert raised.value.field == "case"


def test_unknown_fields_are_listed_with_the_known_ones() -> None:
    with pytest.raises(InvalidInput) as raised:
        explain(with_change(["bonus", "max_bets"], "5"), now=NOW)
    assert "max_bet" in raised.value.message


def test_language_and_now_are_checked() -> None:
    with pytest.raises(InvalidInput) as raised:
        explain(case([]), language="de", now=NOW)
    assert raised.value.field == "language"
    with pytest.raises(InvalidInput) as raised:
        explain(case([]), now=datetime(2026, 11, 20))  # noqa: DTZ001 - a naive time on purpose
    assert raised.value.field == "now"
