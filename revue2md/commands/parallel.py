"""Convert issues in several processes, giving the results back in the order of the input.

Conversion (parsing, cleaning, markdown) is CPU-bound Python, so threads would not help;
processes do. Each worker receives the options and the index of links once, then one issue
at a time. At most a few issues per worker are in flight, so memory does not grow with the
archive, and the output is the same as with one process: same pages, same order.

Workers die with the process that started them, even when it is killed with SIGKILL and
cannot shut the pool down: each worker watches a pipe only that process can write to, and
exits when the pipe closes. Without this, workers wait on their task queue forever (they
hold its other end themselves), and keep the forkserver alive with them.
"""

from __future__ import annotations

import contextlib
import os
import threading
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

    context = _context()
    parent_alive, alive_writer = context.Pipe(duplex=False)
    # The pool shuts down before the writer closes: a worker never sees its parent die on a normal exit.
    with parent_alive, alive_writer, ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                                                         initargs=(options, index, parent_alive)) as pool:
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


def _start_worker(options, index, parent_alive) -> None:
    _worker["options"] = options
    _worker["index"] = index
    threading.Thread(target=_exit_with_parent, args=(parent_alive,), name="revue2md-parent-watch",
                     daemon=True).start()


def _exit_with_parent(parent_alive) -> None:
    """Block until the parent's end of the pipe closes (it never writes), then end this worker."""
    with contextlib.suppress(EOFError, OSError):
        parent_alive.recv_bytes()
    os._exit(1)


def _convert(issue: Issue, name: str | None) -> Page | Skipped:
    return conversion.convert_issue(issue, _worker["options"], name, _worker["index"])
