"""Rules of the wagering report that hold for every case, checked on generated cases."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaintdesk.betting.wagering import ReasonCode, WageringReport, explain
from complaintdesk.betting.wagering.rules import PRECEDENCE

ACTIVATED = datetime(2026, 11, 1, tzinfo=UTC)
EXPIRES = datetime(2026, 12, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 20, tzinfo=UTC)


PLACES = {"EUR": 2, "JPY": 0, "KWD": 3}


@functools.cache
def money(low: str, high: str, currency: str = "EUR") -> st.SearchStrategy[str]:
    """Amounts with the currency's minor unit, as the contract sends them."""
    return st.decimals(Decimal(low), Decimal(high), places=PLACES[currency]).map(str)


odds = st.decimals(Decimal("1.00"), Decimal("6.00"), places=2).map(str)
moments = st.integers(-3 * 24, 35 * 24).map(lambda hours: ACTIVATED + timedelta(hours=hours))


@st.composite
def legs(draw: st.DrawFn, count: int, open_bet: bool) -> list[dict[str, Any]]:
    results = ["open"] if open_bet else ["won", "lost", "void", "push", "half_won", "half_lost"]
    drawn = []
    for _ in range(count):
        leg: dict[str, Any] = {"odds": draw(odds), "result": draw(st.sampled_from(results))}
        if draw(st.booleans()):
            leg["event_id"] = draw(st.sampled_from(["e1", "e2"]))
            leg["market"] = draw(st.sampled_from(["match_result", "corners", "cards"]))
            leg["selection"] = draw(st.sampled_from(["home", "away"]))
        drawn.append(leg)
    return drawn


@st.composite
def bets(draw: st.DrawFn, bet_id: str, currency: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["single", "accumulator", "system"]))
    status = draw(st.sampled_from(["settled", "settled", "settled", "open", "cashed_out", "void"]))
    placed = draw(moments)
    count = 1 if kind == "single" else draw(st.integers(2, 4))
    record: dict[str, Any] = {
        "bet_id": bet_id,
        "type": kind,
        "stake": draw(money("1", "800", currency)),
        "placed_at": placed.isoformat(),
        "status": status,
        "free_bet": draw(st.booleans()),
        "legs": draw(legs(count, status == "open")),
    }
    if status != "open":
        record["settled_at"] = (placed + timedelta(hours=draw(st.integers(0, 72)))).isoformat()
    return record


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    currency = draw(st.sampled_from(sorted(PLACES)))
    bonus: dict[str, Any] = {
        "amount": draw(money("0", "500", currency)),
        "deposit": draw(money("0", "500", currency)),
        "currency": currency,
        "wagering": {
            "multiplier": str(draw(st.integers(0, 40))),
            "base": draw(st.sampled_from(["bonus", "deposit_plus_bonus", "deposit"])),
        },
        "activated_at": ACTIVATED.isoformat(),
        "expires_at": EXPIRES.isoformat(),
        "counts": draw(st.sampled_from(["stake", "lesser_of_risk_and_win"])),
    }
    optional = {
        "bet_types": st.lists(
            st.sampled_from(["single", "accumulator", "system"]), min_size=1, unique=True
        ),
        "min_odds": odds,
        "leg_min_odds": odds,
        "min_qualifying_legs": st.integers(1, 4),
        "excluded_markets": st.lists(st.sampled_from(["corners", "cards"]), unique=True),
        "max_bet": money("1", "800", currency),
        "release_steps": st.integers(1, 5),
        "max_conversion": money("0", "1000", currency),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            bonus[name] = draw(strategy)
    count = draw(st.integers(0, 8))
    drawn = [draw(bets(f"b{n}", currency)) for n in range(count)]
    case: dict[str, Any] = {"bonus": bonus, "bets": drawn}
    if draw(st.booleans()):
        case["bonus_balance"] = draw(money("0", "3000", currency))
    return case


def by_bet(report: WageringReport) -> dict[str, tuple[bool, Decimal, str, str]]:
    return {
        line.bet_id: (line.counts, line.contribution, str(line.reason_code), line.reason)
        for line in report.bets
    }


@given(cases())
@settings(max_examples=150)
def test_totals_agree_with_the_bets(case: dict[str, Any]) -> None:
    report = explain(case, now=NOW)
    stakes = sum((Decimal(bet["stake"]) for bet in case["bets"]), Decimal(0))
    assert report.counted == sum((line.contribution for line in report.bets), Decimal(0))
    assert report.counted <= stakes
    assert report.remaining == max(Decimal(0), report.requirement - report.counted)
    assert 0 <= report.progress <= 1
    assert (report.progress == 1) == (report.counted >= report.requirement)
    if report.released is not None:
        assert 0 <= report.released <= Decimal(case["bonus"]["amount"])
    if report.convertible is not None and report.forfeited is not None:
        assert report.convertible + report.forfeited == Decimal(case["bonus_balance"])
        assert report.convertible <= Decimal(case["bonus"]["max_conversion"])


@given(cases())
def test_a_bet_failing_any_rule_contributes_nothing(case: dict[str, Any]) -> None:
    report = explain(case, now=NOW)
    for line, bet in zip(report.bets, case["bets"], strict=True):
        assert line.counts == (line.reason_code is ReasonCode.COUNTS)
        if not line.counts:
            assert line.contribution == 0
        else:
            assert 0 <= line.contribution <= Decimal(bet["stake"])
        assert line.reason


@given(cases(), st.randoms(use_true_random=False))
def test_the_order_of_the_input_does_not_change_the_answer(
    case: dict[str, Any], random: Any
) -> None:
    shuffled = {**case, "bets": list(case["bets"])}
    random.shuffle(shuffled["bets"])
    first, second = explain(case, now=NOW), explain(shuffled, now=NOW)
    assert by_bet(first) == by_bet(second)
    assert (first.counted, first.completed_at, first.completed_by, first.summary) == (
        second.counted,
        second.completed_at,
        second.completed_by,
        second.summary,
    )


@given(cases(), st.sampled_from(["en", "ru"]), moments)
def test_texts_are_complete_sentences(case: dict[str, Any], language: str, now: datetime) -> None:
    report = explain(case, language=language, now=now)
    for text in [report.summary, *(line.reason for line in report.bets)]:
        assert text.endswith(".")
        assert "{" not in text
        assert "None" not in text
        assert "  " not in text


# --- precedence on bets built to fail a chosen set of rules ----------------------------------

FAULTS = st.fixed_dictionaries(
    {
        "status": st.sampled_from(["settled", "open", "cashed_out", "void"]),
        "free_bet": st.booleans(),
        "window": st.sampled_from(["inside", "before", "after"]),
        "type_not_allowed": st.booleans(),
        "over_max": st.booleans(),
        "excluded": st.booleans(),
        "opposed": st.booleans(),
        "low_total": st.booleans(),
        "legs": st.sampled_from(["fine", "leg_below", "too_few"]),
    }
)


def faulty_case(faults: dict[str, Any]) -> tuple[dict[str, Any], list[ReasonCode]]:
    """An accumulator ``b1`` failing exactly the rules in ``faults``, and those rules."""
    odds = {
        "fine": ["2.00", "2.00", "2.00"],
        "leg_below": ["2.00", "2.00", "1.10"],
        "too_few": ["2.00", "1.10", "1.10"],
    }[faults["legs"]]
    status = faults["status"]
    result = {"open": "open", "void": "void"}.get(status, "lost")
    legs = [{"odds": price, "result": result} for price in odds]
    legs[0].update(event_id="e1", market="match_result", selection="home")
    legs[1]["market"] = "corners" if faults["excluded"] else "goals"
    placed = {
        "inside": "2026-11-10T12:00:00+00:00",
        "before": "2026-10-30T12:00:00+00:00",
        "after": "2026-12-02T12:00:00+00:00",
    }[faults["window"]]
    bet: dict[str, Any] = {
        "bet_id": "b1",
        "type": "accumulator",
        "stake": "100" if faults["over_max"] else "50",
        "placed_at": placed,
        "status": status,
        "free_bet": faults["free_bet"],
        "legs": legs,
    }
    if status != "open":
        bet["settled_at"] = placed
    bonus: dict[str, Any] = {
        "amount": "100",
        "currency": "EUR",
        "wagering": {"multiplier": "5", "base": "bonus"},
        "activated_at": ACTIVATED.isoformat(),
        "expires_at": EXPIRES.isoformat(),
        "bet_types": ["single"] if faults["type_not_allowed"] else ["accumulator"],
        "max_bet": "50",
        "excluded_markets": ["corners"],
        "min_odds": "10.00" if faults["low_total"] else "1.50",
        "leg_min_odds": "1.20",
    }
    if faults["legs"] == "too_few":
        bonus["min_qualifying_legs"] = 2
    bets = [bet]
    if faults["opposed"]:
        bets.append(
            {
                "bet_id": "hedge",
                "type": "single",
                "stake": "5",
                "status": "open",
                "placed_at": placed,
                "legs": [
                    {
                        "odds": "3.00",
                        "result": "open",
                        "event_id": "e1",
                        "market": "match_result",
                        "selection": "away",
                    }
                ],
            }
        )
    failing = {
        ReasonCode.NOT_SETTLED: status == "open",
        ReasonCode.CASHED_OUT: status == "cashed_out",
        ReasonCode.VOID: status == "void",
        ReasonCode.FREE_BET: faults["free_bet"],
        ReasonCode.PLACED_BEFORE_ACTIVATION: faults["window"] == "before",
        ReasonCode.PLACED_AFTER_EXPIRY: faults["window"] == "after",
        ReasonCode.BET_TYPE_NOT_ALLOWED: faults["type_not_allowed"],
        ReasonCode.EXCEEDS_MAX_BET: faults["over_max"],
        ReasonCode.EXCLUDED_MARKET: faults["excluded"],
        ReasonCode.OPPOSITE_OUTCOMES: faults["opposed"],
        ReasonCode.BELOW_MIN_ODDS: faults["low_total"],
        ReasonCode.LEG_BELOW_MIN_ODDS: faults["legs"] == "leg_below",
        ReasonCode.TOO_FEW_QUALIFYING_LEGS: faults["legs"] == "too_few",
    }
    return {"bonus": bonus, "bets": bets}, [code for code, fails in failing.items() if fails]


@given(FAULTS)
@settings(max_examples=300)
def test_the_first_failing_rule_in_contract_order_is_reported(faults: dict[str, Any]) -> None:
    case, failing = faulty_case(faults)
    reported = explain(case, now=NOW).bets[0].reason_code
    order = [code for code, _ in PRECEDENCE]
    expected = min(failing, key=order.index) if failing else ReasonCode.COUNTS
    assert reported is expected


# Each code as the fault that triggers it; codes in one group cannot fail together (a bet
# has one status, is placed once, and has one kind of leg shortfall).
AS_FAULT: dict[ReasonCode, tuple[str, Any]] = {
    ReasonCode.NOT_SETTLED: ("status", "open"),
    ReasonCode.CASHED_OUT: ("status", "cashed_out"),
    ReasonCode.VOID: ("status", "void"),
    ReasonCode.FREE_BET: ("free_bet", True),
    ReasonCode.PLACED_BEFORE_ACTIVATION: ("window", "before"),
    ReasonCode.PLACED_AFTER_EXPIRY: ("window", "after"),
    ReasonCode.BET_TYPE_NOT_ALLOWED: ("type_not_allowed", True),
    ReasonCode.EXCEEDS_MAX_BET: ("over_max", True),
    ReasonCode.EXCLUDED_MARKET: ("excluded", True),
    ReasonCode.OPPOSITE_OUTCOMES: ("opposed", True),
    ReasonCode.BELOW_MIN_ODDS: ("low_total", True),
    ReasonCode.LEG_BELOW_MIN_ODDS: ("legs", "leg_below"),
    ReasonCode.TOO_FEW_QUALIFYING_LEGS: ("legs", "too_few"),
}
NO_FAULT = {
    "status": "settled",
    "free_bet": False,
    "window": "inside",
    "type_not_allowed": False,
    "over_max": False,
    "excluded": False,
    "opposed": False,
    "low_total": False,
    "legs": "fine",
}
PAIRS = [
    (first, later)
    for index, (first, _) in enumerate(PRECEDENCE)
    for later, _ in PRECEDENCE[index + 1 :]
    if AS_FAULT[first][0] != AS_FAULT[later][0]
]


@pytest.mark.parametrize(("first", "later"), PAIRS, ids=str)
def test_of_two_failing_rules_the_earlier_is_reported(first: ReasonCode, later: ReasonCode) -> None:
    faults = dict(NO_FAULT)
    faults.update([AS_FAULT[first], AS_FAULT[later]])
    case, failing = faulty_case(faults)
    assert failing == [first, later]
    assert explain(case, now=NOW).bets[0].reason_code is first
