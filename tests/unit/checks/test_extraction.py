"""Bet and payment ids found in what customers write, in English and Russian."""

from __future__ import annotations

import pytest

from complaintdesk.checks.extraction import MAX_IDS, bet_finder, transaction_finder


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("Coupon 778812: Arsenal to win, they won 2-1", ["778812"]),
        ("My bet ID 12345678 was settled as lost", ["12345678"]),
        ("bet slip no. B-99812 and ticket #4455661", ["B-99812", "4455661"]),
        ("the ID of my bet: 7654321", ["7654321"]),
        ("купон №778812 рассчитан неверно", ["778812"]),
        ("ставка 445566 проиграна", ["445566"]),
        ("Номер ставки: 12345678", ["12345678"]),
        ("по купону 778812 и по экспрессу № 998877", ["778812", "998877"]),
        ("Фрибет 41234567 выиграл", ["41234567"]),
    ],
)
def test_finds_bet_ids_after_the_words_customers_use(text: str, ids: list[str]) -> None:
    assert bet_finder().find(text) == ids


@pytest.mark.parametrize(
    "text",
    [
        "ставка 10000 рублей не прошла",
        "I placed a bet of 25 pounds",
        "my bet 20000 EUR is gone",
        "ставки на 15000 тыс",
        "a bet on match 3",
        "I bet on Arsenal",
    ],
)
def test_amounts_and_small_numbers_are_not_ids(text: str) -> None:
    assert bet_finder().find(text) == []


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("withdrawal TX-884512 was declined", ["TX-884512"]),
        ("payment ID: 5512345", ["5512345"]),
        ("Номер транзакции 99182731", ["99182731"]),
        ("вывел деньги (платёж №TX-1619421), не пришли", ["TX-1619421"]),
        ("вывод 50000 рублей завис", []),
        ("deposit of 100 GBP declined", []),
    ],
)
def test_finds_payment_ids(text: str, ids: list[str]) -> None:
    assert transaction_finder().find(text) == ids


def test_each_id_once_in_first_seen_order_across_subject_and_text() -> None:
    finder = bet_finder()
    assert finder.find("Coupon 778812", "coupon 778812 and bet 123456") == ["778812", "123456"]


def test_an_operator_uses_its_own_format() -> None:
    finder = bet_finder([r"\b(?P<id>SB-[0-9]{6})\b"])
    assert finder.find("The slip SB-004211 and coupon 778812") == ["SB-004211"]


def test_a_pasted_statement_is_cut_to_the_first_ids() -> None:
    text = " ".join(f"bet {100000 + n}" for n in range(50))
    assert len(bet_finder().find(text)) == MAX_IDS
