"""A page's markdown as a CommonMark reader (close to Hugo's Goldmark) shows it, rendered once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bs4 import BeautifulSoup, Tag

_RELREF_LINK = re.compile(r"\]\(\{\{<\s*relref\s+\"([^\"\s]+)\"\s*>\}\}\)")
RELREF_SCHEME = "relref:"


@dataclass(frozen=True)
class RenderedPage:
    """A page's markdown body as a CommonMark reader shows it: the HTML tree, and which lines are tables or code."""

    markdown: str
    root: Tag
    table_lines: frozenset[int]  # 0-based line numbers of the markdown that are table rows
    code_lines: frozenset[int]  # ... that are code blocks


def relref_as_links(markdown: str) -> str:
    """Hugo replaces `{{< relref "PATH" >}}` before reading the markdown: make each a link here too."""
    return _RELREF_LINK.sub(lambda m: f"]({RELREF_SCHEME}{m.group(1)})", markdown)


def render_page(markdown: str) -> RenderedPage:
    source = relref_as_links(markdown)
    md = _markdown()
    tokens = md.parse(source)
    tables, code = set(), set()
    for token in tokens:
        if token.map and token.type == "table_open":
            tables.update(range(*token.map))
        elif token.map and token.type in ("fence", "code_block"):
            code.update(range(*token.map))
    soup = BeautifulSoup(md.renderer.render(tokens, md.options, {}), "lxml")
    return RenderedPage(markdown, soup.body or soup, frozenset(tables), frozenset(code))


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")
