"""A sync whose inputs are the last run's reads no source, and says what a full run would say."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES
from helpers import synthetic_archive

from revue2md.hugo.state import STATE_NAME
from revue2md.sources.detect import local_files


@pytest.fixture
def archive(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    issues = synthetic_archive(folder / "issues.json", 6)
    issues[4]["sent_at"] = None  # a draft: ignored, and said so on every run
    (folder / "issues.json").write_text(json.dumps(issues), encoding="utf-8")
    shutil.copy(FIXTURES / "web" / "classic-2019.html", folder)
    return folder


class Reads:
    """Counts the runs that read their sources (the real reading still happens)."""

    def __init__(self, monkeypatch):
        import revue2md.commands.sync as sync_module

        self.count = 0
        real = sync_module.planned_issues

        def counted(*args, **kwargs):
            self.count += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(sync_module, "planned_issues", counted)


def _state(out: Path) -> dict:
    return json.loads((out / STATE_NAME).read_text(encoding="utf-8"))


def _forget_inputs(out: Path) -> None:
    document = _state(out)
    document.pop("inputs", None)
    (out / STATE_NAME).write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _said(result) -> tuple[int, str, str]:
    return result.exit_code, result.stdout, result.stderr


def test_a_sync_with_the_last_runs_inputs_reads_no_source(cli, archive, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = cli("sync", archive, "--out", out)
    assert first.exit_code == 0, first.output
    state_bytes = (out / STATE_NAME).read_bytes()
    reads = Reads(monkeypatch)
    again = cli("sync", archive, "--out", out)
    assert reads.count == 0
    assert again.exit_code == 0
    assert again.stdout == f"nothing new: 6 pages up to date in {out}; ignored 1\n"
    assert (out / STATE_NAME).read_bytes() == state_bytes
    _forget_inputs(out)
    assert _said(cli("sync", archive, "--out", out)) == _said(again)
    assert reads.count == 1


def test_the_quick_run_says_what_a_full_run_says_of_edited_and_deleted_pages(cli, archive, tmp_path):
    out = tmp_path / "out"
    cli("sync", archive, "--out", out)
    pages = sorted(path for path in out.glob("*.md"))
    pages[0].write_text(pages[0].read_text(encoding="utf-8") + "\nMy own note.\n", encoding="utf-8")
    pages[1].unlink()
    quick = cli("sync", archive, "--out", out)
    assert "edited by hand" in quick.stderr and "deleted" in quick.stderr
    _forget_inputs(out)
    full = cli("sync", archive, "--out", out)
    assert _said(quick) == _said(full)
    assert cli("sync", archive, "--out", out).stdout == quick.stdout  # the full run recorded its inputs again


@pytest.mark.parametrize("change", ["source bytes", "option", "new source file", "section"])
def test_any_change_of_the_inputs_reads_the_sources_again(cli, archive, tmp_path, monkeypatch, change):
    out = tmp_path / "out"
    cli("sync", archive, "--out", out)
    options = []
    if change == "source bytes":
        issues = json.loads((archive / "issues.json").read_text(encoding="utf-8"))
        issues[1]["html"] += "<p>A correction sent later.</p>"
        (archive / "issues.json").write_text(json.dumps(issues), encoding="utf-8")
    elif change == "option":
        options = ["--drafts"]
    elif change == "new source file":
        shutil.copy(FIXTURES / "api" / "single.json", archive)
    else:  # an _index.md makes the folder a section: links between issues are written otherwise
        (out / "_index.md").write_text("---\ntitle: Issues\n---\n", encoding="utf-8")
    reads = Reads(monkeypatch)
    result = cli("sync", archive, "--out", out, *options)
    assert reads.count == 1 and result.exit_code == 0, result.output
    if change == "source bytes":
        assert "(source changed)" in result.stdout
        assert any("A correction sent later." in page.read_text(encoding="utf-8") for page in out.glob("*.md"))
    if change == "option":
        assert "(new)" in result.stdout and "ignored" not in result.stdout


def test_a_run_that_rewrites_pages_from_other_inputs_leaves_no_record_of_the_old_ones(cli, tmp_path):
    first, second, out = tmp_path / "first.json", tmp_path / "second.json", tmp_path / "out"
    issues = synthetic_archive(first, 3)
    for issue in issues:
        issue["html"] += "<p>The second edition.</p>"
    second.write_text(json.dumps(issues), encoding="utf-8")
    cli("sync", first, "--out", out)
    cli("sync", second, "--out", out)
    assert all("The second edition." in page.read_text(encoding="utf-8") for page in out.glob("*.md"))
    back = cli("sync", first, "--out", out)
    assert back.stdout.endswith(f"wrote 3 pages to {out}\n"), back.output
    assert not any("The second edition." in page.read_text(encoding="utf-8") for page in out.glob("*.md"))


def test_a_run_with_a_skipped_issue_records_no_inputs_and_says_the_skip_again(cli, tmp_path, monkeypatch):
    sources, out = tmp_path / "in", tmp_path / "out"
    sources.mkdir()
    shutil.copy(FIXTURES / "bad" / "truncated.html", sources)
    shutil.copy(FIXTURES / "api" / "single.json", sources)
    assert cli("sync", sources, "--out", out).exit_code == 1
    assert "inputs" not in _state(out)
    reads = Reads(monkeypatch)
    again = cli("sync", sources, "--out", out)
    assert reads.count == 1 and again.exit_code == 1 and "truncated.html: incomplete page" in again.stderr


def test_force_reads_everything(cli, archive, tmp_path, monkeypatch):
    out = tmp_path / "out"
    cli("sync", archive, "--out", out)
    reads = Reads(monkeypatch)
    assert cli("sync", archive, "--out", out, "--force").exit_code == 0
    assert reads.count == 1


@pytest.mark.parametrize("inputs", [[], "x", {"digest": 1, "issues": []}, {"digest": "x", "issues": [["1"]]},
                                    {"digest": "x", "issues": [], "ignored": [[1, 2]]}])
def test_a_record_of_inputs_that_is_not_well_formed_is_as_none(cli, archive, tmp_path, monkeypatch, inputs):
    out = tmp_path / "out"
    cli("sync", archive, "--out", out)
    document = _state(out)
    document["inputs"] = inputs
    (out / STATE_NAME).write_text(json.dumps(document), encoding="utf-8")
    reads = Reads(monkeypatch)
    result = cli("sync", archive, "--out", out)
    assert reads.count == 1 and result.exit_code == 0 and result.stdout.startswith("nothing new: 6 pages")
    assert isinstance(_state(out)["inputs"]["digest"], str)


def test_a_record_naming_an_issue_the_state_lacks_makes_a_full_run(cli, archive, tmp_path, monkeypatch):
    out = tmp_path / "out"
    cli("sync", archive, "--out", out)
    document = _state(out)
    missing = document["inputs"]["issues"][0][0]
    del document["issues"][missing]
    (out / STATE_NAME).write_text(json.dumps(document), encoding="utf-8")
    reads = Reads(monkeypatch)
    result = cli("sync", archive, "--out", out)
    assert reads.count == 1 and result.exit_code == 0, result.output
    assert missing in _state(out)["issues"]  # the full run wrote its record again


def test_local_files_are_the_files_every_source_reads_or_none(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.json").write_text("[]", encoding="utf-8")
    (folder / "sub" / "a.html").write_text("<html></html>", encoding="utf-8")
    (folder / "notes.txt").write_text("not a source", encoding="utf-8")
    # API JSON first (the richer metadata), then pages: the order open_sources reads them in.
    assert local_files([folder]) == [folder / "b.json", folder / "sub" / "a.html"]
    assert local_files(["api"]) is None
    assert local_files([folder, "wayback:https://www.getrevue.co/profile/someone"]) is None
    assert local_files([FIXTURES / "zip" / "revue-export"]) is None  # an unpacked export: a folder source
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.json")
        assert local_files([folder]) is None  # a FIFO is refused, never opened
