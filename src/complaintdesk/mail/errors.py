"""What can go wrong with incoming mail."""

from __future__ import annotations

from complaintdesk.complaints.errors import ComplaintError


class UnusableMessage(ComplaintError):
    """The input cannot be taken as an e-mail the desk can act on; the message says why."""

    code = "unusable_message"


class InboundNotFound(ComplaintError):
    code = "not_found"


class NotHeld(ComplaintError):
    """Only a held message can be released or discarded, and only once."""

    code = "not_held"
