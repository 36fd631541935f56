"""Automatic checks on cases, against real databases and real platform adapters."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from complaintdesk.checks import services as checks
from complaintdesk.checks.models import Check, CheckKind, CheckSource, CheckState
from complaintdesk.checks.services import CheckPolicy
from complaintdesk.checks.tasks import claim_next, record, run, run_due_checks
from complaintdesk.complaints import representations
from complaintdesk.complaints import services as complaints
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.complaints.models import Category, Complaint, ComplaintEvent, Priority
from complaintdesk.db import Database
from complaintdesk.platform.breaker import CircuitBreaker
from complaintdesk.platform.files import FilesPlatform
from complaintdesk.platform.http import HttpPlatform
from complaintdesk.staff import services as staff
from complaintdesk.staff.models import Role
from complaintdesk.staff.permissions import StaffActor
from tests.platform_fixtures import (
    ACCOUNT,
    CORRECT,
    NOW,
    UNDERPAID,
    write_folder,
)

POLICY = CheckPolicy.default()
FILED = NOW - dt.timedelta(hours=1)


@pytest.fixture
def desk(db: Database) -> Database:
    checks.watch(db, POLICY)
    return db


@pytest.fixture
def platform(tmp_path: Path) -> FilesPlatform:
    return FilesPlatform(write_folder(tmp_path / "export"))


def dead_platform() -> HttpPlatform:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return HttpPlatform(
        f"http://127.0.0.1:{port}",
        retries=0,
        breaker=CircuitBreaker(failures=100, reset_after=60),
    )


def file(
    db: Database,
    *,
    description: str = "Please check my bet.",
    category: Category = Category.bet_settlement,
    account: str | None = ACCOUNT,
    language: str = "en",
    **extra: Any,
) -> str:
    with db.transaction() as session:
        filed = complaints.file_complaint(
            session,
            subject="A complaint",
            description=description,
            customer=complaints.CustomerDetails(email="ivan@example.com", account_id=account),
            policy=DeadlinePolicy(),
            category=category,
            language=language,
            now=FILED,
            **extra,
        )
        return filed.case.reference


def case_checks(db: Database, reference: str) -> tuple[Complaint, list[Check]]:
    with db.read() as session:
        case = session.scalar(select(Complaint).where(Complaint.reference == reference))
        assert case is not None
        found = checks.for_case(session, case.id)
        session.expunge_all()  # keep what was read once the read-only unit of work ends
        return case, found


def events(db: Database, reference: str, type_: str) -> list[ComplaintEvent]:
    with db.read() as session:
        found = list(
            session.scalars(
                select(ComplaintEvent)
                .join(Complaint)
                .where(Complaint.reference == reference, ComplaintEvent.type == type_)
            )
        )
        session.expunge_all()
        return found


def test_a_bet_named_in_russian_text_is_verified_explained_and_raises_the_priority(
    desk: Database, platform: FilesPlatform
) -> None:
    reference = file(
        desk,
        description="Купон №77881234: лошадь пришла третьей, а ставку рассчитали как проигрыш.",
        language="ru",
    )
    assert run_due_checks(desk, platform, policy=POLICY, now=NOW) == 1
    case, [check] = case_checks(desk, reference)
    assert check.state is CheckState.done
    assert check.kind is CheckKind.settlement
    assert check.subject == "77881234"
    result = check.result or {}
    assert result["verdict"]["verdict"] == "underpaid"
    assert result["amount_owed"] == "26.00"
    assert result["account_matches"] is True
    assert any("место" in step or "мест" in step for step in result["verdict"]["explanation"])
    assert case.priority is Priority.high
    [completed] = events(desk, reference, "check_completed")
    assert completed.public is False
    assert completed.data["amount_owed"] == "26.00"
    assert completed.data["verdict"] == "underpaid"
    # The customer's own view of the case shows nothing of it.
    with desk.read() as session:
        tracked = representations.track_view(session, case)
    assert "check_completed" not in {e.type for e in tracked.timeline}


def test_what_a_complaint_needs_is_planned_at_intake(desk: Database) -> None:
    evidence = {
        "bets": [
            {
                k: v
                for k, v in CORRECT.items()
                if k not in ("account_id", "placed_at", "settled_at", "status")
            }
        ]
    }
    reference = file(
        desk,
        description="Bet ID 12345678 and coupon 77881234 were both settled wrongly.",
        bet_ids=["77881234", "44556677"],
        evidence=evidence,
    )
    _, planned = case_checks(desk, reference)
    assert [(c.kind.value, c.source.value, c.subject, c.state.value) for c in planned] == [
        ("settlement", "evidence", "44556677", "pending"),
        ("settlement", "platform", "77881234", "pending"),
        ("settlement", "platform", "44556677", "pending"),
        ("settlement", "platform", "12345678", "pending"),
    ]
    payment = file(
        desk, description="Withdrawal TX-5512345 never arrived", category=Category.payout_refusal
    )
    assert [(c.kind, c.subject) for c in case_checks(desk, payment)[1]] == [
        (CheckKind.payment, "TX-5512345")
    ]
    bonus = file(desk, description="My bonus is stuck", category=Category.bonus_terms)
    assert [(c.kind, c.subject) for c in case_checks(desk, bonus)[1]] == [
        (CheckKind.wagering, None)
    ]
    # Without the customer's account nothing of theirs can be looked up.
    anonymous = file(
        desk, description="My bonus is stuck", category=Category.bonus_terms, account=None
    )
    assert case_checks(desk, anonymous)[1] == []
    with desk.transaction() as session:
        question = complaints.open_consultation(
            session, question="Why was coupon 77881234 lost?", policy=DeadlinePolicy()
        ).case.reference
    assert case_checks(desk, question)[1] == []
    # Made formal, with the customer's account, the question gets its checks.
    with desk.transaction() as session:
        consultation = session.scalar(select(Complaint).where(Complaint.reference == question))
        assert consultation is not None
        complaints.convert_consultation(
            session,
            consultation,
            customer=complaints.CustomerDetails(email="ivan@example.com", account_id=ACCOUNT),
            policy=DeadlinePolicy(),
            category=Category.bonus_terms,
        )
    assert [(c.kind, c.subject) for c in case_checks(desk, question)[1]] == [
        (CheckKind.settlement, "77881234"),
        (CheckKind.wagering, None),
    ]


def test_evidence_is_verified_without_the_platform(desk: Database) -> None:
    evidence = {"bets": [{**CORRECT, "paid_return": "10.00", "account_id": None}]}
    evidence["bets"][0] = {k: v for k, v in evidence["bets"][0].items() if v is not None}
    reference = file(desk, evidence=evidence)
    assert run_due_checks(desk, dead_platform(), policy=POLICY, now=NOW) == 1
    case, [check] = case_checks(desk, reference)
    assert check.source is CheckSource.evidence
    assert check.state is CheckState.done
    assert (check.result or {})["amount_owed"] == "5.00"
    # What the customer attached is shown to the agent, but moves nothing by itself.
    assert case.priority is Priority.normal


def test_while_the_platform_is_down_the_check_waits_and_retries_until_it_answers(
    desk: Database, platform: FilesPlatform
) -> None:
    reference = file(desk, bet_ids=["77881234"])
    assert run_due_checks(desk, dead_platform(), policy=POLICY, now=NOW) == 1
    _, [check] = case_checks(desk, reference)
    assert check.state is CheckState.unavailable
    assert check.failures == 1
    assert check.last_error is not None
    assert "cannot reach the platform" in check.last_error
    assert check.next_attempt_at is not None
    wait = check.next_attempt_at - NOW
    assert dt.timedelta(seconds=60) <= wait <= dt.timedelta(seconds=66)
    assert events(desk, reference, "check_completed") == []
    # Not due again before its time, even with the platform back.
    assert run_due_checks(desk, platform, policy=POLICY, now=NOW + dt.timedelta(seconds=30)) == 0
    assert run_due_checks(desk, dead_platform(), policy=POLICY, now=check.next_attempt_at) == 1
    _, [again] = case_checks(desk, reference)
    assert again.failures == 2
    assert again.next_attempt_at is not None
    assert again.next_attempt_at - check.next_attempt_at >= dt.timedelta(seconds=120)  # doubled
    assert run_due_checks(desk, platform, policy=POLICY, now=again.next_attempt_at) == 1
    _, [done] = case_checks(desk, reference)
    assert done.state is CheckState.done
    assert done.failures == 0
    assert done.next_attempt_at is None
    assert len(events(desk, reference, "check_completed")) == 1


def test_the_desk_stops_retrying_after_the_budget(desk: Database) -> None:
    policy = CheckPolicy(
        bet_ids=POLICY.bet_ids, transaction_ids=POLICY.transaction_ids, max_attempts=2
    )
    reference = file(desk, bet_ids=["77881234"])
    run_due_checks(desk, dead_platform(), policy=policy, now=NOW)
    run_due_checks(desk, dead_platform(), policy=policy, now=NOW + dt.timedelta(hours=1))
    _, [check] = case_checks(desk, reference)
    assert check.state is CheckState.unavailable
    assert check.next_attempt_at is None
    assert run_due_checks(desk, dead_platform(), policy=policy, now=NOW + dt.timedelta(days=9)) == 0


def test_a_bet_the_platform_does_not_know_is_said_so(
    desk: Database, platform: FilesPlatform
) -> None:
    reference = file(desk, bet_ids=["99999999"])
    run_due_checks(desk, platform, policy=POLICY, now=NOW)
    case, [check] = case_checks(desk, reference)
    assert check.state is CheckState.not_found
    assert (check.result or {})["message"]["ru"] == "На платформе нет ставки 99999999."
    assert case.priority is Priority.normal


def test_another_accounts_bet_is_flagged_and_moves_nothing(
    desk: Database, platform: FilesPlatform
) -> None:
    reference = file(desk, bet_ids=["77881234"], account="AC-2002")
    run_due_checks(desk, platform, policy=POLICY, now=NOW)
    case, [check] = case_checks(desk, reference)
    assert (check.result or {})["account_matches"] is False
    assert (check.result or {})["amount_owed"] == "26.00"
    assert case.priority is Priority.normal


def test_a_payment_complaint_explains_each_troubled_payment_apart_from_the_internal_note(
    desk: Database, platform: FilesPlatform
) -> None:
    reference = file(desk, description="My money is stuck", category=Category.deposit_withdrawal)
    assert run_due_checks(desk, platform, policy=POLICY, now=NOW) == 1
    _, found = case_checks(desk, reference)
    assert [(c.kind, c.subject, c.state) for c in found] == [
        (CheckKind.payment, "TX-5512399", CheckState.done),  # the newest first
        (CheckKind.payment, "TX-5512345", CheckState.done),
    ]
    held, declined = (c.result or {} for c in found)
    # An anti-money-laundering hold: the customer may only be told of a routine review.
    assert held["explanation"]["customer_visible"] is False
    assert "launder" not in held["explanation"]["customer_message"].lower()
    assert "review" in held["explanation"]["customer_message"].lower()
    assert "internal_note" not in held["explanation"]
    assert held["internal_note"]
    assert declined["explanation"]["code"] == "iso8583:51"
    assert declined["transaction"]["decline_code"] == "51"
    assert len(events(desk, reference, "check_completed")) == 2


def test_a_bonus_complaint_gets_the_wagering_of_the_customers_bonus(
    desk: Database, platform: FilesPlatform
) -> None:
    reference = file(desk, description="Why can't I withdraw?", category=Category.bonus_terms)
    run_due_checks(desk, platform, policy=POLICY, now=NOW)
    _, [check] = case_checks(desk, reference)
    assert check.subject == "BN-100"
    report = (check.result or {})["report"]
    assert report["requirement"] == "100.00"
    assert report["counted"] == "10.00"
    assert {b["bet_id"]: b["reason_code"] for b in report["bets"]} == {
        "44556677": "counts",
        "44556678": "below_min_odds",
    }


def test_staff_can_rerun_a_check_and_a_stale_worker_cannot_overwrite_it(
    desk: Database, platform: FilesPlatform
) -> None:
    reference = file(desk, bet_ids=[UNDERPAID["bet_id"]])
    with desk.transaction() as session:
        user = staff.create_user(session, username="alice", password="x" * 12, role=Role.agent)
        actor = StaffActor(user.id, user.username, user.role)
        first = claim_next(session, now=NOW, policy=POLICY)
    assert first is not None
    with desk.transaction() as session:
        _, check = checks.rerun(session, actor, reference, first.check_id, now=NOW)
        assert check.state is CheckState.pending
    with desk.transaction() as session:
        second = claim_next(session, now=NOW, policy=POLICY)
    assert second is not None
    assert second.attempt == first.attempt + 1
    with desk.transaction() as session:
        assert not record(
            session, first, run(platform, first, policy=POLICY, now=NOW), now=NOW, policy=POLICY
        )
        assert record(
            session, second, run(platform, second, policy=POLICY, now=NOW), now=NOW, policy=POLICY
        )
    assert len(events(desk, reference, "check_completed")) == 1
    [asked] = events(desk, reference, "check_rerun_requested")
    assert asked.user_id == actor.id
    assert asked.public is False
    with desk.transaction() as session, pytest.raises(checks.CheckNotFound):
        checks.rerun(session, actor, reference, first.check_id + 100, now=NOW)


def test_a_worker_that_died_leaves_the_check_to_another_after_the_lease(
    desk: Database, platform: FilesPlatform
) -> None:
    file(desk, bet_ids=[UNDERPAID["bet_id"]])
    with desk.transaction() as session:
        assert claim_next(session, now=NOW, policy=POLICY) is not None
    with desk.transaction() as session:
        assert claim_next(session, now=NOW + dt.timedelta(minutes=5), policy=POLICY) is None
    assert run_due_checks(desk, platform, policy=POLICY, now=NOW + POLICY.lease) == 1
