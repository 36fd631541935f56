"""Queue and search at scale: an index of each team's open cases by deadline, and a stored
search vector on PostgreSQL.

A team's queue asks for its open cases (four statuses) by deadline. The index on
(team, status, due_at, id) answers it only by reading every open case of the team and
sorting them, which grows with the desk; this partial index holds the open cases alone in
queue order, so the first page and a page deep behind a cursor both read 26 entries.

A search lists its matches by deadline too. For a common word the fast plan walks all
cases by deadline and tests each until a page is full, which needs an index on
(due_at, id) to walk, and a test that does not compute both tsvectors of every document
it meets: on PostgreSQL the vector is now a stored generated column with its own GIN
index, computed once when the text is written. For a rare word the fast plan fetches the
few matches from the GIN index and sorts them; which of the two the planner takes rests
on its estimate of a word's frequency, so the vector's statistics keep ten times more
words than the default.

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-25 04:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "status IN ('received', 'in_progress', 'awaiting_customer', 'escalated')"
VECTOR = (
    "to_tsvector('english'::regconfig, document) || to_tsvector('russian'::regconfig, document)"
)


def upgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(
            "ix_complaints_open_team_queue",
            ["team", "due_at", "id"],
            unique=False,
            postgresql_where=sa.text(OPEN),
            sqlite_where=sa.text(OPEN),
        )
        batch_op.create_index("ix_complaints_due", ["due_at", "id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE complaint_search ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({VECTOR}) STORED"
        )
        op.execute(
            "CREATE INDEX ix_complaint_search_vector ON complaint_search USING gin (search_vector)"
        )
        op.execute("DROP INDEX IF EXISTS ix_complaint_search_tsv")
        op.execute("ALTER TABLE complaint_search ALTER COLUMN search_vector SET STATISTICS 1000")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE INDEX ix_complaint_search_tsv ON complaint_search USING gin (({VECTOR}))"
        )
        op.execute("DROP INDEX IF EXISTS ix_complaint_search_vector")
        op.execute("ALTER TABLE complaint_search DROP COLUMN search_vector")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_due")
        batch_op.drop_index("ix_complaints_open_team_queue")
