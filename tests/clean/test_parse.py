"""The fast parse builds the very tree BeautifulSoup's lxml builder builds: same nodes, same
types, same attributes and the same links between nodes, on real issues and odd markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import issue_markups, tree_shape

from revue2md.clean.parse import _Builder, _Unusual, parse_html

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

EDGE_CASES = [
    "",
    " ",
    "plain text, no element",
    "<p>a</p>   <p>b</p>\n\n<p>c</p>",
    "<p><p>nested</p></p><h3><p>in a heading</p></h3><ul><ul><li>x</li></ul></ul>",
    "<pre>  keep\n   this  </pre> <textarea>\n  and this </textarea>",
    "<pre><b> </b>\n<pre>\n</pre> </pre>after",
    "<!----><!-- --><!--\n\n--><p>x<!--c-->y</p>",
    "<table><tr><td>1<td>2</table><br/><img src=a.png alt=''><hr>",
    "<p class='a  b' rel='x y' headers='h1 h2' accept-charset='u v' id='i'>classes</p>",
    "<meta charset='utf-8'><meta http-equiv='content-type' content='text/html; charset=utf-8'><p>m</p>",
    "&lt;b&gt; &amp;amp; &#x27; &nbsp; &unknown; \x00 \r\n \x0c <a href='?a=1&amp;b=2'>l</a>",
    "<P CLASS=X><SPAN>upper</SPAN></P><svg:rect/><o:p></o:p><x-y>custom</x-y>",
    "<html><head><title>t</title></head><body><p>doc</p></body></html>trailing",
    "</p></div>stray closers<div><span>unclosed",
    "<p>" * 300 + "deep" + "</p>" * 300,
    '<strong style="display: block"><a href="https://e.com/?utm_source=x">T</a> &mdash; <a href="https://e.com">e.com</a></strong>',
    "[caption id=\"x\"]<img src=\"a.png\"> Caption[/caption] [tweet https://twitter.com/a/status/1] [embed https://youtu.be/x]",
    "<?php echo 1 ?><p>a processing instruction is a comment to HTML</p>",
    '<p {x}y="1" a:b="2">odd attribute names</p>',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="#x">s</a></svg>',
]
# What the fast builder leaves to BeautifulSoup's own builder: the trees must still match.
LEFT_TO_BEAUTIFULSOUP = [
    "<p>a</p><script>var x = '<p>';</script><style>p {}</style><template><p>t</p></template>",
    "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
    "<!DOCTYPE html><p>doctype</p>",
]


def _same_tree(markup: str) -> None:
    expected = BeautifulSoup(markup, "lxml")
    built = parse_html(markup)
    assert tree_shape(built) == tree_shape(expected)
    assert built.decode() == expected.decode()


@pytest.mark.parametrize("markup", EDGE_CASES + LEFT_TO_BEAUTIFULSOUP)
def test_edge_cases_give_the_same_tree(markup):
    _same_tree(markup)


def test_real_issues_give_the_same_tree():
    documents = issue_markups()
    if not (CORPUS / "api").is_dir():
        pytest.skip(f"corpus not found at {CORPUS}: only the fixtures are compared")
    assert len(documents) > 100
    for markup in documents:
        _same_tree(markup)


def test_fixture_issues_give_the_same_tree():
    documents = issue_markups()
    assert documents
    for markup in documents:
        _same_tree(markup)


@pytest.mark.parametrize("markup", LEFT_TO_BEAUTIFULSOUP)
def test_markup_it_does_not_handle_is_left_to_beautifulsoup(markup):
    with pytest.raises(_Unusual):
        BeautifulSoup(markup, builder=_Builder())


def test_plain_issue_markup_is_built_by_the_fast_builder():
    soup = BeautifulSoup("<p class='a'>x<!--c--></p><pre> y </pre>", builder=_Builder())
    assert isinstance(soup.builder, _Builder)
    assert soup.p["class"] == ["a"]
