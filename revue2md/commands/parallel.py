"""Convert issues in several processes, giving the results back in the order of the input.

Conversion (parsing, cleaning, markdown) is CPU-bound Python, so threads would not help;
processes do. Each worker receives the options and the index of links once, then issues in
small batches (one message each way per batch, not per issue). At most a few batches per
worker are in flight, so memory does not grow with the archive, and the output is the same
as with one process: same pages, same order.

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

BATCH = 8  # issues sent to a worker in one message: fewer round trips between the processes
IN_FLIGHT_PER_WORKER = 2  # batches


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

    context = _context()
    parent_alive, alive_writer = context.Pipe(duplex=False)
    # The pool shuts down before the writer closes: a worker never sees its parent die on a normal exit.
    with parent_alive, alive_writer, ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                                                         initargs=(options, index, parent_alive)) as pool:
        window: deque = deque()
        batch: list[Task] = []
        for entry in entries:
            if isinstance(entry, Task):
                batch.append(entry)
                if len(batch) < BATCH:
                    continue
            if batch:
                window.append(_submitted(pool, batch, here))
                batch = []
            if not isinstance(entry, Task):
                window.append(entry)
            while len(window) > jobs * IN_FLIGHT_PER_WORKER:
                yield from _settled(window.popleft(), here)
        if batch:
            window.append(_submitted(pool, batch, here))
        while window:
            yield from _settled(window.popleft(), here)


class _Batch(list):
    """Tasks sent to a worker together, and the future of their results (or the results themselves)."""

    future: Any = None


def _submitted(pool, tasks: list[Task], here) -> _Batch:
    from concurrent.futures.process import BrokenProcessPool

    batch = _Batch(tasks)
    try:
        batch.future = pool.submit(_convert_batch, [(task.issue, task.name) for task in tasks])
    except (BrokenProcessPool, OSError):  # workers could not start here: carry on in this process
        batch.future = None
    return batch


def _settled(entry, here) -> Iterator[Any]:
    if not isinstance(entry, _Batch):
        yield entry
        return
    if entry.future is None:
        yield from (here(task) for task in entry)
        return
    try:
        results = entry.future.result()
    except Exception:  # no worker, or the results could not come back: these issues are converted here
        yield from (here(task) for task in entry)
        return
    yield from zip(entry, results, strict=True)


def _context():
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    # Not fork: the parent may run threads (image downloads) whose locks a fork would copy.
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def start_workers_early(jobs: int) -> None:
    """Start the process the workers are forked from now, while the caller reads and plans the issues.

    It imports the conversion modules once, in the background, and every worker is a fork of
    it with those modules loaded, instead of each worker importing them after the plan.
    """
    if jobs <= 1:
        return
    context = _context()
    if context.get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    context.set_forkserver_preload([__name__])
    with contextlib.suppress(OSError):  # no process could start: the pool finds out, and converts here
        forkserver.ensure_running()


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


def _convert_batch(issues: list[tuple[Issue, str | None]]) -> list[Page | Skipped]:
    return [conversion.convert_issue(issue, _worker["options"], name, _worker["index"]) for issue, name in issues]
