"""How hard a request is tried: attempts, backoff, the longest wait, timeouts (see `http`).

Its own module, so that the options naming it load none of the HTTP machinery.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long an HTTP request is tried again, and how long one attempt may take (seconds)."""
    attempts: int = 5
    backoff: float = 0.5
    max_wait: float = 60.0
    timeout: float = 30.0
    deadline: float = 300.0  # one attempt, start to last byte
