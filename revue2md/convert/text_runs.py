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
from revue2md.clean import treewalk
from revue2md.convert.safe_urls import image_url, link_url
from revue2md.text import one_line

# Elements markdown writes something for even when they hold no text.
_CONTENT_WHEN_EMPTY = frozenset({"img", "br", "hr", "td", "th", "tr", "iframe", "video", "audio", "source"})
# Inline elements the converter writes as their bare text.
_TRANSPARENT = frozenset({"span", "font", "small", "big", "abbr", "cite", "mark", "time", "label", "bdi", "bdo",
                          "dfn", "ins", "var", "wbr", "nobr", "acronym", "data"})


def join_text_runs(root: Tag) -> None:
    # One pass from the leaves up, rebuilding a child list only when it changes: bs4's own
    # extract() and unwrap() look the node up in its parent, which is quadratic in siblings.
    actions: dict[int, object] = {}  # id(element) -> _DROP, _UNWRAP or a replacement string
    for element in [*reversed(treewalk.tags(root)), root]:
        if element.name == "img":
            if not _image_kept(element):
                alt = one_line(element.get("alt")) if (element.get("src") or "").strip() else ""
                actions[id(element)] = NavigableString(alt) if alt else _DROP
            continue
        nodes = _joined_children(element, actions)
        shows = (bool(nodes) or element.name in _CONTENT_WHEN_EMPTY or element.name in BLOCKS
                 or bool(element.attrs.get("data-url")))
        if element is not root and not shows:
            actions[id(element)] = _DROP
        elif element is not root and (element.name in _TRANSPARENT or (
                element.name == "a" and not element.get(REF_ATTRIBUTE) and not _kept_link(element))):
            actions[id(element)] = _UNWRAP


_DROP = object()
_UNWRAP = object()


def _joined_children(element: Tag, actions: dict[int, object]) -> list:
    """The element's children with comments gone, actions applied and neighbouring text merged."""
    nodes: list = []
    text: list[str] = []
    changed = False
    for child in element.contents:
        action = actions.get(id(child))
        if isinstance(child, NavigableString):
            if type(child) is NavigableString and child:
                changed = changed or bool(text)
                text.append(child)
            else:
                changed = True  # comments, doctypes, processing instructions: never shown
            continue
        changed = changed or action is not None
        if action is _DROP:
            continue
        if isinstance(action, NavigableString):
            changed = True
            text.append(action)
            continue
        for node in (child.contents if action is _UNWRAP else [child]):
            if isinstance(node, NavigableString):
                changed = changed or bool(text)
                text.append(node)
            else:
                if text:
                    nodes.append(NavigableString("".join(text)))
                    text = []
                nodes.append(node)
    if text:
        nodes.append(NavigableString("".join(text)) if len(text) > 1 else text[0])
    if changed:
        _replace_children(element, nodes)
    return nodes


def _replace_children(element: Tag, nodes: list) -> None:
    for child in element.contents:
        child.parent = None
    for node in nodes:
        node.parent = node.previous_sibling = node.next_sibling = None
    element.contents = []
    element.extend(nodes)


def _kept_link(anchor: Tag) -> bool:
    href = (anchor.get("href") or "").strip()
    return bool(href) and href != "#" and link_url(href) is not None


def _image_kept(image: Tag) -> bool:
    """Does the allow-list accept this image's source? (A refused one becomes its alt text.)"""
    src = (image.get("src") or "").strip()
    return bool(src) and image_url(src) is not None
