"""Pages of an earlier migration (front matter over Revue's HTML) as a source."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES

from revue2md.models import Issue, Skipped
from revue2md.sources.detect import iter_issues, open_sources
from revue2md.sources.migrated import MigratedSource, parse_migrated_page
from revue2md.sources.web import WebSource

MIGRATED = FIXTURES / "migrated"


def _parse(name: str) -> Issue | Skipped:
    path = MIGRATED / name
    return parse_migrated_page(path.read_text(encoding="utf-8"), str(path))


def test_yaml_front_matter_gives_title_date_description_aliases_and_the_revue_url():
    issue = _parse("jekyll-yaml.md")
    assert isinstance(issue, Issue)
    assert issue.title == "Weekly Notes #12: tables & chairs"
    assert issue.sent_at == datetime(2021, 3, 7, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    assert issue.description == "The week in furniture."
    assert issue.url == "https://www.getrevue.co/profile/weeklynotes/issues/weekly-notes-12-tables-chairs-512345"
    assert issue.id == 512345
    assert issue.aliases == ("/2021/03/07/weekly-notes-12/",)
    assert issue.template == "api"
    assert issue.html.startswith("<h3><p>The week in furniture.")


def test_toml_front_matter():
    issue = _parse("hugo-toml.md")
    assert isinstance(issue, Issue)
    assert (issue.title, issue.id, issue.description) == ("Field Report 3", 300003, "Notes from the field.")
    assert issue.sent_at == datetime(2020, 11, 2, 8, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert issue.aliases == ("/newsletter/field-report-3/",)
    assert issue.template == "email"
    assert not issue.draft


def test_eleventy_json_front_matter_takes_the_first_paragraph_of_the_excerpt():
    issue = _parse("eleventy-json.md")
    assert isinstance(issue, Issue)
    assert issue.title == "Links and Laughs: Fig jam"
    assert issue.sent_at == datetime(2022, 7, 3, 12, 6, 47, tzinfo=timezone.utc)
    assert issue.description == "Another week, another letter."
    assert issue.aliases == ("/newsletter/fig-jam/",)
    assert issue.id is None and issue.url is None
    assert issue.notes == ()


def test_bare_json_front_matter_in_an_html_file():
    issue = _parse("hugo-json.html")
    assert isinstance(issue, Issue)
    assert (issue.title, issue.sent_at, issue.id) == ("Digest 40", date(2019, 5, 20), 400040)
    assert issue.aliases == ("/digest/40/",)


def test_a_markdown_page_is_not_an_issue():
    result = _parse("plain-markdown.md")
    assert isinstance(result, Skipped) and result.ignored
    assert "not a Revue issue" in result.reason and "revue2md clean" in result.reason


def test_a_page_without_front_matter_is_not_an_issue():
    result = parse_migrated_page('<div class="revue-p">Hello</div>', "x.md")
    assert isinstance(result, Skipped) and result.ignored
    assert "no front matter" in result.reason


def test_a_markdown_page_quoting_one_revue_element_stays_markdown():
    text = ('---\ntitle: "x"\n---\n[a](https://a.example/) [b](https://b.example/)\n'
            '<img src="https://s3.amazonaws.com/revue/items/images/1/2/3/web/x.png">\n')
    assert parse_migrated_page(text, "x.md").ignored


def test_broken_front_matter_over_revue_html_is_skipped_with_the_reason():
    result = parse_migrated_page('---\ntitle: "open\n---\n<div class="revue-p">Hi</div>', "x.md")
    assert type(result) is Skipped and not result.ignored
    assert result.reason.startswith("front matter cannot be read: its YAML front matter cannot be read")


def test_an_alias_bomb_in_the_front_matter_is_refused():
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        previous, name = chr(96 + index), chr(97 + index)
        levels.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    text = "---\n" + "\n".join(levels) + '\ntitle: "x"\n---\n<div class="revue-p">Hi</div>'
    result = parse_migrated_page(text, "bomb.md")
    assert type(result) is Skipped and not result.ignored
    assert "aliases expand to more than" in result.reason


def test_front_matter_values_of_the_wrong_type_are_ignored_not_fatal():
    text = '---\ntitle: [1, 2]\ndate: yesterday\naliases: "https://old.example/x"\nrevue_id: true\n---\n' \
           '<div class="revue-p">Hi</div>'
    issue = parse_migrated_page(text, "odd.md")
    assert isinstance(issue, Issue)
    assert (issue.title, issue.sent_at, issue.id, issue.aliases) == ("", None, None, ())
    assert issue.notes == ("date not understood: 'yesterday'",)


def test_the_issue_url_comes_from_the_share_links_when_the_front_matter_has_none():
    share = ("https://twitter.com/share?text=T&url=https%3A%2F%2Fwww.getrevue.co%2Fprofile%2Fme%2Fissues%2Ft-777")
    text = f'---\ntitle: "T"\n---\n<div class="revue-p">Hi <a href="{share}">tweet</a></div>'
    issue = parse_migrated_page(text, "t.md")
    assert isinstance(issue, Issue)
    assert (issue.url, issue.id) == ("https://www.getrevue.co/profile/me/issues/t-777", 777)


def test_html_files_with_front_matter_go_to_the_migrated_source(tmp_path: Path):
    (tmp_path / "page.html").write_text('---\ntitle: "x"\n---\n<div class="revue-p">Hi</div>')
    (tmp_path / "saved.html").write_text("<!DOCTYPE html><html><body></body></html>")
    sources = open_sources([tmp_path])
    assert sorted((type(s).__name__, s.path.name) for s in sources) == [
        ("MigratedSource", "page.html"), ("WebSource", "saved.html")]
    assert isinstance(sources[0], (MigratedSource, WebSource))


def test_a_file_without_suffix_that_opens_with_front_matter_is_a_migrated_page(tmp_path: Path):
    page = tmp_path / "issue"
    page.write_text('+++\ntitle = "x"\n+++\n<div class="revue-p">Hi</div>')
    [source] = open_sources([page])
    assert isinstance(source, MigratedSource)
    [issue] = list(iter_issues([source]))
    assert isinstance(issue, Issue) and issue.base_dir == str(tmp_path)


def test_export_writes_the_migrated_pages_and_says_which_are_not_issues(cli, tmp_path: Path):
    out = tmp_path / "out"
    result = cli("export", MIGRATED, "--out", out)
    assert result.exit_code == 0, result.output
    assert "ignored " in result.output and "plain-markdown.md: not a Revue issue" in result.output
    names = sorted(path.name for path in out.glob("*.md"))
    assert names == ["digest-40.md", "field-report-3.md", "links-and-laughs-fig-jam.md",
                     "weekly-notes-12-tables-chairs.md"]
    page = (out / "weekly-notes-12-tables-chairs.md").read_text(encoding="utf-8")
    front = yaml.safe_load(page.split("---\n")[1])
    assert front["title"] == "Weekly Notes #12: tables & chairs"
    assert front["aliases"] == ["/profile/weeklynotes/issues/weekly-notes-12-tables-chairs-512345",
                                "/2021/03/07/weekly-notes-12/"]
    assert "utm_" not in page and "<" not in page.split("---\n", 2)[2]


def test_list_and_check_take_migrated_pages(cli, tmp_path: Path):
    listed = cli("list", MIGRATED)
    assert listed.exit_code == 0
    assert "Field Report 3" in listed.output and "Links and Laughs: Fig jam" in listed.output
    out = tmp_path / "out"
    assert cli("export", MIGRATED, "--out", out).exit_code == 0
    checked = cli("check", MIGRATED, "--out", out)
    assert checked.exit_code == 0, checked.output
    synced = cli("sync", MIGRATED, "--out", out)
    assert synced.exit_code == 0, synced.output


@pytest.mark.corpus
def test_the_real_eleventy_archive_exports_every_issue(corpus: Path, cli, tmp_path: Path):
    folder = corpus / "migrated" / "yet-another-newsletter-lol"
    out = tmp_path / "out"
    result = cli("export", folder, "--out", out)
    assert result.exit_code == 0, result.output
    pages = sorted(out.glob("*.md"))
    assert len(pages) == len(list(folder.glob("*.md"))) == 14
    for page in pages:
        text = page.read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---\n")[1])
        assert front["title"].startswith("Yet Another Newsletter LOL")
        assert isinstance(front["date"], datetime)
        assert front["description"]
    assert cli("check", folder, "--out", out).exit_code in (0, 1)  # runs through; its verdict is check's


@pytest.mark.corpus
def test_markdown_archives_are_not_issues_and_export_says_so(corpus: Path, cli, tmp_path: Path):
    for name in ("fudge-sunday-md", "this-week-in-react"):
        result = cli("export", corpus / "migrated" / name, "--out", tmp_path / name)
        assert result.exit_code == 0, result.output
        assert "wrote 0 pages" in result.output
        assert result.output.count("not a Revue issue") == len(list((corpus / "migrated" / name).iterdir()))
