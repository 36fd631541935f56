"""Server-rendered pages: one Jinja2 environment for the portal and the console.

Autoescaping is on for every template, so whatever a customer or an agent typed is shown
as text and never runs. Templates are looked up in ``web/templates`` (the layout, shared
components, error pages) and then in every context's own ``templates`` folder
(``portal/templates``, ``console/templates``...), so a new face of the desk needs no change
here. Messages are translated with the i18n extension (``{{ _("...") }}``,
``{% trans %}``) in the visitor's language, chosen per request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import HTMLResponse

from complaintdesk.config import Settings
from complaintdesk.web import csrf, i18n

WEB_DIR = Path(__file__).parent
PACKAGE_DIR = WEB_DIR.parent
STATIC_DIR = WEB_DIR / "static"


def template_directories() -> list[Path]:
    """``web/templates`` first, then each context's ``templates`` folder, in name order."""
    contexts = sorted(p for p in PACKAGE_DIR.glob("*/templates") if p.parent != WEB_DIR)
    return [WEB_DIR / "templates", *contexts]


@pass_context
def _gettext(context: Context, message: str) -> str:
    language: str = context["lang"]
    return i18n.catalogs().gettext(language, message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    language: str = context["lang"]
    return i18n.catalogs().ngettext(language, singular, plural, n)


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(p) for p in template_directories()]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined] # added by the i18n extension
        _gettext, _ngettext, newstyle=True
    )
    return env


class Pages:
    """Renders pages for one app: the environment, the static files' versions, settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.env = environment()
        i18n.catalogs()  # read the catalogs at start-up, not on a customer's first request
        self._versions: dict[str, str] = {}

    def static_url(self, path: str) -> str:
        """``/static/<path>?v=<content hash>``: cached for long, refreshed when it changes."""
        version = self._versions.get(path)
        if version is None:
            data = (STATIC_DIR / path).read_bytes()
            version = self._versions[path] = hashlib.sha256(data).hexdigest()[:12]
        return f"/static/{path}?v={version}"

    def language(self, request: Request) -> str:
        lang: str | None = getattr(request.state, "lang", None)
        if lang is None:
            lang = i18n.negotiate(
                request.query_params.get("lang"),
                request.cookies,
                request.headers.get("accept-language"),
            )
            request.state.lang = lang
        return lang

    def formatter(self, request: Request) -> i18n.Formatter:
        return i18n.Formatter(self.language(request), i18n.zone_from(request.cookies))

    def gettext(self, request: Request, message: str) -> str:
        return i18n.catalogs().gettext(self.language(request), message)

    def render(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any] | None = None,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> HTMLResponse:
        lang = self.language(request)
        path = request.url.path
        values: dict[str, Any] = {
            "request": request,
            "lang": lang,
            "languages": i18n.LANGUAGE_NAMES,
            "fmt": self.formatter(request),
            "zone_known": i18n.zone_from(request.cookies) is not None,
            "csrf_field": csrf.FIELD,
            "csrf_token": csrf.token(request, self.settings),
            "static": self.static_url,
            "language_url": lambda code: "/language?" + urlencode({"to": code, "next": path}),
            "current_path": path,
        }
        values.update(context or {})
        body = self.env.get_template(template).render(values)
        response = HTMLResponse(body, status_code=status_code, headers=dict(headers or {}))
        csrf.remember(request, response, self.settings)
        return response


def pages(request: Request) -> Pages:
    """The app's page renderer (a FastAPI dependency)."""
    return request.app.state.pages  # type: ignore[no-any-return]
