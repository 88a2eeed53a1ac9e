"""The circuit breaker: opens on a portal outage (most portal steps failing within a time window), not
on a few unlucky employers among many that get through; in a process that lives on (a worker) it lets
the portal be tried again after its cool-down."""

from __future__ import annotations

import pytest

from bot.core.errors import TryLater
from bot.workflows.breaker import CircuitBreaker, CircuitOpen


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def steps(breaker: CircuitBreaker, clock: Clock, outcomes: str, every: float = 1.0) -> None:
    """`outcomes`: one letter per portal step, e = application error, o = ok."""
    for outcome in outcomes:
        breaker.check()
        breaker.failure("portal answered 503") if outcome == "e" else breaker.success()
        clock.now += every


def test_three_unlucky_employers_among_many_that_get_through_do_not_open_it() -> None:
    # Given a flaky portal: 3 employers in a row fail after their retries, 7 others get through
    clock = Clock()
    breaker = CircuitBreaker(3, cooldown_seconds=60, clock=clock, window_seconds=300, failure_ratio=0.8)
    steps(breaker, clock, "ooooeeeooo")
    # Then the breaker stays closed and the next step is attempted
    assert breaker.state == "closed" and not breaker.is_open
    breaker.check()


def test_an_outage_opens_it_and_says_why() -> None:
    # Given a portal that went down after two good steps: every later step fails
    clock = Clock()
    breaker = CircuitBreaker(3, cooldown_seconds=60, clock=clock, window_seconds=300, failure_ratio=0.8)
    steps(breaker, clock, "ooeeeeeeee")
    # Then it is open: the next step is not attempted, exit 75 (try again later), with the reason
    assert breaker.is_open and breaker.state == "open"
    with pytest.raises(
        CircuitOpen, match=r"8 of the last 10 portal steps .* last: portal answered 503"
    ) as err:
        breaker.check()
    assert err.value.exit_code == TryLater.exit_code == 75
    assert breaker.reasons == [breaker.describe()]


def test_old_successes_leave_the_window() -> None:
    # Given many good steps long ago, then failures only
    clock = Clock()
    breaker = CircuitBreaker(3, cooldown_seconds=60, clock=clock, window_seconds=120, failure_ratio=0.8)
    steps(breaker, clock, "o" * 20)
    clock.now += 600
    steps(breaker, clock, "ee")
    assert not breaker.is_open  # two failures are fewer than the threshold
    steps(breaker, clock, "e")
    # Then the old successes no longer count: 3 of 3 recent steps failed
    assert breaker.is_open


def test_after_the_cooldown_one_trial_closes_it_on_success_or_opens_it_again_on_failure() -> None:
    clock = Clock()
    breaker = CircuitBreaker(2, cooldown_seconds=60, clock=clock)
    breaker.failure("503")
    breaker.failure("503")
    assert breaker.is_open
    # Within the cool-down: not attempted
    clock.now += 59
    with pytest.raises(CircuitOpen):
        breaker.check()
    # After it: half open, a trial goes through; it fails, so another full cool-down starts
    clock.now += 2
    assert breaker.state == "half-open"
    breaker.check()
    breaker.failure("still 503")
    clock.now += 30
    with pytest.raises(CircuitOpen, match="still 503"):
        breaker.check()
    # After that cool-down a trial succeeds: closed, and one error alone no longer opens it
    clock.now += 31
    breaker.check()
    breaker.success()
    assert breaker.state == "closed" and breaker.reasons == []
    breaker.failure("503")
    breaker.check()
    assert not breaker.is_open


def test_step_failures_while_the_portal_answers_most_requests_are_bad_luck_not_an_outage() -> None:
    # Given a flaky portal: it answers 90 % of the requests, yet the first three steps failed
    clock = Clock()
    breaker = CircuitBreaker(3, cooldown_seconds=60, clock=clock)
    for i in range(50):
        breaker.request(i % 10 != 0)
    steps(breaker, clock, "eee")
    # Then the breaker stays closed
    assert not breaker.is_open
    # When the portal then stops answering (most of the window's requests fail), the next failure opens it
    for _ in range(60):
        breaker.request(False)
    steps(breaker, clock, "e")
    assert breaker.is_open
    assert "of 110 requests failed" in breaker.describe()


class Context:
    def __init__(self) -> None:
        self.handlers: dict[str, list[object]] = {}

    def on(self, event: str, handler: object) -> None:
        self.handlers.setdefault(event, []).append(handler)


class Page:
    def __init__(self, context: Context) -> None:
        self.context = context


class Response:
    def __init__(self, status: int) -> None:
        self.status = status


def test_it_watches_each_browser_context_once() -> None:
    # Given one context watched from two steps of the same attempt
    breaker = CircuitBreaker(3)
    context = Context()
    breaker.watch(Page(context))
    breaker.watch(Page(context))
    assert [len(h) for h in context.handlers.values()] == [1, 1]
    # When it sees a 200, a 503 and a request that failed outright
    [on_response], [on_failed] = context.handlers["response"], context.handlers["requestfailed"]
    on_response(Response(200))  # type: ignore[operator]
    on_response(Response(503))  # type: ignore[operator]
    on_failed(object())  # type: ignore[operator]
    # Then it counted one answered, two failed
    assert [answered for _, answered in breaker.requests] == [True, False, False]
