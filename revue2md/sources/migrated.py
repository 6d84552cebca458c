"""Pages of an earlier migration that still hold Revue's HTML under their front matter.

Writers pasted their Revue issues into Eleventy, Jekyll, Hugo or Docusaurus as pages:
front matter (YAML `---`, TOML `+++`, JSON `{` or Eleventy's `---json`) over the issue's
own HTML. Such a page is recognised by what it holds, not by where it is: front matter,
then HTML with Revue's markup (Revue's classes, or links and images on Revue's hosts).
Its body is the issue, converted like any other; its front matter gives the title, the
date, the aliases and the description. A markdown page without Revue's HTML is not an
issue here (`revue2md clean` repairs such pages).

Which front-matter keys are read, in order of preference:
- title: `title`;
- date: `date`, `publishDate`, `pubDate`, `published`, `sent_at`;
- description: `description`, `summary`, then the first paragraph of `excerpt`;
- aliases: `aliases` (Hugo), `redirect_from` (Jekyll), and the page's own old address
  `permalink` or `url` when it is a site path;
- Revue URL and id: `revue_url`, `canonical_url`, `original_url`, `url` when they are
  Revue issue URLs; `revue_id`; else the body's share links or "View online" link;
- draft: `draft: true`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from revue2md.dates import parse_date
from revue2md.errors import SourceError
from revue2md.front_matter import FrontMatterError, split_page
from revue2md.models import Issue, Skipped
from revue2md.revue_urls import parse_issue_url
from revue2md.sources.reading import read_text
from revue2md.text import one_line

PLAIN_MARKDOWN = "not a Revue issue: a page without Revue's HTML (revue2md clean repairs markdown pages)"

# Classes only Revue's templates use (the API dialect has none: its links and images say it).
_REVUE_CLASS = re.compile(
    r"""\bclass\s*=\s*["'][^"']*\b(?:revue-p|revue-blockquote|revue-ul|revue-ol|mj-column-per-100|header-text|"""
    r"""link-title|link-image|link-description|link-url|item-header|item-text|item-link-title|"""
    r"""item-link-description|issue-frame)\b""",
    re.IGNORECASE,
)
# Links and images on Revue's own hosts, inside HTML attributes.
_REVUE_URL = re.compile(
    r"""\b(?:href|src)\s*=\s*["']?(?:https?:)?//(?:www\.)?(?:getrevue\.co/|rev\.vu/|"""
    r"""s3\.amazonaws\.com/revue/|revue\.s3\.amazonaws\.com/)""",
    re.IGNORECASE,
)
# The API dialect's link item: `<strong style='display: block;'>`.
_API_LINK_ITEM = re.compile(r"""<strong\s+style\s*=\s*["']display:\s*block""", re.IGNORECASE)
# E-mail templates (rather than the API's `html` grammar).
_EMAIL_MARKUP = re.compile(
    r"""\bclass\s*=\s*["'][^"']*\b(?:revue-p|mj-column-per-100|header-text|link-title|item-header|item-text)\b"""
    r"""|role\s*=\s*["']presentation""",
    re.IGNORECASE,
)
_HTML_LINK = re.compile(r"<(?:a|img)\b", re.IGNORECASE)
_MARKDOWN_LINK = re.compile(r"\]\([^)\s]+")

_DATE_KEYS = ("date", "publishdate", "pubdate", "published", "sent_at")
_DESCRIPTION_KEYS = ("description", "summary")
_REVUE_URL_KEYS = ("revue_url", "canonical_url", "original_url", "url")
_ALIAS_LIST_KEYS = ("aliases", "redirect_from")
_OWN_PATH_KEYS = ("permalink", "url")


class MigratedSource:
    """One page (`.md`, `.markdown`, `.mdx`, or `.html` with front matter) of an earlier migration."""

    kind = "migrated"

    def __init__(self, path: Path):
        self.path = path

    def issues(self) -> Iterator[Issue | Skipped]:
        source = str(self.path)
        try:
            text = read_text(self.path)
        except SourceError as error:
            yield Skipped(source, str(error))
            return
        result = parse_migrated_page(text, source)
        yield replace(result, base_dir=str(self.path.parent)) if isinstance(result, Issue) else result


def parse_migrated_page(text: str, source: str) -> Issue | Skipped:
    """The issue a migrated page holds; an ignored `Skipped` without Revue HTML; `Skipped` when unreadable.

    Ignored (a markdown page, or no front matter) is not a failure: such a page is simply
    not an issue. `Skipped` means the page holds Revue's HTML but its front matter is broken.
    """
    text = text.lstrip("\ufeff")
    try:
        parts = split_page(text)
    except FrontMatterError as error:
        if is_revue_html(text):
            return Skipped(source, f"front matter cannot be read: {error}")
        return Skipped.on_purpose(source, PLAIN_MARKDOWN)
    if parts.kind is None:
        return Skipped.on_purpose(source, "not a page of an earlier migration: no front matter at the top")
    if not is_revue_html(parts.body):
        return Skipped.on_purpose(source, PLAIN_MARKDOWN)
    return _issue(parts.metadata, parts.body, source)


def is_revue_html(body: str) -> bool:
    """Is this body Revue's HTML: Revue's markup in it, and more HTML links than markdown ones?

    The second test keeps a markdown page that quotes one Revue element from being read as
    HTML (its markdown would be lost).
    """
    if not (_REVUE_CLASS.search(body) or _REVUE_URL.search(body) or _API_LINK_ITEM.search(body)):
        return False
    return len(_HTML_LINK.findall(body)) >= len(_MARKDOWN_LINK.findall(body))


def _issue(metadata: dict[str, Any], body: str, source: str) -> Issue:
    fields = {str(key).lower(): value for key, value in metadata.items()}
    notes: list[str] = []
    url = _revue_url(fields) or _url_from_links(body)
    parsed = parse_issue_url(url)
    issue_id = _revue_id(fields.get("revue_id"))
    if issue_id is None and parsed is not None:
        issue_id = parsed.id
    elif parsed is not None and parsed.id != issue_id:
        notes.append(f"revue_id {issue_id} in the front matter, {parsed.id} in its Revue URL: the front matter's kept")
    sent_at = None
    for key in _DATE_KEYS:
        if fields.get(key) not in (None, ""):
            sent_at = _date(fields[key])
            if sent_at is None:
                notes.append(f"date not understood: {str(fields[key])[:40]!r}")
            break
    else:
        notes.append("no date in the source")
    return Issue(
        source=source,
        html=body,
        template="email" if _EMAIL_MARKUP.search(body) else "api",
        id=issue_id,
        title=_string(fields.get("title")),
        sent_at=sent_at,
        description=_description(fields) or None,
        url=url,
        draft=fields.get("draft") is True,
        notes=tuple(notes),
        aliases=_aliases(fields),
    )


def _string(value: Any) -> str:
    return one_line(value) if isinstance(value, str) else ""


def _date(value: Any) -> datetime | date | None:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return value
    return parse_date(value) if isinstance(value, str) else None


def _description(fields: dict[str, Any]) -> str:
    for key in _DESCRIPTION_KEYS:
        text = _string(fields.get(key))
        if text:
            return text
    excerpt = fields.get("excerpt")
    if isinstance(excerpt, str):
        # Eleventy's excerpt is often the whole text of the issue: its first paragraph is the intro.
        return one_line(excerpt.strip().split("\n", 1)[0])
    return ""


def _revue_url(fields: dict[str, Any]) -> str | None:
    for key in _REVUE_URL_KEYS:
        value = fields.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")) and parse_issue_url(value):
            return value.strip()
    return None


def _revue_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _aliases(fields: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for key in _ALIAS_LIST_KEYS:
        value = fields.get(key)
        values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        found += [path for path in map(_site_path, values) if path]
    for key in _OWN_PATH_KEYS:
        path = _site_path(fields.get(key))
        if path:
            found.append(path)
    return tuple(dict.fromkeys(found))


def _site_path(value: Any) -> str | None:
    """A path on the old site (`/issues/12/`), as Hugo wants an alias; None for anything else.

    URLs with a host, templates (`/:year/:title/`, `{{ page.fileSlug }}`) and queries are
    not paths a page can answer to.
    """
    if not isinstance(value, str):
        return None
    path = value.strip()
    if not path.startswith("/") or path.startswith("//") or any(mark in path for mark in ("{", ":", "?", " ", "\\")):
        return None
    return path


def _url_from_links(body: str) -> str | None:
    """The issue's Revue URL from the body's share buttons or "View online" link, if it has them."""
    if "twitter.com/share" not in body and "sharer" not in body and "view_in_browser" not in body:
        return None
    import lxml.html

    from revue2md.sources.web import issue_url_from_links

    try:
        root = lxml.html.fragment_fromstring(body, create_parent="div")
    except Exception:
        return None
    return issue_url_from_links(root)
