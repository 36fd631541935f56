"""The promises the portal publishes: how fast the operator answers, the regulator's
deadline for the visitor's jurisdiction, and the independent dispute body (ADR).

The routing/SLA context owns these numbers per jurisdiction
(``complaintdesk.sla.queries.customer_terms``); where it is not installed the portal states
the desk-wide defaults from the settings, which are the clocks the core starts on a case.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from complaintdesk.config import Settings

_JURISDICTION = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")


@dataclass(frozen=True, slots=True)
class Terms:
    acknowledgement: dt.timedelta
    first_response: dt.timedelta
    resolution: dt.timedelta
    regulatory_days: int
    extension: str | None
    adr_name: str
    adr_url: str
    jurisdiction_name: str | None = None
    regulator: str | None = None
    working_hours_only: bool = False


def jurisdiction(value: str | None) -> str | None:
    """A jurisdiction code as the core stores it (GB, MT, CA-ON), or None if it isn't one."""
    candidate = (value or "").strip().upper()
    return candidate if _JURISDICTION.match(candidate) else None


def _defaults(settings: Settings) -> Terms:
    return Terms(
        acknowledgement=dt.timedelta(0),
        first_response=dt.timedelta(hours=settings.first_response_hours),
        resolution=dt.timedelta(hours=settings.resolution_hours),
        regulatory_days=settings.regulatory_days,
        extension=None,
        adr_name=settings.adr_name,
        adr_url=settings.adr_url,
    )


def customer_terms(
    session: Session, settings: Settings, jurisdiction_code: str | None, language: str
) -> Terms:
    """The terms for a visitor from ``jurisdiction_code`` (None: the operator's default).

    The SLA context is looked up at run time so that the portal also runs where it is not
    installed; its ``CustomerTerms`` carries the fields read here.
    """
    defaults = _defaults(settings)
    try:
        sla = importlib.import_module("complaintdesk.sla.queries")
    except ModuleNotFoundError:
        return defaults
    found: Any = sla.customer_terms(session, jurisdiction_code, language)
    return Terms(
        acknowledgement=found.acknowledgement,
        first_response=found.first_response,
        resolution=found.resolution,
        regulatory_days=found.regulatory_days,
        extension=found.extension_rule,
        # The operator's own setting names its ADR body where the jurisdiction rule does not.
        adr_name=found.adr_name or defaults.adr_name,
        adr_url=found.adr_url or defaults.adr_url,
        # The catch-all rule has a name too ("any other jurisdiction"): not worth saying.
        jurisdiction_name=found.jurisdiction_name if found.jurisdiction else None,
        regulator=found.regulator,
        working_hours_only=found.working_hours_only,
    )
