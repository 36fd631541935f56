"""What can go wrong with outgoing messages and webhook subscriptions.

``DeliveryFailed`` is the transport's answer (an SMTP server or a webhook receiver said no,
or could not be reached); the domain errors subclass :class:`ComplaintError` and are
mapped to HTTP in ``web/errors.py``.
"""

from __future__ import annotations

from complaintdesk.complaints.errors import ComplaintError


class DeliveryFailed(Exception):
    """One attempt failed. ``permanent``: trying again would fail the same way (the address
    does not exist, the receiver is gone), so the worker gives up at once."""

    def __init__(self, detail: str, *, permanent: bool = False, status_code: int | None = None):
        super().__init__(detail)
        self.detail = detail
        self.permanent = permanent
        self.status_code = status_code


class OutboxMessageNotFound(ComplaintError):
    code = "not_found"


class NotRetryable(ComplaintError):
    """Only a message the worker gave up on can be retried by hand."""

    code = "not_retryable"


class SubscriptionNotFound(ComplaintError):
    code = "not_found"


class InvalidSubscription(ComplaintError):
    code = "invalid_subscription"
