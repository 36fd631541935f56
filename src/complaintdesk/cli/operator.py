"""`complaintdesk checks run` and `complaintdesk demo`: the operator's platform at work.

``checks run`` runs the automatic checks that are due (the worker inside ``serve`` does
the same); ``--once`` runs what is due now and exits, for cron. ``demo`` loads the demo
operator into an empty development desk and says how to sign in.
"""

from __future__ import annotations

import signal
import threading
import time
from typing import Annotated

import typer

from complaintdesk.cli.channels import Helpers


def register(app: typer.Typer, cli: Helpers) -> None:
    """Add ``checks run`` and ``demo`` to the ``complaintdesk`` application."""
    checks_app = typer.Typer(
        help="Automatic checks of complaints against the operator's platform.",
        no_args_is_help=True,
    )
    app.add_typer(checks_app, name="checks")

    @checks_app.command("run")
    def run_checks(
        once: Annotated[
            bool, typer.Option("--once", help="Run the checks due now, then exit (for cron).")
        ] = False,
        limit: Annotated[
            int, typer.Option(min=1, max=10_000, help="At most this many checks per round.")
        ] = 100,
    ) -> None:
        """Fetch the records complaints name from the platform and explain them."""
        from complaintdesk.checks.services import CheckPolicy  # noqa: PLC0415
        from complaintdesk.checks.tasks import run_due_checks  # noqa: PLC0415
        from complaintdesk.platform.factory import platform_from_settings  # noqa: PLC0415

        settings = cli.load_settings()
        policy = CheckPolicy.from_settings(settings)
        with cli.unit_of_work(settings) as db:
            platform = platform_from_settings(settings, db)
            if once:
                ran = run_due_checks(db, platform, policy=policy, limit=limit)
                typer.echo(f"checks: {ran} run ({platform.name} platform)")
                return
            stop = threading.Event()
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
            typer.echo(f"running checks against the {platform.name} platform until stopped")
            while not stop.is_set():
                if run_due_checks(db, platform, policy=policy, limit=limit) == 0:
                    stop.wait(settings.worker_poll_seconds)

    @app.command()
    def demo(
        seed: Annotated[
            int, typer.Option(min=0, max=2**31 - 1, help="The same seed loads the same demo.")
        ] = 1,
    ) -> None:
        """Load the demo operator into an empty development desk (once: again is a no-op).

        Customers, bets, payments and bonuses on the demo platform, complaints at every
        stage, and staff for each role, whose sign-in details it prints.
        """
        from complaintdesk.checks.services import CheckPolicy  # noqa: PLC0415
        from complaintdesk.checks.tasks import run_due_checks  # noqa: PLC0415
        from complaintdesk.config import Environment  # noqa: PLC0415
        from complaintdesk.demo import services  # noqa: PLC0415
        from complaintdesk.platform.factory import platform_from_settings  # noqa: PLC0415

        settings = cli.load_settings()
        if settings.environment is Environment.production:
            raise cli.fail(
                "the demo operator is for development desks; COMPLAINTDESK_ENVIRONMENT is "
                "production, so nothing was loaded"
            )
        started = time.perf_counter()
        with cli.unit_of_work(settings) as db:
            with db.transaction() as session:
                loaded = services.load(session, settings, seed=seed)
            checked = ""
            if not loaded.already:
                platform = platform_from_settings(settings, db)
                if platform.name == "demo":
                    ran = run_due_checks(
                        db, platform, policy=CheckPolicy.from_settings(settings), limit=10_000
                    )
                    checked = f"; {ran} automatic checks run"
                else:
                    checked = f"; the worker will check them against the {platform.name} platform"
        seconds = time.perf_counter() - started
        counts = loaded.counts
        if loaded.already:
            typer.echo(
                f"The demo operator is already loaded (seed {loaded.seed}, "
                f"{loaded.loaded_at:%Y-%m-%d %H:%M} UTC); nothing was changed."
            )
        else:
            typer.echo(
                f"Loaded the demo operator (seed {seed}) in {seconds:.1f} s: "
                f"{counts['customers']} customers, {counts['bets']} bets, "
                f"{counts['transactions']} payments, {counts['bonuses']} bonuses, "
                f"{counts['complaints']} complaints{checked}."
            )
        base = settings.public_base_url.rstrip("/")
        typer.echo(
            f"\nSign in: POST {base}/api/v1/auth/token with "
            '{"username": "...", "password": "..."} gives a bearer token for the staff API '
            f"(browse it at {base}/docs); the staff console will be at {base}/console."
        )
        typer.echo(f"The customer portal is at {base}/.\n\nDemo staff (development only):")
        for username, role, _language, display, password in services.USERS:
            known = next((u for u in loaded.users if u.username == username), None)
            shown = password if known is None or known.password else "(existing account, unchanged)"
            typer.echo(f"  {username:<7} {role.value:<11} {shown:<24} {display}")
