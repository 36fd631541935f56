"""The JSON of the clocks: a case's SLA block, the customer's view of its pauses, and the
administration of policies, calendars and jurisdiction rules (strict: unknown fields are
refused, limits stated here so the OpenAPI schema shows them)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints

from complaintdesk.complaints.models import Category, Priority
from complaintdesk.sla.models import Reassign

SlaStateName = Literal["ok", "at_risk", "breached"]
ClockName = Literal["first_response", "next_response", "resolution", "regulatory"]
ClockStateName = Literal["ok", "at_risk", "breached", "met", "paused"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Url = Annotated[str, StringConstraints(pattern=r"^(https?://\S{1,290})?$")]
JurisdictionCode = Annotated[
    str, StringConstraints(pattern=r"^([A-Z]{2}(-[A-Z0-9]{1,3})?|default)$")
]
Minutes = Annotated[StrictInt, Field(ge=1, le=366 * 24 * 60)]
TimeOfDay = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- a case's clocks -------------------------------------------------------------------


class ClockOut(BaseModel):
    due_at: dt.datetime | None
    state: ClockStateName
    met_at: dt.datetime | None = None


class PauseOut(BaseModel):
    started_at: dt.datetime
    ended_at: dt.datetime | None
    seconds: int = Field(description="How long it lasted (so far, for the open one).")
    clocks: list[str] = Field(description="The clocks it stopped.")


class SlaOut(BaseModel):
    """A case's clocks for staff: state, pauses, what the deadlines follow, and why."""

    state: SlaStateName = Field(
        description="breached if a clock missed its deadline, at_risk if one has used its "
        "warning share of the time, else ok (computed now, not only at the last sweep)."
    )
    policy: str | None = Field(description="The SLA policy's key; null: the built-in defaults.")
    calendar: str | None = Field(description="The business calendar's key; null: 24/7.")
    jurisdiction: str | None
    paused: bool
    paused_seconds: int = Field(description="Total time spent waiting for the customer.")
    pauses: list[PauseOut]
    clocks: dict[str, ClockOut]
    extension_days: int
    extended_at: dt.datetime | None
    can_extend: bool
    explanation: dict[str, str] = Field(description="The same facts in words: en and ru.")


class PublicClockOut(BaseModel):
    """What a customer is told about the clocks of their case (no internal facts)."""

    paused: bool
    paused_seconds: int
    extension_days: int
    explanation: dict[str, str] | None = Field(
        description='e.g. {"en": "The clock was paused for 2 days while we waited for your '
        'reply or documents...", "ru": "..."}; null when there is nothing to explain.'
    )


class ExtensionIn(Strict):
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
    ] = Field(description="Why more time is needed: the notice the customer receives.")
    version: StrictInt | None = None


# --- administration --------------------------------------------------------------------


Hours = dict[Weekday, Annotated[list[tuple[TimeOfDay, TimeOfDay]], Field(max_length=12)]]


class CalendarIn(Strict):
    key: Key
    name: Name
    timezone: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field(
        description="An IANA time zone, e.g. Europe/London"
    )
    hours: Hours = Field(
        description='Working intervals per weekday, e.g. {"mon": [["09:00", "18:00"]]}; '
        "a day left out is not worked."
    )
    holidays: Annotated[list[dt.date], Field(max_length=2000)] = []


class CalendarPatch(Strict):
    name: Name | None = None
    timezone: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    hours: Hours | None = None
    holidays: Annotated[list[dt.date], Field(max_length=2000)] | None = None


class CalendarOut(BaseModel):
    key: str
    name: str
    timezone: str
    hours: dict[str, list[list[str]]]
    holidays: list[str]
    policies: list[str] = Field(description="The policies that count in this calendar.")


class PolicyFields(Strict):
    categories: Annotated[list[Category], Field(max_length=20)] = Field(
        [], description="Empty: any category."
    )
    priorities: Annotated[list[Priority], Field(max_length=4)] = Field(
        [], description="Empty: any priority."
    )
    calendar: Key | None = Field(None, description="A calendar's key; null: 24/7.")
    acknowledgement_minutes: Annotated[StrictInt, Field(ge=0, le=366 * 24 * 60)] | None = None
    next_response_minutes: Minutes | None = None
    pause_clocks: Annotated[list[ClockName], Field(max_length=4)] = Field(
        ["resolution", "regulatory"],
        description="The clocks that stop while the case waits for the customer.",
    )
    at_risk_percent: Annotated[StrictInt, Field(ge=1, le=99)] = 80
    notify_lead: StrictBool = True
    escalate_priority: Priority | None = Field(
        None, description="Raise a breached case to this priority."
    )
    reassign: Reassign = Field(
        Reassign.none, description="On breach: none, lead (the team's lead) or team."
    )
    reassign_team: Key | None = Field(None, description="The team to move to (reassign=team).")


class PolicyIn(PolicyFields):
    key: Key
    name: Name
    position: Annotated[StrictInt, Field(ge=0, le=1_000_000)] | None = Field(
        None, description="Lower applies first; default: after the last one."
    )
    first_response_minutes: Minutes
    resolution_minutes: Minutes


class PolicyPatch(Strict):
    name: Name | None = None
    position: Annotated[StrictInt, Field(ge=0, le=1_000_000)] | None = None
    categories: Annotated[list[Category], Field(max_length=20)] | None = None
    priorities: Annotated[list[Priority], Field(max_length=4)] | None = None
    calendar: Key | None = None
    acknowledgement_minutes: Annotated[StrictInt, Field(ge=0, le=366 * 24 * 60)] | None = None
    first_response_minutes: Minutes | None = None
    next_response_minutes: Minutes | None = None
    resolution_minutes: Minutes | None = None
    pause_clocks: Annotated[list[ClockName], Field(max_length=4)] | None = None
    at_risk_percent: Annotated[StrictInt, Field(ge=1, le=99)] | None = None
    notify_lead: StrictBool | None = None
    escalate_priority: Priority | None = None
    reassign: Reassign | None = None
    reassign_team: Key | None = None


class PolicyOut(BaseModel):
    key: str
    name: str
    position: int
    categories: list[str]
    priorities: list[str]
    calendar: str | None
    acknowledgement_minutes: int | None
    first_response_minutes: int
    next_response_minutes: int | None
    resolution_minutes: int
    pause_clocks: list[str]
    at_risk_percent: int
    notify_lead: bool
    escalate_priority: Priority | None
    reassign: Reassign
    reassign_team: str | None


class JurisdictionFields(Strict):
    name_ru: Text = ""
    regulator: Text = ""
    regulator_url: Url = ""
    extension_days: Annotated[StrictInt, Field(ge=0, le=366)] = Field(
        0, description="Extra days the regulator allows once, with notice (0: none)."
    )
    allow_pause: StrictBool = Field(
        True, description="Whether waiting for the customer may stop the regulator's clock."
    )
    adr_name: Text = ""
    adr_url: Url = ""
    statutory: StrictBool = Field(
        False, description="True: the regulator sets the deadline; false: the desk's own."
    )
    notes: Annotated[str, StringConstraints(max_length=4000)] = ""


class JurisdictionIn(JurisdictionFields):
    code: JurisdictionCode = Field(description="ISO 3166 (GB, MT, CA-ON...) or default.")
    name: Name
    acknowledgement_hours: Annotated[StrictInt, Field(ge=0, le=366 * 24)]
    regulatory_days: Annotated[StrictInt, Field(ge=1, le=3660)]


class JurisdictionPatch(Strict):
    name: Name | None = None
    name_ru: Text | None = None
    regulator: Text | None = None
    regulator_url: Url | None = None
    acknowledgement_hours: Annotated[StrictInt, Field(ge=0, le=366 * 24)] | None = None
    regulatory_days: Annotated[StrictInt, Field(ge=1, le=3660)] | None = None
    extension_days: Annotated[StrictInt, Field(ge=0, le=366)] | None = None
    allow_pause: StrictBool | None = None
    adr_name: Text | None = None
    adr_url: Url | None = None
    statutory: StrictBool | None = None
    notes: Annotated[str, StringConstraints(max_length=4000)] | None = None


class JurisdictionOut(BaseModel):
    code: str
    name: str
    name_ru: str
    regulator: str
    regulator_url: str
    acknowledgement_hours: int
    regulatory_days: int
    extension_days: int
    allow_pause: bool
    adr_name: str
    adr_url: str
    statutory: bool
    notes: str


class TermsOut(BaseModel):
    """What a customer of a jurisdiction is promised (complaintdesk.sla.queries.customer_terms)."""

    language: str
    jurisdiction: str | None
    jurisdiction_name: str | None
    regulator: str | None
    regulator_url: str | None
    acknowledgement_hours: float
    first_response_hours: float
    resolution_hours: float
    working_hours_only: bool
    regulatory_days: int
    statutory: bool
    extension_days: int
    extension_rule: str | None
    adr_name: str | None
    adr_url: str | None
    summary: str


class SweepOut(BaseModel):
    checked: int
    at_risk: list[str]
    breached: list[str]
    escalated: list[str]
