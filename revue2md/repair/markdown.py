"""Repair a markdown page that an earlier migration left damaged, and change nothing else.

Four kinds of damage are repaired: mojibake (on the whole document first, front matter and
body, as the export does), Revue's e-mail chrome (header and footer lines, see `chrome`),
tracking parameters in URLs (see `urls`), and HTML entities in the title. Everything else
stays byte for byte: the front matter is edited as raw text (see `frontmatter`), code, code
spans and templates are never touched (see `code`).

Pure functions: text in, text and a report out.
"""

from __future__ import annotations

from dataclasses import dataclass

from revue2md.clean.mojibake import MojibakeFix, MojibakeMode, fix_mojibake
from revue2md.clean.tracking import DEFAULT_FILTER, TrackingFilter
from revue2md.repair.chrome import ChromeLine, might_hold_chrome, remove_chrome
from revue2md.repair.code import code_spans, mask_code
from revue2md.repair.frontmatter import FrontMatterNotEdited, edit_front_matter, split_front_matter
from revue2md.repair.urls import clean_urls, has_tracking

__all__ = ["RepairOptions", "RepairReport", "Repaired", "code_spans", "mask_code", "repair_markdown",
           "split_front_matter"]


@dataclass(frozen=True)
class RepairOptions:
    tracking: TrackingFilter = DEFAULT_FILTER
    mojibake: MojibakeMode = MojibakeMode.auto
    chrome: bool = True  # remove Revue's header and footer lines
    mdx: bool = False  # the page is MDX: `{…}` expressions and ESM lines are code


@dataclass(frozen=True)
class RepairReport:
    """What the repair of one page did. Line numbers count from the top of the file."""

    mojibake: MojibakeFix | None = None
    tracking_removed: int = 0
    title_decoded: bool = False
    chrome_removed: tuple[ChromeLine, ...] = ()
    html_converted: bool = False  # the body was Revue's HTML, now markdown (set by the caller)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Repaired:
    """The repaired text, whether it differs from the input, and what was done."""

    text: str
    changed: bool
    report: RepairReport


def repair_markdown(text: str, options: RepairOptions = RepairOptions()) -> Repaired:
    """Repair one markdown document (front matter in YAML, TOML or JSON, or none)."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    document, mojibake = fix_mojibake(text[len(bom):], options.mojibake)
    notes: list[str] = []
    front = split_front_matter(document)
    body_start = 0
    title_decoded, removed = False, 0
    if front is not None:
        body_start = front.body_start
        data = document[front.start:front.end]
        try:
            edited = edit_front_matter(front.kind, data, options.tracking)
        except FrontMatterNotEdited as reason:
            notes.append(f"front matter left as it was: {reason}")
        else:
            if edited.text != data:
                document = document[:front.start] + edited.text + document[front.end:]
                body_start += len(edited.text) - len(data)
            title_decoded, removed = edited.title_decoded, edited.tracking_removed
    head, body = document[:body_start], document[body_start:]
    first_line = _line_count(head) + 1
    chrome: tuple[ChromeLine, ...] = ()
    # Masking parses the block structure: only done when something may need an edit. Chrome
    # is looked for in the raw body first; the masked one then rules out lines inside code.
    wants_chrome = options.chrome and might_hold_chrome(body) and bool(remove_chrome(body, body).removed)
    masked = mask_code(body, options.mdx) if wants_chrome or has_tracking(body, options.tracking) else body
    if wants_chrome:
        without = remove_chrome(body, masked)
        if without.removed:
            body, masked = without.text, mask_code(without.text, options.mdx)
            chrome = tuple(ChromeLine(line.line + first_line - 1, line.text) for line in without.removed)
    urls = clean_urls(body, masked, options.tracking)
    for place in urls.unreadable:
        region = body[place.start:place.end]
        where = document.find(region, body_start)  # the line in the file as it was read
        line = _line_count(document[:where]) + 1 if where >= 0 else first_line + _line_count(body[:place.start])
        notes.append(f"line {line}: left as it was, {place.reason}: {_snippet(region)}")
    repaired = bom + head + urls.text
    report = RepairReport(mojibake=mojibake, tracking_removed=removed + urls.removed,
                          title_decoded=title_decoded, chrome_removed=chrome, notes=tuple(notes))
    return Repaired(text=repaired, changed=repaired != text, report=report)


def _line_count(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _snippet(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"
