"""Pages saved by hand from the web archive read like the pages Revue served."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from revue2md.sources.archive_page import is_archived, original_url, remove_element_by_id, restore

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "wayback"
GOLDEN = ROOT / "fixtures" / "golden" / "wayback"


def test_saved_archive_page_converts_to_the_same_markdown_as_the_original(cli, tmp_path):
    original = cli("export", FIXTURES / "issue-page.html", "--out", tmp_path / "a")
    archived = cli("export", FIXTURES / "issue-page-from-web-archive.html", "--out", tmp_path / "b")
    assert original.exit_code == archived.exit_code == 0
    name = "garden-notes-10-seedlings.md"
    assert (tmp_path / "b" / name).read_text() == (tmp_path / "a" / name).read_text() == \
        (GOLDEN / name).read_text()
    author_link = "web.archive.org/web/20150101000000/http://gardennotes.example/seeds"
    assert author_link in (GOLDEN / name).read_text()


def _archive(page: str, timestamp: str = "20190401000000") -> str:
    """What the archive's player serves for `page`: toolbar in, every absolute address rewritten."""
    def rewrite(match: re.Match[str]) -> str:
        flag = "im_" if match.group(1) == "src" else ""
        return f'{match.group(1)}="https://web.archive.org/web/{timestamp}{flag}/{match.group(2)}"'

    page = re.sub(r'\b(href|src|content)="(https?://[^"]+)"', rewrite, page)
    toolbar = ('<!-- BEGIN WAYBACK TOOLBAR INSERT --><div id="wm-ipp-base"><div id="wm-ipp">'
               "<div>The Wayback Machine</div></div></div><!-- END WAYBACK TOOLBAR INSERT -->")
    page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + toolbar, page, count=1)
    return page + "<!-- FILE ARCHIVED ON x -->"


@pytest.mark.corpus
def test_real_issue_pages_survive_the_archive(cli, corpus, tmp_path):
    pages = sorted((corpus / "web" / "fudge-sunday").glob("*.html"))
    archived = tmp_path / "archived"
    archived.mkdir()
    for path in pages:
        text = path.read_text(encoding="utf-8")
        rewritten = _archive(text)
        assert rewritten != text and is_archived(rewritten)
        (archived / path.name).write_text(rewritten, encoding="utf-8")
    assert cli("export", corpus / "web" / "fudge-sunday", "--out", tmp_path / "a").exit_code == 0
    assert cli("export", archived, "--out", tmp_path / "b").exit_code == 0
    names = sorted(path.name for path in (tmp_path / "a").iterdir())
    assert names == sorted(path.name for path in (tmp_path / "b").iterdir()) and len(names) == len(pages)
    for name in names:
        assert (tmp_path / "b" / name).read_text() == (tmp_path / "a" / name).read_text(), name


def test_restore_undoes_each_form_of_rewriting():
    page = (
        '<html><head><meta content="https://web.archive.org/web/2019/'
        'https://www.getrevue.co/profile/x/issues/a-1" property="og:url"></head><body>'
        '<a href="/web/20190401000000/https://github.com/x?a=1&amp;b=2#top">x</a>'
        '<img src="//web.archive.org/web/20190401000000im_/https:/s3.amazonaws.com/revue/x.png" '
        'srcset="/web/2019im_/https://a.example/1.png 1x, /web/2019im_/https://a.example/2.png 2x">'
        "<div style=\"background:url('/web/2019im_/http://a.example/b.png')\">"
        "text https://web.archive.org/web/2019/http://keep.example</div>"
        '<a href="mailto:me@example.com">mail</a></body></html>'
    )
    restored = restore(page)
    assert 'content="https://www.getrevue.co/profile/x/issues/a-1"' in restored
    assert 'href="https://github.com/x?a=1&amp;b=2#top"' in restored
    assert 'src="https://s3.amazonaws.com/revue/x.png"' in restored
    assert 'srcset="https://a.example/1.png 1x, https://a.example/2.png 2x"' in restored
    assert "url('http://a.example/b.png')" in restored
    assert "text https://web.archive.org/web/2019/http://keep.example" in restored  # text is the author's


def test_only_one_layer_is_undone():
    page = ('<!-- BEGIN WAYBACK TOOLBAR INSERT --><!-- END WAYBACK TOOLBAR INSERT -->'
            '<a href="https://web.archive.org/web/2021/https://web.archive.org/web/2015/http://old.example/">old</a>')
    assert 'href="https://web.archive.org/web/2015/http://old.example/"' in restore(page)


def test_a_page_that_only_links_to_the_archive_is_left_alone():
    links = [f'<a href="https://web.archive.org/web/2015/http://s{n}.example/">{n}</a>' for n in range(6)]
    page = '<meta content="https://www.getrevue.co/profile/x/issues/a-1" property="og:url">' + "".join(links)
    assert not is_archived(page)
    assert restore(page) == page


def test_rewriting_without_the_toolbar_is_still_recognised():
    links = [f'<a href="https://web.archive.org/web/2019/https://s{n}.example/">-</a>' for n in range(5)]
    page = "".join(links) + '<img src="https://web.archive.org/web/2019im_/https://img.example/a.png">'
    assert is_archived(page)
    assert 'href="https://s0.example/"' in restore(page)


def test_toolbar_without_its_comments_is_cut_with_all_it_holds():
    page = ('<body><div id="wm-ipp-base" lang="en"><div id="wm-ipp"><div>a</div><div>b</div></div></div>'
            "<p>kept</p></body>")
    assert remove_element_by_id(page, "wm-ipp-base") == "<body><p>kept</p></body>"
    assert remove_element_by_id(page, "absent") == page


@pytest.mark.parametrize(("url", "expected"), [
    ("https://web.archive.org/web/20190401000000/https://a.example/x", "https://a.example/x"),
    ("/web/2019id_/http:/a.example/x", "http://a.example/x"),
    ("https://a.example/x", "https://a.example/x"),
])
def test_original_url(url, expected):
    assert original_url(url) == expected
