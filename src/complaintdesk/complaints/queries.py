"""Read models: the staff queue with filters, full-text search and keyset pagination.

Pages are cut by a cursor (the last row's sort key and id), never by OFFSET, so page 400
costs what page 1 costs. Each page is one query, whatever its size.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Row,
    Select,
    and_,
    column,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.orm import Session

from complaintdesk.complaints.errors import InvalidRequest
from complaintdesk.complaints.models import Category, Complaint, Kind, Status, status_in
from complaintdesk.complaints.references import normalise_reference
from complaintdesk.complaints.states import OPEN_STATUSES
from complaintdesk.staff.models import User
from complaintdesk.staff.permissions import Action, StaffActor, require

SORTS = ("due", "created", "-created", "-updated")
MAX_LIMIT = 200


@dataclass(frozen=True, slots=True)
class CaseFilter:
    statuses: Sequence[Status] = ()
    categories: Sequence[Category] = ()
    kind: Kind | None = None
    team: str | None = None
    assignee: str | None = None  # a username, or "none" for unassigned
    assignee_id: int | None = None  # a staff member's id (the console's "mine")
    teams: Sequence[str] = ()  # any of these teams (the console's "my team's")
    language: str | None = None
    sla: str | None = None  # ok, at_risk or breached (as of the last SLA sweep)
    q: str | None = None


# What a queue row shows, and nothing else: loading whole cases (every column, each an
# object of the session) cost a page more than its query. A row answers to the same
# attribute names as a case (``row.reference``, ``row.due_at``).
QUEUE_COLUMNS = (
    Complaint.id,
    Complaint.reference,
    Complaint.kind,
    Complaint.status,
    Complaint.category,
    Complaint.priority,
    Complaint.team,
    Complaint.language,
    Complaint.jurisdiction,
    Complaint.subject,
    Complaint.customer_name,
    Complaint.created_at,
    Complaint.updated_at,
    Complaint.due_at,
    Complaint.acknowledgement_due_at,
    Complaint.first_response_due_at,
    Complaint.resolution_due_at,
    Complaint.regulatory_due_at,
    Complaint.sla_state,
    Complaint.version,
)


@dataclass(frozen=True, slots=True)
class Page:
    items: list[tuple[Row[Any], str | None]]  # QUEUE_COLUMNS of a case, its assignee
    next_cursor: str | None


_WORD = re.compile(r"\w+", re.UNICODE)


def _sort_columns(sort: str) -> tuple[Any, bool]:
    """The column a sort orders by and whether it is descending."""
    return {
        "due": (Complaint.due_at, False),
        "created": (Complaint.created_at, False),
        "-created": (Complaint.created_at, True),
        "-updated": (Complaint.updated_at, True),
    }[sort]


def encode_cursor(value: dt.datetime | None, row_id: int) -> str:
    raw = json.dumps([value.isoformat() if value else None, row_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime | None, int]:
    when: dt.datetime | None = None
    row_id: object = None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, row_id = json.loads(raw)
        when = dt.datetime.fromisoformat(value) if value is not None else None
    except (ValueError, TypeError):  # JSONDecodeError is a ValueError
        row_id = None
    if not isinstance(row_id, int) or (when is not None and when.tzinfo is None):
        raise InvalidRequest("the cursor is not one this server gave out", code="invalid_cursor")
    return when, row_id


def _after_cursor(
    column: Any, descending: bool, value: dt.datetime | None, row_id: int, nulls_possible: bool
) -> ColumnElement[bool]:
    """Rows strictly after (value, id) in the order (column NULLS LAST, id)."""
    if value is None:
        return and_(column.is_(None), Complaint.id > row_id)
    if descending:
        # (column DESC, id ASC) mixes directions, so no row-value comparison here.
        after = or_(column < value, and_(column == value, Complaint.id > row_id))
    else:
        after = tuple_(column, Complaint.id) > tuple_(value, row_id)
    return or_(after, column.is_(None)) if nulls_possible else after


def search_condition(session: Session, q: str) -> ColumnElement[bool]:
    """Cases whose subject, description or messages contain every word of ``q``."""
    words = _WORD.findall(q)
    if not words:
        raise InvalidRequest("the search has no words in it", code="invalid_query")
    if session.get_bind().dialect.name == "postgresql":
        # search_vector is the document's English and Russian tsvector, stored and indexed
        # (GIN) by the migrations: no plan computes it again for every case it tests.
        return Complaint.id.in_(
            text(
                "SELECT complaint_id FROM complaint_search WHERE search_vector @@ "
                "(plainto_tsquery('english'::regconfig, :q) || "
                "plainto_tsquery('russian'::regconfig, :q))"
            )
            .bindparams(q=" ".join(words))
            .columns(column("complaint_id", Integer))
        )
    # FTS5: every word as a prefix, so "выплат" finds "выплата" and "выплаты".
    match = " ".join(f'"{w}"*' for w in words[:16])
    return Complaint.id.in_(
        text("SELECT rowid FROM complaint_fts WHERE complaint_fts MATCH :m")
        .bindparams(m=match)
        .columns(column("rowid", Integer))
    )


# The columns and the join of every queue page, built once per process (building them
# costs more than adding the page's filters to them).
_QUEUE: Select[*tuple[Any, ...]] = select(*QUEUE_COLUMNS, User.username).outerjoin(
    User, User.id == Complaint.assignee_id
)


def list_cases(
    session: Session,
    actor: StaffActor,
    filters: CaseFilter,
    *,
    sort: str = "due",
    limit: int = 25,
    cursor: str | None = None,
) -> Page:
    require(actor, Action.view)
    if sort not in SORTS:
        raise InvalidRequest(f"sort must be one of {', '.join(SORTS)}", code="invalid_sort")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidRequest(f"limit must be between 1 and {MAX_LIMIT}", code="invalid_limit")
    column, descending = _sort_columns(sort)
    stmt = _apply_filters(session, _QUEUE, filters)
    # due_at is null only for finished cases; when the filter admits only open ones the
    # NULL branch is dropped so the database walks the index range alone.
    nulls_possible = sort == "due" and not (
        filters.statuses and set(filters.statuses) <= OPEN_STATUSES
    )
    if cursor:
        value, row_id = decode_cursor(cursor)
        stmt = stmt.where(_after_cursor(column, descending, value, row_id, nulls_possible))
    order = column.desc() if descending else column.asc()
    if nulls_possible:
        order = order.nulls_last()
    stmt = stmt.order_by(order, Complaint.id.asc()).limit(limit + 1)
    rows = session.execute(stmt).all()
    items = [(row, row.username) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1][0]
        next_cursor = encode_cursor(getattr(last, column.key), last.id)
    return Page(items=items, next_cursor=next_cursor)


def _apply_filters(
    session: Session, stmt: Select[*tuple[Any, ...]], f: CaseFilter
) -> Select[*tuple[Any, ...]]:
    if f.statuses:
        stmt = stmt.where(status_in(Status(s) for s in f.statuses))
    if f.categories:
        stmt = stmt.where(Complaint.category.in_(list(f.categories)))
    if f.kind:
        stmt = stmt.where(Complaint.kind == f.kind)
    if f.team:
        stmt = stmt.where(Complaint.team == f.team)
    if f.teams:
        stmt = stmt.where(Complaint.team.in_(list(f.teams)))
    if f.assignee_id is not None:
        stmt = stmt.where(Complaint.assignee_id == f.assignee_id)
    if f.language:
        stmt = stmt.where(Complaint.language == f.language)
    if f.sla:
        stmt = stmt.where(Complaint.sla_state == f.sla)
    if f.assignee:
        if f.assignee == "none":
            stmt = stmt.where(Complaint.assignee_id.is_(None))
        else:
            stmt = stmt.where(User.username == f.assignee.strip().lower())
    if f.q:
        reference = normalise_reference(f.q)
        if reference:
            stmt = stmt.where(Complaint.reference == reference)
        else:
            stmt = stmt.where(search_condition(session, f.q))
    return stmt
