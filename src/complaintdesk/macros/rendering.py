"""``{placeholder}`` substitution for reply templates: one pass, plain text in and out.

Only the names in :data:`PLACEHOLDERS` are filled; a value is inserted as it is and never
read again for placeholders, so a customer called ``{reference}`` stays ``{reference}``.
Anything that looks like a template engine's syntax (``{{ ... }}``, ``{% ... %}``) is
just text here, and so is HTML: the page that shows the result escapes it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Every placeholder a template may use; the console fills them from the case.
PLACEHOLDERS: tuple[str, ...] = (
    "name",  # the customer's name (or "customer" in their language)
    "reference",  # the case's reference
    "subject",  # the case's subject, as the customer wrote it
    "agent",  # the display name of the staff member replying
    "first_response_deadline",  # dates and times in the customer's language, UTC
    "deadline",  # the resolution target
    "regulatory_deadline",  # the regulator's final-response deadline
    "amount_owed",  # what a settlement check found the bet underpaid by
    "compensation",  # the compensation recorded with the decision
)

_PLACEHOLDER = re.compile(r"\{([a-z_]{1,40})\}")


def placeholders_in(text: str) -> list[str]:
    """The placeholders ``text`` uses, in order of first use."""
    return list(dict.fromkeys(_PLACEHOLDER.findall(text)))


def unknown_placeholders(text: str) -> list[str]:
    return [p for p in placeholders_in(text) if p not in PLACEHOLDERS]


def substitute(text: str, values: Mapping[str, str]) -> str:
    """Fill each known placeholder with its value; a placeholder without a value (or an
    unknown one) stays as written, for the agent to see and complete."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        value = values.get(name) if name in PLACEHOLDERS else None
        return match.group(0) if value is None or value == "" else value

    return _PLACEHOLDER.sub(fill, text)
