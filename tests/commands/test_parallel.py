"""`--jobs`: issues converted in worker processes come back in order, as one process gives them."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from conftest import FIXTURES
from helpers import synthetic_archive

from revue2md.commands import parallel
from revue2md.commands.export import read_issues
from revue2md.commands.options import ExportOptions
from revue2md.commands.parallel import Task, convert_in_order
from revue2md.models import Skipped


def _entries(tmp_path) -> list:
    """More issues than one batch holds, with other entries between them."""
    synthetic_archive(tmp_path / "archive", parallel.BATCH * 3 + 5)
    issues = [item for item in read_issues([tmp_path / "archive"], ExportOptions()) if not isinstance(item, Skipped)]
    entries: list = []
    for position, issue in enumerate(issues):
        entries.append(Task(issue, context=position))
        if position % 7 == 3:
            entries.append(Skipped(f"between-{position}", "passes through"))
    broken = replace(issues[0], source="broken.json#0", html=None)
    entries.insert(len(entries) // 2, Task(broken, context="broken"))
    return entries


def _outcome(results) -> list:
    return [entry if isinstance(entry, Skipped) else (entry[0].context, entry[1]) for entry in results]


def test_batches_of_workers_give_what_one_process_gives_in_the_same_order(tmp_path):
    entries = _entries(tmp_path)
    one = _outcome(convert_in_order(entries, ExportOptions(), None, jobs=1))
    two = _outcome(convert_in_order(entries, ExportOptions(), None, jobs=2))
    assert len(one) == len(entries)
    assert any(isinstance(result, Skipped) for _, result in (e for e in one if isinstance(e, tuple)))
    assert two == one


def test_results_that_cannot_come_back_are_converted_in_this_process(tmp_path, monkeypatch):
    entries = [entry for entry in _entries(tmp_path) if isinstance(entry, Task)][: parallel.BATCH + 2]
    one = _outcome(convert_in_order(entries, ExportOptions(), None, jobs=1))

    monkeypatch.setattr(parallel, "_submitted", lambda pool, tasks, here: _failed(tasks))
    assert _outcome(convert_in_order(entries, ExportOptions(), None, jobs=2)) == one


def _failed(tasks):
    from concurrent.futures import Future

    batch = parallel._Batch(tasks)
    batch.future = Future()
    batch.future.set_exception(RuntimeError("lost on the way back"))
    return batch


def test_the_worker_parent_starts_early_with_the_conversion_modules_loaded():
    probe = (
        "import sys\n"
        "from multiprocessing import forkserver\n"
        "from revue2md.commands.parallel import start_workers_early\n"
        "start_workers_early(1)\n"
        "assert forkserver._forkserver._forkserver_pid is None\n"
        "start_workers_early(2)\n"
        "assert forkserver._forkserver._forkserver_pid is not None\n"
        "assert forkserver._forkserver._preload_modules == ['revue2md.commands.parallel']\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False,
                            cwd=FIXTURES.parent)
    assert result.returncode == 0, result.stderr


def test_workers_that_cannot_start_leave_the_conversion_to_this_process(tmp_path, monkeypatch):
    from multiprocessing import forkserver

    entries = [entry for entry in _entries(tmp_path) if isinstance(entry, Task)][:3]
    one = _outcome(convert_in_order(entries, ExportOptions(), None, jobs=1))

    def no_process(*args, **kwargs):
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(forkserver, "ensure_running", no_process)
    monkeypatch.setattr("concurrent.futures.process.ProcessPoolExecutor._spawn_process", no_process)
    parallel.start_workers_early(2)
    assert _outcome(convert_in_order(entries, ExportOptions(), None, jobs=2)) == one
