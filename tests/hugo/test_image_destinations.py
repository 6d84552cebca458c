"""The converter says where the body names each image, and downloads point exactly those places at the copies."""

from __future__ import annotations

from revue2md.clean.issue import CleanOptions, clean_issue
from revue2md.convert.markdown import ConvertOptions, convert_tree, markdown_url, to_markdown
from revue2md.hugo.downloads import relink
from revue2md.hugo.page import PageOptions, make_page
from revue2md.models import Issue

PIC = "https://img.example/a b/pic.png?x=1"


def _page(html: str, **convert):
    cleaned = clean_issue(Issue(source="test", html=html), CleanOptions())
    return make_page(cleaned, PageOptions(convert=ConvertOptions(**convert)), download=True)


def _spots(page) -> list[str]:
    return [page.body[d.start:d.start + len(d.url)] for d in page.image_destinations]


def test_each_destination_is_where_the_converter_wrote_the_image():
    page = _page(f'<p><p>See <img alt="pic" src="{PIC}" title="A title"> and <a href="{PIC}">the file</a>. '
                 f'Then <img alt="again" src="{PIC}"></p></p>')
    assert _spots(page) == [markdown_url(PIC)] * 3
    assert page.body.count(markdown_url(PIC)) == 3


def test_the_body_is_what_to_markdown_writes():
    html = f'<p><p>One <img alt="x" src="{PIC}">. Two <a href="{PIC}">y</a>.</p></p>'
    page = _page(html, sentence_per_line=True)
    cleaned = clean_issue(Issue(source="test", html=html), CleanOptions())
    assert page.body == to_markdown(cleaned.root, ConvertOptions(sentence_per_line=True))
    assert "\ue000" not in page.body


def test_a_source_holding_the_mark_gets_another_one():
    page = _page(f'<p><p>private \ue000 use <img alt="x" src="{PIC}"></p></p>')
    assert "private \ue000 use" in page.body
    assert _spots(page) == [markdown_url(PIC)]


def test_a_url_only_written_as_text_is_no_destination():
    page = _page(f'<p><p>Write <code>![pic]({PIC})</code> like this: <img alt="p" src="{PIC}"></p></p>')
    assert len(page.image_destinations) == 1
    relinked = relink(page.body, page.image_destinations, {PIC: "pic-1.png"})
    assert f"`![pic]({PIC})`" in relinked
    assert relinked.count("pic-1.png") == 1


def test_without_download_only_local_files_are_listed():
    cleaned = clean_issue(Issue(source="test", html=f'<p><p><img alt="x" src="{PIC}"></p></p>'), CleanOptions())
    assert make_page(cleaned).image_destinations == ()


def test_relink_replaces_only_listed_destinations_of_downloaded_images():
    body = f"![a]({markdown_url(PIC)}) and ![b](https://other.example/b.png)\n"
    _, destinations = convert_tree(
        clean_issue(Issue(source="t", html=f'<p><p><img alt="a" src="{PIC}"> and '
                                            '<img alt="b" src="https://other.example/b.png"></p></p>'),
                    CleanOptions()).root, ConvertOptions(),
        frozenset({markdown_url(PIC), "https://other.example/b.png"}))
    assert relink(body, destinations, {PIC: "a-1.png"}) == "![a](a-1.png) and ![b](https://other.example/b.png)\n"
    assert relink(body, destinations, {}) == body
