"""One issue found in several copies: the richest copy is written, completed by the others."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import yaml
from conftest import FIXTURES

from revue2md.commands.merge import merged_issues
from revue2md.models import Issue, Skipped

WHEN = datetime(2021, 4, 2, 7, 30, tzinfo=timezone.utc)
SHORT = "<p>One short paragraph.</p>"
LONG = "<p>One short paragraph.</p>" + "".join(f"<p>Item {n}: more words about this item.</p>" for n in range(8))


def _merge(*items: Issue | Skipped, drafts: bool = False) -> list[Issue | Skipped]:
    with merged_issues(items, drafts=drafts) as merged:
        return list(merged)


def test_the_richest_copy_is_written_and_takes_what_it_lacks_from_the_others():
    dated = Issue("a.json", SHORT, id=7, title="T", sent_at=WHEN,
                  url="https://www.getrevue.co/profile/me/issues/t-7")
    rich = Issue("b.html", LONG, template="email", id=7, title="T", description="Intro",
                 notes=("no date in the source",))
    result = _merge(dated, rich)
    assert [type(item) for item in result] == [Issue, Skipped] and result[1].ignored
    written, ignored = result
    assert (written.source, written.html, written.sent_at) == ("b.html", LONG, WHEN)
    assert written.url == "https://www.getrevue.co/profile/me/issues/t-7"
    assert written.description == "Intro"
    assert written.notes == ("merged with 1 other copy of this issue (a.json); date from a.json, URL from a.json",)
    assert (ignored.source, ignored.reason) == ("a.json", "same issue (7) as b.html: merged into its page")


def test_a_dated_copy_beats_an_undated_one_with_about_the_same_content():
    undated = Issue("archive.html", LONG + "<p>By Someone</p>", template="email", id=7, title="T")
    dated = Issue("saved.html", LONG, template="email", id=7, title="T", sent_at=WHEN)
    written, ignored = _merge(undated, dated)
    assert (written.source, written.sent_at, ignored.source) == ("saved.html", WHEN, "archive.html")


def test_more_content_beats_a_date():
    dated = Issue("saved.html", SHORT, id=7, title="T", sent_at=WHEN)
    undated = Issue("archive.html", LONG, id=7, title="T")
    written, _ = _merge(dated, undated)
    assert (written.source, written.html, written.sent_at) == ("archive.html", LONG, WHEN)


def test_equal_copies_keep_the_one_read_first():
    first = Issue("api.json", LONG, id=7, title="T", sent_at=WHEN)
    second = Issue("zip.zip#7", LONG, id=7, title="T", sent_at=WHEN)
    written, ignored = _merge(first, second)
    assert (written.source, ignored.source) == ("api.json", "zip.zip#7")
    assert written.notes == ("merged with 1 other copy of this issue (zip.zip#7)",)


def test_aliases_of_every_copy_are_kept():
    api = Issue("api.json", LONG, id=7, title="T", sent_at=WHEN)
    page = Issue("old/7.md", SHORT, id=7, title="T", aliases=("/newsletter/7/",))
    [written, _] = _merge(api, page)
    assert written.source == "api.json" and written.aliases == ("/newsletter/7/",)
    assert written.notes[-1].endswith("aliases of every copy")


def test_a_copy_without_id_joins_by_its_duplicate_key_and_gets_the_id():
    mail = Issue("box.mbox#1", LONG, template="email", title="T", sent_at=WHEN, duplicate_keys=("subject:T",))
    page = Issue("t.html", SHORT, template="email", id=7, title="T", duplicate_keys=("subject:T",))
    written, ignored = _merge(mail, page)
    assert (written.source, written.id) == ("box.mbox#1", 7)
    assert ignored.reason == "same issue (7) as box.mbox#1: merged into its page"


def test_copies_with_different_ids_are_never_merged_even_with_a_shared_key():
    one = Issue("a.eml", LONG, id=1, title="T", duplicate_keys=("subject:T",))
    two = Issue("b.eml", LONG, id=2, title="T", duplicate_keys=("subject:T",))
    assert _merge(one, two) == [one, two]


def test_three_copies_one_page_where_the_issue_was_first_found():
    copies = [Issue("a", SHORT, id=7, title="T"), Issue("b", LONG, id=7, title="T"),
              Issue("other", SHORT, id=8, title="U"), Issue("c", SHORT, id=7, sent_at=WHEN)]
    result = _merge(*copies)
    assert [(type(item).__name__, getattr(item, "ignored", None), item.source) for item in result] == [
        ("Issue", None, "b"), ("Skipped", True, "a"), ("Issue", None, "other"), ("Skipped", True, "c")]
    assert result[0].sent_at == WHEN
    assert result[0].notes == ("merged with 2 other copies of this issue (a, c); date from c",)


def test_drafts_and_skips_pass_through_and_drafts_are_not_copies():
    draft = Issue("d.json", LONG, id=7, title="T", draft=True)
    sent = Issue("s.json", SHORT, id=7, title="T", sent_at=WHEN)
    broken = Skipped("x.html", "not a Revue issue page")
    result = _merge(draft, broken, sent)
    assert result[1:] == [broken, sent]
    assert result[0].ignored and result[0].reason.startswith("draft")


def test_the_merged_issues_can_be_read_twice_and_keep_no_content_in_memory():
    copies = [Issue("a", SHORT, id=7, title="T", sent_at=WHEN), Issue("b", LONG, id=7, title="T")]
    with merged_issues(copies) as merged:
        first, second = list(merged), list(merged)
        kept = [value for name, value in vars(merged).items() if name != "spool"]
    assert first == second
    assert first[0].html == LONG
    assert not any(LONG in repr(value) for value in kept)


def _api_dump(path: Path, issue_id: int, html: str, **fields) -> None:
    issue = {"id": issue_id, "title": "Example Thoughts #2", "html": html, "sent_at": "2016-12-30T17:44:53.000Z",
             "description": None, "url": None, "active": False, **fields}
    path.write_text(json.dumps([issue]), encoding="utf-8")


def test_export_sync_check_and_list_see_the_same_merged_issue(cli, tmp_path: Path):
    """The undated archive page has the content; the API answer has the date: the page gets both."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "archive.html").write_bytes((FIXTURES / "email" / "archive-2017.html").read_bytes())
    _api_dump(sources / "issues.json", 40869, "<p><p>Only the start.</p></p>")
    out = tmp_path / "out"
    result = cli("export", sources, "--out", out)
    assert result.exit_code == 0, result.output
    assert f"ignored {sources / 'issues.json'}#0: same issue (40869) as {sources / 'archive.html'}" in result.output
    note = f"note {sources / 'archive.html'}: merged with 1 other copy of this issue ({sources / 'issues.json'}#0)"
    assert f"{note}; date from" in result.output
    [page] = list(out.glob("*.md"))
    front = yaml.safe_load(page.read_text(encoding="utf-8").split("---\n")[1])
    assert front["revue_id"] == 40869 and front["date"] == datetime(2016, 12, 30, 17, 44, 53, tzinfo=timezone.utc)
    assert "Only the start" not in page.read_text(encoding="utf-8")
    listed = cli("list", sources)
    assert listed.exit_code == 0
    line = f"40869\t2016-12-30T17:44:53Z\tExample Thoughts #2\t{sources / 'archive.html'}"
    assert listed.stdout.splitlines() == [line]
    checked = cli("check", sources, "--out", out)
    assert checked.exit_code == 0, checked.output
    synced = cli("sync", sources, "--out", out)
    assert synced.exit_code == 0 and "1 page up to date" in synced.output, synced.output


def test_a_saved_page_whose_og_url_names_another_issue_keeps_the_id_of_its_content(tmp_path: Path):
    from revue2md.sources.web import parse_page

    text = (FIXTURES / "web" / "classic-2019.html").read_text(encoding="utf-8")
    text = text.replace('content="https://www.getrevue.co/profile/example/issues/example-weekly-issue-3-snakes-163000"'
                        ' property="og:url"',
                        'content="https://www.getrevue.co/profile/example/issues/example-weekly-issue-2-150000"'
                        ' property="og:url"')
    issue = parse_page(text, source="saved.html")
    assert issue.id == 163000
    assert issue.url == "https://www.getrevue.co/profile/example/issues/example-weekly-issue-3-snakes-163000"
    note = "its og:url names issue 150000, its share links 163000: the id of the content (163000) is kept"
    assert note in issue.notes
