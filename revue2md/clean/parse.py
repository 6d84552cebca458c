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
from bs4.builder import builder_registry

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
# The fields of a Tag that are its own: everything else its constructor sets depends on the name only.
_OWN_FIELDS = frozenset({"attrs", "contents", "parent", "previous_element", "next_element", "previous_sibling",
                         "next_sibling"})


class _Builder(LXMLTreeBuilder):
    """lxml's target: the events BeautifulSoup's `handle_starttag`, `handle_endtag`,
    `handle_data` and `endData` would receive, handled inline for plain HTML."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._fields: dict[str, dict] = {}

    def start(self, tag, attrib, nsmap=None):
        if nsmap or tag[:1] == "{" or tag in self.string_containers:
            raise _Unusual(tag)
        soup = self.soup
        if soup.current_data:
            self._end_data(soup)
        attrs = self.attribute_dict_class()
        if attrib:
            for key, value in attrib.items():
                if key[:1] == "{":
                    raise _Unusual(key)
                attrs[key] = value
            attrs = self._replace_cdata_list_attribute_values(tag, attrs)
        fields = self._fields.get(tag)
        if fields is None:
            fields = self._fields[tag] = self._fields_of(tag)
        parent = soup.currentTag
        element = _new_tag(Tag)
        element.__dict__.update(fields)
        element.attrs = attrs
        element.contents = []
        element.setup(parent, soup._most_recent_element)
        if tag == "meta":
            self.set_up_substitutions(element)
        soup._most_recent_element = element
        # BeautifulSoup.pushTag
        parent.contents.append(element)
        soup.tagStack.append(element)
        soup.currentTag = element
        soup.open_tag_counter[tag] += 1
        if tag in self.preserve_whitespace_tags:
            soup.preserve_whitespace_tag_stack.append(element)

    def _fields_of(self, name: str) -> dict:
        """What `Tag(...)` sets on an element called `name` besides its attributes and links."""
        model = Tag(self.soup, self, name, None, None, None, None, None,
                    namespaces=self.active_namespace_prefixes[-1])
        return {key: value for key, value in vars(model).items() if key not in _OWN_FIELDS}

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
        string = kind(text)
        parent = soup.currentTag
        # object_was_parsed's linkage fix-up changes nothing here: no open element has a
        # next sibling yet.
        string.setup(parent, soup._most_recent_element)
        soup._most_recent_element = string
        parent.contents.append(string)
