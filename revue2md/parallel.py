"""Convert issues in several processes, giving the results back in the order of the input.

Conversion (parsing, cleaning, markdown) is CPU-bound Python, so threads would not help;
processes do. Each worker receives the options and the index of links once, then one issue
at a time. At most a few issues per worker are in flight, so memory does not grow with the
archive, and the output is the same as with one process: same pages, same order.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from revue2md.models import Issue, Page, Skipped

IN_FLIGHT_PER_WORKER = 4


@dataclass(frozen=True)
class Task:
    """One issue to convert, the page name planned for it, and whatever the caller wants back."""

    issue: Issue
    name: str | None = None
    context: Any = None


def convert_in_order(entries: Iterable[Any], options, index, jobs: int = 1) -> Iterator[Any]:
    """Each Task comes back as `(task, Page | Skipped)`; any other entry passes through as it is."""
    from revue2md.pipeline import convert_issue

    if jobs <= 1:
        for entry in entries:
            yield (entry, convert_issue(entry.issue, options, entry.name, index)) if isinstance(entry, Task) else entry
        return
    with ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_start_worker,
                             initargs=(options, index)) as pool:
        window: deque = deque()
        for entry in entries:
            window.append((entry, pool.submit(_convert, entry.issue, entry.name)) if isinstance(entry, Task) else entry)
            while len(window) > jobs * IN_FLIGHT_PER_WORKER:
                yield _settled(window.popleft())
        while window:
            yield _settled(window.popleft())


def _settled(entry):
    if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], Future):
        task, future = entry
        try:
            return task, future.result()
        except Exception as error:  # a worker that died costs its issues, not the archive
            return task, Skipped(task.issue.source, f"could not convert: the worker process failed ({error})")
    return entry


def _context():
    methods = multiprocessing.get_all_start_methods()
    # Not fork: the parent may run threads (image downloads) whose locks a fork would copy.
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


_worker: dict = {}


def _start_worker(options, index) -> None:
    _worker["options"] = options
    _worker["index"] = index


def _convert(issue: Issue, name: str | None) -> Page | Skipped:
    from revue2md.pipeline import convert_issue

    return convert_issue(issue, _worker["options"], name, _worker["index"])
