"""Read models of the clocks: which policy and which jurisdiction rule apply, the terms a
customer is promised before filing, and the SLA block of a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session

from complaintdesk.complaints.models import Category, Priority
from complaintdesk.sla import wording
from complaintdesk.sla.clocks import DAY
from complaintdesk.sla.defaults import DEFAULT_JURISDICTION, DEFAULT_PAUSE_CLOCKS, DeadlinePolicy
from complaintdesk.sla.models import Clock, JurisdictionRule, SlaPolicy

# Built once per process: every new case asks.
_POLICIES = select(SlaPolicy).order_by(SlaPolicy.position, SlaPolicy.id)


def ordered_policies(session: Session) -> Sequence[SlaPolicy]:
    return session.scalars(_POLICIES).all()


def match_policy(
    policies: Sequence[SlaPolicy], category: Category | str, priority: Priority | str
) -> SlaPolicy | None:
    """The first policy (by position) whose categories and priorities admit the case."""
    category, priority = str(category), str(priority)
    for policy in policies:
        if policy.categories and category not in policy.categories:
            continue
        if policy.priorities and priority not in policy.priorities:
            continue
        return policy
    return None


_MEMO = "complaintdesk.jurisdiction_rules"


@event.listens_for(Session, "before_flush")
def _forget_changed_rules(session: Session, _context: Any, _instances: Any) -> None:
    """A rule added, changed or removed in this unit of work is looked up afresh."""
    if _MEMO in session.info and any(
        isinstance(o, JurisdictionRule) for o in (*session.new, *session.dirty, *session.deleted)
    ):
        del session.info[_MEMO]


_RULES = select(JurisdictionRule).where(
    JurisdictionRule.code.in_(bindparam("codes", expanding=True))
)


def _wanted(code: str | None) -> tuple[str, ...]:
    """The codes a rule for ``code`` is looked for under, in order."""
    wanted = []
    if code:
        wanted.append(code.upper())
        if "-" in code:
            wanted.append(code.split("-", 1)[0].upper())
    wanted.append(DEFAULT_JURISDICTION)
    return tuple(wanted)


def jurisdiction_rule(session: Session, code: str | None) -> JurisdictionRule | None:
    """The rule for ``code``: its own, else its country's (``GB-SCT`` → ``GB``), else the
    ``default`` rule; None only when the desk has no rule at all."""
    # Filing a case asks twice (its clocks, then its acknowledgement's ADR body): one query
    # per unit of work. Rules are configuration; a change to one commits in another.
    memo: dict[tuple[str, ...], JurisdictionRule | None] = session.info.setdefault(_MEMO, {})
    key = _wanted(code)
    if key not in memo:
        rules = {r.code: r for r in session.scalars(_RULES, {"codes": list(key)})}
        memo[key] = next((rules[c] for c in key if c in rules), None)
    return memo[key]


def found_rule(session: Session, rule: JurisdictionRule) -> None:
    """Remember ``rule``, read by another query, as the rule for its own code: what
    :func:`jurisdiction_rule` answers for a code that has a rule of its own."""
    session.info.setdefault(_MEMO, {})[_wanted(rule.code)] = rule


@dataclass(frozen=True, slots=True)
class CustomerTerms:
    """What a customer is promised before filing, in their language.

    The targets are those of a normal-priority case; ``working_hours_only`` says they are
    counted in the desk's working hours rather than around the clock.
    """

    language: str
    jurisdiction: str | None  # the rule applied (GB, CA-ON...), None for the default one
    jurisdiction_name: str | None
    regulator: str | None
    regulator_url: str | None
    acknowledgement: dt.timedelta
    first_response: dt.timedelta
    resolution: dt.timedelta
    working_hours_only: bool
    regulatory_days: int
    statutory: bool
    extension_days: int
    extension_rule: str | None
    adr_name: str | None
    adr_url: str | None
    summary: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "jurisdiction": self.jurisdiction,
            "jurisdiction_name": self.jurisdiction_name,
            "regulator": self.regulator,
            "regulator_url": self.regulator_url,
            "acknowledgement_hours": self.acknowledgement.total_seconds() / 3600,
            "first_response_hours": self.first_response.total_seconds() / 3600,
            "resolution_hours": self.resolution.total_seconds() / 3600,
            "working_hours_only": self.working_hours_only,
            "regulatory_days": self.regulatory_days,
            "statutory": self.statutory,
            "extension_days": self.extension_days,
            "extension_rule": self.extension_rule,
            "adr_name": self.adr_name,
            "adr_url": self.adr_url,
            "summary": self.summary,
        }


def customer_terms(session: Session, jurisdiction: str | None, language: str) -> CustomerTerms:
    """The acknowledgement, response and resolution targets, the regulator's deadline and
    its extension rule, and the ADR body, for a customer of ``jurisdiction``."""
    language = language if language in wording.LANGUAGES else "en"
    fallback = DeadlinePolicy()
    rule = jurisdiction_rule(session, jurisdiction)
    policy = match_policy(ordered_policies(session), Category.other, Priority.normal)
    first = (
        dt.timedelta(minutes=policy.first_response_minutes) if policy else fallback.first_response
    )
    resolution = dt.timedelta(minutes=policy.resolution_minutes) if policy else fallback.resolution
    acknowledgement = (
        dt.timedelta(hours=rule.acknowledgement_hours) if rule else fallback.acknowledgement
    )
    if policy and policy.acknowledgement_minutes is not None:
        acknowledgement = min(acknowledgement, dt.timedelta(minutes=policy.acknowledgement_minutes))
    days = rule.regulatory_days if rule else fallback.regulatory.days
    extension = rule.extension_days if rule else 0
    ru = language == "ru"
    named = rule is not None and rule.code != DEFAULT_JURISDICTION
    extension_rule = None
    if extension:
        more = wording.duration(extension * DAY, language)
        extension_rule = (
            f"Срок можно продлить один раз, ещё на {more}, и только с письменным уведомлением вам."
            if ru
            else f"The deadline may be extended once, by {more}, and only with written notice "
            "to you."
        )
    working = bool(policy and policy.calendar_id)
    summary = _summary(
        language,
        acknowledgement=acknowledgement,
        first=first,
        resolution=resolution,
        working=working,
        days=days,
        pauses=bool(rule.allow_pause if rule else True)
        and Clock.regulatory.value in (policy.pause_clocks if policy else DEFAULT_PAUSE_CLOCKS),
        extension_rule=extension_rule,
        adr=rule.adr_name if rule and rule.adr_name else None,
    )
    return CustomerTerms(
        language=language,
        jurisdiction=rule.code if rule and named else None,
        jurisdiction_name=((rule.name_ru or rule.name) if ru else rule.name) if rule else None,
        regulator=(rule.regulator or None) if rule else None,
        regulator_url=(rule.regulator_url or None) if rule else None,
        acknowledgement=acknowledgement,
        first_response=first,
        resolution=resolution,
        working_hours_only=working,
        regulatory_days=days,
        statutory=bool(rule and rule.statutory),
        extension_days=extension,
        extension_rule=extension_rule,
        adr_name=(rule.adr_name or None) if rule else None,
        adr_url=(rule.adr_url or None) if rule else None,
        summary=summary,
    )


def _summary(
    language: str,
    *,
    acknowledgement: dt.timedelta,
    first: dt.timedelta,
    resolution: dt.timedelta,
    working: bool,
    days: int,
    pauses: bool,
    extension_rule: str | None,
    adr: str | None,
) -> str:

    def d(span: dt.timedelta) -> str:
        return wording.duration(span.total_seconds(), language, genitive=True, hours_up_to=72)

    ack = (
        ("сразу" if language == "ru" else "at once")
        if acknowledgement < dt.timedelta(minutes=1)
        else (
            f"в течение {d(acknowledgement)}"
            if language == "ru"
            else f"within {d(acknowledgement)}"
        )
    )
    if language == "ru":
        hours = " рабочего времени" if working else ""
        text = [
            f"Мы подтверждаем получение жалобы {ack}, отвечаем в течение {d(first)}{hours} "
            f"и стремимся решить вопрос в течение {d(resolution)}{hours}.",
            f"Окончательный ответ вы получите не позднее чем через "
            f"{wording.duration(days * DAY, 'ru')}"
            + (" (время ожидания вашего ответа не считается)." if pauses else "."),
        ]
        if extension_rule:
            text.append(extension_rule)
        if adr:
            text.append(
                "Если вы не согласны с нашим решением, вы можете бесплатно передать спор "
                f"независимой службе разрешения споров (ADR): {adr}."
            )
        return " ".join(text)
    hours = " of working time" if working else ""
    text = [
        f"We acknowledge your complaint {ack}, reply within {d(first)}{hours} and aim to "
        f"resolve it within {d(resolution)}{hours}.",
        f"You will have our final response within {wording.duration(days * DAY, 'en')} at most"
        + (", not counting the time we wait for your reply." if pauses else "."),
    ]
    if extension_rule:
        text.append(extension_rule)
    if adr:
        text.append(
            "If you disagree with our decision, you can take it, free of charge, to the "
            f"independent dispute-resolution (ADR) body: {adr}."
        )
    return " ".join(text)
