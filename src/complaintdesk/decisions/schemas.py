"""The JSON of the second pair of eyes: approving or rejecting a pending decision."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from complaintdesk.complaints.schemas import ProposalOut
from complaintdesk.decisions.services import NOTE_MAX

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NOTE_MAX)]


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    proposal: StrictInt | None = Field(
        None, description="The proposal you read; 404 if another one is pending now."
    )
    note: Note | None = Field(None, description="Why: required to reject, optional to approve.")
    version: StrictInt | None = Field(None, description="The case's version you read.")


class WaitingOut(BaseModel):
    reference: str
    subject: str
    category: str
    language: str
    proposal: ProposalOut


class WaitingList(BaseModel):
    items: list[WaitingOut]
