"""The portal's forms: what each field accepts and what we say when it does not.

Checks mirror the customer API's limits (``complaints/schemas.py``) so a case filed here is
one the API would accept too. Errors are message ids (``N_``), translated on the page; the
values typed are kept as typed so that a re-shown form loses nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from complaintdesk.complaints.models import Category
from complaintdesk.complaints.schemas import BODY_MAX, SUBJECT_MAX
from complaintdesk.web.i18n import N_

NAME_MAX = 200
ACCOUNT_MAX = 64
COMMENT_MAX = 2000
BET_IDS_MAX = 50
FILES_MAX = 5
_PHONE = re.compile(r"^\+?[0-9 ()-]{5,30}$")
_BET_ID = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")
_SPLIT = re.compile(r"[\s,;]+")

REQUIRED = N_("Please fill this in.")
TOO_LONG = N_("Please keep this under %(limit)s characters.")


@dataclass
class Form:
    """Typed values (as strings, exactly as entered) and the errors found in them."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    # Values for a message's placeholders, per field ("limit" for TOO_LONG).
    params: dict[str, dict[str, object]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    def fail(self, name: str, message: str, **params: object) -> None:
        self.errors.setdefault(name, message)
        if params:
            self.params.setdefault(name, params)

    def text(self, name: str, *, limit: int, required: bool = True) -> str:
        value = self.values.get(name, "").strip()
        if required and not value:
            self.fail(name, REQUIRED)
        elif len(value) > limit:
            self.fail(name, TOO_LONG, limit=limit)
        return value


def _values(data: Mapping[str, str], names: tuple[str, ...]) -> dict[str, str]:
    return {n: data.get(n, "") if isinstance(data.get(n, ""), str) else "" for n in names}


COMPLAINT_FIELDS = (
    "category",
    "subject",
    "description",
    "name",
    "email",
    "phone",
    "account_id",
    "bet_ids",
    "consent",
    "jurisdiction",
)


@dataclass(frozen=True, slots=True)
class Contact:
    email: str
    name: str | None
    phone: str | None
    account_id: str | None


def _contact(form: Form, *, verified_account: str | None) -> Contact:
    name = form.text("name", limit=NAME_MAX, required=False)
    email = form.values.get("email", "").strip()
    if not email:
        form.fail("email", N_("Please give an e-mail address so that we can answer you."))
    else:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            form.fail(
                "email", N_("This does not look like an e-mail address, e.g. name@example.com.")
            )
    phone = form.values.get("phone", "").strip()
    if phone and not _PHONE.match(phone):
        form.fail("phone", N_("Please write the number with digits only, e.g. +44 20 7946 0018."))
    account = verified_account or form.text("account_id", limit=ACCOUNT_MAX, required=False)
    if form.values.get("consent") != "yes":
        form.fail(
            "consent",
            N_("We need your consent to handle the personal data in your complaint."),
        )
    return Contact(email=email, name=name or None, phone=phone or None, account_id=account or None)


@dataclass(frozen=True, slots=True)
class ComplaintInput:
    category: Category
    subject: str
    description: str
    contact: Contact
    bet_ids: list[str]


def complaint_form(
    data: Mapping[str, str], *, verified_account: str | None = None
) -> tuple[Form, ComplaintInput | None]:
    form = Form(_values(data, COMPLAINT_FIELDS))
    category_value = form.values["category"]
    if category_value not in Category.__members__:
        form.fail("category", N_("Please choose what your complaint is about."))
    subject = form.text("subject", limit=SUBJECT_MAX)
    description = form.text("description", limit=BODY_MAX)
    if description and len(description) < 10 and "description" not in form.errors:
        form.fail("description", N_("Please tell us a little more: what happened, and when?"))
    contact = _contact(form, verified_account=verified_account)
    bet_ids = [b for b in _SPLIT.split(form.values["bet_ids"].strip()) if b]
    if len(bet_ids) > BET_IDS_MAX:
        form.fail("bet_ids", N_("Please list at most %(limit)s numbers."), limit=BET_IDS_MAX)
    elif any(not _BET_ID.match(b) for b in bet_ids):
        form.fail(
            "bet_ids",
            N_("Numbers may hold letters, digits and . _ - : / only; separate them with commas."),
        )
    if not form.valid:
        return form, None
    return form, ComplaintInput(
        category=Category(category_value),
        subject=subject,
        description=description,
        contact=contact,
        bet_ids=list(dict.fromkeys(bet_ids)),
    )


def question_form(data: Mapping[str, str]) -> tuple[Form, str | None]:
    form = Form(_values(data, ("question",)))
    question = form.text("question", limit=BODY_MAX)
    if question and len(question) < 10 and not form.errors:
        form.fail("question", N_("Please tell us a little more, so that we can answer."))
    return form, question if form.valid else None


def message_form(data: Mapping[str, str], name: str = "body") -> tuple[Form, str | None]:
    form = Form(_values(data, (name,)))
    body = form.text(name, limit=BODY_MAX)
    return form, body if form.valid else None


def feedback_form(data: Mapping[str, str]) -> tuple[Form, tuple[int, str | None] | None]:
    form = Form(_values(data, ("score", "comment")))
    score = form.values["score"]
    if score not in {"1", "2", "3", "4", "5"}:
        form.fail("score", N_("Please choose a rating from 1 to 5."))
    comment = form.text("comment", limit=COMMENT_MAX, required=False)
    return form, (int(score), comment or None) if form.valid else None


def convert_form(
    data: Mapping[str, str], *, verified_account: str | None = None
) -> tuple[Form, tuple[Category | None, Contact] | None]:
    form = Form(_values(data, ("category", "name", "email", "phone", "account_id", "consent")))
    category_value = form.values["category"]
    if category_value and category_value not in Category.__members__:
        form.fail("category", N_("Please choose what your complaint is about."))
    contact = _contact(form, verified_account=verified_account)
    if not form.valid:
        return form, None
    return form, (Category(category_value) if category_value else None, contact)


def reference_form(data: Mapping[str, str]) -> Form:
    form = Form(_values(data, ("reference", "key")))
    form.text("reference", limit=40)
    form.text("key", limit=200)
    return form
