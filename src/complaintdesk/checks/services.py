"""Use cases of the checks: plan them for a new complaint, re-run one, record a result.

Planning happens inside the unit of work that files the complaint (an observer of the
``created`` timeline event, see :func:`watch`): it only inserts rows, never calls the
platform, so intake costs a regular expression and a few inserts whatever state the
platform is in. The checks themselves run in the background (``tasks``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaintdesk.checks.errors import CheckNotFound
from complaintdesk.checks.extraction import Finder, bet_finder, transaction_finder, unique
from complaintdesk.checks.models import Check, CheckKind, CheckSource, CheckState
from complaintdesk.complaints.errors import NotFound
from complaintdesk.complaints.models import Actor, Category, Complaint, ComplaintEvent, Kind
from complaintdesk.complaints.references import normalise_reference
from complaintdesk.config import Settings
from complaintdesk.db import Database, utcnow
from complaintdesk.staff.permissions import Action, StaffActor, require

PAYMENT_CATEGORIES = frozenset({Category.deposit_withdrawal, Category.payout_refusal})


@dataclass(frozen=True, slots=True)
class CheckPolicy:
    """How checks are found and retried (from the settings)."""

    bet_ids: Finder
    transaction_ids: Finder
    retry: dt.timedelta = dt.timedelta(seconds=60)
    retry_max: dt.timedelta = dt.timedelta(hours=1)
    max_attempts: int = 50
    lookback: dt.timedelta = dt.timedelta(days=90)
    # How long a worker holds a check it took; after that (it died) another one runs it.
    lease: dt.timedelta = dt.timedelta(minutes=10)

    @classmethod
    def from_settings(cls, settings: Settings) -> CheckPolicy:
        return cls(
            bet_ids=bet_finder(settings.bet_id_patterns),
            transaction_ids=transaction_finder(settings.transaction_id_patterns),
            retry=dt.timedelta(seconds=settings.checks_retry_seconds),
            retry_max=dt.timedelta(seconds=settings.checks_retry_max_seconds),
            max_attempts=settings.checks_max_attempts,
            lookback=dt.timedelta(days=settings.checks_lookback_days),
        )

    @classmethod
    def default(cls) -> CheckPolicy:
        return cls(bet_ids=bet_finder(), transaction_ids=transaction_finder())

    def delay(self, failures: int, seed: int) -> dt.timedelta:
        """Exponential backoff after the ``failures``-th failure in a row, capped, with up
        to 10 % jitter so checks that failed together do not all come back at once."""
        exponent = min(max(failures - 1, 0), 32)
        wait: dt.timedelta = min(self.retry * 2**exponent, self.retry_max)
        jitter = random.Random(seed * 7919 + failures).uniform(0, 0.1)  # noqa: S311
        return wait * (1 + jitter)


def plan(case: Complaint, policy: CheckPolicy, now: dt.datetime) -> list[Check]:
    """The checks a complaint needs, from what it says and what it carries.

    - every bet it names (``bet_ids`` or found in its text): the platform's record,
      verified; every bet attached as evidence: verified as it is, no platform needed;
    - a bonus complaint: the wagering of the attached case, or of the customer's bonuses;
    - a deposit/withdrawal or payout complaint: the payments it names, or the customer's
      recent ones that were declined, held or are still pending.

    Checks that need the customer's records are planned only when the complaint names the
    customer's account. Consultations get none: they are anonymous questions.
    """
    if case.kind is not Kind.complaint:
        return []
    evidence: Mapping[str, Any] = case.evidence or {}
    account = case.customer_account_id
    planned: list[Check] = []

    def add(
        kind: CheckKind, source: CheckSource, subject: str | None, index: int | None = None
    ) -> None:
        planned.append(
            Check(
                complaint_id=case.id,
                kind=kind,
                source=source,
                subject=subject,
                evidence_index=index,
                state=CheckState.pending,
                attempts=0,
                failures=0,
                next_attempt_at=now,
                created_at=now,
                updated_at=now,
            )
        )

    for index, bet in enumerate(evidence.get("bets") or ()):
        add(CheckKind.settlement, CheckSource.evidence, _evidence_id(bet), index)
    named = unique(
        [
            *(str(b) for b in case.bet_ids or ()),
            *policy.bet_ids.find(case.subject, case.description),
        ]
    )
    for bet_id in named:
        add(CheckKind.settlement, CheckSource.platform, bet_id)

    if evidence.get("bonus") is not None:
        add(CheckKind.wagering, CheckSource.evidence, _evidence_bonus_id(evidence["bonus"]))
    elif case.category is Category.bonus_terms and account:
        add(CheckKind.wagering, CheckSource.platform, None)

    if case.category in PAYMENT_CATEGORIES and account:
        transactions = policy.transaction_ids.find(case.subject, case.description)
        for transaction_id in transactions:
            add(CheckKind.payment, CheckSource.platform, transaction_id)
        if not transactions:
            add(CheckKind.payment, CheckSource.platform, None)
    return planned


def enqueue(
    session: Session, case: Complaint, policy: CheckPolicy, now: dt.datetime
) -> list[Check]:
    """Add the planned checks the case does not have yet (a converted consultation may)."""
    existing = {
        (c.kind, c.source, c.subject, c.evidence_index)
        for c in session.scalars(select(Check).where(Check.complaint_id == case.id))
    }
    added = [
        check
        for check in plan(case, policy, now)
        if (check.kind, check.source, check.subject, check.evidence_index) not in existing
    ]
    session.add_all(added)
    return added


def install(db: Database, settings: Settings) -> None:
    """Plan checks for every complaint filed through ``db`` (web, CLI, mail, demo)."""
    watch(db, CheckPolicy.from_settings(settings))


def watch(db: Database, policy: CheckPolicy) -> None:
    """Plan the checks of every new complaint (and converted consultation) in the unit of
    work that files it, so that they commit, or roll back, with the complaint."""

    def observe(session: Session, event: ComplaintEvent) -> None:
        new_complaint = event.type == "created" and event.data.get("kind") == Kind.complaint.value
        if not (new_complaint or event.type == "converted"):
            return
        case = session.get(Complaint, event.complaint_id)
        if case is None:
            return
        if new_complaint:  # nothing to compare with: spare intake the query
            session.add_all(plan(case, policy, event.at or utcnow()))
        else:
            enqueue(session, case, policy, event.at or utcnow())

    db.on_new(ComplaintEvent, observe)


def rerun(
    session: Session,
    actor: StaffActor,
    reference: str,
    check_id: int,
    *,
    now: dt.datetime | None = None,
) -> tuple[Complaint, Check]:
    """Run a check again as soon as a worker is free, whatever its state; the previous
    result stays visible until the new one replaces it."""
    require(actor, Action.run_checks)
    now = now or utcnow()
    case = _case(session, reference)
    check = session.scalar(select(Check).where(Check.id == check_id, Check.complaint_id == case.id))
    if check is None:
        raise CheckNotFound(f"case {case.reference} has no check {check_id}")
    check.state = CheckState.pending
    check.next_attempt_at = now
    check.failures = 0
    check.updated_at = now
    session.add(
        ComplaintEvent(
            complaint_id=case.id,
            type="check_rerun_requested",
            actor=Actor.staff,
            user_id=actor.id,
            public=False,
            at=now,
            data={"check_id": check.id, "kind": check.kind.value, "subject": check.subject},
        )
    )
    session.flush()
    return case, check


def list_for_case(
    session: Session, actor: StaffActor, reference: str
) -> tuple[Complaint, list[Check]]:
    require(actor, Action.view)
    case = _case(session, reference)
    return case, for_case(session, case.id)


def for_case(session: Session, complaint_id: int) -> list[Check]:
    return list(
        session.scalars(select(Check).where(Check.complaint_id == complaint_id).order_by(Check.id))
    )


def _case(session: Session, reference: str) -> Complaint:
    canonical = normalise_reference(reference)
    case = (
        session.scalar(select(Complaint).where(Complaint.reference == canonical))
        if canonical
        else None
    )
    if case is None:
        raise NotFound(f"no case {reference}")
    return case


def _evidence_id(bet: object) -> str | None:
    bet_id = bet.get("bet_id") if isinstance(bet, Mapping) else None
    if isinstance(bet_id, bool) or not isinstance(bet_id, str | int):
        return None
    return str(bet_id)[:128]


def _evidence_bonus_id(case: object) -> str | None:
    bonus = case.get("bonus") if isinstance(case, Mapping) else None
    return _evidence_id({"bet_id": bonus.get("bonus_id")} if isinstance(bonus, Mapping) else None)
