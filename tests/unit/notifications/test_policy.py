"""Retry timing and the settings that steer delivery."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from complaintdesk.config import Settings, parse_smtp_url
from complaintdesk.notifications.outbox import RetryPolicy

POLICY = RetryPolicy(
    max_attempts=10,
    backoff=dt.timedelta(seconds=30),
    backoff_max=dt.timedelta(hours=1),
    lease=dt.timedelta(minutes=5),
)


@pytest.mark.parametrize(("failures", "base"), [(1, 30), (2, 60), (3, 120), (4, 240), (8, 3600)])
def test_backoff_doubles_up_to_the_cap_with_at_most_ten_percent_jitter(
    failures: int, base: int
) -> None:
    delays = {POLICY.delay(failures, seed).total_seconds() for seed in range(200)}
    assert min(delays) >= base
    assert max(delays) <= base * 1.1
    assert len(delays) > 100  # spread, so messages that failed together come back apart


def test_the_same_message_and_attempt_always_waits_the_same() -> None:
    assert POLICY.delay(3, 99) == POLICY.delay(3, 99)


def test_smtp_urls_carry_host_port_tls_and_percent_encoded_credentials() -> None:
    plain = parse_smtp_url("smtp://127.0.0.1:2525")
    assert (plain.host, plain.port, plain.implicit_tls, plain.username) == (
        "127.0.0.1",
        2525,
        False,
        None,
    )
    tls = parse_smtp_url("smtps://desk%40op.example:p%3Ass%40@mail.op.example")
    assert (tls.port, tls.implicit_tls, tls.username, tls.password) == (
        465,
        True,
        "desk@op.example",
        "p:ss@",
    )


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "smtp://host:99999", "mail"])
def test_a_wrong_smtp_url_is_refused_with_its_setting_named(url: str) -> None:
    with pytest.raises(ValidationError, match="SMTP URL"):
        Settings(_env_file=None, smtp_url=url)


def test_a_lease_shorter_than_a_send_is_refused() -> None:
    with pytest.raises(ValidationError, match="WORKER_LEASE_SECONDS"):
        Settings(_env_file=None, worker_lease_seconds=5, smtp_timeout_seconds=30)
