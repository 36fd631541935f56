"""The wagering report: per bet and overall, and :func:`explain`, which builds it.

Choices the contract leaves open, made here and relied on by the API and the checks:

- Every counting bet contributes in full, including bets settled after the requirement
  was met: the contract has no "already complete" reason, and a bet that met every term
  did count. ``counted`` is therefore the plain sum of the contributions (never capped),
  ``remaining`` is ``max(0, requirement − counted)`` and ``progress`` is capped at 1.
- Settlement order (``settled_at``, then ``placed_at``, then ``bet_id``) decides when the
  requirement was met and by which bet (``completed_at``, ``completed_by``); the ``bets``
  list itself keeps the input order so that callers can line it up with what they sent.
- ``progress`` is a string with four decimals, rounded down, so "1.0000" appears only
  when the requirement is really met.
- ``released`` (with ``release_steps``): the bonus is released one equal step each time
  progress reaches a multiple of 1/steps; the amount is rounded down to the minor unit so
  the released total never exceeds the bonus, and the last step releases the rest.
- ``expired`` is true when ``now`` is at or after ``expires_at`` and the requirement is not
  met: a bonus whose wagering was completed has not lapsed, whatever the date.
- ``convertible`` and ``forfeited`` are given once the requirement is met, the bonus has a
  ``max_conversion`` and the case gives a ``bonus_balance``: convertible =
  min(balance, max_conversion), forfeited = balance − convertible.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from complaintdesk.betting.money import format_money, minor_units
from complaintdesk.betting.wagering.rules import (
    ReasonCode,
    contribution,
    first_failure,
    opposite_outcomes,
)
from complaintdesk.betting.wagering.summary import describe_bet, summarise
from complaintdesk.betting.wagering.terms import Bet, Terms, parse_case, parse_time
from complaintdesk.betting.wagering.wording import check_language

PROGRESS_PLACES = 4


@dataclass(frozen=True)
class BetResult:
    """One bet's line in the report. ``contribution`` is zero unless ``counts``."""

    bet_id: str
    counts: bool
    contribution: Decimal
    reason_code: ReasonCode
    reason: str


@dataclass(frozen=True)
class WageringReport:
    """Where the wagering stands. Invariants (checked by the tests for all inputs):

    ``counted`` = Σ contributions; ``remaining`` = max(0, requirement − counted);
    0 ≤ ``progress`` ≤ 1; a bet that fails any rule contributes 0.
    """

    currency: str
    requirement: Decimal
    counted: Decimal
    remaining: Decimal
    progress: Decimal
    expired: bool
    released: Decimal | None
    convertible: Decimal | None
    forfeited: Decimal | None
    completed_at: datetime | None
    completed_by: str | None
    bets: tuple[BetResult, ...]
    summary: str
    language: str
    bonus_id: str | None = None

    @property
    def complete(self) -> bool:
        return self.counted >= self.requirement

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON: money as strings with the currency's minor unit."""

        def money(value: Decimal | None) -> str | None:
            return None if value is None else format_money(value, self.currency)

        return {
            "bonus_id": self.bonus_id,
            "currency": self.currency,
            "requirement": money(self.requirement),
            "counted": money(self.counted),
            "remaining": money(self.remaining),
            "progress": str(self.progress),
            "expired": self.expired,
            "released": money(self.released),
            "convertible": money(self.convertible),
            "forfeited": money(self.forfeited),
            "completed_at": (None if self.completed_at is None else self.completed_at.isoformat()),
            "completed_by": self.completed_by,
            "bets": [
                {
                    "bet_id": bet.bet_id,
                    "counts": bet.counts,
                    "contribution": money(bet.contribution),
                    "reason_code": str(bet.reason_code),
                    "reason": bet.reason,
                }
                for bet in self.bets
            ],
            "summary": self.summary,
            "language": self.language,
        }


def explain(
    case: Mapping[str, Any], *, language: str = "en", now: datetime | None = None
) -> WageringReport:
    """Explain a bonus's wagering bet by bet (pure: no I/O, ``now`` passed in).

    ``now`` (timezone-aware; default the current UTC time) decides ``expired`` and the
    tense of the summary. Raises :class:`InvalidInput` naming the field for any input that
    breaks the contract; never anything else for bad input.
    """
    language = check_language(language)
    moment = datetime.now(UTC) if now is None else parse_time(now, "now")
    parsed = parse_case(case)
    terms = parsed.terms
    partners = opposite_outcomes(parsed.bets)
    opposed = frozenset(partners)

    results = []
    for bet in parsed.bets:
        code = first_failure(bet, terms, opposed)
        amount = contribution(bet, terms) if code is ReasonCode.COUNTS else Decimal(0)
        results.append(
            BetResult(
                bet_id=bet.bet_id,
                counts=code is ReasonCode.COUNTS,
                contribution=amount,
                reason_code=code,
                reason=describe_bet(
                    code,
                    bet=bet,
                    terms=terms,
                    contribution=amount,
                    partners=partners.get(bet.bet_id, ()),
                    language=language,
                ),
            )
        )

    requirement = terms.requirement
    counted = sum((result.contribution for result in results), Decimal(0))
    complete = counted >= requirement
    completed_at, completed_by = _completion(parsed.bets, results, terms)
    expired = not complete and moment >= terms.expires_at
    released = _released(terms, counted)
    convertible = forfeited = None
    if complete and terms.max_conversion is not None and parsed.bonus_balance is not None:
        convertible = min(parsed.bonus_balance, terms.max_conversion)
        forfeited = parsed.bonus_balance - convertible

    return WageringReport(
        currency=terms.currency,
        requirement=requirement,
        counted=counted,
        remaining=max(Decimal(0), requirement - counted),
        progress=_progress(counted, requirement),
        expired=expired,
        released=released,
        convertible=convertible,
        forfeited=forfeited,
        completed_at=completed_at,
        completed_by=completed_by,
        bets=tuple(results),
        summary=summarise(
            terms=terms,
            codes=[result.reason_code for result in results],
            counted=counted,
            completed_at=completed_at,
            expired=expired,
            released=released,
            convertible=convertible,
            forfeited=forfeited,
            bonus_balance=parsed.bonus_balance,
            language=language,
        ),
        language=language,
        bonus_id=terms.bonus_id,
    )


def _completion(
    bets: tuple[Bet, ...], results: list[BetResult], terms: Terms
) -> tuple[datetime | None, str | None]:
    """When, in settlement order, the counted total first reached the requirement."""
    if terms.requirement == 0:
        return terms.activated_at, None
    counting = sorted(
        (
            (bet.settled_at, bet.placed_at, bet.bet_id, result.contribution)
            for bet, result in zip(bets, results, strict=True)
            if result.counts and bet.settled_at is not None
        ),
    )
    total = Decimal(0)
    for settled_at, _, bet_id, amount in counting:
        total += amount
        if total >= terms.requirement:
            return settled_at, bet_id
    return None, None


def _progress(counted: Decimal, requirement: Decimal) -> Decimal:
    """counted / requirement in [0, 1], rounded down to PROGRESS_PLACES decimals."""
    if requirement == 0 or counted >= requirement:
        ratio = Fraction(1)
    else:
        ratio = Fraction(counted) / Fraction(requirement)
    return Decimal(math.floor(ratio * 10**PROGRESS_PLACES)).scaleb(-PROGRESS_PLACES)


def _released(terms: Terms, counted: Decimal) -> Decimal | None:
    """The bonus released in equal steps as progress reaches each step, rounded down."""
    steps = terms.release_steps
    if steps is None:
        return None
    if terms.requirement == 0 or counted >= terms.requirement:
        reached = steps
    else:
        reached = int(Fraction(counted) * steps / Fraction(terms.requirement))
    places = minor_units(terms.currency)
    exact = Fraction(terms.amount) * reached / steps
    return Decimal(math.floor(exact * 10**places)).scaleb(-places)
