"""Reading a wagering case: the bonus terms, the bets and their legs, checked field by field.

Everything that reaches the rules has been validated here, so the rules never meet a
missing field, a float, a naive time or dates out of order. Every refusal is an
:class:`InvalidInput` naming the dotted path of the field (``bets[3].legs[0].odds``),
because the person fixing the input is usually an operator's engineer looking at a JSON
export, and "invalid input" alone would send them searching.

Money and odds are strings (or integers), never floats; times are ISO 8601 with an offset
and are converted to UTC. Unknown fields are refused at every level: a misspelt
``max_bets`` silently ignored would produce a confident and wrong answer to a customer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.betting.money import check_currency, minor_units, parse_amount, round_money

BET_TYPES = ("single", "accumulator", "system")
BET_STATUSES = ("settled", "open", "cashed_out", "void")
# "push" (a stake returned on a handicap or total landing on the line) is treated exactly
# like "void": the leg neither won nor lost and has no odds to speak of.
LEG_RESULTS = ("won", "lost", "void", "push", "half_won", "half_lost", "open")
VOID_RESULTS = frozenset({"void", "push"})
BASES = ("bonus", "deposit_plus_bonus", "deposit")
COUNTING = ("stake", "lesser_of_risk_and_win")

_CASE_FIELDS = {"bonus", "bets"}, {"bonus_balance"}
_BONUS_FIELDS = (
    {"amount", "currency", "wagering", "activated_at", "expires_at"},
    {
        "bonus_id",
        "deposit",
        "counts",
        "bet_types",
        "min_odds",
        "leg_min_odds",
        "min_qualifying_legs",
        "excluded_markets",
        "max_bet",
        "release_steps",
        "max_conversion",
    },
)
_WAGERING_FIELDS = {"multiplier", "base"}, set[str]()
_BET_FIELDS = (
    {"bet_id", "type", "stake", "placed_at", "status", "legs"},
    {"settled_at", "free_bet", "currency"},
)
_LEG_FIELDS = {"odds", "result"}, {"event_id", "market", "selection"}
_A_MULTIPLE = {"accumulator": "an accumulator", "system": "a system bet"}


@dataclass(frozen=True)
class Leg:
    """One selection of a bet. ``market`` and ``selection`` are compared case-insensitively."""

    odds: Decimal
    result: str
    event_id: str | None = None
    market: str | None = None
    selection: str | None = None

    @property
    def void(self) -> bool:
        """A void (or pushed) leg is not a leg: it has no odds and no side."""
        return self.result in VOID_RESULTS


@dataclass(frozen=True)
class Bet:
    """A bet as the rules see it; ``stake`` is the whole amount staked on the bet."""

    bet_id: str
    type: str
    stake: Decimal
    placed_at: datetime
    settled_at: datetime | None
    status: str
    free_bet: bool
    legs: tuple[Leg, ...]

    @property
    def live_legs(self) -> tuple[Leg, ...]:
        """The legs that were not void: the only ones that count as legs."""
        return tuple(leg for leg in self.legs if not leg.void)


@dataclass(frozen=True)
class Terms:
    """The bonus terms; optional rules are ``None`` (or empty) when the bonus has none."""

    amount: Decimal
    deposit: Decimal
    currency: str
    multiplier: Decimal
    base: str
    activated_at: datetime
    expires_at: datetime
    counts: str = "stake"
    bet_types: frozenset[str] = frozenset(BET_TYPES)
    min_odds: Decimal | None = None
    leg_min_odds: Decimal | None = None
    min_qualifying_legs: int | None = None
    excluded_markets: frozenset[str] = frozenset()
    max_bet: Decimal | None = None
    release_steps: int | None = None
    max_conversion: Decimal | None = None
    bonus_id: str | None = None

    @property
    def requirement(self) -> Decimal:
        """Multiplier × base, rounded once to the currency's minor unit."""
        base = {
            "bonus": self.amount,
            "deposit": self.deposit,
            "deposit_plus_bonus": self.deposit + self.amount,
        }[self.base]
        return round_money(self.multiplier * base, self.currency)


@dataclass(frozen=True)
class Case:
    """A validated case: the terms, the bets in input order, and the bonus balance if given."""

    terms: Terms
    bets: tuple[Bet, ...]
    bonus_balance: Decimal | None


def parse_case(case: object) -> Case:
    """Validate ``case`` (the contract's JSON) and return it typed, or raise InvalidInput."""
    fields = check_fields(case, "", *_CASE_FIELDS)
    terms = _parse_terms(fields["bonus"])
    raw_bets = fields["bets"]
    if not isinstance(raw_bets, Sequence) or isinstance(raw_bets, str | bytes):
        raise InvalidInput("bets", "must be a list of bets")
    bets = tuple(
        _parse_bet(raw, f"bets[{index}]", terms.currency) for index, raw in enumerate(raw_bets)
    )
    seen: dict[str, int] = {}
    for index, bet in enumerate(bets):
        if bet.bet_id in seen:
            raise InvalidInput(
                f"bets[{index}].bet_id",
                f"{bet.bet_id!r} is already used by bets[{seen[bet.bet_id]}]; "
                "bet ids must be unique",
            )
        seen[bet.bet_id] = index
    balance = fields.get("bonus_balance")
    return Case(
        terms=terms,
        bets=bets,
        bonus_balance=None if balance is None else _money(balance, "bonus_balance", terms.currency),
    )


def parse_time(value: object, field: str) -> datetime:
    """An ISO 8601 time with an offset, as UTC. Naive times are refused.

    A time without an offset is ambiguous by up to a day across the operator's markets,
    and a day decides whether a bet was inside the bonus window.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(
                field, f"{value!r} is not an ISO 8601 time such as 2026-11-10T12:00:00Z"
            ) from None
    else:
        raise InvalidInput(field, "must be an ISO 8601 time such as 2026-11-10T12:00:00Z")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(field, "needs a time zone offset, e.g. 2026-11-10T12:00:00Z")
    return moment.astimezone(UTC)


def check_fields(
    value: object, path: str, required: set[str], optional: set[str], *, root: str = "case"
) -> Mapping[str, Any]:
    """``value`` as a mapping with every required field (not null) and no unknown one.

    ``path`` is the dotted path of ``value`` ("" for the top, which errors call ``root``).
    The payment reason explainer checks transactions and catalogue files with it too, so
    every engine words these refusals the same way.
    """
    where = path or root
    if not isinstance(value, Mapping):
        raise InvalidInput(where, "must be an object")
    unknown = sorted(str(key) for key in value if key not in required | optional)
    if unknown:
        known = ", ".join(sorted(required | optional))
        raise InvalidInput(_join(path, unknown[0]), f"is not a known field (known: {known})")
    for name in sorted(required):
        if name not in value or value[name] is None:
            raise InvalidInput(_join(path, name), "is required")
    return value


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, "must be a non-empty string")
    return value.strip()


def _choice(value: object, field: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise InvalidInput(field, f"must be one of {', '.join(allowed)}, not {value!r}")
    return str(value)


def _positive_int(value: object, field: str) -> int:
    # bool is an int in Python; "true" legs would otherwise pass as 1.
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(field, "must be a whole number of at least 1")
    return value


def _money(value: object, field: str, currency: str) -> Decimal:
    """An amount of ``currency``, refused if it has more decimals than the currency has.

    A stake of 0.50 JPY cannot have been taken; accepting it would make the report round
    it to an amount the customer never staked.
    """
    amount = parse_amount(value, field)
    if round_money(amount, currency) != amount:
        raise InvalidInput(
            field, f"has more decimals than {currency} allows ({minor_units(currency)})"
        )
    return amount


def _odds(value: object, field: str) -> Decimal:
    odds = parse_amount(value, field)
    if odds < 1:
        raise InvalidInput(field, "decimal odds must be at least 1.00")
    return odds


def _parse_terms(raw: object) -> Terms:
    bonus = check_fields(raw, "bonus", *_BONUS_FIELDS)
    currency = check_currency(bonus["currency"], "bonus.currency")
    wagering = check_fields(bonus["wagering"], "bonus.wagering", *_WAGERING_FIELDS)
    base = _choice(wagering["base"], "bonus.wagering.base", BASES)
    deposit = bonus.get("deposit")
    if deposit is None and base != "bonus":
        raise InvalidInput("bonus.deposit", f"is required when the wagering base is {base}")
    activated_at = parse_time(bonus["activated_at"], "bonus.activated_at")
    expires_at = parse_time(bonus["expires_at"], "bonus.expires_at")
    if expires_at <= activated_at:
        raise InvalidInput("bonus.expires_at", "must be after bonus.activated_at")

    bet_types = frozenset(BET_TYPES)
    if bonus.get("bet_types") is not None:
        listed = _string_list(bonus["bet_types"], "bonus.bet_types")
        if not listed:
            raise InvalidInput("bonus.bet_types", "must name at least one bet type")
        for index, name in enumerate(listed):
            _choice(name, f"bonus.bet_types[{index}]", BET_TYPES)
        bet_types = frozenset(listed)

    excluded: frozenset[str] = frozenset()
    if bonus.get("excluded_markets") is not None:
        excluded = frozenset(
            name.casefold()
            for name in _string_list(bonus["excluded_markets"], "bonus.excluded_markets")
        )

    def in_currency(value: object, field: str) -> Decimal:
        return _money(value, field, currency)

    def optional(name: str, parse: Any) -> Any:
        value = bonus.get(name)
        return None if value is None else parse(value, f"bonus.{name}")

    return Terms(
        amount=_money(bonus["amount"], "bonus.amount", currency),
        deposit=Decimal(0) if deposit is None else _money(deposit, "bonus.deposit", currency),
        currency=currency,
        multiplier=parse_amount(wagering["multiplier"], "bonus.wagering.multiplier"),
        base=base,
        activated_at=activated_at,
        expires_at=expires_at,
        counts=_choice(bonus.get("counts") or "stake", "bonus.counts", COUNTING),
        bet_types=bet_types,
        min_odds=optional("min_odds", _odds),
        leg_min_odds=optional("leg_min_odds", _odds),
        min_qualifying_legs=optional("min_qualifying_legs", _positive_int),
        excluded_markets=excluded,
        max_bet=optional("max_bet", in_currency),
        release_steps=optional("release_steps", _positive_int),
        max_conversion=optional("max_conversion", in_currency),
        bonus_id=optional("bonus_id", _text),
    )


def _string_list(value: object, field: str) -> list[str]:
    if not isinstance(value, Sequence) or isinstance(value, str | bytes):
        raise InvalidInput(field, "must be a list of strings")
    return [_text(item, f"{field}[{index}]") for index, item in enumerate(value)]


def _parse_bet(raw: object, path: str, currency: str) -> Bet:
    bet = check_fields(raw, path, *_BET_FIELDS)
    if bet.get("currency") is not None and bet["currency"] != currency:
        raise InvalidInput(
            f"{path}.currency",
            f"is {bet['currency']!r} but the bonus is in {currency}; "
            "only bets in the bonus currency can wager it",
        )
    bet_type = _choice(bet["type"], f"{path}.type", BET_TYPES)
    status = _choice(bet["status"], f"{path}.status", BET_STATUSES)
    stake = _money(bet["stake"], f"{path}.stake", currency)
    if stake == 0:
        raise InvalidInput(f"{path}.stake", "must be more than zero")
    placed_at = parse_time(bet["placed_at"], f"{path}.placed_at")
    settled_at = None
    if bet.get("settled_at") is not None:
        settled_at = parse_time(bet["settled_at"], f"{path}.settled_at")
        if settled_at < placed_at:
            raise InvalidInput(f"{path}.settled_at", "is before placed_at")
    elif status == "settled":
        # Contributions are counted in settlement order; a settled bet without the time
        # cannot be placed in that order.
        raise InvalidInput(f"{path}.settled_at", "is required for a settled bet")
    free_bet = False if bet.get("free_bet") is None else bet["free_bet"]
    if not isinstance(free_bet, bool):
        raise InvalidInput(f"{path}.free_bet", "must be true or false")

    raw_legs = bet["legs"]
    if not isinstance(raw_legs, Sequence) or isinstance(raw_legs, str | bytes) or not raw_legs:
        raise InvalidInput(f"{path}.legs", "must be a non-empty list of legs")
    legs = tuple(_parse_leg(leg, f"{path}.legs[{index}]") for index, leg in enumerate(raw_legs))
    if bet_type == "single" and len(legs) != 1:
        raise InvalidInput(f"{path}.legs", f"a single has exactly one leg, not {len(legs)}")
    if bet_type != "single" and len(legs) < 2:
        raise InvalidInput(f"{path}.legs", f"{_A_MULTIPLE[bet_type]} needs at least two legs")
    return Bet(
        bet_id=_text(bet["bet_id"], f"{path}.bet_id"),
        type=bet_type,
        stake=stake,
        placed_at=placed_at,
        settled_at=settled_at,
        status=status,
        free_bet=free_bet,
        legs=legs,
    )


def _parse_leg(raw: object, path: str) -> Leg:
    leg = check_fields(raw, path, *_LEG_FIELDS)

    def label(name: str) -> str | None:
        value = leg.get(name)
        if value is None:
            return None
        # Platforms often number their events; an integer id names the same event as its
        # digits do.
        if name == "event_id" and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return _text(value, f"{path}.{name}")

    return Leg(
        odds=_odds(leg["odds"], f"{path}.odds"),
        result=_choice(leg["result"], f"{path}.result", LEG_RESULTS),
        event_id=label("event_id"),
        market=label("market"),
        selection=label("selection"),
    )
