"""Reading a message and telling a person's mail from an automatic one."""

from __future__ import annotations

import base64

import pytest

from complaintdesk.mail.classify import classify
from complaintdesk.mail.errors import UnusableMessage
from complaintdesk.mail.models import Disposition
from complaintdesk.mail.parse import parse

OURS = frozenset({"complaints@desk.example"})


def message(*headers: str, body: str = "Hello", content_type: str | None = None) -> bytes:
    lines = ["From: Ivan <ivan@example.com>", "To: complaints@desk.example", *headers]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def test_the_parts_a_reply_needs() -> None:
    mail = parse(
        message(
            "Subject: =?utf-8?B?" + base64.b64encode("Re: Ставка".encode()).decode() + "?=",
            "Message-ID: <a1@example.com>",
            "In-Reply-To: <CMP-7K3Q-9XWD.ab12@desk.example>",
            "References: <x@y> <CMP-7K3Q-9XWD@desk.example>",
        )
    )
    assert (mail.from_address, mail.from_name, mail.subject) == (
        "ivan@example.com",
        "Ivan",
        "Re: Ставка",
    )
    assert mail.message_id == "<a1@example.com>"
    assert mail.in_reply_to == ["<CMP-7K3Q-9XWD.ab12@desk.example>"]
    assert mail.references == ["<x@y>", "<CMP-7K3Q-9XWD@desk.example>"]
    assert mail.text == "Hello"


def test_a_placeholder_text_part_gives_way_to_the_real_html_one() -> None:
    body = (
        "--b\r\nContent-Type: text/plain\r\n\r\n \r\n"
        "--b\r\nContent-Type: text/html\r\n\r\n<p>My withdrawal of 200 EUR was refused.</p>\r\n"
        "--b--\r\n"
    )
    mail = parse(message(body=body, content_type='multipart/alternative; boundary="b"'))
    assert mail.text == "My withdrawal of 200 EUR was refused."


def test_signatures_and_inline_logos_are_not_attachments() -> None:
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * 20).decode()
    body = (
        "--m\r\nContent-Type: multipart/related; boundary=r\r\n\r\n"
        "--r\r\nContent-Type: text/html\r\n\r\n<p>Hi</p><img src=cid:logo>\r\n"
        f"--r\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{png}\r\n--r--\r\n"
        "--m\r\nContent-Type: application/pgp-signature\r\n\r\n-----BEGIN PGP-----\r\n"
        "--m--\r\n"
    )
    mail = parse(message(body=body, content_type='multipart/signed; boundary="m"'))
    assert mail.text == "Hi"
    assert mail.attachments == []


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"   \r\n\r\n", "empty"),
        (b"\x00\x00binary", "binary"),
        (b"Just some words, no headers at all.\n", "does not start with headers"),
    ],
)
def test_what_is_not_a_message_is_refused_with_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(UnusableMessage, match=reason):
        parse(raw)


def test_too_many_parts_is_refused() -> None:
    parts = "".join("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n" for _ in range(250))
    with pytest.raises(UnusableMessage, match="more than 200 parts"):
        parse(message(body=parts + "--b--\r\n", content_type='multipart/mixed; boundary="b"'))


@pytest.mark.parametrize(
    ("headers", "disposition"),
    [
        (["Auto-Submitted: auto-replied"], Disposition.auto_reply),
        (["Auto-Submitted: auto-generated"], Disposition.auto_reply),
        (["X-Autoreply: yes"], Disposition.auto_reply),
        (["Precedence: auto_reply"], Disposition.auto_reply),
        (["Return-Path: <>"], Disposition.auto_reply),
        (["Subject: Out of Office: back Monday"], Disposition.auto_reply),
        (["Subject: Автоответ: в отпуске"], Disposition.auto_reply),
        (["Precedence: bulk"], Disposition.bulk),
        (["List-Id: <offers.shop.example>"], Disposition.bulk),
        (["Subject: Undeliverable: your complaint"], Disposition.bounce),
        (["X-Failed-Recipients: a@b.c"], Disposition.bounce),
        (["X-Complaintdesk-Notification: acknowledgement"], Disposition.loop),
    ],
)
def test_automatic_mail_is_recognised(headers: list[str], disposition: Disposition) -> None:
    found = classify(parse(message(*headers)), own_addresses=OURS)
    assert found is not None
    assert found.disposition is disposition


def test_bounces_from_daemons_and_our_own_address_coming_back() -> None:
    daemon = parse(b"From: MAILER-DAEMON@mx.example\r\nSubject: x\r\n\r\nfailed")
    assert classify(daemon, own_addresses=OURS).disposition is Disposition.bounce  # type: ignore[union-attr]
    own = parse(b"From: complaints@desk.example\r\nSubject: x\r\n\r\nloop")
    assert classify(own, own_addresses=OURS).disposition is Disposition.loop  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "headers",
    [
        [],
        ["Auto-Submitted: no"],
        ["Precedence: first-class"],
        ["Subject: Re: Automatic settlement was wrong"],
    ],
)
def test_a_person_writing_is_not_mistaken_for_a_machine(headers: list[str]) -> None:
    assert classify(parse(message(*headers)), own_addresses=OURS) is None
