"""Every text of the pages exists in Russian, placeholders intact; languages and times are
chosen and written as each visitor expects."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from complaintdesk.web import i18n

PACKAGE = Path(i18n.__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted() -> set[str | tuple[str, ...]]:
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.do", "trimmed": "true"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map, options, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_every_message_of_the_pages_has_its_russian() -> None:
    with (i18n.LOCALE_DIR / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale="ru")
    messages = _extracted()
    assert len(messages) > 150  # the extraction sees the templates and the code
    missing = []
    for message in messages:
        key = message if isinstance(message, str) else message[0]
        entry = catalog.get(key)
        strings = (
            []
            if entry is None
            else ([entry.string] if isinstance(entry.string, str) else list(entry.string))
        )
        if entry is None or entry.fuzzy or not strings or not all(strings):
            missing.append(message)
            continue
        wanted = set(PLACEHOLDER.findall(key))
        assert all(set(PLACEHOLDER.findall(s)) == wanted for s in strings), key
    assert missing == [], "run scripts/translations and translate these"


def test_the_russian_catalog_has_three_plural_forms() -> None:
    catalogs = i18n.Catalogs()
    words = [catalogs.ngettext("ru", "%(num)s day", "%(num)s days", n) for n in (1, 3, 5, 21)]
    assert words == ["%(num)s день", "%(num)s дня", "%(num)s дней", "%(num)s день"]
    assert catalogs.gettext("en", "Make a complaint") == "Make a complaint"
    assert catalogs.gettext("ru", "Make a complaint") == "Подать жалобу"


def test_the_language_is_the_switch_then_the_cookie_then_the_browser() -> None:
    assert i18n.negotiate("ru", {"cd_lang": "en"}, "en") == "ru"
    assert i18n.negotiate(None, {"cd_lang": "ru"}, "en-GB") == "ru"
    assert i18n.negotiate(None, {}, "de-DE, ru;q=0.8, en;q=0.5") == "ru"
    assert i18n.negotiate(None, {}, "en;q=0.4, ru-RU;q=0.9") == "ru"
    assert i18n.negotiate(None, {}, "ru;q=0, en") == "en"
    assert i18n.negotiate("xx", {"cd_lang": "zz"}, "fr;q=garbage, de") == "en"
    assert i18n.negotiate(None, {}, None) == "en"


def test_times_carry_their_zone_and_money_its_language() -> None:
    at = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
    assert i18n.Formatter("en").datetime(at) == "26 Nov 2026, 14:00 UTC"
    moscow = i18n.Formatter("ru", ZoneInfo("Europe/Moscow"))
    assert moscow.datetime(at) == "26 нояб. 2026, 17:00 UTC+3"
    india = i18n.Formatter("en", ZoneInfo("Asia/Kolkata"))
    assert india.datetime(at) == "26 Nov 2026, 19:30 UTC+5:30"
    assert i18n.Formatter("en", ZoneInfo("America/Toronto")).datetime(at).endswith("UTC−5")
    assert i18n.Formatter("en").money(Decimal("1234.5"), "EUR") == "€1,234.50"
    assert i18n.Formatter("ru").money(Decimal("1234.5"), "RUB") == "1\xa0234,50\xa0₽"
    assert i18n.Formatter("ru").filesize(1536 * 1024) == "1,5 МБ"


def test_only_real_zone_names_are_taken_from_the_cookie() -> None:
    assert i18n.zone_from({"cd_tz": "Europe/London"}) == ZoneInfo("Europe/London")
    assert i18n.zone_from({"cd_tz": "Europe%2FLondon"}) == ZoneInfo("Europe/London")
    for bad in ("Mars/Olympus", "../../etc/passwd", "x" * 100, ""):
        assert i18n.zone_from({"cd_tz": bad}) is None
