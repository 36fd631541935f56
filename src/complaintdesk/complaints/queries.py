"""Read models: the staff queue with filters, full-text search and keyset pagination.

Pages are cut by a cursor (the last row's sort key and id), never by OFFSET, so page 400
costs what page 1 costs. Each page is one query, whatever its size.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Row,
    Select,
    and_,
    bindparam,
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


def search_words(q: str) -> list[str]:
    words = _WORD.findall(q)
    if not words:
        raise InvalidRequest("the search has no words in it", code="invalid_query")
    return words


def search_condition(dialect: str) -> ColumnElement[bool]:
    """Cases whose subject, description or messages contain every word of the search
    (bound as ``search``, from :func:`search_terms`)."""
    if dialect == "postgresql":
        # search_vector is the document's English and Russian tsvector, stored and indexed
        # (GIN) by the migrations: no plan computes it again for every case it tests.
        return Complaint.id.in_(
            text(
                "SELECT complaint_id FROM complaint_search WHERE search_vector @@ "
                "(plainto_tsquery('english'::regconfig, :search) || "
                "plainto_tsquery('russian'::regconfig, :search))"
            ).columns(column("complaint_id", Integer))
        )
    return Complaint.id.in_(
        text("SELECT rowid FROM complaint_fts WHERE complaint_fts MATCH :search").columns(
            column("rowid", Integer)
        )
    )


def search_terms(dialect: str, words: Sequence[str]) -> str:
    if dialect == "postgresql":
        return " ".join(words)
    # FTS5: every word as a prefix, so "выплат" finds "выплата" and "выплаты".
    return " ".join(f'"{w}"*' for w in words[:16])


# The columns and the join of every queue page, to which ``_statement`` adds its filters.
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
    dialect = session.get_bind().dialect.name
    params: dict[str, Any] = {"page_rows": limit + 1}
    wanted = {Status(s) for s in filters.statuses}
    shape = _Shape(
        dialect=dialect,
        sort=sort,
        statuses=tuple(s.value for s in Status if s in wanted),
        **_bind_filters(filters, dialect, params),
    )
    if cursor:
        value, params["after_id"] = decode_cursor(cursor)
        if value is None:
            shape = replace(shape, after="null")
        else:
            shape, params["after_value"] = replace(shape, after="value"), value
    rows = session.execute(_statement(shape), params).all()
    items = [(row, row.username) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1][0]
        column, _ = _sort_columns(sort)
        next_cursor = encode_cursor(getattr(last, column.key), last.id)
    return Page(items=items, next_cursor=next_cursor)


@dataclass(frozen=True, slots=True)
class _Shape:
    """Which filters a page has, and not their values: the key of its statement."""

    dialect: str
    sort: str
    statuses: tuple[str, ...] = ()  # written into the SQL (see ``status_in``)
    categories: bool = False
    kind: bool = False
    team: bool = False
    teams: bool = False
    assignee_id: bool = False
    language: bool = False
    sla: bool = False
    assignee: str | None = None  # "none", or "name" for a username
    search: str | None = None  # "reference", or "words"
    after: str | None = None  # the cursor's sort value: "null" or "value"


def _bind_filters(f: CaseFilter, dialect: str, params: dict[str, Any]) -> dict[str, Any]:
    """Put the filters' values in ``params``; which filters there are, for ``_Shape``."""
    given = {
        "categories": list(f.categories),
        "kind": f.kind,
        "team": f.team,
        "teams": list(f.teams),
        "assignee_id": f.assignee_id,
        "language": f.language,
        "sla": f.sla,
    }
    shape: dict[str, Any] = {}
    for name, value in given.items():
        if value or (name == "assignee_id" and value is not None):
            params[name] = value
            shape[name] = True
    if f.assignee:
        if f.assignee == "none":
            shape["assignee"] = "none"
        else:
            shape["assignee"], params["assignee"] = "name", f.assignee.strip().lower()
    if f.q:
        reference = normalise_reference(f.q)
        if reference:
            shape["search"], params["reference"] = "reference", reference
        else:
            shape["search"] = "words"
            params["search"] = search_terms(dialect, search_words(f.q))
    return shape


@functools.lru_cache(maxsize=512)
def _statement(shape: _Shape) -> Select[*tuple[Any, ...]]:
    """The statement of every page of one shape, its values bound at execution: built and
    keyed once per process rather than once per page (which cost a page as much as its
    rows did)."""
    stmt = _QUEUE
    if shape.statuses:
        stmt = stmt.where(status_in(Status(s) for s in shape.statuses))
    for name, column_ in (
        ("kind", Complaint.kind),
        ("team", Complaint.team),
        ("assignee_id", Complaint.assignee_id),
        ("language", Complaint.language),
        ("sla", Complaint.sla_state),
    ):
        if getattr(shape, name):
            stmt = stmt.where(column_ == bindparam(name, type_=column_.type))
    for name, column_ in (("categories", Complaint.category), ("teams", Complaint.team)):
        if getattr(shape, name):
            stmt = stmt.where(column_.in_(bindparam(name, expanding=True, type_=column_.type)))
    if shape.assignee == "none":
        stmt = stmt.where(Complaint.assignee_id.is_(None))
    elif shape.assignee == "name":
        stmt = stmt.where(User.username == bindparam("assignee"))
    if shape.search == "reference":
        stmt = stmt.where(Complaint.reference == bindparam("reference"))
    elif shape.search == "words":
        stmt = stmt.where(search_condition(shape.dialect))
    column_, descending = _sort_columns(shape.sort)
    # due_at is null only for finished cases; when the filter admits only open ones the
    # NULL branch is dropped so the database walks the index range alone.
    nulls_possible = shape.sort == "due" and not (
        shape.statuses and {Status(s) for s in shape.statuses} <= OPEN_STATUSES
    )
    if shape.after:
        stmt = stmt.where(_after_cursor(column_, descending, shape.after, nulls_possible))
    order = column_.desc() if descending else column_.asc()
    if nulls_possible:
        order = order.nulls_last()
    return stmt.order_by(order, Complaint.id.asc()).limit(bindparam("page_rows", type_=Integer))


def _after_cursor(
    column_: Any, descending: bool, after: str, nulls_possible: bool
) -> ColumnElement[bool]:
    """Rows strictly after (after_value, after_id) in the order (column NULLS LAST, id)."""
    row_id = bindparam("after_id", type_=Integer)
    if after == "null":
        return and_(column_.is_(None), Complaint.id > row_id)
    value = bindparam("after_value", type_=column_.type)
    if descending:
        # (column DESC, id ASC) mixes directions, so no row-value comparison here.
        later = or_(column_ < value, and_(column_ == value, Complaint.id > row_id))
    else:
        later = tuple_(column_, Complaint.id) > tuple_(value, row_id)
    return or_(later, column_.is_(None)) if nulls_possible else later
