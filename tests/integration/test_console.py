"""The console's core on SQLite and PostgreSQL: the lock-out's back-off over time, sessions
that end, and queue counts that agree with the queues (and stop counting at their cap)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from complaintdesk.complaints import services as complaints
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.complaints.models import Outcome, Status
from complaintdesk.complaints.queries import CaseFilter
from complaintdesk.config import Settings
from complaintdesk.console import queries
from complaintdesk.console import services as console
from complaintdesk.console.errors import SessionEnded
from complaintdesk.console.models import ConsoleSession, SignInAttempt
from complaintdesk.console.queries import Queue
from complaintdesk.db import Database, utcnow
from complaintdesk.routing.models import Team, TeamMember
from complaintdesk.staff import services as staff
from complaintdesk.staff.models import ApiToken, Role
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.worker import jobs

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
PASSWORD = "a long enough password"


def _user(db: Database, username: str, role: Role = Role.agent) -> StaffActor:
    with db.transaction() as session:
        user = staff.create_user(session, username=username, password=PASSWORD, role=role)
        return StaffActor(user.id, user.username, user.role)


def _try(
    db: Database, username: str, password: str, at: dt.datetime, address: str = "10.0.0.1"
) -> console.SignIn:
    with db.transaction() as session:
        return console.attempt(
            session,
            username=username,
            password=password,
            address=address,
            lifetime=12 * HOUR,
            now=at,
        )


def test_failures_lock_a_name_out_for_longer_each_time(db: Database) -> None:
    _user(db, "alice")
    at = T0
    for _ in range(4):
        assert _try(db, "alice", "wrong", at).retry_after == 0
        at += dt.timedelta(seconds=1)
    assert _try(db, "alice", "wrong", at).token is None  # the fifth failure
    # Locked for 30 s after the fifth failure: the right password waits too.
    assert _try(db, "alice", PASSWORD, at + dt.timedelta(seconds=10)).retry_after == 20
    # Attempts refused unheard do not lengthen the wait.
    assert _try(db, "alice", PASSWORD, at + dt.timedelta(seconds=29)).retry_after == 1
    at += dt.timedelta(seconds=31)
    assert _try(db, "alice", "wrong again", at).token is None  # sixth failure: 60 s now
    assert _try(db, "alice", PASSWORD, at + dt.timedelta(seconds=45)).retry_after == 15
    at += dt.timedelta(seconds=61)
    signed = _try(db, "alice", PASSWORD, at)
    assert signed.token is not None
    # A success clears the name's failures: one mistake later waits for nothing.
    assert _try(db, "alice", "typo", at + HOUR).retry_after == 0
    assert _try(db, "alice", PASSWORD, at + HOUR).token is not None


def test_the_wait_never_passes_fifteen_minutes(db: Database) -> None:
    _user(db, "alice")
    at = T0
    for _ in range(30):
        wait = _try(db, "alice", "wrong", at).retry_after
        at += dt.timedelta(seconds=wait + 1)
    with db.read() as session:
        assert console.locked_for(session, "alice", "10.0.0.1", now=at) <= 15 * 60
    # Failures older than a day are forgotten.
    assert _try(db, "alice", PASSWORD, at + dt.timedelta(days=1, minutes=16)).token is not None


def test_an_address_is_locked_across_names(db: Database) -> None:
    _user(db, "alice")
    for n in range(20):
        _try(db, f"guess{n}", "wrong", T0 + dt.timedelta(seconds=n))
    at = T0 + dt.timedelta(seconds=21)
    assert _try(db, "alice", PASSWORD, at).retry_after > 0
    assert _try(db, "alice", PASSWORD, at, address="10.0.0.2").token is not None


def test_a_session_ends_when_signed_out_expired_or_disabled(db: Database) -> None:
    alice = _user(db, "alice")
    signed = _try(db, "alice", PASSWORD, T0)
    with db.read() as session:
        assert console.actor_for(session, signed.token, now=T0 + HOUR) == alice
        for when in (T0 + 12 * HOUR, T0 + 13 * HOUR):
            try:
                console.actor_for(session, signed.token, now=when)
            except SessionEnded:
                continue
            raise AssertionError("an expired session still works")
    second = _try(db, "alice", PASSWORD, T0 + HOUR)
    with db.transaction() as session:
        console.sign_out(session, second.token)
    third = _try(db, "alice", PASSWORD, T0 + 2 * HOUR)
    with db.transaction() as session:
        staff.disable_user(session, "alice")
    with db.read() as session:
        for token in (second.token, third.token):
            try:
                console.actor_for(session, token, now=T0 + 3 * HOUR)
            except SessionEnded:
                continue
            raise AssertionError("a session survived sign-out or a disabled account")


def test_counts_agree_with_the_queues_and_stop_at_their_cap(db: Database) -> None:
    alice = _user(db, "alice")
    with db.transaction() as session:
        team = Team(key="payments", name="Payments")
        session.add(team)
        session.flush()
        session.add(TeamMember(team_id=team.id, user_id=alice.id, available=False))
    references = []
    for n in range(6):
        with db.transaction() as session:
            references.append(
                complaints.file_complaint(
                    session,
                    subject=f"Case {n}",
                    description="Withdrawal declined",
                    customer=complaints.CustomerDetails(email=f"c{n}@example.com"),
                    policy=DeadlinePolicy(),
                    now=T0 + n * HOUR,
                ).case.reference
            )
    lead = _user(db, "lena", Role.lead)
    with db.transaction() as session:
        complaints.assign(session, alice, references[0], assignee="alice")
        complaints.assign(session, lead, references[1], team="payments")
        complaints.request_information(session, alice, references[2], "Your card's last digits?")
        complaints.resolve(session, alice, references[3], outcome=Outcome.upheld, summary="Paid.")
    with db.read() as session:
        teams = queries.my_teams(session, alice)
        assert teams == ["payments"]
        counts = queries.counts(session, alice, teams)
        for queue in (Queue.mine, Queue.team, Queue.unassigned, Queue.awaiting, Queue.all):
            page = queries.page(session, alice, queue, teams, CaseFilter(), limit=100)
            assert counts[queue] == len(page.items), queue
        assert counts[Queue.all] == 5
        assert not counts.capped
        capped = queries.counts(session, alice, teams, cap=3)
        assert capped.capped
        assert capped[Queue.all] == 3
        assert all(n <= 3 for n in capped.cases.values())
        # The finished case is reached by a status filter in "All" only.
        resolved = queries.page(
            session,
            alice,
            Queue.all,
            teams,
            CaseFilter(statuses=[Status.resolved]),
        )
        assert [c.reference for c, _ in resolved.items] == [references[3]]
        assert (
            queries.queue_filter(
                Queue.awaiting, alice, teams, CaseFilter(statuses=[Status.received])
            )
            is None
        )


def test_the_daily_prune_keeps_whatever_still_lets_someone_in_or_locks_someone_out(
    db: Database,
) -> None:
    now = utcnow()
    _user(db, "alice")
    _user(db, "bob")
    _try(db, "alice", "wrong", now - 100 * DAY)  # past the 90 days kept
    _try(db, "alice", "wrong", now - 80 * DAY)
    _try(db, "bob", PASSWORD, now - 13 * HOUR, address="10.0.0.2")  # lived 12 hours
    live = _try(db, "alice", PASSWORD, now - HOUR).token
    for n in range(5):  # locked out now
        _try(db, "alice", "wrong", now - dt.timedelta(seconds=10 - n))
    with db.transaction() as session:
        user = staff.get_user(session, "alice")
        token, _ = staff.issue_token(session, user, ttl=HOUR)
        staff.issue_token(session, user, ttl=-HOUR)  # expired an hour ago
    registry = {job.name: job for job in jobs.registered_jobs(Settings(_env_file=None))}
    assert registry["console.prune_sign_ins"].every == DAY
    assert jobs.run_due(db, [registry["console.prune_sign_ins"]], now=now) == [
        "console.prune_sign_ins"
    ]
    with db.read() as session:
        assert console.actor_for(session, live, now=now).username == "alice"
        assert staff.actor_for_token(session, token).username == "alice"
        assert console.locked_for(session, "alice", "10.0.0.1", now=now) > 0
        kept = session.scalars(select(SignInAttempt.at).order_by(SignInAttempt.at)).all()
        assert min(kept) > now - 90 * DAY
        assert len(kept) == 8  # 80 days ago, the two sign-ins, the five failures
        assert session.scalar(select(func.count()).select_from(ApiToken)) == 1
        sessions = session.scalars(select(ConsoleSession.expires_at)).all()
        assert len(sessions) == 1
        assert sessions[0] > now
