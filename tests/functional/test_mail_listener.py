"""`complaintdesk mail listen` as the operator's MTA sees it: SMTP and LMTP on loopback,
250 for mail taken, 550 with the reason for mail refused, and a clean stop."""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from complaintdesk.complaints.models import Complaint
from complaintdesk.db import Database
from complaintdesk.mail.models import Disposition, InboundMail
from tests.loopback import free_port, wait_for

CLI = [sys.executable, "-m", "complaintdesk.cli.main"]
NEW = (
    b"From: Ivan <ivan@example.com>\r\nTo: complaints@localhost\r\n"
    b"Subject: Bet settled as lost\r\nMessage-ID: <listen-1@example.com>\r\n\r\n"
    b"Coupon 778812 won 2-1 but shows lost.\r\n"
)
NO_SENDER = b"To: complaints@localhost\r\nSubject: anonymous\r\n\r\nwho am I\r\n"


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(params=["smtp", "lmtp"])
def listener(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path
) -> Iterator[tuple[str, int]]:
    port = free_port()
    extra = ["--lmtp"] if request.param == "lmtp" else []
    env = {
        **os.environ,
        "COMPLAINTDESK_DATABASE_URL": database_url,
        "COMPLAINTDESK_DATA_DIR": str(tmp_path / "data"),
    }
    process = subprocess.Popen(
        [*CLI, "mail", "listen", "--port", str(port), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(lambda: listening(port), timeout=120, what="the listener")
        yield request.param, port
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err.decode()
    assert f"taking mail on 127.0.0.1:{port}".encode() in out
    assert b"Traceback" not in err


def client(kind: str, port: int) -> smtplib.SMTP:
    # smtplib's LMTP reads one reply after DATA, so it sends to one recipient at a time.
    return smtplib.LMTP("127.0.0.1", port) if kind == "lmtp" else smtplib.SMTP("127.0.0.1", port)


def test_mail_is_taken_refused_with_its_reason_and_never_taken_twice(
    listener: tuple[str, int], db: Database
) -> None:
    kind, port = listener
    with client(kind, port) as smtp:
        assert smtp.sendmail("ivan@example.com", ["complaints@localhost"], NEW) == {}
        # The MTA retries after losing our reply: the same message, taken once.
        assert smtp.sendmail("ivan@example.com", ["complaints@localhost"], NEW) == {}
        with pytest.raises(smtplib.SMTPDataError) as problem:
            smtp.sendmail("x@example.com", ["complaints@localhost"], NO_SENDER)
    assert problem.value.smtp_code == 550
    assert b"no usable sender address" in problem.value.smtp_error
    with db.read() as session:
        cases = session.scalars(select(Complaint.subject)).all()
        records = session.scalars(select(InboundMail.disposition)).all()
    assert cases == ["Bet settled as lost"]
    assert records == [Disposition.new_case]


@pytest.mark.parametrize("listener", ["lmtp"], indirect=True)
def test_lmtp_answers_once_per_recipient(listener: tuple[str, int]) -> None:
    _, port = listener
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        replies = conn.makefile("rb")

        def say(line: bytes) -> None:
            conn.sendall(line + b"\r\n")

        def reply() -> bytes:
            while True:
                line = replies.readline()
                if line[3:4] != b"-":
                    return line

        assert reply().startswith(b"220")
        say(b"LHLO mta.example")
        assert reply().startswith(b"250")
        say(b"MAIL FROM:<ivan@example.com>")
        assert reply().startswith(b"250")
        for rcpt in (b"complaints@localhost", b"support@localhost"):
            say(b"RCPT TO:<" + rcpt + b">")
            assert reply().startswith(b"250")
        say(b"DATA")
        assert reply().startswith(b"354")
        conn.sendall(NEW + b".\r\n")
        first, second = reply(), reply()
        assert first.startswith(b"250 2.0.0 new_case")
        assert second == first
        say(b"QUIT")
        assert reply().startswith(b"221")
