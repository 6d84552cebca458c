"""A killed export leaves only whole pages, and the next run completes the archive."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from conftest import FIXTURES

from revue2md.files import TEMPORARY_PREFIX

COUNT = 600  # an export of this many takes well over the time between two looks at the folder


def _archive(path):
    template = json.loads((FIXTURES / "api" / "every-structure.json").read_text(encoding="utf-8"))[0]
    issues = []
    for n in range(COUNT):
        issue = dict(template)
        issue["id"] = 100000 + n
        issue["title"] = f"Synthetic issue #{n}"
        issue["url"] = f"https://www.getrevue.co/profile/example/issues/synthetic-issue-{n}-{100000 + n}"
        issue["sent_at"] = f"2020-{1 + n % 12:02d}-{1 + n % 28:02d}T08:00:00.000Z"
        issues.append(issue)
    path.write_text(json.dumps(issues), encoding="utf-8")


def _export(source, out):
    return subprocess.Popen([sys.executable, "-m", "revue2md", "export", str(source), "--out", str(out), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_pages(out, at_least, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if out.is_dir() and sum(1 for _ in out.glob("*.md")) >= at_least:
            return
        time.sleep(0.01)
    pytest.fail(f"the export wrote fewer than {at_least} pages in {timeout} s")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """A synthetic archive and the pages an uninterrupted export writes from it."""
    folder = tmp_path_factory.mktemp("archive")
    source, reference = folder / "big.json", folder / "reference"
    _archive(source)
    assert _export(source, reference).wait(timeout=300) == 0
    expected = {p.name: p.read_bytes() for p in reference.glob("*.md")}
    assert len(expected) == COUNT
    return source, expected


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("seed", [1, 2])
def test_killed_export_leaves_whole_pages_and_the_next_run_completes(seed, archive, tmp_path):
    source, expected = archive
    out = tmp_path / "out"

    process = _export(source, out)
    _wait_for_pages(out, random.Random(seed).randint(5, COUNT // 4))
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    pages = [p for p in out.iterdir() if p.suffix == ".md"]
    assert 0 < len(pages) < COUNT
    for page in pages:
        assert page.read_bytes() == expected[page.name], f"{page.name} is not whole"

    assert _export(source, out).wait(timeout=300) == 0
    assert {p.name: p.read_bytes() for p in out.glob("*.md")} == expected
    assert not [p for p in out.iterdir() if p.name.startswith(TEMPORARY_PREFIX)]
