"""The JSON of the complaints API: what it accepts (strict, unknown fields refused) and
what it answers. Limits live here so the OpenAPI schema states them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    model_validator,
)

from complaintdesk.betting.money import minor_units
from complaintdesk.complaints.models import Category, Kind, Outcome, Priority, Status
from complaintdesk.sla.schemas import PublicClockOut, SlaOut

SUBJECT_MAX = 200
BODY_MAX = 20_000

Subject = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SUBJECT_MAX)
]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=BODY_MAX)]
Language = Literal["en", "ru"]
Jurisdiction = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
BetId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class Strict(BaseModel):
    # Unknown fields are refused; numbers and flags must be JSON numbers and booleans.
    model_config = ConfigDict(extra="forbid")


class CustomerIn(Strict):
    email: EmailStr
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    phone: (
        Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ()-]{5,30}$")]
        | None
    ) = None
    account_id: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)] | None
    ) = None


class EvidenceIn(Strict):
    bets: Annotated[list[dict[str, Any]], Field(max_length=50)] | None = Field(
        None, description="Bet records in the settlement contract's format."
    )
    bonus: dict[str, Any] | None = Field(None, description="A wagering case (wagering contract).")


class ComplaintIn(Strict):
    subject: Subject
    description: Body
    customer: CustomerIn
    category: Category | None = None
    language: Language = "en"
    jurisdiction: Jurisdiction | None = Field(None, description="ISO 3166 code, e.g. GB, MT, CA-ON")
    bet_ids: Annotated[list[BetId], Field(max_length=50)] = []
    evidence: EvidenceIn | None = None


class ConsultationIn(Strict):
    question: Body
    language: Language = "en"


class ConvertIn(Strict):
    customer: CustomerIn
    subject: Subject | None = None
    category: Category | None = None
    jurisdiction: Jurisdiction | None = None


class MessageIn(Strict):
    body: Body


class ReviewIn(Strict):
    reason: Body


class FeedbackIn(Strict):
    score: Annotated[StrictInt, Field(ge=1, le=5)]
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class Deadlines(BaseModel):
    acknowledgement: dt.datetime | None
    first_response: dt.datetime | None
    resolution: dt.datetime | None
    regulatory: dt.datetime | None


class FiledOut(BaseModel):
    reference: str
    access_key: str = Field(description="Shown once; keep it to follow the case.")
    kind: Kind
    status: Status
    category: Category
    deadlines: Deadlines


class PublicEvent(BaseModel):
    at: dt.datetime
    type: str
    actor: str
    data: dict[str, Any]


class PublicMessage(BaseModel):
    id: int
    author: str
    body: str
    created_at: dt.datetime


class AttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    created_at: dt.datetime


class Money(BaseModel):
    amount: str
    currency: str


class ResolutionOut(BaseModel):
    outcome: Outcome
    summary: str | None
    compensation: Money | None
    resolved_at: dt.datetime | None


class TrackOut(BaseModel):
    reference: str
    kind: Kind
    status: Status
    category: Category
    language: str
    subject: str
    description: str
    created_at: dt.datetime
    updated_at: dt.datetime
    deadlines: Deadlines
    timeline: list[PublicEvent]
    messages: list[PublicMessage]
    attachments: list[AttachmentOut]
    resolution: ResolutionOut | None
    feedback: dict[str, Any] | None
    clock: PublicClockOut | None = Field(
        None, description="Whether the clocks are paused for the customer, and for how long."
    )
    can_request_review: bool
    can_leave_feedback: bool


# --- staff -------------------------------------------------------------------------


class AssignIn(Strict):
    assignee: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)] | None
    ) = Field(
        None, description="A username; null together with unassign=true removes the assignee."
    )
    unassign: StrictBool = False
    team: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)] | None
    ) = None
    version: StrictInt | None = Field(
        None, description="The version you read; 409 if it moved since."
    )


class TransitionIn(Strict):
    to: Status
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None
    version: StrictInt | None = None


class CompensationIn(Strict):
    amount: Annotated[str, StringConstraints(pattern=r"^\d{1,12}(\.\d{1,4})?$")]
    currency: Currency

    @model_validator(mode="after")
    def _fits_currency(self) -> CompensationIn:
        amount = Decimal(self.amount)
        if amount <= 0:
            raise ValueError("compensation must be more than zero")
        places = minor_units(self.currency)
        if amount != round(amount, places):
            raise ValueError(f"{self.currency} amounts have at most {places} decimal places")
        return self

    def as_tuple(self) -> tuple[Decimal, str]:
        return Decimal(self.amount), self.currency


class ResolutionIn(Strict):
    outcome: Outcome
    summary: Body = Field(description="The reasons the customer reads.")
    compensation: CompensationIn | None = None
    wording_checked: StrictBool = Field(
        False,
        description="True once you have checked reasons that mention fraud, AML and the like "
        "(the first attempt answers 422 wording_check naming the words).",
    )
    version: StrictInt | None = None


class StaffMessage(BaseModel):
    id: int
    author: str
    by: str | None
    internal: bool
    body: str
    created_at: dt.datetime


class StaffEvent(BaseModel):
    id: int
    at: dt.datetime
    type: str
    actor: str
    by: str | None
    public: bool
    data: dict[str, Any]


class ProposalOut(BaseModel):
    """A decision that needed a second person: waiting, approved or rejected."""

    id: int
    state: Literal["pending", "approved", "rejected"]
    outcome: Outcome
    summary: str
    compensation: Money | None
    reasons: list[str] = Field(
        description="Why it needs approval: payout_refusal, above_limit (compensation above "
        "its currency's limit), no_limit (a currency without a limit)."
    )
    proposed_by: str | None
    proposed_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    note: str | None


class CustomerOut(BaseModel):
    email: str | None
    name: str | None
    phone: str | None
    account_id: str | None


class CaseSummary(BaseModel):
    reference: str
    kind: Kind
    status: Status
    category: Category
    priority: Priority
    team: str | None
    assignee: str | None
    language: str
    jurisdiction: str | None
    subject: str
    created_at: dt.datetime
    updated_at: dt.datetime
    due_at: dt.datetime | None
    deadlines: Deadlines
    sla_state: Literal["ok", "at_risk", "breached"] = Field(
        "ok", description="As of the last SLA sweep: a clock at risk or breached."
    )
    version: int


class CasePage(BaseModel):
    items: list[CaseSummary]
    next_cursor: str | None


class CaseOut(CaseSummary):
    description: str
    customer: CustomerOut
    bet_ids: list[str]
    evidence: dict[str, Any] | None
    messages: list[StaffMessage]
    timeline: list[StaffEvent]
    attachments: list[AttachmentOut]
    resolution: ResolutionOut | None
    feedback: dict[str, Any] | None
    checks: list[dict[str, Any]]
    sla: SlaOut | None = Field(None, description="The clocks: state, pauses, explanation.")
    decisions: list[ProposalOut] = Field(
        [], description="Decisions proposed for a second person's approval, oldest first."
    )
    allowed_transitions: list[Status]


class Created(BaseModel):
    id: int
    created_at: dt.datetime
