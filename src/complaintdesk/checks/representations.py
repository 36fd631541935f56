"""How a check is shown to staff (the case view's ``checks`` and the checks API)."""

from __future__ import annotations

from typing import Any

from complaintdesk.checks import wording
from complaintdesk.checks.models import Check, CheckKind, CheckState
from complaintdesk.checks.schemas import CheckOut


def check_out(check: Check, language: str) -> CheckOut:
    result: dict[str, Any] = check.result or {}
    fields: dict[str, Any] = {
        "id": check.id,
        "kind": check.kind,
        "state": check.state,
        "source": check.source,
        "subject": check.subject,
        "message": _message(check, result, language),
        "problem": check.last_error,
        "attempts": check.attempts,
        "next_attempt_at": check.next_attempt_at,
        "created_at": check.created_at,
        "updated_at": check.updated_at,
        "completed_at": check.completed_at,
    }
    if check.kind is CheckKind.settlement:
        fields |= {
            "bet_id": check.subject,
            "verdict": result.get("verdict"),
            "amount_owed": result.get("amount_owed"),
            "currency": result.get("currency"),
            "account_matches": result.get("account_matches"),
            "bet": result.get("record"),
        }
    elif check.kind is CheckKind.wagering:
        fields |= {
            "bonus_id": check.subject,
            "report": result.get("report"),
            "terms": result.get("terms"),
        }
    else:
        fields |= {
            "transaction_id": check.subject,
            "explanation": result.get("explanation"),
            "internal_note": result.get("internal_note"),
            "transaction": result.get("transaction"),
        }
    return CheckOut(**fields)


def entries(checks: list[Check], language: str) -> list[dict[str, Any]]:
    """JSON-ready entries; fields of other kinds left out."""
    return [check_out(c, language).model_dump(mode="json", exclude_unset=True) for c in checks]


def _message(check: Check, result: dict[str, Any], language: str) -> str | None:
    texts: dict[str, str] | None
    if check.state is CheckState.pending:
        texts = wording.pending()
    elif check.state is CheckState.unavailable:
        texts = wording.unavailable(check.next_attempt_at)
    else:
        texts = result.get("message")
    return None if not texts else wording.in_language(texts, language)
