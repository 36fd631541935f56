"""How every portal route reads a request and answers: the form and its CSRF token, the
chosen files checked as the core will check them, translated errors, redirects (PRG) and
the "case not found" page that every failure to open a case shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from complaintdesk.complaints import services
from complaintdesk.complaints.documents import check_size, sniff_content_type
from complaintdesk.complaints.errors import (
    InvalidRequest,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from complaintdesk.complaints.models import Complaint
from complaintdesk.portal import access, forms, wording
from complaintdesk.web import csrf
from complaintdesk.web.deps import Desk
from complaintdesk.web.i18n import N_, catalogs
from complaintdesk.web.templating import Pages

FILE_TOO_LARGE = N_("“%(name)s” is larger than %(limit)s. Please send a smaller file.")
FILE_TYPE = N_(
    "“%(name)s” is not a kind of file we accept: please send PDF, PNG, JPEG, WebP or text."
)
FILE_EMPTY = N_("“%(name)s” is empty.")
FILES_TOO_MANY = N_("Please attach at most %(limit)s files at a time.")


@dataclass
class Posted:
    data: dict[str, str]
    files: list[UploadFile]


async def posted(request: Request, d: Desk) -> Posted:
    form = await request.form()
    data = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    csrf.verify(request, d.settings, data.get(csrf.FIELD))
    files = [
        f
        for f in form.getlist("files")
        if isinstance(f, UploadFile) and (f.filename or (f.size or 0) > 0)
    ]
    return Posted(data, files)


def translator(p: Pages, request: Request) -> Callable[[str], str]:
    language = p.language(request)
    return lambda message: catalogs().gettext(language, message)


def errors(p: Pages, request: Request, form: forms.Form) -> dict[str, str]:
    translate = translator(p, request)
    return {name: translate(msg) % form.params.get(name, {}) for name, msg in form.errors.items()}


def duration(p: Pages, request: Request) -> Callable[[dt.timedelta], str]:
    language = p.language(request)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return catalogs().ngettext(language, singular, plural, n)

    return lambda value: wording.duration(value, ngettext)


def redirect(url: str, headers: Mapping[str, str] | None = None) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=dict(headers or {}))


def limit_text(d: Desk, p: Pages, request: Request) -> str:
    return p.formatter(request).filesize(d.settings.upload_max_bytes)


async def read_files(
    files: list[UploadFile], d: Desk, p: Pages, request: Request
) -> tuple[list[tuple[str | None, bytes]], str | None]:
    """Read the chosen files (at most one byte past the limit each) and check them the way
    the core will, so a bad file is refused before anything is filed."""
    translate = translator(p, request)
    if len(files) > forms.FILES_MAX:
        return [], translate(FILES_TOO_MANY) % {"limit": forms.FILES_MAX}
    read: list[tuple[str | None, bytes]] = []
    for upload in files:
        data = await upload.read(d.settings.upload_max_bytes + 1)
        name = upload.filename or "?"
        try:
            check_size(len(data), d.settings.upload_max_bytes)
            sniff_content_type(data)
        except PayloadTooLarge:
            return [], translate(FILE_TOO_LARGE) % {
                "name": name,
                "limit": limit_text(d, p, request),
            }
        except UnsupportedMediaType:
            return [], translate(FILE_TYPE) % {"name": name}
        except InvalidRequest:
            return [], translate(FILE_EMPTY) % {"name": name}
        read.append((upload.filename, data))
    return read, None


def not_found(p: Pages, request: Request, reference: str = "", **headers: str) -> Response:
    return p.render(
        request,
        "portal/not_found.html",
        {"values": {"reference": reference, "key": ""}, "errors": {}},
        status_code=404,
        headers=headers or None,
    )


def attach(
    session: Session, d: Desk, case: Complaint, files: list[tuple[str | None, bytes]]
) -> None:
    for filename, data in files:
        services.add_attachment(
            session,
            d.storage,
            case,
            filename=filename,
            data=data,
            limit=d.settings.upload_max_bytes,
        )


def filed_redirect(d: Desk, reference: str, key: str) -> Response:
    response = redirect(f"{access.case_path(reference)}/confirmation")
    access.grant(response, d.settings, reference, key)
    access.mark_filed(response, d.settings, reference)
    return response
