"""The http adapter against a real server on loopback serving the contract's endpoints."""

from __future__ import annotations

import socket
import time
from urllib.parse import parse_qs

import pytest

from complaintdesk.platform.breaker import CircuitBreaker
from complaintdesk.platform.errors import PlatformUnavailable
from complaintdesk.platform.http import HttpPlatform
from tests.platform_fixtures import (
    ACCOUNT,
    CORRECT,
    NOW,
    PlatformServer,
    serve_platform,
)


def adapter(url: str, **options: object) -> HttpPlatform:
    settings: dict[str, object] = {
        "token": "s3cret-token",
        "connect_timeout": 1.0,
        "read_timeout": 0.5,
        "retries": 2,
        "backoff": 0.01,
        "breaker": CircuitBreaker(failures=100, reset_after=60),
    }
    settings.update(options)
    return HttpPlatform(url, **settings)  # type: ignore[arg-type]


def test_reads_every_record_the_contract_names_with_the_bearer_token() -> None:
    with serve_platform() as server:
        platform = adapter(server.url)
        customer = platform.get_customer(ACCOUNT)
        bet = platform.get_bet("77881234")
        bets = platform.customer_bets(ACCOUNT, since=None)
        recent = platform.customer_bets(ACCOUNT, since=NOW.replace(day=18))
        transactions = platform.customer_transactions(ACCOUNT, since=None)
        bonuses = platform.customer_bonuses(ACCOUNT)
    assert customer is not None
    assert customer.name == "Ivan Petrov"
    assert customer.limits == {"deposit_daily": "100.00"}
    assert bet is not None
    assert bet.account_id == ACCOUNT
    assert bet.record["paid_return"] == "0.00"
    assert [b.bet_id for b in bets or []] == ["77881234", "44556677", "44556678"]  # oldest first
    assert [b.bet_id for b in recent or []] == ["44556677", "44556678"]  # the since filter
    assert [t.transaction_id for t in transactions or []] == [
        "TX-5512399",
        "TX-5512345",
        "TX-5500001",
    ]  # newest first
    assert [b.bonus_id for b in bonuses or []] == ["BN-100"]
    assert "name" not in bonuses[0].terms  # the platform's own fields stay out of the terms
    assert {auth for _, _, auth in server.requests} == {"Bearer s3cret-token"}


def test_a_404_is_no_such_record_not_a_failure() -> None:
    with serve_platform() as server:
        platform = adapter(server.url)
        assert platform.get_bet("99999999") is None
        assert platform.get_customer("AC-0") is None
        assert platform.customer_transactions("AC-0", since=None) is None
        assert platform.breaker.state == "closed"
        assert server.calls["99999999"] == 1  # not retried


def test_ids_from_customers_cannot_steer_the_path() -> None:
    with serve_platform() as server:
        assert adapter(server.url).get_bet("../customers/AC-1001") is None
    assert server.requests[-1][0] == "/bets/..%2Fcustomers%2FAC-1001"


def test_a_slow_platform_times_out_and_is_retried_then_unavailable() -> None:
    with serve_platform(PlatformServer(delay=1.0)) as server:
        platform = adapter(server.url, read_timeout=0.2, retries=1)
        started = time.monotonic()
        with pytest.raises(PlatformUnavailable, match="did not answer in time"):
            platform.get_bet("slow")
        elapsed = time.monotonic() - started
    assert server.calls["slow"] == 2  # one try and one retry
    assert elapsed < 1.5  # gave up on the read timeout, not on the server's second


def test_a_5xx_is_retried_with_backoff_until_the_platform_answers() -> None:
    naps: list[float] = []
    with serve_platform(PlatformServer(fail_times=2)) as server:
        platform = adapter(server.url, retries=2, backoff=0.5, sleep=naps.append)
        bet = platform.get_bet("flaky")
    assert bet is not None
    assert bet.bet_id == "flaky"
    assert server.calls["flaky"] == 3
    assert len(naps) == 2
    # Backoff doubles (0.5 s, then 1 s), each with at most 10 % jitter on top.
    first, second = naps
    assert first >= 0.5
    assert first < 0.56
    assert second >= 1.0
    assert second < 1.11


def test_a_5xx_that_persists_is_unavailable() -> None:
    with serve_platform() as server:
        platform = adapter(server.url, retries=2, sleep=lambda _: None)
        with pytest.raises(PlatformUnavailable, match="answered 503"):
            platform.get_bet("down")
    assert server.calls["down"] == 3


def test_malformed_json_is_unavailable_not_a_crash() -> None:
    with serve_platform() as server, pytest.raises(PlatformUnavailable, match="not JSON"):
        adapter(server.url).get_bet("broken")


def test_a_record_that_breaks_the_contract_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    server = PlatformServer()
    monkeypatch.setattr(
        PlatformServer,
        "items",
        lambda self, path, query: {"bet_id": "1", "account_id": ACCOUNT, "legs": []},
    )
    with serve_platform(server):
        with pytest.raises(PlatformUnavailable, match="cannot read"):
            adapter(server.url).get_bet("1")
        with pytest.raises(PlatformUnavailable, match=r"not .*items"):
            adapter(server.url).customer_bets(ACCOUNT, since=None)


def test_the_platform_sending_another_bet_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PlatformServer, "items", lambda self, path, query: CORRECT)
    with (
        serve_platform() as server,
        pytest.raises(PlatformUnavailable, match="it sent '44556677'"),
    ):
        adapter(server.url).get_bet("77881234")


def test_a_refused_token_is_unavailable_with_a_hint() -> None:
    with serve_platform(PlatformServer(refuse_with=401)) as server:
        platform = adapter(server.url)
        with pytest.raises(PlatformUnavailable, match=r"401.*PLATFORM_TOKEN"):
            platform.get_customer(ACCOUNT)
    assert len(server.requests) == 1  # refusing us is an answer: not retried
    assert platform.breaker.state == "closed"  # the platform is up; it refuses us


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_breaker_opens_after_repeated_failures_and_then_fails_fast() -> None:
    ticks = [0.0]
    breaker = CircuitBreaker(failures=3, reset_after=30, clock=lambda: ticks[0])
    with serve_platform() as server:
        platform = adapter(server.url, retries=0, breaker=breaker)
        for _ in range(3):
            with pytest.raises(PlatformUnavailable, match="503"):
                platform.get_bet("down")
        with pytest.raises(PlatformUnavailable, match="circuit breaker open"):
            platform.get_bet("77881234")
        assert server.calls["down"] == 3
        assert "77881234" not in server.calls
        ticks[0] = 31.0  # the breaker lets one trial through, which succeeds
        assert platform.get_bet("77881234") is not None
        assert breaker.state == "closed"


def test_a_dead_platform_is_unavailable() -> None:
    platform = adapter(f"http://127.0.0.1:{_dead_port()}", retries=1, sleep=lambda _: None)
    with pytest.raises(PlatformUnavailable, match="cannot reach the platform"):
        platform.get_customer(ACCOUNT)


def test_since_is_sent_as_an_iso_time_with_its_offset() -> None:
    with serve_platform() as server:
        transactions = adapter(server.url).customer_transactions(ACCOUNT, since=NOW)
    path, query, _ = server.requests[-1]
    assert path == f"/customers/{ACCOUNT}/transactions"
    assert parse_qs(query) == {"since": [NOW.isoformat()]}
    assert transactions == []  # nothing since that moment
