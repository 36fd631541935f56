"""Routing and SLA: teams, members, routing rules, calendars, SLA policies, jurisdiction
rules, each case's clock record and pauses; the next-response deadline and SLA state of
a case, with the queue index the SLA filter uses.

The desk's starting configuration (a team per category, the rules to reach them, the
default SLA policies and the jurisdiction catalogue) is installed by the application on
first start (complaintdesk.sla.defaults), where it can take its numbers from the settings.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 03:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from complaintdesk.db import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> Any:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _priority(name: str) -> Any:
    return sa.Column(
        name,
        sa.Enum("low", "normal", "high", "urgent", name="priority", native_enum=False, length=24),
        nullable=True,
    )


def _stamps() -> list[Any]:
    return [
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "business_calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("hours", _json(), nullable=False),
        sa.Column("holidays", _json(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_calendars")),
        sa.UniqueConstraint("key", name=op.f("uq_business_calendars_key")),
    )
    op.create_table(
        "jurisdiction_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_ru", sa.String(length=200), nullable=False),
        sa.Column("regulator", sa.String(length=200), nullable=False),
        sa.Column("regulator_url", sa.String(length=300), nullable=False),
        sa.Column("acknowledgement_hours", sa.Integer(), nullable=False),
        sa.Column("regulatory_days", sa.Integer(), nullable=False),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        sa.Column("allow_pause", sa.Boolean(), nullable=False),
        sa.Column("adr_name", sa.String(length=200), nullable=False),
        sa.Column("adr_url", sa.String(length=300), nullable=False),
        sa.Column("statutory", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jurisdiction_rules")),
        sa.UniqueConstraint("code", name=op.f("uq_jurisdiction_rules_code")),
    )
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_ru", sa.String(length=200), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column(
            "strategy",
            sa.Enum(
                "manual",
                "round_robin",
                "least_loaded",
                name="strategy",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("last_assigned_user_id", sa.Integer(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["last_assigned_user_id"],
            ["users.id"],
            name=op.f("fk_teams_last_assigned_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["users.id"], name=op.f("fk_teams_lead_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("key", name=op.f("uq_teams_key")),
    )
    op.create_table(
        "team_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_team_members_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_team_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_members")),
        sa.UniqueConstraint("team_id", "user_id", name=op.f("uq_team_members_team_id")),
    )
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_members_user_id"), ["user_id"], unique=False)

    op.create_table(
        "routing_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("categories", _json(), nullable=False),
        sa.Column("languages", _json(), nullable=False),
        sa.Column("jurisdictions", _json(), nullable=False),
        sa.Column("priorities", _json(), nullable=False),
        _priority("set_priority"),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_routing_rules_team_id_teams"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rules")),
    )
    with op.batch_alter_table("routing_rules", schema=None) as batch_op:
        batch_op.create_index("ix_routing_rules_order", ["position", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_routing_rules_team_id"), ["team_id"], unique=False)

    op.create_table(
        "sla_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("categories", _json(), nullable=False),
        sa.Column("priorities", _json(), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=True),
        sa.Column("acknowledgement_minutes", sa.Integer(), nullable=True),
        sa.Column("first_response_minutes", sa.Integer(), nullable=False),
        sa.Column("next_response_minutes", sa.Integer(), nullable=True),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        sa.Column("pause_clocks", _json(), nullable=False),
        sa.Column("at_risk_percent", sa.Integer(), nullable=False),
        sa.Column("notify_lead", sa.Boolean(), nullable=False),
        _priority("escalate_priority"),
        sa.Column(
            "reassign",
            sa.Enum("none", "lead", "team", name="reassign", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("reassign_team_id", sa.Integer(), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["business_calendars.id"],
            name=op.f("fk_sla_policies_calendar_id_business_calendars"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["reassign_team_id"],
            ["teams.id"],
            name=op.f("fk_sla_policies_reassign_team_id_teams"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_policies")),
        sa.UniqueConstraint("key", name=op.f("uq_sla_policies_key")),
    )
    with op.batch_alter_table("sla_policies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sla_policies_calendar_id"), ["calendar_id"], unique=False
        )
        batch_op.create_index("ix_sla_policies_order", ["position", "id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sla_policies_reassign_team_id"), ["reassign_team_id"], unique=False
        )

    op.create_table(
        "case_clocks",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=True),
        sa.Column("policy_key", sa.String(length=64), nullable=True),
        sa.Column("calendar_id", sa.Integer(), nullable=True),
        sa.Column("jurisdiction", sa.String(length=8), nullable=True),
        sa.Column("first_response_seconds", sa.Integer(), nullable=False),
        sa.Column("next_response_seconds", sa.Integer(), nullable=True),
        sa.Column("resolution_seconds", sa.Integer(), nullable=False),
        sa.Column("regulatory_days", sa.Integer(), nullable=True),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        sa.Column("extended_at", UTCDateTime(), nullable=True),
        sa.Column("pause_clocks", _json(), nullable=False),
        sa.Column("regulatory_pauses", sa.Boolean(), nullable=False),
        sa.Column("at_risk_percent", sa.Integer(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("resolution_started_at", UTCDateTime(), nullable=False),
        sa.Column("regulatory_started_at", UTCDateTime(), nullable=True),
        sa.Column("next_response_started_at", UTCDateTime(), nullable=True),
        sa.Column("paused_since", UTCDateTime(), nullable=True),
        sa.Column("paused_seconds", sa.Integer(), nullable=False),
        sa.Column("flags", _json(), nullable=False),
        sa.Column("next_check_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["business_calendars.id"],
            name=op.f("fk_case_clocks_calendar_id_business_calendars"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_case_clocks_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["sla_policies.id"],
            name=op.f("fk_case_clocks_policy_id_sla_policies"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("complaint_id", name=op.f("pk_case_clocks")),
    )
    with op.batch_alter_table("case_clocks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_clocks_next_check_at"), ["next_check_at"], unique=False
        )

    op.create_table(
        "clock_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("clocks", _json(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_clock_pauses_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clock_pauses")),
    )
    with op.batch_alter_table("clock_pauses", schema=None) as batch_op:
        batch_op.create_index("ix_clock_pauses_complaint", ["complaint_id", "id"], unique=False)

    # Existing cases start "ok"; the server default fills them in on both databases.
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_response_due_at", UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("sla_state", sa.String(length=16), nullable=False, server_default="ok")
        )
        batch_op.create_index(
            "ix_complaints_sla_queue", ["sla_state", "status", "due_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_sla_queue")
        batch_op.drop_column("sla_state")
        batch_op.drop_column("next_response_due_at")
    with op.batch_alter_table("clock_pauses", schema=None) as batch_op:
        batch_op.drop_index("ix_clock_pauses_complaint")
    op.drop_table("clock_pauses")
    with op.batch_alter_table("case_clocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_clocks_next_check_at"))
    op.drop_table("case_clocks")
    with op.batch_alter_table("sla_policies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sla_policies_reassign_team_id"))
        batch_op.drop_index("ix_sla_policies_order")
        batch_op.drop_index(batch_op.f("ix_sla_policies_calendar_id"))
    op.drop_table("sla_policies")
    with op.batch_alter_table("routing_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routing_rules_team_id"))
        batch_op.drop_index("ix_routing_rules_order")
    op.drop_table("routing_rules")
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_members_user_id"))
    op.drop_table("team_members")
    op.drop_table("teams")
    op.drop_table("jurisdiction_rules")
    op.drop_table("business_calendars")
