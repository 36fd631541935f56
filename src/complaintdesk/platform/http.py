"""The ``http`` adapter: the operator platform's API (``platform.md``) over httpx.

Each request has connect and read timeouts; a timeout, a refused connection or a 5xx is
retried with exponential backoff; a 404 is "no such record"; anything else (another 4xx,
JSON that does not parse or does not follow the contract) is
:class:`PlatformUnavailable`. A circuit breaker counts failed requests: once it opens,
calls fail at once until it lets a trial request through, so a dead platform costs the
worker one quick refusal per check instead of a timeout each.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import httpx

from complaintdesk import __version__
from complaintdesk.platform.breaker import CircuitBreaker
from complaintdesk.platform.errors import PlatformUnavailable
from complaintdesk.platform.records import (
    Bet,
    Bonus,
    Customer,
    Transaction,
    parse_bet,
    parse_bonus,
    parse_customer,
    parse_items,
    parse_transaction,
)

log = logging.getLogger(__name__)

_NOT_FOUND = object()


class HttpPlatform:
    """The operator's platform behind its HTTP API."""

    name = "http"

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        connect_timeout: float = 3.0,
        read_timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 0.5,
        breaker: CircuitBreaker | None = None,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        headers = {"Accept": "application/json", "User-Agent": f"complaintdesk/{__version__}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.backoff = backoff
        self.breaker = breaker or CircuitBreaker(failures=5, reset_after=30.0)
        self._sleep = sleep
        self._client = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            follow_redirects=False,
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    # --- the protocol ---------------------------------------------------------------

    def get_customer(self, account_id: str) -> Customer | None:
        payload = self._get(f"/customers/{_segment(account_id)}")
        if payload is _NOT_FOUND:
            return None
        customer = parse_customer(payload)
        _same("customer", account_id, customer.account_id)
        return customer

    def get_bet(self, bet_id: str) -> Bet | None:
        payload = self._get(f"/bets/{_segment(bet_id)}")
        if payload is _NOT_FOUND:
            return None
        bet = parse_bet(payload)
        _same("bet", bet_id, bet.bet_id)
        return bet

    def customer_bets(self, account_id: str, *, since: dt.datetime | None) -> list[Bet] | None:
        payload = self._get(f"/customers/{_segment(account_id)}/bets", _since(since))
        if payload is _NOT_FOUND:
            return None
        return sorted(parse_items(payload, parse_bet, "bets"), key=lambda b: b.placed_at)

    def customer_transactions(
        self, account_id: str, *, since: dt.datetime | None
    ) -> list[Transaction] | None:
        payload = self._get(f"/customers/{_segment(account_id)}/transactions", _since(since))
        if payload is _NOT_FOUND:
            return None
        items = parse_items(payload, parse_transaction, "transactions")
        return sorted(items, key=lambda t: t.created_at, reverse=True)

    def customer_bonuses(self, account_id: str) -> list[Bonus] | None:
        payload = self._get(f"/customers/{_segment(account_id)}/bonuses")
        if payload is _NOT_FOUND:
            return None
        return parse_items(payload, parse_bonus, "bonuses")

    # --- one request, with retries and the breaker ------------------------------------

    def _get(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        attempt = 0
        while True:
            if not self.breaker.allow():
                raise PlatformUnavailable(
                    "the platform failed repeatedly; not calling it for another "
                    f"{self.breaker.retry_in():.0f} s (circuit breaker open)"
                )
            try:
                response = self._client.get(path, params=params)
            except httpx.TimeoutException as exc:
                problem = f"the platform did not answer in time ({type(exc).__name__})"
            except httpx.TransportError as exc:
                problem = f"cannot reach the platform ({type(exc).__name__}: {exc})"
            else:
                if response.status_code < 500:
                    return self._answer(path, response)
                problem = f"the platform answered {response.status_code} to GET {path}"
            self.breaker.failed()
            if attempt >= self.retries:
                raise PlatformUnavailable(problem)
            log.info("platform: %s; retrying (%d of %d)", problem, attempt + 1, self.retries)
            self._sleep(self._delay(attempt))
            attempt += 1

    def _answer(self, path: str, response: httpx.Response) -> Any:
        if response.status_code == 404:
            self.breaker.succeeded()
            return _NOT_FOUND
        if response.status_code != 200:
            # The platform is up but refuses us (401, 403, 400...): retrying will not help,
            # and the breaker stays closed, since the platform itself is healthy.
            self.breaker.succeeded()
            hint = (
                " (check COMPLAINTDESK_PLATFORM_TOKEN)"
                if response.status_code in (401, 403)
                else ""
            )
            raise PlatformUnavailable(
                f"the platform refused GET {path} with {response.status_code}{hint}"
            )
        try:
            payload = json.loads(response.content)
        except (json.JSONDecodeError, UnicodeDecodeError):
            self.breaker.failed()
            raise PlatformUnavailable(
                f"the platform answered GET {path} with something that is not JSON"
            ) from None
        self.breaker.succeeded()
        return payload

    def _delay(self, attempt: int) -> float:
        jitter = random.uniform(0, 0.1)  # noqa: S311 - spreading retries, not security
        return float(self.backoff * 2**attempt * (1 + jitter))


def _segment(value: str) -> str:
    """An id as one path segment: ids come from customers' text and must not steer the URL."""
    return quote(value, safe="")


def _since(since: dt.datetime | None) -> dict[str, str] | None:
    return None if since is None else {"since": since.astimezone(dt.UTC).isoformat()}


def _same(what: str, asked: str, got: str) -> None:
    if asked != got:
        raise PlatformUnavailable(f"asked the platform for {what} {asked!r}, it sent {got!r}")
