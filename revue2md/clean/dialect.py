"""Which of Revue's markup dialects an issue's HTML is written in, read from the markup itself.

Any dialect can sit in any container: a page of an earlier migration holds the 2022 e-mail,
an API `html` field may hold pasted e-mail markup, a saved page holds the classic tables.
So the cleaner asks the markup, not the source:

- `API`: the `html` field's grammar (`<p><p>` text items, `<strong style="display: block">`
  link titles, `[caption]` / `[tweet]` / `[embed]` shortcodes), also what ZIP items become;
- `CLASSIC`: the table e-mail of 2016-19 (`item-header`, `item-text`, `item-link-title`,
  `item-link-description`, `domain`);
- `MJML`: the e-mail of 2017-22 (`mj-column-per-100`, `header-text`, `link-image`,
  `link-title`, `link-description`, `link-url`, images and videos in `role="presentation"`
  tables).

The e-mail dialects share `revue-p` and `revue-blockquote`; a tree with both e-mail and API
items is read as e-mail, and the API items in it are still recognised one by one.
"""

from __future__ import annotations

import re
from enum import Enum


class Dialect(str, Enum):
    API = "api"
    CLASSIC = "classic"
    MJML = "mjml"

    @property
    def is_email(self) -> bool:
        return self is not Dialect.API


_CLASS_VALUE = re.compile(r"""\bclass\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_MJML_CLASSES = frozenset({"mj-column-per-100", "header-text", "link-image", "link-title",
                           "link-description", "link-url"})
_CLASSIC_CLASSES = frozenset({"item-header", "item-text", "item-link-title", "item-link-description"})
_EMAIL_CLASSES = frozenset({"revue-p", "revue-blockquote"})
_MARKS = _MJML_CLASSES | _CLASSIC_CLASSES | _EMAIL_CLASSES
_TABLE_OPENING = re.compile("<table", re.IGNORECASE)
_LAYOUT_TABLE = re.compile(r"""<table\b[^>]*\brole\s*=\s*["']presentation["']""", re.IGNORECASE)


def detect(markup: str) -> Dialect:
    """The dialect of an issue's HTML; `API` when it carries none of the e-mail templates' marks."""
    # Every mark is a class name, compared as written, or a layout table: markup that holds
    # none of the names and no "<table" (in any case) needs no scan.
    if not any(name in markup for name in _MARKS) and _TABLE_OPENING.search(markup) is None:
        return Dialect.API
    classes: set[str] = set()
    for value in _CLASS_VALUE.findall(markup):
        classes.update(value.split())
    if classes & _MJML_CLASSES:
        return Dialect.MJML
    if classes & _CLASSIC_CLASSES:
        return Dialect.CLASSIC
    if _LAYOUT_TABLE.search(markup):
        return Dialect.MJML
    if classes & _EMAIL_CLASSES:
        return Dialect.CLASSIC if "<table" in markup.lower() and "mj-" not in markup else Dialect.MJML
    return Dialect.API
