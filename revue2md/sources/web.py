"""Saved Revue web pages: issue pages (`#issue-frame`) and "view online" archive/e-mail pages.

lxml reads the whole page once, cheaply: this module only finds the metadata (title, date,
URL, id, description) and cuts out the e-mail HTML of the issue. The cleaner parses that
region, and only that, into the tree the converter walks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl

import lxml.etree
import lxml.html

from revue2md.dates import parse_date
from revue2md.errors import SourceError
from revue2md.models import Issue, Skipped
from revue2md.revue_urls import parse_issue_url, split_url
from revue2md.sources.archive_page import restore
from revue2md.sources.reading import read_text_noted
from revue2md.text import one_line

# Elements that never hold content; removing them here keeps the region small.
_JUNK = ("script", "style", "noscript", "meta", "link", "title", "head", "form", "input", "button")
_BYLINE = re.compile(r"^\s*(by\b.*)?issue\s*#\s*\d+\s*$", re.IGNORECASE | re.DOTALL)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
# Every page Revue served, and every browser save of it, ends with these tags.
_COMPLETE = re.compile(r"</(?:html|body)>(?:\s|<!--.*?-->)*$", re.IGNORECASE | re.DOTALL)


class WebSource:
    """One saved `.html` file: an issue page or an archive/e-mail page."""

    kind = "web"

    def __init__(self, path: Path):
        self.path = path

    def issues(self) -> Iterator[Issue | Skipped]:
        source = str(self.path)
        try:
            text, repaired = read_text_noted(self.path)
            issue = parse_page(text, source=source, base_dir=str(self.path.parent))
            yield replace(issue, notes=(*issue.notes, repaired)) if repaired else issue
        except SourceError as error:
            yield Skipped(source, str(error))


def parse_page(text: str, *, source: str, base_dir: str | None = None) -> Issue:
    """Find the issue in a saved page; raises SourceError when the page is not a Revue issue.

    A page saved from the web archive's player is first restored to the page Revue served.
    """
    text = restore(text)
    if not _COMPLETE.search(text[-4096:]):
        raise SourceError("incomplete page: it ends before </html> (a truncated download?)")
    markup = _XML_DECLARATION.sub("", text, count=1)
    try:
        # lxml reads UTF-8 bytes faster than a str (which it reads as UCS-4), to the same tree.
        data, parser = markup.encode("utf-8"), lxml.html.HTMLParser(encoding="utf-8")
    except UnicodeEncodeError:  # a lone surrogate: lxml reads the str as it is
        data, parser = markup, lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (lxml.etree.ParserError, ValueError) as error:
        raise SourceError(f"not an HTML page ({error})") from None
    if any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log):
        # libxml2 stops reading beyond its depth limit: refuse rather than lose the rest.
        raise SourceError("the page nests its elements too deeply to be read whole")
    frame = _first(root.xpath('//*[@id="issue-frame"]'))
    if frame is not None:
        return _issue_page(root, frame, source, base_dir)
    body = root.find("body")
    if body is not None and _is_revue_email(body):
        return _email_page(root, body, source, base_dir)
    raise SourceError("not a Revue issue page (no #issue-frame and no Revue e-mail markup)")


def _issue_page(root, frame, source: str, base_dir: str | None) -> Issue:
    header = _first(root.xpath('//*[@id="issue-display"]//header'))
    header = root if header is None else header
    title = _text(_first(header.xpath(".//h1"))) or _meta(root, "og:title") or _page_title(root)
    notes = []
    url = _issue_url(frame, root, notes)
    sent_at = None
    stamp = _first(header.xpath(".//time/@datetime"))
    if stamp:
        sent_at = parse_date(stamp)
        if sent_at is None:
            notes.append(f"date not understood: {stamp[:40]!r}")
    else:
        notes.append("no date in the source")
    if root.xpath('//*[@id="already-member"] | //*[contains(@class, "premium-issue-details")]'):
        notes.append("paid issue: the saved page may hold only the public part")
    description = _intro_text(frame) or _meta(root, "og:description") or None
    parsed = parse_issue_url(url)
    return Issue(
        source=source,
        html=_region_html(frame),
        template="email",
        id=parsed.id if parsed else None,
        title=title,
        sent_at=sent_at,
        description=description,
        url=url or None,
        base_dir=base_dir,
        notes=tuple(notes),
        meta_images=_meta_images(root),
    )


def _email_page(root, body, source: str, base_dir: str | None) -> Issue:
    url = issue_url_from_links(body)
    parsed = parse_issue_url(url)
    title = _email_title(body) or _share_text_title(body) or ""
    return Issue(
        source=source,
        html=_region_html(body),
        template="email",
        id=parsed.id if parsed else None,
        title=title,
        sent_at=None,
        description=_intro_text(body) or None,
        url=url,
        base_dir=base_dir,
        notes=("no date in the source",),
        meta_images=_meta_images(root),
    )


def _issue_url(frame, root, notes: list[str]) -> str | None:
    """The issue's URL from the most reliable signal the page has.

    In order: the issue's own links inside its content (share buttons, "View online"), then
    `<link rel=canonical>`, then `og:url`. The content is what becomes the page, so the id its
    own links give names what is written; the page's metadata can name another issue (seen
    on a saved page whose `og:url` was that of an earlier issue). A disagreement is a note.
    """
    signals = [("its share links", issue_url_from_links(frame)),
               ("its canonical link", _first(root.xpath('//link[@rel="canonical"]/@href'))),
               ("its og:url", _meta(root, "og:url") or None)]
    found = [(what, url.strip(), parse_issue_url(url)) for what, url in signals if url and url.strip()]
    with_id = [(what, url, parsed) for what, url, parsed in found if parsed is not None]
    if not with_id:
        return found[-1][1] if found else None
    chosen_what, _, parsed = with_id[0]
    for what, _, other in with_id[1:]:
        if other.id != parsed.id:
            notes.append(f"{what} names issue {other.id}, {chosen_what} {parsed.id}: the id of the content "
                         f"({parsed.id}) is kept")
    # Of the URLs naming that issue, the one that gives the most old paths (profile and slug),
    # metadata first.
    same = [(url, other) for _, url, other in reversed(with_id) if other.id == parsed.id]
    return next((url for url, other in same if other.profile and other.slug), same[0][0])


_REVUE_CLASS_PARTS = ("revue-p", "mj-column-per-100", "item-header", "item-text")


def _is_revue_email(body) -> bool:
    # A loop that stops at the first match: lxml's XPath would test every element of the page
    # even under boolean(), and Revue's classes come early.
    for element in body.iterdescendants(lxml.etree.Element):
        classes = element.get("class")
        if classes and any(part in classes for part in _REVUE_CLASS_PARTS):
            return True
    # boolean(): lxml answers without making a Python object of every element that matches.
    return bool(body.xpath('boolean(.//a[contains(@href, "getrevue.co") or contains(@href, "rev.vu/")])'))


def _region_html(region) -> str:
    lxml.etree.strip_elements(region, *_JUNK, with_tail=False)
    lxml.etree.strip_elements(region, lxml.etree.Comment, with_tail=False)
    inner = [lxml.html.tostring(child, encoding="unicode") for child in region]
    return (region.text or "") + "".join(inner)


def _bylines(region) -> Iterator:
    """The MJML e-mail's "By <name> • Issue #N" lines (a `div` or `td` of a few children)."""
    for element in region.iter("div", "td"):
        if len(element) <= 3 and _BYLINE.match(element.text_content() or ""):
            yield element


def _email_title(body) -> str:
    """In the MJML e-mail, the title is the row just before the byline."""
    for byline in _bylines(body):
        row = _ancestor(byline, "tr")
        previous = row.getprevious() if row is not None else None
        if previous is not None:
            return _text(previous)
    return ""


def _share_text_title(body) -> str:
    """The share-on-Twitter link carries `text=<title> by @<handle>`."""
    for href in body.xpath('.//a[contains(@href, "twitter.com/share")]/@href'):
        text = dict(parse_qsl(split_url(href).query)).get("text", "")
        if text:
            return one_line(re.sub(r"\s+by\s+@\w+\s*$", "", text))
    return ""


def issue_url_from_links(body) -> str | None:
    """The issue's own URL, from the share buttons or the "View online" link."""
    for href in body.xpath(".//a/@href"):
        parts = split_url(href)
        host = (parts.hostname or "").lower()
        candidates = []
        if "twitter.com" in host and parts.path.startswith("/share"):
            candidates.append(dict(parse_qsl(parts.query)).get("url"))
        elif "facebook.com" in host and "sharer" in parts.path:
            candidates.append(dict(parse_qsl(parts.query)).get("u"))
        elif "utm_content=view_in_browser" in parts.query:
            candidates.append(href.split("?", 1)[0])
        for candidate in candidates:
            if candidate and parse_issue_url(candidate):
                return candidate
    return None


def _intro_text(region) -> str:
    """The issue's intro paragraphs as one line: classic `td.description`, or the MJML intro."""
    intro = _first_with_class(region.iterdescendants("td"), "description")
    if intro is None:
        first_p = _first_with_class(region.iterdescendants(lxml.etree.Element), "revue-p")
        byline = next(_bylines(region), None) if first_p is not None else None
        if byline is None:
            return ""
        table = _ancestor(byline, "table")
        if table is None or _ancestor(first_p, "table") is not table:
            return ""
        intro = first_p.getparent()
    paragraphs = intro.xpath('.//*[contains(concat(" ", @class, " "), " revue-p ")]') or [intro]
    return one_line(" ".join(p.text_content() for p in paragraphs))


def _first_with_class(elements, name: str):
    """The first element whose class attribute, split at spaces, holds `name` (as XPath's
    `contains(concat(" ", @class, " "), " name ")` says), without testing the rest."""
    word = f" {name} "
    for element in elements:
        classes = element.get("class")
        if classes and word in f" {classes} ":
            return element
    return None


def _meta(root, prop: str) -> str:
    value = _first(root.xpath(f'//meta[@property="{prop}"]/@content'))
    return one_line(value) if value else ""


def _meta_images(root) -> tuple[str, ...]:
    return tuple(dict.fromkeys(url.strip() for url in root.xpath('//meta[@property="og:image"]/@content')
                               if url.strip()))


def _page_title(root) -> str:
    title = _text(_first(root.xpath("//title")))
    return re.sub(r"\s*\|\s*Revue\s*$", "", title)


def _text(element) -> str:
    return one_line(element.text_content()) if element is not None else ""


def _first(values):
    return values[0] if values else None


def _ancestor(element, tag: str):
    for parent in element.iterancestors(tag):
        return parent
    return None
