"""Reading a transaction as the operator's platform sends it (platform.md), field by field.

``{transaction_id, kind, amount, currency, method, provider, status, decline_code?,
created_at, updated_at}``, plus an optional ``reason_code``: the operator's own hold code
(``kyc_documents_missing``, ``aml_review``...), kept apart from the provider's
``decline_code`` because the two can both be present and the hold is what actually stops
the payment. Unknown fields are refused, as everywhere in the betting engines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.betting.money import check_currency, parse_amount
from complaintdesk.betting.wagering.terms import check_fields, parse_time

KINDS = ("deposit", "withdrawal")

_FIELDS = (
    {
        "transaction_id",
        "kind",
        "amount",
        "currency",
        "method",
        "provider",
        "status",
        "created_at",
        "updated_at",
    },
    {"decline_code", "reason_code"},
)


@dataclass(frozen=True)
class Transaction:
    """A validated transaction; codes are stripped strings or ``None``."""

    transaction_id: str
    kind: str
    amount: Decimal
    currency: str
    method: str
    provider: str
    status: str
    created_at: datetime
    updated_at: datetime
    decline_code: str | None = None
    reason_code: str | None = None


def parse_transaction(value: object) -> Transaction:
    """Validate ``value`` or raise :class:`InvalidInput` naming the field."""
    fields = check_fields(value, "", *_FIELDS, root="transaction")
    kind = fields["kind"]
    if kind not in KINDS:
        raise InvalidInput("kind", f"must be deposit or withdrawal, not {kind!r}")
    created_at = parse_time(fields["created_at"], "created_at")
    updated_at = parse_time(fields["updated_at"], "updated_at")
    if updated_at < created_at:
        raise InvalidInput("updated_at", "is before created_at")
    return Transaction(
        transaction_id=_text(fields["transaction_id"], "transaction_id"),
        kind=kind,
        amount=parse_amount(fields["amount"], "amount"),
        currency=check_currency(fields["currency"]),
        method=_text(fields["method"], "method"),
        provider=_text(fields["provider"], "provider"),
        status=_text(fields["status"], "status"),
        created_at=created_at,
        updated_at=updated_at,
        decline_code=_code(fields.get("decline_code"), "decline_code"),
        reason_code=_code(fields.get("reason_code"), "reason_code"),
    )


def _text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, "must be a non-empty string")
    return value.strip()


def _code(value: object, field: str) -> str | None:
    """A code as text. Card response codes often arrive as numbers: 5 is the code "05"."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return f"{value:02d}"
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise InvalidInput(field, 'must be a code such as "05" or "aml_review"')
