"""What a customer wrote, without the history their mail program quoted below it."""

from __future__ import annotations

import pytest

from complaintdesk.mail.quotes import strip_quoted

ANSWER = "The coupon number is 778812.\nThanks"


@pytest.mark.parametrize(
    "history",
    [
        "On Tue, 24 Nov 2026 at 10:00, Support <desk@op.example> wrote:\n> Please send it.",
        "On Tue, 24 Nov 2026 at 10:00, Support <desk@op.example>\nwrote:\n> Please send it.",
        "вт, 24 нояб. 2026 г. в 10:00, Support <desk@op.example>:\n> Пришлите номер.",
        "24.11.2026 10:00, Support пишет:\n> Пришлите номер.",
        "24 ноября 2026 г., в 10:00, Служба поддержки написал(а):\n> Пришлите номер.",
        "-----Original Message-----\nFrom: Support\nSent: Tuesday\nSubject: x\n\nPlease send it.",
        "-----Исходное сообщение-----\nОт: Support\nОтправлено: 24 ноября\n\nПришлите номер.",
        "________________________________\nFrom: Support <desk@op.example>\nSent: Tuesday",
        "From: Support <desk@op.example>\nSent: Tuesday, 24 November 2026 10:00\nTo: me\n\nHi",
        "От: Служба <desk@op.example>\nДата: 24.11.2026\nТема: Re: ставка\n\nПришлите номер.",
    ],
)
def test_history_below_the_answer_is_cut(history: str) -> None:
    assert strip_quoted(f"{ANSWER}\n\n{history}\n") == ANSWER


def test_interleaved_quotes_are_dropped_and_answers_kept() -> None:
    text = "> What is the coupon?\n778812\n> And the stake?\n50 EUR\n"
    assert strip_quoted(text) == "778812\n50 EUR"


def test_the_signature_goes() -> None:
    assert strip_quoted(f"{ANSWER}\n-- \nIvan Petrov\n+44 20 0000 0000") == ANSWER


def test_a_reply_that_only_quotes_is_kept_whole_rather_than_lost() -> None:
    text = "> Please send the coupon number.\n"
    assert strip_quoted(text) == text.strip()


def test_ordinary_text_mentioning_from_or_wrote_is_left_alone() -> None:
    text = "From: my account page it says lost.\nMy friend wrote: it won.\nPlease check."
    assert strip_quoted(text) == text
