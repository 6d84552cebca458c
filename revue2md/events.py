"""Progress the library announces while it works: long phases and waits on the network.

The library never prints. It announces `Step` (one more item done in a phase, with the
phase's total when it is known) and `Wait` (a pause before a retry); a listener installed
with `listening` (the command line's progress bar) receives them, from any thread.
Without a listener, announcing costs a list check.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

READING = "reading sources"
CONVERTING = "converting"
IMAGES = "downloading images"
WAYBACK = "web-archive fetches"


@dataclass(frozen=True)
class Step:
    """One item read or converted in a phase, of `total` when it is known, for the progress display."""
    phase: str
    done: int
    total: int | None = None
    item: str = ""


@dataclass(frozen=True)
class Wait:
    """A pause before trying again: `reason` says why, in words, for the person waiting."""

    seconds: float
    reason: str
    service: str
    attempt: int  # the attempt about to be made
    attempts: int


Event = Step | Wait
_listeners: list[Callable[[Event], None]] = []
_lock = threading.Lock()


@contextmanager
def listening(listener: Callable[[Event], None]) -> Iterator[None]:
    with _lock:
        _listeners.append(listener)
    try:
        yield
    finally:
        with _lock:
            _listeners.remove(listener)


def announce(event: Event) -> None:
    for listener in tuple(_listeners):
        listener(event)


def active() -> bool:
    return bool(_listeners)
