"""Typed settings, read once from the environment (``COMPLAINTDESK_*``) and ``.env``.

The settings object is built by the app factory or the CLI and passed down; nothing reads
the environment at import time, so tests and several apps in one process never share state.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from platformdirs import user_data_dir
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-key-change-me"  # noqa: S105 - refused in production
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class Settings(BaseSettings):
    """Every knob of the desk, each documented (the README lists them)."""

    model_config = SettingsConfigDict(
        env_prefix="COMPLAINTDESK_", env_file=".env", extra="ignore", frozen=True
    )

    environment: Environment = Field(
        Environment.development,
        description="development, test or production; production refuses insecure defaults.",
    )
    data_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("complaintdesk", appauthor=False)),
        description="Where the SQLite database and uploaded documents live.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL; default a SQLite file in DATA_DIR. "
        "PostgreSQL: postgresql+psycopg://user:pass@host/db",
    )
    secret_key: str = Field(
        DEVELOPMENT_SECRET,
        description="Signs sessions, CSRF tokens and embedded identities. "
        "Required outside development.",
    )
    smtp_url: str | None = Field(
        None,
        description="smtp://host:port (or smtps://); unset: mail stays in the outbox "
        "and is logged.",
    )
    mail_from: str = Field("complaints@localhost", description="The From address of outgoing mail.")
    public_base_url: str = Field(
        "http://127.0.0.1:8000",
        description="Where customers reach the portal; used in links we send.",
    )
    token_ttl_minutes: Annotated[int, Field(gt=0, le=60 * 24 * 30)] = Field(
        720, description="How long a staff API token lives."
    )
    upload_max_bytes: Annotated[int, Field(gt=0)] = Field(
        10 * 1024 * 1024, description="The largest document a customer or agent may upload."
    )
    public_rate_limit: str = Field(
        "60/minute",
        description="Requests per client address to the public (customer) endpoints, "
        "as N/second, N/minute or N/hour; 0/minute disables the limit.",
    )
    first_response_hours: Annotated[int, Field(gt=0)] = Field(
        24, description="Default first-response target."
    )
    resolution_hours: Annotated[int, Field(gt=0)] = Field(
        48, description="Default resolution target."
    )
    regulatory_days: Annotated[int, Field(gt=0)] = Field(
        56,
        description="Default regulatory deadline (UKGC: 8 weeks) where no "
        "jurisdiction rule applies.",
    )
    db_pool_size: Annotated[int, Field(gt=0)] = Field(
        10, description="PostgreSQL connection pool size per app process."
    )
    adr_name: str = Field(
        "",
        description="The independent dispute-resolution (ADR) body the operator uses, as the "
        "portal names it to customers; empty: the portal says the operator names it in the "
        "final response.",
    )
    adr_url: str = Field("", description="Where customers reach the ADR body (https://...).")
    embed_secret: str = Field(
        "",
        description="Shared with the operator's site to sign customer identities for the "
        "embedded complaint form (HMAC-SHA256); empty: embedding with an identity is off.",
    )
    frame_ancestors: str = Field(
        "",
        description="Space-separated origins (https://www.example.com) that may show the "
        "portal in a frame; empty: no site may frame it.",
    )

    @field_validator("frame_ancestors")
    @classmethod
    def _origins(cls, value: str) -> str:
        for origin in value.split():
            if not _ORIGIN.match(origin):
                raise ValueError(
                    f"{origin!r} is not an origin; write scheme://host[:port], e.g. "
                    "https://www.example.com"
                )
        return value

    @field_validator("embed_secret")
    @classmethod
    def _embed_secret(cls, value: str) -> str:
        if value and len(value) < 32:
            raise ValueError("the embedding secret needs at least 32 random characters")
        return value

    @field_validator("adr_url")
    @classmethod
    def _adr_url(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("the ADR body's address starts with https://")
        return value

    @field_validator("public_rate_limit")
    @classmethod
    def _rate_limit_format(cls, value: str) -> str:
        parse_rate(value)
        return value

    @model_validator(mode="after")
    def _refuse_insecure_defaults(self) -> Settings:
        if self.environment is Environment.production and (
            self.secret_key == DEVELOPMENT_SECRET or len(self.secret_key) < 32
        ):
            raise ValueError(
                "COMPLAINTDESK_SECRET_KEY must be set to a random value of at least 32 characters "
                "in production"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'complaintdesk.sqlite3'}"

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def secure_cookies(self) -> bool:
        """Cookies carry the Secure flag when customers reach the desk over HTTPS."""
        return self.public_base_url.startswith("https://")


_PERIODS = {"second": 1, "minute": 60, "hour": 3600}


def parse_rate(value: str) -> tuple[int, int]:
    """``"60/minute"`` → (60, 60): requests and the window in seconds."""
    count, _, period = value.partition("/")
    if not count.strip().isdigit() or period.strip() not in _PERIODS:
        raise ValueError("a rate is written N/second, N/minute or N/hour, e.g. 60/minute")
    return int(count), _PERIODS[period.strip()]
