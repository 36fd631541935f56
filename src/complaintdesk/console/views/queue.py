"""The queues: the most urgent case on top, with the time left shown plainly.

``/console`` opens the queue a role starts its day with; ``/console/queue/{name}`` shows
one queue, narrowed by the filters and the search in its query string, a page at a time
(the cursor is in the "next page" link). Counts per queue head every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import Row as SqlRow
from sqlalchemy import select
from sqlalchemy.orm import Session

from complaintdesk.complaints import queries
from complaintdesk.complaints.errors import ComplaintError, InvalidRequest
from complaintdesk.complaints.models import Category, Kind, Status
from complaintdesk.console import queries as console_queries
from complaintdesk.console import wording
from complaintdesk.console.queries import Queue
from complaintdesk.console.views import handling
from complaintdesk.db import utcnow
from complaintdesk.decisions import services as decisions
from complaintdesk.routing.models import Team
from complaintdesk.staff.models import User
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.web.deps import Desk, desk
from complaintdesk.web.i18n import N_
from complaintdesk.web.templating import pages

router = APIRouter(include_in_schema=False)

FILTERS = ("status", "category", "team", "assignee", "language", "kind", "q")
BAD_CURSOR = N_("That page of the queue is out of date; here is its first page.")
NO_SUCH_QUEUE = N_("There is no such queue.")
NOT_FOUND_TITLE = N_("We could not find that page")
BAD_SEARCH = N_("The search needs at least one word or a case reference.")


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a queue, ready to show."""

    case: SqlRow[Any]  # the case's queries.QUEUE_COLUMNS
    assignee: str | None
    time_left: str
    urgency: str


@router.get("/console")
def console_home(actor: StaffActor = Depends(handling.staff)) -> Response:
    return handling.redirect(handling.home_queue(actor))


@router.get("/console/queue/{name}")
def queue_page(
    request: Request,
    name: str,
    cursor: str | None = None,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    translate = handling.translator(pages(request), request)
    if name not in Queue.__members__ or Queue(name) not in console_queries.queues_for(actor):
        return handling.problem_page(
            request, actor, 404, translate(NOT_FOUND_TITLE), translate(NO_SUCH_QUEUE)
        )
    queue = Queue(name)
    values = {k: request.query_params.get(k, "").strip() for k in FILTERS}
    refine, problem = _refine(values, translate)
    with d.db.read() as session:
        teams = console_queries.my_teams(session, actor)
        counts = console_queries.counts(session, actor, teams)
        rows: list[Row] = []
        waiting: list[decisions.Waiting] = []
        next_cursor = None
        status_code = 422 if problem else 200
        try:
            if queue is Queue.approvals:
                waiting = decisions.waiting(session, actor)
            elif problem is None:
                page = _page(session, actor, queue, teams=teams, refine=refine, cursor=cursor)
                if page is None:
                    problem = translate(BAD_CURSOR)
                    page = _page(
                        session, actor, queue, teams=teams, refine=refine, cursor=None
                    ) or queries.Page([], None)
                now = utcnow()
                rows = [_row(c, u, now, translate) for c, u in page.items]
                next_cursor = page.next_cursor
        except InvalidRequest:  # a search without words
            problem, status_code = translate(BAD_SEARCH), 422
        options = _options(session)
        return handling.render(
            request,
            actor,
            "console/queue.html",
            {
                "section": "queue",
                "queue": queue,
                "queues": console_queries.queues_for(actor),
                "counts": counts,
                "rows": rows,
                "waiting": waiting,
                "values": values,
                "filtered": any(values.values()),
                "next_url": _url(queue, values, next_cursor) if next_cursor else None,
                "first_url": _url(queue, values, None) if cursor else None,
                "problem": problem,
                "options": options,
                "teams": teams,
                "statuses": list(Status),
                "categories": list(Category),
                "kinds": list(Kind),
            },
            status_code=status_code,
        )


def _url(queue: Queue, values: dict[str, str], cursor: str | None) -> str:
    params = [(k, v) for k, v in values.items() if v]
    if cursor:
        params.append(("cursor", cursor))
    return f"{handling.PATH}/queue/{queue.value}" + ("?" + urlencode(params) if params else "")


def _page(
    session: Session,
    actor: StaffActor,
    queue: Queue,
    *,
    teams: list[str],
    refine: queries.CaseFilter,
    cursor: str | None,
) -> queries.Page | None:
    try:
        return console_queries.page(session, actor, queue, teams, refine, cursor=cursor)
    except ComplaintError as exc:
        if exc.code == "invalid_cursor":
            return None
        raise


def _refine(values: dict[str, str], translate: Any) -> tuple[queries.CaseFilter, str | None]:
    """The filters typed into the page; unknown choices are ignored (a stale bookmark
    should still open the queue), an over-long search is refused."""
    q = values["q"]
    if len(q) > 200:
        return queries.CaseFilter(), translate(BAD_SEARCH)
    return (
        queries.CaseFilter(
            statuses=[Status(values["status"])] if values["status"] in Status.__members__ else [],
            categories=(
                [Category(values["category"])] if values["category"] in Category.__members__ else []
            ),
            kind=Kind(values["kind"]) if values["kind"] in Kind.__members__ else None,
            team=values["team"][:64] or None,
            assignee=values["assignee"][:64] or None,
            language=values["language"] if values["language"] in ("en", "ru") else None,
            q=q or None,
        ),
        None,
    )


def _row(case: SqlRow[Any], assignee: str | None, now: Any, translate: Any) -> Row:
    paused = case.status is Status.awaiting_customer
    return Row(
        case=case,
        assignee=assignee,
        time_left=wording.time_left(case.due_at, now, translate, paused=paused),
        urgency=wording.urgency(case.due_at, now, paused=paused),
    )


@dataclass(frozen=True, slots=True)
class Options:
    """The choices of the filter form."""

    teams: list[tuple[str, str]]  # key, name
    people: list[tuple[str, str]]  # username, display name


def _options(session: Session) -> Options:
    teams = session.execute(select(Team.key, Team.name).order_by(Team.name)).all()
    people = session.execute(
        select(User.username, User.display_name)
        .where(User.active.is_(True))
        .order_by(User.display_name, User.username)
    ).all()
    return Options(teams=[(k, n) for k, n in teams], people=[(u, n or u) for u, n in people])
