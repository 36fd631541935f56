"""Routing against real SQLite and PostgreSQL: the starting configuration, rule
precedence, assignment within a team, re-routing when the category changes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from complaintdesk.complaints import queries, services
from complaintdesk.complaints.errors import Forbidden, InvalidRequest
from complaintdesk.complaints.models import Category, Complaint, Priority
from complaintdesk.db import Database
from complaintdesk.routing import admin
from complaintdesk.routing.errors import UnknownTeam
from complaintdesk.routing.models import RoutingRule, Strategy, Team
from complaintdesk.routing.services import triage
from complaintdesk.sla import defaults
from complaintdesk.sla.errors import ConfigurationConflict
from complaintdesk.sla.models import JurisdictionRule, SlaPolicy
from complaintdesk.staff.models import Role, User
from complaintdesk.staff.permissions import StaffActor
from tests.integration.sla_helpers import T0, H, case, events, file, install, staff


@pytest.fixture
def desk(db: Database) -> Database:
    return install(db)


@pytest.fixture
def lead(desk: Database) -> StaffActor:
    return staff(desk, "lena", Role.lead)


def test_a_fresh_desk_has_a_team_per_category_and_the_rules_to_reach_them(db: Database) -> None:
    # Filing the first case installs the starting configuration by itself.
    ref = file(db, category=Category.bonus_terms)
    assert case(db, ref).team == "bonus_terms"
    with db.read() as session:
        teams = session.scalars(select(Team.key).order_by(Team.key)).all()
        default = session.scalar(select(Team.key).where(Team.is_default.is_(True)))
        rules = session.scalar(select(func.count()).select_from(RoutingRule))
        policies = session.scalars(select(SlaPolicy.key).order_by(SlaPolicy.position)).all()
        codes = set(session.scalars(select(JurisdictionRule.code)))
    assert teams == sorted(c.value for c in Category)
    assert default == "other"
    assert rules == 7
    assert policies == ["urgent", "high", "default"]
    assert {"default", "GB", "MT", "CW", "CA-ON", "SE", "IE", "DE", "ES", "IT", "DK", "NL"} <= codes
    with db.transaction() as session:
        assert not defaults.install(session)  # never twice


@pytest.mark.parametrize("category", [c for c in Category if c is not Category.other])
def test_each_category_lands_in_its_own_team(desk: Database, category: Category) -> None:
    assert case(desk, file(desk, category=category)).team == category.value


def test_responsible_gambling_goes_first_and_to_its_own_team(desk: Database) -> None:
    agent = staff(desk, "alice")
    earlier = file(desk, at=T0, category=Category.bet_settlement)
    harm = file(desk, at=T0 + 3 * H, category=Category.responsible_gambling)
    c = case(desk, harm)
    assert (c.team, c.priority) == ("responsible_gambling", Priority.urgent)
    assert c.first_response_due_at == T0 + 5 * H  # urgent: two hours
    with desk.read() as session:
        page = queries.list_cases(session, agent, queries.CaseFilter(), sort="due")
        assert [x.reference for x, _ in page.items] == [harm, earlier]
    (routed,) = events(desk, harm, "routed")
    assert routed[1]["priority"] == {"from": "normal", "to": "urgent"}


def test_the_first_matching_rule_wins_and_the_default_team_takes_the_rest(
    desk: Database, lead: StaffActor
) -> None:
    with desk.transaction() as session:
        admin.create_team(session, lead, key="curacao-desk", name="Curaçao desk")
        admin.create_team(session, lead, key="russian-desk", name="Русская линия")
        admin.create_rule(
            session,
            lead,
            {
                "name": "Russian speakers",
                "team": "russian-desk",
                "position": 5,
                "languages": ["ru"],
            },
        )
        admin.create_rule(
            session,
            lead,
            {
                "name": "Curaçao settlements",
                "team": "curacao-desk",
                "position": 1,
                "categories": ["bet_settlement"],
                "jurisdictions": ["CW"],
            },
        )
        admin.create_rule(
            session,
            lead,
            {"name": "Switched off", "team": "curacao-desk", "position": 0, "active": False},
        )
    assert case(desk, file(desk, jurisdiction="CW", language="ru")).team == "curacao-desk"
    assert case(desk, file(desk, jurisdiction="GB", language="ru")).team == "russian-desk"
    assert case(desk, file(desk, jurisdiction="GB")).team == "bet_settlement"
    assert case(desk, file(desk, category=Category.other)).team == "other"
    with desk.transaction() as session:
        admin.update_team(session, lead, "russian-desk", {"is_default": True})
        team, rule = admin.preview(
            session,
            lead,
            category=Category.other,
            language="en",
            jurisdiction=None,
            priority=Priority.normal,
        )
    assert (team.key if team else None, rule) == ("russian-desk", None)


def test_rules_and_teams_are_validated(desk: Database, lead: StaffActor) -> None:
    agent = staff(desk, "alice")
    with pytest.raises(UnknownTeam), desk.transaction() as session:
        admin.create_rule(session, lead, {"name": "Nowhere", "team": "no-such-team"})
    with pytest.raises(Forbidden), desk.transaction() as session:
        admin.create_team(session, agent, key="mine", name="Mine")
    with pytest.raises(ConfigurationConflict, match="exists already"), desk.transaction() as s:
        admin.create_team(s, lead, key="payout_refusal", name="Again")
    with pytest.raises(ConfigurationConflict, match="routing rule"), desk.transaction() as s:
        admin.delete_team(s, lead, "bonus_terms")
    with pytest.raises(ConfigurationConflict, match="default team"), desk.transaction() as s:
        admin.delete_team(s, lead, "other")
    with pytest.raises(InvalidRequest, match="another team the default"), desk.transaction() as s:
        admin.update_team(s, lead, "other", {"is_default": False})
    ref = file(desk, category=Category.bonus_terms)
    with desk.transaction() as session:
        for rule in admin.list_rules(session, lead):
            if rule.team.key == "bonus_terms":
                admin.delete_rule(session, lead, rule.id)
    with pytest.raises(ConfigurationConflict, match="open case"), desk.transaction() as s:
        admin.delete_team(s, lead, "bonus_terms")
    assert case(desk, ref).team == "bonus_terms"


def test_round_robin_takes_available_members_in_turn(desk: Database, lead: StaffActor) -> None:
    for name in ("anna", "boris", "vera"):
        staff(desk, name)
    with desk.transaction() as session:
        admin.update_team(session, lead, "bet_settlement", {"strategy": Strategy.round_robin})
        for name in ("anna", "boris", "vera"):
            admin.set_member(session, lead, "bet_settlement", name, {})
        admin.set_member(session, lead, "bet_settlement", "boris", {"available": False})
    assignees = [_assignee(desk, file(desk)) for _ in range(4)]
    assert assignees == ["anna", "vera", "anna", "vera"]


def test_least_loaded_respects_capacity_and_nobody_is_forced(
    desk: Database, lead: StaffActor
) -> None:
    for name in ("anna", "boris"):
        staff(desk, name)
    with desk.transaction() as session:
        admin.set_member(session, lead, "bonus_terms", "anna", {"capacity": 2})
        admin.set_member(session, lead, "bonus_terms", "boris", {"capacity": 1})
    got = [_assignee(desk, file(desk, category=Category.bonus_terms)) for _ in range(4)]
    assert got == ["anna", "boris", "anna", None]  # everyone full: left for someone to take
    with desk.transaction() as session:
        view = admin.get_team(session, lead, "bonus_terms")
    assert [(u.username, load) for _, u, load in view.members] == [("anna", 2), ("boris", 1)]


def test_a_manual_team_leaves_cases_for_someone_to_take(desk: Database, lead: StaffActor) -> None:
    staff(desk, "anna")
    with desk.transaction() as session:
        admin.update_team(session, lead, "technical_fault", {"strategy": Strategy.manual})
        admin.set_member(session, lead, "technical_fault", "anna", {})
    assert _assignee(desk, file(desk, category=Category.technical_fault)) is None


def test_staff_mark_themselves_away_and_leads_mark_others(desk: Database, lead: StaffActor) -> None:
    anna = staff(desk, "anna")
    staff(desk, "boris")
    with desk.transaction() as session:
        for name in ("anna", "boris"):
            admin.set_member(session, lead, "payout_refusal", name, {})
            admin.set_member(session, lead, "bonus_terms", name, {})
        assert admin.set_availability(session, anna, "anna", available=False) == 2
    with pytest.raises(Forbidden), desk.transaction() as session:
        admin.set_availability(session, anna, "boris", available=False)
    assert _assignee(desk, file(desk, category=Category.payout_refusal)) == "boris"
    with desk.transaction() as session:
        admin.set_availability(session, lead, "boris", available=False)
    assert _assignee(desk, file(desk, category=Category.payout_refusal)) is None


def test_changing_the_category_routes_again_and_follows_the_new_policy(
    desk: Database, lead: StaffActor
) -> None:
    agent = staff(desk, "alice")
    staff(desk, "ruth")
    with desk.transaction() as session:
        admin.set_member(session, lead, "responsible_gambling", "ruth", {})
    ref = file(desk, at=T0)
    with desk.transaction() as session:
        triage(
            session,
            agent,
            ref,
            category=Category.responsible_gambling,
            reason="self-exclusion was not honoured",
            now=T0 + H,
        )
    c = case(desk, ref)
    assert (c.category, c.team, c.priority) == (
        Category.responsible_gambling,
        "responsible_gambling",
        Priority.urgent,
    )
    assert _assignee(desk, ref) == "ruth"
    assert c.first_response_due_at == T0 + 2 * H  # the urgent policy, from the start
    (changed,) = events(desk, ref, "category_changed")
    assert changed[1]["from"] == "bet_settlement"
    assert changed[2]  # the customer sees the new category
    (rerouted,) = [e for e in events(desk, ref, "routed") if e[1].get("cause")]
    assert rerouted[1]["team"] == {"from": "bet_settlement", "to": "responsible_gambling"}
    assert events(desk, ref, "deadlines_changed")[-1][1]["policy"]["to"] == "urgent"


def test_only_a_lead_lowers_a_priority(desk: Database, lead: StaffActor) -> None:
    agent = staff(desk, "alice")
    ref = file(desk)
    with desk.transaction() as session:
        triage(session, agent, ref, priority=Priority.high, now=T0 + H)
    with pytest.raises(Forbidden), desk.transaction() as session:
        triage(session, agent, ref, priority=Priority.low, now=T0 + H)
    with pytest.raises(InvalidRequest, match="different"), desk.transaction() as session:
        triage(session, agent, ref, priority=Priority.high)
    with desk.transaction() as session:
        triage(session, lead, ref, priority=Priority.low, now=T0 + 2 * H)
    c = case(desk, ref)
    assert c.priority is Priority.low
    assert c.first_response_due_at == T0 + 24 * H  # back on the default policy


def _assignee(db: Database, reference: str) -> str | None:
    with db.read() as session:
        c = services.get_case(session, StaffActor(id=0, username="x", role=Role.admin), reference)
        return c.assignee.username if c.assignee else None


@pytest.mark.postgres
def test_two_cases_for_one_least_loaded_team_commit_without_waiting_for_each_other(
    postgres_database: str,
) -> None:
    """On PostgreSQL, a case being filed for a team does not hold up the team's next case
    (its transaction is still open here; SQLite has one writer at a time by design)."""
    from tests.conftest import _truncate  # noqa: PLC0415

    _truncate(postgres_database)
    desk = install(Database(postgres_database))
    lead = staff(desk, "lena", Role.lead)
    with desk.transaction() as session:
        for name in ("anna", "boris"):
            staff(desk, name)
            admin.set_member(session, lead, "bonus_terms", name, {})
    with desk.transaction() as first:
        _file_in(first, Category.bonus_terms)
        with desk.transaction() as second:
            # A lock on the team would make this wait forever for `first` to commit.
            second.execute(text("SET LOCAL lock_timeout = '2s'"))
            _file_in(second, Category.bonus_terms)
    # Both read the same loads in the same instant; the next case evens them out.
    with desk.transaction() as third:
        _file_in(third, Category.bonus_terms)
    with desk.read() as session:
        loads = dict(
            session.execute(
                select(User.username, func.count())
                .join(Complaint, Complaint.assignee_id == User.id)
                .group_by(User.username)
            ).all()
        )
    desk.dispose()
    assert loads == {"anna": 2, "boris": 1}


def _file_in(session: Session, category: Category) -> None:
    services.file_complaint(
        session,
        subject="Bonus terms",
        description="The wagering counted wrongly",
        customer=services.CustomerDetails(email="c@example.com"),
        policy=defaults.DeadlinePolicy(),
        category=category,
    )
