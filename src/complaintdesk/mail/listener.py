"""An SMTP or LMTP listener (aiosmtpd) that hands each message to :func:`ingest`.

It sits behind the operator's MTA, which relays the desk's mailbox to it (by default on
loopback). The reply codes say what the MTA should do: 250 taken (or recorded, or already
had), 550 refused for good with the reason (the MTA bounces it to the sender), 451 try
again later (the database is unreachable): a message is never dropped silently.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SMTPSession
from sqlalchemy.exc import SQLAlchemyError

from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.mail.errors import UnusableMessage
from complaintdesk.mail.services import Ingested, ingest
from complaintdesk.storage.backends import Storage

log = logging.getLogger("complaintdesk.mail.in")


class IngestHandler:
    """aiosmtpd's handler: each DATA is ingested in a thread (the database is blocking)."""

    def __init__(self, settings: Settings, db: Database, storage: Storage) -> None:
        self.settings = settings
        self.db = db
        self.storage = storage
        self.policy = DeadlinePolicy.from_settings(settings)

    def take(self, raw: bytes) -> Ingested:
        with self.db.transaction() as session:
            return ingest(session, self.storage, self.settings, raw, policy=self.policy)

    async def handle_DATA(  # noqa: N802 - the name aiosmtpd calls
        self, server: SMTP, session: SMTPSession, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(None, self.take, raw)
            status = f"250 2.0.0 {result.disposition.value}: {_one_line(result.summary)}"
            log.info("mail from %s: %s", envelope.mail_from, result.summary)
        except UnusableMessage as exc:
            status = f"550 5.6.0 refused: {_one_line(exc.message)}"
            log.info("mail from %s refused: %s", envelope.mail_from, exc.message)
        except SQLAlchemyError as exc:
            status = "451 4.3.0 the desk cannot store mail right now; try again later"
            log.warning("mail from %s deferred: %s", envelope.mail_from, exc)
        except Exception:
            status = "451 4.3.0 temporary failure; try again later"
            log.exception("mail from %s deferred after an unexpected error", envelope.mail_from)
        if isinstance(server, LMTP):
            # LMTP answers once per recipient; it is one mailbox, so the same answer.
            return "\r\n".join([status] * max(1, len(envelope.rcpt_tos)))
        return status


def _one_line(text: str, limit: int = 300) -> str:
    return " ".join(text.split())[:limit]


class LMTPController(Controller):
    def factory(self) -> SMTP:
        return LMTP(self.handler, **self.SMTP_kwargs)


def build_listener(
    handler: IngestHandler, *, host: str, port: int, lmtp: bool = False
) -> Controller:
    kwargs: dict[str, Any] = {
        "hostname": host,
        "port": port,
        "data_size_limit": handler.settings.mail_max_bytes,
        "ident": "complaintdesk",
    }
    return (LMTPController if lmtp else Controller)(handler, **kwargs)


def serve(
    handler: IngestHandler,
    *,
    host: str,
    port: int,
    lmtp: bool,
    wait: Callable[[], None],
) -> None:
    """Listen until ``wait`` returns (a signal)."""
    controller = build_listener(handler, host=host, port=port, lmtp=lmtp)
    controller.start()
    try:
        wait()
    finally:
        controller.stop()
