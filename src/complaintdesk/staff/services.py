"""Staff accounts: create, list, disable; sign in for a bearer token; resolve a token."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.orm import Session

from complaintdesk.complaints.errors import InvalidRequest
from complaintdesk.db import utcnow
from complaintdesk.staff.errors import AuthenticationFailed, UnknownUser, UserExists
from complaintdesk.staff.models import ApiToken, Role, User
from complaintdesk.staff.permissions import Action, StaffActor, require

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that a wrong name and a wrong password
# take the same time and a caller cannot learn which accounts exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD_LENGTH = 10


def _may_manage(by: StaffActor | None) -> None:
    """Accounts are managed by admins, or from the command line (``by`` None) by whoever
    runs the desk: they hold the database already."""
    if by is not None:
        require(by, Action.manage_users)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    session: Session,
    *,
    by: StaffActor | None = None,
    username: str,
    password: str,
    role: Role,
    display_name: str = "",
    email: str | None = None,
    language: str = "en",
) -> User:
    _may_manage(by)
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise InvalidRequest(
            "a username is 2-64 characters: lower-case letters, digits, '.', '_' or '-'"
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidRequest(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if language not in ("en", "ru"):
        raise InvalidRequest("language must be en or ru")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserExists(f"a user named {username!r} already exists")
    user = User(
        username=username,
        password_hash=_hasher.hash(password),
        role=role,
        display_name=display_name or username,
        email=email,
        language=language,
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def list_users(session: Session, *, by: StaffActor | None = None) -> list[User]:
    _may_manage(by)
    return list(session.scalars(select(User).order_by(User.username)))


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise UnknownUser(f"no user named {username!r}")
    return user


def disable_user(session: Session, username: str, *, by: StaffActor | None = None) -> User:
    """Disable an account and revoke its tokens at once (console sessions end too: each
    request checks the account is active)."""
    _may_manage(by)
    user = get_user(session, username)
    if by is not None and user.id == by.id:
        raise InvalidRequest("you cannot disable your own account; ask another admin")
    user.active = False
    session.execute(update(ApiToken).where(ApiToken.user_id == user.id).values(expires_at=utcnow()))
    session.flush()
    return user


def enable_user(session: Session, username: str, *, by: StaffActor | None = None) -> User:
    _may_manage(by)
    user = get_user(session, username)
    user.active = True
    session.flush()
    return user


def set_role(session: Session, username: str, role: Role, *, by: StaffActor | None = None) -> User:
    """Change what an account may do; it takes effect on the account's next request."""
    _may_manage(by)
    user = get_user(session, username)
    if by is not None and user.id == by.id and role is not Role.admin:
        raise InvalidRequest("you cannot take the admin role from yourself; ask another admin")
    user.role = role
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        raise AuthenticationFailed("wrong username or password") from None
    if user is None or not user.active:
        raise AuthenticationFailed("wrong username or password")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def issue_token(session: Session, user: User, *, ttl: dt.timedelta) -> tuple[str, ApiToken]:
    token = secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, token_hash=hash_token(token), expires_at=utcnow() + ttl)
    session.add(record)
    session.flush()
    return token, record


# Every staff request asks this: the statement is built (and its cache key computed) once
# per process, not once per request; only the hash is bound each time.
_TOKEN_HOLDER = (
    select(User.id, User.username, User.role, User.active, ApiToken.expires_at)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


def actor_for_token(session: Session | Connection, token: str) -> StaffActor:
    """The active staff member a bearer token belongs to, or AuthenticationFailed."""
    row = session.execute(_TOKEN_HOLDER, {"token_hash": hash_token(token)}).first()
    if row is None or not row.active or row.expires_at <= utcnow():
        raise AuthenticationFailed("the token is unknown, expired or revoked; sign in again")
    return StaffActor(id=row.id, username=row.username, role=row.role)
