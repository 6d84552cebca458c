"""`revue2md sync`: writes only what is new or changed, leaves hand edits alone, one run at a time."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from helpers import synthetic_archive

from revue2md.hugo.lock import LOCK_NAME
from revue2md.hugo.state import STATE_NAME, load_state


def _pages(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*.md"))}


def _mtimes(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}


def _issues(archive: Path) -> list[dict]:
    return json.loads(archive.read_text(encoding="utf-8"))


def _save(archive: Path, issues: list[dict]) -> None:
    archive.write_text(json.dumps(issues), encoding="utf-8")


def _run(*args, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "revue2md", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


@pytest.fixture
def archive(tmp_path) -> Path:
    path = tmp_path / "issues.json"
    synthetic_archive(path, 6)
    return path


def test_first_sync_writes_everything_and_records_it(cli, archive, tmp_path):
    out = tmp_path / "out"
    result = cli("sync", archive, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"wrote 6 pages to {out}"
    assert "wrote synthetic-0.md (new)" in result.stdout
    assert len(_pages(out)) == 6
    state = json.loads((out / STATE_NAME).read_text(encoding="utf-8"))
    assert state["format"] == 1 and state["filename"] == "{slug}.md"
    record = state["issues"]["700000"]
    assert record["files"][0]["path"] == "synthetic-0.md"
    assert len(record["files"][0]["sha256"]) == 64 and len(record["source"]) == 64
    assert not (out / LOCK_NAME).exists()


def test_second_sync_writes_nothing_says_so_in_one_line_and_keeps_mtimes(cli, archive, tmp_path):
    out = tmp_path / "out"
    cli("sync", archive, "--out", out)
    before, mtimes = _pages(out), _mtimes(out)
    result = cli("sync", archive, "--out", out)
    assert result.exit_code == 0
    assert result.output == f"nothing new: 6 pages up to date in {out}\n"
    assert _pages(out) == before and _mtimes(out) == mtimes  # the state file included


def test_a_sync_with_nothing_new_converts_nothing(cli, archive, tmp_path, monkeypatch):
    out = tmp_path / "out"
    cli("sync", archive, "--out", out)

    def must_not_convert(*args, **kwargs):
        raise AssertionError("an unchanged issue was converted again")

    monkeypatch.setattr("revue2md.commands.conversion.convert_issue", must_not_convert)
    monkeypatch.setattr("revue2md.commands.conversion.clean_issue", must_not_convert)
    result = cli("sync", archive, "--out", out)
    assert result.exit_code == 0 and "nothing new: 6 pages" in result.stdout


def test_new_issues_are_the_only_pages_written(cli, archive, tmp_path):
    out = tmp_path / "out"
    cli("sync", archive, "--out", out)
    mtimes = _mtimes(out)
    synthetic_archive(archive, 8)
    result = cli("sync", archive, "--out", out)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["wrote synthetic-6.md (new)", "wrote synthetic-7.md (new)",
                                          f"wrote 2 pages to {out} (6 already up to date)"]
    after = _mtimes(out)
    assert all(after[name] == mtime for name, mtime in mtimes.items() if name.endswith(".md"))


def test_a_changed_issue_is_rewritten_under_its_old_name(cli, archive, tmp_path):
    out = tmp_path / "out"
    cli("sync", archive, "--out", out)
    mtimes = _mtimes(out)
    issues = _issues(archive)
    issues[2]["html"] += "<p>A correction sent later.</p>"
    issues[2]["title"] = "A new title that would make another slug"
    issues[2]["url"] = None
    _save(archive, issues)
    result = cli("sync", archive, "--out", out)
    assert result.exit_code == 0
    assert "wrote synthetic-2.md (source changed)" in result.stdout
    assert "wrote 1 page to" in result.stdout
    page = (out / "synthetic-2.md").read_text(encoding="utf-8")
    assert "A correction sent later." in page and 'title: "A new title that would make another slug"' in page
    assert not (out / "a-new-title-that-would-make-another-slug.md").exists()
    changed = {name for name, mtime in _mtimes(out).items() if mtimes.get(name) != mtime}
    assert changed == {"synthetic-2.md", STATE_NAME}


def test_a_hand_edit_survives_and_is_reported_and_force_overwrites_it(cli, archive, tmp_path):
    out = tmp_path / "out"
    cli("sync", archive, "--out", out)
    page = out / "synthetic-1.md"
    edited = page.read_text(encoding="utf-8") + "\nA note I added by hand.\n"
    page.write_text(edited, encoding="utf-8")

    result = cli("sync", archive, "--out", out)
    assert result.exit_code == 0  # nothing from the source is held back
    assert "kept synthetic-1.md: edited by hand since revue2md wrote it; --force overwrites it" in result.stderr
    assert page.read_text(encoding="utf-8") == edited
    quiet = cli("sync", archive, "--out", out, "--quiet")
    assert quiet.stderr == "" and quiet.stdout.startswith("nothing new: 5 pages up to date")

    issues = _issues(archive)
    issues[1]["html"] += "<p>Update from the source.</p>"
    _save(archive, issues)
    result = cli("sync", archive, "--out", out, "--quiet")
    assert result.exit_code == 1
    assert result.stderr == ("kept synthetic-1.md: edited by hand since revue2md wrote it; its source changed and "
                             "the update was not written; --force overwrites it\n")
    assert page.read_text(encoding="utf-8") == edited

    result = cli("sync", archive, "--out", out, "--force")
    assert result.exit_code == 0
    assert "wrote synthetic-1.md (source changed)" in result.stdout
    assert "Update from the source." in page.read_text(encoding="utf-8")
    assert "A note I added by hand." not in page.read_text(encoding="utf-8")
    assert cli("sync", archive, "--out", out).stdout.startswith("nothing new: 6 pages up to date")


def test_restoring_the_written_bytes_lets_a_held_back_update_through(cli, archive, tmp_path):
    out = tmp_path / "out"
    cli("sync", archive, "--out", out)
    page = out / "synthetic-1.md"
    original = page.read_bytes()
    page.write_bytes(original + b"\nhand edit\n")
    issues = _issues(archive)
    issues[1]["html"] += "<p>Update from the source.</p>"
    _save(archive, issues)
    assert cli("sync", archive, "--out", out).exit_code == 1
    page.write_bytes(original)  # what `git checkout` of the page would do
    result = cli("sync", archive, "--out", out)
    assert result.exit_code == 0 and "wrote synthetic-1.md (source changed)" in result.stdout


def test_a_deleted_page_is_not_written_again_unless_forced(cli, archive, tmp_path):
    out = tmp_path / "out"
    cli("sync", archive, "--out", out)
    (out / "synthetic-3.md").unlink()
    result = cli("sync", archive, "--out", out)
    assert result.exit_code == 0
    assert "kept synthetic-3.md: deleted by hand; --force writes it again" in result.stderr
    assert "left alone 1 edited or deleted by hand" in result.stdout
    assert not (out / "synthetic-3.md").exists()
    result = cli("sync", archive, "--out", out, "--force")
    assert result.exit_code == 0 and "wrote synthetic-3.md (--force)" in result.stdout
    assert (out / "synthetic-3.md").is_file()


def test_a_file_revue2md_did_not_write_is_not_overwritten(cli, archive, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "synthetic-4.md").write_text("my own page\n", encoding="utf-8")
    result = cli("sync", archive, "--out", out)
    assert result.exit_code == 1
    assert result.stderr == ("kept synthetic-4.md: a file revue2md did not write; the page of a new issue goes "
                             "there and was not written; --force overwrites it\n")
    assert (out / "synthetic-4.md").read_text(encoding="utf-8") == "my own page\n"
    assert "synthetic-4" not in (out / STATE_NAME).read_text(encoding="utf-8")
    result = cli("sync", archive, "--out", out, "--force")
    assert result.exit_code == 0 and "wrote synthetic-4.md (new)" in result.stdout


def test_pages_written_but_not_recorded_are_adopted(cli, archive, tmp_path):
    """What a run killed between writing pages and saving its state leaves behind."""
    out = tmp_path / "out"
    cli("sync", archive, "--out", out)
    state = json.loads((out / STATE_NAME).read_text(encoding="utf-8"))
    del state["issues"]["700002"]
    (out / STATE_NAME).write_text(json.dumps(state), encoding="utf-8")
    (out / "sub").mkdir()
    (out / "sub" / ".revue2md-x1y2.tmp").write_bytes(b"half a page")
    mtimes = _mtimes(out)
    result = cli("sync", archive, "--out", out)
    assert result.exit_code == 0, result.output
    assert "removed 1 unfinished temporary file(s)" in result.stderr
    assert f"nothing new: 6 pages up to date in {out}" in result.stdout
    assert not (out / "sub" / ".revue2md-x1y2.tmp").exists()
    assert (out / "synthetic-2.md").stat().st_mtime_ns == mtimes["synthetic-2.md"]
    assert "700002" in load_state(out).issues


def test_identical_runs_leave_identical_state(cli, archive, tmp_path):
    cli("sync", archive, "--out", tmp_path / "a")
    cli("sync", archive, "--out", tmp_path / "b")
    first = (tmp_path / "a" / STATE_NAME).read_bytes()
    assert first == (tmp_path / "b" / STATE_NAME).read_bytes()
    assert b"\r\n" not in first and first.endswith(b"}\n")
    document = json.loads(first)
    assert list(document) == sorted(document) and list(document["issues"]) == sorted(document["issues"])


def test_an_option_that_changes_output_rewrites_the_pages_it_changes(cli, tmp_path):
    source = FIXTURES / "api" / "every-structure.json"
    out = tmp_path / "out"
    cli("sync", source, "--out", out)
    result = cli("sync", source, "--out", out, "--sentence-per-line")
    assert result.exit_code == 0 and "(source changed)" in result.stdout
    assert cli("sync", source, "--out", out, "--sentence-per-line").stdout.startswith("nothing new")


def test_another_filename_template_is_refused(cli, archive, tmp_path):
    out = tmp_path / "out"
    cli("sync", archive, "--out", out)
    result = cli("sync", archive, "--out", out, "--filename", "{id}")
    assert result.exit_code == 2
    assert (f"{out} was synced with pages named '{{slug}}.md', not '{{id}}.md'; use the same --filename "
            "and --layout" in result.stderr)


def test_a_damaged_state_file_is_a_clear_error(cli, archive, tmp_path):
    out = tmp_path / "out"
    cli("sync", archive, "--out", out)
    (out / STATE_NAME).write_text('{"format": 99, "issues": {}}', encoding="utf-8")
    result = cli("sync", archive, "--out", out)
    assert result.exit_code == 2
    assert f"{out / STATE_NAME} is not a revue2md state file (format 99" in result.stderr
    (out / STATE_NAME).write_text('{"format": 1, "filename": "{slug}", "issues": {"1": {"source": "x", '
                                  '"files": [{"path": "../../etc/passwd", "sha256": "y"}]}}}', encoding="utf-8")
    result = cli("sync", archive, "--out", out)
    assert result.exit_code == 2 and "path outside the folder" in result.stderr


def test_skipped_issues_make_the_exit_code_1_and_the_rest_is_written(cli, tmp_path):
    sources = tmp_path / "in"
    sources.mkdir()
    for name in ("empty.json", "truncated.html"):
        shutil.copy(FIXTURES / "bad" / name, sources)
    shutil.copy(FIXTURES / "api" / "single.json", sources)
    result = cli("sync", sources, "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 1
    assert "empty.json: empty file" in result.stderr and "truncated.html: incomplete page" in result.stderr
    assert result.stdout == f"wrote 1 page to {tmp_path / 'out'}; skipped 2\n"


def test_a_lock_left_by_a_dead_run_does_not_block(cli, archive, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text("999999999\n")
    result = cli("sync", archive, "--out", out)
    assert result.exit_code == 0 and not (out / LOCK_NAME).exists()


def _wait_for(condition, process: subprocess.Popen, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the sync ended before {what}: make the archive bigger")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.005)


def test_two_syncs_on_one_folder_do_not_both_write(tmp_path):
    archive, out = tmp_path / "issues.json", tmp_path / "out"
    synthetic_archive(archive, 300)
    first = subprocess.Popen([sys.executable, "-m", "revue2md", "sync", archive, "--out", out, "--quiet"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lock = out / LOCK_NAME

    def holds_lock() -> bool:
        return lock.is_file() and lock.read_text().strip() == str(first.pid)

    try:
        _wait_for(holds_lock, first, "it took the lock")
        first.send_signal(signal.SIGSTOP)  # hold it mid-run, lock taken
        pages_before = _pages(out)
        second = _run("sync", archive, "--out", out)
        assert second.returncode == 1
        assert second.stderr == (f"revue2md: another sync is running on {out} (pid {first.pid}); "
                                 "try again when it has finished\n")
        assert second.stdout == ""
        assert _pages(out) == pages_before
    finally:
        first.send_signal(signal.SIGCONT)
    stdout, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr
    assert stdout == f"wrote 300 pages to {out}\n"
    third = _run("sync", archive, "--out", out, "--quiet")
    assert third.returncode == 0 and third.stdout == f"nothing new: 300 pages up to date in {out}\n"


_SYNC_WITH_FREQUENT_CHECKPOINTS = (
    "import revue2md.commands.sync as sync\n"
    "sync.CHECKPOINT_SECONDS = 0.02\n"
    "from revue2md.cli.app import main\n"
    "main()\n"
)


def test_a_killed_sync_leaves_whole_pages_and_a_state_the_next_run_accepts(tmp_path):
    archive, out = tmp_path / "issues.json", tmp_path / "out"
    synthetic_archive(archive, 1200)
    # A sync of 1,200 issues takes about a second, as long as the checkpoint interval: checkpoints
    # every 20 ms make sure the kill lands between two of them, however fast the machine is.
    process = subprocess.Popen([sys.executable, "-c", _SYNC_WITH_FREQUENT_CHECKPOINTS,
                                "sync", archive, "--out", out, "--quiet"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # The first state checkpoint, and then some pages written after it and not yet recorded.
        _wait_for(lambda: (out / STATE_NAME).is_file(), process, "its first state checkpoint")
        recorded = len(load_state(out).issues)
        _wait_for(lambda: len(list(out.glob("*.md"))) > recorded + 20, process, "more pages were written")
    finally:
        process.kill()
        process.communicate()
    assert process.returncode == -signal.SIGKILL

    left = _pages(out)
    assert 0 < len(left) < 1200
    for name, data in left.items():
        text = data.decode("utf-8")
        assert text.startswith('---\ntitle: "Synthetic ') and "\nrevue_id: " in text, name
        assert text.endswith("\n") and "\n---\n\n" in text, name
    state = load_state(out)  # readable, and it records no page that is not there
    assert all(record.page in left for record in state.issues.values())
    (out / ".revue2md-planted.tmp").write_bytes(b"half")

    result = _run("sync", archive, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "kept" not in result.stderr
    assert "removed" in result.stderr and not list(out.rglob("*.tmp"))
    assert f"wrote {1200 - len(left)} pages to {out} ({len(left)} already up to date)" in result.stdout
    final = _pages(out)
    assert len(final) == 1200
    assert all(final[name] == data for name, data in left.items())  # what the killed run left was whole
    again = _run("sync", archive, "--out", out, "--quiet")
    assert again.stdout == f"nothing new: 1200 pages up to date in {out}\n"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX process control")
def test_the_lock_is_released_when_its_process_dies(tmp_path):
    from revue2md.hugo.lock import folder_lock

    child = os.fork()
    if child == 0:  # pragma: no cover - the child takes the lock and dies holding it
        with folder_lock(tmp_path):
            os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(child, 0)
    assert (tmp_path / LOCK_NAME).exists()
    with folder_lock(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text().strip() == str(os.getpid())
    assert not (tmp_path / LOCK_NAME).exists()


def test_an_output_path_that_is_a_file_is_a_usage_error(cli, archive, tmp_path):
    (tmp_path / "file").write_text("x")
    result = cli("sync", archive, "--out", tmp_path / "file")
    assert result.exit_code == 2 and result.stderr == f"revue2md: {tmp_path / 'file'}: not a folder\n"


def test_the_options_fingerprint_is_stable_and_sees_every_option():
    from revue2md.clean.issue import CleanOptions
    from revue2md.clean.tracking import TrackingFilter
    from revue2md.commands.options import ExportOptions
    from revue2md.convert.markdown import ConvertOptions
    from revue2md.hugo.page import PageOptions
    from revue2md.hugo.state import options_fingerprint

    def options(strip=("ref",), sentences=False, profile=None):
        return ExportOptions(clean=CleanOptions(tracking=TrackingFilter(strip)),
                             page=PageOptions(convert=ConvertOptions(sentence_per_line=sentences), profile=profile))

    assert options_fingerprint(options()) == options_fingerprint(options())
    assert "0x" not in options_fingerprint(options())  # no object addresses
    others = {options_fingerprint(o) for o in (options(), options(strip=("ref", "src")), options(sentences=True),
                                                options(profile="me"))}
    assert len(others) == 4


def test_sync_polls_the_api_for_the_latest_issue_and_keeps_the_token_out_of_the_state(cli, httpserver, tmp_path):
    """The cron use: `sync api --latest` adds the newest issue and leaves the others as they are."""
    token = "tok-S3CRET-sync"
    issues = synthetic_archive(tmp_path / "issues.json", 3)
    out = tmp_path / "out"
    assert cli("sync", tmp_path / "issues.json", "--out", out).exit_code == 0
    newest = {**issues[0], "id": 800_000, "title": "The newest",
              "url": "https://www.getrevue.co/profile/synthetic/issues/the-newest-800000"}
    httpserver.expect_request("/api/v2/issues/latest", headers={"Authorization": f"Token {token}"}) \
        .respond_with_json({"issue": [newest]})
    args = ("sync", "api", "--latest", "--api-url", httpserver.url_for("/api/v2"), "--token", token, "--out", out)
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["wrote the-newest.md (new)", f"wrote 1 page to {out}"]
    assert cli(*args).stdout == f"nothing new: 1 page up to date in {out}\n"
    assert len(_pages(out)) == 4
    assert token not in (out / STATE_NAME).read_text(encoding="utf-8")


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x01\x02\x03")) + chunk(b"IEND", b""))


def test_sync_with_downloaded_images_records_the_bundle_and_retries_a_failed_image(cli, httpserver, tmp_path):
    good, bad = httpserver.url_for("/img/good.png"), httpserver.url_for("/img/bad.png")
    httpserver.expect_request("/img/good.png").respond_with_data(_png(), content_type="image/png")
    httpserver.expect_request("/img/bad.png").respond_with_data("gone", status=404)
    archive, out = tmp_path / "issues.json", tmp_path / "out"
    archive.write_text(json.dumps([
        {"id": 1, "title": "Good picture", "sent_at": "2021-01-01T00:00:00Z", "html": f'<p><img src="{good}"></p>'},
        {"id": 2, "title": "Bad picture", "sent_at": "2021-01-02T00:00:00Z", "html": f'<p><img src="{bad}"></p>'},
    ]), encoding="utf-8")
    args = ("sync", archive, "--out", out, "--images", "download", "--allow-private-hosts")
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert f"image failed {archive}#1: {bad} kept as it is" in result.stderr
    state = load_state(out)
    assert state.filename == "{slug}/index.md"
    assert state.issues["1"].page == "good-picture/index.md"
    assert len(state.issues["1"].files) == 2 and not state.issues["1"].incomplete
    assert state.issues["2"].incomplete

    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    result = cli(*args)  # the failed image is tried again; the rest is left as it is
    assert f"nothing new: 2 pages up to date in {out}" in result.stdout and "image failed" in result.stderr
    assert {p: p.stat().st_mtime_ns for p in mtimes if p.name != STATE_NAME} == \
        {p: m for p, m in mtimes.items() if p.name != STATE_NAME}

    image = next((out / "good-picture").glob("*.png"))
    image.unlink()
    result = cli(*args)
    assert f"kept good-picture/{image.name}: deleted by hand" in result.stderr
    check = cli("check", archive, "--out", out, "--images", "download")
    assert check.exit_code == 1 and "drift good-picture/index.md" in check.stdout
    assert cli(*args, "--force").exit_code == 0 and image.is_file()
    check = cli("check", archive, "--out", out, "--images", "download")
    assert check.exit_code == 0, check.output


def test_a_page_is_converted_again_when_an_issue_it_links_to_arrives(cli, tmp_path):
    archive, out = tmp_path / "issues.json", tmp_path / "out"
    first = {"id": 1, "title": "First", "url": "https://www.getrevue.co/profile/p/issues/first-1",
             "sent_at": "2021-01-01T00:00:00Z", "html": "<p>One.</p>"}
    second = {"id": 2, "title": "Second", "url": "https://www.getrevue.co/profile/p/issues/second-2",
              "sent_at": "2021-01-08T00:00:00Z", "html": f'<p>As <a href="{first["url"]}">said before</a>.</p>'}
    _save(archive, [second])
    cli("sync", archive, "--out", out)
    assert f"]({first['url']})" in (out / "second.md").read_text(encoding="utf-8")
    _save(archive, [first, second])
    result = cli("sync", archive, "--out", out)
    assert result.stdout.splitlines() == ["wrote first.md (new)", "wrote second.md (source changed)",
                                          f"wrote 2 pages to {out}"]
    assert "[said before](../first/)" in (out / "second.md").read_text(encoding="utf-8")
    assert cli("sync", archive, "--out", out).stdout.startswith("nothing new: 2 pages")


def _every_link_target(issue, plan) -> str:
    """What `link_targets` must give: each link unescaped, unquoted and looked up on its own."""
    import html
    import re
    from urllib.parse import unquote

    hrefs = {html.unescape(href) for href in re.findall(r"""href\s*=\s*["']([^"']+)["']""", issue.html, re.I)}
    targets = {plan.index.target(href) for href in hrefs if re.search(r"/(?:profile|issues|archive)/", unquote(href))}
    targets.discard(None)
    return "\n" + "\n".join(sorted(targets)) if targets else ""


@pytest.mark.parametrize("href", [
    "https://www.getrevue.co/profile/p/issues/first-1",
    "https://www.getrevue.co/profile/p/issues/first-1?utm_source=x&amp;utm_medium=y",
    "https:&#47;&#47;www.getrevue.co&#47;profile&#47;p&#47;issues&#47;first-1",
    "https://www.getrevue.co/profile/p/%69ssues/first-1",
    "https://www.getrevue.co/%70rofile/p/%69ssues/first-1",
    "https://www.getrevue.co/%2570rofile/p/issues/first-1",
    "https://news.example/%69ssues/home-3",
    "https://news.example/&#x25;69ssues/home-3",
    "https://www.getrevue.co/profile/p%2Fissues%2Ffirst-1",
    "https://www.getrevue.co/profile/p/&#37;69ssues/first-1",
    "https://www.getrevue.co/profile/p/iss&#x75;es/first-1",
    "https://www.getrevue.co/profile/p",
    "https://news.example/issues/first-1",
    "https://news.example/archive/1",
    "https://elsewhere.example/?u=https%3A%2F%2Fwww.getrevue.co%2Fprofile%2Fp%2Fissues%2Ffirst-1",
    "https://elsewhere.example/%E2%9C%93/page",
])
@pytest.mark.parametrize("attribute", ['href="{}"', "HREF='{}'", 'hReF = "{}"'])
def test_link_targets_finds_every_link_into_the_archive_however_it_is_written(href, attribute):
    from revue2md.commands.export import plan_pages
    from revue2md.commands.options import ExportOptions
    from revue2md.commands.sync import link_targets
    from revue2md.models import Issue

    first = Issue(source="a", html="<p>One.</p>", id=1, title="First",
                  url="https://www.getrevue.co/profile/p/issues/first-1")
    home = Issue(source="c", html="", id=3, title="Home", url="https://news.example/issues/home-3")
    linking = Issue(source="b", id=2, title="Second", url="https://www.getrevue.co/profile/p/issues/second-2",
                    html='<a href="https://example.com/?a=1&amp;b=%20">x</a><a ' + attribute.format(href) + ">y</a>")
    plan = plan_pages([first, home, linking], ExportOptions())
    assert link_targets(linking, plan) == _every_link_target(linking, plan)
    assert link_targets(linking, None) == ""


def test_the_plan_keeps_names_by_position_and_skips_what_it_could_not_name():
    from revue2md.commands.export import plan_pages, task_for
    from revue2md.commands.options import ExportOptions
    from revue2md.models import Issue, Skipped

    def issue(source, title):
        return Issue(source=source, html="", id=None, title=title)

    items = [issue("a", "Same"), Skipped("b", "not an issue"), issue("c", "Same"), issue("d", "Other")]
    plan = plan_pages(items, ExportOptions())
    assert plan.count == 3
    assert [plan.planned(position) for position in range(5)] == [
        ("same.md", None), None, ("same-2.md", "name 'same.md' already taken; named 'same-2.md'"),
        ("other.md", None), None]
    assert task_for(2, items[2], plan).name == "same-2.md"
    assert task_for(2, items[2], None).name is None
