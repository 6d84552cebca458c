"""Repair the invalid nesting Revue wrote, and flatten its layout tables.

Revue's API HTML wraps blocks in blocks that may not hold them (`<h3><p>`, `<p><p>`,
`<p><h2>`, `<ul><ul>`). Parsers disagree on such input: lxml closes the outer element
early, html.parser keeps the nesting. The repairs below give the same tree whichever
parser built it, so the markdown does not depend on the parser.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag

from revue2md.canonical import BLOCKS
from revue2md.clean import tree_edit, treewalk

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements that are content even with no text in them.
KEEP_EMPTY = frozenset({"img", "hr", "br", "iframe", "video", "audio", "source", "td", "th"})


def repair_nesting(root: Tag) -> None:
    """Unwrap headings and paragraphs that hold blocks, move stray lists into list items."""
    for element in treewalk.named(root, _REPAIRED):
        if element.parent is None:
            continue
        if element.name in ("ul", "ol"):
            if element.parent.name in ("ul", "ol"):
                _move_into_list_item(element)
        elif any(isinstance(child, Tag) and child.name in BLOCKS for child in element.children):
            _split_around_blocks(element)


_REPAIRED = [*HEADINGS, "p", "ul", "ol"]


def _move_into_list_item(nested: Tag) -> None:
    previous = nested.previous_sibling
    while previous is not None and not isinstance(previous, Tag):
        previous = previous.previous_sibling
    if previous is not None and previous.name == "li":
        previous.append(nested.extract())
    else:
        nested.wrap(_new_tag(nested, "li"))


def _split_around_blocks(element: Tag) -> None:
    """Replace `element` by its children; runs of inline children stay in copies of it.

    `<p>a<ul>…</ul>b</p>` becomes `<p>a</p><ul>…</ul><p>b</p>`. A heading that wraps
    blocks (Revue's `<h3>` around the intro) is dropped, its inline runs becoming paragraphs.
    """
    inline_name = "p"
    run: list = []
    replacement: list = []

    def flush() -> None:
        if any(not isinstance(node, NavigableString) or node.strip() for node in run):
            holder = _new_tag(element, inline_name)
            for node in run:
                holder.append(node)
            replacement.append(holder)
        run.clear()

    for child in list(element.children):
        child = child.extract()
        if isinstance(child, Tag) and child.name in BLOCKS:
            flush()
            replacement.append(child)
        else:
            run.append(child)
    flush()
    for node in replacement:
        element.insert_before(node)
    element.decompose()


def unwrap_layout_tables(root: Tag) -> None:
    """Turn every table under `root` into nested divs: rows and cells become blocks of their own."""
    for element in [tag for tag in treewalk.tags(root) if tag.name in _TABLE_PARTS]:
        if element.name in ("tbody", "thead", "tfoot", "tr"):
            tree_edit.unwrap(element)
        elif element.name in ("td", "th"):
            element.name = "div"
            element.attrs = {k: v for k, v in element.attrs.items() if k == "class"}
        else:
            element.name = "div"
            element.attrs = {}


_TABLE_PARTS = frozenset({"table", "tbody", "thead", "tfoot", "tr", "td", "th"})


def drop_empty(root: Tag) -> None:
    """Remove elements with no text and nothing visible in them (spacers, emptied wrappers),
    and join text nodes left side by side by earlier edits.

    One pass from the leaves up: an element is visible when it is content by nature (an
    image, a rule, a marker with a URL) or holds text or a visible child. Joined text
    matters: `<` in one node and `/table>` in the next must be escaped as one text.

    Linear in the size of the tree: each element is removed at the position the walk knows
    (bs4 would otherwise search its parent's children for it, which made a page of 10,000
    empty paragraphs take a minute), and each run of text nodes is joined once.
    """
    _merge_text_children(root)
    # Children are visited last to first, so removing one never moves those still to visit.
    # A frame: the element, its child positions still to visit, its own position, and whether
    # a visible child has been seen in it yet.
    stack: list[list] = [[root, reversed(range(len(root.contents))), -1, False]]
    while stack:
        frame = stack[-1]
        element = frame[0]
        index = next(frame[1], None)
        if index is not None:
            child = element.contents[index]
            kind = type(child)
            if kind is Tag:
                stack.append([child, reversed(range(len(child.contents))), index, False])
            elif kind is NavigableString and not frame[3] and child.strip():
                frame[3] = True
            continue
        stack.pop()
        if not stack:
            break
        if frame[3] or element.name in _VISIBLE_BY_NATURE or element.attrs.get("data-url"):
            _merge_text_children(element)
            stack[-1][3] = True
        elif element.name != "br":
            tree_edit.extract_at(element, frame[2])
            element.decompose()


_VISIBLE_BY_NATURE = KEEP_EMPTY - {"br"}


def _merge_text_children(element: Tag) -> None:
    """Join each run of adjacent text nodes into one, from the last run to the first."""
    contents = element.contents
    end = len(contents) - 1
    while end > 0:
        if type(contents[end]) is not NavigableString:
            end -= 1
            continue
        start = end
        while start > 0 and type(contents[start - 1]) is NavigableString:
            start -= 1
        if start < end:
            merged = NavigableString("".join(contents[start:end + 1]))
            for position in range(end, start - 1, -1):
                tree_edit.extract_at(contents[position], position)
            element.insert(start, merged)
        end = start - 1


def _new_tag(anchor: Tag, name: str) -> Tag:
    soup = anchor
    while soup.parent is not None:
        soup = soup.parent
    if isinstance(soup, BeautifulSoup):
        return soup.new_tag(name)
    return Tag(name=name)


def trim_line_breaks(root: Tag) -> None:
    """Drop `<br>` at the very start or end of a block: markdown would show a stray backslash."""
    for br in treewalk.named(root, ("br",)):
        if br.parent is not None and (_nothing_beside(br, "previous") or _nothing_beside(br, "next")):
            br.decompose()


def _nothing_beside(node: Tag, direction: str) -> bool:
    current = node
    while current is not None and current.name not in BLOCKS | {"td", "th", "body"}:
        sibling = getattr(current, f"{direction}_sibling")
        while sibling is not None:
            if isinstance(sibling, Tag):
                if sibling.name in BLOCKS:
                    return True
                if sibling.name == "br" or sibling.name == "img" or sibling.get_text().strip():
                    return False
            elif sibling.strip():
                return False
            sibling = getattr(sibling, f"{direction}_sibling")
        current = current.parent
    return True
