"""Teams, their members and the rules that route a new case to a team.

A case keeps its team as the team's ``key`` (``Complaint.team``), a short slug that other
contexts read and filter on; the rows here say who is in the team, who leads it and how
new cases are shared among its members.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaintdesk.complaints.models import Priority
from complaintdesk.db import Base, intpk, timestamp
from complaintdesk.staff.models import User


def _enum(cls: type[StrEnum], length: int = 24) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class Strategy(StrEnum):
    """How a team shares its new cases among the members marked available."""

    manual = "manual"  # nobody is picked: the lead or a member takes the case
    round_robin = "round_robin"  # each member in turn
    least_loaded = "least_loaded"  # the member with the fewest open cases


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200), default="")
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    strategy: Mapped[Strategy] = mapped_column(_enum(Strategy), default=Strategy.least_loaded)
    # The team that takes every case no rule matches; exactly one team has it.
    is_default: Mapped[bool] = mapped_column(default=False)
    # Round-robin's place in the rota: the member who got the last case.
    last_assigned_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]

    lead: Mapped[User | None] = relationship(foreign_keys=[lead_id], lazy="raise")
    members: Mapped[list[TeamMember]] = relationship(
        back_populates="team", lazy="raise", order_by="TeamMember.id", passive_deletes=True
    )


class TeamMember(Base):
    __tablename__ = "team_members"

    id: Mapped[intpk]
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    available: Mapped[bool] = mapped_column(default=True)
    # The most open cases automatic assignment gives this member (None: no limit).
    capacity: Mapped[int | None] = mapped_column()
    created_at: Mapped[timestamp]

    team: Mapped[Team] = relationship(back_populates="members", lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")

    __table_args__ = (UniqueConstraint("team_id", "user_id"),)


class RoutingRule(Base):
    """Cases matching every non-empty condition go to ``team``; the lowest position wins.

    An empty condition list matches anything. A jurisdiction condition ``CA`` also matches
    the subdivisions ``CA-ON``, ``CA-QC``...
    """

    __tablename__ = "routing_rules"

    id: Mapped[intpk]
    position: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(200))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="RESTRICT"), index=True)
    categories: Mapped[list[Any]] = mapped_column(default=list)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    jurisdictions: Mapped[list[Any]] = mapped_column(default=list)
    priorities: Mapped[list[Any]] = mapped_column(default=list)
    # The rule may also raise the case's priority (never lowers it).
    set_priority: Mapped[Priority | None] = mapped_column(_enum(Priority))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp]

    team: Mapped[Team] = relationship(lazy="raise")

    __table_args__ = (Index("ix_routing_rules_order", "position", "id"),)
