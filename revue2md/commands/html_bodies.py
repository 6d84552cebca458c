"""Pages whose body is still Revue's HTML, rewritten as markdown by the export's converter.

Hugo's default renderer drops raw HTML, so such a page shows nothing. The body is read as
an issue (the migrated-pages source), cleaned and converted exactly as `export` converts
it; the front matter and the blank lines under it stay byte for byte (the repairs `clean`
makes to front matter come after, as for any page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from revue2md.clean.issue import CleanOptions
from revue2md.commands.conversion import clean_and_convert
from revue2md.commands.options import ExportOptions
from revue2md.models import Issue, Skipped
from revue2md.repair.frontmatter import split_front_matter
from revue2md.sources.migrated import is_revue_html, parse_migrated_page

_BLANK_LINES = re.compile(r"(?:[ \t]*(?:\r\n|\r|\n))*")


@dataclass(frozen=True)
class ConvertedBody:
    text: str  # the whole page: the front matter as it was, the markdown body
    notes: tuple[str, ...] = ()
    tracking_removed: int = 0


def convert_html_body(text: str, source: str, clean: CleanOptions) -> ConvertedBody | Skipped | None:
    """The page with its Revue HTML body as markdown; None when the body is not Revue's HTML."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    document = text[len(bom):]
    front = split_front_matter(document)
    if front is None or "<" not in document or not is_revue_html(document[front.body_start:]):
        return None  # (checked first: reading the front matter costs more than this look)
    issue = parse_migrated_page(document, source)
    if not isinstance(issue, Issue):
        return None if issue.ignored else issue  # ignored: not Revue's HTML
    converted = clean_and_convert(issue, ExportOptions(clean=clean))
    if isinstance(converted, Skipped):
        return Skipped(source, f"its Revue HTML could not be converted: {converted.reason}")
    cleaned, page = converted
    head_end = _BLANK_LINES.match(document, front.body_start).end()
    line_break = "\r\n" if "\r\n" in document[:head_end] else "\n"
    body = page.body.replace("\n", line_break) if line_break != "\n" else page.body
    notes = tuple(note for note in page.notes if note != "no date in the source")
    return ConvertedBody(bom + document[:head_end] + body, notes, cleaned.tracking_removed)
