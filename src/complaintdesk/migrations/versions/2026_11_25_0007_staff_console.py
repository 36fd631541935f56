"""The staff console: sessions and sign-in attempts, reply templates, links between cases,
decisions waiting for a second person, and an index for the console's queue counts.

The counts index holds, for open cases only, every column the console groups its counts
by, so counting reads that index and nothing else whatever the size of the desk.

Revision ID: 0007
Revises: 0001
Create Date: 2026-11-25 05:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from complaintdesk.db import Money, UTCDateTime

revision: str = "0007"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
# The counts index covers complaints.sla_state, a column of the routing and SLA migration.
depends_on: str | Sequence[str] | None = "0002"

OPEN = "status IN ('received', 'in_progress', 'awaiting_customer', 'escalated')"
PENDING = "state = 'pending'"


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _when(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, UTCDateTime(timezone=True), nullable=nullable)


def _user(name: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [name], ["users.id"], name=op.f(f"fk_{table}_{name}_users"), ondelete="SET NULL"
    )


def upgrade() -> None:
    op.create_table(
        "console_sign_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        _when("at"),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_sign_ins")),
    )
    with op.batch_alter_table("console_sign_ins", schema=None) as batch_op:
        batch_op.create_index("ix_console_sign_ins_address", ["address", "at"], unique=False)
        batch_op.create_index("ix_console_sign_ins_username", ["username", "at"], unique=False)

    op.create_table(
        "console_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _when("created_at"),
        _when("expires_at"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_console_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_console_sessions_token_hash")),
    )
    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_console_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "reply_macros",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("body_ru", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        _user("created_by_id", "reply_macros"),
        _user("updated_by_id", "reply_macros"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reply_macros")),
    )
    with op.batch_alter_table("reply_macros", schema=None) as batch_op:
        batch_op.create_index("ix_reply_macros_active", ["active", "name"], unique=False)

    op.create_table(
        "case_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "related",
                "duplicate_of",
                "merged_from",
                name="linkkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _when("created_at"),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_case_links_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["complaints.id"],
            name=op.f("fk_case_links_other_id_complaints"),
            ondelete="CASCADE",
        ),
        _user("created_by_id", "case_links"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_links")),
        sa.UniqueConstraint(
            "complaint_id", "other_id", "kind", name=op.f("uq_case_links_complaint_id")
        ),
    )
    with op.batch_alter_table("case_links", schema=None) as batch_op:
        batch_op.create_index("ix_case_links_complaint", ["complaint_id", "id"], unique=False)

    op.create_table(
        "resolution_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "approved",
                "rejected",
                name="proposalstate",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "outcome",
            sa.Enum(
                "upheld",
                "partially_upheld",
                "not_upheld",
                "withdrawn",
                name="outcome",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("compensation_amount", Money(precision=18, scale=4), nullable=True),
        sa.Column("compensation_currency", sa.String(length=3), nullable=True),
        sa.Column("reasons", _json(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        _when("proposed_at"),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        _when("decided_at", nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_resolution_proposals_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        _user("proposed_by_id", "resolution_proposals"),
        _user("decided_by_id", "resolution_proposals"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolution_proposals")),
    )
    with op.batch_alter_table("resolution_proposals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_resolution_proposals_complaint", ["complaint_id", "id"], unique=False
        )
        batch_op.create_index(
            "ix_resolution_proposals_state", ["state", "proposed_at", "id"], unique=False
        )
        batch_op.create_index(
            "uq_resolution_proposals_pending",
            ["complaint_id"],
            unique=True,
            postgresql_where=sa.text(PENDING),
            sqlite_where=sa.text(PENDING),
        )

    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(
            "ix_complaints_open_counts",
            ["status", "sla_state", "assignee_id", "team"],
            unique=False,
            postgresql_where=sa.text(OPEN),
            sqlite_where=sa.text(OPEN),
        )


def downgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_open_counts")
    op.drop_table("resolution_proposals")
    op.drop_table("case_links")
    op.drop_table("reply_macros")
    op.drop_table("console_sessions")
    op.drop_table("console_sign_ins")
