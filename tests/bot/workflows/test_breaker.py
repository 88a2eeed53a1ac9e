"""The circuit breaker: trips after N application errors in a row, and in a process that lives on
(a worker) lets the portal be tried again after its cool-down."""

from __future__ import annotations

import pytest

from bot.workflows.breaker import CircuitBreaker, CircuitOpen


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_three_errors_in_a_row_trip_it_and_a_success_in_between_does_not() -> None:
    breaker = CircuitBreaker(3, cooldown_seconds=60, clock=Clock())
    # Given two errors, a success, then two more
    for outcome in ("error", "error", "ok", "error", "error"):
        breaker.check()
        breaker.failure("503") if outcome == "error" else breaker.success()
    # Then it has not tripped; one more error trips it and the next step is not attempted
    breaker.check()
    breaker.failure("portal answered 503")
    with pytest.raises(CircuitOpen, match="3 application errors in a row, last: portal answered 503"):
        breaker.check()


def test_after_the_cooldown_one_trial_closes_it_on_success_or_opens_it_again_on_failure() -> None:
    clock = Clock()
    breaker = CircuitBreaker(2, cooldown_seconds=60, clock=clock)
    breaker.failure("503")
    breaker.failure("503")
    # Within the cool-down: not attempted
    clock.now += 59
    with pytest.raises(CircuitOpen):
        breaker.check()
    # After it: a trial goes through; it fails, so another full cool-down starts
    clock.now += 2
    breaker.check()
    breaker.failure("still 503")
    clock.now += 30
    with pytest.raises(CircuitOpen, match="still 503"):
        breaker.check()
    # After that cool-down a trial succeeds: closed, and one error alone no longer trips it
    clock.now += 31
    breaker.check()
    breaker.success()
    breaker.failure("503")
    breaker.check()
    assert not breaker.is_open
