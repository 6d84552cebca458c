"""Convert issues in several processes, giving the results back in the order of the input.

Conversion (parsing, cleaning, markdown) is CPU-bound Python, so threads would not help;
processes do. Each worker receives the options and the index of links once, then one issue
at a time. At most a few issues per worker are in flight, so memory does not grow with the
archive, and the output is the same as with one process: same pages, same order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from revue2md.commands import conversion
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
    def here(task: Task):
        return task, conversion.convert_issue(task.issue, options, task.name, index)

    if jobs <= 1:
        for entry in entries:
            yield here(entry) if isinstance(entry, Task) else entry
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_start_worker,
                             initargs=(options, index)) as pool:
        window: deque = deque()
        for entry in entries:
            if isinstance(entry, Task):
                try:
                    entry = (entry, pool.submit(_convert, entry.issue, entry.name))
                except BrokenProcessPool:  # workers could not start here: carry on in this process
                    entry = here(entry)
            window.append(entry)
            while len(window) > jobs * IN_FLIGHT_PER_WORKER:
                yield _settled(window.popleft(), here)
        while window:
            yield _settled(window.popleft(), here)


def _settled(entry, here):
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], Future):
        task, future = entry
        try:
            return task, future.result()
        except BrokenProcessPool:
            return here(task)
        except Exception as error:  # the result could not come back: this issue only is lost
            return task, Skipped(task.issue.source, f"could not convert: {type(error).__name__}: {error}")
    return entry


def _context():
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    # Not fork: the parent may run threads (image downloads) whose locks a fork would copy.
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


_worker: dict = {}


def _start_worker(options, index) -> None:
    _worker["options"] = options
    _worker["index"] = index


def _convert(issue: Issue, name: str | None) -> Page | Skipped:
    return conversion.convert_issue(issue, _worker["options"], name, _worker["index"])
