"""HTTP faces of the pure engines: settlement, wagering and payment reasons.

The engines validate their own input against the contracts and raise ``InvalidInput``
naming the field; ``web/errors.py`` answers that with 422.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Body, Depends, Query

from complaintdesk.staff.permissions import StaffActor
from complaintdesk.web.deps import staff

router = APIRouter(prefix="/api/v1", tags=["verification"])

LanguageQuery = Query("en", description="Language of the explanation: en or ru")

_BET_EXAMPLE = {
    "bet_id": "B-1001",
    "type": "single",
    "currency": "GBP",
    "stake": "10",
    "legs": [{"odds": "5/2", "result": "won"}],
    "paid_return": "35.00",
}


@router.post("/settlement/verify", summary="Re-settle a bet and compare with what was paid")
def verify_bet(
    bet: dict[str, Any] = Body(
        ..., examples=[_BET_EXAMPLE], description="A bet record (settlement contract)"
    ),
    language: Literal["en", "ru"] = LanguageQuery,
    _: StaffActor = Depends(staff),
) -> dict[str, Any]:
    from complaintdesk.betting.settlement import verify  # noqa: PLC0415 - engine loads on use

    return verify(bet, language=language).to_dict()


@router.post("/wagering/explain", summary="Explain a bonus's wagering progress bet by bet")
def explain_wagering(
    case: dict[str, Any] = Body(
        ..., description="{bonus, bets, bonus_balance?} (wagering contract)"
    ),
    language: Literal["en", "ru"] = LanguageQuery,
    _: StaffActor = Depends(staff),
) -> dict[str, Any]:
    from complaintdesk.betting.wagering import explain  # noqa: PLC0415

    return explain(case, language=language).to_dict()


@router.post(
    "/payments/explain", summary="Explain why a deposit or withdrawal was declined or held"
)
def explain_payment(
    transaction: dict[str, Any] = Body(..., description="A transaction (platform contract)"),
    language: Literal["en", "ru"] = LanguageQuery,
    _: StaffActor = Depends(staff),
) -> dict[str, Any]:
    from complaintdesk.betting.payments import explain  # noqa: PLC0415

    return explain(transaction, language=language).to_dict()
