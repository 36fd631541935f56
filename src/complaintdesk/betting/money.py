"""Exact money: parsing amounts, currencies' minor units and the one rounding per bet."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from complaintdesk.betting.errors import InvalidInput

# ISO 4217 currencies whose minor unit is not two digits. Everything else has two.
_MINOR_UNITS: dict[str, int] = {
    # no minor unit
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "ISK": 0,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "PYG": 0,
    "RWF": 0,
    "UGX": 0,
    "UYI": 0,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    # three decimals
    "BHD": 3,
    "IQD": 3,
    "JOD": 3,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "TND": 3,
    # four decimals
    "CLF": 4,
    "UYW": 4,
}

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_AMOUNT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def minor_units(currency: str) -> int:
    """Digits after the decimal point in ``currency`` (ISO 4217)."""
    return _MINOR_UNITS.get(currency, 2)


def check_currency(value: object, field: str = "currency") -> str:
    """Return ``value`` as an ISO 4217 code, or raise :class:`InvalidInput`."""
    if not isinstance(value, str) or not _CURRENCY.match(value):
        raise InvalidInput(field, "must be a three-letter ISO 4217 code such as GBP")
    return value


def parse_amount(value: object, field: str, *, allow_negative: bool = False) -> Decimal:
    """Parse a money amount given as a string (or an int), never a float.

    Floats are refused because ``0.1`` as a float is not 0.1: the contracts send money as
    strings so that no amount is ever rounded before we see it.
    """
    if isinstance(value, (bool, float)):
        raise InvalidInput(field, 'must be a string such as "10.50", not a number with a fraction')
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise InvalidInput(field, 'must be an amount as a string, e.g. "10.50"')
    if not _AMOUNT.match(text):
        raise InvalidInput(field, f"{value!r} is not an amount")
    amount = Decimal(text)
    if amount < 0 and not allow_negative:
        raise InvalidInput(field, "must not be negative")
    return amount


def round_money(value: Fraction | Decimal, currency: str) -> Decimal:
    """Round once, half-up, to the currency's minor unit (2.275 → 2.28)."""
    places = minor_units(currency)
    frac = Fraction(value)
    scale = 10**places
    scaled = frac * scale
    # Half-up away from zero on the exact fraction: no intermediate Decimal rounding.
    sign = -1 if scaled < 0 else 1
    magnitude = abs(scaled)
    whole = magnitude.numerator // magnitude.denominator
    if magnitude - whole >= Fraction(1, 2):
        whole += 1
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(sign * whole) / Decimal(scale)).quantize(quantum, rounding=ROUND_HALF_UP)


def format_money(value: Decimal, currency: str) -> str:
    """The amount as the contracts send it: a string with the currency's minor unit."""
    return str(round_money(value, currency))
