"""Records from the platform are validated; a malformed one is "unavailable", not a crash."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.platform.errors import PlatformUnavailable
from complaintdesk.platform.records import (
    parse_bet,
    parse_bonus,
    parse_customer,
    parse_items,
    parse_transaction,
)
from tests.platform_fixtures import BONUS, CUSTOMER, DECLINED, HELD, UNDERPAID


def test_a_bet_keeps_its_whole_record_for_the_verifier() -> None:
    bet = parse_bet(UNDERPAID)
    assert bet.bet_id == "77881234"
    assert bet.placed_at.tzinfo is not None
    assert bet.record == UNDERPAID


def test_numeric_ids_become_text() -> None:
    assert parse_bet({**UNDERPAID, "bet_id": 77881234}).bet_id == "77881234"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"legs": []}, "legs"),
        ({"placed_at": "2026-11-20T12:00:00"}, "placed_at"),  # no offset
        ({"account_id": None}, "account_id"),
        ({"bet_id": True}, "bet_id"),
        ({"status": 3}, "status"),
    ],
)
def test_a_bet_breaking_the_contract_is_unavailable(change: dict[str, Any], where: str) -> None:
    with pytest.raises(PlatformUnavailable, match=where):
        parse_bet({**UNDERPAID, **change})


def test_not_an_object_is_unavailable() -> None:
    with pytest.raises(PlatformUnavailable, match="not a JSON object"):
        parse_customer(["AC-1"])
    with pytest.raises(PlatformUnavailable, match="items"):
        parse_items({"data": []}, parse_bet, "bets")


def test_transactions_pass_only_the_explainers_fields() -> None:
    record = {**DECLINED, "internal_ref": "x-1", "reason_code": None}
    assert parse_transaction(record).for_explainer() == {
        k: v for k, v in DECLINED.items() if k != "account_id"
    }
    assert parse_transaction(HELD).for_explainer()["reason_code"] == "aml_review"
    with pytest.raises(PlatformUnavailable, match="kind"):
        parse_transaction({**DECLINED, "kind": "refund"})


def test_a_bonus_splits_its_terms_from_the_platforms_own_fields() -> None:
    bonus = parse_bonus({**BONUS, "bonus_balance": "20.00"})
    assert bonus.status == "active"
    assert bonus.balance == "20.00"
    assert bonus.account_id == "AC-1001"
    assert set(bonus.terms) == set(BONUS) - {"status", "account_id", "name"}


def test_a_customer_flag_must_be_a_boolean() -> None:
    with pytest.raises(PlatformUnavailable, match="self_excluded"):
        parse_customer({**CUSTOMER, "self_excluded": "no"})
