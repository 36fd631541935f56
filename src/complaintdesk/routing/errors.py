"""What routing and its administration refuse. ``web/errors.py`` maps them to HTTP."""

from __future__ import annotations

from complaintdesk.complaints.errors import InvalidRequest, NotFound


class UnknownTeam(InvalidRequest):
    """A rule, policy or assignment naming a team the desk does not have (422)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"there is no team {key!r}", code="unknown_team")


class TeamNotFound(NotFound):
    """The team in the path does not exist (404)."""
