"""Reply templates: offered to every staff member, written and changed by leads and admins."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import case as sql_case
from sqlalchemy import select
from sqlalchemy.orm import Session

from complaintdesk.complaints.errors import InvalidRequest, NotFound
from complaintdesk.complaints.models import Category
from complaintdesk.complaints.schemas import BODY_MAX
from complaintdesk.db import utcnow
from complaintdesk.macros.models import ReplyMacro
from complaintdesk.macros.rendering import PLACEHOLDERS, unknown_placeholders
from complaintdesk.staff.permissions import Action, StaffActor, require

NAME_MAX = 120


def offered(session: Session, actor: StaffActor, category: Category | None) -> Sequence[ReplyMacro]:
    """The active templates, those of ``category`` first, then by name (one query)."""
    require(actor, Action.view)
    stmt = select(ReplyMacro).where(ReplyMacro.active.is_(True))
    if category is not None:
        stmt = stmt.order_by(sql_case((ReplyMacro.category == category.value, 0), else_=1))
    return session.scalars(stmt.order_by(ReplyMacro.name, ReplyMacro.id)).all()


def get(session: Session, actor: StaffActor, macro_id: int) -> ReplyMacro:
    require(actor, Action.view)
    macro = session.get(ReplyMacro, macro_id)
    if macro is None:
        raise NotFound(f"no reply template {macro_id}")
    return macro


def every(session: Session, actor: StaffActor) -> Sequence[ReplyMacro]:
    """Every template, inactive ones too, for the people who manage them."""
    require(actor, Action.manage_macros)
    return session.scalars(
        select(ReplyMacro).order_by(ReplyMacro.active.desc(), ReplyMacro.name, ReplyMacro.id)
    ).all()


def create(
    session: Session,
    actor: StaffActor,
    *,
    name: str,
    body_en: str,
    body_ru: str,
    category: Category | None = None,
) -> ReplyMacro:
    require(actor, Action.manage_macros)
    now = utcnow()
    macro = ReplyMacro(
        name=_name(name),
        category=category.value if category else None,
        body_en=_body(body_en, "English"),
        body_ru=_body(body_ru, "Russian"),
        active=True,
        created_by_id=actor.id,
        updated_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    session.add(macro)
    session.flush()
    return macro


def update(
    session: Session,
    actor: StaffActor,
    macro_id: int,
    *,
    name: str,
    body_en: str,
    body_ru: str,
    category: Category | None,
    active: bool,
) -> ReplyMacro:
    require(actor, Action.manage_macros)
    macro = session.get(ReplyMacro, macro_id)
    if macro is None:
        raise NotFound(f"no reply template {macro_id}")
    macro.name = _name(name)
    macro.body_en = _body(body_en, "English")
    macro.body_ru = _body(body_ru, "Russian")
    macro.category = category.value if category else None
    macro.active = active
    macro.updated_by_id = actor.id
    macro.updated_at = utcnow()
    session.flush()
    return macro


def body_for(macro: ReplyMacro, language: str) -> str:
    """The body in the customer's language (English for any other)."""
    return macro.body_ru if language == "ru" else macro.body_en


def _name(value: str) -> str:
    value = value.strip()
    if not value or len(value) > NAME_MAX:
        raise InvalidRequest(
            f"a template's name is 1 to {NAME_MAX} characters", code="invalid_name"
        )
    return value


def _body(value: str, language: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidRequest(f"write the {language} text of the template", code="body_required")
    if len(value) > BODY_MAX:
        raise InvalidRequest(
            f"the {language} text is longer than {BODY_MAX} characters", code="body_too_long"
        )
    unknown = unknown_placeholders(value)
    if unknown:
        raise InvalidRequest(
            f"the {language} text uses unknown placeholders: "
            + ", ".join("{" + p + "}" for p in unknown)
            + "; known ones are "
            + ", ".join("{" + p + "}" for p in PLACEHOLDERS),
            code="unknown_placeholder",
        )
    return value
