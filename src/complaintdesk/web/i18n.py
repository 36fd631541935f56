"""English and Russian for every page: message catalogs, the visitor's language and time
zone, and dates, numbers and money written the way each language writes them.

Catalogs are the gettext ``.po`` files under ``locale/<lang>/LC_MESSAGES/messages.po``,
read with Babel at start-up and compiled in memory, so there is no compile step to forget.
``scripts/translations`` extracts new messages from the code and templates and merges them
into the catalogs; ``tests/unit/web/test_i18n.py`` fails when a message lacks its Russian.
"""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}
LOCALE_DIR = Path(__file__).parent / "locale"

LANGUAGE_COOKIE = "cd_lang"
TIMEZONE_COOKIE = "cd_tz"

_DATETIME_PATTERN = {"en": "d MMM y, HH:mm", "ru": "d MMM y, HH:mm"}
_DATE_PATTERN = {"en": "d MMMM y", "ru": "d MMMM y"}
_ACCEPT = re.compile(r"^\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker
    """Mark a message for extraction; it is translated where it is shown."""
    return message


class Catalogs:
    """The translations of every supported language, read once."""

    def __init__(self, directory: Path = LOCALE_DIR) -> None:
        self._translations: dict[str, gettext_module.NullTranslations] = {}
        for language in LANGUAGES:
            path = directory / language / "LC_MESSAGES" / "messages.po"
            if not path.exists():
                self._translations[language] = gettext_module.NullTranslations()
                continue
            with path.open("rb") as po:
                catalog = read_po(po, locale=language)
            buffer = io.BytesIO()
            # Fuzzy entries are guesses nobody checked; a customer should not read them.
            write_mo(buffer, catalog, use_fuzzy=False)
            buffer.seek(0)
            self._translations[language] = gettext_module.GNUTranslations(buffer)

    def translations(self, language: str) -> gettext_module.NullTranslations:
        return self._translations.get(language) or self._translations[DEFAULT_LANGUAGE]

    def gettext(self, language: str, message: str) -> str:
        return self.translations(language).gettext(message)

    def ngettext(self, language: str, singular: str, plural: str, n: int) -> str:
        return self.translations(language).ngettext(singular, plural, n)


@lru_cache(maxsize=1)
def catalogs() -> Catalogs:
    """The catalogs shipped with the package (read on first use, then kept)."""
    return Catalogs()


def supported(language: str | None) -> str | None:
    if not language:
        return None
    base = language.strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The first supported language of an ``Accept-Language`` header, by quality."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:20]):
        match = _ACCEPT.match(part)
        if not match:
            continue
        try:
            quality = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        language = supported(match.group(1))
        if language and quality > 0:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else None


def negotiate(query: str | None, cookies: Mapping[str, str], accept_language: str | None) -> str:
    """The page language: an explicit switch, else the remembered choice, else the
    browser's preference, else English."""
    return (
        supported(query)
        or supported(cookies.get(LANGUAGE_COOKIE))
        or from_accept_language(accept_language)
        or DEFAULT_LANGUAGE
    )


def zone_from(cookies: Mapping[str, str]) -> ZoneInfo | None:
    """The visitor's time zone as their browser reported it (by the page's script), if valid."""
    name = unquote(cookies.get(TIMEZONE_COOKIE, ""))
    if not name or len(name) > 64 or not re.fullmatch(r"[A-Za-z0-9_+\-/]+", name):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _offset_label(offset: dt.timedelta | None) -> str:
    minutes = int((offset or dt.timedelta()).total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "\N{MINUS SIGN}"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


@dataclass(frozen=True, slots=True)
class Formatter:
    """Writes values for one visitor: their language and, when known, their time zone.

    Times always carry the zone they are written in ("14:00 UTC", "17:00 UTC+3"): a
    deadline read in the wrong zone is a broken promise.
    """

    language: str
    zone: dt.tzinfo | None = None

    def datetime(self, value: dt.datetime | None) -> str:
        if value is None:
            return ""
        zone = self.zone or dt.UTC
        local = value.astimezone(zone)
        text = format_datetime(local, _DATETIME_PATTERN[self.language], locale=self.language)
        return f"{text} {_offset_label(local.utcoffset())}"

    def date(self, value: dt.datetime | None) -> str:
        if value is None:
            return ""
        local = value.astimezone(self.zone or dt.UTC)
        return format_datetime(local, _DATE_PATTERN[self.language], locale=self.language)

    def iso(self, value: dt.datetime | None) -> str:
        return value.astimezone(dt.UTC).isoformat() if value else ""

    def number(self, value: int | Decimal) -> str:
        return format_decimal(value, locale=self.language)

    def money(self, amount: Decimal | str, currency: str) -> str:
        return format_currency(Decimal(amount), currency, locale=self.language)

    def filesize(self, size: int) -> str:
        units = {"en": ("bytes", "KB", "MB"), "ru": ("байт", "КБ", "МБ")}[self.language]
        if size < 1024:
            return f"{format_decimal(size, locale=self.language)} {units[0]}"
        if size < 1024 * 1024:
            return f"{format_decimal(round(size / 1024), locale=self.language)} {units[1]}"
        value = Decimal(size) / (1024 * 1024)
        return f"{format_decimal(round(value, 1), locale=self.language)} {units[2]}"
