"""Automatic checks on a case, and the demo operator's platform records.

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-25 04:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from complaintdesk.db import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "case_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "settlement", "wagering", "payment", name="checkkind", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column(
            "source",
            sa.Enum("platform", "evidence", name="checksource", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("subject", sa.String(length=128), nullable=True),
        sa.Column("evidence_index", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "done",
                "not_found",
                "unavailable",
                "invalid",
                name="checkstate",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("result", _json(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("completed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_case_checks_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_checks")),
    )
    with op.batch_alter_table("case_checks", schema=None) as batch_op:
        batch_op.create_index("ix_case_checks_complaint", ["complaint_id", "id"], unique=False)
        batch_op.create_index("ix_case_checks_due", ["state", "next_attempt_at"], unique=False)

    op.create_table(
        "demo_customers",
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("jurisdiction", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("record", _json(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_demo_customers")),
    )
    op.create_table(
        "demo_bets",
        sa.Column("bet_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("placed_at", UTCDateTime(), nullable=False),
        sa.Column("record", _json(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["demo_customers.account_id"],
            name=op.f("fk_demo_bets_account_id_demo_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("bet_id", name=op.f("pk_demo_bets")),
    )
    with op.batch_alter_table("demo_bets", schema=None) as batch_op:
        batch_op.create_index("ix_demo_bets_account", ["account_id", "placed_at"], unique=False)

    op.create_table(
        "demo_transactions",
        sa.Column("transaction_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("record", _json(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["demo_customers.account_id"],
            name=op.f("fk_demo_transactions_account_id_demo_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("transaction_id", name=op.f("pk_demo_transactions")),
    )
    with op.batch_alter_table("demo_transactions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_demo_transactions_account", ["account_id", "created_at"], unique=False
        )

    op.create_table(
        "demo_bonuses",
        sa.Column("bonus_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("record", _json(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["demo_customers.account_id"],
            name=op.f("fk_demo_bonuses_account_id_demo_customers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("bonus_id", name=op.f("pk_demo_bonuses")),
    )
    with op.batch_alter_table("demo_bonuses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_demo_bonuses_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "demo_loads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
        sa.Column("summary", _json(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demo_loads")),
    )


def downgrade() -> None:
    op.drop_table("demo_loads")
    with op.batch_alter_table("demo_bonuses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demo_bonuses_account_id"))
    op.drop_table("demo_bonuses")
    with op.batch_alter_table("demo_transactions", schema=None) as batch_op:
        batch_op.drop_index("ix_demo_transactions_account")
    op.drop_table("demo_transactions")
    with op.batch_alter_table("demo_bets", schema=None) as batch_op:
        batch_op.drop_index("ix_demo_bets_account")
    op.drop_table("demo_bets")
    op.drop_table("demo_customers")
    with op.batch_alter_table("case_checks", schema=None) as batch_op:
        batch_op.drop_index("ix_case_checks_due")
        batch_op.drop_index("ix_case_checks_complaint")
    op.drop_table("case_checks")
