"""The bet settlement verifier.

``verify(bet)`` recomputes what a bet should have returned from its record and the
facts of its events, compares that with what the operator paid and explains every step
in plain English or Russian. It is pure (no database, no I/O, no web) so that the CLI,
the HTTP API and the automatic checks on a complaint all share one implementation; the
rules are those of the settlement contract.
"""

from complaintdesk.betting.settlement.verdict import Verdict
from complaintdesk.betting.settlement.verification import verify

__all__ = ["Verdict", "verify"]
