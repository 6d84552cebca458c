"""Parse an issue's HTML into the very tree `BeautifulSoup(markup, "lxml")` builds, in half the time.

BeautifulSoup's lxml builder receives lxml's parse events and passes each through generic
code: namespace bookkeeping on every tag and attribute, a copy of every attribute dict,
string-container lookups and a linkage check on every text node. For the HTML an issue
holds none of that applies, so `_Builder` handles the same events itself, with the same
state BeautifulSoup keeps (tag stack, open-tag counts, pending text, the most recent
element), and each text node the way `BeautifulSoup.endData` does. lxml parses the same way,
so the events are the same. A `Tag`'s constructor sets the same fields for every element of
one name (what the builder says of that name); they are taken from one element built by the
constructor and copied, and only the attributes and the links are the element's own.

Markup that would need the generic code (a namespace, an attribute name lxml reads as
namespaced, `<script>`/`<style>`/`<template>`/`<rt>`/`<rp>` whose text gets its own string
class, a doctype, a processing instruction) makes the builder give up, and the document is
parsed by BeautifulSoup's builder instead: the tree is the same either way.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.builder import builder_registry, nonwhitespace_re

# The builder `BeautifulSoup(markup, "lxml")` uses.
LXMLTreeBuilder = builder_registry.lookup("lxml")

_SPACES = BeautifulSoup.ASCII_SPACES


class _Unusual(Exception):
    """The markup needs BeautifulSoup's generic handling."""


def parse_html(markup: str, parser: str = "lxml") -> BeautifulSoup:
    """`BeautifulSoup(markup, parser)`; for lxml, built by the fast builder when it can."""
    if parser != "lxml" or not isinstance(markup, str):
        return BeautifulSoup(markup, parser)
    try:
        return BeautifulSoup(markup, builder=_Builder())
    except _Unusual:
        return BeautifulSoup(markup, parser)


_new_tag = Tag.__new__
_new_string = str.__new__
_set_item = dict.__setitem__
_NON_SPACE = nonwhitespace_re
# The fields of a Tag that are its own: everything else its constructor sets depends on the name only.
_OWN_FIELDS = frozenset({"attrs", "contents", "parent", "previous_element", "next_element", "previous_sibling",
                         "next_sibling"})
# Attribute names seen before that lxml did not read as namespaced (a hostile page cannot grow it for long).
_PLAIN_ATTRIBUTE_NAMES: set[str] = set()
_PLAIN_ATTRIBUTE_NAMES_KEPT = 4096
# Element name -> (the fields of an element of that name, its list-valued attributes); see `_model_for`.
_MODELS: dict[str, tuple[dict, frozenset[str]]] = {}


class _Builder(LXMLTreeBuilder):
    """lxml's target: the events BeautifulSoup's `handle_starttag`, `handle_endtag`,
    `handle_data` and `endData` would receive, handled inline for plain HTML."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._models: dict[str, tuple[dict, frozenset[str]]] = {}

    def start(self, tag, attrib, nsmap=None):
        if nsmap:
            raise _Unusual(tag)
        soup = self.soup
        if soup.current_data:
            self._end_data(soup)
        model = self._models.get(tag)
        if model is None:  # a name first seen in this parse: is it one the generic code must handle?
            if tag[:1] == "{" or tag in self.string_containers:
                raise _Unusual(tag)
            model = self._models[tag] = self._model_for(tag)
        prototype, list_attributes = model
        # lxml gives a dict of strings (an empty mapping when there is none): the attribute
        # dict's own conversions would leave the values as they are.
        attrs = self.attribute_dict_class(attrib) if attrib else self.attribute_dict_class()
        if attrs:
            if not _PLAIN_ATTRIBUTE_NAMES.issuperset(attrs):
                for key in attrs:
                    if key[:1] == "{":
                        raise _Unusual(key)
                if len(_PLAIN_ATTRIBUTE_NAMES) < _PLAIN_ATTRIBUTE_NAMES_KEPT:
                    _PLAIN_ATTRIBUTE_NAMES.update(attrs)
            # TreeBuilder._replace_cdata_list_attribute_values: `class="a b"` becomes ["a", "b"].
            for key in list_attributes.intersection(attrs):
                # The attribute dict's own __setitem__ leaves a list as it is.
                _set_item(attrs, key, self.attribute_value_list_class(_NON_SPACE.findall(attrs[key])))
        parent = soup.currentTag
        siblings = parent.contents
        previous = soup._most_recent_element
        # What Tag.setup sets, with the fields every element of this name shares: a copy of
        # the prototype's dict costs a third of setting them one by one.
        fields = prototype.copy()
        fields["attrs"] = attrs
        fields["contents"] = []
        fields["parent"] = parent
        fields["previous_element"] = previous
        fields["previous_sibling"] = siblings[-1] if siblings else None
        element = _new_tag(Tag)
        element.__dict__ = fields
        if previous is not None:
            previous.next_element = element
        if siblings:
            siblings[-1].next_sibling = element
        if tag == "meta":
            self.set_up_substitutions(element)
        soup._most_recent_element = element
        # BeautifulSoup.pushTag
        siblings.append(element)
        soup.tagStack.append(element)
        soup.currentTag = element
        soup.open_tag_counter[tag] += 1
        if tag in self.preserve_whitespace_tags:
            soup.preserve_whitespace_tag_stack.append(element)

    def _model_for(self, name: str) -> tuple[dict, frozenset[str]]:
        """The fields of an element called `name` in this parse, with its own (attributes, children,
        links) still empty, and the attributes whose value is a list of words on it.

        What `Tag(...)` sets besides those depends on the name and the builder, and every
        `_Builder` is configured alike: it is read once per name for all of them. Only the
        namespace mapping, which the constructor takes from the builder, is this parse's own.
        """
        shared = _MODELS.get(name)
        if shared is None:
            made = Tag(self.soup, self, name, None, None, None, None, None,
                       namespaces=self.active_namespace_prefixes[-1])
            lists = self.cdata_list_attributes
            fields = {key: value for key, value in vars(made).items() if key not in _OWN_FIELDS}
            shared = _MODELS[name] = (
                {**fields, "attrs": None, "contents": None, "parent": None, "previous_element": None,
                 "next_element": None, "next_sibling": None, "previous_sibling": None},
                frozenset(lists.get("*", set()) | lists.get(name.lower(), set())),
            )
        prototype, list_attributes = shared
        prototype = prototype.copy()
        prototype["_namespaces"] = self.active_namespace_prefixes[-1]
        return prototype, list_attributes

    def end(self, tag):
        soup = self.soup
        if soup.current_data:
            self._end_data(soup)
        # lxml's events nest: the element that ends is the one on top of the stack.
        element = soup.currentTag
        if element.name != tag or len(soup.tagStack) < 2:
            raise _Unusual(tag)
        # BeautifulSoup.popTag
        soup.tagStack.pop()
        soup.open_tag_counter[tag] -= 1
        stack = soup.preserve_whitespace_tag_stack
        if stack and element == stack[-1]:
            stack.pop()
        soup.currentTag = soup.tagStack[-1]

    def data(self, content):
        self.soup.current_data.append(content)

    def comment(self, text):
        soup = self.soup
        if soup.current_data:
            self._end_data(soup)
        soup.current_data.append(text)
        self._end_data(soup, Comment)

    def doctype(self, name, pubid, system):
        raise _Unusual("doctype")

    def pi(self, target, data):
        raise _Unusual("processing instruction")

    @staticmethod
    def _end_data(soup: BeautifulSoup, kind: type[NavigableString] = NavigableString) -> None:
        """BeautifulSoup.endData: the pending text becomes one string at the end of the open
        element; blank text (outside `<pre>`), a single space or line break."""
        text = "".join(soup.current_data)
        soup.current_data = []
        if not soup.preserve_whitespace_tag_stack and not text.strip(_SPACES):
            text = "\n" if "\n" in text else " "
        parent = soup.currentTag
        siblings = parent.contents
        previous = soup._most_recent_element
        # NavigableString(text), then setup(parent, previous) as object_was_parsed does; its
        # linkage fix-up changes nothing here: no open element has a next sibling yet.
        string = _new_string(kind, text)
        string.__dict__ = {"hidden": False, "parent": parent, "previous_element": previous, "next_element": None,
                           "next_sibling": None, "previous_sibling": siblings[-1] if siblings else None}
        if previous is not None:
            previous.next_element = string
        if siblings:
            siblings[-1].next_sibling = string
        soup._most_recent_element = string
        siblings.append(string)
