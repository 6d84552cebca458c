"""Edits of a BeautifulSoup tree that give the tree bs4's own `unwrap`, `append` and `extract` give,
with the links between nodes set directly.

bs4 keeps five links on every node (parent, previous and next element in document order,
previous and next sibling). Its methods are general: `unwrap` looks the element up in its
parent and inserts the children one at a time; `append` extracts, looks up and relinks for
every child. Cleaning an e-mail unwraps hundreds of table rows and builds a link card per
item, so these do the same with one pass over the nodes that move.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag
from bs4.builder import nonwhitespace_re

_LINKS = ("parent", "previous_element", "next_element", "previous_sibling", "next_sibling")
# (builder class, name) -> (the fields of `soup.new_tag(name)`, those of the element's own still empty,
# the attributes whose value is a list of words).
_NEW_TAG_FIELDS: dict[tuple[type, str], tuple[dict, frozenset[str]]] = {}


def new_tag(soup: BeautifulSoup, name: str, attrs: dict[str, str] | None = None) -> Tag:
    """`soup.new_tag(name, attrs=attrs)`, for attribute values that are strings.

    bs4's constructor asks the builder the same questions for every element of a name, so
    their answers are taken from one element it made, and only the attributes, the children
    and the links are the new element's own."""
    builder = soup.builder
    if name == "meta" or not builder.cdata_list_attributes:
        return soup.new_tag(name, attrs=attrs)
    key = (type(builder), name)
    model = _NEW_TAG_FIELDS.get(key)
    if model is None:
        made = soup.new_tag(name)
        lists = builder.cdata_list_attributes
        fields = {field: value for field, value in vars(made).items() if field not in ("attrs", "contents", *_LINKS)}
        model = _NEW_TAG_FIELDS[key] = (
            {**fields, "_namespaces": None, "attrs": None, "contents": None, **dict.fromkeys(_LINKS)},
            frozenset(lists.get("*", set()) | lists.get(name.lower(), set())),
        )
    prototype, list_attributes = model
    values = builder.attribute_dict_class()
    if attrs:
        # The attribute dict's own `__setitem__` turns None, booleans and numbers into what
        # HTML allows; the values here are strings, which it keeps as they are.
        dict.update(values, attrs)
        # The builder splits a list-valued attribute given as one string (`class="a b"`).
        for attribute in list_attributes.intersection(values):
            if isinstance(values[attribute], str):
                values[attribute] = builder.attribute_value_list_class(nonwhitespace_re.findall(values[attribute]))
    fields = prototype.copy()
    fields["_namespaces"] = {}
    fields["attrs"] = values
    fields["contents"] = []
    element = Tag.__new__(Tag)
    element.__dict__ = fields
    return element


def _last_descendant(node):
    """The node that comes last, in document order, in `node`'s subtree (the node itself when it has none)."""
    while type(node) is Tag and node.contents:
        node = node.contents[-1]
    return node


def extract_at(element, position: int):
    """`element.extract()`, for an element the caller knows is child number `position` of its
    parent: bs4 would otherwise find that position by scanning the siblings, so removing many
    children of one parent one by one would cost the square of their number."""
    return element.extract(_self_index=position)


def unwrap(element: Tag) -> None:
    """`element.unwrap()`: its children take its place in its parent."""
    parent = element.parent
    children = element.contents
    position = next(index for index, child in enumerate(parent.contents) if child is element)
    before, after = element.previous_sibling, element.next_sibling
    previous = element.previous_element
    if children:
        first, last = children[0], children[-1]
        first.previous_element = previous
        if previous is not None:
            previous.next_element = first
        first.previous_sibling = before
        last.next_sibling = after
        for child in children:
            child.parent = parent
    else:
        following = element.next_element
        if previous is not None:
            previous.next_element = following
        if following is not None:
            following.previous_element = previous
        first = last = None
    if before is not None:
        before.next_sibling = first if first is not None else after
    if after is not None:
        after.previous_sibling = last if last is not None else before
    parent.contents[position:position + 1] = children
    element.contents = []
    element.parent = element.previous_sibling = element.next_sibling = None
    element.previous_element = element.next_element = None


def take_children(element: Tag) -> list:
    """`[child.extract() for child in list(element.children)]`: the children, each on its own."""
    children = element.contents
    if not children:
        return []
    following = _last_descendant(element).next_element
    element.next_element = following
    if following is not None:
        following.previous_element = element
    for child in children:
        child.parent = child.previous_sibling = child.next_sibling = child.previous_element = None
        _last_descendant(child).next_element = None
    element.contents = []
    return children


def append_all(parent: Tag, children: list) -> Tag:
    """`for child in children: parent.append(child)`, for a new `parent` (no parent, no
    children) and children that are in no tree (new, or extracted)."""
    previous = parent
    before = None
    for child in children:
        child.parent = parent
        child.previous_sibling = before
        if before is not None:
            before.next_sibling = child
        child.previous_element = previous
        previous.next_element = child
        previous = _last_descendant(child)
        before = child
    if before is not None:
        before.next_sibling = None
    previous.next_element = None
    parent.contents.extend(children)
    return parent
