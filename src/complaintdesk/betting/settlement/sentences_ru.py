"""Russian sentences of a settlement explanation.

Numbers agree with their nouns by the Russian rules (1 линия, 2 линии, 5 линий,
11 линий, 21 линия); scores are written 2:1. Amounts keep the contract's form
("25.00 GBP") so that the figures in the text match the verdict's fields exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from complaintdesk.betting.settlement.explain import (
    Half,
    Rule4,
    Sentences,
    factor_text,
    half_formula,
    price_text,
    signed,
)
from complaintdesk.betting.settlement.formatting import (
    fraction,
    number,
    percent,
)
from complaintdesk.betting.settlement.odds import AMERICAN, EVENS, FRACTIONAL, Odds
from complaintdesk.betting.settlement.records import (
    ACCUMULATOR,
    HALF_LOST,
    HALF_WON,
    LOST,
    PUSH,
    SINGLE,
    VOID,
    WON,
    BetRecord,
    DeadHeat,
    Leg,
)

SYSTEM_NAMES = {
    "trixie": "«Трикси»",
    "patent": "«Патент»",
    "yankee": "«Янки»",
    "lucky15": "«Лаки 15»",
    "canadian": "«Канадец» (Super Yankee)",
    "lucky31": "«Лаки 31»",
    "heinz": "«Хайнц»",
    "lucky63": "«Лаки 63»",
    "super_heinz": "«Супер Хайнц»",
    "goliath": "«Голиаф»",
}
_OUTCOMES = {
    "win": "выигрыш",
    "push": "возврат суммы ставки",
    "partial_loss": "частичный проигрыш",
    "loss": "проигрыш",
}
_HALF_OUTCOMES = {"won": "выигрыш", "push": "возврат", "lost": "проигрыш"}
_SIDES = {"over": "больше", "under": "меньше"}


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form of a noun after the number ``n``: one (1, 21), few (2–4, 22), many (5–20, 11–14)."""
    n = abs(n) % 100
    if 11 <= n <= 14:
        return many
    n %= 10
    if n == 1:
        return one
    if 2 <= n <= 4:
        return few
    return many


def lines_word(n: int) -> str:
    """``1 линия``, ``3 линии``, ``15 линий``."""
    return f"{n} {plural(n, 'линия', 'линии', 'линий')}"


def folds(k: int, n: int) -> str:
    """``n`` combinations of ``k`` legs: "4 ординара", "6 экспрессов из 2 событий"."""
    if k == 1:
        return f"{n} {plural(n, 'ординар', 'ординара', 'ординаров')}"
    return (
        f"{n} {plural(n, 'экспресс', 'экспресса', 'экспрессов')} из {k} "
        f"{plural(k, 'события', 'событий', 'событий')}"
    )


def joined(items: Sequence[str]) -> str:
    """ "а", "а и б", "а, б и в"."""
    if len(items) < 3:
        return " и ".join(items)
    return f"{', '.join(items[:-1])} и {items[-1]}"


def runners_with(n: int) -> str:
    """``с 1 участником``, ``с 2 участниками`` (instrumental)."""
    return f"с {n} {plural(n, 'участником', 'участниками', 'участниками')}"


def paid_places(n: int) -> str:
    """``при 1 оплачиваемом месте``, ``при 3 оплачиваемых местах`` (prepositional)."""
    return (
        f"при {n} {plural(n, 'оплачиваемом месте', 'оплачиваемых местах', 'оплачиваемых местах')}"
    )


class Russian(Sentences):
    """Sentences for customers and agents writing in Russian."""

    def leg_label(self, leg: Leg, only: bool) -> str:
        base = "Событие" if only else f"Событие {leg.number}"
        return f"{base} ({leg.name})" if leg.name else base

    def shape(
        self,
        record: BetRecord,
        by_size: Sequence[tuple[int, int]],
        combos: int,
        line_stake: str,
    ) -> str:
        stake = line_stake
        legs = len(record.legs)
        if record.kind == SINGLE:
            return f"Ординар, ставка {stake}."
        if record.kind == ACCUMULATOR:
            return (
                f"Экспресс из {legs} {plural(legs, 'события', 'событий', 'событий')}, ставка "
                f"{stake} на одну линию: выиграть должны все события, а событие с возвратом "
                "выпадает из расчёта."
            )
        lines = joined([folds(k, n) for k, n in by_size])
        if record.system is not None:
            name = SYSTEM_NAMES[record.system]
            return (
                f"Система {name} на {legs} {plural(legs, 'событие', 'события', 'событий')}: "
                f"{lines_word(combos)} ({lines}) по {stake}."
            )
        sizes = joined([str(k) for k, _ in by_size])
        last = by_size[-1][0]
        return (
            f"Система из всех комбинаций по {sizes} "
            f"{plural(last, 'событию', 'события', 'событий')} "
            f"из {legs}: {lines_word(combos)} ({lines}) по {stake}."
        )

    def each_way(self, combos: int, lines: int, line_stake: str) -> str:
        if combos == 1:
            return (
                f"Ставка each-way: это две ставки по {line_stake}, на победу и на место, "
                f"то есть {lines_word(lines)}."
            )
        return (
            f"Ставка each-way: каждая линия — это две ставки по {line_stake}, на победу "
            f"и на место, всего {lines_word(lines)}."
        )

    def stake_split(self, stake: str, lines: int, line_stake: str) -> str:
        into = plural(lines, "линию", "линии", "линий")
        return (
            f"Сумма {stake} — это вся ставка целиком: она делится поровну на {lines} "
            f"{into}, по {line_stake} на линию."
        )

    def outlay(self, lines: int, line_stake: str, outlay: str) -> str:
        return f"Сумма ставки: {lines_word(lines)} × {line_stake} = {outlay}."

    def odds_converted(self, label: str, odds: Odds) -> str:
        exact = "; в расчёте используется точное значение" if odds.shown.endswith("…") else ""
        if odds.style == FRACTIONAL:
            return (
                f"{label}: дробный коэффициент {odds.text} — это {odds.shown} в десятичном виде "
                f"(1 + {odds.text.strip()}){exact}."
            )
        if odds.style == EVENS:
            return f"{label}: коэффициент evens («один к одному») — это 2.00 в десятичном виде."
        if odds.style == AMERICAN:
            text = odds.text.strip()
            ratio = f"{text[1:]}/100" if text.startswith("+") else f"100/{text[1:]}"
            return (
                f"{label}: американский коэффициент {text} — это {odds.shown} в десятичном виде "
                f"(1 + {ratio}){exact}."
            )
        return f"{label}: коэффициент {odds.text}."

    def palpable_error(self, label: str, taken: Odds, correct: Odds) -> str:
        return (
            f"{label}: коэффициент {taken.text} был явной ошибкой (palpable error), поэтому "
            f"событие пересчитано по правильному коэффициенту {price_text(correct)}."
        )

    def best_odds(self, label: str, taken: Odds, starting_price: Odds, uses_sp: bool) -> str:
        if uses_sp:
            return (
                f"{label}: действует гарантия лучшего коэффициента (BOG): стартовая цена "
                f"{price_text(starting_price)} выше взятого коэффициента {price_text(taken)}, "
                "поэтому расчёт идёт по стартовой цене."
            )
        return (
            f"{label}: гарантия лучшего коэффициента (BOG): взятый коэффициент "
            f"{price_text(taken)} не ниже стартовой цены {price_text(starting_price)}, "
            "он и остаётся."
        )

    def fixed_result(self, label: str, result: str, price: Odds, factor: Fraction) -> str:
        if result == WON:
            return f"{label} выиграло с коэффициентом {price.shown}: множитель {price.shown}."
        if result == LOST:
            return f"{label} проиграло: множитель 0."
        if result == VOID:
            return f"{label}: возврат — событие выпадает из расчёта с множителем 1."
        if result == PUSH:
            return f"{label}: возврат ставки (push) — событие считается с множителем 1."
        if result == HALF_WON:
            return (
                f"{label}: половина ставки выиграла с коэффициентом {price.shown}, половина "
                f"возвращена: множитель ({price.shown} + 1) / 2 = {number(factor)}."
            )
        if result == HALF_LOST:
            return f"{label}: половина ставки проиграла, половина возвращена: множитель 1/2 = 0.50."
        return f"{label}: {result}, множитель {number(factor)}."

    def fixed_dead_heat(
        self, label: str, dead_heat: DeadHeat, price: Odds, factor: Fraction
    ) -> str:
        tied = dead_heat.tied
        tie = (
            f"{tied} {plural(tied, 'участник', 'участника', 'участников')} разделили "
            f"{dead_heat.position}-е место {paid_places(dead_heat.places)}"
        )
        share = dead_heat.share
        if share == 1:
            return (
                f"{label} выиграло при мёртвом финише (dead heat): {tie}; все они в пределах "
                f"оплачиваемых мест, поэтому ставка не уменьшается: множитель {price.shown}."
            )
        return (
            f"{label} выиграло при мёртвом финише (dead heat): {tie}, поэтому по коэффициенту "
            f"{price.shown} рассчитывается только {fraction(share)} ставки: множитель "
            f"{fraction(share)} × {price.shown} = {number(factor)}."
        )

    def in_play(
        self,
        label: str,
        final: tuple[int, int],
        at_placement: tuple[int, int],
        counted: tuple[int, int],
    ) -> str:
        return (
            f"{label}: ставка сделана по ходу матча при счёте {at_placement[0]}:{at_placement[1]}, "
            f"итоговый счёт {final[0]}:{final[1]}, поэтому учитываются только голы после ставки: "
            f"{counted[0]}:{counted[1]}."
        )

    def handicap(
        self,
        label: str,
        *,
        line: Fraction,
        counted: tuple[int, int],
        halves: Sequence[Half],
        price: Odds,
        factor: Fraction,
    ) -> str:
        score = f"{counted[0]}:{counted[1]}"
        diff = counted[0] - counted[1]
        if len(halves) == 1:
            _, margin, outcome = halves[0]
            return (
                f"{label}: азиатская фора {signed(line)} с коэффициентом {price.shown}; при счёте "
                f"{score} разница с учётом форы {diff} {'-' if line < 0 else '+'} "
                f"{number(abs(line), 0, 2)} = {signed(margin)}: {_HALF_OUTCOMES[outcome]}, "
                f"множитель {number(factor)}."
            )
        (low, m1, o1), (high, m2, o2) = halves
        return (
            f"{label}: азиатская фора {signed(line)} с коэффициентом {price.shown} — это две "
            f"половины ставки, на форы {signed(low)} и {signed(high)}. При счёте {score} разница "
            f"с форой {signed(low)} равна {signed(m1)} ({_HALF_OUTCOMES[o1]}), с форой "
            f"{signed(high)} — {signed(m2)} ({_HALF_OUTCOMES[o2]}): множитель "
            f"{half_formula(price, o1, o2)} = {number(factor)}."
        )

    def total(
        self,
        label: str,
        *,
        side: str,
        line: Fraction,
        total: int,
        halves: Sequence[Half],
        price: Odds,
        factor: Fraction,
    ) -> str:
        word = _SIDES[side]
        if len(halves) == 1:
            outcome = halves[0][2]
            return (
                f"{label}: азиатский тотал {word} {number(line, 0, 2)} с коэффициентом "
                f"{price.shown}; тотал составил {total}: {_HALF_OUTCOMES[outcome]}, множитель "
                f"{number(factor)}."
            )
        (low, _, o1), (high, _, o2) = halves
        low_text, high_text = number(low, 0, 2), number(high, 0, 2)
        return (
            f"{label}: азиатский тотал {word} {number(line, 0, 2)} с коэффициентом {price.shown} — "
            f"это две половины ставки, {word} {low_text} и {word} {high_text}. Тотал составил "
            f"{total}: {word} {low_text} — {_HALF_OUTCOMES[o1]}, {word} {high_text} — "
            f"{_HALF_OUTCOMES[o2]}; множитель {half_formula(price, o1, o2)} = {number(factor)}."
        )

    def non_runner(self, label: str, each_way: bool) -> str:
        both = " и в ставке на победу, и в ставке на место" if each_way else ""
        return (
            f"{label}: участник снят со старта (non-runner), событие выпадает из расчёта с "
            f"множителем 1{both}."
        )

    def rule4(self, label: str, rule4: Rule4, price: Fraction, reduced: Fraction) -> str:
        listed = joined([percent(d) for d in rule4.deductions])
        many = len(rule4.deductions) > 1
        if rule4.applied == 0 and rule4.waive_below is not None and rule4.total > 0:
            return (
                f"{label}: {'вычеты' if many else 'вычет'} по правилу 4 (Rule 4) {listed} "
                f"(всего {percent(rule4.total)}) ниже порога оператора "
                f"{percent(rule4.waive_below)} и не {'применяются' if many else 'применяется'}."
            )
        what = f"вычеты {listed} складываются" if many else f"вычет {listed}"
        if rule4.applied < rule4.total:
            what += f", но их сумма {percent(rule4.total)} ограничена {percent(rule4.cap)}"
        return (
            f"{label}: по правилу 4 (Rule 4) из выигрыша вычитается {percent(rule4.applied)} "
            f"({what}): коэффициент {number(price)} становится 1 + {number(price - 1)} × "
            f"{number(1 - rule4.applied)} = {number(reduced)}."
        )

    def race_win(
        self,
        label: str,
        *,
        position: int | None,
        tied: int,
        price: Fraction,
        share: Fraction,
        factor: Fraction,
        each_way: bool,
    ) -> str:
        loses = "ставка на победу проиграла" if each_way else "ставка проиграла"
        if position is None:
            return f"{label}: участник не занял призового места — {loses}, множитель 0."
        if position != 1:
            heat = " (мёртвый финиш)" if tied > 1 else ""
            return f"{label}: участник пришёл {position}-м{heat} — {loses}, множитель 0."
        if tied == 1:
            what = "ставка на победу: множитель" if each_way else "множитель"
            shown = number(price)
            return f"{label}: участник пришёл первым, коэффициент {shown}; {what} {shown}."
        stake = "ставки на победу" if each_way else "ставки"
        return (
            f"{label}: мёртвый финиш (dead heat) за 1-е место, участник разделил его "
            f"{runners_with(tied - 1)}, поэтому по коэффициенту {number(price)} выигрывает только "
            f"{fraction(share)} {stake}: множитель {fraction(share)} × {number(price)} = "
            f"{number(factor)}."
        )

    def place_part(
        self,
        label: str,
        *,
        position: int | None,
        tied: int,
        places: int,
        fraction_of_odds: Fraction,
        share: Fraction,
        price: Fraction,
        factor: Fraction,
    ) -> str:
        paid = plural(places, "оплачивается", "оплачиваются", "оплачиваются")
        paid += f" {places} {plural(places, 'место', 'места', 'мест')}"
        if position is None:
            return (
                f"{label}, ставка на место: участник не занял призового места ({paid}): "
                "множитель 0."
            )
        if position > places:
            return f"{label}, ставка на место: участник пришёл {position}-м, а {paid}: множитель 0."
        place_price = 1 + (price - 1) * fraction_of_odds
        terms = (
            f"{label}, ставка на место: участник пришёл {position}-м {paid_places(places)}, "
            f"расчёт по {fraction(fraction_of_odds)} коэффициента: 1 + {number(price - 1)} × "
            f"{fraction(fraction_of_odds)} = {number(place_price)}"
        )
        if tied == 1:
            return f"{terms}, множитель {number(factor)}."
        if share == 1:
            return (
                f"{terms}; мёртвый финиш {runners_with(tied - 1)} в пределах оплачиваемых мест "
                f"ставку не уменьшает: множитель {number(factor)}."
            )
        return (
            f"{terms}; из-за мёртвого финиша {runners_with(tied - 1)} в силе только "
            f"{fraction(share)} ставки на место: множитель {fraction(share)} × "
            f"{number(place_price)} = {number(factor)}."
        )

    def each_way_multiples(self) -> str:
        return (
            "В многократной ставке each-way линии на победу считаются по множителям на победу, "
            "а линии на место — по множителям на место."
        )

    def line_return(
        self, part: str | None, line_stake: str, factors: Sequence[Fraction], amount: str
    ) -> str:
        steps = " × ".join(factor_text(f) for f in factors)
        return f"{_part(part)}: {line_stake} × {steps} = {amount}."

    def system_return(
        self, part: str | None, by_size: Sequence[tuple[int, int, str]], amount: str
    ) -> str:
        if len(by_size) == 1:
            k, n, _ = by_size[0]
            return f"{_part(part)} по линиям ({folds(k, n)}): {amount}."
        pieces = " + ".join(f"{folds(k, n)} {value}" for k, n, value in by_size)
        return f"{_part(part)}: {pieces} = {amount}."

    def each_way_return(self, win: str, place: str, amount: str) -> str:
        return f"Each-way: ставка на победу {win} + ставка на место {place} = {amount}."

    def free_bet(self, gross: str, outlay: str, amount: str, below_stake: bool) -> str:
        if below_stake:
            return (
                f"Фрибет: сумма ставки {outlay} не возвращается; расчёт дал "
                f"{gross}, это меньше суммы ставки, поэтому выплата — {amount}."
            )
        return (
            f"Фрибет: сумма ставки {outlay} не возвращается, поэтому выплата — "
            f"{gross} − {outlay} = {amount}."
        )

    def max_winnings(self, cap: str, winnings: str, amount: str) -> str:
        return (
            f"Действует максимальный выигрыш {cap}: выигрыш {winnings} "
            f"уменьшен до {cap}, поэтому выплата — {amount}."
        )

    def cash_out(self, amount: str) -> str:
        return (
            f"Ставка рассчитана досрочно (кэшаут) на сумму {amount}: эта сумма и есть "
            "выплата, независимо от результатов событий."
        )

    def rounding(self, exact: str, rounded: str) -> str:
        return (
            f"Точная сумма выплаты {exact} округляется один раз, половина — в большую "
            f"сторону, до {rounded}."
        )

    def expected(self, amount: str, outlay: str, outcome: str) -> str:
        return f"Ожидаемая выплата: {amount} при сумме ставки {outlay} — {_OUTCOMES[outcome]}."

    def compared(self, paid: str, difference_units: int, verdict: str, lines: int) -> str:
        paid_text = paid
        gap = self.units(abs(difference_units))
        if difference_units == 0:
            return (
                f"Оператор выплатил {paid_text} — ровно столько, сколько положено: расчёт верный."
            )
        more_or_less = "больше" if difference_units > 0 else "меньше"
        if verdict == "correct":
            unit = self.units(1)
            return (
                f"Оператор выплатил {paid_text}, на {gap} {more_or_less} положенного; это в "
                f"пределах допуска на округление {self.units(lines)} ({unit} на линию, "
                f"{lines_word(lines)}): расчёт верный."
            )
        if verdict == "underpaid":
            return f"Оператор выплатил {paid_text}, на {gap} меньше положенного: недоплата {gap}."
        return f"Оператор выплатил {paid_text}, на {gap} больше положенного: переплата {gap}."

    def not_paid(self) -> str:
        return "Выплата по ставке ещё не зафиксирована, поэтому сравнивать пока не с чем."


def _part(part: str | None) -> str:
    if part == "win":
        return "Ставка на победу"
    if part == "place":
        return "Ставка на место"
    return "Выплата"
