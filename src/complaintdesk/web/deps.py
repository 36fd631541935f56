"""What routes receive: the desk's services, the signed-in staff member, the rate limit."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.staff import services as staff_services
from complaintdesk.staff.errors import AuthenticationFailed
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.storage.backends import Storage
from complaintdesk.web.ratelimit import RateLimiter


@dataclass
class Desk:
    """Everything built once at start-up and shared by all requests of one app."""

    settings: Settings
    db: Database
    storage: Storage
    limiter: RateLimiter
    policy: DeadlinePolicy


def desk_of(request: Request) -> Desk:
    return request.app.state.desk  # type: ignore[no-any-return]


# The dependencies that only read memory are coroutines: FastAPI runs a plain function
# dependency in its thread pool, a hand-off that costs more than what these do.


async def desk(request: Request) -> Desk:
    return desk_of(request)


_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token")


def staff(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
) -> StaffActor:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise AuthenticationFailed("sign in first: send Authorization: Bearer <token>")
    with desk_of(request).db.read_rows() as connection:
        return staff_services.actor_for_token(connection, credentials.credentials)


async def public_rate_limit(request: Request) -> None:
    address = request.client.host if request.client else "unknown"
    desk_of(request).limiter.hit(address)
