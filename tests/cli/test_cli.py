"""The command line as a user meets it: exit codes, one-line messages, files on disk."""

from __future__ import annotations

import shutil

import yaml
from conftest import FIXTURES


def test_export_writes_pages_and_says_so(cli, tmp_path):
    result = cli("export", FIXTURES / "api" / "edge-titles.json", "--out", tmp_path)
    assert result.exit_code == 0
    assert f"wrote 10 pages to {tmp_path}; skipped 0" in result.stdout
    assert "no date in the source" in result.stderr
    assert len(list(tmp_path.glob("*.md"))) == 10


def test_second_export_reports_pages_up_to_date_and_keeps_bytes(cli, tmp_path):
    cli("export", FIXTURES / "api", "--out", tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.glob("*.md")}
    mtimes = {p: p.stat().st_mtime_ns for p in before}
    result = cli("export", FIXTURES / "api", "--out", tmp_path)
    assert result.exit_code == 0
    assert "wrote 0 pages" in result.stdout and "(14 already up to date)" in result.stdout
    assert {p: p.read_bytes() for p in tmp_path.glob("*.md")} == before
    assert {p: p.stat().st_mtime_ns for p in before} == mtimes


def test_broken_inputs_are_reported_one_line_each_and_the_rest_is_written(cli, tmp_path):
    sources = tmp_path / "in"
    sources.mkdir()
    for name in ("empty.json", "binary.html", "wrong-shape.json", "truncated.html", "truncated.json",
                 "not-revue.html", "missing-fields.json"):
        shutil.copy(FIXTURES / "bad" / name, sources)
    shutil.copy(FIXTURES / "api" / "single.json", sources)
    out = tmp_path / "out"
    result = cli("export", sources, "--out", out)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 8
    for name, reason in [("empty.json", "empty file"), ("binary.html", "binary data"),
                         ("wrong-shape.json", "not a Revue API response"), ("truncated.html", "incomplete page"),
                         ("truncated.json", "not valid JSON"), ("not-revue.html", "not a Revue issue page")]:
        assert any(name in line and reason in line for line in skipped), name
    assert sorted(p.name for p in out.glob("*.md")) == ["a-single-issue-object.md", "fine.md"]


def test_nothing_usable_at_a_path_is_a_usage_error(cli, tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    result = cli("export", tmp_path, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "no Revue data found in this folder" in result.stderr and "accepted:" in result.stderr
    result = cli("export", tmp_path / "missing.json", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "no such file or folder" in result.stderr
    result = cli("export", tmp_path / "notes.txt", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "not a Revue source" in result.stderr


def test_bad_filename_template_is_a_usage_error(cli, tmp_path):
    result = cli("export", FIXTURES / "api", "--out", tmp_path, "--filename", "{title}")
    assert result.exit_code == 2
    assert "unknown field {title}" in result.stderr


def test_filename_template_and_date_rule(cli, tmp_path):
    source = tmp_path / "2016-12-26-saved.html"
    shutil.copy(FIXTURES / "email" / "archive-2017.html", source)
    out = tmp_path / "out"
    result = cli("export", source, "--out", out, "--date", "filename", "--filename", "{date:%Y}/{number:03d}")
    assert result.exit_code == 0, result.output
    page = out / "2016" / "002.md"
    front = yaml.safe_load(page.read_text(encoding="utf-8").split("---")[1])
    assert str(front["date"]) == "2016-12-26"
    assert "date taken from the file name" in result.stderr


def test_strip_param_and_mojibake_switch(cli, tmp_path):
    damaged = tmp_path / "damaged.json"
    damaged.write_text('[{"id": 1, "title": "itâ€™s here", "sent_at": "2020-01-01T00:00:00Z", '
                       '"html": "<p><p>itâ€™s <a href=\\"https://e.example/?ref=nl&amp;x=1\\">l</a></p></p>"}]',
                       encoding="utf-8")
    out = tmp_path / "out"
    result = cli("export", damaged, "--out", out, "--strip-param", "ref")
    page = (out / "its-here.md").read_text(encoding="utf-8")
    assert 'title: "it’s here"' in page and "it’s [l](https://e.example/?x=1)" in page
    assert "mojibake repaired in the title" in result.stderr
    result = cli("export", damaged, "--out", tmp_path / "raw", "--fix-mojibake", "never")
    assert "itâ€™s" in next((tmp_path / "raw").glob("*.md")).read_text(encoding="utf-8")


def test_list_prints_one_line_per_issue(cli):
    result = cli("list", FIXTURES / "api" / "latest.json", FIXTURES / "web")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["900300", "2022-12-01T01:01:30Z", "Latest issue"]
    assert len(lines) == 3
    assert any("\tData Notes - Issue #42\t" in line for line in lines)


def test_drafts_are_ignored_unless_asked(cli, tmp_path):
    source = tmp_path / "draft.json"
    source.write_text('[{"id": 3, "title": "Draft", "html": "<p>d</p>", "sent_at": null}]')
    result = cli("export", source, "--out", tmp_path / "a")
    assert result.exit_code == 0 and "ignored" in result.stderr and "--drafts" in result.stderr
    assert not list((tmp_path / "a").glob("*.md")) if (tmp_path / "a").exists() else True
    result = cli("export", source, "--out", tmp_path / "b", "--drafts")
    assert "draft: true" in (tmp_path / "b" / "draft.md").read_text(encoding="utf-8")


def test_the_same_issue_twice_is_written_once(cli, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path in (first, second):
        path.write_text('[{"id": 9, "title": "Same", "html": "<p>x</p>", "sent_at": "2020-01-01T00:00:00Z"}]')
    result = cli("export", first, second, "--out", tmp_path / "out")
    assert result.exit_code == 0
    assert "same issue (9)" in result.stderr
    assert [p.name for p in (tmp_path / "out").glob("*.md")] == ["same.md"]


def test_version_and_help(cli):
    assert cli("--version").stdout.startswith("revue2md ")
    result = cli("--help")
    assert result.exit_code == 0
    for command in ("export", "list"):
        assert command in result.stdout


def test_jobs_give_the_same_pages_as_one_process(cli, tmp_path):
    sources = [FIXTURES / "api", FIXTURES / "web", FIXTURES / "email", FIXTURES / "bad" / "hostile-titles.json"]
    one = cli("export", *sources, "--out", tmp_path / "one", "-q")
    two = cli("export", *sources, "--out", tmp_path / "two", "-q", "--jobs", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout.replace(str(tmp_path / "one"), "OUT") == two.stdout.replace(str(tmp_path / "two"), "OUT")
    files = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    assert files and files == {p.relative_to(tmp_path / "two"): p.read_bytes()
                               for p in (tmp_path / "two").rglob("*") if p.is_file()}
