"""Revue's chrome still on a page: its own phrases, header and footer lines, links, and table debris.

Read from the page alone, so a cleaner that missed the chrome cannot hide it. Only Revue's
exact wording and forms count (a whole "View online" line, "Created with Revue", the
"Month D · Issue #N ·" line, a by-line heading over the footer, links to rev.vu or to the
Revue profile, on a line of links and separators only), never a sentence of the author's
that merely mentions Revue or links to rev.vu. E-mail layout
written as markdown leaves lines starting with `|` that are no table, and `\\|` escapes.
"""

from __future__ import annotations

import re

from bs4 import Tag

from revue2md.clean.treewalk import own_text
from revue2md.revue_urls import split_url
from revue2md.text import separators_only
from revue2md.verify.blocks import HEADINGS
from revue2md.verify.losses import StructureLoss
from revue2md.verify.rendered import RenderedPage

_PHRASES = re.compile(
    r"Created with Revue|Powered by Revue|If you were forwarded this newsletter"
    r"|If you don.t want these updates anymore|Did you enjoy this issue\?|please unsubscribe here",
    re.IGNORECASE,
)
_VIEW_ONLINE = re.compile(r"[\W_]*view (?:it )?online[\W_]*", re.IGNORECASE)
_ISSUE_LINE = re.compile(
    r"[\W_]*(?:By\b.{1,80}?[·•|]\s*|[A-Z][a-z]+\.?\s+\d{1,2}(?:,\s*\d{4})?\s*[·•|–-]\s*)"
    r"Issue\s*#\s*\d+[\s·•|]*(?:View online[\s·•|]*)?",
)
_TABLE_DEBRIS = re.compile(r"^\s*(?:>\s*)*\\?\|")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_REVUE_HOSTS = frozenset({"getrevue.co", "www.getrevue.co", "revue.email"})
_PROFILE_HOME = re.compile(r"^/profile/[^/]+/?$")
_ISSUE_PATH = re.compile(r"^/profile/[^/]+/issues/[^/]+")
_LINE_BLOCKS = ("p", "li", *sorted(HEADINGS))
_EDGE = 3  # header and footer lines are among the first and last blocks of a page


def chrome_left(page: str, rendered: RenderedPage) -> list[StructureLoss]:
    found = [*_chrome_blocks(page, rendered.root), *_chrome_links(page, rendered.root)]
    return found + _table_debris(page, rendered)


def _chrome_blocks(page: str, root: Tag) -> list[StructureLoss]:
    blocks = root.find_all(_LINE_BLOCKS)
    found = []
    for index, block in enumerate(blocks):
        text = " ".join(block.get_text(" ").split())
        at_edge = index < _EDGE or index >= len(blocks) - _EDGE
        what = None
        if phrase := _PHRASES.search(text):
            what = f"Revue's footer line ({phrase.group(0)!r})"
        elif _VIEW_ONLINE.fullmatch(text):
            what = "Revue's \"View online\" link"
        elif _ISSUE_LINE.fullmatch(text):
            what = "Revue's date and issue number line"
        elif _is_by_line(block, text) and (at_edge or _links_to_revue(block)):
            what = "Revue's by-line over the footer"
        elif at_edge and _only_a_revue_issue_link(block, text):
            what = "Revue's header line linking the issue on Revue"
        if what:
            found.append(StructureLoss(page, "chrome", "", text, what))
    return found


def _chrome_links(page: str, root: Tag) -> list[StructureLoss]:
    found = []
    sentences: dict[int, bool] = {}
    for anchor in root.find_all("a", href=True):
        host, path = _host_and_path(anchor["href"])
        if host == "rev.vu":
            what = "a Revue share link (rev.vu)"
        elif host in _REVUE_HOSTS and (path in ("", "/") or _PROFILE_HOME.match(path)):
            what = "a link to the newsletter's Revue profile"
        else:
            continue
        if _in_a_sentence(anchor, sentences):
            continue  # the author's own words link there: content, not Revue's share line
        found.append(StructureLoss(page, "chrome", "", f"{anchor.get_text(' ').strip()} -> {anchor['href']}", what))
    return found


def _table_debris(page: str, rendered: RenderedPage) -> list[StructureLoss]:
    found = []
    for number, line in enumerate(rendered.markdown.split("\n")):
        if number in rendered.table_lines or number in rendered.code_lines:
            continue
        if _TABLE_DEBRIS.match(line):
            found.append(StructureLoss(page, "chrome", "", line.strip(), "a line starting with `|` that is no table"))
        elif "\\|" in _CODE_SPAN.sub("", line):
            found.append(StructureLoss(page, "chrome", "", line.strip(), "an escaped `\\|` left from e-mail layout"))
    return found




def _in_a_sentence(anchor: Tag, sentences: dict[int, bool]) -> bool:
    """Is the link in a line that holds words of its own, outside links (an author's sentence)?
    Revue's share and profile lines are links and separators only. Read once per line."""
    block = anchor.find_parent(_LINE_BLOCKS)
    if block is None:
        return False
    if id(block) not in sentences:
        sentences[id(block)] = _holds_own_words(block)
    return sentences[id(block)]


def _holds_own_words(block: Tag) -> bool:
    text = " ".join(block.get_text(" ").split())
    if _PHRASES.search(text) or _is_by_line(block, text):
        return False  # a line of Revue's own footer
    return not separators_only(own_text(block, _LINE_BLOCKS))


def _is_by_line(block: Tag, text: str) -> bool:
    """`By <name>` over Revue's footer: a heading, or a line that is nothing but that and the name's link."""
    if not text.startswith("By "):
        return False
    if block.name in HEADINGS:
        return True
    anchors = block.find_all("a", href=True)
    return len(anchors) == 1 and text == "By " + " ".join(anchors[0].get_text(" ").split())


def _links_to_revue(block: Tag) -> bool:
    return any(_host_and_path(anchor["href"])[0] in _REVUE_HOSTS for anchor in block.find_all("a", href=True))


def _only_a_revue_issue_link(block: Tag, text: str) -> bool:
    anchors = block.find_all("a", href=True)
    if len(anchors) != 1 or " ".join(anchors[0].get_text(" ").split()) != text:
        return False
    host, path = _host_and_path(anchors[0]["href"])
    return host in _REVUE_HOSTS and bool(_ISSUE_PATH.match(path))


def _host_and_path(href: str) -> tuple[str, str]:
    try:
        parts = split_url(href.strip())
    except ValueError:
        return "", ""
    return (parts.hostname or "").lower(), parts.path
