"""The worker writes each outbox mail with header classes made once (``mailers.POLICY``);
the mail must be the one the standard library's own default policy writes."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest

from complaintdesk.notifications import mailers
from complaintdesk.notifications.mailers import compose

PAYLOAD: dict[str, Any] = {
    "from": "Служба поддержки <support@bookmaker.example>",
    "to": "ivan@example.com",
    "to_name": "Иван Петров",
    "subject": "Жалоба CMP-7FND-BEDC принята: ответим до 27 ноября",
    "date": "2026-11-25T09:00:00+00:00",
    "headers": {
        "Message-ID": "<cmp-7fnd-bedc.1@bookmaker.example>",
        "Auto-Submitted": "auto-generated",
        "List-Unsubscribe": "<mailto:unsubscribe@bookmaker.example>",
    },
    "text": "Здравствуйте, Иван!\n\nМы получили вашу жалобу о ставке 1234567 (€12.50).\n",
    "html": "<p>Здравствуйте, Иван!</p><p>Мы получили вашу жалобу.</p>",
    "language": "ru",
}


def test_a_composed_mail_is_the_one_the_standard_library_writes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ours = compose(PAYLOAD)
    # The same mail through the stock policy, every header class made afresh.
    monkeypatch.setattr(mailers, "POLICY", policy.default)
    theirs = compose(PAYLOAD)
    for message in (ours, theirs):  # the one thing drawn at random
        message.set_boundary("==part==")

    written = ours.as_bytes(policy=policy.SMTP)
    assert written == theirs.as_bytes(policy=policy.SMTP)

    read: EmailMessage = message_from_bytes(written, policy=policy.default)  # type: ignore[assignment]
    assert read["Subject"] == PAYLOAD["subject"]
    assert read["To"].addresses[0].display_name == "Иван Петров"
    assert read["Content-Language"] == "ru"
    body = read.get_body(("plain",))
    assert body is not None
    assert "ставке 1234567 (€12.50)" in body.get_content()


WORDS = (
    "Ваша жалоба CMP-7FND-BEDC получена: мы ответим в течение 24 часов, решение — не "
    "позднее 27 ноября. Your complaint about bet 1234567 (€12.50) was received; "
    "«выплата» ставка рассчитана верно"
)


def _subjects() -> list[str]:
    """Subjects of every length from one word to several folded lines, in Russian,
    English and both, with punctuation where the folds may fall."""
    words = WORDS.split()
    return [" ".join(words[i % 7 : i % 7 + n]) for i, n in enumerate(range(1, len(words) + 1))]


@pytest.mark.parametrize("subject", _subjects())
def test_every_subject_reads_back_as_written(subject: str) -> None:
    written = compose({**PAYLOAD, "subject": subject}).as_bytes(policy=policy.SMTP)
    read: EmailMessage = message_from_bytes(written, policy=policy.default)  # type: ignore[assignment]
    assert read["Subject"] == subject
    head = written.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 78


def test_a_subject_is_one_line_whatever_it_was_given() -> None:
    written = compose({**PAYLOAD, "subject": "Жалоба\r\nBcc: x@evil.example  принята"})
    read = message_from_bytes(written.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert read["Subject"] == "Жалоба Bcc: x@evil.example принята"
    assert read["Bcc"] is None
