"""The rows of one synthetic case: the case, its timeline, messages, search text, clocks.

A case is drawn from the shares below (category, priority, language, jurisdiction,
status), then its history is written the way the desk writes it: created, acknowledged,
routed, SLA applied, the first response, the conversation, waiting for the customer,
escalation, the resolution, closing and feedback, as far as its status has gone.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from bisect import bisect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bench import vocabulary as words

COLUMNS: dict[str, tuple[str, ...]] = {
    "complaints": (
        "id",
        "reference",
        "access_key_hash",
        "kind",
        "status",
        "category",
        "priority",
        "language",
        "jurisdiction",
        "subject",
        "description",
        "customer_email",
        "customer_name",
        "customer_phone",
        "customer_account_id",
        "bet_ids",
        "evidence",
        "team",
        "assignee_id",
        "outcome",
        "resolution_summary",
        "compensation_amount",
        "compensation_currency",
        "feedback_score",
        "feedback_comment",
        "created_at",
        "updated_at",
        "acknowledgement_due_at",
        "acknowledged_at",
        "first_response_due_at",
        "first_responded_at",
        "resolution_due_at",
        "resolved_at",
        "regulatory_due_at",
        "next_response_due_at",
        "closed_at",
        "due_at",
        "sla_state",
        "version",
    ),
    "complaint_events": ("complaint_id", "at", "type", "actor", "user_id", "public", "data"),
    "messages": ("complaint_id", "author", "user_id", "internal", "body", "created_at"),
    "complaint_search": ("complaint_id", "document"),
    "case_clocks": (
        "complaint_id",
        "policy_id",
        "policy_key",
        "calendar_id",
        "jurisdiction",
        "first_response_seconds",
        "next_response_seconds",
        "resolution_seconds",
        "regulatory_days",
        "extension_days",
        "extended_at",
        "pause_clocks",
        "regulatory_pauses",
        "at_risk_percent",
        "started_at",
        "resolution_started_at",
        "regulatory_started_at",
        "next_response_started_at",
        "paused_since",
        "paused_seconds",
        "flags",
        "next_check_at",
    ),
    "clock_pauses": ("complaint_id", "started_at", "ended_at", "clocks", "reason"),
}

OPEN = ("received", "in_progress", "awaiting_customer", "escalated")
STATUS_WEIGHTS = {
    # Finished, 95%: two years of history, resolved in days.
    "closed": 66,
    "resolved": 28,
    "referred_to_adr": 1,
    # Open, 5%: the last weeks' cases, a backlog that keeps a team's queue pages deep.
    "in_progress": 2,
    "awaiting_customer": 1.2,
    "received": 1,
    "escalated": 0.8,
}
PRIORITY_WEIGHTS = {"normal": 75, "low": 12, "high": 10, "urgent": 3}
LANGUAGE_WEIGHTS = {"ru": 55, "en": 45}
JURISDICTIONS = {"GB": 35, None: 20, "MT": 15, "CW": 10, "CA-ON": 5, "SE": 5, "DE": 5, "IE": 5}
REGULATORY_DAYS = {"CW": 28, "CA-ON": 90}
OUTCOME_WEIGHTS = {"not_upheld": 45, "upheld": 30, "partially_upheld": 15, "withdrawn": 10}
# (first response, next response, resolution) in hours, by SLA policy.
POLICY_HOURS = {"urgent": (2, 4, 24), "high": (8, 12, 36), "default": (24, 24, 48)}
PAUSED = ["resolution", "regulatory"]
HOUR = dt.timedelta(hours=1)
# One encoder for every payload: json.dumps with options builds a new one on each call.
_json = json.JSONEncoder(ensure_ascii=False).encode
EMPTY = "{}"
_CLOCKS_PAUSED = _json({"clocks": PAUSED})
PAUSED_JSON = _json(PAUSED)
_MOVES = {
    (a, b): _json({"from": a, "to": b})
    for a, b in [
        ("received", "in_progress"),
        ("in_progress", "awaiting_customer"),
        ("in_progress", "escalated"),
        ("in_progress", "resolved"),
        ("resolved", "closed"),
        ("closed", "referred_to_adr"),
    ]
}
DAY = dt.timedelta(days=1)


class _Draw:
    """Weighted choice from a table, faster than random.choices for one item at a time."""

    def __init__(self, weights: Mapping[Any, float]) -> None:
        self.items = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


class Generator:
    """Rows for a range of case ids; deterministic for a seed (and the moment ``now``)."""

    def __init__(
        self,
        *,
        seed: int,
        now: dt.datetime,
        teams: Sequence[str],
        agents: dict[str, list[int]],
        policies: dict[str, int],
        access_key_hash: str,
        time: Callable[[Any], Any],
        customers: int,
    ) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.customers = max(10, customers)
        self.now = now
        self.teams = set(teams)
        self.agents = agents
        self.policies = policies
        self.key_hash = access_key_hash
        self.t = time
        self.status = _Draw(STATUS_WEIGHTS)
        self.category = _Draw(words.CATEGORY_WEIGHTS)
        self.priority = _Draw(PRIORITY_WEIGHTS)
        self.language = _Draw(LANGUAGE_WEIGHTS)
        self.jurisdiction = _Draw(JURISDICTIONS)
        self.outcome = _Draw(OUTCOME_WEIGHTS)

    # --- text ---------------------------------------------------------------------

    def _slots(self, lang: str, case_id: int, created: dt.datetime) -> dict[str, Any]:
        rng, s = self.rng, words.SLOTS[lang]
        clubs = s["club"]
        return {
            "sport": rng.choice(s["sport"]),
            "club": rng.choice(clubs),
            "club2": rng.choice(clubs),
            "market": rng.choice(s["market"]),
            "method": rng.choice(s["method"]),
            "bonus": rng.choice(s["bonus"]),
            "device": rng.choice(s["device"]),
            "currency": rng.choice(s["currency"]),
            "amount": rng.choice((10, 20, 25, 50, 75, 100, 150, 200, 500, 1200)),
            "bet": f"{rng.randint(10_000_000, 99_999_999)}",
            "date": (created - dt.timedelta(days=rng.randint(0, 6))).strftime("%d.%m.%Y"),
            "years": rng.randint(2, 12),
            "team": "",
            "case": case_id,
        }

    def _text(self, lang: str, category: str, slots: dict[str, Any]) -> tuple[str, str]:
        rng = self.rng
        subject = rng.choice(words.SUBJECTS[lang][category]).format(**slots)
        parts = [rng.choice(words.OPENERS[lang][category]).format(**slots)]
        details = words.DETAILS[lang]
        for _ in range(rng.randint(1, 3)):
            parts.append(rng.choice(details).format(**slots))
        if rng.random() < 0.03:
            parts.append(rng.choice(words.RARE[lang]) + ".")
        parts.append(rng.choice(words.CLOSERS[lang]))
        text = " ".join(parts)
        return subject, text[0].upper() + text[1:]

    # --- one batch ------------------------------------------------------------------

    def batch(self, ids: range, reference: Callable[[int], str]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {name: [] for name in COLUMNS}
        # Each batch draws from its own seed: the same cases whichever process makes them.
        self.rng.seed(self.seed * 1_000_003 + ids.start)
        for case_id in ids:
            self._case(case_id, reference(case_id), out)
        return out

    def _case(self, case_id: int, ref: str, out: dict[str, list[Any]]) -> None:
        rng, t, now = self.rng, self.t, self.now
        category = self.category(rng)
        lang = self.language(rng)
        status = self.status(rng)
        priority = "urgent" if category == "responsible_gambling" else self.priority(rng)
        jurisdiction = self.jurisdiction(rng)
        policy = priority if priority in ("urgent", "high") else "default"
        fr_h, nr_h, res_h = POLICY_HOURS[policy]
        reg_days = REGULATORY_DAYS.get(jurisdiction or "", 56)
        finished = status not in OPEN
        if status == "received":
            created = now - dt.timedelta(seconds=rng.randint(60, 36 * 3600))
        elif finished:
            created = now - dt.timedelta(seconds=rng.randint(14 * 86400, 730 * 86400))
        else:
            created = now - dt.timedelta(seconds=rng.randint(3600, 14 * 86400))
        team = category if category in self.teams else None
        agents = self.agents.get(team or "", [])
        assignee = (
            rng.choice(agents) if agents and (status != "received" or rng.random() < 0.5) else None
        )
        slots = self._slots(lang, case_id, created)
        subject, description = self._text(lang, category, slots)
        slots["team"] = category.replace("_", " ")
        first_due = created + fr_h * HOUR
        resolution_due = created + res_h * HOUR
        regulatory_due = created + reg_days * DAY

        events: list[tuple[dt.datetime, str, str, int | None, bool, Any]] = [
            (
                created,
                "created",
                "customer",
                None,
                True,
                {"kind": "complaint", "category": category},
            ),
            (
                created,
                "acknowledged",
                "system",
                None,
                True,
                {
                    "first_response_due": first_due.isoformat(),
                    "resolution_due": resolution_due.isoformat(),
                    "regulatory_due": regulatory_due.isoformat(),
                },
            ),
            (
                created,
                "routed",
                "system",
                None,
                False,
                {
                    "team": team,
                    "rule": None,
                    "assignee": None
                    if assignee is None
                    else f"agent.{team}.{agents.index(assignee) + 1}",
                },
            ),
            (
                created,
                "sla_applied",
                "system",
                None,
                False,
                {
                    "policy": policy,
                    "calendar": None,
                    "jurisdiction": jurisdiction or "default",
                    "pause_clocks": PAUSED,
                },
            ),
        ]
        messages: list[tuple[str, int | None, bool, str, dt.datetime]] = []
        first_responded = next_due = resolved = closed = paused_since = None
        outcome = summary = compensation = currency = feedback = None
        at = created
        if status != "received":
            at = created + dt.timedelta(seconds=rng.randint(1800, 20 * 3600))
            if not finished:
                at = min(at, now - dt.timedelta(seconds=60))
            first_responded = at
            reply = rng.choice(words.STAFF_REPLIES[lang]).format(**slots)
            messages.append(("staff", assignee, False, reply, at))
            events += [
                (at, "staff_reply", "staff", assignee, True, EMPTY),
                (
                    at,
                    "first_response",
                    "system",
                    None,
                    False,
                    {"due": first_due.isoformat(), "met": at <= first_due},
                ),
                (at, "status_changed", "staff", assignee, True, _MOVES["received", "in_progress"]),
            ]
            if rng.random() < 0.6:
                at = at + dt.timedelta(seconds=rng.randint(600, 30 * 3600))
                if not finished:
                    at = min(at, now - dt.timedelta(seconds=30))
                text = rng.choice(words.CUSTOMER_REPLIES[lang])
                messages.append(("customer", None, False, text, at))
                events.append((at, "customer_message", "customer", None, True, EMPTY))
                if not finished and rng.random() < 0.5:
                    next_due = at + nr_h * HOUR
            if rng.random() < 0.25:
                messages.append(("staff", assignee, True, rng.choice(words.NOTES), at))
                events.append((at, "note", "staff", assignee, False, EMPTY))
        if status == "awaiting_customer":
            paused_since = at
            events += [
                (
                    at,
                    "status_changed",
                    "staff",
                    assignee,
                    True,
                    _MOVES["in_progress", "awaiting_customer"],
                ),
                (at, "clock_paused", "system", None, True, _CLOCKS_PAUSED),
            ]
        if status == "escalated":
            events.append(
                (at, "status_changed", "staff", assignee, True, _MOVES["in_progress", "escalated"])
            )
        if finished:
            resolved = at + dt.timedelta(seconds=rng.randint(3600, 10 * 86400))
            outcome = self.outcome(rng)
            summary = rng.choice(words.RESOLUTIONS[lang][outcome]).format(**slots)
            data: dict[str, Any] = {"outcome": outcome}
            if outcome in ("upheld", "partially_upheld"):
                compensation, currency = f"{slots['amount']}.00", slots["currency"]
                data["compensation"] = {"amount": compensation, "currency": currency}
            messages.append(("staff", assignee, False, summary, resolved))
            events += [
                (resolved, "resolution", "staff", assignee, True, data),
                (
                    resolved,
                    "status_changed",
                    "staff",
                    assignee,
                    True,
                    _MOVES["in_progress", "resolved"],
                ),
            ]
            if status in ("closed", "referred_to_adr"):
                closed = resolved + dt.timedelta(days=rng.randint(7, 14))
                events.append(
                    (closed, "status_changed", "system", None, True, _MOVES["resolved", "closed"])
                )
                if rng.random() < 0.3:
                    feedback = rng.randint(1, 5)
                    events.append((closed, "feedback", "customer", None, True, {"score": feedback}))
            if status == "referred_to_adr":
                events.append(
                    (
                        closed or resolved,
                        "status_changed",
                        "staff",
                        assignee,
                        True,
                        _MOVES["closed", "referred_to_adr"],
                    )
                )
        updated = max(e[0] for e in events)

        due = None
        if not finished:
            pending = [resolution_due, regulatory_due]
            if next_due:
                pending.append(next_due)
            if first_responded is None:
                pending.append(first_due)
            due = min(pending)
        sla_state = "ok"
        if due is not None and due <= now:
            sla_state = "breached"
        elif (
            not finished
            and first_responded is None
            and now - created >= 0.8 * (first_due - created)
        ):
            sla_state = "at_risk"

        lang_name = words.FIRST_NAMES[lang]
        name = f"{rng.choice(lang_name)} {rng.choice(words.LAST_NAMES[lang])}"
        account = rng.randint(1, self.customers)
        email = f"{rng.choice(words.MAIL_NAMES)}.{account}@{rng.choice(words.MAIL_DOMAINS)}"
        out["complaints"].append(
            (
                case_id,
                ref,
                self.key_hash,
                "complaint",
                status,
                category,
                priority,
                lang,
                jurisdiction,
                subject[:200],
                description,
                email,
                name,
                f"+44 7{rng.randint(100_000_000, 999_999_999)}" if rng.random() < 0.4 else None,
                f"ACC-{account:07d}",
                "[]",
                None,
                team,
                assignee,
                outcome,
                summary,
                compensation,
                currency,
                feedback,
                None,
                t(created),
                t(updated),
                t(created + 24 * HOUR),
                t(created),
                t(first_due),
                t(first_responded),
                t(resolution_due),
                t(resolved),
                t(regulatory_due),
                t(next_due),
                t(closed),
                t(due),
                sla_state,
                1 + len(events) // 3,
            )
        )
        out["complaint_events"].extend(
            (
                case_id,
                t(when),
                kind,
                actor,
                user,
                public,
                data if isinstance(data, str) else _json(data),
            )
            for when, kind, actor, user, public, data in sorted(events, key=lambda e: e[0])
        )
        out["messages"].extend(
            (case_id, author, user, internal, body, t(when))
            for author, user, internal, body, when in messages
        )
        document = "\n".join([subject, description] + [m[3] for m in messages])
        out["complaint_search"].append((case_id, document))
        paused_seconds = 0
        out["case_clocks"].append(
            (
                case_id,
                self.policies.get(policy),
                policy,
                None,
                jurisdiction or "default",
                fr_h * 3600,
                nr_h * 3600,
                res_h * 3600,
                reg_days,
                0,
                None,
                PAUSED_JSON,
                True,
                80,
                t(created),
                t(created),
                t(created),
                t(at) if next_due else None,
                t(paused_since),
                paused_seconds,
                "{}",
                t(due) if due and due > now else None,
            )
        )
        if paused_since is not None:
            out["clock_pauses"].append(
                (case_id, t(paused_since), None, PAUSED_JSON, "awaiting_customer")
            )
