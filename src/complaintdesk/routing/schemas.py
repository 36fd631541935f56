"""The JSON of routing: teams, members, availability, rules, triage (strict: unknown
fields are refused)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints

from complaintdesk.complaints.models import Category, Priority
from complaintdesk.routing.models import Strategy

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Jurisdiction = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
Language = Literal["en", "ru"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TeamIn(Strict):
    key: Key = Field(description="What cases keep in their team field, e.g. payments.")
    name: Name
    name_ru: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    lead: Username | None = Field(None, description="The lead's username; notified of breaches.")
    strategy: Strategy = Strategy.least_loaded
    is_default: StrictBool = Field(False, description="Takes the cases no rule matches.")


class TeamPatch(Strict):
    name: Name | None = None
    name_ru: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    lead: Username | None = None
    strategy: Strategy | None = None
    is_default: StrictBool | None = None


class MemberIn(Strict):
    available: StrictBool = True
    capacity: Annotated[StrictInt, Field(ge=1, le=10_000)] | None = Field(
        None, description="The most open cases automatic assignment gives them; null: no limit."
    )


class AvailabilityIn(Strict):
    available: StrictBool


class MemberOut(BaseModel):
    username: str
    available: bool
    capacity: int | None
    open_cases: int


class TeamOut(BaseModel):
    key: str
    name: str
    name_ru: str
    lead: str | None
    strategy: Strategy
    is_default: bool
    members: list[MemberOut]


class RuleFields(Strict):
    categories: Annotated[list[Category], Field(max_length=20)] = Field(
        [], description="Empty: any."
    )
    languages: Annotated[list[Language], Field(max_length=2)] = Field([], description="Empty: any.")
    jurisdictions: Annotated[list[Jurisdiction], Field(max_length=300)] = Field(
        [], description="Empty: any. A country (CA) also matches its subdivisions (CA-ON)."
    )
    priorities: Annotated[list[Priority], Field(max_length=4)] = Field(
        [], description="Empty: any."
    )
    set_priority: Priority | None = Field(
        None, description="Raise the priority of the cases it routes (never lowers it)."
    )
    active: StrictBool = True


class RuleIn(RuleFields):
    name: Name
    team: Key = Field(description="The key of an existing team.")
    position: Annotated[StrictInt, Field(ge=0, le=1_000_000)] | None = Field(
        None, description="Lower is tried first; default: after the last rule."
    )


class RulePatch(Strict):
    name: Name | None = None
    team: Key | None = None
    position: Annotated[StrictInt, Field(ge=0, le=1_000_000)] | None = None
    categories: Annotated[list[Category], Field(max_length=20)] | None = None
    languages: Annotated[list[Language], Field(max_length=2)] | None = None
    jurisdictions: Annotated[list[Jurisdiction], Field(max_length=300)] | None = None
    priorities: Annotated[list[Priority], Field(max_length=4)] | None = None
    set_priority: Priority | None = None
    active: StrictBool | None = None


class RuleOut(BaseModel):
    id: int
    position: int
    name: str
    team: str
    categories: list[str]
    languages: list[str]
    jurisdictions: list[str]
    priorities: list[str]
    set_priority: Priority | None
    active: bool


class PreviewIn(Strict):
    category: Category
    language: Language = "en"
    jurisdiction: Jurisdiction | None = None
    priority: Priority = Priority.normal


class PreviewOut(BaseModel):
    team: str | None
    rule: RuleOut | None


class TriageIn(Strict):
    category: Category | None = None
    priority: Priority | None = None
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None
    version: StrictInt | None = Field(None, description="The version you read; 409 if it moved.")
