"""Initial schema: staff, cases, timeline, messages, documents, search.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 02:52:11.679141
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from complaintdesk.db import Money, UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "agent", "lead", "compliance", "admin", name="role", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("access_key_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("complaint", "consultation", name="kind", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "received",
                "in_progress",
                "awaiting_customer",
                "escalated",
                "resolved",
                "closed",
                "referred_to_adr",
                name="status",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "category",
            sa.Enum(
                "technical_fault",
                "bet_settlement",
                "bonus_terms",
                "deposit_withdrawal",
                "payout_refusal",
                "account_verification",
                "responsible_gambling",
                "other",
                name="category",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "priority",
            sa.Enum(
                "low", "normal", "high", "urgent", name="priority", native_enum=False, length=24
            ),
            nullable=False,
        ),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("jurisdiction", sa.String(length=8), nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("customer_email", sa.String(length=320), nullable=True),
        sa.Column("customer_name", sa.String(length=200), nullable=True),
        sa.Column("customer_phone", sa.String(length=40), nullable=True),
        sa.Column("customer_account_id", sa.String(length=64), nullable=True),
        sa.Column(
            "bet_ids",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "evidence",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("team", sa.String(length=64), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
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
            nullable=True,
        ),
        sa.Column("resolution_summary", sa.Text(), nullable=True),
        sa.Column("compensation_amount", Money(), nullable=True),
        sa.Column("compensation_currency", sa.String(length=3), nullable=True),
        sa.Column("feedback_score", sa.Integer(), nullable=True),
        sa.Column("feedback_comment", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("acknowledgement_due_at", UTCDateTime(), nullable=True),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.Column("first_response_due_at", UTCDateTime(), nullable=True),
        sa.Column("first_responded_at", UTCDateTime(), nullable=True),
        sa.Column("resolution_due_at", UTCDateTime(), nullable=True),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("regulatory_due_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["users.id"],
            name=op.f("fk_complaints_assignee_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("reference", name=op.f("uq_complaints_reference")),
    )
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(
            "ix_complaints_assignee_queue", ["assignee_id", "status", "due_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_complaints_category_queue", ["category", "status", "due_at", "id"], unique=False
        )
        batch_op.create_index("ix_complaints_created", ["created_at", "id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_complaints_customer_account_id"), ["customer_account_id"], unique=False
        )
        batch_op.create_index("ix_complaints_customer_email", ["customer_email"], unique=False)
        batch_op.create_index("ix_complaints_queue", ["status", "due_at", "id"], unique=False)
        batch_op.create_index(
            "ix_complaints_team_queue", ["team", "status", "due_at", "id"], unique=False
        )

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column(
            "uploaded_by",
            sa.Enum("customer", "staff", "system", name="actor", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_attachments_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index("ix_attachments_complaint", ["complaint_id", "id"], unique=False)

    op.create_table(
        "complaint_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column(
            "actor",
            sa.Enum("customer", "staff", "system", name="actor", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_events_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_complaint_events_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_events")),
    )
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.create_index("ix_complaint_events_complaint", ["complaint_id", "id"], unique=False)

    op.create_table(
        "complaint_search",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_complaint_search_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("complaint_id", name=op.f("pk_complaint_search")),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column(
            "author",
            sa.Enum("customer", "staff", "system", name="actor", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_messages_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_messages_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_messages_complaint", ["complaint_id", "id"], unique=False)
    _search_index()
    _append_only_timeline()


def downgrade() -> None:
    _drop_raw()
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_complaint")

    op.drop_table("messages")
    op.drop_table("complaint_search")
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_events_complaint")

    op.drop_table("complaint_events")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index("ix_attachments_complaint")

    op.drop_table("attachments")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_team_queue")
        batch_op.drop_index("ix_complaints_queue")
        batch_op.drop_index("ix_complaints_customer_email")
        batch_op.drop_index(batch_op.f("ix_complaints_customer_account_id"))
        batch_op.drop_index("ix_complaints_created")
        batch_op.drop_index("ix_complaints_category_queue")
        batch_op.drop_index("ix_complaints_assignee_queue")

    op.drop_table("complaints")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("users")


def _search_index() -> None:
    """Full-text search over complaint_search.document, per database.

    SQLite: an FTS5 table over the document (external content, kept in step by triggers),
    tokenised with unicode61 so Cyrillic and Latin words are both split and case-folded.
    PostgreSQL: a GIN index on the English and the Russian tsvector of the document; the
    query in complaints/queries.py repeats the same expression so the index serves it.
    """
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE complaint_fts USING fts5("
            "document, content='complaint_search', content_rowid='complaint_id', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER complaint_search_ai AFTER INSERT ON complaint_search BEGIN "
            "INSERT INTO complaint_fts(rowid, document) VALUES (new.complaint_id, new.document); END"
        )
        op.execute(
            "CREATE TRIGGER complaint_search_ad AFTER DELETE ON complaint_search BEGIN "
            "INSERT INTO complaint_fts(complaint_fts, rowid, document) "
            "VALUES ('delete', old.complaint_id, old.document); END"
        )
        op.execute(
            "CREATE TRIGGER complaint_search_au AFTER UPDATE ON complaint_search BEGIN "
            "INSERT INTO complaint_fts(complaint_fts, rowid, document) "
            "VALUES ('delete', old.complaint_id, old.document); "
            "INSERT INTO complaint_fts(rowid, document) VALUES (new.complaint_id, new.document); END"
        )
    else:
        op.execute(
            "CREATE INDEX ix_complaint_search_tsv ON complaint_search USING gin "
            "((to_tsvector('english'::regconfig, document) || "
            "to_tsvector('russian'::regconfig, document)))"
        )


def _append_only_timeline() -> None:
    """The timeline is the audit trail: the database itself refuses to change it."""
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER complaint_events_no_{verb.lower()} BEFORE {verb} ON "
                "complaint_events BEGIN SELECT RAISE(ABORT, 'the timeline is append-only'); END"
            )
    else:
        op.execute(
            "CREATE FUNCTION complaint_events_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'the timeline is append-only'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER complaint_events_append_only BEFORE UPDATE OR DELETE ON "
            "complaint_events FOR EACH ROW EXECUTE FUNCTION complaint_events_append_only()"
        )


def _drop_raw() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS complaint_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS complaint_events_no_delete")
        op.execute("DROP TABLE IF EXISTS complaint_fts")
    else:
        op.execute("DROP TRIGGER IF EXISTS complaint_events_append_only ON complaint_events")
        op.execute("DROP FUNCTION IF EXISTS complaint_events_append_only()")
        op.execute("DROP INDEX IF EXISTS ix_complaint_search_tsv")
