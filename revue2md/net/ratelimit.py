"""Space requests out: at most `per_second` starts per second, for services we must be polite to."""

from __future__ import annotations

import time
from collections.abc import Callable


class RateLimiter:
    """`wait()` before each request sleeps just long enough to keep the pace."""

    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        if per_second <= 0:
            raise ValueError("the rate must be a positive number of requests per second")
        self.interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None

    def wait(self) -> None:
        now = self._clock()
        if self._last is not None:
            delay = self._last + self.interval - now
            if delay > 0:
                self._sleep(delay)
                now += delay
        self._last = now
