"""What can go wrong with a case, in the domain's words. ``web/errors.py`` maps these to HTTP."""

from __future__ import annotations


class ComplaintError(Exception):
    """Base of the domain errors; ``code`` is the stable machine-readable name."""

    code = "complaint_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ComplaintError):
    code = "not_found"


class InvalidTransition(ComplaintError):
    code = "invalid_transition"


class VersionConflict(ComplaintError):
    code = "version_conflict"


class Forbidden(ComplaintError):
    code = "forbidden"


class InvalidRequest(ComplaintError):
    """Well-formed input that the rules refuse (an unknown assignee, a disallowed file...)."""

    code = "invalid_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code


class PayloadTooLarge(ComplaintError):
    code = "payload_too_large"


class UnsupportedMediaType(ComplaintError):
    code = "unsupported_media_type"
