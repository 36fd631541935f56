"""Errors of staff accounts and sign-in."""

from __future__ import annotations

from complaintdesk.complaints.errors import ComplaintError


class AuthenticationFailed(ComplaintError):
    code = "authentication_failed"


class UserExists(ComplaintError):
    code = "user_exists"


class UnknownUser(ComplaintError):
    code = "unknown_user"
