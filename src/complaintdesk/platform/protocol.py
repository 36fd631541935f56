"""The one interface every platform adapter offers (``platform.md``).

"No such record" is an answer, not a failure: ``get_*`` return ``None`` and the lists
return ``None`` for a customer the platform does not know. Everything else that goes
wrong raises :class:`~complaintdesk.platform.errors.PlatformUnavailable`.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from complaintdesk.platform.records import Bet, Bonus, Customer, Transaction


class Platform(Protocol):
    """Reads the operator's records. Implementations are safe to share between threads."""

    name: str

    def get_customer(self, account_id: str) -> Customer | None: ...

    def get_bet(self, bet_id: str) -> Bet | None: ...

    def customer_bets(self, account_id: str, *, since: dt.datetime | None) -> list[Bet] | None:
        """The customer's bets placed at or after ``since`` (all when None), oldest first."""
        ...

    def customer_transactions(
        self, account_id: str, *, since: dt.datetime | None
    ) -> list[Transaction] | None:
        """The customer's deposits and withdrawals made at or after ``since``, newest first."""
        ...

    def customer_bonuses(self, account_id: str) -> list[Bonus] | None: ...
