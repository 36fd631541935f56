"""Answering with a model already built and checked by the route.

FastAPI takes a route's return value, validates it again against ``response_model`` (for a
plain-function route, in its thread pool) and only then writes it out. A route whose model
is built by the desk's own code can write it out at once; ``response_model`` still
describes the answer in the OpenAPI schema.
"""

from __future__ import annotations

from pydantic import BaseModel
from starlette.responses import Response


def model_response(model: BaseModel, status_code: int = 200) -> Response:
    """``model`` as the JSON FastAPI would have written (field aliases, nothing left out)."""
    return Response(
        model.model_dump_json(by_alias=True),
        status_code=status_code,
        media_type="application/json",
    )
