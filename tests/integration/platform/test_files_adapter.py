"""The files adapter on a folder of JSON Lines exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from complaintdesk.platform.errors import PlatformUnavailable
from complaintdesk.platform.files import FilesPlatform
from tests.platform_fixtures import ACCOUNT, NOW, UNDERPAID, write_folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "export")


def test_reads_customers_bets_payments_and_bonuses(folder: Path) -> None:
    platform = FilesPlatform(folder)
    customer = platform.get_customer(ACCOUNT)
    assert customer is not None
    assert customer.email == "ivan.petrov@example.com"
    bet = platform.get_bet("77881234")
    assert bet is not None
    assert bet.record["legs"][0]["selection_name"] == "Shishkin"
    assert [b.bet_id for b in platform.customer_bets(ACCOUNT, since=None) or []] == [
        "77881234",
        "44556677",
        "44556678",
    ]
    since = NOW.replace(day=18)
    assert [b.bet_id for b in platform.customer_bets(ACCOUNT, since=since) or []] == [
        "44556677",
        "44556678",
    ]
    transactions = platform.customer_transactions(ACCOUNT, since=None) or []
    assert [t.transaction_id for t in transactions] == ["TX-5512399", "TX-5512345", "TX-5500001"]
    assert transactions[1].for_explainer()["decline_code"] == "51"
    assert [b.bonus_id for b in platform.customer_bonuses(ACCOUNT) or []] == ["BN-100"]


def test_unknown_records_are_none_not_errors(folder: Path) -> None:
    platform = FilesPlatform(folder)
    assert platform.get_bet("12345678") is None
    assert platform.get_customer("AC-0") is None
    assert platform.customer_bets("AC-0", since=None) is None
    assert platform.customer_bonuses("AC-0") is None


def test_without_a_customers_file_every_account_exists(folder: Path) -> None:
    (folder / "customers.jsonl").unlink()
    (folder / "bonuses.jsonl").unlink()
    platform = FilesPlatform(folder)
    assert platform.customer_transactions("AC-0", since=None) == []
    assert platform.customer_bonuses(ACCOUNT) == []  # no file: no bonuses, not a failure


def test_a_new_export_is_read_without_a_restart(folder: Path) -> None:
    platform = FilesPlatform(folder)
    assert platform.get_bet("55555555") is None
    added = {**UNDERPAID, "bet_id": "55555555"}
    with (folder / "bets.jsonl").open("a", encoding="utf-8") as bets:
        bets.write(json.dumps(added) + "\n")
    bet = platform.get_bet("55555555")
    assert bet is not None
    assert bet.bet_id == "55555555"


def test_a_line_that_is_not_json_makes_the_file_unavailable(folder: Path) -> None:
    with (folder / "bets.jsonl").open("a", encoding="utf-8") as bets:
        bets.write('{"bet_id": "1", "legs": [\n')
    platform = FilesPlatform(folder)
    with pytest.raises(PlatformUnavailable, match=r"bets\.jsonl line 4 is not JSON"):
        platform.get_bet("77881234")
    # The other files still answer.
    assert platform.get_customer(ACCOUNT) is not None


def test_a_record_breaking_the_contract_names_its_line(folder: Path) -> None:
    (folder / "transactions.jsonl").write_text(
        json.dumps({"transaction_id": "T1", "kind": "refund"}) + "\n", encoding="utf-8"
    )
    with pytest.raises(PlatformUnavailable, match=r"transactions\.jsonl line 1: .*kind"):
        FilesPlatform(folder).customer_transactions(ACCOUNT, since=None)


def test_a_missing_folder_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(PlatformUnavailable, match="is missing"):
        FilesPlatform(tmp_path / "nowhere").get_bet("77881234")
