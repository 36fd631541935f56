"""Signing in to the console and staying signed in.

The same accounts and passwords as the API (``staff.services.authenticate``). Repeated
failures lock a name, and an address, out for a while that doubles with every further
failure (30 s, 1 min, 2 min... at most 15 min): guessing a password becomes hopelessly slow
while a person who mistyped waits half a minute. A name is counted from its last
successful sign-in; an address is not reset by a success (one valid account must not
shield guessing at the others from the same place). Attempts refused during a lock-out
are recorded but do not lengthen it, so nobody can lock a colleague out for longer than
the longest wait.

A session is a random token: the browser keeps it (signed, in an HttpOnly cookie), the
table keeps its SHA-256. Every request looks the session up together with its account, so
a disabled account or a changed role takes effect on the next click, and signing out
ends the session for good.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from complaintdesk.console.errors import SessionEnded
from complaintdesk.console.models import ConsoleSession, SignInAttempt
from complaintdesk.db import utcnow
from complaintdesk.staff import services as staff
from complaintdesk.staff.errors import AuthenticationFailed
from complaintdesk.staff.models import User
from complaintdesk.staff.permissions import StaffActor

SUCCESS, FAILURE, LOCKED = "success", "failure", "locked"


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    per_name: int = 5  # failures in a row before a name waits
    per_address: int = 20  # an office behind one address has many people mistyping
    first_wait: dt.timedelta = dt.timedelta(seconds=30)
    longest_wait: dt.timedelta = dt.timedelta(minutes=15)
    memory: dt.timedelta = dt.timedelta(hours=24)  # older failures are forgotten

    def wait(self, failures: int, threshold: int) -> dt.timedelta | None:
        """How long after the last failure the next attempt waits; None: no wait."""
        if failures < threshold:
            return None
        doubled: dt.timedelta = self.first_wait * 2 ** min(failures - threshold, 20)
        return min(doubled, self.longest_wait)


LOCKOUT = LockoutPolicy()


@dataclass(frozen=True, slots=True)
class SignIn:
    """How an attempt went: ``token`` and ``user`` on success; ``retry_after`` seconds
    when locked out; neither for a wrong name or password."""

    token: str | None = None
    user: User | None = None
    retry_after: int = 0


def normalise_name(username: str) -> str:
    return username.strip().lower()[:64]


def attempt(
    session: Session,
    *,
    username: str,
    password: str,
    address: str,
    lifetime: dt.timedelta,
    now: dt.datetime | None = None,
    policy: LockoutPolicy = LOCKOUT,
) -> SignIn:
    """Try to sign in. Never raises for a refusal: the attempt must be recorded in the
    same unit of work that the caller commits, whatever the answer."""
    now = now or utcnow()
    name = normalise_name(username)
    address = address[:64] or "unknown"
    wait = locked_for(session, name, address, now=now, policy=policy)
    if wait:
        session.add(SignInAttempt(at=now, username=name, address=address, outcome=LOCKED))
        session.flush()
        return SignIn(retry_after=wait)
    try:
        user = staff.authenticate(session, name, password)
    except AuthenticationFailed:
        session.add(SignInAttempt(at=now, username=name, address=address, outcome=FAILURE))
        session.flush()
        return SignIn()
    session.add(SignInAttempt(at=now, username=name, address=address, outcome=SUCCESS))
    token = secrets.token_urlsafe(32)
    session.execute(
        delete(ConsoleSession).where(
            ConsoleSession.user_id == user.id, ConsoleSession.expires_at <= now
        )
    )
    session.add(
        ConsoleSession(
            token_hash=_hash(token), user_id=user.id, created_at=now, expires_at=now + lifetime
        )
    )
    session.flush()
    return SignIn(token=token, user=user)


def locked_for(
    session: Session,
    name: str,
    address: str,
    *,
    now: dt.datetime,
    policy: LockoutPolicy = LOCKOUT,
) -> int:
    """Seconds this name or address must still wait before its next attempt (0: none)."""
    since = now - policy.memory
    last_success = session.scalar(
        select(func.max(SignInAttempt.at)).where(
            SignInAttempt.username == name, SignInAttempt.outcome == SUCCESS
        )
    )
    name_since = max(since, last_success) if last_success else since
    waits = []
    for column, value, start, threshold in (
        (SignInAttempt.username, name, name_since, policy.per_name),
        (SignInAttempt.address, address, since, policy.per_address),
    ):
        failures, last = session.execute(
            select(func.count(), func.max(SignInAttempt.at)).where(
                column == value, SignInAttempt.outcome == FAILURE, SignInAttempt.at > start
            )
        ).one()
        wait = policy.wait(int(failures or 0), threshold)
        if wait is not None and last is not None and last + wait > now:
            waits.append((last + wait - now).total_seconds())
    return math.ceil(max(waits)) if waits else 0


def actor_for(session: Session, token: str | None, *, now: dt.datetime | None = None) -> StaffActor:
    """The active staff member a session token belongs to (one query)."""
    if not token:
        raise SessionEnded("sign in first")
    now = now or utcnow()
    row = session.execute(
        select(User.id, User.username, User.role, User.active, ConsoleSession.expires_at)
        .join(ConsoleSession, ConsoleSession.user_id == User.id)
        .where(ConsoleSession.token_hash == _hash(token))
    ).first()
    if row is None or not row.active or row.expires_at <= now:
        raise SessionEnded("the session has ended; sign in again")
    return StaffActor(id=row.id, username=row.username, role=row.role)


def sign_out(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _hash(token)))
        session.flush()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
