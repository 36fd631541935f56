"""The JSON of sign-in and user administration."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

from complaintdesk.staff.models import Role


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the scheme's name
    expires_at: dt.datetime
    role: Role


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Annotated[str, StringConstraints(min_length=2, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=10, max_length=1024)]
    role: Role
    display_name: Annotated[str, StringConstraints(max_length=200)] = ""
    email: Annotated[str, StringConstraints(max_length=320)] | None = None
    language: Literal["en", "ru"] = "en"


class UserOut(BaseModel):
    username: str
    role: Role
    display_name: str
    email: str | None
    language: str
    active: bool
    created_at: dt.datetime
