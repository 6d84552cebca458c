"""Hostile and broken input: every issue is written or reported, and nothing lands outside --out."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES

from revue2md.commands.export import export
from revue2md.commands.options import ExportOptions
from revue2md.errors import WriteError
from revue2md.files import inside

RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")[4:].split("\n---\n", 1)[0])


def _all_files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def test_every_bad_input_is_written_or_reported_in_one_line(cli, tmp_path):
    out = tmp_path / "site" / "content"
    outside_before = _all_files(tmp_path)
    result = cli("export", FIXTURES / "bad", "--out", out)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for line in result.stderr.splitlines():
        assert re.match(r"^(skipped|ignored|note) \S+: \S", line), line
    for page in out.rglob("*.md"):
        assert page.resolve().is_relative_to(out.resolve())
        assert not RESERVED.match(page.name) and len(page.name.encode()) <= 125
        assert isinstance(_front(page)["title"], str)
    assert _all_files(tmp_path) - outside_before <= _all_files(out)


def test_every_issue_of_a_bad_input_is_accounted_for_exactly_once(tmp_path):
    report = export([FIXTURES / "bad"], tmp_path, ExportOptions())
    sources = [w.source for w in report.written] + [s.source for s in report.skipped + report.ignored]
    assert len(sources) == len(set(sources))
    for name in ("hostile-titles.json", "odd-fields.json"):
        count = len(json.loads((FIXTURES / "bad" / name).read_text(encoding="utf-8")))
        expected = {str(FIXTURES / "bad" / name) + f"#{n}" for n in range(count)}
        assert expected <= set(sources), name
    files = {str(FIXTURES / "bad" / name) for name in ("empty.json", "binary.html", "truncated.html",
                                                       "truncated.json", "wrong-shape.json", "not-revue.html")}
    assert files <= {s.source for s in report.skipped}
    assert len(report.written) == len(list(tmp_path.rglob("*.md")))


def test_hostile_titles_are_kept_as_text(cli, tmp_path):
    result = cli("export", FIXTURES / "bad" / "hostile-titles.json", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    titles = {_front(p)["title"] for p in tmp_path.glob("*.md")}
    assert "x" * 10000 in titles
    assert "Line one line two three" in titles and "NULinside" in titles
    assert {"../../etc/passwd", "a/b/c", "back\\slash\\name", "CON", "aux.md", "{{< youtube abc >}}",
            "{{% notice %}}", "key: value - list", "---"} <= titles
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in tmp_path.glob("*.md"))


def test_two_issues_wanting_one_name_both_get_written(cli, tmp_path):
    source = tmp_path / "pair.json"
    source.write_text(json.dumps([
        {"id": 1, "title": "Same", "html": "<p>a</p>", "sent_at": "2021-01-01T00:00:00Z"},
        {"id": 2, "title": "same", "html": "<p>b</p>", "sent_at": "2021-01-02T00:00:00Z"},
    ]), encoding="utf-8")
    result = cli("export", source, "--out", tmp_path / "out")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").glob("*.md")) == ["same-2.md", "same.md"]


def test_a_deeply_nested_page_is_reported_not_half_written(cli, tmp_path):
    depth = 100_000
    page = ('<html><body><section id="issue-display"><header><time datetime="2020-01-01T00:00:00Z">x</time>'
            '<h1>Deep</h1></header><div id="issue-frame"><div class="revue-p">Before</div>' + "<div>" * depth +
            "deep" + "</div>" * depth + '<div class="revue-p">After</div></div></section></body></html>')
    (tmp_path / "deep.html").write_text(page, encoding="utf-8")
    (tmp_path / "deep.json").write_text(json.dumps([
        {"id": 1, "title": "Deep", "html": "<p>" + "<em>" * 20_000 + "x" + "</em>" * 20_000 + "</p>",
         "sent_at": "2020-01-01T00:00:00Z"},
        {"id": 2, "title": "Fine", "html": "<p>ok</p>", "sent_at": "2020-01-01T00:00:00Z"}]), encoding="utf-8")
    result = cli("export", tmp_path / "deep.html", tmp_path / "deep.json", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "deep.html: the page nests its elements too deeply" in result.stderr
    assert "deep.json#0: could not convert: the HTML is nested too deeply" in result.stderr
    assert [p.name for p in (tmp_path / "out").glob("*.md")] == ["fine.md"]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_symlink_inside_the_output_folder_cannot_lead_outside(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "issues").symlink_to(elsewhere)
    with pytest.raises(WriteError, match="outside"):
        inside(out, "issues/page.md")
    (out / "page.md").symlink_to(elsewhere / "target.md")
    with pytest.raises(WriteError, match="symbolic link"):
        inside(out, "page.md")
    for name in ("../x.md", "/etc/x.md", "a/../../x.md"):
        with pytest.raises(WriteError):
            inside(out, name)


@pytest.mark.parametrize("images", ["keep", "download"])
def test_a_malformed_image_url_costs_only_itself(cli, tmp_path, images):
    source = tmp_path / "issues.json"
    source.write_text(json.dumps([
        {"id": 1, "title": "Broken image", "sent_at": "2021-01-01T00:00:00Z",
         "html": '<p>Before.</p><p><img src="http://[x/a.png" alt="bad"></p>'
                 '<p><a href="http://[x">link</a> after.</p>'},
        {"id": 2, "title": "Fine", "sent_at": "2021-01-02T00:00:00Z", "html": "<p>Fine.</p>"},
    ]), encoding="utf-8")
    out = tmp_path / "out"
    result = cli("export", source, "--out", out, "--images", images)
    assert result.exit_code == 0, result.output
    page = (out / ("broken-image/index.md" if images == "download" else "broken-image.md")).read_text(encoding="utf-8")
    assert "Before." in page and "bad" in page and "after." in page
    assert f"note {source}#0: local image dropped (not a URL; alt text kept): http://[x/a.png" in result.stderr
