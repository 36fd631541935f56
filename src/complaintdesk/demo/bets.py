"""Bet slips of the demo bookmaker, with their results and what it paid.

Slips follow the settlement contract (plus the platform's ``account_id``, ``placed_at``,
``settled_at``, ``status`` and the legs' display names). Every paid return is what the
settlement verifier says the slip should return, so the bookmaker settles correctly,
except where a scenario deliberately pays the result of a mistake (:func:`mis_settle`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

from complaintdesk.betting.settlement import verify
from complaintdesk.betting.settlement.odds import parse_odds
from complaintdesk.demo import world

Leg = dict[str, Any]
Slip = dict[str, Any]


def money(value: Decimal | float | int | str) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.01")))


def expected_return(slip: Slip) -> Decimal:
    """What the slip returns under the rules (the settlement verifier's figure)."""
    probe = {k: v for k, v in slip.items() if k != "paid_return"}
    return verify(probe).expected_return


def pay_correctly(slip: Slip) -> Slip:
    slip["paid_return"] = money(expected_return(slip))
    return slip


def mis_settle(slip: Slip, mistake: Callable[[Slip], Slip]) -> Slip:
    """Pay ``slip`` what the bookmaker's mistake (a changed copy of it) would return."""
    wrong = mistake(_copy(slip))
    slip["paid_return"] = money(expected_return(wrong))
    return slip


def _copy(slip: Slip) -> Slip:
    return {**slip, "legs": [dict(leg) for leg in slip["legs"]]}


class BetMaker:
    """Draws believable slips for one customer at a time; ids are unique per maker."""

    def __init__(self, rng: random.Random, now: dt.datetime) -> None:
        self.rng = rng
        self.now = now
        self._ids = iter(rng.sample(range(40_000_000, 49_999_999), 12_000))

    def new_id(self) -> str:
        return str(next(self._ids))

    # --- prices ------------------------------------------------------------------------

    def price(self, style: str, low: float = 1.2, high: float = 8.0) -> str:
        """A price in the customer's style, between decimal ``low`` and ``high``."""
        pool = {"fractional": world.FRACTIONAL, "american": world.AMERICAN}.get(
            style, world.DECIMAL
        )
        fitting = [p for p in pool if low <= _value(p) <= high] or list(pool)
        return self.rng.choice(fitting)

    def outcome(self, price: str, margin: float = 0.93) -> str:
        """won or lost, with the chance the price implies, less the bookmaker's margin."""
        return "won" if self.rng.random() < margin / _value(price) else "lost"

    # --- legs --------------------------------------------------------------------------

    def football_leg(self, style: str, *, settled: bool = True) -> Leg:
        _, teams = self.rng.choice(world.FOOTBALL_LEAGUES)
        home, away = self.rng.sample(teams, 2)
        market, selection = self.rng.choice(
            (
                ("Match result", home),
                ("Match result", away),
                ("Match result", "Draw"),
                ("Both teams to score", "Yes"),
                ("Total goals", "Over 2.5"),
                ("Total goals", "Under 2.5"),
                ("Double chance", f"{home} or draw"),
            )
        )
        low, high = (2.8, 4.5) if selection == "Draw" else (1.25, 5.0)
        price = self.price(style, low, high)
        leg: Leg = {
            "odds": price,
            "event": f"{home} v {away}",
            "market_name": market,
            "selection_name": selection,
        }
        if settled:
            leg["result"] = "void" if self.rng.random() < 0.02 else self.outcome(price)
        return leg

    def two_way_leg(self, sport: str, style: str, *, settled: bool = True) -> Leg:
        pool = {
            "tennis": world.TENNIS_PLAYERS,
            "basketball": world.BASKETBALL_TEAMS,
            "ice_hockey": world.HOCKEY_TEAMS,
        }[sport]
        first, second = self.rng.sample(pool, 2)
        market = {"tennis": "Match winner", "basketball": "Moneyline", "ice_hockey": "Moneyline"}[
            sport
        ]
        selection = self.rng.choice((first, second))
        price = self.price(style, 1.2, 4.0)
        leg: Leg = {
            "odds": price,
            "event": f"{first} v {second}",
            "market_name": market,
            "selection_name": selection,
        }
        if settled:
            leg["result"] = self.outcome(price)
        return leg

    def asian_leg(self, *, settled: bool = True) -> Leg:
        _, teams = self.rng.choice(world.FOOTBALL_LEAGUES)
        home, away = self.rng.sample(teams, 2)
        goals = [self.rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4)) for _ in range(2)]
        if self.rng.random() < 0.5:
            line = self.rng.choice(
                ("-1.5", "-1.25", "-1", "-0.75", "-0.5", "-0.25", "0", "0.25", "0.5", "0.75", "1")
            )
            leg: Leg = {
                "market": "asian_handicap",
                "odds": self.rng.choice(("1.80", "1.85", "1.90", "1.95", "2.00", "2.05")),
                "line": line,
                "event": f"{home} v {away}",
                "market_name": "Asian handicap",
                "selection_name": f"{home} {line}",
            }
            if settled:
                leg["score"] = goals
                if self.rng.random() < 0.2:  # struck in play, at a score on the way to the end
                    leg["score_at_placement"] = [self.rng.randint(0, g) for g in goals]
            return leg
        side = self.rng.choice(("over", "under"))
        line = self.rng.choice(("1.5", "1.75", "2", "2.25", "2.5", "2.75", "3", "3.25"))
        leg = {
            "market": "asian_total",
            "odds": self.rng.choice(("1.80", "1.85", "1.90", "1.95", "2.00")),
            "side": side,
            "line": line,
            "event": f"{home} v {away}",
            "market_name": "Asian total",
            "selection_name": f"{side.capitalize()} {line}",
        }
        if settled:
            leg["total"] = sum(goals)
        return leg

    def race_leg(self, style: str, *, each_way: bool, settled: bool = True) -> Leg:
        course = self.rng.choice(world.RACECOURSES)
        hour = self.rng.choice(("13:30", "14:05", "14:40", "15:15", "15:50", "16:25"))
        horse = self.rng.choice(world.HORSES)
        price = self.price(
            "fractional" if style == "decimal" and self.rng.random() < 0.5 else style, 2.0, 21.0
        )
        leg: Leg = {
            "market": "race",
            "odds": price,
            "event": f"{hour} {course}",
            "market_name": "Each way" if each_way else "Win",
            "selection_name": horse,
        }
        if each_way:
            leg["places"] = self.rng.choice((3, 4, 4, 5))
            leg["place_fraction"] = self.rng.choice(("1/4", "1/5", "1/5"))
        if not settled:
            return leg
        if self.rng.random() < 0.03:
            leg["non_runner"] = True
            return leg
        roll = self.rng.random()
        win_chance = 0.9 / _value(price)
        if roll < win_chance:
            leg["position"] = 1
        elif roll < win_chance * 3:
            leg["position"] = self.rng.randint(2, 5)
        else:
            leg["position"] = None
        if leg["position"] == 1 and self.rng.random() < 0.04:
            leg["tied"] = 2  # a dead heat for first
        if self.rng.random() < 0.08:
            leg["rule4"] = [self.rng.choice(("0.05", "0.10", "0.15", "0.20", "0.25"))]
        if style == "fractional" and self.rng.random() < 0.3:
            leg["bog"] = True
            leg["starting_price"] = self.price("fractional", 2.0, 26.0)
        return leg

    # --- slips -------------------------------------------------------------------------

    def slip(self, account: str, currency: str, style: str, placed_at: dt.datetime) -> Slip:
        """One slip of the customer's, of a kind drawn to the usual mix of a sportsbook."""
        open_bet = placed_at > self.now - dt.timedelta(hours=30) and self.rng.random() < 0.6
        settled = not open_bet
        roll = self.rng.random()
        each_way = False
        kind, system = "single", None
        if roll < 0.30:
            legs = [self.football_leg(style, settled=settled)]
        elif roll < 0.45:
            kind = "accumulator"
            legs = [
                self.football_leg(style, settled=settled) for _ in range(self.rng.randint(2, 6))
            ]
        elif roll < 0.57:
            legs = [self.asian_leg(settled=settled)]
        elif roll < 0.65:
            legs = [self.two_way_leg("tennis", style, settled=settled)]
        elif roll < 0.71:
            legs = [self.two_way_leg("basketball", style, settled=settled)]
        elif roll < 0.76:
            legs = [self.two_way_leg("ice_hockey", style, settled=settled)]
        elif roll < 0.84:
            legs = [self.race_leg(style, each_way=False, settled=settled)]
        elif roll < 0.92:
            each_way = True
            legs = [self.race_leg(style, each_way=True, settled=settled)]
        else:
            kind = "system"
            system, size = self.rng.choice(
                (("trixie", 3), ("patent", 3), ("yankee", 4), ("lucky15", 4))
            )
            legs = [self.football_leg(style, settled=settled) for _ in range(size)]
        stake = self.stake(currency, small=kind == "system" or each_way)
        slip: Slip = {
            "bet_id": self.new_id(),
            "account_id": account,
            "currency": currency,
            "type": kind,
            "stake": stake,
            "legs": legs,
            "placed_at": placed_at.isoformat(),
            "status": "open" if open_bet else "settled",
        }
        if system:
            slip["system"] = system
        if each_way:
            slip["each_way"] = True
        if open_bet:
            return slip
        slip["settled_at"] = (placed_at + dt.timedelta(hours=self.rng.randint(2, 60))).isoformat()
        special = self.rng.random()
        if special < 0.04 and kind != "system":
            slip["status"] = "cashed_out"
            slip["cash_out"] = money(
                Decimal(stake) * Decimal(str(round(self.rng.uniform(0.3, 1.9), 2)))
            )
        elif special < 0.07 and kind == "single":
            slip["free_bet"] = True
            slip["stake"] = self.rng.choice(("5.00", "10.00", "20.00"))
        return pay_correctly(slip)

    def stake(self, currency: str, *, small: bool = False) -> str:
        base = self.rng.choice((1, 2, 2, 5, 5, 5, 10, 10, 10, 20, 20, 25, 50, 100, 250))
        if small:
            base = max(1, base // 5)
        if currency in ("USD", "CAD") and self.rng.random() < 0.3:
            base = int(base * 2)
        return money(base)


@cache
def _value(price: str) -> float:
    """A price's decimal value, for drawing results (never for settling them)."""
    return float(parse_odds(price, "odds").decimal)
