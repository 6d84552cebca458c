"""Clean one issue: repair its text, parse its HTML once, and shape the tree for conversion.

Everything here is deterministic and idempotent: cleaning clean input changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bs4 import NavigableString, Tag

from revue2md.clean import chrome, items, structure
from revue2md.clean.dialect import detect as detect_dialect
from revue2md.clean.mojibake import MojibakeMode, fix_mojibake, fix_mojibake_html
from revue2md.clean.parse import parse_html
from revue2md.clean.tracking import DEFAULT_FILTER, TrackingFilter
from revue2md.models import Issue
from revue2md.text import decode_title, one_line

URL_ATTRIBUTES = ("href", "src", "data-url", "data-href", "cite", "poster")
_URL_ATTRIBUTE_NAMES = frozenset(URL_ATTRIBUTES)


@dataclass(frozen=True)
class CleanOptions:
    """How an issue is cleaned: which query parameters go, when mojibake is repaired, which parser reads the HTML."""
    tracking: TrackingFilter = DEFAULT_FILTER
    mojibake: MojibakeMode = MojibakeMode.auto
    parser: str = "lxml"


@dataclass(frozen=True)
class CleanIssue:
    """An issue with clean metadata and its content as a canonical tree (see `items`)."""

    issue: Issue
    root: Tag
    tracking_removed: int = 0


def clean_metadata(issue: Issue, options: CleanOptions = CleanOptions()) -> Issue:
    """The issue with its title, description and URL cleaned; the content is left as it is."""
    notes = list(issue.notes)
    title = clean_line(issue.title, options, notes, "title")
    description = clean_line(issue.description, options, notes, "description")
    url = options.tracking.clean(issue.url) if issue.url else None
    return replace(issue, title=title, description=description or None, url=url, notes=tuple(notes))


def clean_issue(issue: Issue, options: CleanOptions = CleanOptions()) -> CleanIssue:
    notes = list(issue.notes)
    body_html, fixed = fix_mojibake_html(issue.html, options.mojibake)
    if fixed:
        notes.append(f"mojibake repaired in the content: {fixed.how} ({fixed.chars_changed} characters)")
    metadata = clean_metadata(issue, options)
    notes += metadata.notes[len(issue.notes):]
    title = metadata.title

    markup = items.expand_shortcodes(body_html)
    soup = parse_html(markup, options.parser)
    root = soup.body or soup
    items.embedded_elements(soup, root, markup.lower())
    # The markup says how items are written; an e-mail or saved page also has Revue's chrome
    # around them even when its items are in the API's grammar.
    if issue.template == "email" or detect_dialect(body_html).is_email:
        chrome.cut_footer(root)
        items.email_link_items(soup, root)
        chrome.drop_chrome(root, title)
        items.email_blocks(soup, root)
        structure.unwrap_layout_tables(root)
    structure.repair_nesting(root)
    items.canonicalize_api(soup, root)
    removed = strip_tracking_in_tree(root, options.tracking)
    structure.trim_line_breaks(root)
    structure.drop_empty(root)
    cleaned = replace(metadata, notes=tuple(notes))
    return CleanIssue(issue=cleaned, root=root, tracking_removed=removed)


def clean_line(text: str | None, options: CleanOptions, notes: list[str], what: str) -> str:
    """A one-line field (title, description): mojibake repaired, entities decoded, spaces folded."""
    if not text:
        return ""
    repaired, fixed = fix_mojibake(text, options.mojibake)
    if fixed:
        notes.append(f"mojibake repaired in the {what}: {fixed.how}")
    return one_line(decode_title(repaired) if what == "title" else repaired)


def strip_tracking_in_tree(root: Tag, tracking: TrackingFilter) -> int:
    """Remove tracking parameters from every URL attribute and every URL written in the text."""
    removed = 0
    texts = []
    for node in root.descendants:
        kind = type(node)
        if kind is NavigableString:
            if "?" in node:
                texts.append(node)
            continue
        if kind is not Tag or not node.attrs:
            continue
        attrs = node.attrs
        for name in _URL_ATTRIBUTE_NAMES.intersection(attrs):
            value = attrs[name]
            if isinstance(value, str) and "?" in value:
                cleaned = tracking.clean(value)
                if cleaned != value:
                    node[name] = cleaned
                    removed += 1
        srcset = attrs.get("srcset")
        if isinstance(srcset, str) and "?" in srcset:
            node["srcset"], count = tracking.clean_text(srcset)
            removed += count
    for text in texts:
        value = str(text)
        new_value, count = tracking.clean_text(value)
        if new_value != value:
            text.replace_with(new_value)
            removed += count
    return removed
