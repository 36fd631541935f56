"""Sending mail, behind one Protocol: SMTP for real, or a local mailer that only logs.

Without ``COMPLAINTDESK_SMTP_URL`` the worker uses :class:`LogMailer`: each message is
written to the log once and *parked* in the outbox, where it waits for an SMTP server to
be configured; nothing is lost and nothing is pretended to be sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from email import policy
from email.header import Header
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any, Protocol

from complaintdesk.config import Settings, SMTPSecurity, SMTPServer, parse_smtp_url
from complaintdesk.notifications.errors import DeliveryFailed

log = logging.getLogger("complaintdesk.mail.out")


class Mailer(Protocol):
    @property
    def delivers(self) -> bool:
        """False for a mailer that only logs: the worker then parks mail instead."""
        ...

    def send(self, message: EmailMessage) -> None:
        """Hand one message over, or raise :class:`DeliveryFailed`."""
        ...

    def close(self) -> None: ...


class _Headers(HeaderRegistry):
    """The standard library's header classes, each made once.

    The stock registry makes a new class for every header it is asked for, and a mail
    asks for some twenty: that was the largest share of the CPU the worker spends
    writing a message.
    """

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


# The standard library's default policy (what EmailMessage() uses), with the headers above.
POLICY = policy.default.clone(header_factory=_Headers())


def compose(payload: dict[str, Any]) -> EmailMessage:
    """The message an outbox row describes: multipart text + HTML, headers as queued.

    The same row always gives the same Message-ID and Date, so a message sent again after
    a crash is recognisably the same message.
    """
    message = EmailMessage(policy=POLICY)
    message["From"] = payload["from"]
    try:
        message["To"] = Address(display_name=payload.get("to_name") or "", addr_spec=payload["to"])
    except (ValueError, IndexError) as exc:
        raise DeliveryFailed(
            f"the address {payload['to']!r} cannot be written in a mail header: {exc}",
            permanent=True,
        ) from None
    _subject(message, payload["subject"])
    if payload.get("date"):
        message["Date"] = format_datetime(dt.datetime.fromisoformat(payload["date"]))
    for name, value in payload.get("headers", {}).items():
        message[name] = value
    message.set_content(payload["text"])
    message.add_alternative(payload["html"], subtype="html")
    # After the body: setting content clears every Content-* header set before.
    if payload.get("language"):
        message["Content-Language"] = payload["language"]
    return message


def _subject(message: EmailMessage, text: str) -> None:
    """Set the Subject so that every mail client shows it as written.

    A subject that is not plain ASCII goes out as RFC 2047 encoded words, and a long one
    is folded over several lines. The standard library's folder ends an encoded word at a
    space and starts the next line with that space outside both words, and readers drop
    whitespace between encoded words: one long Russian subject in seven lost a space
    ("часовмы"). Here the words are encoded with their spaces inside them and folded
    before the policy sees them (it keeps lines that are short enough as they are).
    Line breaks in the text become spaces.
    """
    text = " ".join(text.split())
    if text.isascii():
        message["Subject"] = text
        return
    message.set_raw("Subject", Header(text, "utf-8", header_name="Subject").encode(linesep="\n"))


class LogMailer:
    """Writes each message to the log; sends nothing."""

    delivers = False

    def send(self, message: EmailMessage) -> None:
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        log.info(
            "mail kept in the outbox (no COMPLAINTDESK_SMTP_URL): To: %s; Subject: %s; "
            "Message-ID: %s\n%s",
            message["To"],
            message["Subject"],
            message["Message-ID"],
            text,
        )

    def close(self) -> None:
        return None


class SMTPMailer:
    """SMTP with STARTTLS or TLS and optional authentication, one connection reused across
    the messages of a batch (checked with NOOP before each, re-opened when it dropped)."""

    delivers = True

    def __init__(
        self,
        server: SMTPServer,
        *,
        security: SMTPSecurity = SMTPSecurity.auto,
        verify_tls: bool = True,
        timeout: float = 30,
        envelope_from: str | None = None,
    ) -> None:
        self.server = server
        self.security = SMTPSecurity(security)
        self.timeout = timeout
        self.envelope_from = envelope_from
        self.context = ssl.create_default_context()
        if not verify_tls:
            self.context.check_hostname = False
            self.context.verify_mode = ssl.CERT_NONE
        self._smtp: smtplib.SMTP | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SMTPMailer:
        assert settings.smtp_url is not None  # noqa: S101 - build_mailer checks
        return cls(
            parse_smtp_url(settings.smtp_url),
            security=settings.smtp_security,
            verify_tls=settings.smtp_verify_tls,
            timeout=settings.smtp_timeout_seconds,
            envelope_from=parseaddr(settings.mail_from)[1] or None,
        )

    def _implicit_tls(self) -> bool:
        return self.security is SMTPSecurity.tls or (
            self.security is SMTPSecurity.auto and self.server.implicit_tls
        )

    def _connect(self) -> smtplib.SMTP:
        host, port = self.server.host, self.server.port
        smtp: smtplib.SMTP
        if self._implicit_tls():
            smtp = smtplib.SMTP_SSL(host, port, timeout=self.timeout, context=self.context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=self.timeout)
        try:
            self._secure_and_sign_in(smtp)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _secure_and_sign_in(self, smtp: smtplib.SMTP) -> None:
        where = f"{self.server.host}:{self.server.port}"
        smtp.ehlo()
        encrypted = self._implicit_tls()
        if not encrypted and self.security is not SMTPSecurity.none:
            if smtp.has_extn("starttls"):
                smtp.starttls(context=self.context)
                smtp.ehlo()
                encrypted = True
            elif self.security is SMTPSecurity.starttls:
                raise DeliveryFailed(
                    f"the SMTP server {where} does not offer STARTTLS, which "
                    "COMPLAINTDESK_SMTP_SECURITY=starttls requires"
                )
        if self.server.username:
            if not encrypted and self.security is not SMTPSecurity.none:
                raise DeliveryFailed(
                    f"refusing to send the SMTP password to {where} unencrypted; use smtps://, "
                    "a server with STARTTLS, or COMPLAINTDESK_SMTP_SECURITY=none"
                )
            smtp.login(self.server.username, self.server.password or "")

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None:
            try:
                code, _ = self._smtp.noop()
                if code == 250:
                    return self._smtp
            except (smtplib.SMTPException, OSError):
                pass
            self.close()
        self._smtp = self._connect()
        return self._smtp

    def send(self, message: EmailMessage) -> None:
        try:
            smtp = self._connection()
            smtp.send_message(message, from_addr=self.envelope_from)
        except DeliveryFailed:
            self.close()
            raise
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            raise _failure("the server refused the recipient", code, reply) from None
        except smtplib.SMTPDataError as exc:
            raise _failure(
                "the server refused the message", exc.smtp_code, exc.smtp_error
            ) from None
        except smtplib.SMTPSenderRefused as exc:
            # Our own From refused is a setting to fix, not a reason to drop the mail.
            raise DeliveryFailed(
                f"the server refused the sender {exc.sender}: {exc.smtp_code} "
                f"{_text(exc.smtp_error)}",
                status_code=exc.smtp_code,
            ) from None
        except smtplib.SMTPAuthenticationError as exc:
            self.close()
            raise DeliveryFailed(
                f"SMTP authentication failed: {_text(exc.smtp_error)}", status_code=exc.smtp_code
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            # Connection refused, timeouts, TLS errors, a dropped connection: try later.
            self.close()
            raise DeliveryFailed(
                f"cannot deliver to {self.server.host}:{self.server.port}: "
                f"{type(exc).__name__}: {exc}"
            ) from None

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _failure(what: str, code: int, reply: bytes | str) -> DeliveryFailed:
    # 5xx is the server's final word (no such mailbox, message refused); 4xx means later.
    return DeliveryFailed(
        f"{what}: {code} {_text(reply)}", permanent=500 <= code < 600, status_code=code
    )


def build_mailer(settings: Settings) -> Mailer:
    if settings.smtp_url:
        return SMTPMailer.from_settings(settings)
    return LogMailer()
