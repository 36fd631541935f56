"""`complaintdesk sla ...`: run the breach sweep once, show a jurisdiction's terms, install
the starting routing and SLA configuration.

The worker runs the sweep periodically; ``sla sweep`` runs it once (for cron, or to see
what it would find), in one unit of work, and prints what it did.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from complaintdesk.cli.channels import Helpers


def register(app: typer.Typer, cli: Helpers) -> None:
    """Add the ``sla`` commands to the ``complaintdesk`` application."""
    sla_app = typer.Typer(
        help="SLA clocks: the breach sweep, customers' terms, the starting configuration.",
        no_args_is_help=True,
    )
    app.add_typer(sla_app, name="sla")

    @sla_app.command("sweep")
    def sweep(
        now: Annotated[
            str | None,
            typer.Option(help="Sweep as of this moment (ISO 8601 with offset); default: now."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    ) -> None:
        """Mark clocks at risk and breached and escalate breaches, once (idempotent)."""
        from complaintdesk.db import utcnow  # noqa: PLC0415
        from complaintdesk.sla.tasks import sweep as run_sweep  # noqa: PLC0415

        when = _moment(now, cli) if now else utcnow()
        settings = cli.load_settings()
        with cli.unit_of_work(settings) as db, db.transaction() as session:
            report = run_sweep(session, now=when)
        if as_json:
            typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        typer.echo(report.summary())
        for label, references in (
            ("at risk", report.at_risk),
            ("breached", report.breached),
            ("escalated", report.escalated),
        ):
            if references:
                typer.echo(f"{label}: {', '.join(references)}")

    @sla_app.command("terms")
    def terms(
        jurisdiction: Annotated[
            str | None, typer.Option(help="ISO 3166 code, e.g. GB, CW, CA-ON.")
        ] = None,
        language: Annotated[str, typer.Option(help="en or ru.")] = "en",
    ) -> None:
        """What a customer of a jurisdiction is promised, as the portal shows it."""
        from complaintdesk.sla.queries import customer_terms  # noqa: PLC0415

        if language not in ("en", "ru"):
            raise cli.fail("language must be en or ru")
        with cli.unit_of_work(cli.load_settings()) as db, db.read() as session:
            found = customer_terms(
                session, jurisdiction.upper() if jurisdiction else None, language
            )
        typer.echo(found.summary)

    @sla_app.command("defaults")
    def defaults() -> None:
        """Install the starting teams, rules, policies and jurisdictions if there are none."""
        from complaintdesk.sla import defaults as starting  # noqa: PLC0415

        settings = cli.load_settings()
        with cli.unit_of_work(settings) as db, db.transaction() as session:
            installed = starting.install(session, starting.DeadlinePolicy.from_settings(settings))
        typer.echo(
            "installed the starting routing and SLA configuration"
            if installed
            else "the desk has its routing configuration already; nothing changed"
        )


def _moment(value: str, cli: Helpers) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise cli.fail(
            f"{value!r} is not an ISO 8601 moment, e.g. 2026-11-25T09:00:00+00:00"
        ) from None
    if when.tzinfo is None:
        raise cli.fail("give the moment with its offset, e.g. 2026-11-25T09:00:00+00:00")
    return when.astimezone(dt.UTC)
