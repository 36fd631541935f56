"""When a decision needs a second person, and which words its reasons may use."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaintdesk.complaints.models import Category, Outcome
from complaintdesk.config import Settings, parse_approval_limit
from complaintdesk.decisions.rules import ApprovalPolicy, Reason

POLICY = ApprovalPolicy(
    limits={"EUR": Decimal("500"), "RUB": Decimal("50000")},
    refused_words=("risk score", "device fingerprint", "скоринг"),
)


def test_a_refused_payout_always_needs_a_second_person() -> None:
    assert POLICY.reasons(Category.payout_refusal, Outcome.not_upheld, None) == [
        Reason.payout_refusal
    ]
    assert POLICY.reasons(Category.payout_refusal, Outcome.upheld, None) == []
    assert POLICY.reasons(Category.bet_settlement, Outcome.not_upheld, None) == []


def test_compensation_is_compared_in_its_own_currency() -> None:
    def reasons(amount: str, currency: str) -> list[Reason]:
        return POLICY.reasons(Category.other, Outcome.upheld, (Decimal(amount), currency))

    assert reasons("500.00", "EUR") == []
    assert reasons("500.01", "EUR") == [Reason.above_limit]
    assert reasons("500.01", "RUB") == []
    assert reasons("50000.01", "RUB") == [Reason.above_limit]
    # No exchange rates: a currency without a limit of its own always needs approval.
    assert reasons("1.00", "GBP") == [Reason.no_limit]
    both = POLICY.reasons(Category.payout_refusal, Outcome.not_upheld, (Decimal(600), "EUR"))
    assert both == [Reason.payout_refusal, Reason.above_limit]


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_above_the_limit_exactly_when_more_than_it(amount: Decimal) -> None:
    needs = POLICY.reasons(Category.other, Outcome.partially_upheld, (amount, "EUR"))
    assert (needs == [Reason.above_limit]) is (amount > Decimal(500))


def test_reasons_are_screened_for_words_that_reveal_anti_fraud_work() -> None:
    screening = POLICY.screen("Your Risk  Score and device-fingerprint show fraudulent play.")
    assert screening.refused == ["risk  score", "device-fingerprint"]
    assert screening.warnings == ["fraudulent"]
    russian = POLICY.screen("Проверка по линии AML и подозрение в мошенничестве; скоринг.")
    assert russian.refused == ["скоринг"]
    assert russian.warnings == ["aml", "мошенничестве"]
    # Whole words: "AML" warns, "amlodipine" is a word of its own; "fraud" is a stem.
    assert POLICY.screen("Terms 7.2 and 9.1 apply; see amlodipine.").warnings == []
    assert POLICY.screen("A fraudster? An AML check?").warnings == ["fraudster", "aml"]
    assert POLICY.screen("Term 7.2 applies to every account.") == POLICY.screen("")


def test_the_settings_state_limits_per_currency() -> None:
    assert parse_approval_limit("1000 EUR, 90000.50 RUB") == {
        "EUR": Decimal("1000"),
        "RUB": Decimal("90000.50"),
    }
    assert parse_approval_limit("") == {}
    for bad in ("1000", "EUR 1000", "1000 eur", "1000 EUR, 5 EUR", "-5 EUR"):
        with pytest.raises(ValueError, match=r"EUR|amount"):
            parse_approval_limit(bad)
    settings = Settings(_env_file=None, approval_limit="10 GBP", refused_reason_words=["ip match"])
    policy = ApprovalPolicy.from_settings(settings)
    assert policy.limits == {"GBP": Decimal("10")}
    assert policy.screen("An IP match was found.").refused == ["ip match"]
    with pytest.raises(ValueError, match="not an amount"):
        Settings(_env_file=None, approval_limit="lots")
