"""The contract's worked settlement cases, each settled as its note says."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from complaintdesk.betting.settlement import verify

REPOSITORY = Path(__file__).resolve().parents[3]
CASES_FILE = REPOSITORY.parent / "shared" / "examples" / "settlement" / "cases.json"
CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))


def test_the_worked_cases_are_all_there() -> None:
    assert len(CASES) >= 30
    assert len({case["id"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_worked_case_returns_what_the_contract_says(case: dict[str, Any]) -> None:
    verdict = verify(case["bet"])

    answer = verdict.to_dict()
    assert answer["expected_return"] == case["expected_return"], case["note"]
    assert answer["verdict"] == "not_paid_yet"
    assert answer["paid_return"] is None
    assert answer["difference"] is None
    assert answer["explanation"], "every verdict explains itself"


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_worked_case_paid_as_expected_is_correct_in_both_languages(case: dict[str, Any]) -> None:
    bet = {**case["bet"], "paid_return": case["expected_return"], "bet_id": case["id"]}

    english = verify(bet).to_dict()
    russian = verify(bet, language="ru").to_dict()

    assert english["verdict"] == russian["verdict"] == "correct"
    assert english["difference"] == "0.00"
    assert english["bet_id"] == case["id"]
    # The figures never depend on the language; only the sentences do.
    assert {k: v for k, v in english.items() if k != "explanation"} == {
        k: v for k, v in russian.items() if k != "explanation"
    }
    assert english["explanation"] != russian["explanation"]
    assert f"{case['expected_return']} {bet['currency']}" in " ".join(russian["explanation"])


# A case that returns nothing cannot be underpaid.
PAYING = [case for case in CASES if Decimal(case["expected_return"]) >= 1]


@pytest.mark.parametrize("case", PAYING, ids=[case["id"] for case in PAYING])
def test_worked_case_underpaid_by_a_pound_is_flagged(case: dict[str, Any]) -> None:
    bet = {**case["bet"], "paid_return": str(Decimal(case["expected_return"]) - 1)}

    verdict = verify(bet)

    assert verdict.verdict == "underpaid"
    assert verdict.difference == Decimal("-1.00")
