"""The case page and what staff do there: reply (with a template), note, ask the customer
for information, assign, change the category, merge, link, move, decide, approve.

Each form posts, calls one service and redirects back to the case with a notice (PRG). A
form the services refuse is shown again, with what was typed and the reason. What a role
may not do is refused by the services, whatever the page offered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from complaintdesk.betting.money import minor_units
from complaintdesk.checks import services as checks
from complaintdesk.complaints import services as complaints
from complaintdesk.complaints.errors import (
    ComplaintError,
    Forbidden,
    InvalidRequest,
    InvalidTransition,
    NotFound,
    VersionConflict,
)
from complaintdesk.complaints.models import Category, Outcome, Priority, Status
from complaintdesk.complaints.schemas import BODY_MAX
from complaintdesk.console import casepage
from complaintdesk.console.customers import Account, Accounts
from complaintdesk.console.views import handling
from complaintdesk.db import utcnow
from complaintdesk.decisions.errors import WordingToCheck
from complaintdesk.decisions.rules import ApprovalPolicy
from complaintdesk.links import services as links
from complaintdesk.platform.factory import platform_from_settings
from complaintdesk.routing import services as routing
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.web.deps import Desk, desk
from complaintdesk.web.i18n import N_
from complaintdesk.web.templating import pages

router = APIRouter(include_in_schema=False)

NOTICES = {
    "reply": N_("Your reply was sent to the customer."),
    "information": N_("Your question was sent; the case now waits for the customer."),
    "note": N_("Your internal note was added."),
    "assigned": N_("The case was assigned."),
    "triaged": N_("The category and priority were saved; the case was routed again."),
    "merged": N_("The case was merged; it is now closed and points to the surviving case."),
    "linked": N_("The cases were linked."),
    "moved": N_("The status was changed."),
    "resolved": N_("The final response was sent to the customer."),
    "proposed": N_(
        "The decision waits for a compliance officer's approval; the customer has "
        "not been told yet."
    ),
    "approved": N_("The decision was approved and the final response sent to the customer."),
    "rejected": N_("The decision was rejected and sent back to its proposer."),
    "rerun": N_("The check will run again shortly."),
}
PROBLEMS = {
    "version_conflict": N_(
        "Someone changed this case while you were working on it. "
        "Here it is as it is now: check it, then try again."
    ),
    "approval_pending": N_(
        "A decision on this case is waiting for approval; it can be "
        "approved or rejected, not decided again."
    ),
    "second_person_required": N_(
        "You proposed this decision: a second compliance officer has to approve or reject it."
    ),
    "no_pending_decision": N_("No decision on this case is waiting for approval."),
    "wording_refused": N_(
        "The reasons for the customer name how fraud is detected "
        "(%(words)s). Describe the decision by the terms it applies."
    ),
    "wording_check": N_(
        "The reasons for the customer mention %(words)s. Make sure they "
        "reveal nothing of how fraud or money laundering is detected, then "
        "tick the box and send again."
    ),
    "invalid_transition": N_("This cannot be done while the case is %(status)s."),
    "cannot_merge": N_("This case cannot be merged that way: %(detail)s"),
    "cannot_link": N_("A case cannot be linked to or merged into itself."),
    "not_found": N_("There is no case %(other)s."),
    "unknown_assignee": N_("There is no active staff member with that user name."),
    "unknown_team": N_("There is no team with that name."),
    "nothing_to_do": N_(
        "Nothing to change: choose something different from what the case has now."
    ),
    "note_required": N_("Say why the decision is rejected, so that its proposer can put it right."),
}
REQUIRED = N_("Please fill this in.")
TOO_LONG = N_("Please keep this under %(limit)s characters.")
BAD_AMOUNT = N_("Write an amount such as 25.50 and its currency, e.g. EUR.")
NO_SUCH_CASE = N_("There is no case with this reference, or it was mistyped.")
NOT_FOUND_TITLE = N_("We could not find that page")
FORBIDDEN_TITLE = N_("Not allowed")
FORBIDDEN_TEXT = N_(
    "Your role does not allow this. Ask a team lead or an administrator if you need it done."
)
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_AMOUNT = re.compile(r"^\d{1,12}([.,]\d{1,4})?$")

Act = Callable[[Session, StaffActor, Mapping[str, str]], "str | dict[str, str]"]


def accounts(request: Request, d: Desk) -> Accounts:
    """The platform reader of this app, built on first use."""
    found: Accounts | None = getattr(request.app.state, "console_accounts", None)
    if found is None:
        found = Accounts(platform_from_settings(d.settings, d.db))
        request.app.state.console_accounts = found
    return found


@router.get("/console/cases/{reference}")
def case_page(
    request: Request,
    reference: str,
    *,
    done: str | None = None,
    macro: int | None = None,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    translate = handling.translator(pages(request), request)
    notice = translate(NOTICES[done]) if done in NOTICES else None
    values: dict[str, dict[str, str]] = {}
    return _show(request, d, actor, reference, notice=notice, values=values, macro=macro)


def _show(
    request: Request,
    d: Desk,
    actor: StaffActor,
    reference: str,
    *,
    notice: str | None = None,
    problem: str | None = None,
    values: Mapping[str, Mapping[str, str]] | None = None,
    errors: Mapping[str, Mapping[str, str]] | None = None,
    macro: int | None = None,
    status_code: int = 200,
    wording_check: bool = False,
) -> Response:
    p = pages(request)
    translate = handling.translator(p, request)
    language = p.language(request)
    with d.db.read() as session:
        try:
            page = casepage.build(
                session, actor, reference, language=language, translate=translate, now=utcnow()
            )
        except NotFound:
            return handling.problem_page(
                request, actor, 404, translate(NOT_FOUND_TITLE), translate(NO_SUCH_CASE)
            )
        return _render(
            request,
            d,
            actor,
            page,
            notice=notice,
            problem=problem,
            values=values,
            errors=errors,
            macro=macro,
            status_code=status_code,
            wording_check=wording_check,
        )


def _render(
    request: Request,
    d: Desk,
    actor: StaffActor,
    page: casepage.CasePage,
    *,
    notice: str | None,
    problem: str | None,
    values: Mapping[str, Mapping[str, str]] | None,
    errors: Mapping[str, Mapping[str, str]] | None,
    macro: int | None,
    status_code: int,
    wording_check: bool,
) -> Response:
    p = pages(request)
    translate = handling.translator(p, request)
    filled = dict(values or {})
    chosen = None
    if macro is not None:
        text = casepage.macro_text(page, macro)
        if text is not None:
            chosen = macro
            filled["reply"] = {"body": text}
    account: Account | None = None
    if page.case.customer_account_id:
        account = accounts(request, d).get(page.case.customer_account_id)
    fmt = p.formatter(request)
    return handling.render(
        request,
        actor,
        "console/case.html",
        {
            "section": "case",
            "page": page,
            "case": page.case,
            "account": account,
            "notice": notice,
            "problem": problem,
            "values": filled,
            "errors": errors or {},
            "chosen_macro": chosen,
            "wording_check": wording_check,
            "reasons_text": lambda proposal: casepage.reasons_text(proposal, translate),
            "proposal_amount": lambda proposal: casepage.amount(proposal, fmt),
            "outcomes": list(Outcome),
            "categories": list(Category),
            "priorities": list(Priority),
            "path": handling.case_url(page.case.reference),
        },
        status_code=status_code,
    )


async def _act(
    request: Request,
    reference: str,
    d: Desk,
    actor: StaffActor,
    *,
    form_name: str,
    action: Act,
    anchor: str = "",
) -> Response:
    """Run one action on the case, then go back to it (or show the form again)."""
    values = await handling.form(request, d)
    p = pages(request)
    translate = handling.translator(p, request)

    def run() -> Response:
        problem: str | None = None
        status_code = 422
        errors: dict[str, str] = {}
        checked = False
        try:
            with d.db.transaction() as session:
                outcome = action(session, actor, values)
                if isinstance(outcome, str):
                    url = handling.case_url(reference, done=outcome)
                    return handling.redirect(url + (f"#{anchor}" if anchor else ""))
                errors = {k: translate(v) % {"limit": BODY_MAX} for k, v in outcome.items()}
        except Forbidden:
            return handling.problem_page(
                request, actor, 403, translate(FORBIDDEN_TITLE), translate(FORBIDDEN_TEXT)
            )
        except NotFound as exc:
            if exc.code == "not_found" and "no case" in exc.message and reference in exc.message:
                return handling.problem_page(
                    request, actor, 404, translate(NOT_FOUND_TITLE), translate(NO_SUCH_CASE)
                )
            problem, status_code = _problem(exc, translate, values), 404
        except (VersionConflict, StaleDataError):
            problem, status_code = translate(PROBLEMS["version_conflict"]), 409
        except WordingToCheck as exc:
            problem, checked = _problem(exc, translate, values), True
        except (InvalidTransition, InvalidRequest) as exc:
            problem = _problem(exc, translate, values)
            status_code = 409 if isinstance(exc, InvalidTransition) else 422
        return _show(
            request,
            d,
            actor,
            reference,
            problem=problem,
            values={form_name: values},
            errors={form_name: errors},
            status_code=status_code,
            wording_check=checked,
        )

    return await handling.threaded(run)


def _problem(
    exc: ComplaintError, translate: Callable[[str], str], values: Mapping[str, str]
) -> str:
    template = PROBLEMS.get(exc.code)
    if template is None:
        return exc.message
    words = getattr(exc, "words", [])
    status = re.search(r"that is ([a-z_]+)", exc.message)
    return translate(template) % {
        "words": ", ".join(f"“{w}”" for w in words),
        "status": status.group(1).replace("_", " ") if status else "",
        "detail": exc.message,
        "other": values.get("into") or values.get("other") or "",
    }


def _text(
    values: Mapping[str, str], name: str, errors: dict[str, str], limit: int = BODY_MAX
) -> str:
    text = values.get(name, "").strip()
    if not text:
        errors[name] = REQUIRED
    elif len(text) > limit:
        errors[name] = TOO_LONG
    return text


def _version(values: Mapping[str, str]) -> int | None:
    raw = values.get("version", "")
    return int(raw) if raw.isdigit() else None


# --- answer --------------------------------------------------------------------------


@router.post("/console/cases/{reference}/reply")
async def reply(
    request: Request,
    reference: str,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    def action(
        session: Session, who: StaffActor, values: Mapping[str, str]
    ) -> str | dict[str, str]:
        errors: dict[str, str] = {}
        body = _text(values, "body", errors)
        if errors:
            return errors
        if values.get("kind") == "information":
            complaints.request_information(
                session, who, reference, body, expected_version=_version(values)
            )
            return "information"
        complaints.reply(session, who, reference, body)
        return "reply"

    return await _act(
        request, reference, d, actor, form_name="reply", action=action, anchor="timeline"
    )


@router.post("/console/cases/{reference}/note")
async def note(
    request: Request,
    reference: str,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    def action(
        session: Session, who: StaffActor, values: Mapping[str, str]
    ) -> str | dict[str, str]:
        errors: dict[str, str] = {}
        body = _text(values, "body", errors)
        if errors:
            return errors
        complaints.add_note(session, who, reference, body)
        return "note"

    return await _act(
        request, reference, d, actor, form_name="note", action=action, anchor="timeline"
    )


# --- handle --------------------------------------------------------------------------


@router.post("/console/cases/{reference}/assign")
async def assign(
    request: Request,
    reference: str,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    def action(
        session: Session, who: StaffActor, values: Mapping[str, str]
    ) -> str | dict[str, str]:
        assignee = values.get("assignee", "").strip()
        team = values.get("team", "").strip()
        complaints.assign(
            session,
            who,
            reference,
            assignee=None
            if assignee in ("", "none")
            else who.username
            if assignee == "me"
            else assignee,
            unassign=assignee == "none",
            team=team or None,
            expected_version=_version(values),
        )
        return "assigned"

    return await _act(request, reference, d, actor, form_name="assign", action=action)


@router.post("/console/cases/{reference}/triage")
async def triage(
    request: Request,
    reference: str,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    def action(
        session: Session, who: StaffActor, values: Mapping[str, str]
    ) -> str | dict[str, str]:
        category = values.get("category", "")
        priority = values.get("priority", "")
        reason = values.get("reason", "").strip()[:2000] or None
        routing.triage(
            session,
            who,
            reference,
            category=Category(category) if category in Category.__members__ else None,
            priority=Priority(priority) if priority in Priority.__members__ else None,
            reason=reason,
            expected_version=_version(values),
        )
        return "triaged"

    return await _act(request, reference, d, actor, form_name="triage", action=action)


@router.post("/console/cases/{reference}/move")
async def move(
    request: Request,
    reference: str,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    def action(
        session: Session, who: StaffActor, values: Mapping[str, str]
    ) -> str | dict[str, str]:
        to = values.get("to", "")
        if to not in Status.__members__:
            return {"to": REQUIRED}
        complaints.transition(
            session,
            who,
            reference,
            to=Status(to),
            reason=values.get("reason", "").strip()[:2000] or None,
            expected_version=_version(values),
        )
        return "moved"

    return await _act(request, reference, d, actor, form_name="move", action=action)


@router.post("/console/cases/{reference}/merge")
async def merge(
    request: Request,
    reference: str,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    def action(
        session: Session, who: StaffActor, values: Mapping[str, str]
    ) -> str | dict[str, str]:
        into = values.get("into", "").strip()
        if not into:
            return {"into": REQUIRED}
        links.merge(session, who, reference, into)
        return "merged"

    return await _act(request, reference, d, actor, form_name="merge", action=action)


@router.post("/console/cases/{reference}/link")
async def link(
    request: Request,
    reference: str,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    def action(
        session: Session, who: StaffActor, values: Mapping[str, str]
    ) -> str | dict[str, str]:
        other = values.get("other", "").strip()
        if not other:
            return {"other": REQUIRED}
        links.link_related(session, who, reference, other)
        return "linked"

    return await _act(request, reference, d, actor, form_name="link", action=action)


@router.post("/console/cases/{reference}/checks/{check_id}/rerun")
async def rerun_check(
    request: Request,
    reference: str,
    check_id: int,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    def action(
        session: Session, who: StaffActor, values: Mapping[str, str]
    ) -> str | dict[str, str]:
        checks.rerun(session, who, reference, check_id)
        return "rerun"

    return await _act(
        request, reference, d, actor, form_name="check", action=action, anchor="evidence"
    )


# --- decide --------------------------------------------------------------------------


@router.post("/console/cases/{reference}/resolve")
async def resolve(
    request: Request,
    reference: str,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    def action(
        session: Session, who: StaffActor, values: Mapping[str, str]
    ) -> str | dict[str, str]:
        errors: dict[str, str] = {}
        outcome = values.get("outcome", "")
        if outcome not in Outcome.__members__:
            errors["outcome"] = REQUIRED
        summary = _text(values, "summary", errors)
        compensation = _compensation(values, errors)
        if errors:
            return errors
        decision = complaints.resolve(
            session,
            who,
            reference,
            outcome=Outcome(outcome),
            summary=summary,
            compensation=compensation,
            approval=ApprovalPolicy.from_settings(d.settings),
            wording_checked=values.get("wording_checked") == "yes",
            expected_version=_version(values),
        )
        return "proposed" if decision.pending else "resolved"

    return await _act(
        request, reference, d, actor, form_name="resolve", action=action, anchor="decision"
    )


def _compensation(values: Mapping[str, str], errors: dict[str, str]) -> tuple[Decimal, str] | None:
    raw = values.get("amount", "").strip().replace(" ", "")
    currency = values.get("currency", "").strip().upper()
    if not raw and not currency:
        return None
    if not _AMOUNT.match(raw) or not _CURRENCY.match(currency):
        errors["amount"] = BAD_AMOUNT
        return None
    try:
        amount = Decimal(raw.replace(",", "."))
        places = minor_units(currency)
    except (InvalidOperation, ValueError):
        errors["amount"] = BAD_AMOUNT
        return None
    if amount <= 0 or amount != round(amount, places):
        errors["amount"] = BAD_AMOUNT
        return None
    return amount, currency


@router.post("/console/cases/{reference}/approve")
async def approve(
    request: Request,
    reference: str,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    return await _decide(request, reference, d, actor, approve=True)


@router.post("/console/cases/{reference}/reject")
async def reject(
    request: Request,
    reference: str,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    return await _decide(request, reference, d, actor, approve=False)


async def _decide(
    request: Request, reference: str, d: Desk, actor: StaffActor, *, approve: bool
) -> Response:
    def action(
        session: Session, who: StaffActor, values: Mapping[str, str]
    ) -> str | dict[str, str]:
        raw = values.get("proposal", "")
        complaints.decide(
            session,
            who,
            reference,
            approve=approve,
            note=values.get("note", "").strip()[:2000] or None,
            proposal_id=int(raw) if raw.isdigit() else None,
        )
        return "approved" if approve else "rejected"

    return await _act(
        request, reference, d, actor, form_name="approval", action=action, anchor="decision"
    )


# --- documents -----------------------------------------------------------------------


@router.get("/console/cases/{reference}/documents/{attachment_id}")
def document(
    request: Request,
    reference: str,
    attachment_id: int,
    actor: StaffActor = Depends(handling.staff),
    d: Desk = Depends(desk),
) -> Response:
    translate = handling.translator(pages(request), request)
    with d.db.read() as session:
        try:
            case = complaints.get_case(session, actor, reference)
        except NotFound:
            case = None
        attachment = (
            next((a for a in case.attachments if a.id == attachment_id), None) if case else None
        )
        if attachment is None:
            return handling.problem_page(
                request, actor, 404, translate(NOT_FOUND_TITLE), translate(NO_SUCH_CASE)
            )
        # Always a download, never shown inline: a customer's file must not run as our page.
        return Response(
            d.storage.get(attachment.storage_key),
            media_type=attachment.content_type,
            headers={
                "Content-Disposition": "attachment; filename*=UTF-8''"
                + quote(attachment.filename, safe=""),
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
            },
        )
