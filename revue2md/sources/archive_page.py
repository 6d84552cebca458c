"""Pages saved from the Wayback Machine by hand: take off the archive's toolbar and link rewriting.

A page viewed on web.archive.org carries the archive's toolbar (between `BEGIN/END WAYBACK
TOOLBAR INSERT` comments, or as `#wm-ipp-base` once a browser has run its scripts), its
playback scripts, and every link and image rewritten to `/web/<timestamp>[im_|id_|js_|cs_]/
<original URL>`. `restore()` undoes both, so the page reads like the one Revue served.

Exactly one layer of rewriting is undone, and only in attribute values: an author's own
link to an archived page was rewritten on top of itself, and comes back as that link.
A page that does not look archived is returned untouched.
"""

from __future__ import annotations

import re

# `/web/20190325123456/`, `/web/2019im_/`, with or without the archive's host in front.
_PREFIX = r"(?:(?:https?:)?//web\.archive\.org)?/web/\d{1,14}(?:[a-z]{2}_)?/"
# What follows the prefix must be the original URL: with a scheme, or protocol-relative. The
# archive sometimes folds `https://` to `https:/`; that form is captured to be repaired.
_ORIGINAL = r"(?:(?P<scheme>https?:)/(?!/)|(?=(?:https?:)?//|(?:mailto|data|ftp):))"
# Where a URL starts inside markup: an attribute value (`=`), or CSS `url(`.
_URL_STARTS = r"""(?P<lead>[=(]\s*["']?)"""
_REWRITTEN = re.compile(_URL_STARTS + _PREFIX + _ORIGINAL, re.IGNORECASE)
_ARCHIVE_URL = re.compile(_PREFIX, re.IGNORECASE)
_SRCSET = re.compile(r"""(srcset\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)

_TOOLBAR = re.compile(
    r"<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->.*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->",
    re.IGNORECASE | re.DOTALL,
)
# The playback scripts and styles the archive puts first in <head>.
_HEAD_INCLUDE = re.compile(
    r"<script[^>]*/_static/js/.*?<!--\s*End Wayback Rewrite JS Include\s*-->", re.IGNORECASE | re.DOTALL
)
_TRAILER = re.compile(r"<!--\s*(?:FILE ARCHIVED ON|playback timings).*?-->", re.IGNORECASE | re.DOTALL)
_TOOLBAR_IDS = ("wm-ipp-base", "wm-ipp-print", "wm-ipp", "donato")
_MARKERS = ("BEGIN WAYBACK TOOLBAR INSERT", "End Wayback Rewrite JS Include", "__wm.init(", "wm-ipp-base",
            "FILE ARCHIVED ON")
# The page's own address (`og:url` or the canonical link), in either attribute order. A tag never
# holds `<`: each unclosed `<meta` then scans to the next tag only (linear, not quadratic, time).
_OWN_URL_TAG = re.compile(
    r"""<(?:meta\b[^<>]*["']og:url["']|link\b[^<>]*["']canonical["'])[^<>]*>""", re.IGNORECASE
)
_OWN_URL_REWRITTEN = re.compile(r"""\b(?:content|href)\s*=\s*["']?""" + _PREFIX, re.IGNORECASE)
_RESOURCE = re.compile(r"/web/\d{1,14}(?:im|cs|js)_/", re.IGNORECASE)
_ABSOLUTE_ATTRIBUTE = re.compile(r"""\b(?:href|src)\s*=\s*["']?((?:https?:)?//|/web/\d)""", re.IGNORECASE)


def is_archived(text: str) -> bool:
    """Does this page come from the Wayback Machine's player (toolbar, or its links rewritten)?"""
    if "/web/" not in text and "wm-ipp" not in text:
        return False
    if any(marker in text for marker in _MARKERS):
        return True
    if any(_OWN_URL_REWRITTEN.search(tag) for tag in _OWN_URL_TAG.findall(text)):
        return True
    # Without the toolbar: most links rewritten, and resources (images, styles, scripts) too,
    # which an author linking to archived pages on purpose never writes.
    starts = len(_ABSOLUTE_ATTRIBUTE.findall(text))
    rewritten = len(_REWRITTEN.findall(text))
    return starts >= 4 and rewritten >= 0.8 * starts and _RESOURCE.search(text) is not None


def restore(text: str) -> str:
    """The page without the archive's toolbar and with its original URLs; untouched if not archived."""
    if not is_archived(text):
        return text
    text = _TOOLBAR.sub("", text)
    text = _HEAD_INCLUDE.sub("", text)
    text = _TRAILER.sub("", text)
    for element_id in _TOOLBAR_IDS:
        text = remove_element_by_id(text, element_id)
    text = _REWRITTEN.sub(_original_start, text)
    return _SRCSET.sub(_srcset, text) if "srcset" in text.lower() else text


def original_url(url: str) -> str:
    """`https://web.archive.org/web/<ts>/<original>` -> `<original>`; other URLs unchanged."""
    match = _ARCHIVE_URL.match(url)
    if match is None:
        return url
    rest = url[match.end():]
    return re.sub(r"^(https?:)/(?!/)", r"\1//", rest, flags=re.IGNORECASE)


def _original_start(match: re.Match[str]) -> str:
    scheme = match.group("scheme")
    return match.group("lead") + (scheme + "//" if scheme else "")


def _srcset(match: re.Match[str]) -> str:
    entries = [entry.strip() for entry in match.group(3).split(",")]
    restored = []
    for entry in entries:
        url, _, size = entry.partition(" ")
        restored.append(f"{original_url(url)} {size}".strip() if url else entry)
    if restored == entries:
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}{', '.join(restored)}{match.group(2)}"


def remove_element_by_id(text: str, element_id: str) -> str:
    """Cut the element with this id (and everything it holds) out of the markup."""
    if element_id not in text:
        return text
    opening = re.compile(
        rf"""<(?P<tag>[a-zA-Z][a-zA-Z0-9]*)\b[^<>]*\bid\s*=\s*["']?{re.escape(element_id)}["'\s>/]""",
    )
    match = None
    for found in re.finditer(re.escape(element_id), text):
        start = text.rfind("<", 0, found.start())
        match = opening.match(text, start) if start >= 0 else None
        if match is not None:
            break
    if match is None:
        return text
    tag = match.group("tag")
    tags = re.compile(rf"<(/?){tag}\b[^>]*?(/?)>", re.IGNORECASE)
    depth = 0
    for found in tags.finditer(text, match.start()):
        closing, self_closing = found.group(1), found.group(2)
        if self_closing and not closing:
            if depth == 0:
                return text[:match.start()] + text[found.end():]
            continue
        depth += -1 if closing else 1
        if depth == 0:
            return text[:match.start()] + text[found.end():]
    return text[:match.start()]
