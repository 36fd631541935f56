"""`complaintdesk mail ingest` over the mail people really send — the hand-made awkward
messages and CPython's e-mail test corpus: each is taken, recorded, or refused with a
clear reason and exit status 1, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from complaintdesk.cli.main import app
from complaintdesk.complaints.models import Complaint, Message
from complaintdesk.db import Database
from complaintdesk.mail.models import InboundMail

MAIL = Path(__file__).parents[1] / "fixtures" / "mail"
CORPUS = sorted((MAIL / "cpython").glob("msg_*.txt"))
CLI = [sys.executable, "-m", "complaintdesk.cli.main"]

# What each hand-made message must come to: exit status and the first word printed.
AWKWARD = {
    "koi8r_new_complaint.eml": (0, "new_case"),
    "cp1251_unlabelled.eml": (0, "new_case"),
    "html_only.eml": (0, "new_case"),
    "attachments.eml": (0, "new_case"),
    "malformed_headers.eml": (0, "new_case"),
    "mbox_gmail_reply.eml": (0, "new_case"),
    "auto_reply.eml": (0, "auto_reply"),
    "bulk_newsletter.eml": (0, "bulk"),
    "bounce_dsn.eml": (0, "bounce"),
    "no_sender.eml": (1, "no usable sender address"),
    "not_a_message.eml": (1, "not an e-mail message"),
    "empty.eml": (1, "the message is empty"),
    "binary.eml": (1, "binary data"),
}


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "COMPLAINTDESK_DATABASE_URL": database_url,
        "COMPLAINTDESK_DATA_DIR": str(tmp_path / "data"),
        "COMPLAINTDESK_MAIL_FROM": "complaints@desk.example",
    }


def ingest(env: dict[str, str], path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["mail", "ingest", str(path)], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{path.name}: {result.exception!r}"
    )
    output = result.output  # standard output and error, as a person sees them
    assert "Traceback" not in output
    return result.exit_code, output


def test_every_awkward_message_is_taken_or_refused_with_its_reason(
    env: dict[str, str], db: Database
) -> None:
    assert sorted(AWKWARD) == sorted(p.name for p in (MAIL / "awkward").glob("*.eml"))
    for name, (status, words) in AWKWARD.items():
        code, output = ingest(env, MAIL / "awkward" / name)
        assert code == status, f"{name}: {output}"
        if status:
            assert output.startswith("error: message refused: "), output
        else:
            assert output.startswith(words), output
        assert words in output, output
    with db.read() as session:
        subjects = set(session.scalars(select(Complaint.subject)))
        texts = "\n".join(session.scalars(select(Complaint.description)))
    assert {
        "Ставка рассчитана неверно",
        "Вывод средств отклонён",
        "Bonus cancelled",
        "Payout refused (платёж",
    } <= subjects
    assert "Спартак выиграл 2:1" in texts
    assert "Вывод 15 000 рублей отклонён" in texts
    assert "- wagered 1 500 EUR" in texts
    assert "alert(1)" not in texts


def test_cpythons_email_corpus_never_breaks_the_intake(env: dict[str, str], db: Database) -> None:
    assert len(CORPUS) >= 12
    outcomes: dict[str, tuple[int, str]] = {}
    repeats = 0
    for path in CORPUS:
        code, output = ingest(env, path)
        assert code in (0, 1), f"{path.name}: {output}"
        if code == 1:
            assert output.startswith("error: message refused: "), f"{path.name}: {output}"
        repeats += "already received" in output
        outcomes[path.name] = (code, output.split(":", 1)[0])
    # A few whose fate is known: a text that is no message, one without a sender, bounces.
    assert outcomes["msg_19.txt"][0] == 1
    assert outcomes["msg_18.txt"][0] == 1
    assert outcomes["msg_16.txt"] == (0, "bounce")
    assert outcomes["msg_25.txt"] == (0, "bounce")
    assert outcomes["msg_01.txt"] == (0, "new_case")
    # Several corpus files are the same message (same Message-ID, sender and subject):
    # the first is taken, the repeats are recognised and nothing is done twice.
    assert repeats > 0
    taken = sum(1 for code, _ in outcomes.values() if code == 0)
    with db.read() as session:
        assert len(session.scalars(select(InboundMail)).all()) == taken - repeats


def test_a_reply_through_standard_input_and_a_refusal_from_a_real_process(
    env: dict[str, str], db: Database
) -> None:
    full_env = {**os.environ, **env}
    first = subprocess.run(
        [*CLI, "mail", "ingest"],
        input=(MAIL / "awkward" / "koi8r_new_complaint.eml").read_bytes(),
        env=full_env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert first.returncode == 0, first.stderr.decode()
    reference = first.stdout.decode().split("new complaint ", 1)[1].split()[0]
    reply = (
        "From: ivan.petrov@example.com\r\n"
        f"Subject: Re: [{reference}] =?utf-8?B?0JzRiyDQv9C+0LvRg9GH0LjQu9C4?=\r\n"
        "Message-ID: <reply-1@example.com>\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\n"
    ).encode() + "Купон 778812, ставка 500 рублей.\r\n\r\n> старое письмо\r\n".encode("koi8-r")
    second = subprocess.run(
        [*CLI, "mail", "ingest", "-"],
        input=reply,
        env=full_env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert second.returncode == 0, second.stderr.decode()
    assert second.stdout.decode().startswith(f"attached: added to {reference}")
    with db.read() as session:
        bodies = session.scalars(select(Message.body)).all()
    assert bodies == ["Купон 778812, ставка 500 рублей."]

    refused = subprocess.run(
        [*CLI, "mail", "ingest", "-"],
        input=b"\x00\x01 not mail",
        env=full_env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 1
    assert refused.stderr.decode().strip() == (
        "error: message refused: this is binary data, not an e-mail message"
    )
    assert refused.stdout == b""
    missing = subprocess.run(
        [*CLI, "mail", "ingest", "/nonexistent/message.eml"],
        env=full_env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert missing.returncode == 1
    assert b"cannot read /nonexistent/message.eml" in missing.stderr
    assert b"Traceback" not in missing.stderr
