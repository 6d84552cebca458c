"""Blocks by kind and nesting, read from an HTML tree: the cleaned source tree or a rendered page.

Both sides are HTML (the page as markdown-it renders it), so one reader serves both; what
differs is what is set aside: tweet and embed markers in the tree, tweets (a quote ending
with `— … [link to the status]`) on the page; tweets and link items are compared on their
own (`structure`). A block is its kind, its words (the comparison key: see `fidelity.words`)
and its nesting: the lists around a list item, the quotes around a quote, a heading's level.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from bs4 import NavigableString, Tag

from revue2md import embeds
from revue2md.canonical import BLOCKS, EMBED, TWEET

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
HEADING, PARAGRAPH, LIST_ITEM, QUOTE, DIVIDER, TABLE = "heading", "paragraph", "list item", "quote", "divider", "table"
_WORD = re.compile(r"\w+")
_URL = re.compile(r"https?://\S+")
_BREAKS = BLOCKS | {"br", "li", "tr", "td", "th", "img", "figcaption", "dt", "dd", "caption"}
_NO_TEXT = frozenset({"script", "style", "template", "noscript", "head", "title"})
_LISTS = frozenset({"ul", "ol"})
_CELLS = frozenset({"td", "th", "table"})
# What a paragraph of its own is not inside: those are compared as their container's text.
_NOT_PARAGRAPH_PARENTS = frozenset({"li", "blockquote", "figure", "figcaption", "td", "th", *HEADINGS})
_QUOTE_STOPS = frozenset({"blockquote", "ul", "ol", "table", *HEADINGS})


@dataclass(frozen=True)
class Block:
    kind: str
    text: str  # its words, one space apart
    depth: int = 0  # list item: lists around it; quote: quotes around it (1 = a quote); heading: level


def words(node, stop: frozenset[str] = frozenset(), urls: bool = True) -> tuple[str, ...]:
    """The words of `node`'s text, split where a block, line or cell ends; elements named in
    `stop` (and their content) left out; `urls=False` leaves out URLs written as text."""
    pieces: list[str] = []
    collect_text(node, stop, pieces)
    return text_words("".join(pieces), urls)


def text_words(text: str, urls: bool = True) -> tuple[str, ...]:
    text = unicodedata.normalize("NFC", text)
    if not urls:
        text = _URL.sub(" ", text)
    return tuple(_WORD.findall(text))


def collect_text(node: Tag, stop: frozenset[str], pieces: list[str]) -> None:
    """Append the text under `node` to `pieces`, a space where a block or line ends; `stop` elements left out."""
    for child in node.children:
        if isinstance(child, Tag):
            if child.name in stop or child.name in _NO_TEXT:
                continue
            if child.name in _BREAKS:
                pieces.append(" ")
            collect_text(child, stop, pieces)
        elif type(child) is NavigableString:
            pieces.append(str(child))


def read_blocks(root: Tag, set_aside: Callable[[Tag], bool]) -> list[Block]:
    """Headings, paragraphs, list items, quotes, dividers and tables under `root`, in order."""
    found: list[Block] = []
    _read(root, set_aside, found, lists=0, quotes=0, inside=frozenset())
    return found


def _read(node: Tag, set_aside, found: list[Block], lists: int, quotes: int, inside: frozenset[str]) -> None:
    for child in node.children:
        if not isinstance(child, Tag) or child.name in _NO_TEXT:
            continue
        if set_aside(child):
            continue
        name = child.name
        if name in HEADINGS:
            # A heading holding blocks (invalid, but Revue wrote it) keeps only its own text.
            found.append(Block(HEADING, " ".join(words(child, BLOCKS)), int(name[1])))
        elif name == "p" and not inside & _NOT_PARAGRAPH_PARENTS:
            found.append(Block(PARAGRAPH, " ".join(words(child, BLOCKS))))
        elif name == "li":
            found.append(Block(LIST_ITEM, " ".join(words(child, _LISTS)), lists))
        elif name == "blockquote":
            found.append(Block(QUOTE, " ".join(words(child, _QUOTE_STOPS)), quotes + 1))
        elif name == "hr":
            found.append(Block(DIVIDER, ""))
        elif name == "table" and "table" not in inside:
            found.append(Block(TABLE, " ".join(words(child))))
        _read(child, set_aside, found, lists + (name in _LISTS), quotes + (name == "blockquote"),
              inside | {name} if name in _NOT_PARAGRAPH_PARENTS | _CELLS else inside)


def is_tree_marker(element: Tag) -> bool:
    """Tweets and embeds in the cleaned tree (`r2m-tweet`, `r2m-embed`): compared on their own."""
    return element.name == "div" and bool({TWEET, EMBED} & set(element.get("class") or ()))


def is_page_tweet(element: Tag) -> bool:
    """A tweet as a page shows it: a quote whose last paragraph links to the status: `— …` or the link alone."""
    if element.name != "blockquote":
        return False
    paragraphs = element.find_all("p", recursive=False)
    if not paragraphs:
        return False
    last = paragraphs[-1]
    status = [anchor for anchor in last.find_all("a", href=True) if embeds.tweet(anchor["href"])]
    text = last.get_text().strip()
    return bool(status) and (text.startswith("—") or text == status[0].get_text().strip())
