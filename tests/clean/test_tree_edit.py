"""The tree edits that set links directly give the trees bs4's own `unwrap`, `append` and
`extract` give: on small tables, and through the whole cleaning of every issue."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from helpers import issue_markups, tree_shape

from revue2md.clean import structure, tree_edit
from revue2md.clean.issue import clean_issue
from revue2md.models import Issue

TABLES = [
    "<table><tbody><tr><td>a</td><td>b</td></tr><tr></tr><tr><td><table><tr><td>c</td></tr></table></td></tr>"
    "</tbody></table>",
    "<p>before</p><table><tr></tr></table><p>after</p>",
    "x<table><thead><tr><th>h</th></tr></thead><tfoot><tr><td>f</td></tr></tfoot></table>y",
    "<div><table><tr><td>only</td></tr></table></div><!-- c --><table><tr><td></td></tr></table>",
]


def _append_one_by_one(parent, children):
    for child in children:
        parent.append(child)
    return parent


def _with_bs4(monkeypatch, work):
    """`work()` with bs4's own methods in place of the direct edits."""
    with monkeypatch.context() as patched:
        patched.setattr(tree_edit, "unwrap", lambda element: element.unwrap())
        patched.setattr(tree_edit, "take_children", lambda element: [c.extract() for c in list(element.children)])
        patched.setattr(tree_edit, "append_all", _append_one_by_one)
        patched.setattr(tree_edit, "new_tag", lambda soup, name, attrs=None: soup.new_tag(name, attrs=attrs))
        return work()


def _unwrapped(markup: str) -> BeautifulSoup:
    soup = BeautifulSoup(markup, "lxml")
    structure.unwrap_layout_tables(soup.body or soup)
    return soup


def _cleaned(markup: str, template: str):
    root = clean_issue(Issue(source="test", html=markup, template=template)).root
    while root.parent is not None:
        root = root.parent
    return root


NEW_TAGS = [
    ("p", None),
    ("a", {"href": "https://e.com/?a=1", "rel": "nofollow noopener"}),
    ("img", {"src": "x.png", "alt": "", "class": "r2m-thumb  wide"}),
    ("div", {"class": ["already", "a list"], "data-url": "u"}),
    ("td", {"headers": "h1 h2"}),
    ("meta", {"charset": "utf-8"}),
]


@pytest.mark.parametrize("parser", ["lxml", "html.parser"])
@pytest.mark.parametrize(("name", "attrs"), NEW_TAGS)
def test_new_tag_makes_the_element_bs4_makes(parser, name, attrs):
    soup = BeautifulSoup("<p>x</p>", parser)
    for _ in range(2):  # the first one of a name is made by bs4, the second from its fields
        expected, made = soup.new_tag(name, attrs=attrs), tree_edit.new_tag(soup, name, attrs)
        assert tree_shape(made) == tree_shape(expected)
        assert made.decode() == expected.decode()
        assert made._namespaces is not tree_edit.new_tag(soup, name)._namespaces


@pytest.mark.parametrize("markup", TABLES)
def test_small_tables(monkeypatch, markup):
    assert tree_shape(_unwrapped(markup)) == tree_shape(_with_bs4(monkeypatch, lambda: _unwrapped(markup)))


@pytest.mark.parametrize("template", ["api", "email"])
def test_every_issue_cleans_to_the_same_tree(monkeypatch, template):
    markups = issue_markups()
    assert markups
    for markup in markups:
        direct = tree_shape(_cleaned(markup, template))
        assert direct == tree_shape(_with_bs4(monkeypatch, lambda markup=markup: _cleaned(markup, template)))
