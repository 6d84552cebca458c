"""The polite pace for services that ask for one: measured with a fake clock, never with time."""

from __future__ import annotations

import pytest

from revue2md.net.ratelimit import RateLimiter


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_the_first_request_goes_at_once_and_the_next_wait_their_turn():
    clock = FakeClock()
    limiter = RateLimiter(2, clock=clock, sleep=clock.sleep)
    limiter.wait()
    limiter.wait()
    clock.now += 0.2
    limiter.wait()
    assert clock.sleeps == [0.5, pytest.approx(0.3)]


def test_no_wait_when_the_caller_was_slower_than_the_pace():
    clock = FakeClock()
    limiter = RateLimiter(1, clock=clock, sleep=clock.sleep)
    limiter.wait()
    clock.now += 5
    limiter.wait()
    assert clock.sleeps == []


def test_rate_must_be_positive():
    with pytest.raises(ValueError):
        RateLimiter(0)
