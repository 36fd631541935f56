"""Running the checks in the background: claim one, run it, record what it found.

Each check goes through three steps, as outgoing messages do: a worker *claims* it in a
short unit of work (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers never
take the same one; the claim is a lease, so a check whose worker died runs again once the
lease is over), *runs* it with no transaction open (the platform may take seconds; on
SQLite an open write transaction would hold up every complaint being filed meanwhile),
and *records* the result in a second short unit of work, fenced by the attempt number so
that a worker whose lease ran out cannot overwrite the result of the one that took over.

A result appends an internal ``check_completed`` event to the case's timeline; a bet the
operator's own record shows underpaid raises the case's priority. While the platform is
unavailable the check stays ``unavailable`` with the time of its next attempt, retried
with exponential backoff until it succeeds (or the retry budget runs out; staff can
always re-run it).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaintdesk.checks.models import DUE_STATES, Check, CheckKind, CheckSource, CheckState
from complaintdesk.checks.runners import Finding, Outcome, Work, perform
from complaintdesk.checks.services import CheckPolicy
from complaintdesk.complaints.models import Actor, Complaint, ComplaintEvent, Priority
from complaintdesk.config import Settings
from complaintdesk.db import Database, utcnow
from complaintdesk.platform.factory import platform_from_settings
from complaintdesk.platform.protocol import Platform
from complaintdesk.routing.services import raise_priority

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 100
# Per round of the worker's loop: a slow platform must not hold the outbox up for long.
WORKER_LIMIT = 20


def run_due_checks(
    db: Database,
    platform: Platform,
    *,
    policy: CheckPolicy,
    now: dt.datetime | None = None,
    limit: int = DEFAULT_LIMIT,
) -> int:
    """Run up to ``limit`` due checks, one at a time; the number run.

    ``now`` fixes the clock (tests); by default each step reads the current time. A check
    that fails is not due again within the same call, so the call always ends.
    """
    ran = 0
    while ran < limit:
        with db.transaction() as session:
            work = claim_next(session, now=now or utcnow(), policy=policy)
        if work is None:
            break
        outcome = run(platform, work, policy=policy, now=now or utcnow())
        with db.transaction() as session:
            record(session, work, outcome, now=now or utcnow(), policy=policy)
        ran += 1
    return ran


def run(platform: Platform, work: Work, *, policy: CheckPolicy, now: dt.datetime) -> Outcome:
    """Run one claimed check; a fault in the desk's own code is recorded, not raised, so
    one broken record cannot stop the worker from running the others."""
    try:
        return perform(platform, work, lookback=policy.lookback, now=now)
    except Exception as exc:
        log.exception("check %s failed unexpectedly", work.check_id)
        return Outcome(
            Finding(CheckState.unavailable, work.subject),
            unavailable=f"the check failed on the desk's side ({type(exc).__name__}); "
            "it will be tried again",
        )


def claim_next(session: Session, *, now: dt.datetime, policy: CheckPolicy) -> Work | None:
    """Take the next due check, or None when nothing is due. The caller commits at once."""
    row = session.scalar(
        select(Check)
        .where(Check.state.in_(DUE_STATES), Check.next_attempt_at <= now)
        .order_by(Check.next_attempt_at, Check.id)
        .limit(1)
        .with_for_update(skip_locked=True, of=Check)
    )
    if row is None:
        return None
    case = session.get(Complaint, row.complaint_id)
    assert case is not None  # noqa: S101 - the foreign key guarantees it
    row.attempts += 1
    row.next_attempt_at = now + policy.lease
    row.updated_at = now
    session.flush()
    return Work(
        check_id=row.id,
        attempt=row.attempts,
        kind=row.kind,
        source=row.source,
        subject=row.subject,
        evidence=_evidence(case, row),
        language=case.language,
        account_id=case.customer_account_id,
        category=case.category.value,
        filed_at=case.created_at,
    )


def record(
    session: Session, work: Work, outcome: Outcome, *, now: dt.datetime, policy: CheckPolicy
) -> bool:
    """Store what the run found; False when another worker had taken the check over (or
    staff re-ran it) meanwhile, in which case this result is dropped."""
    row = session.scalar(select(Check).where(Check.id == work.check_id).with_for_update())
    if row is None or row.attempts != work.attempt:
        return False
    row.updated_at = now
    if outcome.unavailable is not None:
        row.state = CheckState.unavailable
        row.failures += 1
        row.last_error = outcome.unavailable[:2000]
        row.next_attempt_at = (
            now + policy.delay(row.failures, row.id) if row.failures < policy.max_attempts else None
        )
        session.flush()
        return True
    case = session.get(Complaint, row.complaint_id)
    assert case is not None  # noqa: S101 - the foreign key guarantees it
    _store(row, outcome.finding, now)
    session.flush()
    completed = [row]
    known = {
        c.subject
        for c in session.scalars(
            select(Check).where(Check.complaint_id == case.id, Check.kind == row.kind)
        )
    }
    for finding in outcome.more:
        if finding.subject in known:
            continue
        known.add(finding.subject)
        extra = Check(
            complaint_id=case.id,
            kind=row.kind,
            source=row.source,
            attempts=1,
            failures=0,
            created_at=now,
        )
        _store(extra, finding, now)
        session.add(extra)
        completed.append(extra)
    session.flush()
    for check in completed:
        session.add(_completed_event(case, check, now))
        _follow_up(session, case, check, now)
    session.flush()
    return True


def _store(check: Check, finding: Finding, now: dt.datetime) -> None:
    check.state = finding.state
    check.subject = finding.subject if finding.subject is not None else check.subject
    check.result = dict(finding.result or {})
    if finding.message is not None:
        check.result["message"] = finding.message
    check.last_error = finding.error
    check.failures = 0
    check.next_attempt_at = None
    check.completed_at = now
    check.updated_at = now


def _follow_up(session: Session, case: Complaint, check: Check, now: dt.datetime) -> None:
    """An underpaid bet, on the operator's own record of the customer's own bet, moves the
    case up the queue (evidence the customer attached, or a bet of another account, is
    shown to the agent but moves nothing)."""
    result = check.result or {}
    owed = result.get("amount_owed")
    own = result.get("account_matches") is not False
    if check.kind is CheckKind.settlement and check.source is CheckSource.platform and owed and own:
        currency = result.get("currency", "")
        raise_priority(
            session,
            case,
            to=Priority.high,
            reason=f"bet {check.subject} was underpaid by {owed} {currency}".strip(),
            now=now,
        )


def _completed_event(case: Complaint, check: Check, now: dt.datetime) -> ComplaintEvent:
    data: dict[str, Any] = {
        "check_id": check.id,
        "kind": check.kind.value,
        "source": check.source.value,
        "subject": check.subject,
        "state": check.state.value,
    }
    if check.last_error:
        data["problem"] = check.last_error
    data |= _headline(check)
    return ComplaintEvent(
        complaint_id=case.id,
        type="check_completed",
        actor=Actor.system,
        public=False,
        at=now,
        data=data,
    )


def _headline(check: Check) -> dict[str, Any]:
    """The figures an agent reads on the timeline without opening the check."""
    result: Mapping[str, Any] = check.result or {}
    if check.state is not CheckState.done:
        return {}
    if check.kind is CheckKind.settlement:
        verdict = result.get("verdict") or {}
        fields = ("verdict", "expected_return", "paid_return", "difference", "currency")
        out = {k: verdict[k] for k in fields if verdict.get(k) is not None}
        if result.get("amount_owed"):
            out["amount_owed"] = result["amount_owed"]
        if result.get("open"):
            out["open"] = True
        if result.get("account_matches") is False:
            out["account_matches"] = False
        return out
    if check.kind is CheckKind.wagering:
        report = result.get("report") or {}
        figures = ("requirement", "counted", "remaining", "progress", "expired", "currency")
        return {k: report[k] for k in figures if k in report}
    explanation = result.get("explanation") or {}
    transaction = result.get("transaction") or {}
    return {
        "code": explanation.get("code"),
        "status": transaction.get("status"),
        "payment_kind": transaction.get("kind"),
    }


def _evidence(case: Complaint, check: Check) -> Any:
    if check.source is not CheckSource.evidence:
        return None
    evidence: Mapping[str, Any] = case.evidence or {}
    if check.kind is CheckKind.wagering:
        return evidence.get("bonus")
    bets = evidence.get("bets") or []
    index = check.evidence_index
    return bets[index] if index is not None and 0 <= index < len(bets) else None


class CheckRunner:
    """The platform and the retry policy of one worker, built once from the settings."""

    def __init__(self, settings: Settings, db: Database, platform: Platform | None = None) -> None:
        self.db = db
        self.platform = platform or platform_from_settings(settings, db)
        self.policy = CheckPolicy.from_settings(settings)

    def run_due(self, now: dt.datetime | None = None, *, limit: int = WORKER_LIMIT) -> int:
        return run_due_checks(self.db, self.platform, policy=self.policy, now=now, limit=limit)
