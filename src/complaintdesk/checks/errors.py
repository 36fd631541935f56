"""What can go wrong with a check, in the domain's words (mapped to HTTP in web/errors.py)."""

from __future__ import annotations

from complaintdesk.complaints.errors import NotFound


class CheckNotFound(NotFound):
    code = "check_not_found"
