"""Sign-in and user administration."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends

from complaintdesk.staff import services
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.staff.schemas import TokenIn, TokenOut, UserIn, UserOut
from complaintdesk.web.deps import Desk, desk, public_rate_limit, staff

router = APIRouter(prefix="/api/v1", tags=["staff"])


@router.post(
    "/auth/token",
    response_model=TokenOut,
    summary="Sign in for a bearer token",
    dependencies=[Depends(public_rate_limit)],
)
def token(body: TokenIn, d: Desk = Depends(desk)) -> TokenOut:
    with d.db.transaction() as session:
        user = services.authenticate(session, body.username, body.password)
        value, record = services.issue_token(
            session, user, ttl=dt.timedelta(minutes=d.settings.token_ttl_minutes)
        )
        return TokenOut(access_token=value, expires_at=record.expires_at, role=user.role)


@router.get("/me", response_model=UserOut, summary="Who the token belongs to")
def me(actor: StaffActor = Depends(staff), d: Desk = Depends(desk)) -> UserOut:
    with d.db.read() as session:
        return UserOut.model_validate(
            services.get_user(session, actor.username), from_attributes=True
        )


@router.get("/users", response_model=list[UserOut], summary="List staff accounts (admin)")
def list_users(actor: StaffActor = Depends(staff), d: Desk = Depends(desk)) -> list[UserOut]:
    with d.db.read() as session:
        return [
            UserOut.model_validate(u, from_attributes=True)
            for u in services.list_users(session, by=actor)
        ]


@router.post(
    "/users", status_code=201, response_model=UserOut, summary="Add a staff account (admin)"
)
def add_user(body: UserIn, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)) -> UserOut:
    with d.db.transaction() as session:
        user = services.create_user(
            session,
            by=actor,
            username=body.username,
            password=body.password,
            role=body.role,
            display_name=body.display_name,
            email=body.email,
            language=body.language,
        )
        return UserOut.model_validate(user, from_attributes=True)


@router.post(
    "/users/{username}/disable",
    response_model=UserOut,
    summary="Disable a staff account and revoke its tokens (admin)",
)
def disable_user(
    username: str, actor: StaffActor = Depends(staff), d: Desk = Depends(desk)
) -> UserOut:
    with d.db.transaction() as session:
        return UserOut.model_validate(
            services.disable_user(session, username, by=actor), from_attributes=True
        )
