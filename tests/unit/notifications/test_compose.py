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
    # Only up to the fold: the standard library folds this subject into two encoded words
    # at the space after the colon, and readers drop the space between encoded words
    # (RFC 2047), so it reads "принята:ответим". Our mail and the stock one alike.
    assert read["Subject"].startswith("Жалоба CMP-7FND-BEDC принята:")
    assert read["To"].addresses[0].display_name == "Иван Петров"
    assert read["Content-Language"] == "ru"
    body = read.get_body(("plain",))
    assert body is not None
    assert "ставке 1234567 (€12.50)" in body.get_content()
