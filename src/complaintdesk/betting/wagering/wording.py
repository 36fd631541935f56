"""How numbers, money, dates and counts read to a customer in English and Russian.

The texts the engines write go straight to bettors, so they follow each language's own
conventions rather than one machine format: English groups thousands with a comma and uses
a decimal point (``2,300.50``); Russian groups with a no-break space and uses a decimal
comma (``2 300,50``), and its nouns take one of three plural forms after a number.

The payment reason explainer uses the same helpers, so a customer reads amounts and dates
the same way in a bonus report and in a payment answer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.betting.money import round_money

LANGUAGES = ("en", "ru")

# Russian typography separates thousands with a no-break space, so that a number is never
# split over two lines.
_GROUP = {"en": ",", "ru": "\u00a0"}
_POINT = {"en": ".", "ru": ","}

_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# A date in Russian puts the month in the genitive: "1 декабря", never "1 декабрь".
_MONTHS_RU = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

_SMALL_EN = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# Feminine forms: the counted noun in our texts is "ставка" (a bet), which is feminine.
_SMALL_RU_FEMININE = (
    "одна",
    "две",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
    "десять",
)


def check_language(language: object) -> str:
    """Return ``language`` if the texts exist in it, else raise :class:`InvalidInput`."""
    if language not in LANGUAGES:
        raise InvalidInput("language", f"must be one of {', '.join(LANGUAGES)}, not {language!r}")
    return str(language)


def plural_ru(count: int, one: str, few: str, many: str) -> str:
    """The Russian noun form after ``count``: 1 ставка, 2 ставки, 5 ставок, 21 ставка.

    The rule looks at the last two digits: 11–14 always take the "many" form.
    """
    tens = count % 100
    units = count % 10
    if units == 1 and tens != 11:
        return one
    if 2 <= units <= 4 and not 12 <= tens <= 14:
        return few
    return many


def count_word(count: int, language: str) -> str:
    """A small count as a word ("two", "две"), larger ones as digits, as editors advise.

    Russian words are feminine because the thing counted is always a bet (ставка).
    """
    if 1 <= count <= len(_SMALL_EN):
        return (_SMALL_EN if language == "en" else _SMALL_RU_FEMININE)[count - 1]
    return str(count)


def format_number(value: Decimal, language: str, places: int | None = None) -> str:
    """``value`` with the language's separators, rounded to ``places`` if given.

    Without ``places`` the digits of ``value`` are kept as they are: odds are shown exactly
    as priced.
    """
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    sign = "-" if value < 0 else ""
    text = f"{abs(value):f}"
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = sign + _GROUP[language].join(groups)
    if fraction:
        result += _POINT[language] + fraction
    return result


def format_figure(value: Decimal, currency: str, language: str) -> str:
    """An amount without its currency, for "300 of 2,300 EUR": "2,300", "50.50", "2 300".

    Whole amounts drop their zero minor units because "2,300.00 EUR" reads as clutter in
    a sentence; any other amount shows all of its currency's minor units.
    """
    rounded = round_money(value, currency)
    if rounded == rounded.to_integral_value():
        return format_number(rounded, language, 0)
    return format_number(rounded, language)


def format_amount(value: Decimal, currency: str, language: str) -> str:
    """Money for a customer: "2,300 EUR", "50.50 EUR", "2 300 EUR", "50,50 EUR"."""
    return f"{format_figure(value, currency, language)} {currency}"


def join_words(items: list[str], language: str) -> str:
    """ "a, b and c" / "a, b и c"."""
    if len(items) <= 1:
        return "".join(items)
    conjunction = " and " if language == "en" else " и "
    return ", ".join(items[:-1]) + conjunction + items[-1]


def format_odds(value: Decimal, language: str) -> str:
    """Decimal odds as a bookmaker prints them: 1.40, 3.48, 2.375 — exact, at least two decimals.

    Odds are never rounded for display: a total of 1.505 shown as "1.51" next to a
    minimum of 1.51 would contradict the reason it is shown for.
    """
    value = value.normalize()
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        value = value.quantize(Decimal("0.01"))
    return format_number(value, language)


def format_date(moment: date | datetime, language: str) -> str:
    """The calendar date (in UTC for a time): "1 December 2026", "1 декабря 2026 г."."""
    day = moment.astimezone(UTC).date() if isinstance(moment, datetime) else moment
    if language == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day} {_MONTHS_RU[day.month - 1]} {day.year}\u00a0г."


def format_moment(moment: datetime, language: str) -> str:
    """Date and time in UTC: "1 December 2026 at 00:00 UTC", "1 декабря 2026 г. в 00:00 UTC".

    The time is always shown: a bonus that "expires on 1 December" at midnight has in fact
    ended when 1 December begins, and a customer must not read it as a day still to play.
    """
    utc = moment.astimezone(UTC)
    at = "at" if language == "en" else "в"
    return f"{format_date(utc, language)} {at} {utc:%H:%M} UTC"
