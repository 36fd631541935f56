"""Periodic jobs: one registry, run by whichever worker gets there first.

A job is a function ``run(session, *, now)`` of some context's ``tasks.py`` that does its
work in the session it is given (the worker commits). Each job has a row in
``periodic_jobs``; a worker locks it (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so other
workers skip it rather than wait), runs the job if it is due, and sets the next run — all
in one transaction, so with any number of workers a job runs once per period. A job that
raises is rolled back alone (a savepoint), recorded with its error, and tried again next
period; it never stops the worker.

To add a job, add it to :func:`registered_jobs`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from complaintdesk.config import Settings
from complaintdesk.console import tasks as console
from complaintdesk.db import Database, utcnow
from complaintdesk.notifications import tasks as outbox
from complaintdesk.sla import tasks as sla
from complaintdesk.worker.models import JobState

log = logging.getLogger("complaintdesk.worker.jobs")


class JobFunction(Protocol):
    def __call__(self, session: Session, *, now: dt.datetime) -> object: ...


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    run: JobFunction


def registered_jobs(settings: Settings) -> list[PeriodicJob]:
    """Every periodic job of the desk. A context with a job adds one line here."""
    day = dt.timedelta(days=1)
    return [
        # Clocks at risk and breached, and their escalations (sla/tasks.py).
        PeriodicJob("sla.sweep", dt.timedelta(seconds=settings.sla_sweep_seconds), sla.sweep),
        # Finished webhook deliveries past their retention (notifications/tasks.py).
        PeriodicJob(
            "notifications.prune_webhooks",
            day,
            partial(outbox.prune_webhooks, keep=settings.webhook_retention_days * day),
        ),
        # Expired sessions and tokens, old sign-in attempts (console/tasks.py).
        PeriodicJob(
            "console.prune_sign_ins",
            day,
            partial(console.prune_sign_ins, keep=settings.sign_in_retention_days * day),
        ),
    ]


def run_due(
    db: Database,
    jobs: Sequence[PeriodicJob],
    *,
    now: dt.datetime | None = None,
    clock: Callable[[], dt.datetime] = utcnow,
) -> list[str]:
    """Run every job that is due; the names of those this worker ran."""
    ran: list[str] = []
    for job in jobs:
        at = now or clock()
        _ensure_state(db, job.name, at)
        with db.transaction() as session:
            state = session.scalar(
                select(JobState).where(JobState.name == job.name).with_for_update(skip_locked=True)
            )
            if state is None or state.next_run_at > at:
                continue  # another worker is running it, or it is not due
            state.last_started_at = at
            try:
                with session.begin_nested():
                    job.run(session, now=at)
            except Exception as exc:  # one job's fault must not stop the others
                log.exception("periodic job %s failed", job.name)
                state.failures += 1
                state.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            else:
                state.runs += 1
                state.last_error = None
                ran.append(job.name)
            state.last_finished_at = now or clock()
            state.next_run_at = at + job.every
    return ran


def _ensure_state(db: Database, name: str, now: dt.datetime) -> None:
    with db.read() as session:
        if session.get(JobState, name) is not None:
            return
    try:
        with db.transaction() as session:
            session.add(JobState(name=name, next_run_at=now))
    except IntegrityError:
        pass  # another worker created it at the same moment
