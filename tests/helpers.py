"""Rendering helpers shared by tests: markdown as a CommonMark reader (close to Hugo's) sees it."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from revue2md.clean import CleanOptions, clean_issue
from revue2md.convert import ConvertOptions, to_markdown
from revue2md.models import Issue


def convert_html(html: str, template: str = "api", parser: str = "lxml", **convert) -> str:
    cleaned = clean_issue(Issue(source="test", html=html, template=template), CleanOptions(parser=parser))
    return to_markdown(cleaned.root, ConvertOptions(**convert))


_RELREF = re.compile(r'\{\{< relref "([^"]+)" >\}\}')


def render(markdown: str) -> str:
    """HTML as Hugo's Goldmark would give it; a `relref` shortcode becomes `relref:PATH`, as Hugo
    replaces shortcodes before the markdown is read."""
    return MarkdownIt("commonmark").enable("table").render(_RELREF.sub(r"relref:\1", markdown))


def rendered_text(markdown: str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(render(markdown), "lxml").get_text(" ")).strip()


def raw_html_tokens(markdown: str) -> list[str]:
    found = []
    for token in MarkdownIt("commonmark", {"html": True}).parse(markdown):
        if token.type == "html_block":
            found.append(token.content)
        found.extend(child.content for child in token.children or [] if child.type == "html_inline")
    return found
