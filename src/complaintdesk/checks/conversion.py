"""The platform's bet slips as the wagering explainer reads bets (``wagering.md``).

A slip carries the settlement contract's legs (prices in any style, Asian lines with
scores, races with positions); the explainer wants each leg's decimal odds and plain
result, and the bet's whole outlay as its stake. The outlay comes from the settlement
verifier itself, so that systems and each-way bets count exactly what was staked.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from complaintdesk.betting.settlement import verify
from complaintdesk.betting.settlement.odds import parse_odds
from complaintdesk.platform.records import Bet

_STATUSES = {"settled": "settled", "won": "settled", "lost": "settled", "open": "open"}
_STATUSES |= {"cashed_out": "cashed_out", "void": "void"}
_FOUR_PLACES = Decimal("0.0001")


def wagering_bet(bet: Bet) -> dict[str, Any]:
    """The wagering explainer's bet for ``bet``; raises InvalidInput for a broken slip."""
    record = bet.record
    out: dict[str, Any] = {
        "bet_id": bet.bet_id,
        "type": record["type"],
        "stake": str(outlay(record)),
        "placed_at": bet.placed_at.isoformat(),
        # A status the explainer does not know counts as not settled: nothing is credited
        # that the platform did not say was settled.
        "status": _STATUSES.get(bet.status, "open"),
        "currency": bet.currency,
        "legs": [_leg(leg) for leg in record["legs"]],
    }
    if bet.settled_at is not None:
        out["settled_at"] = bet.settled_at.isoformat()
    if record.get("free_bet") is True:
        out["free_bet"] = True
    return out


def outlay(record: Mapping[str, Any]) -> Decimal:
    """What the slip cost: every line of a system, both parts of an each-way bet.

    Settled as a cash-out of nothing, the verifier needs no results, so an open bet's
    outlay is known too."""
    probe = {k: v for k, v in record.items() if k not in ("paid_return", "cash_out")}
    return verify({**probe, "cash_out": "0"}).outlay


def _leg(leg: Mapping[str, Any]) -> dict[str, Any]:
    price = leg.get("odds")
    palpable = leg.get("palpable_error")
    if isinstance(palpable, Mapping) and palpable.get("correct_odds") is not None:
        price = palpable["correct_odds"]
    out: dict[str, Any] = {
        "odds": _decimal(parse_odds(price, "odds").decimal),
        "result": _result(leg),
    }
    for ours, theirs in (
        ("event_id", "event"),
        ("market", "market_name"),
        ("selection", "selection_name"),
    ):
        if isinstance(leg.get(theirs), str) and leg[theirs].strip():
            out[ours] = leg[theirs]
    return out


def _decimal(value: Fraction) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP))


def _result(leg: Mapping[str, Any]) -> str:
    market = leg.get("market", "fixed")
    if market == "fixed":
        result = leg.get("result")
        return result if isinstance(result, str) else "open"
    if market == "race":
        if leg.get("non_runner") is True:
            return "void"
        if "position" not in leg:
            return "open"
        return "won" if leg.get("position") == 1 else "lost"
    if market == "asian_handicap":
        score, before = leg.get("score"), leg.get("score_at_placement") or [0, 0]
        if not isinstance(score, list) or len(score) != 2:
            return "open"
        margin = Fraction(score[0] - before[0]) - Fraction(score[1] - before[1])
        return _asian(margin, Fraction(str(leg.get("line", "0"))))
    if market == "asian_total":
        total = leg.get("total")
        if not isinstance(total, int):
            return "open"
        line = Fraction(str(leg.get("line", "0")))
        if leg.get("side") == "over":
            return _asian(Fraction(total), -line)
        return _asian(-Fraction(total), line)
    return "open"


def _asian(margin: Fraction, line: Fraction) -> str:
    """won/half_won/push/half_lost/lost for ``margin + line``; a quarter line is two
    half-stakes on the lines a quarter either side."""
    halves = [line - Fraction(1, 4), line + Fraction(1, 4)] if (line * 4) % 2 else [line, line]
    signs = sorted((margin + h > 0) - (margin + h < 0) for h in halves)
    return {
        (1, 1): "won",
        (0, 1): "half_won",
        (0, 0): "push",
        (-1, 0): "half_lost",
        (-1, -1): "lost",
        (-1, 1): "push",
    }[(signs[0], signs[1])]
