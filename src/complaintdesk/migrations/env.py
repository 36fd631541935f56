"""Alembic environment: runs the migrations on the URL the caller configured."""

from __future__ import annotations

from typing import Any

from alembic import context

from complaintdesk.db import Base, make_engine
from complaintdesk.models import load_all

load_all()
target_metadata = Base.metadata

# Objects the migrations create with raw SQL that the models do not describe.
_RAW_TABLES = {"complaint_fts"}
_RAW_INDEXES = {"ix_complaint_search_tsv", "ix_complaint_search_vector"}


def _include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    if type_ == "table" and (name in _RAW_TABLES or (name or "").startswith("complaint_fts_")):
        return False
    if type_ == "column" and name == "search_vector":  # PostgreSQL's stored tsvector
        return False
    return not (type_ == "index" and name in _RAW_INDEXES)


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url is not None  # noqa: S101 - set by complaintdesk.migrations.alembic_config
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_object=_include_object,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
