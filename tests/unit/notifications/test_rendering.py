"""Customer mail in English and Russian: every message renders in both languages, names
the reference, never carries an access key, and its HTML part says what the text says."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from jinja2 import UndefinedError

from complaintdesk.notifications.rendering import (
    KINDS,
    format_amount,
    format_when,
    outcome_label,
    render,
    text_to_html,
)

WHEN = dt.datetime(2026, 11, 25, 14, 30, tzinfo=dt.UTC)


def context(language: str, **extra: Any) -> dict[str, Any]:
    return {
        "reference": "CMP-7K3Q-9XWD",
        "case_subject": "Bet <settled> as lost & unpaid",
        "name": "Ivan Petrov",
        "track_url": "https://desk.example/track/CMP-7K3Q-9XWD",
        "first_response_due": format_when(WHEN, language),
        "resolution_due": format_when(WHEN + dt.timedelta(days=1), language),
        "regulatory_due": format_when(WHEN + dt.timedelta(days=56), language),
        "converted": False,
        "body": "We have re-settled coupon 778812.",
        "last_message": "Please send the coupon number.",
        "outcome": outcome_label("partially_upheld", language),
        "summary": "The second leg was void, so the odds were recalculated.",
        "compensation": format_amount(Decimal("25.50"), "EUR", language),
        "new_due": format_when(WHEN + dt.timedelta(days=84), language),
        "reason": "We are waiting for the payment provider's records.",
        "adr": "IBAS (https://www.ibas-uk.com)",
        **extra,
    }


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_message_renders_in_both_languages_with_the_reference(
    kind: str, language: str
) -> None:
    mail = render(kind, language, context(language))
    assert mail.subject.startswith("[CMP-7K3Q-9XWD] ")
    assert "https://desk.example/track/CMP-7K3Q-9XWD" in mail.text
    assert 'href="https://desk.example/track/CMP-7K3Q-9XWD"' in mail.html
    assert "{{" not in mail.text
    assert "{%" not in mail.text
    cyrillic = bool(re.search("[а-яА-Я]", mail.subject + mail.text.replace("Ivan", "")))
    assert cyrillic is (language == "ru")


def test_the_acknowledgement_gives_timescale_tracking_and_escalation_not_the_key() -> None:
    en = render("acknowledgement", "en", context("en"))
    assert "25 November 2026, 14:30 UTC" in en.text  # first response
    assert "20 January 2027, 14:30 UTC" in en.text  # the regulator's deadline
    assert "access key" in en.text
    assert "never send the access key" in en.text
    assert "escalated" in en.text
    assert "take your complaint to IBAS (https://www.ibas-uk.com), free of charge" in en.text
    ru = render("acknowledgement", "ru", context("ru"))
    assert "25 ноября 2026, 14:30 UTC" in ru.text
    assert "ключ доступа" in ru.text
    assert "никогда не отправляем ключ" in ru.text


def test_a_consultation_turned_complaint_is_acknowledged_as_such() -> None:
    mail = render("acknowledgement", "en", context("en", converted=True))
    assert "Your question is now a formal complaint" in mail.text


def test_resolution_states_outcome_reasons_and_compensation_in_the_language() -> None:
    en = render("resolution", "en", context("en"))
    assert "Outcome: your complaint is partly upheld." in en.text
    assert "€25.50" in en.text
    assert "The second leg was void" in en.text
    ru = render("resolution", "ru", context("ru"))
    assert "Решение: жалоба удовлетворена частично." in ru.text
    assert "25,50\xa0€" in ru.text


def test_optional_parts_disappear_cleanly() -> None:
    mail = render("acknowledgement", "en", context("en", name=None, regulatory_due=None))
    assert mail.text.startswith("Hello,\n")
    assert "final response by" not in mail.text
    assert "\n\n\n" not in mail.text
    staff = render("information_request", "en", context("en", last_message=None))
    assert "Our last message" not in staff.text


def test_customer_and_staff_text_is_escaped_in_html_but_kept_in_text() -> None:
    mail = render(
        "staff_reply",
        "en",
        context("en", body="Use <b>bold</b> & see https://x.example/a?b=1&c=2."),
    )
    assert "<b>bold</b> & see" in mail.text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; see" in mail.html
    assert '<a href="https://x.example/a?b=1&amp;c=2"' in mail.html
    assert "Bet &lt;settled&gt; as lost &amp; unpaid" in mail.html


def test_text_to_html_lists_paragraphs_and_line_breaks() -> None:
    html = str(text_to_html("Intro:\n- one\n- two\n\nline a\nline b"))
    assert "<ul" in html
    assert "<li>one</li><li>two</li>" in html
    assert "line a<br>\nline b" in html


def test_a_template_asking_for_something_not_given_fails_loudly() -> None:
    values = context("en")
    del values["track_url"]
    with pytest.raises(UndefinedError):
        render("closed", "en", values)


def test_unknown_language_falls_back_to_english_and_unknown_kind_is_refused() -> None:
    assert render("closed", "de", context("en")).subject.endswith("Your complaint is closed")
    with pytest.raises(ValueError, match="no mail template"):
        render("nonsense", "en", context("en"))
