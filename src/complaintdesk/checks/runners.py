"""What each kind of check does: fetch the record, run the engine, shape the result.

Pure of the database: a runner gets a :class:`Work` (a snapshot of the check and its
case, taken when a worker claimed it) and the platform, and returns an :class:`Outcome`.
So the platform is called outside any transaction, and a slow platform holds no lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from complaintdesk.betting import payments, settlement, wagering
from complaintdesk.betting.errors import InvalidInput
from complaintdesk.betting.settlement.verdict import UNDERPAID
from complaintdesk.checks import wording
from complaintdesk.checks.conversion import wagering_bet
from complaintdesk.checks.models import CheckKind, CheckSource, CheckState
from complaintdesk.platform.errors import PlatformUnavailable
from complaintdesk.platform.protocol import Platform
from complaintdesk.platform.records import Bet, Bonus, Transaction

# Statuses of a payment that went through: the customer's complaint is about the others.
SETTLED_PAYMENTS = frozenset({"completed", "approved", "paid", "settled", "success", "succeeded"})
# More records than this found by one discovering check are summarised by the newest ones.
MOST_RECORDS = 5


@dataclass(frozen=True, slots=True)
class Work:
    """A claimed check and the facts of its case that the runners need."""

    check_id: int
    attempt: int
    kind: CheckKind
    source: CheckSource
    subject: str | None
    evidence: Any
    language: str
    account_id: str | None
    category: str
    filed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Finding:
    """The result for one record; ``message`` says, in each language, why there is none
    (not found, invalid) or what to know about it (an open bet)."""

    state: CheckState
    subject: str | None
    result: dict[str, Any] | None = None
    message: wording.Texts | None = None

    @property
    def error(self) -> str | None:
        return None if self.message is None or self.state is CheckState.done else self.message["en"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a run found: this check's finding, and for a discovering check (subject None)
    the further records it found, each to become a check of its own."""

    finding: Finding
    more: Sequence[Finding] = field(default_factory=tuple)
    unavailable: str | None = None


def perform(platform: Platform, work: Work, *, lookback: dt.timedelta, now: dt.datetime) -> Outcome:
    """Run one check. Never raises for anything the platform or the records do."""
    try:
        if work.kind is CheckKind.settlement:
            return Outcome(_settlement(platform, work))
        if work.kind is CheckKind.wagering:
            return _wagering(platform, work, lookback=lookback, now=now)
        return _payment(platform, work, lookback=lookback)
    except PlatformUnavailable as exc:
        return Outcome(Finding(CheckState.unavailable, work.subject), unavailable=exc.message)


# --- settlement ----------------------------------------------------------------------


def _settlement(platform: Platform, work: Work) -> Finding:
    if work.source is CheckSource.evidence:
        record = work.evidence
        if not isinstance(record, Mapping):
            return Finding(CheckState.invalid, work.subject, message=wording.missing_evidence())
        return _verify(work, record, bet=None)
    assert work.subject is not None  # noqa: S101 - a platform bet check always names its bet
    bet = platform.get_bet(work.subject)
    if bet is None:
        return Finding(CheckState.not_found, work.subject, message=wording.no_bet(work.subject))
    return _verify(work, bet.record, bet=bet)


def _verify(work: Work, record: Mapping[str, Any], *, bet: Bet | None) -> Finding:
    subject = work.subject
    facts: dict[str, Any] = {"bet_id": subject, "record": dict(record)}
    if bet is not None:
        facts["account_matches"] = (
            None if work.account_id is None else bet.account_id == work.account_id
        )
        if bet.status == "open":
            facts |= {"verdict": None, "open": True, "amount_owed": None}
            return Finding(CheckState.done, subject, facts, wording.open_bet(subject))
    try:
        verdict = settlement.verify(record, language=work.language)
    except InvalidInput as exc:
        return Finding(CheckState.invalid, subject, facts, wording.invalid(f"the bet: {exc}"))
    owed = -verdict.difference if verdict.verdict == UNDERPAID and verdict.difference else None
    facts |= {
        "verdict": verdict.to_dict(),
        "amount_owed": None if owed is None else str(owed),
        "currency": verdict.currency,
    }
    return Finding(CheckState.done, subject, facts)


# --- wagering ------------------------------------------------------------------------


def _wagering(
    platform: Platform, work: Work, *, lookback: dt.timedelta, now: dt.datetime
) -> Outcome:
    if work.source is CheckSource.evidence:
        case = work.evidence
        if not isinstance(case, Mapping):
            return Outcome(
                Finding(CheckState.invalid, work.subject, message=wording.missing_evidence())
            )
        return Outcome(_explain_wagering(work, case, work.subject, now=now, extra={}))
    account = _account(work)
    bonuses = platform.customer_bonuses(account)
    if bonuses is None:
        return Outcome(_no_customer(work))
    if work.subject is not None:
        bonus = next((b for b in bonuses if b.bonus_id == work.subject), None)
        if bonus is None:
            return Outcome(
                Finding(
                    CheckState.not_found,
                    work.subject,
                    message=wording.no_bonus(account, work.subject),
                )
            )
        return Outcome(_bonus_report(platform, work, bonus, now=now))
    relevant = _relevant_bonuses(bonuses, since=work.filed_at - lookback)
    if not relevant:
        return Outcome(
            Finding(
                CheckState.not_found, None, message=wording.no_recent_bonus(account, lookback.days)
            )
        )
    findings = [_bonus_report(platform, work, bonus, now=now) for bonus in relevant]
    return Outcome(findings[0], findings[1:])


def _relevant_bonuses(bonuses: Sequence[Bonus], *, since: dt.datetime) -> list[Bonus]:
    """The bonuses a complaint is likely about: those still being wagered first, then the
    others activated in the look-back window, newest first."""
    recent = [b for b in bonuses if b.status == "active" or b.activated_at >= since]
    recent.sort(key=lambda b: (b.status != "active", -b.activated_at.timestamp(), b.bonus_id))
    return recent[:MOST_RECORDS]


def _bonus_report(platform: Platform, work: Work, bonus: Bonus, *, now: dt.datetime) -> Finding:
    bets = platform.customer_bets(_account(work), since=bonus.activated_at) or []
    try:
        converted = [
            wagering_bet(b)
            for b in bets
            if b.currency == bonus.currency and b.placed_at <= bonus.expires_at
        ]
    except InvalidInput as exc:
        return Finding(CheckState.invalid, bonus.bonus_id, message=wording.invalid(f"a bet: {exc}"))
    case: dict[str, Any] = {"bonus": dict(bonus.terms), "bets": converted}
    if bonus.balance is not None:
        case["bonus_balance"] = bonus.balance
    return _explain_wagering(
        work, case, bonus.bonus_id, now=now, extra={"bonus_status": bonus.status}
    )


def _explain_wagering(
    work: Work,
    case: Mapping[str, Any],
    subject: str | None,
    *,
    now: dt.datetime,
    extra: dict[str, Any],
) -> Finding:
    try:
        report = wagering.explain(case, language=work.language, now=now)
    except InvalidInput as exc:
        return Finding(
            CheckState.invalid, subject, message=wording.invalid(f"the wagering case: {exc}")
        )
    return Finding(
        CheckState.done,
        subject,
        {"bonus_id": subject, "report": report.to_dict(), "terms": case["bonus"], **extra},
    )


# --- payments ------------------------------------------------------------------------


def _payment(platform: Platform, work: Work, *, lookback: dt.timedelta) -> Outcome:
    account = _account(work)
    since = work.filed_at - lookback
    transactions = platform.customer_transactions(account, since=since)
    if transactions is None:
        return Outcome(_no_customer(work))
    if work.subject is not None:
        found = next((t for t in transactions if t.transaction_id == work.subject), None)
        if found is None:
            return Outcome(
                Finding(
                    CheckState.not_found,
                    work.subject,
                    message=wording.no_payment(account, work.subject, since.date()),
                )
            )
        return Outcome(_explain_payment(work, found))
    relevant = _relevant_payments(transactions, work.category)
    if not relevant:
        return Outcome(
            Finding(
                CheckState.not_found,
                None,
                message=wording.no_recent_payment(account, lookback.days),
            )
        )
    findings = [_explain_payment(work, t) for t in relevant]
    return Outcome(findings[0], findings[1:])


def _relevant_payments(transactions: Sequence[Transaction], category: str) -> list[Transaction]:
    """Those declined, held or still pending, newest first; when all went through, the
    newest one the complaint can be about (a withdrawal, for a refused payout)."""
    troubled = [t for t in transactions if t.status.casefold() not in SETTLED_PAYMENTS]
    if troubled:
        return troubled[:MOST_RECORDS]
    wanted: Callable[[Transaction], bool] = (
        (lambda t: t.kind == "withdrawal") if category == "payout_refusal" else (lambda t: True)
    )
    newest = next((t for t in transactions if wanted(t)), None)
    return [newest] if newest else []


def _explain_payment(work: Work, transaction: Transaction) -> Finding:
    subject = transaction.transaction_id
    record = transaction.for_explainer()
    try:
        explanation = payments.explain(record, language=work.language).to_dict()
    except InvalidInput as exc:
        return Finding(
            CheckState.invalid, subject, message=wording.invalid(f"the transaction: {exc}")
        )
    # The customer-safe text and the staff-only note are kept apart, so that nobody can
    # paste the internal reason (an anti-fraud or AML check) into a reply by accident.
    internal_note = explanation.pop("internal_note")
    return Finding(
        CheckState.done,
        subject,
        {
            "transaction_id": subject,
            "transaction": record,
            "explanation": explanation,
            "internal_note": internal_note,
        },
    )


def _account(work: Work) -> str:
    assert work.account_id is not None  # noqa: S101 - planned only with an account
    return work.account_id


def _no_customer(work: Work) -> Finding:
    return Finding(CheckState.not_found, work.subject, message=wording.no_customer(work.account_id))
