"""The bet settlement verifier.

``verify(bet)`` recomputes what a bet should have returned from its record and the
facts of its events, compares it with what the operator paid and explains every step
in plain English or Russian. It is pure (no database, no I/O, no web) so that the CLI,
the HTTP API and the automatic checks on a complaint share one implementation; the
rules are those of the settlement contract.

Where the contract leaves room, the verifier reads it as follows:

- Lines count each part of an each-way bet: an each-way Lucky 15 has 30 lines. The
  tolerance of a ``correct`` verdict is one minor unit (0.01 GBP, 1 JPY, 0.001 KWD)
  per line.
- ``stake_per: "bet"``: the stake is the whole outlay, shared equally by all the lines,
  both each-way parts included. The share is kept exact (10 over 3 lines is 10/3 a
  line, not 3.33), so the outlay is exactly the stake and the only rounding is the
  bet's one rounding of its return.
- A dead heat applies within each each-way part: the win part is a market paying one
  place (k = 1/N for a tie for first), the place part pays the race's places.
- Rule 4 takes its share of the winnings (D − 1) of both parts, before any dead-heat
  reduction of the stake. Deductions are summed per selection, waived when the total is
  strictly below ``rule4_waive_total_below``, and capped at ``rule4_cap``. It is only
  mentioned for a selection that won or placed, since it changes nothing otherwise.
- Best Odds Guaranteed compares the starting price with the price the bet stands at,
  which after a palpable error is the corrected price.
- A free bet returns max(0, gross − outlay). Its maximum winnings cap that amount,
  since all that a free bet pays is winnings; on a paid bet the cap applies to
  return − outlay, and only when that is positive. A cash-out returns the accepted
  amount: results are then not required and no other rule applies to the return.
- The outcome compares the rounded return with the outlay, for free bets too (a free
  bet that wins less than its stake is a ``partial_loss``, a void one a ``loss``).
- A fixed-odds ``result`` may also be ``push`` (settled as void). A race leg must say
  its ``position`` (``null`` when unplaced) unless it is a non-runner or the bet was
  cashed out, so that a missing result is never taken for a loss. Each way needs race
  legs with ``places`` and ``place_fraction``.
- Amounts with more decimals than the currency has are refused, as are floats for
  money or prices; ``bet_id`` is echoed, ``null`` when absent. The operator platform's
  informational fields (``account_id``, ``placed_at``, ``settled_at``, ``status``; and
  ``event``, ``market_name``, ``selection_name`` on legs) are accepted, the names
  quoted in the explanation.
- Bonuses some operators add to full-cover bets (a Lucky 15's single-winner
  consolation, all-winners bonus) are not part of the contract and are not applied.
"""

from complaintdesk.betting.settlement.verdict import Verdict
from complaintdesk.betting.settlement.verification import verify

__all__ = ["Verdict", "verify"]
