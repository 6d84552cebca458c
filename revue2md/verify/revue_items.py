"""Revue's link items and tweets as the source markup states them, read without the cleaner.

`check` compares a page with the cleaned tree it was made from; an item the cleaner read
wrongly (a tweet without its author, a link card it did not recognise) is wrong in both, so
the two would agree. These items are therefore read a second time, here, straight from the
source's own markup in every dialect, with nothing from `revue2md.clean`:

- link items: the API's `<strong style="display: block"><a>TITLE</a> — <a>domain</a></strong>`
  (thumbnail `<img alt>` before it, description after), the classic e-mail's
  `span.item-link-title` / `div.domain` / `div.item-link-description`, the MJML e-mail's
  `div.link-title` / `div.link-description` (or `small-text`) / `div.link-url`, with an
  `img.link-image` or 112/140 pixel thumbnail before them;
- tweets: the e-mail link cards to a status (`embeds.tweet_card`), Twitter's
  `<blockquote class="twitter-tweet">` (text, `— Name (@handle)`, date
  linked to the status), Revue's `[tweet URL]`, and tweet markers holding a ZIP item's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from revue2md import embeds
from revue2md.canonical import TWEET
from revue2md.verify.blocks import collect_text

_SPACES = re.compile(r"\s+")
_TWEET_SHORTCODE = re.compile(r"\[tweet\s+([^\]\s]+)\s*\]", re.IGNORECASE)
_ATTRIBUTION = re.compile(r"^[\s—–-]*(?P<name>.*?)\s*\(@(?P<handle>\w{1,30})\)\s*(?P<rest>.*)$", re.DOTALL)
_THUMB_WIDTHS = ("112", "140")
_TITLE_CLASSES = frozenset({"link-title", "item-link-title"})
_DESCRIPTION_CLASSES = frozenset({"link-description", "item-link-description", "small-text"})
_DOMAIN_CLASSES = frozenset({"link-url", "domain"})
# Cheap signs that a source holds any item read here; most API issues hold none.
_SIGNS = ("link-title", "display", "twitter-tweet", "[tweet", TWEET)


@dataclass(frozen=True)
class LinkItem:
    title: str
    description: str
    domain: str
    thumbnail: bool = False
    alt: str = ""  # the thumbnail's own alt text


@dataclass(frozen=True)
class TweetItem:
    id: str
    url: str
    text: str = ""
    name: str = ""
    handle: str = ""
    date: str = ""


@dataclass(frozen=True)
class SourceItems:
    links: tuple[LinkItem, ...] = ()
    tweets: tuple[TweetItem, ...] = ()


def source_items(source_html: str) -> SourceItems:
    """The link items and tweets the source markup holds, in document order."""
    if not any(sign in source_html for sign in _SIGNS):
        return SourceItems()
    soup = BeautifulSoup(source_html, "lxml")
    root = soup.body or soup
    if "<script" in source_html or "<style" in source_html or "<template" in source_html:
        for hidden in root.find_all(["script", "style", "template"]):
            hidden.decompose()
    # Each walk of the tree costs: take only those the markup can need.
    email_links, email_tweets = _email_link_items(root) if "link-title" in source_html else ([], [])
    links = [*(_api_link_items(root) if "display" in source_html else ()), *email_links]
    tweets = [*email_tweets, *(_tweet_blockquotes(root) if "twitter-tweet" in source_html else ()),
              *(_tweet_markers(root) if TWEET in source_html else ()), *_tweet_shortcodes(source_html)]
    seen: set[str] = set()
    unique = []
    for tweet in tweets:
        if tweet.id not in seen:
            seen.add(tweet.id)
            unique.append(tweet)
    return SourceItems(tuple(links), tuple(unique))


def _text(node) -> str:
    """The text as it reads: inline elements joined as they are, blocks and line breaks a space apart."""
    if node is None:
        return ""
    if isinstance(node, Tag):
        pieces: list[str] = []
        collect_text(node, frozenset(), pieces)
        return _SPACES.sub(" ", "".join(pieces)).strip()
    return _SPACES.sub(" ", str(node)).strip()


def _classes(element: Tag) -> set[str]:
    return set(element.get("class") or ())


# --- link items ------------------------------------------------------------------------------


def _api_link_items(root: Tag) -> list[LinkItem]:
    found = []
    for strong in root.find_all("strong", style=True):
        if "display:block" not in strong["style"].replace(" ", "").lower():
            continue
        anchors = strong.find_all("a", href=True)
        if not anchors:
            continue
        title = _text(anchors[0])
        domain = _text(anchors[1]) if len(anchors) > 1 else ""
        paragraph = strong.find_parent("p")
        thumb = paragraph.find("img") if paragraph is not None else None
        description = []
        for node in strong.next_siblings:
            if isinstance(node, Tag) and node.name == "div" and "clear" in (node.get("style") or ""):
                break
            description.append(_text(node))
        if paragraph is not None:
            description += _description_after(paragraph)
        found.append(LinkItem(title, " ".join(part for part in description if part), domain,
                              thumb is not None and bool(thumb.get("src")), _alt(thumb)))
    return found


def _description_after(paragraph: Tag) -> list[str]:
    """lxml closes the item's paragraph before a nested `<p>`: the description goes on in the
    paragraphs after it, up to Revue's `<div style="clear: both">` that ends the item."""
    following = []
    for sibling in paragraph.find_next_siblings(True, limit=5):
        if sibling.name == "div" and "clear" in (sibling.get("style") or ""):
            return following
        if sibling.name != "p" or sibling.find("strong", style=True) is not None:
            break
        following.append(_text(sibling))
    return []


def _email_link_items(root: Tag) -> tuple[list[LinkItem], list[TweetItem]]:
    """The e-mail's link cards, and the tweets among them: a card to a status, its domain
    Twitter's, titled with the tweet's text (`embeds.tweet_card`)."""
    found, tweets = [], []
    titles = [element for element in root.find_all(class_=True) if _classes(element) & _TITLE_CLASSES]
    for title_element in titles:
        anchor = title_element.find("a", href=True)
        if anchor is None:
            continue
        description, domain = [], ""
        for sibling in title_element.next_siblings:
            if not isinstance(sibling, Tag):
                continue
            classes = _classes(sibling)
            if classes & _TITLE_CLASSES:
                break
            if classes & _DOMAIN_CLASSES and not domain:
                first = sibling.find("a")
                domain = _text(first if first is not None else sibling)
            elif classes & _DESCRIPTION_CLASSES:
                description.append(_text(sibling))
        card = embeds.tweet_card(anchor["href"], anchor.get_text(), domain)
        if card is not None:
            tweets.append(TweetItem(card.tweet.id, anchor["href"], _SPACES.sub(" ", card.text).strip(), card.author,
                                    card.tweet.user or ""))
            continue
        thumb = _thumbnail_before(title_element)
        found.append(LinkItem(_text(anchor), " ".join(part for part in description if part), domain,
                              thumb is not None, _alt(thumb)))
    return found, tweets


def _thumbnail_before(title_element: Tag) -> Tag | None:
    """The item's thumbnail: an image before the title, in its container or the one around it."""
    node = title_element
    for _ in range(3):
        for sibling in node.find_previous_siblings(True):
            if _classes(sibling) & _TITLE_CLASSES or sibling.find(class_=list(_TITLE_CLASSES)) is not None:
                return None
            images = [sibling] if sibling.name == "img" else sibling.find_all("img")
            for image in images:
                if "link-image" in _classes(image) or image.get("width") in _THUMB_WIDTHS:
                    return image
        node = node.parent
        if node is None:
            return None
    return None


def _alt(image: Tag | None) -> str:
    return _SPACES.sub(" ", image.get("alt") or "").strip() if image is not None else ""


# --- tweets ----------------------------------------------------------------------------------


def _tweet_blockquotes(root: Tag) -> list[TweetItem]:
    found = []
    for quote in root.find_all("blockquote", class_=["twitter-tweet", "twitter-video"]):
        status_links = [a for a in quote.find_all("a", href=True) if embeds.tweet(a["href"])]
        if not status_links:
            continue
        status = status_links[-1]
        tweet = embeds.tweet(status["href"])
        text = " ".join(_text(paragraph) for paragraph in quote.find_all("p"))
        attribution = " ".join(_text(node) for node in quote.children
                               if not (isinstance(node, Tag) and node.name == "p") and node is not status)
        name, handle = "", tweet.user or ""
        match = _ATTRIBUTION.match(attribution)
        if match:
            name, handle = match.group("name").strip(), match.group("handle")
        found.append(TweetItem(tweet.id, status["href"], text, name, handle, _text(status)))
    return found


def _tweet_markers(root: Tag) -> list[TweetItem]:
    found = []
    for marker in root.find_all("div", class_=TWEET):
        tweet = embeds.tweet(marker.get("data-url") or "")
        if tweet is not None:
            found.append(TweetItem(tweet.id, marker["data-url"], _text(marker), handle=tweet.user or ""))
    return found


def _tweet_shortcodes(source_html: str) -> list[TweetItem]:
    found = []
    for match in _TWEET_SHORTCODE.finditer(source_html):
        tweet = embeds.tweet(match.group(1))
        if tweet is not None:
            found.append(TweetItem(tweet.id, match.group(1), handle=tweet.user or ""))
    return found
