"""Mail to customers, in their language, from one plain-text template per message.

Each template (``templates/mail/<language>/<kind>.txt``) starts with a ``Subject:`` line;
the rest is the text part. The HTML part is built from that same text (paragraphs, lists,
links) inside one layout, so the two parts can never say different things and a translator
edits one file per message.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel.dates import format_datetime
from babel.numbers import format_currency
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

LANGUAGES = ("en", "ru")
KINDS = (
    "acknowledgement",
    "staff_reply",
    "information_request",
    "deadline_extended",
    "resolution",
    "review_requested",
    "closed",
)

OUTCOMES: dict[str, dict[str, str]] = {
    "en": {
        "upheld": "your complaint is upheld",
        "partially_upheld": "your complaint is partly upheld",
        "not_upheld": "your complaint is not upheld",
        "withdrawn": "your complaint is withdrawn",
    },
    "ru": {
        "upheld": "жалоба удовлетворена",
        "partially_upheld": "жалоба удовлетворена частично",
        "not_upheld": "жалоба не удовлетворена",
        "withdrawn": "жалоба отозвана",
    },
}


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    text: str
    html: str


@lru_cache(maxsize=1)
def _environments() -> tuple[Environment, Environment]:
    loader = PackageLoader("complaintdesk.notifications", "templates/mail")
    # Plain text is not HTML: nothing to escape there. StrictUndefined turns a template
    # asking for something we did not pass into an error in the tests, not a blank.
    text = Environment(
        loader=loader,
        autoescape=False,  # noqa: S701 - plain-text mail; the HTML part is escaped below
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    html = Environment(loader=loader, autoescape=True, undefined=StrictUndefined)
    return text, html


def language_of(value: str | None) -> str:
    return value if value in LANGUAGES else "en"


def format_when(value: dt.datetime | None, language: str) -> str | None:
    """A deadline as a customer reads it: ``25 November 2026, 14:00 UTC``."""
    if value is None:
        return None
    when = format_datetime(
        value.astimezone(dt.UTC), "d MMMM y, HH:mm", tzinfo=dt.UTC, locale=language_of(language)
    )
    return f"{when} UTC"


def format_amount(amount: Decimal, currency: str, language: str) -> str:
    return format_currency(amount, currency, locale=language_of(language))


def outcome_label(outcome: str, language: str) -> str:
    return OUTCOMES[language_of(language)].get(outcome, outcome)


def render(kind: str, language: str, context: dict[str, Any]) -> RenderedMail:
    """The subject, text and HTML of one message; ``context`` must hold every name the
    template uses (None for the optional ones)."""
    if kind not in KINDS:
        raise ValueError(f"no mail template {kind!r}")
    language = language_of(language)
    text_env, html_env = _environments()
    rendered = text_env.get_template(f"{language}/{kind}.txt").render(context)
    head, _, body = rendered.partition("\n\n")
    if not head.startswith("Subject: "):
        raise ValueError(f"mail template {language}/{kind} does not start with 'Subject: '")
    subject = " ".join(head.removeprefix("Subject: ").split())
    text = _tidy(body)
    html = html_env.get_template("layout.html").render(
        language=language,
        subject=subject,
        reference=context.get("reference", ""),
        content=text_to_html(text),
    )
    return RenderedMail(subject=subject, text=text, html=html)


def _tidy(text: str) -> str:
    # Optional blocks leave runs of blank lines behind; one blank line separates paragraphs.
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


_URL = re.compile(r"https?://[^\s<>\"']+")


def _linkify(escaped: str) -> str:
    def link(match: re.Match[str]) -> str:
        url = match.group(0)
        trail = ""
        while url and url[-1] in ".,;:!?)»":
            trail = url[-1] + trail
            url = url[:-1]
        return f'<a href="{url}" style="color:#0b69a3;">{url}</a>{trail}'

    return _URL.sub(link, escaped)


def text_to_html(text: str) -> Markup:
    """Paragraphs become ``<p>``, ``- `` lines a list, URLs links; everything is escaped."""
    blocks: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        lines = paragraph.splitlines()
        lead, items = ([], lines) if lines[0].startswith("- ") else (lines[:1], lines[1:])
        if items and all(line.startswith("- ") for line in items):
            html = "".join(f'<p style="margin:16px 0 4px 0;">{_line(li)}</p>' for li in lead)
            html += '<ul style="margin:4px 0 16px 0;">'
            html += "".join(f"<li>{_line(li[2:])}</li>" for li in items)
            blocks.append(html + "</ul>")
        else:
            blocks.append(
                '<p style="margin:16px 0;">' + "<br>\n".join(_line(li) for li in lines) + "</p>"
            )
    return Markup("\n".join(blocks))  # noqa: S704 - every piece was escaped by _line


def _line(line: str) -> str:
    return _linkify(str(escape(line)))
