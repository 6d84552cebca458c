"""Join text that the page shows as one run into one text node, before it is escaped.

Escaping works on one text node at a time. Text split by something that renders as nothing
(a comment, an empty `<b></b>`, an `<img>` with no source, a `<span>`, a link that is not
kept) would be escaped in pieces and reassemble in the markdown: `{` and `{< x >}}` into a
live Hugo shortcode, `<` and `b>` into raw HTML, `1` and `. ` into a list. So those are
removed or unwrapped here, links and images the URL allow-list refuses become their text,
and neighbouring text nodes are merged.
"""

from __future__ import annotations

from bs4 import NavigableString, Tag

from revue2md.canonical import BLOCKS, REF_ATTRIBUTE
from revue2md.safe_urls import image_url, link_url
from revue2md.text import one_line

# Elements markdown writes something for even when they hold no text.
_CONTENT_WHEN_EMPTY = frozenset({"img", "br", "hr", "td", "th", "tr", "iframe", "video", "audio", "source"})
# Inline elements the converter writes as their bare text.
_TRANSPARENT = frozenset({"span", "font", "small", "big", "abbr", "cite", "mark", "time", "label", "bdi", "bdo",
                          "dfn", "ins", "var", "wbr", "nobr", "acronym", "data"})


def join_text_runs(root: Tag) -> None:
    for node in list(root.descendants):
        if isinstance(node, NavigableString) and type(node) is not NavigableString and node.parent is not None:
            node.extract()  # comments, doctypes, processing instructions: never shown
    shows: set[int] = set()  # elements that write something; children are seen before parents
    for element in reversed(root.find_all(True)):
        if element.name == "img" and not _image_kept(element):
            continue
        if element.name in _CONTENT_WHEN_EMPTY or element.name in BLOCKS or element.get("data-url"):
            shows.add(id(element))
            continue
        if not any(id(child) in shows if isinstance(child, Tag) else (type(child) is NavigableString and child)
                   for child in element.children):
            element.decompose()
            continue
        shows.add(id(element))
        if element.name in _TRANSPARENT or (element.name == "a" and not element.get(REF_ATTRIBUTE)
                                            and not _kept_link(element)):
            element.unwrap()
    root.smooth()


def _kept_link(anchor: Tag) -> bool:
    href = (anchor.get("href") or "").strip()
    return bool(href) and href != "#" and link_url(href) is not None


def _image_kept(image: Tag) -> bool:
    """Keep an image the allow-list accepts; else put its alt text in its place (or nothing)."""
    src = (image.get("src") or "").strip()
    if src and image_url(src) is not None:
        return True
    alt = one_line(image.get("alt")) if src else ""
    if alt:
        image.replace_with(NavigableString(alt))
    else:
        image.decompose()
    return False
