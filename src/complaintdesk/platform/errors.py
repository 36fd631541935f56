"""What can go wrong when the desk reads the operator's platform."""

from __future__ import annotations


class PlatformUnavailable(Exception):
    """The platform could not answer: down, slow, refusing, or answering nonsense.

    Never a reason to refuse a customer anything: checks that meet it are retried later,
    and the case shows "platform unavailable, retrying" meanwhile. The message is for
    staff and logs (it never contains the bearer token).
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
