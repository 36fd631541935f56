"""Periodic jobs from the one registry: each runs once per period however many workers
ask, in the worker's transaction, and a failing one is rolled back alone and recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from complaintdesk.complaints import services
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.complaints.models import Complaint
from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.worker import jobs
from complaintdesk.worker.models import JobState

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


class Counting:
    def __init__(self) -> None:
        self.runs: list[dt.datetime] = []

    def __call__(self, session: Session, *, now: dt.datetime) -> None:
        self.runs.append(now)
        # Work done in the worker's session commits with the job's bookkeeping.
        services.file_complaint(
            session,
            subject=f"made by a job at {now:%H:%M}",
            description="d",
            customer=services.CustomerDetails(email="job@example.com"),
            policy=DeadlinePolicy(),
            now=now,
        )


def complaints(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Complaint)) or 0


def test_a_job_runs_once_per_period_whoever_asks(db: Database) -> None:
    job = Counting()
    registry = [jobs.PeriodicJob("test.count", dt.timedelta(minutes=1), job)]
    assert jobs.run_due(db, registry, now=T0) == ["test.count"]
    # A second worker asking at the same moment, and again within the minute: nothing.
    assert jobs.run_due(db, registry, now=T0) == []
    assert jobs.run_due(db, registry, now=T0 + dt.timedelta(seconds=59)) == []
    assert jobs.run_due(db, registry, now=T0 + dt.timedelta(minutes=1)) == ["test.count"]
    assert job.runs == [T0, T0 + dt.timedelta(minutes=1)]
    assert complaints(db) == 2
    with db.read() as session:
        state = session.get(JobState, "test.count")
        assert state is not None
        assert (state.runs, state.failures, state.next_run_at) == (
            2,
            0,
            T0 + dt.timedelta(minutes=2),
        )


def test_a_failing_job_is_rolled_back_alone_recorded_and_tried_next_period(
    db: Database,
) -> None:
    calls: list[dt.datetime] = []

    def broken(session: Session, *, now: dt.datetime) -> None:
        calls.append(now)
        Counting()(session, now=now)  # its work must not survive the failure
        raise RuntimeError("the feed is down")

    healthy = Counting()
    registry = [
        jobs.PeriodicJob("test.broken", dt.timedelta(minutes=5), broken),
        jobs.PeriodicJob("test.healthy", dt.timedelta(minutes=5), healthy),
    ]
    assert jobs.run_due(db, registry, now=T0) == ["test.healthy"]
    assert complaints(db) == 1  # only the healthy job's
    with db.read() as session:
        state = session.get(JobState, "test.broken")
        assert state is not None
        assert (state.failures, state.last_error) == (1, "RuntimeError: the feed is down")
        assert state.next_run_at == T0 + dt.timedelta(minutes=5)
    assert jobs.run_due(db, registry, now=T0 + dt.timedelta(minutes=1)) == []
    assert len(calls) == 1


def test_the_registry_runs_the_sla_sweep_every_minute_by_default() -> None:
    registry = {job.name: job for job in jobs.registered_jobs(Settings(_env_file=None))}
    assert registry["sla.sweep"].every == dt.timedelta(minutes=1)
    tuned = jobs.registered_jobs(Settings(_env_file=None, sla_sweep_seconds=300))
    assert {job.name: job.every for job in tuned}["sla.sweep"] == dt.timedelta(minutes=5)


@pytest.mark.parametrize("every", [dt.timedelta(minutes=1), dt.timedelta(hours=1)])
def test_a_new_job_is_due_at_once(db: Database, every: dt.timedelta) -> None:
    job = Counting()
    assert jobs.run_due(db, [jobs.PeriodicJob("test.new", every, job)], now=T0) == ["test.new"]
