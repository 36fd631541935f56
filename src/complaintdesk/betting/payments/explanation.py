"""Why a payment was declined, held or delayed, said safely to the customer and fully to staff.

The customer message is the catalogue's text for reasons that may be shown, and the neutral
routine-review text, with a date, for internal ones (fraud, anti-money-laundering,
sanctions and similar checks): truthful, and giving no hint of the check. The whole truth
goes to ``internal_note``, for staff only. A code the catalogue does not know is not an
error: the customer gets a neutral message with a date and the case goes to the payments
team, whose note says which key to add to the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from complaintdesk.betting.payments.catalogue import Catalogue, NeutralMessage, load_catalogue
from complaintdesk.betting.payments.transaction import parse_transaction
from complaintdesk.betting.wagering.terms import parse_time
from complaintdesk.betting.wagering.wording import check_language, format_amount, format_date

UNKNOWN_TEAM = "payments"


@dataclass(frozen=True)
class PaymentExplanation:
    """What staff and the customer are told about one transaction.

    ``customer_message`` always ends with the next step and is safe to send as it is;
    ``review_by`` is the date promised in it, when it promises one (internal and unknown
    reasons), else ``None``.
    """

    transaction_id: str
    kind: str
    code: str
    known: bool
    category: str
    team: str
    customer_visible: bool
    customer_message: str
    next_step: str
    internal_note: str
    review_by: date | None
    language: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "transaction_id": self.transaction_id,
            "kind": self.kind,
            "code": self.code,
            "known": self.known,
            "category": self.category,
            "team": self.team,
            "customer_visible": self.customer_visible,
            "customer_message": self.customer_message,
            "next_step": self.next_step,
            "internal_note": self.internal_note,
            "review_by": None if self.review_by is None else self.review_by.isoformat(),
            "language": self.language,
        }


@cache
def builtin_catalogue() -> Catalogue:
    """The built-in catalogue, read once: it is immutable and every call would read the
    same file."""
    return load_catalogue()


def explain(
    transaction: Mapping[str, Any],
    *,
    language: str = "en",
    catalogue: Catalogue | None = None,
    review_by: datetime | None = None,
) -> PaymentExplanation:
    """Explain ``transaction`` in ``language`` ("en" or "ru") from ``catalogue``.

    ``review_by`` is the date promised to the customer for internal and unknown reasons;
    by default ``created_at`` plus the reason's ``review_days`` (or the catalogue's
    ``default_review_days``). Raises :class:`InvalidInput` for input that breaks the
    contract, never for an unknown code.
    """
    language = check_language(language)
    parsed = parse_transaction(transaction)
    catalogue = catalogue if catalogue is not None else builtin_catalogue()
    key, reason = catalogue.lookup(parsed)

    def neutral(message: NeutralMessage, days: int | None) -> tuple[str, str, date]:
        if review_by is not None:
            by = parse_time(review_by, "review_by").date()
        else:
            by = (parsed.created_at + timedelta(days=days or catalogue.default_review_days)).date()
        text = message.for_kind(parsed.kind)[language].format(
            amount=format_amount(parsed.amount, parsed.currency, language),
            date=format_date(by, language),
        )
        step = message.next_step[language]
        return f"{text} {step}", step, by

    if reason is None:
        message, step, by = neutral(catalogue.unknown, None)
        return PaymentExplanation(
            transaction_id=parsed.transaction_id,
            kind=parsed.kind,
            code=key,
            known=False,
            category="unknown",
            team=UNKNOWN_TEAM,
            customer_visible=False,
            customer_message=message,
            next_step=step,
            internal_note=_unknown_note(
                parsed.decline_code or parsed.reason_code,
                key,
                parsed.provider,
                parsed.status,
                language,
            ),
            review_by=by,
            language=language,
        )
    if reason.customer_message is None or reason.next_step is None:
        message, step, promised = neutral(catalogue.review, reason.review_days)
        review_date: date | None = promised
    else:
        step = reason.next_step[language]
        message = f"{reason.customer_message[language]} {step}"
        review_date = None
    return PaymentExplanation(
        transaction_id=parsed.transaction_id,
        kind=parsed.kind,
        code=reason.key,
        known=True,
        category=reason.category,
        team=reason.team,
        customer_visible=reason.customer_visible,
        customer_message=message,
        next_step=step,
        internal_note=reason.internal_note[language],
        review_by=review_date,
        language=language,
    )


def _unknown_note(code: str | None, key: str, provider: str, status: str, language: str) -> str:
    if code is None:
        if language == "en":
            return (
                f"No decline or hold code, and the status “{status}” is not in the catalogue: "
                "route to the payments team."
            )
        return (
            f"Нет кода отказа или удержания, а статуса «{status}» нет в каталоге: "
            "передайте в платёжный отдел."
        )
    if language == "en":
        return (
            f"Unknown code “{code}” from {provider}: route to the payments team. Once its "
            f"meaning is known, add it to the operator's catalogue as “{key}”."
        )
    return (
        f"Неизвестный код «{code}» от {provider}: передайте в платёжный отдел. Когда его "
        f"значение станет известно, добавьте его в каталог оператора с ключом «{key}»."
    )
