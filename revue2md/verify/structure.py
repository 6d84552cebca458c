"""Did a page keep its source's structure? Blocks, items and nesting, the source against the page.

Words, links and images (`fidelity`) can all survive while the shape is lost: sub-items
shown as top-level bullets, a link card run together on one line, a tweet without its
author. Three comparisons, each with a source side that does not trust the converter:

- blocks of the cleaned tree against blocks of the rendered page, per kind: headings (level,
  text), paragraphs, list items (depth), quotes (depth), dividers, data tables, images (alt
  text, caption); a lost block is one whose text is not a block of that kind on the page;
- link items and tweets read from the source markup itself (`revue_items`): each must be on
  the page whole (a bold title link with its domain and description, a thumbnail with alt
  text; a tweet's text (one paragraph), display name, handle, date and link);
- a video item with a caption: its link on the page, not only in the player's shortcode;
- Revue's chrome left on the page (`chrome_left`).

Every finding is a `StructureLoss`, plain data for reports to list or highlight.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from bs4 import Tag

from revue2md import embeds
from revue2md.canonical import EMBED, LINK
from revue2md.verify import blocks as b
from revue2md.verify.chrome_left import chrome_left
from revue2md.verify.fidelity import normalise_url
from revue2md.verify.losses import StructureLoss
from revue2md.verify.rendered import RenderedPage
from revue2md.verify.revue_items import LinkItem, SourceItems, TweetItem

_X_SHORTCODE = re.compile(r"\{\{<\s*x\s+user=\"(\w+)\"\s+id=\"(\d+)\"\s*>\}\}")


def structure_losses(page: str, tree: Tag, items: SourceItems, rendered: RenderedPage,
                     local: dict[str, str] | None = None, tweets_as_shortcodes: bool = False,
                     chrome: bool = True) -> tuple[StructureLoss, ...]:
    """Everything of the source's structure the page lost or changed, in a stable order.

    `tree` is the cleaned source tree the page was converted from, `items` the link items and
    tweets of its source markup, `local` maps image URLs to the local files the page shows.
    """
    found = [*_block_losses(page, b.read_blocks(tree, b.is_tree_marker),
                            b.read_blocks(rendered.root, b.is_page_tweet)),
             *_image_losses(page, tree, rendered.root, local or {}),
             *_link_item_losses(page, items.links, rendered.root),
             *_tweet_losses(page, items.tweets, rendered, tweets_as_shortcodes),
             *_video_link_losses(page, tree, rendered.root)]
    if chrome:
        found += chrome_left(page, rendered)
    return tuple(found)


# --- blocks ----------------------------------------------------------------------------------


def _block_losses(page: str, source: list[b.Block], shown: list[b.Block]) -> list[StructureLoss]:
    losses = []
    by_kind: dict[str, list[b.Block]] = {}
    for block in shown:
        by_kind.setdefault(block.kind, []).append(block)
    streams = {kind: _stream(blocks) for kind, blocks in by_kind.items()}
    for kind in (b.HEADING, b.PARAGRAPH, b.LIST_ITEM, b.QUOTE):
        expected = [block for block in source if block.kind == kind and block.text]
        if not expected:
            continue
        page_blocks = [block for block in by_kind.get(kind, []) if block.text]
        matcher = SequenceMatcher(None, [block.text for block in expected], [block.text for block in page_blocks],
                                  autojunk=False)
        matched = set()
        for tag, i1, i2, j1, _ in matcher.get_opcodes():
            if tag != "equal":
                continue
            for offset in range(i2 - i1):
                matched.add(i1 + offset)
                want, got = expected[i1 + offset], page_blocks[j1 + offset]
                if kind != b.PARAGRAPH and want.depth != got.depth:
                    losses.append(StructureLoss(page, kind, want.text, got.text, _depth_change(kind, want, got)))
        for index, block in enumerate(expected):
            if index in matched or _within(block.text, streams.get(kind, "")):
                continue
            now = next((other for other in (b.PARAGRAPH, b.HEADING, b.LIST_ITEM, b.QUOTE, b.TABLE)
                        if other != kind and _within(block.text, streams.get(other, ""))), None)
            what = f"not a {kind} on the page" + (f": it is in a {now}" if now else "")
            losses.append(StructureLoss(page, kind, block.text, "", what))
    for kind, noun in ((b.DIVIDER, "divider"), (b.TABLE, "table")):
        wanted = sum(1 for block in source if block.kind == kind)
        there = len(by_kind.get(kind, ()))
        if there < wanted:
            losses.append(StructureLoss(page, kind, "", "", f"{wanted - there} of {wanted} {noun}s of the source "
                                        "are not on the page"))
    return losses


def _depth_change(kind: str, want: b.Block, got: b.Block) -> str:
    if kind == b.HEADING:
        return f"a level {want.depth} heading in the source, level {got.depth} on the page"
    what = "list depth" if kind == b.LIST_ITEM else "quote depth"
    return f"{what} {want.depth} in the source, {got.depth} on the page"


def _stream(blocks: Iterable[b.Block]) -> str:
    return " " + " | ".join(block.text for block in blocks if block.text) + " "


def _within(text: str, stream: str) -> bool:
    """Are `text`'s words, in order and side by side, in `stream` (blocks may be split or joined)?"""
    return f" {text} " in stream.replace(" | ", " ") if text else True


# --- images ----------------------------------------------------------------------------------


def _image_losses(page: str, tree: Tag, shown: Tag, local: dict[str, str]) -> list[StructureLoss]:
    relinked = {normalise_url(url): file for url, file in local.items()}
    on_page: dict[str, list[Tag]] = {}
    for image in shown.find_all("img", src=True):
        on_page.setdefault(normalise_url(image["src"]), []).append(image)
    losses = []
    for image in tree.find_all("img", src=True):
        src = image["src"].strip()
        if not src or image.find_parent(b.is_tree_marker) is not None:
            continue
        if image.find_parent("div", class_=LINK) is not None:
            continue  # a link item's thumbnail: compared with the source's link item
        key = normalise_url(src)
        candidates = on_page.get(normalise_url(relinked.get(key, src))) or []
        if not candidates:
            continue  # a missing image is lost content (`fidelity`)
        found = candidates.pop(0)
        alt, caption = " ".join(b.text_words(image.get("alt") or "")), ""
        figure = image.find_parent("figure")
        if figure is not None and figure.find("figcaption") is not None:
            caption = " ".join(b.words(figure.find("figcaption")))
        expected = alt or caption
        page_alt = " ".join(b.text_words(found.get("alt") or ""))
        label = caption or alt or src
        if expected and not _within(expected, f" {page_alt} "):
            losses.append(StructureLoss(page, "image", label, page_alt, f"lost its alt text {expected!r}"))
        if caption and not _within(caption, f" {_caption_after(found)} "):
            losses.append(StructureLoss(page, "image", label, "", "caption lost: it is not under the image"))
    return losses


def _caption_after(image: Tag) -> str:
    block = image
    while block.parent is not None and block.name != "p":
        block = block.parent
    following = block.find_next_sibling()
    return " ".join(b.words(following)) if following is not None and following.name == "p" else ""


# --- link items ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PageLink:
    title: str
    title_line: str
    region: str  # the words of the item: its title paragraph and the paragraphs after it
    thumbnail_alt: str | None  # None: no thumbnail


def _page_link_items(root: Tag) -> list[_PageLink]:
    found = []
    for paragraph in root.find_all("p"):
        strong = _leading_bold_link(paragraph)
        if strong is None:
            continue
        line, before_break = [], True
        for node in paragraph.children:
            if isinstance(node, Tag) and node.name == "br":
                before_break = False
            if before_break:
                line.append(node)
        title_line = " ".join(word for node in line for word in _node_words(node))
        region = list(b.words(paragraph, urls=False))
        for sibling in paragraph.next_siblings:
            if not isinstance(sibling, Tag):
                continue
            if sibling.name != "p" or _leading_bold_link(sibling) is not None or _only_image(sibling):
                break
            region += b.words(sibling, urls=False)
        found.append(_PageLink(" ".join(b.words(strong)), title_line, " ".join(region), _thumbnail_alt(paragraph)))
    return found


def _leading_bold_link(paragraph: Tag) -> Tag | None:
    first = next((node for node in paragraph.children if isinstance(node, Tag) or node.strip()), None)
    if not isinstance(first, Tag) or first.name != "strong":
        return None
    inner = next((node for node in first.children if isinstance(node, Tag) or node.strip()), None)
    return first if isinstance(inner, Tag) and inner.name == "a" else None


def _only_image(paragraph: Tag) -> bool:
    return paragraph.find("img") is not None and not paragraph.get_text().strip()


def _thumbnail_alt(paragraph: Tag) -> str | None:
    previous = paragraph.find_previous_sibling()
    if previous is None or previous.name != "p" or not _only_image(previous):
        return None
    return " ".join(b.text_words(previous.find("img").get("alt") or ""))


def _node_words(node) -> tuple[str, ...]:
    if isinstance(node, Tag):
        return b.words(node, urls=False)
    return b.text_words(str(node), urls=False)


def _link_item_losses(page: str, items: tuple[LinkItem, ...], root: Tag) -> list[StructureLoss]:
    if not items:
        return []
    shown = _page_link_items(root)
    page_words = " " + " ".join(b.words(root)) + " "
    losses = []
    for item in items:
        title = " ".join(b.text_words(item.title))
        if not title:
            continue
        match = next((link for link in shown if link.title == title), None)
        if match is None:
            what = ("not a link item on the page: its title is not a bold link" if _within(title, page_words)
                    else "not on the page")
            losses.append(StructureLoss(page, "link item", item.title, "", what))
            continue
        shown.remove(match)
        lost = []
        domain = " ".join(b.text_words(item.domain))
        if domain and domain.casefold() != title.casefold() and not _within(domain, f" {match.title_line} "):
            lost.append(f"its domain {item.domain!r}")
        description = " ".join(b.text_words(item.description, urls=False))
        if description and not _within(description, f" {match.region} "):
            lost.append("its description (not under the title)")
        if item.thumbnail and match.thumbnail_alt is not None:  # a thumbnail not copied is lost content
            alt = " ".join(b.text_words(item.alt)) or title
            if not _within(alt, f" {match.thumbnail_alt} "):
                own = f" {item.alt!r}" if item.alt and item.alt != item.title else ""
                lost.append(f"its thumbnail's alt text{own}")
        if lost:
            losses.append(StructureLoss(page, "link item", item.title, match.title_line, "lost " + ", ".join(lost)))
    return losses


# --- tweets ----------------------------------------------------------------------------------


def _tweet_losses(page: str, tweets: tuple[TweetItem, ...], rendered: RenderedPage,
                  as_shortcodes: bool) -> list[StructureLoss]:
    if not tweets:
        return []
    shown: dict[str, str] = {}
    paragraphs: dict[str, list[str]] = {}
    for quote in rendered.root.find_all("blockquote"):
        if not b.is_page_tweet(quote):
            continue
        for anchor in quote.find_all("a", href=True):
            tweet = embeds.tweet(anchor["href"])
            if tweet is not None:
                shown.setdefault(tweet.id, " " + " ".join(b.words(quote, urls=False)) + " ")
                paragraphs.setdefault(tweet.id, [" " + " ".join(b.words(p, urls=False)) + " "
                                                 for p in quote.find_all("p")])
    shortcodes = {match.group(2): match.group(1) for match in _X_SHORTCODE.finditer(rendered.markdown)}
    losses = []
    for tweet in tweets:
        label = tweet.text or tweet.url
        if as_shortcodes and tweet.id in shortcodes:
            continue
        quote = shown.get(tweet.id)
        if quote is None:
            losses.append(StructureLoss(page, "tweet", label, "", "not on the page as a tweet"))
            continue
        lost = [what for what, value in (("text", tweet.text), ("display name", tweet.name),
                                         ("handle", tweet.handle), ("date", tweet.date))
                if value and not _within(" ".join(b.text_words(value, urls=False)), quote)]
        if lost:
            losses.append(StructureLoss(page, "tweet", label, quote.strip(), "lost its " + ", ".join(lost)))
        elif tweet.text and not any(_within(" ".join(b.text_words(tweet.text, urls=False)), paragraph)
                                    for paragraph in paragraphs.get(tweet.id, ())):
            losses.append(StructureLoss(page, "tweet", label, quote.strip(),
                                        "its text is split into several paragraphs"))
    return losses


# --- videos ----------------------------------------------------------------------------------


def _video_link_losses(page: str, tree: Tag, shown: Tag) -> list[StructureLoss]:
    """A video item with a caption keeps its link on the page (the caption links to the video),
    not only in the player's shortcode."""
    videos = [marker for marker in tree.find_all("div", class_=EMBED)
              if embeds.is_video(marker.get("data-url") or "") and marker.get_text(strip=True)]
    if not videos:
        return []
    linked = {normalise_url(anchor["href"]) for anchor in shown.find_all("a", href=True)}
    return [StructureLoss(page, "video", " ".join(marker.get_text(" ").split()), "",
                          "its link is not on the page, only the player")
            for marker in videos if normalise_url(marker["data-url"]) not in linked]
