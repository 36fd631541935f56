"""What the customer reads: the summary paragraph and the bet reasons, in English and Russian."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from complaintdesk.betting.wagering import explain
from complaintdesk.betting.wagering.wording import (
    format_amount,
    format_date,
    format_odds,
    plural_ru,
)

NOW = datetime(2026, 11, 20, tzinfo=UTC)
NBSP = "\u00a0"


def single(bet_id: str, odds: str = "2.00", stake: str = "100", **fields: Any) -> dict[str, Any]:
    record = {
        "bet_id": bet_id,
        "type": "single",
        "stake": stake,
        "placed_at": "2026-11-10T12:00:00Z",
        "settled_at": "2026-11-10T20:00:00Z",
        "status": "settled",
        "legs": [{"odds": odds, "result": "lost"}],
    }
    record.update(fields)
    return record


def still_open(bet_id: str) -> dict[str, Any]:
    return single(bet_id, status="open", settled_at=None, legs=[{"odds": "2.00", "result": "open"}])


def summary(bets: list[dict[str, Any]], language: str, now: datetime = NOW, **terms: Any) -> str:
    bonus = {
        "amount": "75",
        "deposit": "500",
        "currency": "EUR",
        "wagering": {"multiplier": "4", "base": "deposit_plus_bonus"},
        "activated_at": "2026-11-01T00:00:00Z",
        "expires_at": "2026-12-01T00:00:00Z",
        "min_odds": "1.51",
        **terms,
    }
    case: dict[str, Any] = {"bonus": bonus, "bets": bets}
    if "bonus_balance" in terms:
        case["bonus_balance"] = bonus.pop("bonus_balance")
    return explain(case, language=language, now=now).summary


# The issue's own example: 300 of 2,300 EUR wagered, two bets below 1.51, one open.
EXAMPLE = [
    single("b1", stake="300", odds="1.91"),
    single("b2", odds="1.45"),
    single("b3", odds="1.50"),
    still_open("b4"),
]


def test_the_issue_example_in_english() -> None:
    assert summary(EXAMPLE, "en") == (
        "You have wagered 300 of 2,300 EUR. "
        "Two bets did not count because their odds were below 1.51. "
        "One bet is still open. Open bets count once they are settled. "
        "The bonus expires on 1 December 2026 at 00:00 UTC."
    )


def test_the_issue_example_in_russian() -> None:
    assert summary(EXAMPLE, "ru") == (
        f"Вы отыграли 300 из 2{NBSP}300 EUR. "
        "Две ставки не засчитаны, так как их коэффициенты ниже 1,51. "
        "Одна ставка ещё не рассчитана. Открытые ставки засчитываются после расчёта. "
        f"Срок действия бонуса истекает 1 декабря 2026{NBSP}г. в 00:00 UTC."
    )


@pytest.mark.parametrize(
    ("count", "english", "russian"),
    [
        (
            1,
            "One bet did not count because its odds were below 1.51.",
            "Одна ставка не засчитана, так как её коэффициент ниже 1,51.",
        ),
        (
            2,
            "Two bets did not count because their odds were below 1.51.",
            "Две ставки не засчитаны, так как их коэффициенты ниже 1,51.",
        ),
        (4, "Four bets did not count", "Четыре ставки не засчитаны"),
        (5, "Five bets did not count", "Пять ставок не засчитаны"),
        (11, "11 bets did not count", "11 ставок не засчитаны"),
        (21, "21 bets did not count", "21 ставка не засчитана, так как их коэффициенты"),
        (22, "22 bets did not count", "22 ставки не засчитаны"),
    ],
)
def test_counts_read_naturally(count: int, english: str, russian: str) -> None:
    low = [single(f"b{index}", odds="1.20") for index in range(count)]
    assert english in summary(low, "en")
    assert russian in summary(low, "ru")


@pytest.mark.parametrize(
    ("count", "english", "russian"),
    [
        (1, "One bet is still open.", "Одна ставка ещё не рассчитана."),
        (3, "Three bets are still open.", "Три ставки ещё не рассчитаны."),
        (6, "Six bets are still open.", "Шесть ставок ещё не рассчитаны."),
    ],
)
def test_open_bets(count: int, english: str, russian: str) -> None:
    bets = [still_open(f"b{index}") for index in range(count)]
    assert english in summary(bets, "en")
    assert russian in summary(bets, "ru")


@pytest.mark.parametrize(
    ("number", "form"),
    [
        (1, "ставка"),
        (2, "ставки"),
        (4, "ставки"),
        (5, "ставок"),
        (11, "ставок"),
        (12, "ставок"),
        (14, "ставок"),
        (21, "ставка"),
        (22, "ставки"),
        (25, "ставок"),
        (101, "ставка"),
        (111, "ставок"),
        (0, "ставок"),
    ],
)
def test_russian_plural_forms(number: int, form: str) -> None:
    assert plural_ru(number, "ставка", "ставки", "ставок") == form


def test_reasons_are_grouped_in_order_of_precedence() -> None:
    bets = [
        single("low", odds="1.20"),
        single("cashed", status="cashed_out"),
        single("free", free_bet=True),
        single("big", stake="1000"),
    ]
    text = summary(bets, "en", max_bet="500")
    assert text.index("cashed out") < text.index("free bet") < text.index("maximum bet")
    assert text.index("maximum bet of 500 EUR") < text.index("below 1.51")


@pytest.mark.parametrize(
    ("terms", "bet", "english", "russian"),
    [
        (
            {"bet_types": ["accumulator", "system"]},
            single("b1"),
            "only accumulators and system bets count towards this bonus",
            "в отыгрыше этого бонуса учитываются только экспрессы и системы",
        ),
        (
            {"max_bet": "50"},
            single("b1"),
            "its stake was above the maximum bet of 50 EUR",
            "её сумма больше максимальной ставки 50 EUR",
        ),
        (
            {},
            single("b1", placed_at="2026-10-30T10:00:00Z"),
            "it was placed before the bonus was activated",
            "она сделана до активации бонуса",
        ),
        (
            {},
            single("b1", status="void", legs=[{"odds": "2.00", "result": "void"}]),
            "it was settled as void",
            "она рассчитана как возврат",
        ),
        (
            {"min_odds": None, "leg_min_odds": "1.40", "min_qualifying_legs": 3},
            {
                **single("b1"),
                "type": "accumulator",
                "legs": [{"odds": "1.50", "result": "lost"}, {"odds": "1.30", "result": "lost"}],
            },
            "it had fewer than 3 selections at odds of 1.40 or more",
            "в ней меньше 3 событий с коэффициентом от 1,40",
        ),
    ],
)
def test_reason_sentences(
    terms: dict[str, Any], bet: dict[str, Any], english: str, russian: str
) -> None:
    assert english in summary([bet], "en", **terms)
    assert russian in summary([bet], "ru", **terms)


def test_after_expiry_the_summary_says_so_in_the_past() -> None:
    later = datetime(2026, 12, 5, tzinfo=UTC)
    assert summary(EXAMPLE, "en", now=later).endswith(
        "The bonus expired on 1 December 2026 at 00:00 UTC before the wagering was completed."
    )
    assert summary(EXAMPLE, "ru", now=later).endswith(
        f"Срок действия бонуса истёк 1 декабря 2026{NBSP}г. в 00:00 UTC, "
        "до выполнения условия отыгрыша."
    )


def test_once_complete_the_summary_says_what_converts() -> None:
    done = [single("b1", stake="2400", settled_at="2026-11-14T18:30:00Z")]
    terms = {"max_conversion": "1000", "bonus_balance": "2400"}
    assert summary(done, "en", **terms) == (
        "You completed the 2,300 EUR wagering requirement on 14 November 2026 at 18:30 UTC. "
        "Your qualifying bets total 2,400 EUR. "
        "1,000 EUR of your 2,400 EUR bonus balance can be converted to cash, the most this "
        "bonus allows; the remaining 1,400 EUR is forfeited."
    )
    assert summary(done, "ru", **terms) == (
        f"Условие отыгрыша (2{NBSP}300 EUR) выполнено 14 ноября 2026{NBSP}г. в 18:30 UTC. "
        f"Всего засчитано ставок на 2{NBSP}400 EUR. "
        f"Из бонусного баланса 2{NBSP}400 EUR в реальные деньги можно перевести "
        f"1{NBSP}000 EUR — это максимум по условиям бонуса; остаток 1{NBSP}400 EUR аннулируется."
    )


def test_a_complete_bonus_without_a_cap_converts_in_full() -> None:
    done = [single("b1", stake="2300")]
    assert summary(done, "en").endswith("Your bonus balance can now be converted to cash.")
    assert summary(done, "ru").endswith("Бонусный баланс теперь можно перевести в реальные деньги.")


def test_release_in_steps_is_explained() -> None:
    half = [single("b1", stake="1150")]
    assert (
        "37.50 EUR of the 75 EUR bonus has been released so far; "
        "it is released in 2 equal parts as you wager."
    ) in summary(half, "en", release_steps=2)
    assert (
        "Из бонуса 75 EUR уже начислено 37,50 EUR; бонус начисляется в 2 этапа по мере отыгрыша."
    ) in summary(half, "ru", release_steps=2)
    assert "в 5 этапов" in summary(half, "ru", release_steps=5)


def test_bet_reasons_in_russian() -> None:
    bets = [single("b1", odds="1.45"), single("b2", stake="300")]
    case = {
        "bonus": {
            "amount": "100",
            "currency": "RUB",
            "wagering": {"multiplier": "5", "base": "bonus"},
            "activated_at": "2026-11-01T00:00:00Z",
            "expires_at": "2026-12-01T00:00:00Z",
            "min_odds": "1.51",
        },
        "bets": bets,
    }
    reasons = [line.reason for line in explain(case, language="ru", now=NOW).bets]
    assert reasons == [
        "Коэффициент 1,45 ниже минимального (1,51).",
        "Засчитана: сумма ставки 300 RUB идёт в отыгрыш.",
    ]


@pytest.mark.parametrize(
    ("value", "language", "text"),
    [
        (Decimal("2300"), "en", "2,300 EUR"),
        (Decimal("2300"), "ru", f"2{NBSP}300 EUR"),
        (Decimal("1234567.5"), "en", "1,234,567.50 EUR"),
        (Decimal("1234567.5"), "ru", f"1{NBSP}234{NBSP}567,50 EUR"),
        (Decimal("0.456"), "en", "0.46 EUR"),
        (Decimal("999"), "en", "999 EUR"),
    ],
)
def test_amounts_are_written_as_each_language_writes_them(
    value: Decimal, language: str, text: str
) -> None:
    assert format_amount(value, "EUR", language) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [("1.4", "1.40"), ("2", "2.00"), ("3.480000", "3.48"), ("2.375", "2.375"), ("1.505", "1.505")],
)
def test_odds_are_shown_exactly(value: str, text: str) -> None:
    assert format_odds(Decimal(value), "en") == text


def test_dates_use_the_genitive_in_russian() -> None:
    moment = datetime(2026, 3, 8, 23, 30, tzinfo=UTC)
    assert format_date(moment, "en") == "8 March 2026"
    assert format_date(moment, "ru") == f"8 марта 2026{NBSP}г."
