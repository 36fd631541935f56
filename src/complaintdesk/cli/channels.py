"""`complaintdesk worker` and `complaintdesk mail ingest|listen`.

``worker`` sends the outbox and runs the periodic jobs until stopped (SIGTERM or Ctrl-C
finish the message in hand first); ``--once`` sends what is due and exits, for tests and
cron. ``mail ingest`` takes one message from a file or standard input: exit 0 when it was
taken (or recorded, or had already been), 1 with the reason when it was refused.
``mail listen`` takes mail from the operator's MTA over SMTP or LMTP.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from complaintdesk.config import Settings
from complaintdesk.db import Database


@dataclass(frozen=True, slots=True)
class Helpers:
    """What the commands borrow from ``cli.main`` (passed in, so neither imports the other)."""

    load_settings: Callable[[], Settings]
    unit_of_work: Callable[[Settings], AbstractContextManager[Database]]
    fail: Callable[[str], typer.Exit]


def _logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def handle(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
    return stop


def _read(source: str, fail: Callable[[str], typer.Exit]) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise fail(f"cannot read {source}: {exc.strerror or exc}") from None


def register(app: typer.Typer, cli: Helpers) -> None:
    """Add ``worker`` and the ``mail`` commands to the ``complaintdesk`` application."""
    mail_app = typer.Typer(
        help="Incoming mail: one message from a file, or a listener for the MTA.",
        no_args_is_help=True,
    )
    app.add_typer(mail_app, name="mail")

    @app.command()
    def worker(
        once: Annotated[
            bool, typer.Option("--once", help="Send what is due now, run due jobs, and exit.")
        ] = False,
    ) -> None:
        """Send outgoing mail and webhooks (with retries) and run the periodic jobs."""
        from complaintdesk.worker.runner import Worker  # noqa: PLC0415

        _logging()
        settings = cli.load_settings()
        with cli.unit_of_work(settings) as db:
            runner = Worker(settings, db)
            if once:
                tally = runner.run_once()
                runner.webhooks.close()
                summary = ", ".join(f"{n} {what}" for what, n in sorted(tally.items()))
                typer.echo(f"worker: {summary or 'nothing was due'}")
                return
            runner.run_forever(_stop_on_signals())

    @mail_app.command("ingest")
    def ingest(
        source: Annotated[
            str,
            typer.Argument(
                metavar="[FILE|-]", help="An RFC 5322 message; - (the default) reads stdin."
            ),
        ] = "-",
    ) -> None:
        """Take one e-mail: a reply joins its case, a new message becomes a complaint."""
        from complaintdesk.complaints.deadlines import DeadlinePolicy  # noqa: PLC0415
        from complaintdesk.mail import services  # noqa: PLC0415
        from complaintdesk.mail.errors import UnusableMessage  # noqa: PLC0415
        from complaintdesk.storage.backends import LocalStorage  # noqa: PLC0415

        raw = _read(source, cli.fail)
        settings = cli.load_settings()
        with cli.unit_of_work(settings) as db:
            try:
                with db.transaction() as session:
                    result = services.ingest(
                        session,
                        LocalStorage(settings.attachments_dir),
                        settings,
                        raw,
                        policy=DeadlinePolicy.from_settings(settings),
                    )
            except UnusableMessage as exc:
                raise cli.fail(f"message refused: {exc.message}") from None
        typer.echo(f"{result.disposition.value}: {result.summary}")

    @mail_app.command("listen")
    def listen(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 2525,
        lmtp: Annotated[bool, typer.Option("--lmtp", help="Speak LMTP instead of SMTP.")] = False,
    ) -> None:
        """Take mail from the operator's MTA (SMTP or LMTP) until stopped."""
        from complaintdesk.mail.listener import IngestHandler, serve  # noqa: PLC0415
        from complaintdesk.storage.backends import LocalStorage  # noqa: PLC0415

        _logging()
        settings = cli.load_settings()
        with cli.unit_of_work(settings) as db:
            handler = IngestHandler(settings, db, LocalStorage(settings.attachments_dir))
            stop = _stop_on_signals()
            try:
                serve(handler, host=host, port=port, lmtp=lmtp, wait=_waiter(stop, host, port))
            except OSError as exc:
                raise cli.fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _waiter(stop: threading.Event, host: str, port: int) -> Callable[[], None]:
    def wait() -> None:
        typer.echo(f"complaintdesk taking mail on {host}:{port}")
        while not stop.wait(1):
            pass

    return wait
