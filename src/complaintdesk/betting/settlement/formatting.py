"""How exact numbers are written in verdicts and explanations.

Everything here works on :class:`fractions.Fraction` with integer arithmetic only: no
float and no intermediate ``Decimal`` rounding ever touches an amount, and the one
rounding of a bet (half up, away from zero on the exact value) is the same rule as
:func:`complaintdesk.betting.money.round_money`, done without its conversions because
the verifier formats several numbers for every bet it explains.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

# 10**n for the few precisions we ever print; a lookup beats a power on the hot path.
_SCALE: tuple[int, ...] = tuple(10**n for n in range(12))
_ZEROS = tuple("0" * n for n in range(12))


def scaled_half_up(value: Fraction, places: int) -> int:
    """``value × 10**places`` rounded half up (away from zero) to an integer."""
    numerator, denominator = value.numerator, value.denominator
    negative = numerator < 0
    if negative:
        numerator = -numerator
    whole, rest = divmod(numerator * _SCALE[places], denominator)
    if rest * 2 >= denominator:
        whole += 1
    return -whole if negative else whole


@lru_cache(maxsize=8192)
def units_text(count: int, places: int) -> str:
    """A whole number of minor units as an amount: 250 → "2.50", -5 → "-0.05"."""
    sign = ""
    if count < 0:
        sign, count = "-", -count
    if not places:
        return f"{sign}{count}"
    whole, rest = divmod(count, _SCALE[places])
    return f"{sign}{whole}.{str(rest).rjust(places, '0')}"


def money_units(count: int, currency: str, places: int) -> str:
    """A whole number of minor units as money: 4188 → "41.88 GBP"."""
    return f"{units_text(count, places)} {currency}"


def in_units(value: Fraction, places: int) -> int:
    """An amount known to be exact in minor units, as a whole number of them (2.50 → 250)."""
    return value.numerator * (_SCALE[places] // value.denominator)


def is_exact_at(value: Fraction, places: int) -> bool:
    """True when ``value`` has no more than ``places`` decimals (so printing loses nothing)."""
    return _SCALE[places] % value.denominator == 0


def number(value: Fraction, min_places: int = 2, max_places: int = 4) -> str:
    """A figure for a sentence: exact when it fits ``max_places`` decimals, else ``"1.3333…"``.

    Trailing zeros are dropped down to ``min_places`` so that odds read ``2.50`` and a
    factor reads ``1.475`` rather than ``1.4750``. The ellipsis tells the reader that the
    figure is shortened and that the calculation itself uses the exact value.
    """
    return _number(value.numerator, value.denominator, min_places, max_places)


# Explanations print about a dozen figures per bet and the same few hundred prices,
# stakes and factors recur all day: remembering their text is cheaper than writing it.
@lru_cache(maxsize=8192)
def _number(numerator: int, denominator: int, min_places: int, max_places: int) -> str:
    if denominator == 1:
        return f"{numerator}.{_ZEROS[min_places]}" if min_places else str(numerator)
    sign = ""
    if numerator < 0:
        sign, numerator = "-", -numerator
    scale = _SCALE[max_places]
    if scale % denominator:
        scaled, rest = divmod(numerator * scale, denominator)
        if rest * 2 >= denominator:
            scaled += 1
        whole, rest = divmod(scaled, scale)
        return f"{sign}{whole}.{str(rest).rjust(max_places, '0')}…"
    scaled = numerator * (scale // denominator)
    places = max_places
    while places > min_places and scaled % 10 == 0:
        scaled //= 10
        places -= 1
    if not places:
        return f"{sign}{scaled}"
    whole, rest = divmod(scaled, _SCALE[places])
    return f"{sign}{whole}.{str(rest).rjust(places, '0')}"


def percent(value: Fraction) -> str:
    """A share as a percentage for a sentence: ``Fraction(1, 4)`` → ``"25%"``."""
    return number(value * 100, 0, 2) + "%"


def exact_money(value: Fraction, currency: str, places: int) -> str:
    """An amount before the bet's rounding: all its decimals if few, else shortened with ``…``."""
    return f"{number(value, places, places + 4)} {currency}"


def fraction(value: Fraction) -> str:
    """A ratio written as a fraction (``"1/2"``), or a whole number (``"1"``)."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"
