"""What the customer reads: a reason per bet and one paragraph about the whole bonus.

The texts answer the complaint "why can't I withdraw my bonus?" in the customer's own
language, English or Russian, each written as a native speaker would write it rather
than translated word for word. They state facts from the report and nothing else: no
guess about what the customer intended, no promise the terms do not make.

The paragraph, in order: how much has been wagered of how much (or that the requirement
was met, and when); which bets did not count and why, grouped by reason in the contract's
order of precedence; that open bets count once settled; how much of the bonus has been
released; and the expiry (or, once complete, what can be converted to cash).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from complaintdesk.betting.money import round_money
from complaintdesk.betting.wagering.rules import (
    PRECEDENCE,
    ReasonCode,
    is_multiple,
    qualifying_legs,
    total_odds,
)
from complaintdesk.betting.wagering.terms import BET_TYPES, Bet, Terms
from complaintdesk.betting.wagering.wording import (
    count_word,
    format_amount,
    format_figure,
    format_moment,
    format_odds,
    join_words,
    plural_ru,
)

_TYPE_NAMES = {
    "en": {"single": "singles", "accumulator": "accumulators", "system": "system bets"},
    "ru": {"single": "ординары", "accumulator": "экспрессы", "system": "системы"},
}


def _given(value: Decimal | None) -> Decimal:
    """A term the rule behind the reported code needed, so never missing at this point."""
    if value is None:
        raise AssertionError("a reason code was reported without the term it checks")
    return value


def describe_bet(
    code: ReasonCode,
    *,
    bet: Bet,
    terms: Terms,
    contribution: Decimal,
    partners: Sequence[str],
    language: str,
) -> str:
    """One or two sentences saying why ``bet`` counts or not; ``partners`` are the bets
    on the opposite outcomes (for ``opposite_outcomes``)."""
    if language == "en":
        return _describe_en(code, bet, terms, contribution, partners)
    return _describe_ru(code, bet, terms, contribution, partners)


def _allowed_types(terms: Terms, language: str) -> str:
    names = _TYPE_NAMES[language]
    return join_words([names[kind] for kind in BET_TYPES if kind in terms.bet_types], language)


def _excluded_market_of(bet: Bet, terms: Terms) -> str:
    return next(
        leg.market
        for leg in bet.live_legs
        if leg.market is not None and leg.market.casefold() in terms.excluded_markets
    )


def _possible_win(bet: Bet, terms: Terms) -> Decimal:
    return round_money(bet.stake * (total_odds(bet) - 1), terms.currency)


def _describe_en(
    code: ReasonCode, bet: Bet, terms: Terms, contribution: Decimal, partners: Sequence[str]
) -> str:
    def amount(value: Decimal) -> str:
        return format_amount(value, terms.currency, "en")

    def odds(value: Decimal | None) -> str:
        return format_odds(_given(value), "en")

    match code:
        case ReasonCode.COUNTS if terms.counts == "stake":
            return f"Counts: the stake of {amount(contribution)} goes towards the requirement."
        case ReasonCode.COUNTS:
            return (
                f"Counts {amount(contribution)}: the lesser of the stake "
                f"({amount(bet.stake)}) and the possible win ({amount(_possible_win(bet, terms))})."
            )
        case ReasonCode.NOT_SETTLED:
            return "Not settled yet: a bet counts towards wagering only once it is settled."
        case ReasonCode.CASHED_OUT:
            return "Cashed out: cashed-out bets do not count towards wagering."
        case ReasonCode.VOID:
            return "Void: the stake was returned, and void bets do not count towards wagering."
        case ReasonCode.FREE_BET:
            return "Placed with a free bet: free bets do not count towards wagering."
        case ReasonCode.PLACED_BEFORE_ACTIVATION:
            return (
                f"Placed on {format_moment(bet.placed_at, 'en')}, before the bonus was "
                f"activated on {format_moment(terms.activated_at, 'en')}."
            )
        case ReasonCode.PLACED_AFTER_EXPIRY:
            return (
                f"Placed on {format_moment(bet.placed_at, 'en')}, after the bonus expired "
                f"on {format_moment(terms.expires_at, 'en')}."
            )
        case ReasonCode.BET_TYPE_NOT_ALLOWED:
            kind = _TYPE_NAMES["en"][bet.type].capitalize()
            return f"{kind} do not count towards this bonus; only {_allowed_types(terms, 'en')} do."
        case ReasonCode.EXCEEDS_MAX_BET:
            return (
                f"The stake of {amount(bet.stake)} is above the maximum bet "
                f"of {amount(_given(terms.max_bet))}."
            )
        case ReasonCode.EXCLUDED_MARKET:
            return (
                f"Includes a selection in the “{_excluded_market_of(bet, terms)}” market, "
                "which does not count towards this bonus."
            )
        case ReasonCode.OPPOSITE_OUTCOMES:
            others = join_words(list(partners), "en")
            noun = "bet" if len(partners) == 1 else "bets"
            return (
                f"Placed on the opposite outcome to your {noun} {others} on the same market, "
                "so none of these bets count."
            )
        case ReasonCode.BELOW_MIN_ODDS:
            total = "total odds" if is_multiple(bet) else "odds"
            return (
                f"The {total} of {odds(total_odds(bet))} are below the minimum "
                f"of {odds(terms.min_odds)}."
            )
        case ReasonCode.LEG_BELOW_MIN_ODDS:
            lowest = min(leg.odds for leg in bet.live_legs)
            return (
                f"A selection at odds of {odds(lowest)} is below the minimum "
                f"of {odds(terms.leg_min_odds)} for each selection."
            )
        case ReasonCode.TOO_FEW_QUALIFYING_LEGS:
            needed = terms.min_qualifying_legs
            found = qualifying_legs(bet, terms)
            if terms.leg_min_odds is None:
                return (
                    f"Only {found} of its selections stood (void selections do not count); "
                    f"at least {needed} are needed."
                )
            floor = odds(terms.leg_min_odds)
            if found == 0:
                return f"No selection has odds of {floor} or more; at least {needed} are needed."
            has = "selection has" if found == 1 else "selections have"
            return f"Only {found} {has} odds of {floor} or more; at least {needed} are needed."
    raise AssertionError(code)  # pragma: no cover - every code is handled above


def _describe_ru(
    code: ReasonCode, bet: Bet, terms: Terms, contribution: Decimal, partners: Sequence[str]
) -> str:
    def amount(value: Decimal) -> str:
        return format_amount(value, terms.currency, "ru")

    def odds(value: Decimal | None) -> str:
        return format_odds(_given(value), "ru")

    match code:
        case ReasonCode.COUNTS if terms.counts == "stake":
            return f"Засчитана: сумма ставки {amount(contribution)} идёт в отыгрыш."
        case ReasonCode.COUNTS:
            return (
                f"Засчитано {amount(contribution)} — меньшее из суммы ставки "
                f"({amount(bet.stake)}) и возможного выигрыша "
                f"({amount(_possible_win(bet, terms))})."
            )
        case ReasonCode.NOT_SETTLED:
            return "Ставка ещё не рассчитана: в отыгрыш идут только рассчитанные ставки."
        case ReasonCode.CASHED_OUT:
            return "Ставка продана досрочно (кэшаут): такие ставки не учитываются в отыгрыше."
        case ReasonCode.VOID:
            return "Ставка рассчитана как возврат: возвраты не учитываются в отыгрыше."
        case ReasonCode.FREE_BET:
            return "Ставка сделана фрибетом: фрибеты не учитываются в отыгрыше."
        case ReasonCode.PLACED_BEFORE_ACTIVATION:
            return (
                f"Ставка сделана {format_moment(bet.placed_at, 'ru')}, до активации бонуса "
                f"({format_moment(terms.activated_at, 'ru')})."
            )
        case ReasonCode.PLACED_AFTER_EXPIRY:
            return (
                f"Ставка сделана {format_moment(bet.placed_at, 'ru')}, после окончания срока "
                f"действия бонуса ({format_moment(terms.expires_at, 'ru')})."
            )
        case ReasonCode.BET_TYPE_NOT_ALLOWED:
            kind = _TYPE_NAMES["ru"][bet.type].capitalize()
            return (
                f"{kind} не учитываются в отыгрыше этого бонуса: "
                f"учитываются только {_allowed_types(terms, 'ru')}."
            )
        case ReasonCode.EXCEEDS_MAX_BET:
            return (
                f"Сумма ставки {amount(bet.stake)} больше максимальной "
                f"({amount(_given(terms.max_bet))})."
            )
        case ReasonCode.EXCLUDED_MARKET:
            return (
                f"В ставке есть событие из рынка «{_excluded_market_of(bet, terms)}», "
                "который не учитывается в отыгрыше этого бонуса."
            )
        case ReasonCode.OPPOSITE_OUTCOMES:
            others = join_words(list(partners), "ru")
            whom = "вашей ставке" if len(partners) == 1 else "вашим ставкам"
            return (
                f"Ставка сделана на исход, противоположный {whom} {others} на том же рынке; "
                "такие ставки не учитываются в отыгрыше."
            )
        case ReasonCode.BELOW_MIN_ODDS:
            total = "Общий коэффициент" if is_multiple(bet) else "Коэффициент"
            return f"{total} {odds(total_odds(bet))} ниже минимального ({odds(terms.min_odds)})."
        case ReasonCode.LEG_BELOW_MIN_ODDS:
            lowest = min(leg.odds for leg in bet.live_legs)
            return (
                f"В ставке есть событие с коэффициентом {odds(lowest)} — это ниже минимального "
                f"для каждого события ({odds(terms.leg_min_odds)})."
            )
        case ReasonCode.TOO_FEW_QUALIFYING_LEGS:
            needed = terms.min_qualifying_legs
            found = qualifying_legs(bet, terms)
            events = plural_ru(found, "событие", "события", "событий")
            if terms.leg_min_odds is None:
                return f"В ставке только {found} {events} без возврата; нужно не меньше {needed}."
            floor = odds(terms.leg_min_odds)
            if found == 0:
                return (
                    f"В ставке нет ни одного события с коэффициентом от {floor}; "
                    f"нужно не меньше {needed}."
                )
            return f"Только {found} {events} с коэффициентом от {floor}; нужно не меньше {needed}."
    raise AssertionError(code)  # pragma: no cover - every code is handled above


# Why a group of bets did not count, as the end of "N bets did not count because ...":
# (for one bet, for several). Codes whose sentence needs the terms are built in
# _because_en/_because_ru.
_BECAUSE_EN: Mapping[ReasonCode, tuple[str, str]] = {
    ReasonCode.CASHED_OUT: ("it was cashed out", "they were cashed out"),
    ReasonCode.VOID: ("it was settled as void", "they were settled as void"),
    ReasonCode.FREE_BET: ("it was placed with a free bet", "they were placed with free bets"),
    ReasonCode.PLACED_BEFORE_ACTIVATION: (
        "it was placed before the bonus was activated",
        "they were placed before the bonus was activated",
    ),
    ReasonCode.PLACED_AFTER_EXPIRY: (
        "it was placed after the bonus expired",
        "they were placed after the bonus expired",
    ),
    ReasonCode.EXCLUDED_MARKET: (
        "it included a market that does not count towards this bonus",
        "they included markets that do not count towards this bonus",
    ),
    ReasonCode.OPPOSITE_OUTCOMES: (
        "it was placed on the opposite outcome to another of your bets on the same market",
        "they were placed on opposite outcomes of the same market",
    ),
}
_BECAUSE_RU: Mapping[ReasonCode, tuple[str, str]] = {
    ReasonCode.CASHED_OUT: (
        "она была продана досрочно (кэшаут)",
        "они были проданы досрочно (кэшаут)",
    ),
    ReasonCode.VOID: ("она рассчитана как возврат", "они рассчитаны как возврат"),
    ReasonCode.FREE_BET: ("она сделана фрибетом", "они сделаны фрибетами"),
    ReasonCode.PLACED_BEFORE_ACTIVATION: (
        "она сделана до активации бонуса",
        "они сделаны до активации бонуса",
    ),
    ReasonCode.PLACED_AFTER_EXPIRY: (
        "она сделана после окончания срока действия бонуса",
        "они сделаны после окончания срока действия бонуса",
    ),
    ReasonCode.EXCLUDED_MARKET: (
        "в неё входит рынок, который не учитывается в отыгрыше",
        "в них входят рынки, которые не учитываются в отыгрыше",
    ),
    ReasonCode.OPPOSITE_OUTCOMES: (
        "она сделана на исход, противоположный другой вашей ставке на том же рынке",
        "они сделаны на противоположные исходы одного рынка",
    ),
}


def _because_en(code: ReasonCode, terms: Terms, several: bool) -> str:
    if code in _BECAUSE_EN:
        return _BECAUSE_EN[code][several]
    its, they = ("their", "they") if several else ("its", "it")
    match code:
        case ReasonCode.BET_TYPE_NOT_ALLOWED:
            return f"only {_allowed_types(terms, 'en')} count towards this bonus"
        case ReasonCode.EXCEEDS_MAX_BET:
            stakes = "stakes were" if several else "stake was"
            maximum = format_amount(_given(terms.max_bet), terms.currency, "en")
            return f"{its} {stakes} above the maximum bet of {maximum}"
        case ReasonCode.BELOW_MIN_ODDS:
            return f"{its} odds were below {format_odds(_given(terms.min_odds), 'en')}"
        case ReasonCode.LEG_BELOW_MIN_ODDS:
            legs = "selections" if several else "a selection"
            floor = format_odds(_given(terms.leg_min_odds), "en")
            return f"{they} included {legs} at odds below {floor}"
        case ReasonCode.TOO_FEW_QUALIFYING_LEGS:
            needed = terms.min_qualifying_legs
            noun = "selection" if needed == 1 else "selections"
            if terms.leg_min_odds is None:
                return f"{they} had fewer than {needed} {noun} that were not void"
            floor = format_odds(_given(terms.leg_min_odds), "en")
            return f"{they} had fewer than {needed} {noun} at odds of {floor} or more"
    raise AssertionError(code)  # pragma: no cover - every code is handled above


def _because_ru(code: ReasonCode, terms: Terms, several: bool) -> str:
    if code in _BECAUSE_RU:
        return _BECAUSE_RU[code][several]
    match code:
        case ReasonCode.BET_TYPE_NOT_ALLOWED:
            return f"в отыгрыше этого бонуса учитываются только {_allowed_types(terms, 'ru')}"
        case ReasonCode.EXCEEDS_MAX_BET:
            maximum = format_amount(_given(terms.max_bet), terms.currency, "ru")
            sums = "их суммы" if several else "её сумма"
            return f"{sums} больше максимальной ставки {maximum}"
        case ReasonCode.BELOW_MIN_ODDS:
            odds = "их коэффициенты" if several else "её коэффициент"
            return f"{odds} ниже {format_odds(_given(terms.min_odds), 'ru')}"
        case ReasonCode.LEG_BELOW_MIN_ODDS:
            floor = format_odds(_given(terms.leg_min_odds), "ru")
            if several:
                return f"в них входят события с коэффициентом ниже {floor}"
            return f"в неё входит событие с коэффициентом ниже {floor}"
        case ReasonCode.TOO_FEW_QUALIFYING_LEGS:
            needed = terms.min_qualifying_legs or 0
            # After "меньше" the noun is genitive: меньше 1 события, меньше 3 событий.
            events = plural_ru(needed, "события", "событий", "событий")
            where = "в каждой из них" if several else "в ней"
            if terms.leg_min_odds is None:
                return f"{where} меньше {needed} {events} без возврата"
            floor = format_odds(_given(terms.leg_min_odds), "ru")
            return f"{where} меньше {needed} {events} с коэффициентом от {floor}"
    raise AssertionError(code)  # pragma: no cover - every code is handled above


def _bets_ru(count: int) -> str:
    return plural_ru(count, "ставка", "ставки", "ставок")


def _did_not_count(code: ReasonCode, count: int, terms: Terms, language: str) -> str:
    several = count != 1
    if language == "en":
        subject = f"{count_word(count, 'en').capitalize()} {'bets' if several else 'bet'}"
        return f"{subject} did not count because {_because_en(code, terms, several)}."
    # The verb agrees with the numeral's form (21 ставка не засчитана), the pronoun in the
    # reason with the number of bets (они — there are 21 of them).
    verb = "не засчитана" if plural_ru(count, "one", "", "") == "one" else "не засчитаны"
    subject = f"{count_word(count, 'ru').capitalize()} {_bets_ru(count)}"
    return f"{subject} {verb}, так как {_because_ru(code, terms, several)}."


def _still_open(count: int, language: str) -> str:
    if language == "en":
        subject = count_word(count, "en").capitalize()
        state = "bet is" if count == 1 else "bets are"
        return f"{subject} {state} still open. Open bets count once they are settled."
    verb = "рассчитана" if plural_ru(count, "one", "", "") == "one" else "рассчитаны"
    subject = f"{count_word(count, 'ru').capitalize()} {_bets_ru(count)}"
    return f"{subject} ещё не {verb}. Открытые ставки засчитываются после расчёта."


def summarise(
    *,
    terms: Terms,
    codes: Sequence[ReasonCode],
    counted: Decimal,
    completed_at: datetime | None,
    expired: bool,
    released: Decimal | None,
    convertible: Decimal | None,
    forfeited: Decimal | None,
    bonus_balance: Decimal | None,
    language: str,
) -> str:
    """The customer paragraph; ``codes`` are the bets' reason codes, in any order.

    Once the requirement is met, the bets that did not count and the open ones no longer
    matter to the customer and are left out; the paragraph says what can be converted.
    """
    currency = terms.currency
    requirement = terms.requirement
    complete = counted >= requirement

    def amount(value: Decimal) -> str:
        return format_amount(value, currency, language)

    en = language == "en"
    sentences: list[str] = []
    if requirement == 0:
        sentences.append(
            "This bonus has no wagering requirement."
            if en
            else "У этого бонуса нет условия отыгрыша."
        )
    elif complete and completed_at is not None:
        when = format_moment(completed_at, language)
        sentences.append(
            f"You completed the {amount(requirement)} wagering requirement on {when}."
            if en
            else f"Условие отыгрыша ({amount(requirement)}) выполнено {when}."
        )
        if counted > requirement:
            sentences.append(
                f"Your qualifying bets total {amount(counted)}."
                if en
                else f"Всего засчитано ставок на {amount(counted)}."
            )
    else:
        wagered = format_figure(counted, currency, language)
        sentences.append(
            f"You have wagered {wagered} of {amount(requirement)}."
            if en
            else f"Вы отыграли {wagered} из {amount(requirement)}."
        )

    tally = Counter(codes)
    if not complete:
        for code, _ in PRECEDENCE:
            if code is not ReasonCode.NOT_SETTLED and tally[code]:
                sentences.append(_did_not_count(code, tally[code], terms, language))
        if tally[ReasonCode.NOT_SETTLED]:
            sentences.append(_still_open(tally[ReasonCode.NOT_SETTLED], language))

    if released is not None and terms.release_steps is not None:
        sentences.append(_release(terms, released, language))

    if complete:
        sentences.append(_conversion(terms, convertible, forfeited, bonus_balance, language))
    else:
        when = format_moment(terms.expires_at, language)
        if expired:
            sentences.append(
                f"The bonus expired on {when} before the wagering was completed."
                if en
                else f"Срок действия бонуса истёк {when}, до выполнения условия отыгрыша."
            )
        else:
            sentences.append(
                f"The bonus expires on {when}." if en else f"Срок действия бонуса истекает {when}."
            )
    return " ".join(sentences)


def _release(terms: Terms, released: Decimal, language: str) -> str:
    steps = terms.release_steps or 1
    done = format_amount(released, terms.currency, language)
    bonus = format_amount(terms.amount, terms.currency, language)
    if language == "en":
        how = (
            "it is released in full once the wagering is complete"
            if steps == 1
            else f"it is released in {steps} equal parts as you wager"
        )
        return f"{done} of the {bonus} bonus has been released so far; {how}."
    how = (
        "бонус начисляется целиком после выполнения условия отыгрыша"
        if steps == 1
        else (
            f"бонус начисляется в {steps} {plural_ru(steps, 'этап', 'этапа', 'этапов')} "
            "по мере отыгрыша"
        )
    )
    return f"Из бонуса {bonus} уже начислено {done}; {how}."


def _conversion(
    terms: Terms,
    convertible: Decimal | None,
    forfeited: Decimal | None,
    balance: Decimal | None,
    language: str,
) -> str:
    def amount(value: Decimal) -> str:
        return format_amount(value, terms.currency, language)

    en = language == "en"
    if terms.max_conversion is None:
        return (
            "Your bonus balance can now be converted to cash."
            if en
            else "Бонусный баланс теперь можно перевести в реальные деньги."
        )
    if balance is None or convertible is None or forfeited is None:
        cap = amount(terms.max_conversion)
        return (
            f"Up to {cap} of your bonus balance can be converted to cash; "
            "anything above that is forfeited."
            if en
            else f"В реальные деньги можно перевести не более {cap} бонусного баланса; "
            "остальное аннулируется."
        )
    if forfeited == 0:
        return (
            f"Your bonus balance of {amount(balance)} can be converted to cash in full."
            if en
            else f"Бонусный баланс {amount(balance)} можно полностью перевести в реальные деньги."
        )
    return (
        f"{amount(convertible)} of your {amount(balance)} bonus balance can be converted "
        f"to cash, the most this bonus allows; the remaining {amount(forfeited)} is forfeited."
        if en
        else f"Из бонусного баланса {amount(balance)} в реальные деньги можно перевести "
        f"{amount(convertible)} — это максимум по условиям бонуса; "
        f"остаток {amount(forfeited)} аннулируется."
    )
