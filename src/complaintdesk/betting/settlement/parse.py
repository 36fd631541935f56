"""Validation: a bet record as JSON (a mapping) → a :class:`BetRecord`, or InvalidInput.

Every check of the contract lives here, once, so that settlement can trust its input.
Errors name the offending field as a dotted path (``legs[1].odds``) and say what would
be valid. Unknown fields are refused at every level: a misspelt ``each_wya`` silently
ignored would settle a different bet from the one the customer struck.

The operator platform's bet records carry a few informational fields beside the
settlement contract's (``account_id``, ``placed_at``, ``settled_at``, ``status`` on the
bet; ``event``, ``market_name``, ``selection_name`` on a leg). They are accepted so that
a fetched record can be verified as it is; the names make explanations readable, the
rest plays no part in settlement.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.betting.money import check_currency, minor_units
from complaintdesk.betting.settlement import values
from complaintdesk.betting.settlement.odds import Odds, parse_odds
from complaintdesk.betting.settlement.profile import Rules, parse_rules
from complaintdesk.betting.settlement.records import (
    ACCUMULATOR,
    PER_BET,
    PER_LINE,
    RESULTS,
    SINGLE,
    SYSTEM,
    WON,
    AnyLeg,
    BetRecord,
    DeadHeat,
    FixedLeg,
    HandicapLeg,
    RaceLeg,
    TotalLeg,
)
from complaintdesk.betting.settlement.systems import NAMED_SYSTEMS

# A slip this long is a data error, and the per-leg sentences would be unreadable.
MAX_LEGS = 100

_BET_KEYS = frozenset(
    {
        "bet_id",
        "currency",
        "type",
        "system",
        "stake",
        "stake_per",
        "each_way",
        "free_bet",
        "cash_out",
        "max_winnings",
        "paid_return",
        "rules",
        "legs",
    }
)
_PLATFORM_BET_KEYS = frozenset({"account_id", "placed_at", "settled_at", "status"})
_LEG_COMMON = frozenset({"odds", "market", "palpable_error"})
_DISPLAY_LEG_KEYS = ("event", "market_name", "selection_name")
_DISPLAY_KEYS = frozenset(_DISPLAY_LEG_KEYS)
_MARKET_KEYS: dict[str, frozenset[str]] = {
    "fixed": frozenset({"result", "dead_heat"}),
    "asian_handicap": frozenset({"line", "score", "score_at_placement"}),
    "asian_total": frozenset({"side", "line", "total"}),
    "race": frozenset(
        {
            "position",
            "tied",
            "places",
            "place_fraction",
            "rule4",
            "non_runner",
            "starting_price",
            "bog",
        }
    ),
}
_ALL_MARKET_KEYS = frozenset().union(*_MARKET_KEYS.values())
# Every field a leg of each market may carry: checked in one set operation per leg.
_LEG_KEYS = {
    market: keys | _LEG_COMMON | frozenset(_DISPLAY_LEG_KEYS)
    for market, keys in _MARKET_KEYS.items()
}
_ALL_BET_KEYS = _BET_KEYS | _PLATFORM_BET_KEYS
_DEAD_HEAT_KEYS = frozenset({"tied", "places", "position"})
_EMPTY: tuple[Fraction, ...] = ()
# Minor units of the currencies seen so far: a bet's currency is checked once per process.
_CURRENCY_PLACES: dict[str, int] = {}


def parse_bet(bet: object, profiles: Mapping[str, Mapping[str, Any]] | None) -> BetRecord:
    """Check ``bet`` against the settlement contract and return the typed record."""
    if type(bet) is not dict and not isinstance(bet, Mapping):
        raise InvalidInput("", "a bet must be a JSON object")
    if not _ALL_BET_KEYS.issuperset(bet):
        unknown = next(key for key in bet if key not in _ALL_BET_KEYS)
        raise InvalidInput(str(unknown), "unknown field of a bet")

    bet_id = bet.get("bet_id")
    if bet_id is not None and (isinstance(bet_id, bool) or not isinstance(bet_id, str | int)):
        raise InvalidInput("bet_id", "must be a string or a whole number")
    if "currency" not in bet:
        raise InvalidInput("currency", "is required")
    currency = bet["currency"]
    places = _CURRENCY_PLACES.get(currency) if isinstance(currency, str) else None
    if places is None:
        currency = check_currency(currency)
        places = _CURRENCY_PLACES[currency] = minor_units(currency)

    kind = bet.get("type")
    if kind not in (SINGLE, ACCUMULATOR, SYSTEM):
        raise InvalidInput("type", 'must be "single", "accumulator" or "system"')
    if "stake" not in bet:
        raise InvalidInput("stake", "is required")
    stake = values.amount(bet["stake"], "stake", places, positive=True)
    stake_per = bet.get("stake_per", PER_LINE)
    if stake_per not in (PER_LINE, PER_BET):
        raise InvalidInput("stake_per", 'must be "line" or "bet"')
    each_way = _flag(bet, "each_way")
    free_bet = _flag(bet, "free_bet")
    cash_out = bet.get("cash_out")
    if cash_out is not None:
        cash_out = values.amount(cash_out, "cash_out", places)
    max_winnings = bet.get("max_winnings")
    if max_winnings is not None:
        max_winnings = values.amount(max_winnings, "max_winnings", places)
    paid_return = bet.get("paid_return")
    if paid_return is not None:
        paid_return = values.amount(paid_return, "paid_return", places)
    rules: Rules = parse_rules(bet.get("rules"), profiles)
    settled = cash_out is None

    raw_legs = bet.get("legs")
    if not isinstance(raw_legs, list) or not raw_legs:
        raise InvalidInput("legs", "must be a non-empty list of selections")
    if len(raw_legs) > MAX_LEGS:
        raise InvalidInput("legs", f"at most {MAX_LEGS} selections")
    legs = tuple(
        _parse_leg(raw, i, settled=settled, each_way=each_way) for i, raw in enumerate(raw_legs)
    )

    system, sizes = _shape(kind, bet.get("system"), len(legs))
    return BetRecord(
        bet_id=bet_id,
        currency=currency,
        places=places,
        kind=kind,
        system=system,
        sizes=sizes,
        stake=stake,
        stake_per=stake_per,
        each_way=each_way,
        free_bet=free_bet,
        cash_out=cash_out,
        max_winnings=max_winnings,
        paid_return=paid_return,
        rules=rules,
        legs=legs,
    )


def _flag(bet: Mapping[str, Any], key: str) -> bool:
    value = bet.get(key)
    return False if value is None else values.flag(value, key)


def _shape(kind: str, system: object, legs: int) -> tuple[str | None, tuple[int, ...]]:
    """The system's name (if named) and the combination sizes the bet covers."""
    if kind != SYSTEM:
        if system is not None:
            raise InvalidInput("system", f"only a system bet has a system, not a {kind}")
        if kind == SINGLE:
            if legs != 1:
                raise InvalidInput("legs", f"a single has exactly 1 leg, not {legs}")
            return None, (1,)
        if legs < 2:
            raise InvalidInput("legs", "an accumulator needs at least 2 legs")
        return None, (legs,)
    if isinstance(system, str):
        named = NAMED_SYSTEMS.get(system)
        if named is None:
            raise InvalidInput(
                "system",
                f"unknown system {system!r}; use one of {', '.join(NAMED_SYSTEMS)} "
                'or {"sizes": [k, ...]}',
            )
        needed, sizes = named
        if legs != needed:
            raise InvalidInput("legs", f"a {system} has exactly {needed} legs, not {legs}")
        return system, sizes
    if isinstance(system, Mapping):
        for key in system:
            if key != "sizes":
                raise InvalidInput(
                    f"system.{key}", 'unknown field; a system is {"sizes": [k, ...]}'
                )
        raw = system.get("sizes")
        if not isinstance(raw, list) or not raw:
            raise InvalidInput("system.sizes", "must be a non-empty list of combination sizes")
        sizes = tuple(values.count(k, f"system.sizes[{i}]", minimum=1) for i, k in enumerate(raw))
        for i, k in enumerate(sizes):
            if k > legs:
                raise InvalidInput(
                    f"system.sizes[{i}]",
                    f"a combination of {k} needs at least {k} legs, not {legs}",
                )
        if len(set(sizes)) != len(sizes):
            raise InvalidInput("system.sizes", "each size may appear only once")
        return None, tuple(sorted(sizes))
    raise InvalidInput(
        "system", 'is required for a system bet: a name such as "yankee" or {"sizes": [2]}'
    )


def _parse_leg(raw: object, index: int, *, settled: bool, each_way: bool) -> AnyLeg:
    at = f"legs[{index}]"
    if type(raw) is not dict and not isinstance(raw, Mapping):
        raise InvalidInput(at, "a leg must be a JSON object")
    market = raw.get("market", "fixed")
    allowed = _LEG_KEYS.get(market) if isinstance(market, str) else None
    if allowed is None:
        raise InvalidInput(
            f"{at}.market", 'must be "fixed", "asian_handicap", "asian_total" or "race"'
        )
    if not allowed.issuperset(raw):
        key = next(key for key in raw if key not in allowed)
        if key in _ALL_MARKET_KEYS:
            raise InvalidInput(f"{at}.{key}", f"does not apply to a {market} leg")
        raise InvalidInput(f"{at}.{key}", "unknown field of a leg")

    if "odds" not in raw:
        raise InvalidInput(f"{at}.odds", "is required")
    odds = parse_odds(raw["odds"], f"{at}.odds")
    correct = None
    if raw.get("palpable_error") is not None:
        correct = _palpable(raw["palpable_error"], f"{at}.palpable_error")
    name = None if _DISPLAY_KEYS.isdisjoint(raw) else _display_name(raw, at)
    number = index + 1
    if each_way and market != "race":
        raise InvalidInput(
            f"{at}.market",
            "an each-way bet needs race legs with place terms (places, place_fraction)",
        )

    if market == "fixed":
        result = raw.get("result")
        if result is None:
            if settled:
                raise InvalidInput(
                    f"{at}.result", "is required: won, lost, void, half_won or half_lost"
                )
        elif not isinstance(result, str) or result not in RESULTS:
            raise InvalidInput(f"{at}.result", "must be won, lost, void, half_won or half_lost")
        dead_heat = None
        if raw.get("dead_heat") is not None:
            dead_heat = _dead_heat(raw["dead_heat"], f"{at}.dead_heat")
            if result != WON:
                raise InvalidInput(
                    f"{at}.dead_heat", 'applies only to a selection whose result is "won"'
                )
        return FixedLeg(number, odds, correct, name, result, dead_heat)

    if market == "asian_handicap":
        if "line" not in raw:
            raise InvalidInput(f"{at}.line", "is required")
        line = values.line(raw["line"], f"{at}.line")
        score = _optional_score(raw, "score", at, required=settled)
        before = _optional_score(raw, "score_at_placement", at, required=False)
        if (
            before is not None
            and score is not None
            and (before[0] > score[0] or before[1] > score[1])
        ):
            raise InvalidInput(
                f"{at}.score_at_placement", "cannot have more goals than the final score"
            )
        return HandicapLeg(number, odds, correct, name, line, score, before)

    if market == "asian_total":
        side = raw.get("side")
        if side not in ("over", "under"):
            raise InvalidInput(f"{at}.side", 'must be "over" or "under"')
        if "line" not in raw:
            raise InvalidInput(f"{at}.line", "is required")
        line = values.line(raw["line"], f"{at}.line", negative_ok=False)
        total = raw.get("total")
        if total is None:
            if settled:
                raise InvalidInput(f"{at}.total", "is required: the total counted, e.g. 3")
        else:
            total = values.count(total, f"{at}.total", minimum=0)
        return TotalLeg(number, odds, correct, name, side, line, total)

    return _race_leg(
        raw,
        at,
        number=number,
        odds=odds,
        correct=correct,
        name=name,
        settled=settled,
        each_way=each_way,
    )


def _race_leg(
    raw: Mapping[str, Any],
    at: str,
    *,
    number: int,
    odds: Odds,
    correct: Odds | None,
    name: str | None,
    settled: bool,
    each_way: bool,
) -> RaceLeg:
    non_runner = (
        False
        if raw.get("non_runner") is None
        else values.flag(raw["non_runner"], f"{at}.non_runner")
    )
    position = raw.get("position")
    if position is not None:
        position = values.count(position, f"{at}.position")
        if non_runner:
            raise InvalidInput(f"{at}.position", "a non-runner has no finishing position")
    elif "position" not in raw and settled and not non_runner:
        raise InvalidInput(
            f"{at}.position", "is required: the finishing position, or null if unplaced"
        )
    tied = 1 if raw.get("tied") is None else values.count(raw["tied"], f"{at}.tied")
    if tied > 1 and position is None:
        raise InvalidInput(f"{at}.tied", "a dead heat needs the position the runners share")
    places = None if raw.get("places") is None else values.count(raw["places"], f"{at}.places")
    fraction = None
    if raw.get("place_fraction") is not None:
        fraction = values.share(
            raw["place_fraction"], f"{at}.place_fraction", zero_ok=False, one_ok=True
        )
    if each_way and not non_runner:
        if places is None:
            raise InvalidInput(f"{at}.places", "is required on an each-way bet: the places paid")
        if fraction is None:
            raise InvalidInput(
                f"{at}.place_fraction",
                'is required on an each-way bet: the fraction of the odds, e.g. "1/4"',
            )
    rule4 = _EMPTY
    raw_rule4 = raw.get("rule4")
    if raw_rule4 is not None:
        if not isinstance(raw_rule4, list):
            raise InvalidInput(f"{at}.rule4", 'must be a list of deductions, e.g. ["0.25"]')
        rule4 = tuple(values.share(r, f"{at}.rule4[{i}]") for i, r in enumerate(raw_rule4))
    starting_price = None
    if raw.get("starting_price") is not None:
        starting_price = parse_odds(raw["starting_price"], f"{at}.starting_price")
    bog = False if raw.get("bog") is None else values.flag(raw["bog"], f"{at}.bog")
    return RaceLeg(
        number,
        odds,
        correct,
        name,
        position,
        tied,
        places,
        fraction,
        rule4,
        non_runner,
        starting_price,
        bog,
    )


def _palpable(raw: object, at: str) -> Odds:
    if not isinstance(raw, Mapping):
        raise InvalidInput(at, 'must be {"correct_odds": "..."}')
    for key in raw:
        if key != "correct_odds":
            raise InvalidInput(
                f"{at}.{key}", 'unknown field; a palpable error is {"correct_odds": "..."}'
            )
    if "correct_odds" not in raw:
        raise InvalidInput(f"{at}.correct_odds", "is required")
    return parse_odds(raw["correct_odds"], f"{at}.correct_odds")


def _dead_heat(raw: object, at: str) -> DeadHeat:
    if not isinstance(raw, Mapping):
        raise InvalidInput(at, 'must be {"tied": N, "places": P, "position": p}')
    for key in raw:
        if key not in _DEAD_HEAT_KEYS:
            raise InvalidInput(
                f"{at}.{key}", "unknown field; a dead heat has tied, places and position"
            )
    if raw.get("tied") is None:
        raise InvalidInput(f"{at}.tied", "is required: how many share the position")
    tied = values.count(raw["tied"], f"{at}.tied")
    # A fixed market's dead heat is most often a tie for a one-place market (top scorer).
    places = 1 if raw.get("places") is None else values.count(raw["places"], f"{at}.places")
    position = 1 if raw.get("position") is None else values.count(raw["position"], f"{at}.position")
    if position > places:
        raise InvalidInput(
            f"{at}.position",
            f"position {position} is outside the {places} paid place(s): the selection lost",
        )
    return DeadHeat(tied, places, position)


def _optional_score(
    raw: Mapping[str, Any], key: str, at: str, *, required: bool
) -> tuple[int, int] | None:
    value = raw.get(key)
    if value is None:
        if required:
            raise InvalidInput(f"{at}.{key}", "is required: [selection goals, opponent goals]")
        return None
    return values.score(value, f"{at}.{key}")


def _display_name(raw: Mapping[str, Any], at: str) -> str | None:
    parts = [
        values.text(raw[key], f"{at}.{key}").strip()
        for key in _DISPLAY_LEG_KEYS
        if raw.get(key) is not None
    ]
    parts = [part for part in parts if part]
    return ", ".join(parts) if parts else None
