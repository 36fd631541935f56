"""verify(): settle a bet from its record, compare with what was paid, explain each step.

The whole bet is settled in exact arithmetic (``Fraction``) and rounded once, half up,
to the currency's minor unit, so the expected return never depends on the order of
the steps or on how many legs or lines there are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.betting.settlement.explain import Sentences
from complaintdesk.betting.settlement.formatting import (
    exact_money,
    in_units,
    is_exact_at,
    money_units,
    scaled_half_up,
)
from complaintdesk.betting.settlement.legs import ZERO, settle_leg
from complaintdesk.betting.settlement.parse import parse_bet
from complaintdesk.betting.settlement.records import PER_BET, SYSTEM, BetRecord
from complaintdesk.betting.settlement.sentences_en import English
from complaintdesk.betting.settlement.sentences_ru import Russian
from complaintdesk.betting.settlement.systems import (
    combinations_by_size,
    product,
    symmetric_sums,
)
from complaintdesk.betting.settlement.verdict import (
    CORRECT,
    LOSS,
    NOT_PAID_YET,
    OVERPAID,
    PARTIAL_LOSS,
    PUSH,
    UNDERPAID,
    WIN,
    Verdict,
)

LANGUAGES: dict[str, type[Sentences]] = {"en": English, "ru": Russian}
# Sentence writers hold nothing but their language and currency, so one of each serves
# every bet; building them per bet was a measurable share of verifying a single.
_WRITERS: dict[tuple[str, str], Sentences] = {}


def verify(
    bet: Mapping[str, Any],
    *,
    language: str = "en",
    profiles: Mapping[str, Mapping[str, Any]] | None = None,
) -> Verdict:
    """Settle ``bet`` (the settlement contract's record) and judge what was paid.

    ``language`` ("en" or "ru") is the language of the explanation. ``profiles`` are the
    operator's named rule profiles; a bet whose ``rules`` is a string uses the profile of
    that name. Raises :class:`~complaintdesk.betting.errors.InvalidInput`, naming the
    field, when the bet breaks the contract. Pure: no I/O, the same bet gives the same
    verdict.
    """
    writer = LANGUAGES.get(language) if isinstance(language, str) else None
    if writer is None:
        raise InvalidInput("language", 'must be "en" or "ru"')
    record = parse_bet(bet, profiles)
    key = (language, record.currency)
    say = _WRITERS.get(key)
    if say is None:
        say = _WRITERS[key] = writer(record.currency, record.places)
    return settle(record, say)


def settle(record: BetRecord, say: Sentences) -> Verdict:
    """The verdict on a validated bet, explained by ``say``."""
    currency, places = record.currency, record.places
    legs = len(record.legs)
    # A single or an accumulator is one combination of all its legs.
    by_size = ((legs, 1),) if record.kind != SYSTEM else combinations_by_size(legs, record.sizes)
    combos = sum(count for _, count in by_size) if record.kind == SYSTEM else 1
    lines = combos * 2 if record.each_way else combos
    if record.stake_per == PER_BET:
        outlay = record.stake
        line_stake = record.stake / lines
    else:
        line_stake = record.stake
        outlay = record.stake * lines if lines > 1 else record.stake
    # Amounts are formatted once each and reused by every sentence that quotes them.
    stake_text = exact_money(line_stake, currency, places)
    outlay_text = stake_text if outlay is line_stake else exact_money(outlay, currency, places)

    out = [say.shape(record, by_size, combos, stake_text)]
    if record.each_way:
        out.append(say.each_way(combos, lines, stake_text))
    if record.stake_per == PER_BET:
        out.append(say.stake_split(outlay_text, lines, stake_text))
    elif lines > 1:
        out.append(say.outlay(lines, stake_text, outlay_text))

    if record.cash_out is not None:
        exact = record.cash_out
        out.append(say.cash_out(exact_money(exact, currency, places)))
    else:
        exact = _settled_return(
            record,
            by_size=by_size,
            line_stake=line_stake,
            stake_text=stake_text,
            outlay=outlay,
            say=say,
            out=out,
        )

    # From here on money is counted in whole minor units (pence, cents, yen): the expected
    # return is rounded, and the outlay and the paid amount are exact in them already.
    if is_exact_at(exact, places):
        expected_units = in_units(exact, places)
    else:
        expected_units = scaled_half_up(exact, places)
        out.append(
            say.rounding(
                exact_money(exact, currency, places), money_units(expected_units, currency, places)
            )
        )
    outlay_units = in_units(outlay, places)

    if expected_units > outlay_units:
        outcome = WIN
    elif expected_units == outlay_units:
        outcome = PUSH
    elif expected_units > 0:
        outcome = PARTIAL_LOSS
    else:
        outcome = LOSS
    out.append(say.expected(money_units(expected_units, currency, places), outlay_text, outcome))

    paid = record.paid_return
    paid_units = difference_units = None
    if paid is None:
        verdict = NOT_PAID_YET
        out.append(say.not_paid())
    else:
        paid_units = in_units(paid, places)
        difference_units = paid_units - expected_units
        # Operators that round per line may differ by up to one minor unit per line.
        if abs(difference_units) <= lines:
            verdict = CORRECT
        elif difference_units < 0:
            verdict = UNDERPAID
        else:
            verdict = OVERPAID
        out.append(
            say.compared(
                money_units(paid_units, currency, places), difference_units, verdict, lines
            )
        )

    return Verdict(
        bet_id=record.bet_id,
        currency=currency,
        expected_return=Decimal(expected_units).scaleb(-places),
        outlay=Decimal(outlay_units).scaleb(-places),
        outcome=outcome,
        paid_return=None if paid_units is None else Decimal(paid_units).scaleb(-places),
        difference=None if difference_units is None else Decimal(difference_units).scaleb(-places),
        verdict=verdict,
        explanation=tuple(out) if "…." not in "".join(out) else _tidy(out),
        lines=lines,
        exact_return=exact,
    )


def _settled_return(
    record: BetRecord,
    *,
    by_size: Sequence[tuple[int, int]],
    line_stake: Fraction,
    stake_text: str,
    outlay: Fraction,
    say: Sentences,
    out: list[str],
) -> Fraction:
    """The return from the legs' results, after free-bet and maximum-winnings rules."""
    currency, places = record.currency, record.places
    only = len(record.legs) == 1
    win: list[Fraction] = []
    place: list[Fraction] = []
    for leg in record.legs:
        win_factor, place_factor = settle_leg(
            leg, each_way=record.each_way, only=only, rules=record.rules, say=say, out=out
        )
        win.append(win_factor)
        if place_factor is not None:
            place.append(place_factor)

    def lines_return(part: str | None, factors: list[Fraction]) -> Fraction:
        return _lines_return(
            part,
            factors,
            record=record,
            by_size=by_size,
            line_stake=line_stake,
            stake_text=stake_text,
            say=say,
            out=out,
        )

    if record.each_way:
        if not only:
            out.append(say.each_way_multiples())
        win_return = lines_return("win", win)
        place_return = lines_return("place", place)
        gross = win_return + place_return
        out.append(
            say.each_way_return(
                exact_money(win_return, currency, places),
                exact_money(place_return, currency, places),
                exact_money(gross, currency, places),
            )
        )
    else:
        gross = lines_return(None, win)

    cap = record.max_winnings
    if cap is None and not record.free_bet:
        return gross
    outlay_text = exact_money(outlay, currency, places)
    if record.free_bet:
        # The stake was the operator's: only what the bet won beyond it is paid.
        amount = max(ZERO, gross - outlay)
        out.append(
            say.free_bet(
                exact_money(gross, currency, places),
                outlay_text,
                exact_money(amount, currency, places),
                below_stake=gross < outlay,
            )
        )
        if cap is not None and amount > cap:
            cap_text = exact_money(cap, currency, places)
            out.append(say.max_winnings(cap_text, exact_money(amount, currency, places), cap_text))
            amount = cap
        return amount
    if cap is not None and gross - outlay > cap:
        amount = outlay + cap
        out.append(
            say.max_winnings(
                exact_money(cap, currency, places),
                exact_money(gross - outlay, currency, places),
                exact_money(amount, currency, places),
            )
        )
        return amount
    return gross


def _lines_return(
    part: str | None,
    factors: Sequence[Fraction],
    *,
    record: BetRecord,
    by_size: Sequence[tuple[int, int]],
    line_stake: Fraction,
    stake_text: str,
    say: Sentences,
    out: list[str],
) -> Fraction:
    """What the lines of one part (the whole bet, or each way's win or place part) return."""
    currency, places = record.currency, record.places
    if record.kind != SYSTEM:
        amount = product(factors, line_stake)
        out.append(
            say.line_return(part, stake_text, factors, exact_money(amount, currency, places))
        )
        return amount
    sums = symmetric_sums(factors, record.sizes)
    amounts = [line_stake * per_unit for per_unit in sums]
    amount = sum(amounts, ZERO)
    sizes = [
        (k, count, exact_money(value, currency, places))
        for (k, count), value in zip(by_size, amounts, strict=True)
    ]
    out.append(say.system_return(part, sizes, exact_money(amount, currency, places)))
    return amount


def _tidy(sentences: list[str]) -> tuple[str, ...]:
    """A sentence ending on a shortened figure ("1.3333…") needs no second full stop."""
    return tuple(s[:-1] if s.endswith("….") else s for s in sentences)
