"""Errors raised by the betting engines when their input breaks the contract."""

from __future__ import annotations


class InvalidInput(ValueError):
    """The input does not follow the contract.

    ``field`` is a dotted path to the offending value (``legs[2].odds``) so that a caller
    can show the customer or the operator's engineer exactly what to fix.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message
