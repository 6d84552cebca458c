"""Revue's page chrome in the e-mail HTML: what is not the issue, and how to remove it.

The e-mail templates (classic tables and MJML) surround the items with a header (date and
"Issue #N" line, "View online", the cover image, the title and by-line) and a footer
("Did you enjoy this issue?", share buttons, unsubscribe and forwarding notes, "Powered by
Revue", the postal address). The footer always comes last, so it is cut from its first
marker to the end; header pieces are removed one by one.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote_plus

from bs4 import NavigableString, Tag

from revue2md.clean import tree_edit, treewalk
from revue2md.revue_urls import REVUE_HOSTS, is_profile_home, parse_issue_url, split_url
from revue2md.text import one_line, separators_only

# Classes of elements that hold the author's content, never chrome.
CONTENT_CLASSES = frozenset(
    {"revue-p", "revue-blockquote", "item-header", "item-text", "item-link-title",
     "item-link-description", "link-title", "link-description", "header-text", "description",
     "link-image", "r2m-link", "r2m-figure"}
)
_FOOTER_MARKERS = re.compile(
    r"Did you enjoy this issue|If you don.t want these updates|If you were forwarded this newsletter"
    r"|Carefully curated by|You (?:are|.re) receiving this",
    re.IGNORECASE,
)
_POWERED_BY = re.compile(r"^\s*Powered by\s*$", re.IGNORECASE)
_ISSUE_LINE = re.compile(
    r"^[\W_]*(?:by\b[^#]*?)?(?:[A-Z][a-z]+\.?\s+\d{1,2}(?:,\s*\d{4})?[\W_]*)?issue\s*#\s*\d+[\W_]*$",
    re.IGNORECASE,
)
_REVUE_UTM_CONTENT = frozenset(
    {"view_in_browser", "profileimage", "profilename", "share", "domain", "forwarded", "footerlink", "cover",
     "unsubscribe", "issue_title"}
)
_SHARE_ENDPOINTS = (
    ("twitter.com", "/share"), ("twitter.com", "/intent"), ("x.com", "/intent"),
    ("facebook.com", "/sharer"), ("linkedin.com", "/share"), ("linkedin.com", "/shareArticle"),
)
# What only one subscriber's copy of an e-mail holds: links to leave the list or manage it,
# open-tracking images, and query keys naming the subscriber in links to Revue itself.
_SUBSCRIPTION_PATH = re.compile(
    r"/(?:unsubscribe|unsub|opt-?out|manage[-_]?subscriptions?|(?:email|subscription)[-_]?preferences)"
    r"(?:[/.?]|$)",
    re.IGNORECASE,
)
_OPEN_TRACKING = re.compile(r"/(?:wf/open|track/open(?:\.php)?|open\.(?:gif|png|php|aspx?))(?:[/?]|$)",
                            re.IGNORECASE)
_PERSONAL_KEY = re.compile(r"token|subscriber|member|e-?mail|uid|sid|signature|auth|hash|key", re.IGNORECASE)
_PIXEL_SIZE = re.compile(r"(width|height)\s*:\s*(\d+(?:\.\d+)?)px", re.IGNORECASE)


def is_chrome_link(href: str) -> bool:
    """Links Revue added around the content: share buttons, rev.vu, profile and footer links."""
    parts = split_url(href)
    host = (parts.hostname or "").lower()
    if host == "rev.vu":
        return True
    if _SUBSCRIPTION_PATH.search(parts.path) or (parts.scheme.lower() == "mailto"
                                                 and "unsubscribe" in parts.query.lower()):
        return True
    if any(host.endswith(domain) and parts.path.startswith(path) for domain, path in _SHARE_ENDPOINTS):
        return True
    query = dict(parse_qsl(parts.query))
    if query.get("utm_campaign") == "Issue" and query.get("utm_content") in _REVUE_UTM_CONTENT:
        return True
    if host in REVUE_HOSTS and (parts.path in ("", "/") or is_profile_home(href)):
        return True
    return host in REVUE_HOSTS and parse_issue_url(href) is not None and href.rstrip().endswith("#")


def cut_footer(root: Tag) -> None:
    """Remove comments, hidden preheader text, tracking pixels, and the footer, in place."""
    _drop_hidden(root)
    _cut_footer(root)


def drop_chrome(root: Tag, title: str = "") -> None:
    """Remove Revue's links, cover image and header lines from the e-mail HTML, in place.

    Run after the items are canonical: link items read their domain from links that are
    chrome themselves (`rev.vu` with `utm_content=domain`).
    """
    sentences: dict[int, tuple[Tag, bool]] = {}  # per line block: does it hold words outside links?
    chrome: list[Tag] = []
    for element in treewalk.tags(root):
        if element.name == "a" and element.attrs.get("href") is not None:
            if ((is_chrome_link(element["href"]) and not _in_authors_sentence(element, sentences))
                    or _is_view_online(element)):
                chrome.append(element)
            else:
                element["href"] = without_personal_tokens(element["href"])
        elif element.name == "img" and any(part in element.attrs.get("src", "") for part in _COVER_PATHS):
            chrome.append(element)
    _remove_all_and_tidy(chrome)
    _drop_header_lines(root, title)


_SENTENCE_BLOCKS = frozenset({"p", "li", "div", "td", "th", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"})


def _in_authors_sentence(link: Tag, sentences: dict[int, tuple[Tag, bool]]) -> bool:
    """A link the author wrote into a sentence (to rev.vu, to their Revue profile, a share
    link): its line holds words outside any link. Revue's own share and profile lines hold
    only links and separators, and Revue's generated links say so (`utm_campaign=Issue`)."""
    parts = split_url(link["href"])
    if (dict(parse_qsl(parts.query)).get("utm_campaign") == "Issue" or _SUBSCRIPTION_PATH.search(parts.path)
            or parts.scheme.lower() == "mailto"):
        return False  # Revue's own links, and subscription links (they carry the reader's token)
    block = next((parent for parent in link.parents if parent.name in _SENTENCE_BLOCKS), None)
    if block is None:
        return False
    # Removing links leaves a block's own words as they are: one reading per block keeps a
    # block of thousands of links linear.
    if id(block) not in sentences:  # the block is kept with its answer, so its id stays its own
        sentences[id(block)] = (block, not separators_only(treewalk.own_text(block, _SENTENCE_BLOCKS)))
    return sentences[id(block)][1]


_COVER_PATHS = ("/profile_covers/", "/profiles/images/")
_VIEW_ONLINE = re.compile(r"^view (?:it )?online$|^view in (?:your )?browser$", re.IGNORECASE)


def _is_view_online(link: Tag) -> bool:
    """Revue's "View online" link, wherever a saved copy made it point, outside the content."""
    return _VIEW_ONLINE.match(one_line(link.get_text())) is not None and not _inside_content(link)
_LINE_BLOCKS = ("div", "td", "p", "span", "th")
_KEEP_CONTAINER = frozenset({"img", "iframe", "hr", "video", "a"})
_TIDY_CONTAINERS = (*_LINE_BLOCKS, "strong", "b", "em", "i")


def _remove_all_and_tidy(elements: list[Tag]) -> None:
    """Remove `elements`; then remove their containers that held nothing but them and separators.

    Removal goes parent by parent, last child first, with each child's position read once
    (`tree_edit.extract_at`). Containers are looked at afterwards, once each.
    """
    groups: dict[int, tuple[Tag, list[Tag]]] = {}
    for element in elements:
        if element.parent is not None:
            groups.setdefault(id(element.parent), (element.parent, []))[1].append(element)
    for parent, children in groups.values():
        if parent.parent is None and parent.decomposed:
            continue  # inside an element removed before
        position = {id(child): index for index, child in enumerate(parent.contents)}
        for child in sorted(children, key=lambda child: position[id(child)], reverse=True):
            tree_edit.extract_at(child, position[id(child)])
            child.decompose()
    for parent, _ in groups.values():
        if not parent.decomposed:
            _tidy(parent)


def _tidy(parent: Tag | None) -> None:
    """Remove `parent` and its containers while they hold nothing but separators."""
    while parent is not None and parent.name in _TIDY_CONTAINERS:
        if treewalk.first_of(parent, _KEEP_CONTAINER) is not None:
            break
        if not separators_only(parent.get_text()):
            break
        grandparent = parent.parent
        parent.decompose()
        parent = grandparent


def _drop_hidden(root: Tag) -> None:
    for comment in treewalk.comments(root):
        comment.extract()
    for element in treewalk.tags(root):
        if element.parent is None:
            continue
        style = element.attrs.get("style")
        if style:
            style = style.replace(" ", "").lower()
            if "display:none" in style or "max-height:0" in style:
                element.decompose()
                continue
        if element.name == "img" and is_tracking_pixel(element):
            element.decompose()


def is_tracking_pixel(image: Tag) -> bool:
    """An image no reader sees (1x1 or smaller), or one an e-mail service counts opens with."""
    sizes = {name: image.get(name) for name in ("width", "height")}
    for name, value in _PIXEL_SIZE.findall(image.get("style") or ""):
        sizes[name.lower()] = value
    small = all(_number(sizes[name]) is not None and _number(sizes[name]) <= 1 for name in sizes)
    return small or _OPEN_TRACKING.search(image.get("src") or "") is not None


def _number(value) -> float | None:
    try:
        return float(str(value).strip().removesuffix("px"))
    except (TypeError, ValueError):
        return None


def without_personal_tokens(href: str) -> str:
    """A link to Revue without the query keys that name one subscriber (`token`, `subscriber_id`, ...)."""
    query_start = href.find("?")
    if query_start < 0:
        return href
    try:
        host = (split_url(href).hostname or "").lower()
    except ValueError:
        return href
    if host not in REVUE_HOSTS and host != "rev.vu":
        return href
    fragment_start = href.find("#", query_start)
    fragment_start = len(href) if fragment_start < 0 else fragment_start
    parts = href[query_start + 1:fragment_start].split("&")
    kept = [part for part in parts if part and not _PERSONAL_KEY.search(unquote_plus(part.split("=", 1)[0]))]
    if len(kept) == len([part for part in parts if part]):
        return href
    return href[:query_start] + ("?" + "&".join(kept) if kept else "") + href[fragment_start:]


def _cut_footer(root: Tag) -> None:
    marker = None
    for text in treewalk.texts(root):
        is_marker = ((_may_mark_footer(text) and _FOOTER_MARKERS.search(text))
                     or (_POWERED_BY.match(text) and _next_link_is_revue(text)))
        if (is_marker or _is_author_byline(text)) and not _inside_content(text):
            marker = text
            break
    if marker is None:
        return
    row = _outermost_chrome_ancestor(marker, root)
    node = row
    while node is not None and node is not root:
        for sibling in list(node.next_siblings):
            sibling.extract()
        node = node.parent
    row.extract()


def _may_mark_footer(text: str) -> bool:
    """Every phrase of _FOOTER_MARKERS holds "you" or "curated": other text needs no search."""
    lowered = text.lower()
    return "you" in lowered or "curated" in lowered


def _is_author_byline(text: NavigableString) -> bool:
    """The footer's author block: "By <a>Name</a>" linked to the profile with Revue's
    `utm_content=profilename`, with none of the issue's content after it."""
    if text.strip().casefold() != "by":
        return False
    link = text.next_sibling
    while link is not None and not isinstance(link, Tag) and not link.strip():
        link = link.next_sibling
    if not isinstance(link, Tag) or link.name != "a":
        return False
    query = dict(parse_qsl(split_url(link.get("href") or "").query))
    if query.get("utm_content") != "profilename":
        return False
    return not any(CONTENT_CLASSES.intersection(element.get("class") or ())
                   for element in text.next_elements if type(element) is Tag)


def _drop_header_lines(root: Tag, title: str) -> None:
    """The "Month D · Issue #N" or "By <name> • Issue #N" line, and the title repeated in the e-mail."""
    all_texts = treewalk.texts(root)
    for text in all_texts:
        if not _ISSUE_NUMBER.search(text) or _destroyed(text):
            continue
        block = _line_block(text)
        if block is not None and _ISSUE_LINE.match(one_line(block.get_text(" "))):
            block.decompose()
    wanted = one_line(title).casefold()
    if not wanted:
        return
    for text in all_texts:
        if _destroyed(text):
            continue
        if one_line(text).casefold() != wanted:
            continue
        block = _line_block(text)
        if block is not None and one_line(block.get_text(" ")).casefold() == wanted:
            block.decompose()
        return


def _destroyed(node) -> bool:
    """A node inside an element removed earlier in the same walk (bs4 empties decomposed nodes)."""
    return getattr(node, "parent", None) is None


_ISSUE_NUMBER = re.compile(r"issue\s*#\s*\d+", re.IGNORECASE)


def _line_block(text: NavigableString) -> Tag | None:
    """The nearest block around a text node, unless it is (or is inside) the author's content."""
    for parent in text.parents:
        if not isinstance(parent, Tag) or CONTENT_CLASSES.intersection(parent.get("class") or ()):
            return None
        if parent.name in _LINE_BLOCKS and parent.name != "span":
            return None if _inside_content(parent) else parent
    return None


def _outermost_chrome_ancestor(node, root: Tag):
    """The highest ancestor of `node` (below `root`) that holds no content element.

    Each ancestor holds the one below it, already found free of content: only its own
    classes and its other children are looked at, not the whole subtree again.
    """
    best = below = node
    for parent in node.parents:
        if parent is root or parent is None or _holds_content_besides(parent, below):
            break
        best = below = parent
    return best


def _holds_content_besides(element: Tag, checked) -> bool:
    """Does `element`, or a child of it other than `checked` (or a descendant of one), carry a content class?"""
    if CONTENT_CLASSES.intersection(element.get("class") or ()):
        return True
    return any(child is not checked and type(child) is Tag
               and (CONTENT_CLASSES.intersection(child.attrs.get("class") or ())
                    or treewalk.has_class(child, CONTENT_CLASSES))
               for child in element.contents)


def _inside_content(node) -> bool:
    return any(CONTENT_CLASSES.intersection(parent.get("class") or ()) for parent in node.parents
               if isinstance(parent, Tag))


def _next_link_is_revue(text: NavigableString) -> bool:
    link = treewalk.next_sibling_named(text, "a")
    return link is not None and "getrevue.co" in (link.get("href") or "")
