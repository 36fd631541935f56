"""Alembic owns the schema; these helpers run it from the CLI, the app and the tests."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect

from complaintdesk.db import make_engine


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("complaintdesk") / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    return config


def upgrade(url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(url), revision)


def check(url: str) -> None:
    """Raise if the models and the migrations disagree (alembic check)."""
    command.check(alembic_config(url))


def is_empty(engine: Engine) -> bool:
    return not inspect(engine).has_table("alembic_version")


def migrate_if_needed(url: str) -> bool:
    """Bring the database to the newest schema; True if anything ran."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            from alembic.runtime.migration import MigrationContext  # noqa: PLC0415
            from alembic.script import ScriptDirectory  # noqa: PLC0415

            current = MigrationContext.configure(conn).get_current_heads()
            heads = ScriptDirectory.from_config(alembic_config(url)).get_heads()
    finally:
        engine.dispose()
    if set(current) == set(heads):
        return False
    upgrade(url)
    return True
