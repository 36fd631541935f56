"""The platform's records as the desk reads them (``platform.md``), validated on the way in.

Every adapter hands its raw JSON objects to the ``parse_*`` functions here, so a record
from the live platform, an export file or the demo tables is checked the same way. A
record that breaks the contract raises :class:`PlatformUnavailable`: the platform answered
with something the desk cannot read, which is a failure of the platform, never a reason to
crash or to tell a customer anything.

Each parsed record keeps the raw object (``record``) for the engines, which do their own
field-by-field validation of the parts they use (the settlement verifier, the wagering
and payment explainers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
)

from complaintdesk.platform.errors import PlatformUnavailable

Identifier = Annotated[StrictStr, Field(min_length=1, max_length=128)] | StrictInt
Text = Annotated[StrictStr, Field(max_length=1000)]

# What the payment explainer accepts of a transaction; anything else the platform sends
# (its own bookkeeping) is kept on the record but not passed to the engine.
TRANSACTION_FIELDS = (
    "transaction_id",
    "kind",
    "amount",
    "currency",
    "method",
    "provider",
    "status",
    "decline_code",
    "reason_code",
    "created_at",
    "updated_at",
)
# The wagering terms of a bonus record (wagering.md); the platform's own fields (status,
# account, a display name...) are kept on the record but not passed to the explainer.
WAGERING_TERMS = frozenset(
    {
        "bonus_id",
        "amount",
        "deposit",
        "currency",
        "wagering",
        "activated_at",
        "expires_at",
        "counts",
        "bet_types",
        "min_odds",
        "leg_min_odds",
        "min_qualifying_legs",
        "excluded_markets",
        "max_bet",
        "release_steps",
        "max_conversion",
    }
)


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class _CustomerShape(_Shape):
    account_id: Identifier
    email: Text | None = None
    name: Text | None = None
    country: Text | None = None
    jurisdiction: Text | None = None
    kyc_status: Text | None = None
    self_excluded: StrictBool = False
    limits: dict[str, Any] = Field(default_factory=dict)
    language: Text | None = None


class _BetShape(_Shape):
    bet_id: Identifier
    account_id: Identifier
    placed_at: AwareDatetime
    settled_at: AwareDatetime | None = None
    status: Text
    currency: Text
    type: Text
    legs: Annotated[list[dict[str, Any]], Field(min_length=1)]


class _TransactionShape(_Shape):
    transaction_id: Identifier
    kind: Literal["deposit", "withdrawal"]
    amount: StrictStr | StrictInt
    currency: Text
    method: Text
    provider: Text
    status: Text
    decline_code: Text | StrictInt | None = None
    reason_code: Text | None = None
    created_at: AwareDatetime
    updated_at: AwareDatetime


class _BonusShape(_Shape):
    bonus_id: Identifier
    status: Text
    currency: Text
    activated_at: AwareDatetime
    expires_at: AwareDatetime
    bonus_balance: StrictStr | StrictInt | None = None


@dataclass(frozen=True, slots=True)
class Customer:
    account_id: str
    email: str | None
    name: str | None
    country: str | None
    jurisdiction: str | None
    kyc_status: str | None
    self_excluded: bool
    limits: Mapping[str, Any]
    language: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "email": self.email,
            "name": self.name,
            "country": self.country,
            "jurisdiction": self.jurisdiction,
            "kyc_status": self.kyc_status,
            "self_excluded": self.self_excluded,
            "limits": dict(self.limits),
        }


@dataclass(frozen=True, slots=True)
class Bet:
    """A bet slip: the settlement contract's record plus the platform's fields."""

    bet_id: str
    account_id: str
    placed_at: dt.datetime
    settled_at: dt.datetime | None
    status: str
    currency: str
    record: Mapping[str, Any] = field(repr=False)


@dataclass(frozen=True, slots=True)
class Transaction:
    transaction_id: str
    account_id: str | None
    kind: str
    status: str
    created_at: dt.datetime
    record: Mapping[str, Any] = field(repr=False)

    def for_explainer(self) -> dict[str, Any]:
        """The fields the payment explainer reads, and nothing else."""
        return {k: self.record[k] for k in TRANSACTION_FIELDS if self.record.get(k) is not None}


@dataclass(frozen=True, slots=True)
class Bonus:
    bonus_id: str
    status: str
    currency: str
    activated_at: dt.datetime
    expires_at: dt.datetime
    terms: Mapping[str, Any] = field(repr=False)
    balance: str | None = None
    account_id: str | None = None


def _problem(what: str, exc: ValidationError) -> PlatformUnavailable:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or what
    return PlatformUnavailable(
        f"the platform sent a {what} the desk cannot read ({where}: {first['msg']})"
    )


def _object(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PlatformUnavailable(f"the platform sent a {what} that is not a JSON object")
    return value


def parse_customer(value: object) -> Customer:
    raw = _object(value, "customer")
    try:
        shape = _CustomerShape.model_validate(raw)
    except ValidationError as exc:
        raise _problem("customer", exc) from None
    return Customer(
        account_id=str(shape.account_id),
        email=shape.email,
        name=shape.name,
        country=shape.country,
        jurisdiction=shape.jurisdiction,
        kyc_status=shape.kyc_status,
        self_excluded=shape.self_excluded,
        limits=shape.limits,
        language=shape.language,
    )


def parse_bet(value: object) -> Bet:
    raw = _object(value, "bet")
    try:
        shape = _BetShape.model_validate(raw)
    except ValidationError as exc:
        raise _problem("bet", exc) from None
    return Bet(
        bet_id=str(shape.bet_id),
        account_id=str(shape.account_id),
        placed_at=shape.placed_at.astimezone(dt.UTC),
        settled_at=shape.settled_at.astimezone(dt.UTC) if shape.settled_at else None,
        status=shape.status,
        currency=shape.currency,
        record=dict(raw),
    )


def parse_transaction(value: object) -> Transaction:
    raw = _object(value, "transaction")
    try:
        shape = _TransactionShape.model_validate(raw)
    except ValidationError as exc:
        raise _problem("transaction", exc) from None
    account = raw.get("account_id")
    return Transaction(
        transaction_id=str(shape.transaction_id),
        account_id=str(account) if isinstance(account, str | int) else None,
        kind=shape.kind,
        status=shape.status,
        created_at=shape.created_at.astimezone(dt.UTC),
        record={**raw, "transaction_id": str(shape.transaction_id)},
    )


def parse_bonus(value: object) -> Bonus:
    raw = _object(value, "bonus")
    try:
        shape = _BonusShape.model_validate(raw)
    except ValidationError as exc:
        raise _problem("bonus", exc) from None
    terms = {k: v for k, v in raw.items() if k in WAGERING_TERMS}
    terms["bonus_id"] = str(shape.bonus_id)
    balance = shape.bonus_balance
    account = raw.get("account_id")
    return Bonus(
        bonus_id=str(shape.bonus_id),
        status=shape.status,
        currency=shape.currency,
        activated_at=shape.activated_at.astimezone(dt.UTC),
        expires_at=shape.expires_at.astimezone(dt.UTC),
        terms=terms,
        balance=None if balance is None else str(balance),
        account_id=str(account) if isinstance(account, str | int) else None,
    )


T = TypeVar("T")


def parse_items(payload: object, parse: Callable[[object], T], what: str) -> list[T]:
    """``{"items": [...]}`` → the parsed records; any malformed one fails the whole answer."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("items"), list):
        raise PlatformUnavailable(f'the platform\'s list of {what} is not {{"items": [...]}}')
    return [parse(item) for item in payload["items"]]
