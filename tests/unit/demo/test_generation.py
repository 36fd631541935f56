"""The demo operator's book and complaints: deterministic, varied, and settled right
except where a scenario says otherwise."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import Decimal

import pytest

from complaintdesk.betting.payments import explain as explain_payment
from complaintdesk.betting.settlement import verify
from complaintdesk.complaints.models import Category
from complaintdesk.demo.operator import Operator
from complaintdesk.demo.scripts import Script
from complaintdesk.demo.services import generate

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo() -> tuple[Operator, list[Script]]:
    return generate(7, NOW)


def _snapshot(op: Operator, plays: list[Script]) -> str:
    book = op.book
    return json.dumps(
        {
            "customers": [c.record() for c in book.customers],
            "bets": book.bets,
            "transactions": book.transactions,
            "bonuses": book.bonuses,
            "complaints": [
                [p.customer.account_id, p.category.value, p.subject, p.description, p.stage,
                 p.outcome and p.outcome.value, p.bet_ids, str(p.compensation)]
                for p in plays
            ],
        },
        sort_keys=True,
        default=str,
    )  # fmt: skip


def test_the_same_seed_gives_the_same_operator(demo: tuple[Operator, list[Script]]) -> None:
    assert _snapshot(*generate(7, NOW)) == _snapshot(*demo)
    assert _snapshot(*generate(8, NOW)) != _snapshot(*demo)


def test_a_believable_bookmaker(demo: tuple[Operator, list[Script]]) -> None:
    book = demo[0].book
    assert len(book.customers) >= 200
    assert len(book.bets) >= 3000
    jurisdictions = Counter(c.jurisdiction for c in book.customers)
    assert {"GB", "MT", "CW", "CA-ON"} <= set(jurisdictions)
    assert sum(c.language == "ru" for c in book.customers) >= 50
    legs = [leg for bet in book.bets for leg in bet["legs"]]
    markets = Counter(leg.get("market", "fixed") for leg in legs)
    assert {"fixed", "race", "asian_handicap", "asian_total"} <= set(markets)
    events = " ".join(str(leg.get("market_name")) for leg in legs)
    for market in ("Match result", "Match winner", "Moneyline", "Win", "Each way"):
        assert market in events
    kinds = Counter(bet["type"] for bet in book.bets)
    assert {"single", "accumulator", "system"} <= set(kinds)
    assert any(bet.get("each_way") for bet in book.bets)
    assert any(bet.get("cash_out") for bet in book.bets)
    assert any(bet.get("free_bet") for bet in book.bets)
    assert any(leg.get("tied") for leg in legs)  # dead heats
    assert any(leg.get("non_runner") for leg in legs)
    assert any(leg.get("rule4") for leg in legs)
    assert any(bet["status"] == "open" for bet in book.bets)
    odds = " ".join(leg["odds"] for leg in legs)
    assert "/" in odds
    assert "+" in odds
    assert "." in odds


def test_every_bet_is_settled_right_but_the_deliberate_handful(
    demo: tuple[Operator, list[Script]],
) -> None:
    op, plays = demo
    verdicts = Counter()
    wrong: set[str] = set()
    for bet in op.book.bets:
        if bet["status"] == "open":
            assert "paid_return" not in bet
            continue
        verdict = verify(bet).verdict
        verdicts[verdict] += 1
        if verdict != "correct":
            wrong.add(bet["bet_id"])
    owed = [p for p in plays if p.compensation]
    assert verdicts["overpaid"] == 0
    assert 5 <= verdicts["underpaid"] <= 20
    # Every underpaid bet belongs to a complaint that names it.
    named = " ".join(f"{p.description} {' '.join(p.bet_ids)}" for p in plays)
    assert all(bet_id in named for bet_id in wrong)
    assert all(p.compensation and p.compensation > Decimal(0) for p in owed)


def test_payments_carry_real_decline_and_hold_reasons(demo: tuple[Operator, list[Script]]) -> None:
    transactions = demo[0].book.transactions
    statuses = Counter(t["status"] for t in transactions)
    assert {"completed", "declined", "pending"} <= set(statuses)
    troubled = [t for t in transactions if t.get("decline_code") or t.get("reason_code")]
    assert len(troubled) >= 50
    known = 0
    for record in troubled:
        fields = {k: v for k, v in record.items() if k != "account_id"}
        known += explain_payment(fields).known
    # Every code comes from the catalogue but the one scenario of an unknown provider code.
    assert known == len(troubled) - sum(t.get("decline_code") == "E102" for t in troubled)


def test_bonuses_are_partly_wagered(demo: tuple[Operator, list[Script]]) -> None:
    statuses = Counter(b["status"] for b in demo[0].book.bonuses)
    assert statuses["active"]
    assert statuses["completed"]
    assert statuses["expired"]


def test_complaints_in_both_languages_across_every_category_and_stage(
    demo: tuple[Operator, list[Script]],
) -> None:
    plays = demo[1]
    assert len(plays) >= 60
    assert {p.category for p in plays} == set(Category)
    stages = Counter(p.stage for p in plays)
    assert set(stages) == {
        "new", "in_progress", "awaiting_customer", "breached", "resolved", "closed",
        "under_review", "referred_to_adr",
    }  # fmt: skip
    outcomes = {p.outcome for p in plays if p.stage == "resolved"}
    assert {o.value for o in outcomes if o} == {
        "upheld", "partially_upheld", "not_upheld", "withdrawn",
    }  # fmt: skip
    assert Counter(p.language for p in plays) == {"en": len(plays) // 2, "ru": len(plays) // 2}
    assert len({p.customer.account_id for p in plays}) == len(plays)
    russian = [p for p in plays if p.language == "ru"]
    assert all(any("а" <= ch <= "я" for ch in p.description.lower()) for p in russian)
