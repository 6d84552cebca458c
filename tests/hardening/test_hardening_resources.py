"""Resources a run must not exhaust or leave behind: memory for a small ZIP that expands a lot,
processes after the parent is killed, and a disk (or spool) that fills up mid-run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES

from revue2md.sources import export_zip
from revue2md.sources.export_zip import ZipExportSource

try:
    import resource
except ImportError:  # not on Windows
    resource = None

# A hang must be caught, not timed: a generous bound for the subprocess, never a speed assert.
HANG = 300
MIB = 1024 * 1024


def _issues_csv(*ids: int) -> str:
    return "id,description,sent_at,subject,preheader\n" + "".join(
        f"{n},<p>Intro {n}</p>,2021-01-0{n} 00:00:00 UTC,Issue {n},\n" for n in ids)


def _expanding_zip(path: Path, entries: int = 400) -> int:
    """1.5 MB on disk, 400 items files of 1 MiB (just under the ratio check), 4.7 million items of one issue."""
    item = json.dumps({"issue_id": 1, "order": 0, "item_type": "text", "title": "", "description": "<p>x</p>"})
    body = ("[" + ",".join([item] * (MIB // (len(item) + 1))) + "]").encode()[:MIB]
    body = body[: body.rfind(b"}") + 1] + b"]"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("issues_1.csv", _issues_csv(1))
        for n in range(entries):
            archive.writestr(f"items_{n}.json", body)
    return entries * body.count(b"issue_id")


def _limit_memory() -> None:
    # A regression must fail this test with MemoryError, not swap the machine: 1 GiB of address space.
    resource.setrlimit(resource.RLIMIT_AS, (1024 * MIB, 1024 * MIB))


@pytest.mark.skipif(resource is None or not sys.platform.startswith("linux"),
                    reason="needs resource.RLIMIT_AS and ru_maxrss in KiB (Linux)")
def test_a_small_zip_of_many_large_items_files_stays_under_300_mb(tmp_path):
    source = tmp_path / "export.zip"
    count = _expanding_zip(source)
    assert source.stat().st_size < 2 * MIB
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "revue2md", "export", str(source), "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=_limit_memory)
    _, stderr = process.communicate(timeout=HANG)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert process.returncode == 1, stderr
    assert (f"skipped {source}#1: {count - 1000} items left out: an issue keeps at most 1000 items, "
            "the first ones in order") in stderr
    page = (out / "issue-1.md").read_text(encoding="utf-8")
    assert page.count("\nx\n") == export_zip.MAX_ITEMS_PER_ISSUE
    assert peak_mb < 300, f"peak memory {peak_mb:.0f} MB"


def test_an_issue_keeps_its_first_items_in_order_whatever_file_they_are_in(tmp_path, monkeypatch):
    monkeypatch.setattr(export_zip, "MAX_ITEMS_PER_ISSUE", 3)

    def items(*orders):
        return json.dumps([{"issue_id": issue, "order": order, "item_type": "text", "title": "",
                            "description": f"item {issue}.{order}"} for issue, order in orders])

    source = tmp_path / "export.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("issues_1.csv", _issues_csv(1, 2))
        archive.writestr("items_1.json", items((1, 9), (1, "10"), (2, 1), (1, 4), (9, 1)))
        archive.writestr("items_2.json", items((1, 2), (1, 7), (1, 4.5), (2, 2), ("x", 1)))
    found = list(ZipExportSource(source).issues())
    first, skipped, second, unattached = found
    assert [line for line in first.html.splitlines() if "item" in line] == [
        "<p>item 1.2</p>", "<p>item 1.4</p>", "<p>item 1.4.5</p>"]
    assert skipped.source == f"{source}#1" and not skipped.ignored
    assert skipped.reason == "3 items left out: an issue keeps at most 3 items, the first ones in order"
    assert second.html.count("<p>item 2.") == 2
    assert unattached.ignored and unattached.reason == "2 items belong to no issue in the issues CSV"


# --- processes ---------------------------------------------------------------------------------

def _group_members(group: int) -> list[str]:
    """The live processes of a process group (zombies waiting for init to reap them do not count)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # it ended while we looked
            continue
        state, _, pgrp = stat[stat.rindex(")") + 2:].split()[:3]
        if int(pgrp) == group and state != "Z":
            members.append(f"{entry.name} {cmdline[:120]}")
    return members


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process groups from /proc (Linux)")
def test_killing_a_parallel_export_leaves_no_worker_running(tmp_path):
    template = json.loads((FIXTURES / "api" / "every-structure.json").read_text(encoding="utf-8"))[0]
    source = tmp_path / "big.json"
    source.write_text(json.dumps([{**template, "id": 100_000 + n, "title": f"Synthetic {n}",
                                   "url": f"https://www.getrevue.co/profile/example/issues/synthetic-{n}-{100_000 + n}"}
                                  for n in range(2000)]), encoding="utf-8")
    out = tmp_path / "out"
    # A session of its own: the export, its forkserver, its workers and the resource tracker share its group.
    process = subprocess.Popen([sys.executable, "-m", "revue2md", "export", str(source), "--out", str(out),
                                "--jobs", "2", "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    group = process.pid
    try:
        deadline = time.monotonic() + HANG
        while sum(1 for _ in out.glob("*.md")) < 20 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        assert process.poll() is None, "the export ended before it could be killed mid-run"
        assert len(_group_members(group)) >= 3, _group_members(group)  # the export, a forkserver, workers
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        deadline = time.monotonic() + 60
        while _group_members(group) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _group_members(group) == []
    finally:
        if _group_members(group):
            os.killpg(group, signal.SIGKILL)


# --- a full disk ---------------------------------------------------------------------------------
# No test may mount a small filesystem, so the disk fills up at the lowest write call instead:
# the stream a write goes through is pointed at /dev/full, and the kernel itself answers ENOSPC.

needs_dev_full = pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")


def _disk_full_when(monkeypatch, full) -> None:
    """Writes of `files.write_atomic` whose bytes `full(data)` picks go to /dev/full."""
    from revue2md import files

    real_fdopen = os.fdopen

    class Stream:
        def __init__(self, handle, *args, **kwargs):
            self.real = real_fdopen(handle, *args, **kwargs)

        def write(self, data):
            if full(data):
                with open("/dev/full", "wb", buffering=0) as device:
                    return device.write(data)  # OSError: [Errno 28] No space left on device
            return self.real.write(data)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.real.close()

    class Os:
        def __getattr__(self, name):
            return getattr(os, name)

        fdopen = Stream

    monkeypatch.setattr(files, "os", Os())


def _three(path: Path, version: str) -> Path:
    path.write_text(json.dumps([{"id": n, "title": title, "html": f"<p>{title} body {version}</p>",
                                 "sent_at": f"2021-01-0{n}T00:00:00Z"}
                                for n, title in enumerate(("First", "Second", "Third"), 1)]))
    return path


def _temporaries(out: Path) -> list[Path]:
    return [path for path in out.rglob("*") if path.name.startswith(".revue2md-") and path.suffix == ".tmp"]


@needs_dev_full
def test_a_full_disk_while_writing_a_page_stops_with_one_line_and_loses_nothing(cli, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert cli("export", _three(tmp_path / "v1.json", "v1"), "--out", out).exit_code == 0
    before = (out / "second.md").read_bytes()
    _disk_full_when(monkeypatch, lambda data: b"Second body v2" in data)
    result = cli("export", _three(tmp_path / "v2.json", "v2"), "--out", out)
    assert result.exit_code == 1
    assert result.stderr == f"revue2md: no space left on device: {out.resolve() / 'second.md'}\n"
    assert "First body v2" in (out / "first.md").read_text()
    assert (out / "second.md").read_bytes() == before  # the page being replaced is whole, as it was
    assert _temporaries(out) == []


@needs_dev_full
def test_a_full_disk_while_saving_the_state_file_stops_with_one_line(cli, tmp_path, monkeypatch):
    out = tmp_path / "out"
    source = _three(tmp_path / "v1.json", "v1")
    _disk_full_when(monkeypatch, lambda data: data.startswith(b"{") and b'"issues"' in data)
    result = cli("sync", source, "--out", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"revue2md: no space left on device: {out / '.revue2md.json'}"
    assert "Traceback" not in result.stderr and not (out / ".revue2md.json").exists()
    assert _temporaries(out) == []
    monkeypatch.undo()
    # The pages written are whole: the next run, with room again, adopts them and records them.
    result = cli("sync", source, "--out", out)
    assert result.exit_code == 0, result.output
    assert (out / ".revue2md.json").is_file() and "Second body v1" in (out / "second.md").read_text()


@needs_dev_full
def test_a_full_temporary_folder_for_the_spool_is_one_line(cli, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *args, **kwargs: open("/dev/full", "w+b"))  # noqa: SIM115
    out = tmp_path / "out"
    result = cli("export", _three(tmp_path / "v1.json", "v1"), "--out", out)
    assert result.exit_code == 1
    assert result.stderr.startswith("revue2md: no space left on device: ")
    assert "(the temporary folder, $TMPDIR, holds the issues read; point TMPDIR at a folder with room)" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not list(out.glob("*.md"))


@needs_dev_full
def test_a_full_temporary_folder_for_the_report_is_one_line(cli, tmp_path, monkeypatch):
    """The report keeps its pages in the temporary folder too; only its file is made full here."""
    import tempfile

    real = tempfile.TemporaryFile

    def temporary(*args, prefix=None, **kwargs):
        if prefix == "revue2md-report-":
            return open("/dev/full", "w+b")
        return real(*args, prefix=prefix, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryFile", temporary)
    result = cli("export", _three(tmp_path / "v1.json", "v1"), "--out", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("revue2md: no space left on device: ")
    assert "holds the report's pages; point TMPDIR at a folder with room)" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def _issue_with_an_image(httpserver, tmp_path) -> Path:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + chunk(
        b"IDAT", zlib.compress(b"\x00\x01\x02\x03")) + chunk(b"IEND", b"")
    httpserver.expect_request("/cat.png").respond_with_data(png, content_type="image/png")
    source = tmp_path / "issues.json"
    image = f'<img src="{httpserver.url_for("/cat.png")}" alt="cat">'
    source.write_text(json.dumps([{"id": 1, "title": "Pictures", "sent_at": "2021-01-01T00:00:00Z",
                                   "html": f"<p>Hello</p><p>{image}</p>"}]))
    return source


@needs_dev_full
def test_a_full_disk_while_caching_an_image_stops_with_one_line(cli, httpserver, tmp_path, monkeypatch):
    """The image cache's disk is the run's disk: a full one stops the run, not only that image."""
    source = _issue_with_an_image(httpserver, tmp_path)
    out, cache = tmp_path / "out", tmp_path / "cache"
    _disk_full_when(monkeypatch, lambda data: data.startswith(b"\x89PNG"))
    result = cli("export", source, "--out", out, "--images", "download", "--allow-private-hosts",
                 "--image-cache", cache)
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().startswith(f"revue2md: no space left on device: {cache.resolve()}/")
    assert len(result.stderr.splitlines()) == 1
    assert not (out / "pictures" / "index.md").exists()


@needs_dev_full
def test_a_full_disk_while_writing_an_image_stops_with_one_line(cli, httpserver, tmp_path, monkeypatch):
    source = _issue_with_an_image(httpserver, tmp_path)
    out = tmp_path / "out"
    _disk_full_when(monkeypatch, lambda data: data.startswith(b"\x89PNG"))
    result = cli("export", source, "--out", out, "--images", "download", "--allow-private-hosts")
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert line.startswith(f"revue2md: no space left on device: {out.resolve() / 'pictures'}/")
    assert line.endswith(".png")
    assert len(result.stderr.splitlines()) == 1
    assert not (out / "pictures" / "index.md").exists()  # a page is written after its images, never without them
    assert _temporaries(out) == []


def _one_large_items_file(path: Path, size: int = 100 * MIB) -> None:
    """One items file of `size` bytes, stored (so no ratio check refuses it): a few items of the
    issue, then items of an issue the table does not hold, which are only counted."""
    kept = [{"issue_id": 1, "order": n, "item_type": "text", "title": "", "description": f"<p>kept {n}</p>"}
            for n in range(3)]
    other = json.dumps({"issue_id": 2, "order": 0, "item_type": "text", "title": "",
                        "description": "<p>" + "y" * 200 + "</p>"})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("issues_1.csv", _issues_csv(1))
        with archive.open("items_1.json", "w", force_zip64=True) as member:
            member.write(("[" + ",".join(json.dumps(item) for item in kept)).encode())
            chunk = ("," + other).encode() * 1000
            for _ in range(size // len(chunk)):
                member.write(chunk)
            member.write(b"]")


@pytest.mark.skipif(resource is None or not sys.platform.startswith("linux"),
                    reason="needs resource.RLIMIT_AS and ru_maxrss in KiB (Linux)")
def test_one_large_items_file_is_read_as_a_stream_under_300_mb(tmp_path):
    """Read whole, 100 MiB of items is its bytes, its text and half a million objects at once."""
    source = tmp_path / "export.zip"
    _one_large_items_file(source)
    out = tmp_path / "out"
    probe = ("import resource, subprocess, sys; "
             "resource.setrlimit(resource.RLIMIT_AS, (1024 << 20, 1024 << 20)); "
             "run = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
             "sys.stderr.write(run.stderr); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(run.returncode)")
    # The run is measured from a process of its own, so no earlier child of the test session counts.
    result = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "revue2md", "export", str(source),
                             "--out", str(out)], capture_output=True, text=True, timeout=HANG)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    page = (out / "issue-1.md").read_text(encoding="utf-8")
    assert "kept 0" in page and "kept 2" in page and "yyy" not in page
    peak_mb = int(result.stdout.split()[-1]) / 1024
    assert peak_mb < 300, f"peak memory {peak_mb:.0f} MB"
