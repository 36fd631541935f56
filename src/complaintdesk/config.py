"""Typed settings, read once from the environment (``COMPLAINTDESK_*``) and ``.env``.

The settings object is built by the app factory or the CLI and passed down; nothing reads
the environment at import time, so tests and several apps in one process never share state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from urllib.parse import unquote, urlsplit

from platformdirs import user_data_dir
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-key-change-me"  # noqa: S105 - refused in production
# Compensation above these amounts needs a compliance officer's approval (four eyes).
DEFAULT_APPROVAL_LIMIT = "2000 EUR, 2000 GBP, 2000 USD, 2500 CAD, 200000 RUB"
# Words that name how fraud is found: never in the reasons a customer reads.
DEFAULT_REFUSED_REASON_WORDS: tuple[str, ...] = (
    "device fingerprint*",
    "fingerprinting",
    "risk score*",
    "velocity check*",
    "fraud model*",
    "fraud score*",
    "скоринг*",
    "отпечаток устройства",
    "отпечатки устройства",
)
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class SMTPSecurity(StrEnum):
    auto = "auto"
    starttls = "starttls"
    tls = "tls"
    none = "none"


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
        description="smtp://host:port (or smtps:// for TLS from the start), with "
        "user:password@ for authentication; unset: mail stays in the outbox and is logged.",
    )
    mail_from: str = Field("complaints@localhost", description="The From address of outgoing mail.")
    public_base_url: str = Field(
        "http://127.0.0.1:8000",
        description="Where customers reach the portal; used in links we send.",
    )
    token_ttl_minutes: Annotated[int, Field(gt=0, le=60 * 24 * 30)] = Field(
        720, description="How long a staff API token, or a sign-in to the console, lives."
    )
    approval_limit: str = Field(
        DEFAULT_APPROVAL_LIMIT,
        description="Compensation above which a decision needs a compliance officer's "
        "approval, per currency (AMOUNT CODE, comma-separated); compensation in a currency "
        "not listed always needs it. Refused payouts always need it.",
    )
    refused_reason_words: list[str] = Field(
        list(DEFAULT_REFUSED_REASON_WORDS),
        description="Words or phrases (a JSON list; a trailing * makes a stem) the reasons a "
        "customer reads may not contain: how fraud is detected stays internal. Words like "
        "fraud or AML are not refused but make the proposer check the wording first.",
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
    smtp_security: SMTPSecurity = Field(
        SMTPSecurity.auto,
        description="auto: TLS from the start for smtps://, STARTTLS when the server offers "
        "it for smtp://; starttls: STARTTLS required; tls: TLS from the start; none: "
        "never (credentials in the URL are then sent in clear).",
    )
    smtp_verify_tls: bool = Field(
        True, description="Check the SMTP server's certificate and host name."
    )
    smtp_timeout_seconds: Annotated[float, Field(gt=0, le=600)] = Field(
        30, description="How long one SMTP exchange may take before it counts as failed."
    )
    outbox_max_attempts: Annotated[int, Field(ge=1, le=100)] = Field(
        10,
        description="Attempts at one outgoing message before the worker gives up on it "
        "(staff see it and can retry it by hand).",
    )
    outbox_backoff_seconds: Annotated[float, Field(gt=0)] = Field(
        30, description="Wait before the first retry; each further retry waits twice as long."
    )
    outbox_backoff_max_seconds: Annotated[float, Field(gt=0)] = Field(
        6 * 3600, description="The longest wait between two attempts."
    )
    webhook_timeout_seconds: Annotated[float, Field(gt=0, le=120)] = Field(
        10, description="How long a webhook receiver has to answer one delivery."
    )
    webhook_private_addresses: bool = Field(
        False,
        description="Let webhooks reach loopback, private, link-local and other non-public "
        "addresses (a receiver inside the operator's own network). Off, a subscription to "
        "such an address is refused and a delivery goes only to the public address its "
        "host resolved to when it was sent.",
    )
    worker_poll_seconds: Annotated[float, Field(gt=0, le=3600)] = Field(
        2, description="How often an idle worker looks for due messages and jobs."
    )
    worker_lease_seconds: Annotated[float, Field(gt=0)] = Field(
        300,
        description="How long a message a worker took stays reserved for it; after that "
        "(the worker died) another worker sends it. Longer than any single send; a worker "
        "claims no more messages at once than this can wait for if each send takes its "
        "whole timeout.",
    )
    mail_max_bytes: Annotated[int, Field(gt=0)] = Field(
        25 * 1024 * 1024, description="The largest incoming e-mail accepted, in bytes."
    )
    sla_sweep_seconds: Annotated[float, Field(gt=0, le=86400)] = Field(
        60, description="How often the worker runs the SLA breach sweep (a periodic job)."
    )
    webhook_retention_days: Annotated[int, Field(ge=1, le=3650)] = Field(
        30,
        description="How long a finished webhook delivery and its attempts are kept "
        "(customers' mail stays with its case).",
    )
    sign_in_retention_days: Annotated[int, Field(ge=1, le=3650)] = Field(
        90,
        description="How long console sign-in attempts are kept (expired sessions and "
        "tokens are deleted at once).",
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
    platform_url: str | None = Field(
        None,
        description="The operator platform's API (https://...): the http adapter reads "
        "customers, bets, transactions and bonuses from it. Unset (and no PLATFORM_DIR): "
        "the demo operator in this database.",
    )
    platform_token: str | None = Field(
        None, description="Sent to the platform as a bearer token (Authorization header)."
    )
    platform_dir: Path | None = Field(
        None,
        description="A folder of JSON Lines exports (bets.jsonl, transactions.jsonl, "
        "bonuses.jsonl, customers.jsonl) for the files adapter; re-read when they change.",
    )
    platform_connect_timeout_seconds: Annotated[float, Field(gt=0, le=60)] = Field(
        3, description="How long connecting to the platform may take."
    )
    platform_read_timeout_seconds: Annotated[float, Field(gt=0, le=300)] = Field(
        10, description="How long the platform may take to answer one request."
    )
    platform_retries: Annotated[int, Field(ge=0, le=10)] = Field(
        2, description="Retries of one request after a timeout or a 5xx answer."
    )
    platform_backoff_seconds: Annotated[float, Field(ge=0, le=60)] = Field(
        0.5, description="Wait before the first retry of a request; each further one doubles."
    )
    platform_breaker_failures: Annotated[int, Field(ge=1, le=1000)] = Field(
        5,
        description="Failed requests in a row after which the platform is not called at all "
        "for PLATFORM_BREAKER_RESET_SECONDS (the circuit breaker opens).",
    )
    platform_breaker_reset_seconds: Annotated[float, Field(gt=0, le=3600)] = Field(
        30, description="How long an open circuit breaker waits before trying the platform again."
    )
    checks_retry_seconds: Annotated[float, Field(gt=0)] = Field(
        60,
        description="Wait before checking a case again after the platform was unavailable; "
        "each further wait doubles.",
    )
    checks_retry_max_seconds: Annotated[float, Field(gt=0)] = Field(
        3600, description="The longest wait between two attempts at a check."
    )
    checks_max_attempts: Annotated[int, Field(ge=1, le=1000)] = Field(
        50,
        description="Attempts at one check before the desk stops retrying it on its own "
        "(staff can still re-run it).",
    )
    checks_lookback_days: Annotated[int, Field(ge=1, le=3650)] = Field(
        90,
        description="How far back before the complaint the payment and bonus checks look "
        "for the customer's transactions and bets.",
    )
    bet_id_patterns: list[str] | None = Field(
        None,
        description="Regular expressions (a JSON list) that find bet and coupon numbers in "
        "a complaint's text, each with a group named id; unset: the built-in English and "
        "Russian patterns (bet ID 12345678, coupon #778812, купон №778812, ставка 445566).",
    )
    transaction_id_patterns: list[str] | None = Field(
        None,
        description="The same for payment (transaction) ids; unset: the built-in patterns "
        "(transaction TX-123456, платёж №123456).",
    )

    @field_validator("bet_id_patterns", "transaction_id_patterns")
    @classmethod
    def _id_patterns(cls, value: list[str] | None) -> list[str] | None:
        for pattern in value or ():
            try:
                compiled = re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from None
            if "id" not in compiled.groupindex:
                raise ValueError(f"{pattern!r} needs a group named id, e.g. (?P<id>[0-9]{{6,}})")
        return value

    @model_validator(mode="after")
    def _one_platform(self) -> Settings:
        if self.platform_url and self.platform_dir:
            raise ValueError(
                "set COMPLAINTDESK_PLATFORM_URL or COMPLAINTDESK_PLATFORM_DIR, not both"
            )
        if self.platform_url and not self.platform_url.startswith(("https://", "http://")):
            raise ValueError("COMPLAINTDESK_PLATFORM_URL starts with https:// (or http://)")
        if (
            self.environment is Environment.production
            and self.platform_token
            and self.platform_url
            and not self.platform_url.startswith("https://")
        ):
            raise ValueError(
                "in production the platform token is only sent over https://; "
                "COMPLAINTDESK_PLATFORM_URL must start with https://"
            )
        return self

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

    @field_validator("approval_limit")
    @classmethod
    def _approval_limit_format(cls, value: str) -> str:
        parse_approval_limit(value)
        return value

    @field_validator("public_rate_limit")
    @classmethod
    def _rate_limit_format(cls, value: str) -> str:
        parse_rate(value)
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url_format(cls, value: str | None) -> str | None:
        if value:
            parse_smtp_url(value)
        return value

    @model_validator(mode="after")
    def _lease_outlasts_a_send(self) -> Settings:
        longest = max(self.smtp_timeout_seconds, self.webhook_timeout_seconds)
        if self.worker_lease_seconds <= longest:
            raise ValueError(
                "COMPLAINTDESK_WORKER_LEASE_SECONDS must be longer than the SMTP and webhook "
                f"timeouts ({longest:g} s), or a slow send would be taken over and sent twice"
            )
        return self

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


@dataclass(frozen=True, slots=True)
class SMTPServer:
    """Where and how to send mail, from ``COMPLAINTDESK_SMTP_URL``."""

    host: str
    port: int
    implicit_tls: bool
    username: str | None
    password: str | None


def parse_smtp_url(value: str) -> SMTPServer:
    """``smtp://user:pass@host:587`` or ``smtps://host`` (465 by default); the user name and
    password are percent-decoded, so ``@`` and ``:`` in them are written %40 and %3A."""
    parts = urlsplit(value)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("an SMTP URL looks like smtp://host:25 or smtps://user:pass@host:465")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("the SMTP URL's port is not a number from 1 to 65535") from None
    implicit_tls = parts.scheme == "smtps"
    return SMTPServer(
        host=parts.hostname,
        port=port or (465 if implicit_tls else 25),
        implicit_tls=implicit_tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


_LIMIT = re.compile(r"^\s*(\d{1,12}(?:\.\d{1,4})?)\s+([A-Z]{3})\s*$")


def parse_approval_limit(value: str) -> dict[str, Decimal]:
    """``"2000 EUR, 200000 RUB"`` → {"EUR": Decimal("2000"), "RUB": Decimal("200000")}."""
    limits: dict[str, Decimal] = {}
    for part in value.split(","):
        if not part.strip():
            continue
        match = _LIMIT.match(part)
        if not match:
            raise ValueError(
                f"{part.strip()!r} is not an amount and a currency; write e.g. 2000 EUR, 200000 RUB"
            )
        amount, currency = match.groups()
        if currency in limits:
            raise ValueError(f"{currency} is given twice in the approval limit")
        limits[currency] = Decimal(amount)
    return limits


def parse_rate(value: str) -> tuple[int, int]:
    """``"60/minute"`` → (60, 60): requests and the window in seconds."""
    count, _, period = value.partition("/")
    if not count.strip().isdigit() or period.strip() not in _PERIODS:
        raise ValueError("a rate is written N/second, N/minute or N/hour, e.g. 60/minute")
    return int(count), _PERIODS[period.strip()]
