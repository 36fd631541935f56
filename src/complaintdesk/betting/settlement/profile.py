"""The operator's rule profile: the settlement rules on which operators differ.

A bet's ``rules`` is either the profile itself (a mapping) or the name of one of the
operator's profiles handed to :func:`~complaintdesk.betting.settlement.verify`. Keys left
out take the contract's defaults, so ``{}`` is the default profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.betting.settlement.values import share

HALF_UP_PER_BET = "half_up_per_bet"
_KEYS = frozenset({"rounding", "rule4_cap", "rule4_waive_total_below"})


@dataclass(frozen=True, slots=True)
class Rules:
    """One operator's settlement rules.

    ``rule4_cap`` is the most that Rule 4 deductions may take from a pound of winnings,
    summed over all the deductions that apply to a selection (0.90 by default: a
    selection never loses more than 90p in the pound). ``rule4_waive_total_below``, when
    set, drops the deductions entirely when their total is strictly below it (some
    operators waive a total of 5p or less: they set ``"0.06"``).
    """

    rounding: str = HALF_UP_PER_BET
    rule4_cap: Fraction = Fraction(9, 10)
    rule4_waive_total_below: Fraction | None = None


DEFAULT_RULES = Rules()


def parse_rules(value: object, profiles: Mapping[str, Mapping[str, Any]] | None) -> Rules:
    """The bet's rules from its ``rules`` field (absent → the defaults)."""
    if value is None:
        return DEFAULT_RULES
    if isinstance(value, str):
        if not profiles or value not in profiles:
            known = ", ".join(sorted(profiles)) if profiles else "none were given"
            raise InvalidInput("rules", f"no rule profile named {value!r} (known: {known})")
        return _parse_profile(profiles[value], f"profiles[{value!r}]")
    return _parse_profile(value, "rules")


def _parse_profile(value: object, field: str) -> Rules:
    if not isinstance(value, Mapping):
        raise InvalidInput(field, "must be an object of rules or the name of a rule profile")
    if not value:
        return DEFAULT_RULES
    for key in value:
        if key not in _KEYS:
            raise InvalidInput(
                f"{field}.{key}",
                "unknown rule; the rules are rounding, rule4_cap and rule4_waive_total_below",
            )
    rounding = value.get("rounding", HALF_UP_PER_BET)
    if rounding != HALF_UP_PER_BET:
        raise InvalidInput(
            f"{field}.rounding",
            f'must be "{HALF_UP_PER_BET}": one half-up rounding of the exact return per bet',
        )
    cap = DEFAULT_RULES.rule4_cap
    if value.get("rule4_cap") is not None:
        cap = share(value["rule4_cap"], f"{field}.rule4_cap")
    waive: Fraction | None = None
    if value.get("rule4_waive_total_below") is not None:
        waive = share(value["rule4_waive_total_below"], f"{field}.rule4_waive_total_below")
    return Rules(HALF_UP_PER_BET, cap, waive)
