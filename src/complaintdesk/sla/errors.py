"""What the clocks and their configuration refuse. ``web/errors.py`` maps them to HTTP."""

from __future__ import annotations

from complaintdesk.complaints.errors import ComplaintError, InvalidRequest


class ExtensionRefused(ComplaintError):
    """The regulator's rule does not allow this extension (none, used, or too late)."""

    code = "extension_refused"


class InvalidConfiguration(InvalidRequest):
    """A policy, calendar or jurisdiction rule the desk could not work with (422)."""

    def __init__(self, message: str, *, code: str = "invalid_configuration") -> None:
        super().__init__(message, code=code)


class ConfigurationConflict(ComplaintError):
    """A key already taken, or a row still in use by another (409)."""

    code = "conflict"

    def __init__(self, message: str, *, code: str = "conflict") -> None:
        super().__init__(message)
        self.code = code
