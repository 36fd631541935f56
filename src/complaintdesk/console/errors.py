"""What can go wrong when signing in to the console."""

from __future__ import annotations

from complaintdesk.complaints.errors import ComplaintError


class LockedOut(ComplaintError):
    """Too many failed sign-ins for this name or from this address: wait, then try again."""

    code = "locked_out"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SessionEnded(ComplaintError):
    """No session, or one that expired, was ended, or belongs to a disabled account."""

    code = "session_ended"
