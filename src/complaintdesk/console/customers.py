"""The customer's account as the operator's platform sees it: jurisdiction, verification,
self-exclusion and limits, shown beside the complaint.

Read through the configured platform adapter (``platform.factory``) and kept for a minute
per account, so that an agent going back and forth between cases does not call the
platform each time. A platform that is down never stops the case page: the page says the
account could not be read, and why.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from complaintdesk.platform.errors import PlatformUnavailable
from complaintdesk.platform.protocol import Platform
from complaintdesk.platform.records import Customer

TTL_SECONDS = 60.0
_MAX_ENTRIES = 2000


@dataclass(frozen=True, slots=True)
class Account:
    """What the platform said: the record, "no such account", or that it could not say."""

    record: Customer | None
    unavailable: str | None = None  # the reason, for staff


class Accounts:
    """Looks accounts up on one platform, remembering answers for ``ttl`` seconds."""

    def __init__(self, platform: Platform, *, ttl: float = TTL_SECONDS) -> None:
        self.platform = platform
        self.ttl = ttl
        self._lock = threading.Lock()
        self._seen: dict[str, tuple[float, Account]] = {}

    def get(self, account_id: str) -> Account:
        now = time.monotonic()
        with self._lock:
            hit = self._seen.get(account_id)
            if hit is not None and now - hit[0] < self.ttl:
                return hit[1]
        try:
            account = Account(self.platform.get_customer(account_id))
        except PlatformUnavailable as exc:
            # Not remembered: the next page view tries again.
            return Account(None, unavailable=exc.message)
        with self._lock:
            if len(self._seen) >= _MAX_ENTRIES:
                self._seen.clear()
            self._seen[account_id] = (now, account)
        return account
