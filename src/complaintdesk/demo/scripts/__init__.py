"""The demo's complaints: what each customer complains about, with the records behind it.

Each scenario builds the customer's records that the complaint is about (a mis-settled
slip, a declined deposit, a bonus half wagered...) through the :class:`Operator`, and
returns the complaint in the customer's language with the desk's answer to it. Every
scenario runs twice, once for an English-speaking and once for a Russian-speaking
customer, each at its own stage of the lifecycle (``STAGES``). Modules: ``common`` (the
complaint and helpers), ``bets`` (settlement and technical faults), ``funds`` (bonuses and
payments), ``accounts`` (verification, safer gambling, other).
"""

from __future__ import annotations

from complaintdesk.complaints.models import Outcome
from complaintdesk.demo.operator import Customer, Operator
from complaintdesk.demo.scripts import accounts, bets, funds
from complaintdesk.demo.scripts.common import Scenario, Script

__all__ = ["STAGES", "Script", "build"]

# --- which scenario, at which stage, for which customer ---------------------------------

U, P, N, W = Outcome.upheld, Outcome.partially_upheld, Outcome.not_upheld, Outcome.withdrawn

# (scenario, (stage, outcome) for the English-speaking customer, then the Russian-speaking)
STAGES: tuple[tuple[Scenario, tuple[str, Outcome | None], tuple[str, Outcome | None]], ...] = (
    (bets.each_way_place_unpaid, ("resolved", U), ("new", None)),
    (bets.accumulator_void_leg_lost, ("in_progress", None), ("resolved", U)),
    (bets.asian_quarter_line, ("new", None), ("breached", None)),
    (bets.rule4_twice, ("closed", U), ("awaiting_customer", None)),
    (bets.best_odds_not_applied, ("in_progress", None), ("resolved", U)),
    (bets.price_rounded, ("new", None), ("in_progress", None)),
    (bets.system_void_leg, ("breached", None), ("resolved", U)),
    (bets.dead_heat_halved, ("under_review", N), ("resolved", N)),
    (bets.cashed_out, ("referred_to_adr", N), ("closed", N)),
    (bets.free_bet_stake, ("resolved", N), ("new", None)),
    (bets.accumulator_leg_lost, ("resolved", W), ("resolved", N)),
    (bets.cash_out_failed, ("in_progress", None), ("awaiting_customer", None)),
    (bets.app_crash_balance, ("awaiting_customer", None), ("breached", None)),
    (bets.odds_changed, ("resolved", P), ("in_progress", None)),
    (funds.wagering_low_odds, ("in_progress", None), ("new", None)),
    (funds.bonus_expired, ("under_review", N), ("awaiting_customer", None)),
    (funds.excluded_market, ("new", None), ("resolved", P)),
    (funds.conversion_capped, ("resolved", N), ("in_progress", None)),
    (funds.deposit_declined, ("closed", N), ("new", None)),
    (funds.withdrawal_kyc, ("awaiting_customer", None), ("in_progress", None)),
    (funds.withdrawal_returned, ("in_progress", None), ("resolved", U)),
    (funds.ewallet_unverified, ("new", None), ("awaiting_customer", None)),
    (funds.unknown_provider_code, ("breached", None), ("new", None)),
    (funds.withdrawal_review, ("in_progress", None), ("breached", None)),
    (funds.withdrawal_wagering, ("resolved", N), ("in_progress", None)),
    (funds.source_of_funds, ("awaiting_customer", None), ("new", None)),
    (accounts.documents_rejected, ("awaiting_customer", None), ("resolved", W)),
    (accounts.account_blocked, ("new", None), ("in_progress", None)),
    (accounts.self_exclusion_breached, ("in_progress", None), ("resolved", U)),
    (accounts.limit_not_applied, ("resolved", P), ("new", None)),
    (accounts.marketing_emails, ("resolved", W), ("closed", U)),
    (accounts.close_account, ("new", None), ("in_progress", None)),
)


def build(op: Operator, customers: dict[str, list[Customer]]) -> list[Script]:
    """Every scenario for one English- and one Russian-speaking customer (each used once)."""
    scripts: list[Script] = []
    pools = {language: list(pool) for language, pool in customers.items()}
    for scenario, *stages in STAGES:
        for language, (stage, outcome) in zip(("en", "ru"), stages, strict=True):
            customer = pools[language].pop(op.rng.randrange(len(pools[language])))
            script = scenario(op, customer)
            script.stage, script.outcome = stage, outcome
            if outcome is not Outcome.upheld:
                script.compensation = None
            scripts.append(script)
    return scripts
