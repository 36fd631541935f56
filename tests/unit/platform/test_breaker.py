"""The circuit breaker, on an injected clock."""

from __future__ import annotations

from complaintdesk.platform.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_the_threshold_of_failures_in_a_row() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=3, reset_after=10, clock=clock)
    breaker.failed()
    breaker.failed()
    breaker.succeeded()  # a success in between starts the count again
    breaker.failed()
    breaker.failed()
    assert breaker.allow()
    breaker.failed()
    assert breaker.state == OPEN
    assert not breaker.allow()
    clock.now = 4
    assert breaker.retry_in() == 6


def test_half_open_lets_one_trial_through_and_closes_on_its_success() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=1, reset_after=10, clock=clock)
    breaker.failed()
    clock.now = 10
    assert breaker.state == HALF_OPEN
    assert breaker.allow()
    assert not breaker.allow()  # only one trial at a time
    breaker.succeeded()
    assert breaker.state == CLOSED
    assert breaker.allow()


def test_a_failed_trial_opens_it_again_for_a_whole_period() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=5, reset_after=10, clock=clock)
    for _ in range(5):
        breaker.failed()
    clock.now = 12
    assert breaker.allow()
    breaker.failed()
    assert breaker.state == OPEN
    clock.now = 21
    assert not breaker.allow()
    clock.now = 22
    assert breaker.allow()
