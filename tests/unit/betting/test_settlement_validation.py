"""Bets that break the contract are refused, naming the field to fix."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.betting.settlement import verify


def fixed_single() -> dict[str, Any]:
    return {
        "bet_id": "b1",
        "type": "single",
        "currency": "GBP",
        "stake": "10",
        "legs": [{"odds": "2.50", "result": "won"}],
    }


def race_each_way() -> dict[str, Any]:
    leg = {"market": "race", "odds": "5/1", "position": 1, "places": 3, "place_fraction": "1/4"}
    return {"type": "single", "currency": "GBP", "stake": "10", "each_way": True, "legs": [leg]}


def handicap_single() -> dict[str, Any]:
    leg = {"market": "asian_handicap", "odds": "1.90", "line": "-0.5", "score": [2, 1]}
    return {"type": "single", "currency": "EUR", "stake": "10", "legs": [leg]}


def total_single() -> dict[str, Any]:
    leg = {"market": "asian_total", "odds": "1.90", "side": "over", "line": "2.5", "total": 3}
    return {"type": "single", "currency": "EUR", "stake": "10", "legs": [leg]}


def yankee() -> dict[str, Any]:
    legs = [{"odds": "2.0", "result": "won"} for _ in range(4)]
    return {"type": "system", "system": "yankee", "currency": "GBP", "stake": "1", "legs": legs}


Change = Callable[[dict[str, Any]], None]


def setter(path: str, value: Any) -> Change:
    """Set ``value`` at a dotted path such as ``legs.0.odds``."""

    def change(record: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = record
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


def remover(path: str) -> Change:
    def change(record: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = record
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        del target[last]

    return change


CASES: list[tuple[str, Callable[[], dict[str, Any]], Change, str, str]] = [
    # (name, base bet, change, field named, words of the message)
    ("odds of one", fixed_single, setter("legs.0.odds", "1.00"), "legs[0].odds", "greater than 1"),
    ("odds below one", fixed_single, setter("legs.0.odds", "0.5"), "legs[0].odds", "greater"),
    ("odds as a float", fixed_single, setter("legs.0.odds", 2.5), "legs[0].odds", "string"),
    ("odds not a price", fixed_single, setter("legs.0.odds", "two"), "legs[0].odds", "not a price"),
    ("odds negative", fixed_single, setter("legs.0.odds", "-2.5"), "legs[0].odds", "American"),
    ("fraction of zero", fixed_single, setter("legs.0.odds", "0/1"), "legs[0].odds", "greater"),
    ("fraction over zero", fixed_single, setter("legs.0.odds", "5/0"), "legs[0].odds", "greater"),
    ("American under 100", fixed_single, setter("legs.0.odds", "+50"), "legs[0].odds", "+100"),
    ("odds missing", fixed_single, remover("legs.0.odds"), "legs[0].odds", "required"),
    (
        "odds of 5000 digits",
        fixed_single,
        setter("legs.0.odds", "9" * 5000),
        "legs[0].odds",
        "longer",
    ),
    ("stake of 5000 digits", fixed_single, setter("stake", "9" * 5000), "stake", "longer"),
    ("stake negative", fixed_single, setter("stake", "-5"), "stake", "negative"),
    ("stake zero", fixed_single, setter("stake", "0"), "stake", "greater than 0"),
    ("stake a float", fixed_single, setter("stake", 10.5), "stake", "string"),
    ("stake a number", fixed_single, setter("stake", 10), "stake", "string"),
    ("stake not money", fixed_single, setter("stake", "ten"), "stake", "not an amount"),
    ("stake below a penny", fixed_single, setter("stake", "0.125"), "stake", "decimal places"),
    ("stake missing", fixed_single, remover("stake"), "stake", "required"),
    ("paid not money", fixed_single, setter("paid_return", "lots"), "paid_return", "amount"),
    ("paid negative", fixed_single, setter("paid_return", "-1"), "paid_return", "negative"),
    ("cash-out a float", fixed_single, setter("cash_out", 1.5), "cash_out", "string"),
    ("cap negative", fixed_single, setter("max_winnings", "-1"), "max_winnings", "negative"),
    ("currency lower", fixed_single, setter("currency", "gbp"), "currency", "ISO 4217"),
    ("currency missing", fixed_single, remover("currency"), "currency", "required"),
    ("unknown type", fixed_single, setter("type", "double"), "type", "single"),
    ("unknown stake_per", fixed_single, setter("stake_per", "leg"), "stake_per", "line"),
    ("misspelt field", fixed_single, setter("each_wya", True), "each_wya", "unknown"),
    ("flag as text", fixed_single, setter("free_bet", "true"), "free_bet", "true or false"),
    ("bet id a list", fixed_single, setter("bet_id", ["b"]), "bet_id", "string"),
    (
        "unknown leg field",
        fixed_single,
        setter("legs.0.colour", "red"),
        "legs[0].colour",
        "unknown",
    ),
    ("unknown market", fixed_single, setter("legs.0.market", "exotic"), "legs[0].market", "fixed"),
    ("result missing", fixed_single, remover("legs.0.result"), "legs[0].result", "required"),
    ("result unknown", fixed_single, setter("legs.0.result", "win"), "legs[0].result", "won"),
    ("line on fixed", fixed_single, setter("legs.0.line", "0.5"), "legs[0].line", "does not apply"),
    ("places on fixed", fixed_single, setter("legs.0.places", 3), "legs[0].places", "fixed leg"),
    (
        "result on a race",
        race_each_way,
        setter("legs.0.result", "won"),
        "legs[0].result",
        "race leg",
    ),
    (
        "dead heat tied 0",
        fixed_single,
        setter("legs.0.dead_heat", {"tied": 0}),
        "legs[0].dead_heat.tied",
        "at least 1",
    ),
    (
        "dead heat position 0",
        fixed_single,
        setter("legs.0.dead_heat", {"tied": 2, "position": 0}),
        "legs[0].dead_heat.position",
        "at least 1",
    ),
    (
        "dead heat places 0",
        fixed_single,
        setter("legs.0.dead_heat", {"tied": 2, "places": 0}),
        "legs[0].dead_heat.places",
        "at least 1",
    ),
    (
        "dead heat outside the places",
        fixed_single,
        setter("legs.0.dead_heat", {"tied": 2, "places": 3, "position": 4}),
        "legs[0].dead_heat.position",
        "outside",
    ),
    (
        "dead heat unknown field",
        fixed_single,
        setter("legs.0.dead_heat", {"tied": 2, "runners": 9}),
        "legs[0].dead_heat.runners",
        "unknown",
    ),
    (
        "dead heat on a loser",
        fixed_single,
        lambda b: b["legs"][0].update(result="lost", dead_heat={"tied": 2}),
        "legs[0].dead_heat",
        "won",
    ),
    (
        "palpable error unknown field",
        fixed_single,
        setter("legs.0.palpable_error", {"correct": "2.0"}),
        "legs[0].palpable_error.correct",
        "unknown",
    ),
    (
        "palpable error bad price",
        fixed_single,
        setter("legs.0.palpable_error", {"correct_odds": "1"}),
        "legs[0].palpable_error.correct_odds",
        "greater than 1",
    ),
    ("rules unknown", fixed_single, setter("rules", {"rule5": "1"}), "rules.rule5", "unknown"),
    (
        "rule4 cap of one",
        fixed_single,
        setter("rules", {"rule4_cap": "1"}),
        "rules.rule4_cap",
        "less than 1",
    ),
    (
        "rounding unknown",
        fixed_single,
        setter("rules", {"rounding": "down"}),
        "rules.rounding",
        "half_up_per_bet",
    ),
    ("rules a list", fixed_single, setter("rules", ["x"]), "rules", "object"),
    ("single of two", fixed_single, lambda b: b["legs"].append(b["legs"][0]), "legs", "exactly 1"),
    ("no legs", fixed_single, setter("legs", []), "legs", "non-empty"),
    ("leg not an object", fixed_single, setter("legs.0", "2.50"), "legs[0]", "object"),
    (
        "accumulator of one",
        fixed_single,
        setter("type", "accumulator"),
        "legs",
        "at least 2",
    ),
    ("system on a single", fixed_single, setter("system", "yankee"), "system", "only a system"),
    ("yankee of three", yankee, lambda b: b["legs"].pop(), "legs", "exactly 4"),
    ("unknown system", yankee, setter("system", "canadian_plus"), "system", "unknown system"),
    ("system missing", yankee, remover("system"), "system", "required"),
    ("sizes too big", yankee, setter("system", {"sizes": [5]}), "system.sizes[0]", "at least 5"),
    ("sizes zero", yankee, setter("system", {"sizes": [2, 0]}), "system.sizes[1]", "at least 1"),
    ("sizes empty", yankee, setter("system", {"sizes": []}), "system.sizes", "non-empty"),
    ("sizes repeated", yankee, setter("system", {"sizes": [2, 2]}), "system.sizes", "once"),
    ("system unknown key", yankee, setter("system", {"size": [2]}), "system.size", "unknown"),
    ("line not quarter", handicap_single, setter("legs.0.line", "0.3"), "legs[0].line", "0.25"),
    ("line a float", handicap_single, setter("legs.0.line", -0.5), "legs[0].line", "string"),
    ("line missing", handicap_single, remover("legs.0.line"), "legs[0].line", "required"),
    ("score missing", handicap_single, remover("legs.0.score"), "legs[0].score", "required"),
    ("score of one", handicap_single, setter("legs.0.score", [1]), "legs[0].score", "pair"),
    (
        "score negative",
        handicap_single,
        setter("legs.0.score", [1, -1]),
        "legs[0].score[1]",
        "at least 0",
    ),
    (
        "goals before more than after",
        handicap_single,
        setter("legs.0.score_at_placement", [3, 0]),
        "legs[0].score_at_placement",
        "more goals",
    ),
    ("side missing", total_single, remover("legs.0.side"), "legs[0].side", "over"),
    ("total negative", total_single, setter("legs.0.total", -1), "legs[0].total", "at least 0"),
    (
        "total line negative",
        total_single,
        setter("legs.0.line", "-1.5"),
        "legs[0].line",
        "negative",
    ),
    ("total missing", total_single, remover("legs.0.total"), "legs[0].total", "required"),
    (
        "position zero",
        race_each_way,
        setter("legs.0.position", 0),
        "legs[0].position",
        "at least 1",
    ),
    ("position missing", race_each_way, remover("legs.0.position"), "legs[0].position", "null"),
    ("tied zero", race_each_way, setter("legs.0.tied", 0), "legs[0].tied", "at least 1"),
    (
        "non-runner placed",
        race_each_way,
        setter("legs.0.non_runner", True),
        "legs[0].position",
        "non-runner",
    ),
    (
        "rule4 of one",
        race_each_way,
        setter("legs.0.rule4", ["1.0"]),
        "legs[0].rule4[0]",
        "less than 1",
    ),
    (
        "rule4 negative",
        race_each_way,
        setter("legs.0.rule4", ["-0.1"]),
        "legs[0].rule4[0]",
        "share",
    ),
    ("rule4 not a list", race_each_way, setter("legs.0.rule4", "0.25"), "legs[0].rule4", "list"),
    (
        "place fraction zero",
        race_each_way,
        setter("legs.0.place_fraction", "0"),
        "legs[0].place_fraction",
        "greater than 0",
    ),
    (
        "place fraction above one",
        race_each_way,
        setter("legs.0.place_fraction", "3/2"),
        "legs[0].place_fraction",
        "at most 1",
    ),
    (
        "each way without places",
        race_each_way,
        remover("legs.0.places"),
        "legs[0].places",
        "each-way",
    ),
    (
        "each way without fraction",
        race_each_way,
        remover("legs.0.place_fraction"),
        "legs[0].place_fraction",
        "each-way",
    ),
    (
        "each way on a fixed leg",
        fixed_single,
        setter("each_way", True),
        "legs[0].market",
        "each-way",
    ),
    (
        "starting price not a price",
        race_each_way,
        setter("legs.0.starting_price", "SP"),
        "legs[0].starting_price",
        "not a price",
    ),
    ("bog as text", race_each_way, setter("legs.0.bog", "yes"), "legs[0].bog", "true or false"),
]


@pytest.mark.parametrize(
    ("base", "change", "field", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_an_invalid_bet_is_refused_naming_the_field(
    base: Callable[[], dict[str, Any]], change: Change, field: str, words: str
) -> None:
    record = base()
    verify(record)  # the base bet is valid: the change alone breaks it
    broken = copy.deepcopy(record)
    change(broken)

    with pytest.raises(InvalidInput) as raised:
        verify(broken)

    assert raised.value.field == field
    assert words in raised.value.message
    assert str(raised.value) == f"{field}: {raised.value.message}"


def test_a_bet_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        verify(["not", "a", "bet"])  # type: ignore[arg-type]
    assert "JSON object" in raised.value.message


def test_a_broken_named_profile_is_named_as_a_profile() -> None:
    record = {**fixed_single(), "rules": "house"}
    with pytest.raises(InvalidInput) as raised:
        verify(record, profiles={"house": {"rule4_cap": "2"}})
    assert raised.value.field == "profiles['house'].rule4_cap"


def test_a_cashed_out_bet_needs_no_results_but_still_valid_prices() -> None:
    record = {**fixed_single(), "cash_out": "5.00"}
    del record["legs"][0]["result"]
    assert verify(record).to_dict()["expected_return"] == "5.00"

    record["legs"][0]["odds"] = "1"
    with pytest.raises(InvalidInput) as raised:
        verify(record)
    assert raised.value.field == "legs[0].odds"


def test_nulls_are_the_same_as_leaving_an_optional_field_out() -> None:
    record = {
        **fixed_single(),
        "paid_return": None,
        "cash_out": None,
        "max_winnings": None,
        "rules": None,
        "each_way": None,
        "free_bet": None,
    }
    assert verify(record).to_dict()["expected_return"] == "25.00"
