"""What can go wrong when linking or merging cases."""

from __future__ import annotations

from complaintdesk.complaints.errors import InvalidRequest, InvalidTransition


class CannotLink(InvalidRequest):
    code = "cannot_link"


class CannotMerge(InvalidTransition):
    code = "cannot_merge"
