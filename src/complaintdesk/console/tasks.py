"""Retention of sign-in records: sessions and tokens that have expired, and old attempts.

An expired console session or API token lets nobody in; its row only waits to be deleted.
Sign-in attempts drive the lock-out, which forgets failures after a day; they are kept
``keep`` (the desk's ``SIGN_IN_RETENTION_DAYS``) for looking into an incident, then deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.orm import Session

from complaintdesk.console.models import ConsoleSession, SignInAttempt
from complaintdesk.console.services import LOCKOUT
from complaintdesk.staff.models import ApiToken


def prune_sign_ins(session: Session, *, now: dt.datetime, keep: dt.timedelta) -> int:
    """Delete expired sessions and tokens, and attempts older than ``keep``; how many."""
    keep = max(keep, LOCKOUT.memory)  # the lock-out must still see what it counts
    deleted = 0
    for stmt in (
        delete(ConsoleSession).where(ConsoleSession.expires_at <= now),
        delete(ApiToken).where(ApiToken.expires_at <= now),
        delete(SignInAttempt).where(SignInAttempt.at < now - keep),
    ):
        deleted += cast(CursorResult[Any], session.execute(stmt)).rowcount
    return deleted
