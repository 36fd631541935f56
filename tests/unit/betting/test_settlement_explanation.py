"""The explanation: one plain sentence per rule applied, in English and in Russian."""

from __future__ import annotations

from typing import Any

import pytest

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.betting.settlement import verify
from complaintdesk.betting.settlement.sentences_ru import plural


def bet(*legs: dict[str, Any], **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": "single" if len(legs) == 1 else "accumulator",
        "currency": "GBP",
        "stake": "10",
        "legs": list(legs),
    }
    record.update(fields)
    return record


def explain(record: dict[str, Any], language: str = "en") -> list[str]:
    return list(verify(record, language=language).explanation)


EACH_WAY_WINNER = bet(
    {"market": "race", "odds": "7/4", "position": 1, "places": 4, "place_fraction": "1/4"},
    each_way=True,
    paid_return="41.87",
)


def test_an_each_way_winner_is_explained_step_by_step_in_english() -> None:
    assert explain(EACH_WAY_WINNER) == [
        "A single of 10.00 GBP.",
        "Each way: the bet is two bets of 10.00 GBP, one to win and one to place, so 2 lines.",
        "Outlay: 2 lines × 10.00 GBP = 20.00 GBP.",
        "The selection: fractional odds 7/4 are 2.75 in decimal (1 + 7/4).",
        "The selection won at 2.75: win part factor 2.75.",
        "The selection, place part: placed 1st with 4 places paid, at 1/4 the odds: "
        "1 + 1.75 × 1/4 = 1.4375, factor 1.4375.",
        "Win part: 10.00 GBP × 2.75 = 27.50 GBP.",
        "Place part: 10.00 GBP × 1.4375 = 14.375 GBP.",
        "Each way: win part 27.50 GBP + place part 14.375 GBP = 41.875 GBP.",
        "The exact return, 41.875 GBP, is rounded once, half up, to 41.88 GBP.",
        "Expected return: 41.88 GBP on an outlay of 20.00 GBP: a win.",
        "The operator paid 41.87 GBP, 0.01 GBP less than due, within the rounding tolerance "
        "of 0.02 GBP (0.01 GBP per line, 2 lines): the settlement is correct.",
    ]


def test_an_each_way_winner_is_explained_step_by_step_in_russian() -> None:
    assert explain(EACH_WAY_WINNER, "ru") == [
        "Ординар, ставка 10.00 GBP.",
        "Ставка each-way: это две ставки по 10.00 GBP, на победу и на место, то есть 2 линии.",
        "Сумма ставки: 2 линии × 10.00 GBP = 20.00 GBP.",
        "Событие: дробный коэффициент 7/4 — это 2.75 в десятичном виде (1 + 7/4).",
        "Событие: участник пришёл первым, коэффициент 2.75; ставка на победу: множитель 2.75.",
        "Событие, ставка на место: участник пришёл 1-м при 4 оплачиваемых местах, расчёт по "
        "1/4 коэффициента: 1 + 1.75 × 1/4 = 1.4375, множитель 1.4375.",
        "Ставка на победу: 10.00 GBP × 2.75 = 27.50 GBP.",
        "Ставка на место: 10.00 GBP × 1.4375 = 14.375 GBP.",
        "Each-way: ставка на победу 27.50 GBP + ставка на место 14.375 GBP = 41.875 GBP.",
        "Точная сумма выплаты 41.875 GBP округляется один раз, половина — в большую сторону, "
        "до 41.88 GBP.",
        "Ожидаемая выплата: 41.88 GBP при сумме ставки 20.00 GBP — выигрыш.",
        "Оператор выплатил 41.87 GBP, на 0.01 GBP меньше положенного; это в пределах допуска "
        "на округление 0.02 GBP (0.01 GBP на линию, 2 линии): расчёт верный.",
    ]


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "линия"),
        (2, "линии"),
        (4, "линии"),
        (5, "линий"),
        (11, "линий"),
        (12, "линий"),
        (14, "линий"),
        (21, "линия"),
        (22, "линии"),
        (25, "линий"),
        (111, "линий"),
        (247, "линий"),
    ],
)
def test_russian_nouns_agree_with_their_numbers(n: int, expected: str) -> None:
    assert plural(n, "линия", "линии", "линий") == expected


@pytest.mark.parametrize(
    ("system", "legs", "phrase"),
    [
        ("trixie", 3, "4 линии"),
        ("lucky15", 4, "15 линий"),
        ("lucky31", 5, "31 линия"),
        ("goliath", 8, "247 линий"),
    ],
)
def test_russian_line_counts_use_the_right_plural(system: str, legs: int, phrase: str) -> None:
    record = bet(*[{"odds": "2.0", "result": "won"}] * legs, type="system", system=system)
    assert phrase in explain(record, "ru")[0]


def test_a_single_line_is_one_line_in_russian() -> None:
    text = explain(bet({"odds": "2.0", "result": "won"}, paid_return="19.99"), "ru")
    assert text[-1].endswith("(0.01 GBP на линию, 1 линия): расчёт верный.")


def test_the_system_sentence_breaks_the_lines_down_by_size() -> None:
    legs = [{"odds": "2.0", "result": "won"}] * 4
    english = explain(bet(*legs, type="system", system="lucky15", stake="1"))
    russian = explain(bet(*legs, type="system", system="lucky15", stake="1"), "ru")

    assert english[0] == (
        "A Lucky 15 on 4 selections: 15 lines (4 singles, 6 doubles, 4 trebles and "
        "1 four-fold) of 1.00 GBP each."
    )
    assert russian[0] == (
        "Система «Лаки 15» на 4 события: 15 линий (4 ординара, 6 экспрессов из 2 событий, "
        "4 экспресса из 3 событий и 1 экспресс из 4 событий) по 1.00 GBP."
    )
    assert (
        "Return: 4 singles 8.00 GBP + 6 doubles 24.00 GBP + 4 trebles 32.00 GBP + "
        "1 four-fold 16.00 GBP = 80.00 GBP."
    ) in english


def sentences(record: dict[str, Any]) -> tuple[str, str]:
    """Both explanations, each as one text."""
    return " ".join(explain(record)), " ".join(explain(record, "ru"))


@pytest.mark.parametrize(
    ("record", "english", "russian"),
    [
        (
            bet({"odds": "-110", "result": "won"}, stake="110"),
            "American odds -110 are 1.9091… in decimal (1 + 100/110); the exact value is used.",
            "американский коэффициент -110 — это 1.9091… в десятичном виде",
        ),
        (
            bet({"odds": "evens", "result": "won"}),
            "odds of evens are 2.00 in decimal.",
            "коэффициент evens («один к одному») — это 2.00",
        ),
        (
            bet({"odds": "2.0", "result": "won"}, {"odds": "3.0", "result": "void"}),
            "Leg 2 is void: it drops out, counting as factor 1.",
            "Событие 2: возврат — событие выпадает из расчёта с множителем 1.",
        ),
        (
            bet({"odds": "1.90", "result": "half_won"}),
            "half the stake wins at 1.90 and half is returned: factor (1.90 + 1) / 2 = 1.45.",
            "половина ставки выиграла с коэффициентом 1.90, половина возвращена",
        ),
        (
            bet({"odds": "3.0", "result": "won", "dead_heat": {"tied": 2}}),
            "won in a dead heat (2 tied for 1st with 1 place paid), so only 1/2 of the stake",
            "2 участника разделили 1-е место при 1 оплачиваемом месте",
        ),
        (
            bet({"market": "race", "odds": "4/1", "position": 1, "rule4": ["0.25", "0.10"]}),
            "Rule 4 takes 35% of the winnings (deductions of 25% and 10% added together): "
            "odds 5.00 become 1 + 4.00 × 0.65 = 3.60.",
            "по правилу 4 (Rule 4) из выигрыша вычитается 35% (вычеты 25% и 10% складываются)",
        ),
        (
            bet({"market": "race", "odds": "10/1", "position": 1, "rule4": ["0.45", "0.55"]}),
            "a total of 100% capped at 90%",
            "но их сумма 100% ограничена 90%",
        ),
        (
            bet(
                {"market": "race", "odds": "8/1", "position": 1, "rule4": ["0.05"]},
                rules={"rule4_waive_total_below": "0.10"},
            ),
            "below the operator's threshold of 10% and is waived.",
            "ниже порога оператора 10% и не применяется.",
        ),
        (
            bet(
                {
                    "market": "race",
                    "odds": "5/1",
                    "position": 1,
                    "starting_price": "7/1",
                    "bog": True,
                }
            ),
            "Best Odds Guaranteed: the starting price 7/1 (8.00) beats the price taken, "
            "5/1 (6.00), so the leg is settled at the starting price.",
            "стартовая цена 7/1 (8.00) выше взятого коэффициента 5/1 (6.00)",
        ),
        (
            bet({"odds": "18/1", "result": "won", "palpable_error": {"correct_odds": "evens"}}),
            "the price 18/1 was an obvious error (a palpable error), so the leg is resettled at "
            "the correct price, evens (2.00).",
            "коэффициент 18/1 был явной ошибкой (palpable error)",
        ),
        (
            bet({"market": "race", "odds": "6/1", "non_runner": True}),
            "was a non-runner: it drops out, counting as factor 1.",
            "участник снят со старта (non-runner)",
        ),
        (
            bet({"odds": "3.0", "result": "won"}, free_bet=True),
            "Free bet: the 10.00 GBP stake is not returned, so the bet returns "
            "30.00 GBP − 10.00 GBP = 20.00 GBP.",
            "Фрибет: сумма ставки 10.00 GBP не возвращается",
        ),
        (
            bet({"odds": "21.0", "result": "won"}, max_winnings="100"),
            "Maximum winnings of 100.00 GBP apply: winnings of 200.00 GBP are cut to "
            "100.00 GBP, so the bet returns 110.00 GBP.",
            "Действует максимальный выигрыш 100.00 GBP: выигрыш 200.00 GBP уменьшен до 100.00 GBP",
        ),
        (
            bet({"odds": "2.0"}, cash_out="15.00"),
            "The bet was cashed out for 15.00 GBP: that accepted amount is its return, "
            "whatever the results.",
            "Ставка рассчитана досрочно (кэшаут) на сумму 15.00 GBP",
        ),
        (
            bet(
                {
                    "market": "asian_handicap",
                    "odds": "1.80",
                    "line": "-0.75",
                    "score": [2, 0],
                    "score_at_placement": [1, 0],
                }
            ),
            "was struck in play at 1-0; the final score was 2-0, so only the goals after the "
            "bet count: 1-0.",
            "ставка сделана по ходу матча при счёте 1:0, итоговый счёт 2:0",
        ),
        (
            bet({"market": "asian_handicap", "odds": "1.95", "line": "-0.75", "score": [2, 1]}),
            "Asian handicap -0.75 at 1.95 is two half-stakes, on -1 and -0.5. With the score 2-1 "
            "the margin on -1 is 0 (a push) and on -0.5 is +0.5 (won): "
            "factor (1 + 1.95) / 2 = 1.475.",
            "азиатская фора -0.75 с коэффициентом 1.95 — это две половины ставки",
        ),
        (
            bet(
                {
                    "market": "asian_total",
                    "odds": "1.90",
                    "side": "over",
                    "line": "2.25",
                    "total": 2,
                }
            ),
            "Asian total over 2.25 at 1.90 is two half-stakes, over 2 and over 2.5. The total "
            "was 2: over 2 a push, over 2.5 lost: factor (1 + 0) / 2 = 0.50.",
            "азиатский тотал больше 2.25 с коэффициентом 1.90 — это две половины ставки",
        ),
        (
            bet({"odds": "2.0", "result": "won"}, paid_return="15.00"),
            "The operator paid 15.00 GBP, 5.00 GBP less than due: the bet was underpaid by "
            "5.00 GBP.",
            "Оператор выплатил 15.00 GBP, на 5.00 GBP меньше положенного: недоплата 5.00 GBP.",
        ),
        (
            bet({"odds": "2.0", "result": "won"}, paid_return="25.00"),
            "5.00 GBP more than due: the bet was overpaid by 5.00 GBP.",
            "на 5.00 GBP больше положенного: переплата 5.00 GBP.",
        ),
        (
            bet({"odds": "2.0", "result": "won"}),
            "No paid return is recorded yet, so there is nothing to compare: not paid yet.",
            "Выплата по ставке ещё не зафиксирована",
        ),
        (
            bet(
                {"odds": "1.5", "result": "won"},
                {"odds": "3.0", "result": "won"},
                {"odds": "2.5", "result": "won"},
                type="system",
                system={"sizes": [2]},
                stake="3",
                stake_per="bet",
                currency="USD",
            ),
            "The stake of 3.00 USD is for the whole bet, split equally over its 3 lines: "
            "1.00 USD a line, and the outlay is 3.00 USD.",
            "Сумма 3.00 USD — это вся ставка целиком: она делится поровну на 3 линии",
        ),
    ],
)
def test_each_rule_applied_has_its_sentence(
    record: dict[str, Any], english: str, russian: str
) -> None:
    in_english, in_russian = sentences(record)
    assert english in in_english
    assert russian in in_russian


def test_rules_not_applied_are_not_mentioned() -> None:
    text = " ".join(explain(bet({"odds": "2.50", "result": "won"})))
    for word in ("Rule 4", "dead heat", "Free bet", "cashed out", "rounded", "decimal"):
        assert word not in text


def test_rule4_on_a_loser_is_not_mentioned() -> None:
    text = " ".join(
        explain(bet({"market": "race", "odds": "4/1", "position": 5, "rule4": ["0.2"]}))
    )
    assert "Rule 4" not in text
    assert "finished 5th: the bet loses, factor 0." in text


def test_a_shortened_figure_ends_its_sentence_without_a_second_stop() -> None:
    text = explain(bet({"odds": "1/3", "result": "won"}))
    assert "The selection won at 1.3333…: factor 1.3333…" in text
    assert not any(sentence.endswith("….") for sentence in text)


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        verify(bet({"odds": "2.0", "result": "won"}), language="de")
    assert raised.value.field == "language"
