"""Load the demo operator into an empty desk: its records, its staff and its complaints.

One unit of work: either the whole demo is there or none of it. The platform's records
go in with bulk inserts; the complaints go through the complaint services exactly as
real ones do (intake, routing and clocks, replies, moves, resolutions, reviews), so their
timelines are real. Loading twice changes nothing: the second time finds the first
load's ``demo_loads`` row and says so. A desk with cases of its own is never touched.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from complaintdesk.complaints import services as complaints
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.complaints.errors import InvalidRequest
from complaintdesk.complaints.models import Complaint, Status
from complaintdesk.config import Environment, Settings
from complaintdesk.demo import scripts
from complaintdesk.demo.operator import Operator
from complaintdesk.demo.scripts import Script
from complaintdesk.demo.wording import answers
from complaintdesk.platform.models import (
    DemoBet,
    DemoBonus,
    DemoCustomer,
    DemoLoad,
    DemoTransaction,
)
from complaintdesk.staff import services as staff
from complaintdesk.staff.models import Role, User
from complaintdesk.staff.permissions import StaffActor

CUSTOMERS = 300
BETS_PER_CUSTOMER = 13  # on average; a few customers bet far more than most

# Fixed, well-known passwords: the demo is for a development desk only (refused in
# production), and a newcomer needs to sign in without reading the database.
USERS: tuple[tuple[str, Role, str, str, str], ...] = (
    ("anna", Role.agent, "ru", "Анна Смирнова", "demo-agent-anna"),
    ("tom", Role.agent, "en", "Tom Baker", "demo-agent-tom"),
    ("lena", Role.lead, "ru", "Елена Орлова", "demo-lead-lena"),
    ("carl", Role.compliance, "en", "Carl Jensen", "demo-compliance-carl"),
    ("admin", Role.admin, "en", "Demo Admin", "demo-admin-pass"),
)


class DemoRefused(InvalidRequest):
    """The demo would touch a desk that is not for demonstrations."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="demo_refused")


@dataclass
class DemoUser:
    username: str
    role: Role
    password: str | None  # None: the account existed already, its password is unchanged


@dataclass
class Loaded:
    seed: int
    loaded_at: dt.datetime
    already: bool
    counts: dict[str, int] = field(default_factory=dict)
    users: list[DemoUser] = field(default_factory=list)


def load(
    session: Session, settings: Settings, *, seed: int = 1, now: dt.datetime | None = None
) -> Loaded:
    """Fill an empty desk with the demo operator; deterministic for a seed and a ``now``."""
    if settings.environment is Environment.production:
        raise DemoRefused("the demo operator is for development desks; this one is production")
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    previous = session.scalar(select(DemoLoad).order_by(DemoLoad.id).limit(1))
    if previous is not None:
        return Loaded(previous.seed, previous.loaded_at, True, dict(previous.summary))
    cases = session.scalar(select(func.count()).select_from(Complaint)) or 0
    if cases:
        raise DemoRefused(
            f"this desk already has {cases} case(s) of its own; the demo only fills an empty desk"
        )

    op, plays = generate(seed, now)
    _write_records(session, op)

    users = _staff(session)
    actors = {u.username: StaffActor(u.id, u.username, u.role) for u in _users(session)}
    policy = DeadlinePolicy.from_settings(settings)
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible by design
    for number, play in enumerate(plays):
        _play(session, play, number, now=now, policy=policy, actors=actors, rng=rng)

    counts = {
        "customers": len(op.book.customers),
        "bets": len(op.book.bets),
        "transactions": len(op.book.transactions),
        "bonuses": len(op.book.bonuses),
        "complaints": len(plays),
    }
    session.add(DemoLoad(seed=seed, loaded_at=now, summary=counts))
    session.flush()
    return Loaded(seed, now, False, counts, users)


def generate(seed: int, now: dt.datetime) -> tuple[Operator, list[Script]]:
    """The demo operator's records and complaints, with no database: the same for the same
    seed and ``now``."""
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible by design
    op = Operator(rng, now)
    customers = op.customers(CUSTOMERS)
    for customer in customers:
        op.activity(customer, bets=min(int(rng.expovariate(1 / BETS_PER_CUSTOMER)) + 1, 120))
    by_language = {lang: [c for c in customers if c.language == lang] for lang in ("en", "ru")}
    plays = scripts.build(op, by_language)
    for customer in customers[::4]:
        op.random_bonus(customer)
    return op, plays


def _write_records(session: Session, op: Operator) -> None:
    book = op.book
    session.execute(
        insert(DemoCustomer),
        [
            {
                "account_id": c.account_id,
                "jurisdiction": c.jurisdiction,
                "language": c.language,
                "record": c.record(),
            }
            for c in book.customers
        ],
    )
    session.execute(
        insert(DemoBet),
        [
            {
                "bet_id": b["bet_id"],
                "account_id": b["account_id"],
                "placed_at": dt.datetime.fromisoformat(b["placed_at"]),
                "record": b,
            }
            for b in book.bets
        ],
    )
    session.execute(
        insert(DemoTransaction),
        [
            {
                "transaction_id": t["transaction_id"],
                "account_id": t["account_id"],
                "created_at": dt.datetime.fromisoformat(t["created_at"]),
                "record": t,
            }
            for t in book.transactions
        ],
    )
    session.execute(
        insert(DemoBonus),
        [
            {"bonus_id": b["bonus_id"], "account_id": b["account_id"], "record": b}
            for b in book.bonuses
        ],
    )


def _staff(session: Session) -> list[DemoUser]:
    existing = {u.username for u in _users(session)}
    made: list[DemoUser] = []
    for username, role, language, display, password in USERS:
        if username in existing:
            made.append(DemoUser(username, role, None))
            continue
        staff.create_user(
            session,
            username=username,
            password=password,
            role=role,
            display_name=display,
            email=f"{username}@desk.example.com",
            language=language,
        )
        made.append(DemoUser(username, role, password))
    return made


def _users(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(User.username.in_([u[0] for u in USERS]))))


# How long ago a case at each stage was filed, in hours: (fewest, most). Cases past their
# deadlines are "breached"; the others were answered within them.
_AGE = {
    "new": (0.2, 6),
    "in_progress": (3, 20),
    "awaiting_customer": (4, 20),
    "breached": (80, 200),
    "resolved": (6, 40),
    "closed": (20, 44),
    "under_review": (10, 40),
    "referred_to_adr": (20, 44),
}


def _play(
    session: Session,
    play: Script,
    number: int,
    *,
    now: dt.datetime,
    policy: DeadlinePolicy,
    actors: dict[str, StaffActor],
    rng: random.Random,
) -> Complaint:
    """File the complaint, then take it as far as its stage says, through the services."""
    low, high = _AGE[play.stage]
    filed_at = now - dt.timedelta(minutes=int(rng.uniform(low, high) * 60))
    customer = play.customer
    filed = complaints.file_complaint(
        session,
        subject=play.subject,
        description=play.description,
        customer=complaints.CustomerDetails(
            email=customer.email, name=customer.name, account_id=customer.account_id
        ),
        policy=policy,
        category=play.category,
        language=play.language,
        jurisdiction=customer.jurisdiction,
        bet_ids=play.bet_ids,
        evidence=play.evidence,
        now=filed_at,
    )
    case = filed.case
    if play.stage in ("new", "breached"):
        return case
    reference = case.reference
    agent = actors["anna" if play.language == "ru" else "tom"]
    lead = actors["lena"]
    words: dict[str, Any] = answers(play)
    complaints.assign(session, lead, reference, assignee=agent.username)
    if play.stage == "awaiting_customer":
        complaints.reply(session, agent, reference, words["question"])
        complaints.transition(
            session, agent, reference, to=Status.awaiting_customer, reason=words["waiting_for"]
        )
        return case
    complaints.reply(session, agent, reference, words["reply"])
    if play.stage == "in_progress":
        if number % 3 == 0:
            complaints.add_note(session, agent, reference, words["note"])
        return case
    assert play.outcome is not None  # noqa: S101 - every finished stage names its outcome
    compensation = (play.compensation, customer.currency) if play.compensation else None
    complaints.resolve(
        session,
        agent,
        reference,
        outcome=play.outcome,
        summary=words["summary"],
        compensation=compensation,
    )
    if play.stage == "closed":
        complaints.leave_feedback(session, case, 5 if play.outcome.value == "upheld" else 3, None)
        complaints.transition(session, agent, reference, to=Status.closed)
    elif play.stage in ("under_review", "referred_to_adr"):
        complaints.request_review(session, case, words["review"])
        if play.stage == "referred_to_adr":
            complaints.transition(
                session, lead, reference, to=Status.referred_to_adr, reason=words["adr"]
            )
    return case
