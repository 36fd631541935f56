"""When a decision needs a second person, and what its customer-facing reasons may say.

Pure rules, no database: :class:`ApprovalPolicy` is built once from the settings
(``APPROVAL_LIMIT``, ``REFUSED_REASON_WORDS``) and handed to the services.

Compensation limits are per currency (``500 EUR, 50000 RUB``): the desk holds no exchange
rates, so an amount in a currency the setting does not name always needs approval.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from complaintdesk.complaints.models import Category, Outcome
from complaintdesk.config import (
    DEFAULT_APPROVAL_LIMIT,
    DEFAULT_REFUSED_REASON_WORDS,
    Settings,
    parse_approval_limit,
)

# Words that may reveal how the operator detects fraud or money laundering. The proposer
# is asked to check the reasons once more when they contain one; they are not refused,
# because "you were not suspected of fraud" can be the right thing to say. A trailing "*"
# makes a stem ("fraud*" finds "fraudulent"); other entries match whole words only.
WARNING_WORDS: tuple[str, ...] = (
    "fraud*",
    "aml",
    "anti-money laundering",
    "money laundering",
    "launder*",
    "suspicious",
    "blacklist*",
    "мошенн*",
    "фрод*",
    "антифрод*",
    "отмыв*",
    "легализац*",
    "подозрител*",
    "черный список",
    "чёрный список",
)


class Reason(StrEnum):
    """Why a decision waits for a second person."""

    payout_refusal = "payout_refusal"  # a refused payout: terms breach or suspected fraud
    above_limit = "above_limit"  # compensation above the limit of its currency
    no_limit = "no_limit"  # compensation in a currency with no limit configured


@dataclass(frozen=True, slots=True)
class Screening:
    """What a text for the customer contains: words refused outright, words to check."""

    refused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern finding each word, phrase or stem (``word*``) as whole
    words; inner spaces match any run of spaces or hyphens ("money-laundering")."""
    parts = []
    for entry in words:
        word = entry.strip().lower()
        stem = word.endswith("*")
        pieces = word.rstrip("*").split()
        if not pieces:
            continue
        phrase = r"[\s-]+".join(re.escape(piece) for piece in pieces)
        parts.append(phrase + (r"\w*" if stem else r"(?!\w)"))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


def _found(pattern: re.Pattern[str] | None, text: str) -> list[str]:
    if pattern is None:
        return []
    return list(dict.fromkeys(m.group(0).lower() for m in pattern.finditer(text)))


@dataclass(frozen=True)
class ApprovalPolicy:
    """The operator's four-eyes rules and the words its customer texts must avoid."""

    limits: Mapping[str, Decimal]
    refused_words: tuple[str, ...] = ()
    warning_words: tuple[str, ...] = WARNING_WORDS

    @cached_property
    def _refused(self) -> re.Pattern[str] | None:
        return _pattern(self.refused_words)

    @cached_property
    def _warning(self) -> re.Pattern[str] | None:
        return _pattern(self.warning_words)

    @classmethod
    def from_settings(cls, settings: Settings) -> ApprovalPolicy:
        return cls(
            limits=parse_approval_limit(settings.approval_limit),
            refused_words=tuple(settings.refused_reason_words),
        )

    @classmethod
    def default(cls) -> ApprovalPolicy:
        """The settings' defaults: what a desk without configuration applies."""
        return cls(
            limits=parse_approval_limit(DEFAULT_APPROVAL_LIMIT),
            refused_words=DEFAULT_REFUSED_REASON_WORDS,
        )

    def reasons(
        self,
        category: Category,
        outcome: Outcome,
        compensation: tuple[Decimal, str] | None,
    ) -> list[Reason]:
        """Why this decision needs a second person; empty when it needs none."""
        found: list[Reason] = []
        if category is Category.payout_refusal and outcome is Outcome.not_upheld:
            found.append(Reason.payout_refusal)
        if compensation is not None:
            amount, currency = compensation
            limit = self.limits.get(currency.upper())
            if limit is None:
                found.append(Reason.no_limit)
            elif amount > limit:
                found.append(Reason.above_limit)
        return found

    def screen(self, text: str) -> Screening:
        refused = _found(self._refused, text)
        warnings = [w for w in _found(self._warning, text) if w not in refused]
        return Screening(refused=refused, warnings=warnings)
