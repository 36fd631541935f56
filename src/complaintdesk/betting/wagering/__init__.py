"""Bonus wagering explained bet by bet: what counted, what did not and why, what is left.

The contract is ``wagering.md`` (bonus terms and the report); :func:`explain` is the one
entry point, pure and deterministic given ``now``. Modules:

- ``terms``: reading and validating a case (bonus terms, bets, legs);
- ``rules``: the reason codes in order of precedence and each bet's contribution;
- ``report``: the report and :func:`explain`, which builds it;
- ``summary``: the customer's paragraph and per-bet reasons, in English and Russian;
- ``wording``: numbers, money and dates as each language writes them.
"""

from complaintdesk.betting.wagering.report import BetResult, WageringReport, explain
from complaintdesk.betting.wagering.rules import ReasonCode

__all__ = ["BetResult", "ReasonCode", "WageringReport", "explain"]
