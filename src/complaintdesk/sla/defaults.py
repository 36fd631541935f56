"""What a fresh desk starts with, and the numbers that apply when nothing is configured.

On first start (the app's start-up, or the first case filed, whichever comes first) a desk
with no team gets: one team per complaint category, the rules that reach them (responsible
gambling first, raised to urgent), three SLA policies (urgent, high, everything else) and
the jurisdiction catalogue below. All of it is ordinary data, edited through the
administration API; once any team exists nothing is installed again, so a desk's own
configuration is never overwritten.

The jurisdiction catalogue records what each regulator asks of a complaint and the ADR
body to name; ``statutory`` tells a regulator's deadline from the desk's own default.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from complaintdesk.complaints.models import Category, Priority
from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.routing.models import RoutingRule, Strategy, Team
from complaintdesk.sla.models import Clock, JurisdictionRule, Reassign, SlaPolicy

log = logging.getLogger(__name__)

DEFAULT_JURISDICTION = "default"
DEFAULT_PAUSE_CLOCKS = (Clock.resolution.value, Clock.regulatory.value)
DEFAULT_AT_RISK_PERCENT = 80


@dataclass(frozen=True, slots=True)
class DeadlinePolicy:
    """The clocks that apply where the desk's configuration says nothing (settings)."""

    first_response: dt.timedelta = dt.timedelta(hours=24)
    resolution: dt.timedelta = dt.timedelta(hours=48)
    regulatory: dt.timedelta = dt.timedelta(days=56)
    acknowledgement: dt.timedelta = dt.timedelta(hours=24)

    @classmethod
    def from_settings(cls, settings: Settings) -> DeadlinePolicy:
        return cls(
            first_response=dt.timedelta(hours=settings.first_response_hours),
            resolution=dt.timedelta(hours=settings.resolution_hours),
            regulatory=dt.timedelta(days=settings.regulatory_days),
        )


TEAMS: tuple[tuple[Category, str, str], ...] = (
    (Category.technical_fault, "Technical support", "Техническая поддержка"),
    (Category.bet_settlement, "Bet settlement", "Расчёт ставок"),
    (Category.bonus_terms, "Bonuses and promotions", "Бонусы и акции"),
    (Category.deposit_withdrawal, "Payments", "Платежи"),
    (Category.payout_refusal, "Payout review", "Проверка выплат"),
    (Category.account_verification, "Account verification", "Верификация аккаунтов"),
    (Category.responsible_gambling, "Responsible gambling", "Ответственная игра"),
    (Category.other, "Customer support", "Служба поддержки"),
)
DEFAULT_TEAM = Category.other.value


def jurisdiction_catalogue(regulatory_days: int = 56) -> list[dict[str, Any]]:
    """The regulators a desk starts with. ``regulatory_days`` is the desk's own default,
    used where a regulator sets no deadline of its own (``statutory`` false)."""
    return [
        {
            "code": DEFAULT_JURISDICTION,
            "name": "Any other jurisdiction",
            "name_ru": "Другие юрисдикции",
            "acknowledgement_hours": 24,
            "regulatory_days": regulatory_days,
            "notes": "Applies when a case names no jurisdiction, or one without a rule.",
        },
        {
            "code": "GB",
            "name": "Great Britain",
            "name_ru": "Великобритания",
            "regulator": "Gambling Commission",
            "regulator_url": "https://www.gamblingcommission.gov.uk",
            "acknowledgement_hours": 24,
            "regulatory_days": 56,
            "adr_name": "IBAS (Independent Betting Adjudication Service)",
            "adr_url": "https://www.ibas-uk.com",
            "statutory": True,
            "notes": "LCCP social responsibility code 6.1.1: the customer may take an "
            "unresolved complaint to an approved ADR provider after 8 weeks, taking into "
            "account any time the clock was paused. Other approved providers include "
            "eCOGRA and CEDR; name the one the operator uses.",
        },
        {
            "code": "MT",
            "name": "Malta",
            "name_ru": "Мальта",
            "regulator": "Malta Gaming Authority (MGA)",
            "regulator_url": "https://www.mga.org.mt",
            "acknowledgement_hours": 24,
            "regulatory_days": regulatory_days,
            "adr_name": "MGA Player Support",
            "adr_url": "https://www.mga.org.mt/support/online-gaming-support/",
            "notes": "The MGA's ADR Directive requires an ADR entity established in the "
            "EU/EEA; put the operator's ADR entity and the time frame its ADR policy states.",
        },
        {
            "code": "CW",
            "name": "Curaçao",
            "name_ru": "Кюрасао",
            "regulator": "Curaçao Gaming Authority (CGA)",
            "regulator_url": "https://www.gamingcontrolcuracao.org",
            "acknowledgement_hours": 7 * 24,
            "regulatory_days": 28,
            "extension_days": 28,
            "adr_name": "Curaçao Gaming Authority certified ADR provider",
            "adr_url": "https://www.gamingcontrolcuracao.org",
            "statutory": True,
            "notes": "CGA Player Complaints Policy: acknowledge within one week; resolve "
            "within four weeks, extendable once by four weeks with notice to the player; "
            "responsible-gambling complaints within five business days. Name the certified "
            "ADR provider the operator has an agreement with.",
        },
        {
            "code": "CA-ON",
            "name": "Ontario (Canada)",
            "name_ru": "Онтарио (Канада)",
            "regulator": "Alcohol and Gaming Commission of Ontario (AGCO)",
            "regulator_url": "https://www.agco.ca",
            "acknowledgement_hours": 24,
            "regulatory_days": 90,
            "adr_name": "iGaming Ontario (complaints and disputes)",
            "adr_url": "https://igamingontario.ca/en/igaming-ontarios-complaintsdisputes-service-standards",
            "statutory": True,
            "notes": "iGaming Ontario takes a dispute the operator has not answered within "
            "90 days, or answered to the player's dissatisfaction.",
        },
        {
            "code": "SE",
            "name": "Sweden",
            "name_ru": "Швеция",
            "regulator": "Spelinspektionen",
            "regulator_url": "https://www.spelinspektionen.se",
            "acknowledgement_hours": 24,
            "regulatory_days": regulatory_days,
            "adr_name": "Allmänna reklamationsnämnden (ARN)",
            "adr_url": "https://www.arn.se",
        },
        {
            "code": "IE",
            "name": "Ireland",
            "name_ru": "Ирландия",
            "regulator": "Gambling Regulatory Authority of Ireland (GRAI)",
            "regulator_url": "https://www.grai.ie",
            "acknowledgement_hours": 24,
            "regulatory_days": regulatory_days,
            "notes": "Complaint-handling rules under the Gambling Regulation Act 2024 are "
            "being introduced; set the deadline and the redress body once published.",
        },
        {
            "code": "DE",
            "name": "Germany",
            "name_ru": "Германия",
            "regulator": "Gemeinsame Glücksspielbehörde der Länder (GGL)",
            "regulator_url": "https://www.gluecksspiel-behoerde.de",
            "acknowledgement_hours": 24,
            "regulatory_days": regulatory_days,
            "adr_name": "Universalschlichtungsstelle des Bundes",
            "adr_url": "https://www.verbraucher-schlichter.de",
        },
        {
            "code": "ES",
            "name": "Spain",
            "name_ru": "Испания",
            "regulator": "Dirección General de Ordenación del Juego (DGOJ)",
            "regulator_url": "https://www.ordenacionjuego.es",
            "acknowledgement_hours": 24,
            "regulatory_days": regulatory_days,
            "adr_name": "DGOJ player complaints",
            "adr_url": "https://www.ordenacionjuego.es",
        },
        {
            "code": "IT",
            "name": "Italy",
            "name_ru": "Италия",
            "regulator": "Agenzia delle Dogane e dei Monopoli (ADM)",
            "regulator_url": "https://www.adm.gov.it",
            "acknowledgement_hours": 24,
            "regulatory_days": regulatory_days,
        },
        {
            "code": "DK",
            "name": "Denmark",
            "name_ru": "Дания",
            "regulator": "Spillemyndigheden",
            "regulator_url": "https://www.spillemyndigheden.dk",
            "acknowledgement_hours": 24,
            "regulatory_days": regulatory_days,
            "adr_name": "Center for Klageløsning (Nævnenes Hus)",
            "adr_url": "https://naevneneshus.dk",
        },
        {
            "code": "NL",
            "name": "Netherlands",
            "name_ru": "Нидерланды",
            "regulator": "Kansspelautoriteit (Ksa)",
            "regulator_url": "https://kansspelautoriteit.nl",
            "acknowledgement_hours": 24,
            "regulatory_days": regulatory_days,
            "adr_name": "De Geschillencommissie (Kansspelen op afstand)",
            "adr_url": "https://www.degeschillencommissie.nl",
        },
    ]


def policies(fallback: DeadlinePolicy) -> list[dict[str, Any]]:
    """Urgent and high priority answer faster; everything else gets the settings' clocks."""

    def minutes(value: dt.timedelta) -> int:
        return int(value.total_seconds() // 60)

    common: dict[str, Any] = {
        # The desk acknowledges every complaint the moment it arrives (ISO 10002); the
        # jurisdiction's acknowledgement target applies only to a policy without one.
        "acknowledgement_minutes": 0,
        "pause_clocks": list(DEFAULT_PAUSE_CLOCKS),
        "at_risk_percent": DEFAULT_AT_RISK_PERCENT,
        "notify_lead": True,
    }
    return [
        {
            "key": "urgent",
            "name": "Urgent cases",
            "position": 10,
            "priorities": [Priority.urgent.value],
            "first_response_minutes": 2 * 60,
            "next_response_minutes": 4 * 60,
            "resolution_minutes": 24 * 60,
            "reassign": Reassign.lead,
            **common,
        },
        {
            "key": "high",
            "name": "High priority",
            "position": 20,
            "priorities": [Priority.high.value],
            "first_response_minutes": 8 * 60,
            "next_response_minutes": 12 * 60,
            "resolution_minutes": 36 * 60,
            "escalate_priority": Priority.urgent,
            **common,
        },
        {
            "key": "default",
            "name": "Every other case",
            "position": 100,
            "first_response_minutes": minutes(fallback.first_response),
            "next_response_minutes": minutes(fallback.first_response),
            "resolution_minutes": minutes(fallback.resolution),
            "escalate_priority": Priority.high,
            **common,
        },
    ]


def is_installed(session: Session) -> bool:
    return session.scalar(select(Team.id).limit(1)) is not None


def install(session: Session, fallback: DeadlinePolicy | None = None) -> bool:
    """Install the starting configuration on a desk without teams; True if it did.

    Two processes starting at once may race here: the loser's unique-key clash is
    rolled back to its savepoint and it goes on with the winner's configuration.
    """
    if is_installed(session):
        return False
    fallback = fallback or DeadlinePolicy()
    regulatory_days = max(1, round(fallback.regulatory / dt.timedelta(days=1)))
    try:
        with session.begin_nested():
            _install(session, fallback, regulatory_days)
    except IntegrityError:
        return False
    return True


def _install(session: Session, fallback: DeadlinePolicy, regulatory_days: int) -> None:
    teams = {
        category: Team(
            key=category.value,
            name=name,
            name_ru=name_ru,
            strategy=Strategy.least_loaded,
            is_default=category.value == DEFAULT_TEAM,
        )
        for category, name, name_ru in TEAMS
    }
    session.add_all(teams.values())
    session.flush()
    rules = [
        RoutingRule(
            position=10,
            name="Responsible gambling goes first, to its own team",
            team_id=teams[Category.responsible_gambling].id,
            categories=[Category.responsible_gambling.value],
            languages=[],
            jurisdictions=[],
            priorities=[],
            set_priority=Priority.urgent,
        )
    ]
    position = 20
    for category, name, _ in TEAMS:
        if category in (Category.responsible_gambling, Category.other):
            continue
        rules.append(
            RoutingRule(
                position=position,
                name=f"{name}: {category.value.replace('_', ' ')}",
                team_id=teams[category].id,
                categories=[category.value],
                languages=[],
                jurisdictions=[],
                priorities=[],
            )
        )
        position += 10
    session.add_all(rules)
    session.add_all(SlaPolicy(**values) for values in policies(fallback))
    for values in jurisdiction_catalogue(regulatory_days):
        session.add(JurisdictionRule(**values))
    session.flush()


def install_on_start(db: Database, fallback: DeadlinePolicy) -> bool:
    """Install the starting configuration when the app starts, if the desk has none.

    A database that is unreachable or not migrated yet is left alone: the desk still
    starts (``/healthz`` says what is wrong) and the first case filed installs it.
    """
    try:
        with db.transaction() as session:
            return install(session, fallback)
    except (OperationalError, ProgrammingError) as exc:
        log.warning("the starting routing and SLA configuration was not installed: %s", exc)
        return False
