"""The words of the clocks, in English and Russian: durations, clock names, explanations.

Customers read :func:`public_explanation` on their tracking page; staff read
:func:`staff_explanation` in the case view. Both are built from the same facts as the
deadlines themselves, never from free text an agent typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

LANGUAGES = ("en", "ru")

CLOCK_NAMES: dict[str, tuple[str, str]] = {
    "acknowledgement": ("acknowledgement", "подтверждение"),
    "first_response": ("first response", "первый ответ"),
    "next_response": ("next response", "следующий ответ"),
    "resolution": ("resolution", "решение"),
    "regulatory": ("regulatory deadline", "срок регулятора"),
}


def plural_ru(n: int, one: str, few: str, many: str) -> str:
    """The Russian noun form after ``n``: 1 день, 2 дня, 5 дней, 11 дней, 21 день."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


_UNITS = {
    "day": (("day", "days"), ("день", "дня", "дней")),
    "hour": (("hour", "hours"), ("час", "часа", "часов")),
    "minute": (("minute", "minutes"), ("минута", "минуты", "минут")),
}


_GENITIVE_RU = {"day": ("дня", "дней"), "hour": ("часа", "часов"), "minute": ("минуты", "минут")}


def _unit(n: int, unit: str, language: str, *, genitive: bool = False) -> str:
    en, ru = _UNITS[unit]
    if language == "ru":
        if genitive:  # "в течение 1 дня, 2 дней, 21 часа"
            one, many = _GENITIVE_RU[unit]
            return f"{n} {one if n % 10 == 1 and n % 100 != 11 else many}"
        return f"{n} {plural_ru(n, *ru)}"
    return f"{n} {en[0] if n == 1 else en[1]}"


def duration(seconds: float, language: str, *, genitive: bool = False, hours_up_to: int = 0) -> str:
    """A span as people say it: ``2 days 3 hours``, ``5 hours 20 minutes``, ``40 minutes``.

    Targets pass ``hours_up_to=72`` so that whole hours up to three days stay hours (a
    24-hour target reads "24 hours", not "1 day"). ``genitive`` gives the Russian form
    after "в течение" (1 дня, 5 часов).
    """
    total = round(seconds / 60)
    days, rest = divmod(total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days and days * 24 + hours <= hours_up_to and not minutes:
        hours, days = hours + days * 24, 0
    if days:
        if minutes >= 30:
            hours += 1
        parts = [_unit(days, "day", language, genitive=genitive)] + (
            [_unit(hours, "hour", language, genitive=genitive)] if hours else []
        )
    elif hours:
        parts = [_unit(hours, "hour", language, genitive=genitive)] + (
            [_unit(minutes, "minute", language, genitive=genitive)] if minutes else []
        )
    elif minutes:
        parts = [_unit(minutes, "minute", language, genitive=genitive)]
    else:
        return "меньше минуты" if language == "ru" else "less than a minute"
    return " ".join(parts)


def clock_name(clock: str, language: str) -> str:
    en, ru = CLOCK_NAMES.get(clock, (clock, clock))
    return ru if language == "ru" else en


def clock_list(clocks: Sequence[str], language: str) -> str:
    names = [clock_name(c, language) for c in clocks]
    if len(names) <= 1:
        return "".join(names)
    joiner = " и " if language == "ru" else " and "
    return ", ".join(names[:-1]) + joiner + names[-1]


def when(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True, slots=True)
class PauseFacts:
    """What a customer may be told about the pauses of their case."""

    closed_seconds: float  # the pauses that have ended
    open_seconds: float | None  # the pause still running, None when not paused
    extension_days: int = 0


def public_explanation(facts: PauseFacts, language: str) -> str | None:
    """Why the customer's deadlines are where they are, without anything internal."""
    ru = language == "ru"
    sentences: list[str] = []
    if facts.open_seconds is not None:
        sentences.append(
            "Срок ответа приостановлен, пока мы ждём вашего ответа или документов "
            f"(уже {duration(facts.open_seconds, 'ru')}); время ожидания не входит в наши сроки."
            if ru
            else "The clock is paused while we wait for your reply or documents "
            f"({duration(facts.open_seconds, 'en')} so far); time spent waiting does not count "
            "against our deadlines."
        )
    if facts.closed_seconds > 0:
        sentences.append(
            f"Срок был приостановлен на {duration(facts.closed_seconds, 'ru')}, пока мы ждали "
            "вашего ответа или документов; наши сроки сдвинулись на то же время."
            if ru
            else f"The clock was paused for {duration(facts.closed_seconds, 'en')} while we "
            "waited for your reply or documents; our deadlines moved by the same time."
        )
    if facts.extension_days:
        sentences.append(
            f"Срок окончательного ответа продлён на {_unit(facts.extension_days, 'day', 'ru')}, "
            "как допускают правила регулятора, — мы сообщили вам об этом."
            if ru
            else "The deadline for our final response was extended by "
            f"{_unit(facts.extension_days, 'day', 'en')}, as the regulator's rules allow; "
            "we told you when we did it."
        )
    return " ".join(sentences) or None


@dataclass(frozen=True, slots=True)
class StaffFacts:
    """Everything the staff explanation of a case's clocks is built from."""

    policy: str | None
    calendar: str | None  # key and zone, e.g. "london-office (Europe/London)"; None: 24/7
    first_response_seconds: float
    next_response_seconds: float | None
    resolution_seconds: float
    jurisdiction: str | None
    regulator: str | None
    regulatory_days: int | None
    extension_days: int
    extended_at: dt.datetime | None
    pause_clocks: Sequence[str]
    pauses: int
    paused_seconds: float
    paused_since: dt.datetime | None
    at_risk: Sequence[str]
    breached: Sequence[str]


def staff_explanation(f: StaffFacts, language: str) -> str:
    ru = language == "ru"

    def d(seconds: float) -> str:
        return duration(seconds, language, hours_up_to=72)

    targets = [
        f"{clock_name('first_response', language)} {d(f.first_response_seconds)}",
        *(
            [f"{clock_name('next_response', language)} {d(f.next_response_seconds)}"]
            if f.next_response_seconds
            else []
        ),
        f"{clock_name('resolution', language)} {d(f.resolution_seconds)}",
    ]
    counted = (
        (f"в рабочие часы календаря {f.calendar}" if ru else f"in working hours of {f.calendar}")
        if f.calendar
        else ("круглосуточно" if ru else "around the clock")
    )
    policy = f"«{f.policy}»" if f.policy else ("по умолчанию" if ru else "(built-in defaults)")
    out = [
        f"Политика {policy}: {', '.join(targets)}, {counted}."
        if ru
        else f"Policy {policy}: {', '.join(targets)}, counted {counted}."
    ]
    if f.regulatory_days is None:
        out.append(
            "Срока регулятора нет (это консультация)."
            if ru
            else "No regulatory deadline (a consultation)."
        )
    else:
        where = f.jurisdiction or ("юрисдикция не указана" if ru else "no jurisdiction given")
        if f.regulator:
            where += f", {f.regulator}"
        days = _unit(f.regulatory_days, "day", language)
        out.append(
            f"Срок регулятора: {days} ({where})." if ru else f"Regulatory: {days} ({where})."
        )
    if f.extension_days and f.extended_at:
        extra = _unit(f.extension_days, "day", language)
        out.append(
            f"Срок регулятора продлён на {extra} {when(f.extended_at)}."
            if ru
            else f"Regulatory deadline extended by {extra} on {when(f.extended_at)}."
        )
    stops = clock_list(f.pause_clocks, language) or ("ничего" if ru else "nothing")
    out.append(
        f"Ожидание клиента останавливает: {stops}."
        if ru
        else f"Waiting for the customer stops: {stops}."
    )
    if f.pauses:
        waited = duration(f.paused_seconds, language)
        out.append(
            f"Пауз: {f.pauses}, всего {waited}; эти сроки сдвинуты на столько же."
            if ru
            else f"Paused {waited} in {f.pauses} "
            f"pause{'s' if f.pauses != 1 else ''}; those deadlines moved by as much."
        )
    if f.paused_since:
        out.append(
            f"Сейчас на паузе с {when(f.paused_since)}."
            if ru
            else f"Paused now, since {when(f.paused_since)}."
        )
    if f.breached:
        names = clock_list(f.breached, language)
        out.append(f"Нарушено: {names}." if ru else f"Breached: {names}.")
    if f.at_risk:
        names = clock_list(f.at_risk, language)
        out.append(f"Под угрозой: {names}." if ru else f"At risk: {names}.")
    return " ".join(out)
