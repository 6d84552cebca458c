"""Small text helpers shared by the sources and the cleaner."""

from __future__ import annotations

import html
import re

# A run of whitespace that holds a line break or a tab; plain runs of spaces are the author's.
_BREAKING_SPACE = re.compile(r" *[\t\n\r\f\v\u0085\u2028\u2029][\s\u0085\u2028\u2029]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff\ufffc\ud800-\udfff]")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|blockquote|tr|td|br)\s*>|<br\s*/?>", re.IGNORECASE)


_SEPARATORS = re.compile(r"[\s·•|–—\-:,]*")


def separators_only(text: str) -> bool:
    """Nothing but spaces and the separators Revue puts between its links (`·`, `|`, dashes)."""
    return _SEPARATORS.fullmatch(text) is not None


def one_line(text: str | None) -> str:
    """Entities decoded, control characters dropped, line breaks and tabs made one space, trimmed."""
    if not text:
        return ""
    text = html.unescape(text)
    text = _CONTROL.sub("", text)
    return _BREAKING_SPACE.sub(" ", text).strip()


def html_to_text(fragment: str | None) -> str:
    """Plain one-line text of a short HTML fragment (a description), blocks separated by a space."""
    if not fragment:
        return ""
    return one_line(_TAG.sub("", _BLOCK_END.sub(" ", fragment)))


def decode_title(title: str) -> str:
    """The title with its HTML entities decoded (repeatedly: `&amp;lt;b&amp;gt;` too), on one line.

    Export and `clean` both read titles through this. A title without entities is returned
    as it is, so a title that needs nothing is not rewritten.
    """
    decoded = title
    for _ in range(5):
        once = html.unescape(decoded)
        if once == decoded:
            break
        decoded = once
    # Only the entities change: the author's spacing, trailing space included, stays.
    return title if decoded == title else _LINE_BREAKS.sub(" ", decoded.strip("\r\n"))


_LINE_BREAKS = re.compile(r"[\r\n\u0085\u2028\u2029]+")
