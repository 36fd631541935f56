"""The ``complaintdesk`` command: serve the desk, migrate, manage staff, run the engines."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError

from complaintdesk.complaints.errors import ComplaintError
from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.staff.models import Role

app = typer.Typer(
    name="complaintdesk",
    help="Complaint handling for sports-betting operators. Settings come from COMPLAINTDESK_* "
    "environment variables (and .env): DATABASE_URL, DATA_DIR, SECRET_KEY, SMTP_URL, MAIL_FROM.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
users_app = typer.Typer(help="Staff accounts: add, list, disable.", no_args_is_help=True)
app.add_typer(users_app, name="users")


def fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(1)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"COMPLAINTDESK_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            if e["loc"]
            else str(e["msg"])
            for e in exc.errors()
        )
        raise fail(f"invalid settings: {problems}") from None


@contextmanager
def unit_of_work(settings: Settings) -> Iterator[Database]:
    """A migrated database for one command, with domain errors turned into clear messages."""
    from complaintdesk.migrations import migrate_if_needed  # noqa: PLC0415

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        migrate_if_needed(settings.resolved_database_url)
        db = Database(settings.resolved_database_url)
    except OperationalError as exc:
        raise fail(f"cannot reach the database: {exc.orig}") from None
    # Changes made from the command line queue their mail and webhooks like any other.
    from complaintdesk.notifications import derive  # noqa: PLC0415

    derive.install(db, settings)
    # Complaints filed from the command line (mail, the demo) get their checks planned.
    from complaintdesk.checks import services as checks  # noqa: PLC0415

    checks.install(db, settings)
    try:
        yield db
    except ComplaintError as exc:
        raise fail(exc.message) from None
    finally:
        db.dispose()


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, max=64, help="App processes (each stateless)."),
    no_worker: bool = typer.Option(
        False, "--no-worker", help="Run no background worker (run `complaintdesk worker`)."
    ),
) -> None:
    """Migrate if needed, then serve the API, portal and console, and a background worker.

    The one background worker (mail, webhooks, periodic jobs) runs beside the web
    processes, however many --workers there are.
    """
    import uvicorn  # noqa: PLC0415

    from complaintdesk.migrations import migrate_if_needed  # noqa: PLC0415

    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        if migrate_if_needed(settings.resolved_database_url):
            typer.echo("database migrated to the newest schema")
    except OperationalError as exc:
        raise fail(f"cannot reach the database: {exc.orig}") from None
    typer.echo(f"complaintdesk serving on http://{host}:{port}/ (API docs at /docs)")
    background = None
    if not no_worker:
        from complaintdesk.worker.runner import start_in_thread  # noqa: PLC0415

        # One worker for the whole command, however many web processes uvicorn starts.
        background = start_in_thread(settings)
    try:
        options: dict[str, Any] = {
            "factory": True,
            "host": host,
            "port": port,
            "workers": workers,
            "log_level": "info",
            "proxy_headers": False,
            "server_header": False,
            # uvicorn kills an app process that misses its supervisor's ping for 5 s, with
            # the requests it holds; a busy small machine (start-up imports, a burst of
            # load) can miss it without being hung, so it gets longer.
            "timeout_worker_healthcheck": 30,
        }
        if workers > 1:
            _serve_processes(uvicorn.Config("complaintdesk.web.app:create_app", **options))
        else:
            uvicorn.run("complaintdesk.web.app:create_app", **options)
    finally:
        if background is not None:
            thread, stop = background
            stop.set()
            thread.join(timeout=30)


def _serve_processes(config: Any) -> None:
    """Several app processes on one listening socket, as ``uvicorn.run`` does, with Nagle's
    algorithm off: uvicorn binds the socket without naming TCP, and asyncio turns Nagle off
    only on sockets that do, so every answer (headers, then body) waited for the client's
    delayed ACK, 40 ms a request. Accepted connections inherit TCP_NODELAY from the
    listening socket."""
    import socket  # noqa: PLC0415

    from uvicorn.supervisors import Multiprocess  # noqa: PLC0415

    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Multiprocess(config, sockets=[sock]).run()


@app.command()
def migrate(
    check: bool = typer.Option(
        False, "--check", help="Only check that the models match the migrations."
    ),
) -> None:
    """Bring the database to the newest schema (or check the migrations are complete)."""
    from alembic.util import AutogenerateDiffsDetected  # noqa: PLC0415

    from complaintdesk import migrations  # noqa: PLC0415

    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.resolved_database_url
    try:
        if check:
            migrations.upgrade(url)
            migrations.check(url)
            typer.echo("the migrations match the models")
            return
        ran = migrations.migrate_if_needed(url)
    except AutogenerateDiffsDetected as exc:
        raise fail(f"the models and the migrations differ: {exc}") from None
    except OperationalError as exc:
        raise fail(f"cannot reach the database: {exc.orig}") from None
    typer.echo("database migrated to the newest schema" if ran else "database already up to date")


@users_app.command("add")
def users_add(
    username: str = typer.Argument(..., help="Lower-case letters, digits, '.', '_' or '-'."),
    role: Role = typer.Option(..., help="agent, lead, compliance or admin."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
    display_name: str = typer.Option("", help="The name colleagues see."),
    email: str | None = typer.Option(None, help="For notifications."),
    language: str = typer.Option("en", help="Interface language: en or ru."),
) -> None:
    """Add a staff account (the password is never taken on the command line)."""
    from complaintdesk.staff import services  # noqa: PLC0415

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    settings = load_settings()
    with unit_of_work(settings) as db, db.transaction() as session:
        user = services.create_user(
            session,
            username=username,
            password=password,
            role=role,
            display_name=display_name,
            email=email,
            language=language,
        )
        typer.echo(f"added {user.username} ({user.role.value})")


@users_app.command("list")
def users_list() -> None:
    """List staff accounts."""
    from complaintdesk.staff import services  # noqa: PLC0415

    with unit_of_work(load_settings()) as db, db.read() as session:
        for user in services.list_users(session):
            state = "active" if user.active else "disabled"
            typer.echo(f"{user.username}\t{user.role.value}\t{state}\t{user.display_name}")


@users_app.command("disable")
def users_disable(username: str = typer.Argument(..., help="The account to disable.")) -> None:
    """Disable a staff account; its tokens stop working at once."""
    from complaintdesk.staff import services  # noqa: PLC0415

    with unit_of_work(load_settings()) as db, db.transaction() as session:
        user = services.disable_user(session, username)
        typer.echo(f"disabled {user.username}")


def _register_engines() -> None:
    from complaintdesk.cli import betting  # noqa: PLC0415

    betting.register(app)


_register_engines()


def _register_channels() -> None:
    from complaintdesk.cli import channels  # noqa: PLC0415

    channels.register(
        app, channels.Helpers(load_settings=load_settings, unit_of_work=unit_of_work, fail=fail)
    )


_register_channels()


def _register_operator() -> None:
    from complaintdesk.cli import channels, operator  # noqa: PLC0415

    operator.register(
        app, channels.Helpers(load_settings=load_settings, unit_of_work=unit_of_work, fail=fail)
    )


_register_operator()


def _register_sla() -> None:
    from complaintdesk.cli import channels, sla  # noqa: PLC0415

    sla.register(
        app, channels.Helpers(load_settings=load_settings, unit_of_work=unit_of_work, fail=fail)
    )


_register_sla()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
