"""Administering the desk from the console: teams, their members and availability, routing
rules and SLA policies (leads and admins), reply templates (leads and admins), users and
their roles (admins).

Every page and every change goes through the same services as the administration API,
which check the role; forms are read into the API's own schemas, so the console accepts
exactly what the API accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from complaintdesk.complaints.errors import ComplaintError, Forbidden, NotFound
from complaintdesk.complaints.models import Category, Priority
from complaintdesk.console import queries as console_queries
from complaintdesk.console.views import handling
from complaintdesk.macros import services as macros
from complaintdesk.macros.rendering import PLACEHOLDERS
from complaintdesk.routing import admin as routing
from complaintdesk.routing.models import Strategy
from complaintdesk.routing.schemas import MemberIn, RuleIn, TeamIn
from complaintdesk.sla import admin as sla
from complaintdesk.sla.models import Clock
from complaintdesk.sla.schemas import PolicyIn
from complaintdesk.staff import services as staff
from complaintdesk.staff.models import Role
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.staff.schemas import UserIn
from complaintdesk.web.deps import Desk, desk
from complaintdesk.web.i18n import N_
from complaintdesk.web.templating import pages

router = APIRouter(include_in_schema=False)

A = "/console/admin"
SAVED = N_("Saved.")
FORBIDDEN_TITLE = N_("Not allowed")
FORBIDDEN_TEXT = N_(
    "Your role does not allow this. Ask a team lead or an administrator if you need it done."
)
NOT_FOUND_TITLE = N_("We could not find that page")
NOT_FOUND_TEXT = N_("It may have been deleted a moment ago.")
INVALID = N_("Please check the form: %(detail)s")

Change = Callable[[Session, StaffActor, Mapping[str, str], Mapping[str, list[str]]], None]
Load = Callable[[Session, StaffActor], dict[str, Any]]


def _page(
    request: Request,
    d: Desk,
    actor: StaffActor,
    template: str,
    load: Load,
    *,
    notice: str | None = None,
    problem: str | None = None,
    values: Mapping[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    translate = handling.translator(pages(request), request)
    with d.db.read() as session:
        try:
            context = load(session, actor)
        except Forbidden:
            return handling.problem_page(
                request, actor, 403, translate(FORBIDDEN_TITLE), translate(FORBIDDEN_TEXT)
            )
        return handling.render(
            request,
            actor,
            template,
            {
                "section": "admin",
                "notice": notice,
                "problem": problem,
                "values": values or {},
                **context,
            },
            status_code=status_code,
        )


async def _change(
    request: Request,
    d: Desk,
    actor: StaffActor,
    *,
    back: str,
    template: str,
    load: Load,
    change: Change,
) -> Response:
    values, lists = await handling.form_lists(request, d)
    translate = handling.translator(pages(request), request)

    def run() -> Response:
        try:
            with d.db.transaction() as session:
                change(session, actor, values, lists)
            return handling.redirect(f"{back}?done=saved")
        except Forbidden:
            return handling.problem_page(
                request, actor, 403, translate(FORBIDDEN_TITLE), translate(FORBIDDEN_TEXT)
            )
        except NotFound:
            return handling.problem_page(
                request, actor, 404, translate(NOT_FOUND_TITLE), translate(NOT_FOUND_TEXT)
            )
        except Invalid as exc:
            problem = translate(INVALID) % {"detail": exc.detail}
        except ComplaintError as exc:
            problem = translate(INVALID) % {"detail": exc.message}
        return _page(
            request, d, actor, template, load, problem=problem, values=values, status_code=422
        )

    return await handling.threaded(run)


class Invalid(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


M = TypeVar("M", bound=BaseModel)


def _parse(schema: type[M], data: Mapping[str, Any]) -> M:
    """The form read into the API's schema: the same limits as the API."""
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise Invalid(f"{where}: {first.get('msg', '')}") from None


def _done(request: Request) -> str | None:
    if request.query_params.get("done") == "saved":
        return handling.translator(pages(request), request)(SAVED)
    return None


def _hours(value: str) -> int | None:
    """Hours typed in a form as minutes for the services (None: left empty)."""
    value = value.strip().replace(",", ".")
    if not value:
        return None
    try:
        hours = float(value)
    except ValueError:
        raise Invalid(f"{value!r} is not a number of hours") from None
    if not 0 < hours <= 366 * 24:
        raise Invalid("a target is more than 0 and at most a year of hours")
    return round(hours * 60)


# --- teams and members -------------------------------------------------------------------


def _teams(session: Session, actor: StaffActor) -> dict[str, Any]:
    return {
        "teams": console_queries.administered_teams(session, actor),
        "people": [u for u in staff.list_users(session) if u.active],
        "strategies": list(Strategy),
    }


@router.get(f"{A}/teams")
def teams_page(
    request: Request, actor: StaffActor = Depends(handling.staff), d: Desk = Depends(desk)
) -> Response:
    return _page(request, d, actor, "console/admin_teams.html", _teams, notice=_done(request))


@router.post(f"{A}/teams")
async def add_team(
    request: Request, actor: StaffActor = Depends(handling.staff), d: Desk = Depends(desk)
) -> Response:
    def change(s: Session, who: StaffActor, v: Mapping[str, str], _: Any) -> None:
        body = _parse(
            TeamIn,
            {
                "key": v.get("key", "").strip(),
                "name": v.get("name", ""),
                "name_ru": v.get("name_ru", ""),
                "lead": v.get("lead") or None,
                "strategy": v.get("strategy") or Strategy.least_loaded.value,
            },
        )
        routing.create_team(
            s,
            who,
            key=body.key,
            name=body.name,
            name_ru=body.name_ru,
            lead=body.lead,
            strategy=body.strategy,
        )

    return await _change(
        request,
        d,
        actor,
        back=f"{A}/teams",
        template="console/admin_teams.html",
        load=_teams,
        change=change,
    )


@router.post(f"{A}/teams/{{key}}")
async def edit_team(
    request: Request,
    key: str,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    def change(s: Session, who: StaffActor, v: Mapping[str, str], _: Any) -> None:
        strategy = v.get("strategy", "")
        if strategy not in Strategy.__members__:
            raise Invalid(f"strategy: {strategy!r} is not a strategy")
        name = v.get("name", "").strip()
        if not name or len(name) > 200:
            raise Invalid("name: 1 to 200 characters")
        changes: dict[str, Any] = {
            "name": name,
            "name_ru": v.get("name_ru", "").strip()[:200],
            "strategy": strategy,
            "lead": v.get("lead") or None,
        }
        if v.get("is_default") == "yes":
            changes["is_default"] = True
        routing.update_team(s, who, key, changes)

    return await _change(
        request,
        d,
        actor,
        back=f"{A}/teams",
        template="console/admin_teams.html",
        load=_teams,
        change=change,
    )


@router.post(f"{A}/teams/{{key}}/members")
async def set_member(
    request: Request,
    key: str,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    def change(s: Session, who: StaffActor, v: Mapping[str, str], _: Any) -> None:
        username = v.get("username", "").strip()
        if not username:
            raise Invalid("username: choose a staff member")
        if v.get("remove") == "yes":
            routing.remove_member(s, who, key, username)
            return
        capacity = v.get("capacity", "").strip()
        body = _parse(
            MemberIn,
            {
                "available": v.get("available", "yes") == "yes",
                "capacity": int(capacity) if capacity.isdigit() else None,
            },
        )
        routing.set_member(s, who, key, username, body.model_dump())

    return await _change(
        request,
        d,
        actor,
        back=f"{A}/teams",
        template="console/admin_teams.html",
        load=_teams,
        change=change,
    )


# --- routing rules -------------------------------------------------------------------


def _rules(session: Session, actor: StaffActor) -> dict[str, Any]:
    return {
        "rules": console_queries.administered_rules(session, actor),
        "teams": [v.team for v in routing.list_teams(session, actor)],
        "categories": list(Category),
        "priorities": list(Priority),
    }


@router.get(f"{A}/rules")
def rules_page(
    request: Request, actor: StaffActor = Depends(handling.staff), d: Desk = Depends(desk)
) -> Response:
    return _page(request, d, actor, "console/admin_rules.html", _rules, notice=_done(request))


@router.post(f"{A}/rules")
async def add_rule(
    request: Request, actor: StaffActor = Depends(handling.staff), d: Desk = Depends(desk)
) -> Response:
    def change(
        s: Session, who: StaffActor, v: Mapping[str, str], lists: Mapping[str, list[str]]
    ) -> None:
        position = v.get("position", "").strip()
        body = _parse(
            RuleIn,
            {
                "name": v.get("name", ""),
                "team": v.get("team", ""),
                "categories": lists.get("categories", []),
                "languages": lists.get("languages", []),
                "jurisdictions": [
                    j.strip().upper() for j in v.get("jurisdictions", "").split(",") if j.strip()
                ],
                "set_priority": v.get("set_priority") or None,
                **({"position": int(position)} if position.isdigit() else {}),
            },
        )
        routing.create_rule(s, who, body.model_dump())

    return await _change(
        request,
        d,
        actor,
        back=f"{A}/rules",
        template="console/admin_rules.html",
        load=_rules,
        change=change,
    )


@router.post(f"{A}/rules/{{rule_id}}")
async def edit_rule(
    request: Request,
    rule_id: int,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    def change(s: Session, who: StaffActor, v: Mapping[str, str], _: Any) -> None:
        if v.get("delete") == "yes":
            routing.delete_rule(s, who, rule_id)
            return
        routing.update_rule(s, who, rule_id, {"active": v.get("active") == "yes"})

    return await _change(
        request,
        d,
        actor,
        back=f"{A}/rules",
        template="console/admin_rules.html",
        load=_rules,
        change=change,
    )


# --- SLA policies --------------------------------------------------------------------


def _policies(session: Session, actor: StaffActor) -> dict[str, Any]:
    return {
        "policies": console_queries.administered_policies(session, actor),
        "categories": list(Category),
        "priorities": list(Priority),
        "clocks": [c.value for c in Clock],
    }


@router.get(f"{A}/policies")
def policies_page(
    request: Request, actor: StaffActor = Depends(handling.staff), d: Desk = Depends(desk)
) -> Response:
    return _page(request, d, actor, "console/admin_policies.html", _policies, notice=_done(request))


@router.post(f"{A}/policies")
async def add_policy(
    request: Request, actor: StaffActor = Depends(handling.staff), d: Desk = Depends(desk)
) -> Response:
    def change(
        s: Session, who: StaffActor, v: Mapping[str, str], lists: Mapping[str, list[str]]
    ) -> None:
        body = _parse(
            PolicyIn,
            {
                "key": v.get("key", "").strip(),
                "name": v.get("name", ""),
                "categories": lists.get("categories", []),
                "priorities": lists.get("priorities", []),
                "first_response_minutes": _hours(v.get("first_response_hours", "")),
                "resolution_minutes": _hours(v.get("resolution_hours", "")),
                "pause_clocks": lists.get("pause_clocks", []),
            },
        )
        sla.create_policy(s, who, body.model_dump())

    return await _change(
        request,
        d,
        actor,
        back=f"{A}/policies",
        template="console/admin_policies.html",
        load=_policies,
        change=change,
    )


@router.post(f"{A}/policies/{{key}}")
async def edit_policy(
    request: Request,
    key: str,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    def change(
        s: Session, who: StaffActor, v: Mapping[str, str], lists: Mapping[str, list[str]]
    ) -> None:
        first = _hours(v.get("first_response_hours", ""))
        resolution = _hours(v.get("resolution_hours", ""))
        percent = v.get("at_risk_percent", "").strip()
        if first is None or resolution is None:
            raise Invalid("both targets are needed")
        if not percent.isdigit() or not 1 <= int(percent) <= 99:
            raise Invalid("at risk: a share of 1 to 99 percent")
        clocks = [c for c in lists.get("pause_clocks", []) if c in Clock.__members__]
        sla.update_policy(
            s,
            who,
            key,
            {
                "first_response_minutes": first,
                "resolution_minutes": resolution,
                "at_risk_percent": int(percent),
                "pause_clocks": clocks,
            },
        )

    return await _change(
        request,
        d,
        actor,
        back=f"{A}/policies",
        template="console/admin_policies.html",
        load=_policies,
        change=change,
    )


# --- reply templates -----------------------------------------------------------------


def _templates(session: Session, actor: StaffActor) -> dict[str, Any]:
    return {
        "macros": macros.every(session, actor),
        "categories": list(Category),
        "placeholders": PLACEHOLDERS,
    }


@router.get(f"{A}/templates")
def templates_page(
    request: Request, actor: StaffActor = Depends(handling.staff), d: Desk = Depends(desk)
) -> Response:
    return _page(
        request, d, actor, "console/admin_templates.html", _templates, notice=_done(request)
    )


def _macro_fields(v: Mapping[str, str]) -> dict[str, Any]:
    category = v.get("category", "")
    return {
        "name": v.get("name", ""),
        "body_en": v.get("body_en", ""),
        "body_ru": v.get("body_ru", ""),
        "category": Category(category) if category in Category.__members__ else None,
    }


@router.post(f"{A}/templates")
async def add_template(
    request: Request, actor: StaffActor = Depends(handling.staff), d: Desk = Depends(desk)
) -> Response:
    def change(s: Session, who: StaffActor, v: Mapping[str, str], _: Any) -> None:
        macros.create(s, who, **_macro_fields(v))

    return await _change(
        request,
        d,
        actor,
        back=f"{A}/templates",
        template="console/admin_templates.html",
        load=_templates,
        change=change,
    )


@router.post(f"{A}/templates/{{macro_id}}")
async def edit_template(
    request: Request,
    macro_id: int,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    def change(s: Session, who: StaffActor, v: Mapping[str, str], _: Any) -> None:
        macros.update(s, who, macro_id, **_macro_fields(v), active=v.get("active") == "yes")

    return await _change(
        request,
        d,
        actor,
        back=f"{A}/templates",
        template="console/admin_templates.html",
        load=_templates,
        change=change,
    )


# --- users and roles -----------------------------------------------------------------


def _users(session: Session, actor: StaffActor) -> dict[str, Any]:
    return {"users": staff.list_users(session, by=actor), "roles": list(Role)}


@router.get(f"{A}/users")
def users_page(
    request: Request, actor: StaffActor = Depends(handling.staff), d: Desk = Depends(desk)
) -> Response:
    return _page(request, d, actor, "console/admin_users.html", _users, notice=_done(request))


@router.post(f"{A}/users")
async def add_user(
    request: Request, actor: StaffActor = Depends(handling.staff), d: Desk = Depends(desk)
) -> Response:
    def change(s: Session, who: StaffActor, v: Mapping[str, str], _: Any) -> None:
        body = _parse(
            UserIn,
            {
                "username": v.get("username", "").strip(),
                "password": v.get("password", ""),
                "role": v.get("role", ""),
                "display_name": v.get("display_name", "").strip(),
                "email": v.get("email", "").strip() or None,
                "language": v.get("language") or "en",
            },
        )
        staff.create_user(s, by=who, **body.model_dump())

    return await _change(
        request,
        d,
        actor,
        back=f"{A}/users",
        template="console/admin_users.html",
        load=_users,
        change=change,
    )


@router.post(f"{A}/users/{{username}}")
async def edit_user(
    request: Request,
    username: str,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    def change(s: Session, who: StaffActor, v: Mapping[str, str], _: Any) -> None:
        match v.get("do"):
            case "role":
                role = v.get("role", "")
                if role not in Role.__members__:
                    raise Invalid(f"role: {role!r} is not a role")
                staff.set_role(s, username, Role(role), by=who)
            case "disable":
                staff.disable_user(s, username, by=who)
            case "enable":
                staff.enable_user(s, username, by=who)
            case _:
                raise Invalid("nothing to do")

    return await _change(
        request,
        d,
        actor,
        back=f"{A}/users",
        template="console/admin_users.html",
        load=_users,
        change=change,
    )
