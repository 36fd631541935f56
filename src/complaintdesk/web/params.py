"""Query parameters the API's list endpoints share."""

from __future__ import annotations

from typing import Any

from pydantic import BeforeValidator


def _split_commas(value: Any) -> Any:
    """``?status=a,b`` as ``?status=a&status=b``; blanks (``a,,b``, ``a,``) are dropped."""
    if not isinstance(value, list):
        return value
    return [part.strip() for item in value for part in str(item).split(",") if part.strip()]


# On a list filter (``Annotated[list[X] | None, AnyOf, Query(...)]``): its values may be
# repeated, comma-separated, or both; an unknown value is still refused (422).
AnyOf = BeforeValidator(_split_commas)
