"""Walking the queue by its cursors gives every case once, in the order of one long page,
for every sort and filter: over ties in the sort key, and from the open cases (with a due
date) into the finished ones (without), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from complaintdesk.complaints import queries, services
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.complaints.models import Category, Outcome, Status
from complaintdesk.complaints.states import OPEN_STATUSES
from complaintdesk.db import Database
from complaintdesk.staff import services as staff_services
from complaintdesk.staff.models import Role
from complaintdesk.staff.permissions import StaffActor

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
CATEGORIES = (Category.bet_settlement, Category.bonus_terms, Category.payout_refusal)


@pytest.fixture(scope="module")
def cases() -> list[tuple[int, Category]]:
    """When each case is filed (hours after T0: two pairs filed at the same moment) and its
    category; every third case is resolved, so it has no due date."""
    return [(hour, CATEGORIES[n % 3]) for n, hour in enumerate([0, 1, 1, 2, 3, 5, 5, 8, 9, 11])]


@pytest.fixture
def desk(db: Database, cases: list[tuple[int, Category]]) -> tuple[Database, StaffActor]:
    with db.transaction() as session:
        user = staff_services.create_user(
            session, username="lead", password="x" * 12, role=Role.lead
        )
        actor = StaffActor(id=user.id, username=user.username, role=user.role)
    for n, (hour, category) in enumerate(cases):
        with db.transaction() as session:
            filed = services.file_complaint(
                session,
                subject=f"Case {n}",
                description="The bet was settled as lost",
                customer=services.CustomerDetails(email=f"bettor{n}@example.com"),
                policy=DeadlinePolicy(),
                category=category,
                language="ru" if n % 2 else "en",
                now=T0 + dt.timedelta(hours=hour),
            )
            if n % 3 == 2:
                services.resolve(
                    session,
                    actor,
                    filed.case.reference,
                    outcome=Outcome.upheld,
                    summary="Resettled",
                    now=T0 + dt.timedelta(hours=hour + 1),
                )
    return db, actor


def walk(db: Database, actor: StaffActor, f: queries.CaseFilter, sort: str, size: int) -> list[str]:
    seen: list[str] = []
    cursor = None
    for _ in range(50):
        with db.read() as session:
            page = queries.list_cases(session, actor, f, sort=sort, limit=size, cursor=cursor)
        seen += [row.reference for row, _ in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("the cursors never ended")


FILTERS = {
    "all": queries.CaseFilter(),
    "open": queries.CaseFilter(statuses=tuple(OPEN_STATUSES)),
    "finished": queries.CaseFilter(statuses=(Status.resolved,)),
    "two categories": queries.CaseFilter(categories=CATEGORIES[:2]),
    "team and language": queries.CaseFilter(team="bet_settlement", language="en"),
    "unassigned": queries.CaseFilter(assignee="none"),
}


@pytest.mark.parametrize("sort", queries.SORTS)
def test_the_cursors_walk_every_case_once_in_order(
    desk: tuple[Database, StaffActor], sort: str
) -> None:
    db, actor = desk
    for name, f in FILTERS.items():
        whole = walk(db, actor, f, sort, queries.MAX_LIMIT)
        assert whole, name
        for size in (1, 2, 3):
            assert walk(db, actor, f, sort, size) == whole, (name, size)
    everything = walk(db, actor, FILTERS["all"], sort, 4)
    assert len(everything) == len(set(everything)) == 10
    finished = set(walk(db, actor, FILTERS["finished"], sort, 2))
    assert len(finished) == 3
    if sort == "due":  # the cases without a due date come last
        assert set(everything[-3:]) == finished


def test_the_order_of_each_sort(desk: tuple[Database, StaffActor]) -> None:
    db, actor = desk
    with db.read() as session:
        rows = {
            sort: [
                row
                for row, _ in queries.list_cases(
                    session, actor, queries.CaseFilter(), sort=sort, limit=50
                ).items
            ]
            for sort in queries.SORTS
        }
    created = [(r.created_at, r.id) for r in rows["created"]]
    assert created == sorted(created)
    newest = [(r.created_at, -r.id) for r in rows["-created"]]
    assert newest == sorted(newest, reverse=True)
    due = [r.due_at for r in rows["due"] if r.due_at is not None]
    assert due == sorted(due)
    assert [r.due_at for r in rows["due"]][len(due) :] == [None] * 3
