"""SLA policies, business calendars, jurisdiction rules, and each case's clock record.

Policies, calendars and jurisdiction rules are data, edited through the administration
API. A case's ``CaseClock`` keeps what its deadlines were computed from (the targets, the
calendar, when each clock started) and ``ClockPause`` rows keep every interval the case
waited for its customer, so that every deadline can be recomputed and explained later.
The deadlines themselves stay as columns of the case, where the queue sorts on them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from complaintdesk.complaints.models import Priority
from complaintdesk.db import Base, intpk, optional_timestamp, timestamp


def _enum(cls: type[StrEnum], length: int = 24) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Clock(StrEnum):
    """The deadlines a case runs against (acknowledgement is met at intake, so no clock)."""

    first_response = "first_response"
    next_response = "next_response"
    resolution = "resolution"
    regulatory = "regulatory"


class SlaState(StrEnum):
    ok = "ok"
    at_risk = "at_risk"
    breached = "breached"


class Reassign(StrEnum):
    """Where a breached case goes, if anywhere."""

    none = "none"
    lead = "lead"  # to the team's lead
    team = "team"  # to another team, assigned there by that team's strategy


class BusinessCalendar(Base):
    """Working hours per weekday, holidays and a time zone.

    ``hours`` maps ``mon``..``sun`` to a list of ``["09:00", "18:00"]`` intervals in local
    time (``"24:00"`` ends at midnight); a day left out is not worked. ``holidays`` lists
    local dates (``"2026-12-25"``) with no working time.
    """

    __tablename__ = "business_calendars"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    hours: Mapped[dict[str, Any]] = mapped_column(default=dict)
    holidays: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]


class SlaPolicy(Base):
    """Targets for the cases that match ``categories`` and ``priorities`` (empty: any).

    The lowest position that matches applies. Targets count working time when the policy
    names a calendar, elapsed time otherwise (24/7).
    """

    __tablename__ = "sla_policies"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column()
    categories: Mapped[list[Any]] = mapped_column(default=list)
    priorities: Mapped[list[Any]] = mapped_column(default=list)
    calendar_id: Mapped[int | None] = mapped_column(
        ForeignKey("business_calendars.id", ondelete="RESTRICT"), index=True
    )
    # None: the jurisdiction's acknowledgement target alone applies.
    acknowledgement_minutes: Mapped[int | None] = mapped_column()
    first_response_minutes: Mapped[int] = mapped_column()
    # None: replies after the first are not timed.
    next_response_minutes: Mapped[int | None] = mapped_column()
    resolution_minutes: Mapped[int] = mapped_column()
    # The clocks that stop while the case waits for the customer.
    pause_clocks: Mapped[list[Any]] = mapped_column(default=list)
    at_risk_percent: Mapped[int] = mapped_column(default=80)
    # Escalation when a clock breaches.
    notify_lead: Mapped[bool] = mapped_column(default=True)
    escalate_priority: Mapped[Priority | None] = mapped_column(_enum(Priority))
    reassign: Mapped[Reassign] = mapped_column(_enum(Reassign, 16), default=Reassign.none)
    reassign_team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]

    __table_args__ = (Index("ix_sla_policies_order", "position", "id"),)


class JurisdictionRule(Base):
    """What a regulator requires: acknowledgement, the final-response deadline, the
    extension it allows, whether waiting for the customer stops its clock, and the ADR
    body a deadlocked customer is sent to.

    ``code`` is an ISO 3166 code (``GB``, ``CA-ON``) or ``default`` for every other one.
    """

    __tablename__ = "jurisdiction_rules"

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200), default="")
    regulator: Mapped[str] = mapped_column(String(200), default="")
    regulator_url: Mapped[str] = mapped_column(String(300), default="")
    acknowledgement_hours: Mapped[int] = mapped_column()
    regulatory_days: Mapped[int] = mapped_column()
    extension_days: Mapped[int] = mapped_column(default=0)
    allow_pause: Mapped[bool] = mapped_column(default=True)
    adr_name: Mapped[str] = mapped_column(String(200), default="")
    adr_url: Mapped[str] = mapped_column(String(300), default="")
    # True when the deadline is the regulator's; False when it is the operator's own choice.
    statutory: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]


class CaseClock(Base):
    """What a case's deadlines are computed from, and where its SLA sweep stands.

    ``flags`` maps a clock to ``at_risk`` or ``breached`` once the sweep (or the event that
    met it late) said so; ``next_check_at`` is the next moment the sweep has anything to
    look at for this case, so a sweep reads only the cases due a look, through an index.
    """

    __tablename__ = "case_clocks"

    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True
    )
    policy_id: Mapped[int | None] = mapped_column(
        ForeignKey("sla_policies.id", ondelete="SET NULL")
    )
    policy_key: Mapped[str | None] = mapped_column(String(64))
    calendar_id: Mapped[int | None] = mapped_column(
        ForeignKey("business_calendars.id", ondelete="SET NULL")
    )
    jurisdiction: Mapped[str | None] = mapped_column(String(8))

    first_response_seconds: Mapped[int] = mapped_column()
    next_response_seconds: Mapped[int | None] = mapped_column()
    resolution_seconds: Mapped[int] = mapped_column()
    regulatory_days: Mapped[int | None] = mapped_column()
    extension_days: Mapped[int] = mapped_column(default=0)
    extended_at: Mapped[optional_timestamp]
    pause_clocks: Mapped[list[Any]] = mapped_column(default=list)
    regulatory_pauses: Mapped[bool] = mapped_column(default=True)
    at_risk_percent: Mapped[int] = mapped_column(default=80)

    started_at: Mapped[dt.datetime]
    resolution_started_at: Mapped[dt.datetime]
    regulatory_started_at: Mapped[optional_timestamp]
    next_response_started_at: Mapped[optional_timestamp]

    paused_since: Mapped[optional_timestamp]
    paused_seconds: Mapped[int] = mapped_column(default=0)
    flags: Mapped[dict[str, Any]] = mapped_column(default=dict)
    next_check_at: Mapped[optional_timestamp] = mapped_column(index=True)


class ClockPause(Base):
    """One interval a case waited for its customer, and the clocks it stopped."""

    __tablename__ = "clock_pauses"

    id: Mapped[intpk]
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    started_at: Mapped[dt.datetime]
    ended_at: Mapped[optional_timestamp]
    clocks: Mapped[list[Any]] = mapped_column(default=list)
    reason: Mapped[str] = mapped_column(String(40), default="awaiting_customer")

    __table_args__ = (Index("ix_clock_pauses_complaint", "complaint_id", "id"),)
