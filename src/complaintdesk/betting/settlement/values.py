"""Parsers for the single values of a bet record: amounts, shares, lines, counts, scores.

Each returns an exact value or raises :class:`InvalidInput` naming the field. Money and
shares must be strings (a float such as 0.1 is already not 0.1 when it reaches us);
counts (places, positions, goals) may be plain integers because they are exact anyway.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

from complaintdesk.betting.errors import InvalidInput

_AMOUNT = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_SIGNED = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)")
_RATIO = re.compile(r"(\d+)\s*/\s*(\d+)")
_QUARTER = Fraction(1, 4)
# No real amount, price or share needs more characters; a longer one is a data error, and
# refusing it early keeps a megabyte of digits from reaching int() and its digit limit.
MAX_FIGURE = 32


def amount(value: object, field: str, places: int, *, positive: bool = False) -> Fraction:
    """A money amount in the currency's minor unit: ``"10"``, ``"2.50"``; never negative.

    An amount with more decimals than the currency has (``"0.125"`` GBP) is refused:
    nobody can stake or be paid a fraction of a penny, so such a figure is a data error
    (a per-line stake of a split bet is what ``stake_per: "bet"`` is for).
    """
    if not isinstance(value, str):
        raise InvalidInput(field, 'must be an amount as a string, e.g. "10.50"')
    parsed = _amount(value, places)
    if isinstance(parsed, str):
        raise InvalidInput(field, parsed)
    if positive and not parsed.numerator:
        raise InvalidInput(field, "must be greater than 0")
    return parsed


@lru_cache(maxsize=4096)
def _amount(text: str, places: int) -> Fraction | str:
    clean = text.strip()
    if len(clean) > MAX_FIGURE:
        return f"is longer than {MAX_FIGURE} characters: not an amount"
    if not _AMOUNT.fullmatch(clean):
        if _SIGNED.fullmatch(clean) and clean.startswith("-"):
            return "must not be negative"
        return f"{text!r} is not an amount"
    if "." in clean and len(clean.rstrip("0").partition(".")[2]) > places:
        return f"has more than {places} decimal places, the currency's smallest unit"
    return Fraction(clean)


def share(value: object, field: str, *, zero_ok: bool = True, one_ok: bool = False) -> Fraction:
    """A share of one: ``"0.25"`` or ``"1/4"``, in [0, 1) (bounds adjustable)."""
    if not isinstance(value, str):
        raise InvalidInput(field, 'must be a share as a string, e.g. "0.25" or "1/4"')
    parsed = _share(value)
    if parsed is None:
        raise InvalidInput(field, f'{value!r} is not a share such as "0.25" or "1/4"')
    low = "0 or more" if zero_ok else "greater than 0"
    high = "at most 1" if one_ok else "less than 1"
    if (parsed < 0 or (parsed == 0 and not zero_ok)) or (
        parsed > 1 or (parsed == 1 and not one_ok)
    ):
        raise InvalidInput(field, f"must be {low} and {high}")
    return parsed


@lru_cache(maxsize=1024)
def _share(text: str) -> Fraction | None:
    clean = text.strip()
    if len(clean) > MAX_FIGURE:
        return None
    if _AMOUNT.fullmatch(clean):
        return Fraction(clean)
    match = _RATIO.fullmatch(clean)
    if match and int(match.group(2)) > 0:
        return Fraction(int(match.group(1)), int(match.group(2)))
    return None


def line(value: object, field: str, *, negative_ok: bool = True) -> Fraction:
    """An Asian line: a multiple of 0.25 (``"-0.75"``, ``"2.25"``); a string or an integer."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidInput(field, 'must be a line as a string, e.g. "-0.75"')
    parsed = _line(str(value))
    if parsed is None:
        raise InvalidInput(field, f'{value!r} is not a line such as "-0.75" or "2.5"')
    if parsed % _QUARTER:
        raise InvalidInput(field, "must be a multiple of 0.25")
    if parsed < 0 and not negative_ok:
        raise InvalidInput(field, "must not be negative")
    return parsed


@lru_cache(maxsize=512)
def _line(text: str) -> Fraction | None:
    clean = text.strip()
    if len(clean) > MAX_FIGURE:
        return None
    return Fraction(clean) if _SIGNED.fullmatch(clean) else None


def count(value: object, field: str, *, minimum: int = 1) -> int:
    """A whole number of at least ``minimum`` (places, runners, positions)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, "must be a whole number")
    if value < minimum:
        raise InvalidInput(field, f"must be at least {minimum}")
    return value


def score(value: object, field: str) -> tuple[int, int]:
    """A score ``[selection, opponent]`` of two whole numbers of goals, 0 or more."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise InvalidInput(field, "must be a pair [selection, opponent], e.g. [2, 1]")
    return (
        count(value[0], f"{field}[0]", minimum=0),
        count(value[1], f"{field}[1]", minimum=0),
    )


def flag(value: object, field: str) -> bool:
    """A yes/no field: JSON ``true`` or ``false`` only (``"false"`` is a truthy string)."""
    if not isinstance(value, bool):
        raise InvalidInput(field, "must be true or false")
    return value


def text(value: object, field: str) -> str:
    """A free-text field kept for display (a selection's name)."""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be a string")
    return value
