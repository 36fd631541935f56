"""A per-address limit on the public (customer) endpoints.

Fixed one-window counters in process memory: cheap, and enough to stop one address from
flooding intake. Several app processes each keep their own count, so the effective limit
is per process; a shared limit belongs in the load balancer in front of them.
"""

from __future__ import annotations

import math
import threading
import time

from complaintdesk.config import parse_rate


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("too many requests")
        self.retry_after = retry_after


class RateLimiter:
    def __init__(self, rate: str) -> None:
        self.limit, self.window = parse_rate(rate)
        self._counts: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()
        self._clock = time.monotonic

    def hit(self, key: str) -> None:
        """Count one request from ``key``; raise RateLimited once over the limit."""
        if self.limit == 0:
            return
        now = self._clock()
        window = int(now // self.window)
        with self._lock:
            if len(self._counts) > 100_000:  # forget old windows rather than grow forever
                self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
            start, count = self._counts.get(key, (window, 0))
            if start != window:
                count = 0
            count += 1
            self._counts[key] = (window, count)
        if count > self.limit:
            raise RateLimited(max(1, math.ceil((window + 1) * self.window - now)))
