"""The plain walks find what BeautifulSoup's own searches find, in the same order, from any element."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from helpers import issue_markups

from revue2md.clean import treewalk

ODD_TREES = [
    "",
    "text only",
    "<p></p>",
    "<div><p>a<!--c--><b>b</b></p><p></p>tail<!--end--></div>after<span>last</span>",
    "<ul><li>1<ul><li>2</li></ul></li><li>3</li></ul><p class='x y'>z</p>",
]


def _roots(soup: BeautifulSoup) -> list[Tag]:
    """The document, and elements in every position: first, inner, last, empty, with and without siblings."""
    elements = soup.find_all(True)
    return [soup, *elements[:: max(1, len(elements) // 40)], *elements[-3:]]


def _same(found: list, expected: list) -> bool:
    return len(found) == len(expected) and all(a is b for a, b in zip(found, expected, strict=True))


@pytest.fixture(scope="module")
def trees() -> list[BeautifulSoup]:
    return [BeautifulSoup(markup, "lxml") for markup in [*ODD_TREES, *issue_markups()]]


def test_tags_texts_and_comments_are_the_descendants_of_their_type(trees):
    for soup in trees:
        for root in _roots(soup):
            descendants = list(root.descendants)
            assert _same(treewalk.tags(root), [n for n in descendants if type(n) is Tag])
            assert _same(treewalk.texts(root), [n for n in descendants if type(n) is NavigableString])
            assert _same(treewalk.comments(root), [n for n in descendants if isinstance(n, Comment)])


def test_named_and_with_class_are_find_all(trees):
    for soup in trees:
        for root in _roots(soup):
            assert _same(treewalk.named(root, ["a", "img"]), root.find_all(["a", "img"]))
            assert _same(treewalk.named(root, ["a"], "href"), root.find_all("a", href=True))
            assert _same(treewalk.with_class(root, ["x", "item"]), root.find_all(class_=["x", "item"]))


def test_a_walk_stays_inside_its_root():
    soup = BeautifulSoup("<div id='one'><p>in</p></div><p>out</p><!--out-->", "lxml")
    one = soup.find(id="one")
    assert [str(text) for text in treewalk.texts(one)] == ["in"]
    assert [tag.name for tag in treewalk.tags(one)] == ["p"]
    assert treewalk.comments(one) == []
    assert treewalk.tags(one.p.string.parent.parent.find("p")) == []
