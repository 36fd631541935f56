"""The JSON of the checks: one entry per check, as the API contract shows them in a case.

``{"kind": "settlement", "bet_id", "verdict"}``, ``{"kind": "wagering", "report"}``,
``{"kind": "payment", "transaction_id", "explanation"}``, each with its id, state and
times. Fields of the other kinds are left out of an entry, not sent as null.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from complaintdesk.checks.models import CheckKind, CheckSource, CheckState


class CheckOut(BaseModel):
    id: int
    kind: CheckKind
    state: CheckState = Field(
        description="pending, done, not_found, unavailable (retried at next_attempt_at) "
        "or invalid (the record breaks its contract)"
    )
    source: CheckSource = Field(
        description="platform (fetched from the operator) or evidence (attached by the customer)"
    )
    subject: str | None = Field(description="the bet, bonus or transaction id checked")
    message: str | None = Field(None, description="what the state means, in the case's language")
    problem: str | None = Field(None, description="the technical reason of the last failure")
    attempts: int
    next_attempt_at: dt.datetime | None = None
    created_at: dt.datetime
    updated_at: dt.datetime
    completed_at: dt.datetime | None = None

    bet_id: str | None = None
    verdict: dict[str, Any] | None = Field(None, description="settlement.md's verdict")
    amount_owed: str | None = Field(None, description="for an underpaid bet: what is owed")
    currency: str | None = None
    account_matches: bool | None = Field(
        None, description="false when the bet belongs to another account than the complaint's"
    )
    bet: dict[str, Any] | None = Field(None, description="the bet record that was verified")

    bonus_id: str | None = None
    report: dict[str, Any] | None = Field(None, description="wagering.md's report")
    terms: dict[str, Any] | None = None

    transaction_id: str | None = None
    explanation: dict[str, Any] | None = Field(
        None, description="what the customer may be told: customer_message, next_step..."
    )
    internal_note: str | None = Field(
        None, description="staff only: the real reason, which may never be passed on"
    )
    transaction: dict[str, Any] | None = None


class CheckList(BaseModel):
    items: list[CheckOut]
