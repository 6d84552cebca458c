"""Revue's items (link cards, images with captions, headers, tweets, videos) in one canonical form.

Each source dialect marks items its own way: the API HTML with `<strong style="display:
block">` link titles and WordPress-like `[caption]`, `[tweet]`, `[embed]` shortcodes, the
e-mail templates with classes (`item-link-title`, `link-title`, `revue-p`, ...). They are all
rewritten to the same small set of elements, so an issue converts to the same markdown
whichever source it came from:

- a link item: `<div class="r2m-link">` holding an optional linked thumbnail paragraph
  (`<img class="r2m-thumb">`, its alt text the source's or the link title), a
  `<p><strong><a>title</a></strong> — domain</p>` paragraph, and the description blocks;
- an image item: `<figure class="r2m-figure"><img><figcaption>…</figcaption></figure>`;
- a tweet or embed: `<div class="r2m-tweet|r2m-embed" data-url="…">` (content optional: the
  tweet's text, a video's caption; a tweet also carries what the source says of its author:
  `data-r2m-author` (display name), `data-r2m-handle`, `data-r2m-date`), from `[tweet URL]` /
  `[embed URL]`, `<iframe>` players,
  `<blockquote class="twitter-tweet">` and e-mail video items (a picture linked to a video);
- headers `<h2>`, paragraphs `<p>`, quotes `<blockquote>`.
"""

from __future__ import annotations

import html
import re

from bs4 import BeautifulSoup, NavigableString, Tag

from revue2md import embeds
from revue2md.canonical import BLOCKS, THUMBNAIL, tweet_attributes
from revue2md.canonical import marker as _marker
from revue2md.clean import tree_edit, treewalk
from revue2md.text import one_line

# The caption text cannot hold another `[caption`: each match then scans ahead only to the next
# opening, so thousands of unclosed `[caption` cost linear, not quadratic, time.
_CAPTION = re.compile(r"\[caption\b[^\]\[]*\]((?:[^\[]|\[(?!caption\b))*?)\[/caption\]", re.IGNORECASE)
_TWEET = re.compile(r"\[tweet\s+([^\]\s]+)\s*\]", re.IGNORECASE)
_EMBED = re.compile(r"\[embed\s+([^\]\s]+)\s*\]", re.IGNORECASE)
_THUMB_WIDTHS = ("112", "140")


def expand_shortcodes(source_html: str) -> str:
    """Rewrite Revue's text shortcodes into elements before the HTML is parsed."""
    if "[" not in source_html:
        return source_html
    source_html = _CAPTION.sub(r'<figure class="r2m-figure">\1</figure>', source_html)
    source_html = _TWEET.sub(lambda m: _marker("r2m-tweet", m.group(1)), source_html)
    return _EMBED.sub(lambda m: _marker("r2m-embed", m.group(1)), source_html)


def embedded_elements(soup: BeautifulSoup, root: Tag, lowered_markup: str | None = None) -> None:
    """Players (`<iframe>`) and Twitter's embed blockquotes become embed and tweet markers.

    `lowered_markup`, the lowercased HTML the tree was parsed from, lets a walk be skipped
    when its tag is not written in it at all (an element's name cannot hide in an entity).
    """
    if lowered_markup is None or "<iframe" in lowered_markup:
        _players(soup, root)
    if lowered_markup is None or "<blockquote" in lowered_markup:
        for quote in treewalk.named(root, ("blockquote",)):
            if quote.parent is not None and not _TWEET_QUOTES.isdisjoint(quote.attrs.get("class") or ()):
                _tweet_blockquote(soup, quote)


_TWEET_QUOTES = frozenset({"twitter-tweet", "twitter-video"})


def _players(soup: BeautifulSoup, root: Tag) -> None:
    for frame in treewalk.named(root, ("iframe",)):
        url = _absolute(frame.get("src") or frame.get("data-src") or "")
        if not url.startswith(("http://", "https://")):
            frame.decompose()
            continue
        kind = "r2m-tweet" if embeds.tweet(url) else "r2m-embed"
        frame.replace_with(soup.new_tag("div", attrs={"class": kind, "data-url": url}))


def _tweet_blockquote(soup: BeautifulSoup, quote: Tag) -> None:
    """Twitter's markup: `<p>text</p>&mdash; Name (@user) <a href=".../status/ID">date</a>`."""
    links = [a for a in treewalk.named(quote, ("a",), "href") if embeds.tweet(a["href"])]
    if not links:
        quote.attrs = {}
        return
    status = links[-1]
    marker = soup.new_tag("div", attrs={"class": "r2m-tweet", "data-url": status["href"]})
    attribution = _tweet_attribution(quote, status)
    for name, value in tweet_attributes(**attribution).items():
        marker[name] = value
    for paragraph in treewalk.named(quote, ("p",)):
        marker.append(paragraph.extract())
    quote.replace_with(marker)


_ATTRIBUTION = re.compile(r"^[\s\u2014\u2013-]*(?P<author>.*?)\s*\(@(?P<handle>\w{1,30})\)\s*$", re.DOTALL)


def _tweet_attribution(quote: Tag, status: Tag) -> dict[str, str]:
    """Display name, handle and date written around the status link, outside the tweet's text."""
    before = []
    for node in status.previous_siblings:
        if isinstance(node, Tag) and node.name == "p":
            break
        before.append(node.get_text() if isinstance(node, Tag) else str(node))
    found = _ATTRIBUTION.match(one_line("".join(reversed(before))))
    date = one_line(status.get_text())
    if found is None:
        return {"date": date} if status.parent is quote and date else {}
    return {"author": found.group("author"), "handle": found.group("handle"), "date": date}


def _absolute(url: str) -> str:
    url = html.unescape(url.strip())
    return "https:" + url if url.startswith("//") else url


# --- API dialect ---------------------------------------------------------------------------


def canonicalize_api(soup: BeautifulSoup, root: Tag) -> None:
    for element in treewalk.named(root, ("strong", "div", "figure")):
        if element.parent is None:
            continue
        if element.name == "strong":
            if "display" in element.get("style", "").replace(" ", ""):
                title_link = treewalk.first(element, "a", "href")
                if title_link is not None:
                    _api_link_item(soup, element, title_link)
        elif element.name == "div":
            if "clear" in element.get("style", "") and not element.get_text(strip=True):
                element.decompose()
        elif "r2m-figure" in (element.get("class") or ()):
            _finish_figure(soup, element)


def _api_link_item(soup: BeautifulSoup, strong: Tag, title_link: Tag) -> None:
    paragraph = strong.parent if strong.parent.name == "p" else None
    container = paragraph or strong
    links = treewalk.named(strong, ("a",), "href")
    domain = one_line(links[1].get_text()) if len(links) > 1 else ""
    thumb = None
    description: list = []
    if paragraph is not None:
        thumb = treewalk.first(paragraph, "img")
        seen_strong = False
        for child in list(paragraph.children):
            if child is strong:
                seen_strong = True
            elif seen_strong:
                description.append(child.extract())
        # lxml closes the paragraph before a nested description <p>: take the blocks that
        # follow, up to Revue's `<div style="clear: both">` that ends every link item.
        following = []
        for sibling in paragraph.next_siblings:
            if not isinstance(sibling, Tag):
                continue
            if sibling.name == "div" and "clear" in (sibling.get("style") or ""):
                description.extend(node.extract() for node in following)
                break
            if sibling.name != "p" or len(following) > 3:
                break
            following.append(sibling)
    card = _link_card(soup, title_link, thumb if thumb is not None and thumb.get("src") else None,
                      domain, description)
    container.replace_with(card)


# --- e-mail templates (classic tables and MJML) ---------------------------------------------


def email_link_items(soup: BeautifulSoup, root: Tag) -> None:
    """Link items first: they read their domain from links that are chrome (`rev.vu`)."""
    for anchor in treewalk.with_class(root, _LINK_TITLES):
        if anchor.parent is not None:
            _email_link_item(soup, anchor)


def email_blocks(soup: BeautifulSoup, root: Tag) -> None:
    """Image items, headers, paragraphs and quotes, once the chrome is gone."""
    for container in _item_containers(root):
        _email_image_item(soup, container)
    for element in treewalk.tags(root):
        classes = element.attrs.get("class") or ()
        if "item-header" in classes or "header-text" in classes:
            _rename(element, "h2")
        elif "revue-p" in classes:
            _rename(element, "p")
        elif "revue-blockquote" in classes:
            _rename(element, "blockquote")
        elif "item-text" in classes or "description" in classes:
            element.attrs = {}
        elif element.name == "div" and element.attrs.get("style") and _looks_like_header(element):
            _rename(element, "h2")
        elif element.name == "figure" and "r2m-figure" in classes:
            _finish_figure(soup, element)


def _email_link_item(soup: BeautifulSoup, anchor: Tag) -> None:
    title_link = treewalk.first(anchor, "a", "href")
    if title_link is None:
        anchor.unwrap()
        return
    parts_before = []
    for sibling in anchor.previous_siblings:
        if not isinstance(sibling, Tag):
            continue
        if "link-title" in " ".join(sibling.get("class") or ()) or treewalk.has_class(sibling, _LINK_TITLES):
            break
        parts_before.append(sibling)
    thumb = None
    for part in parts_before:
        image = part if part.name == "img" else treewalk.first(part, "img")
        if image is not None and _is_thumbnail(image) and image.get("src"):
            thumb = image.extract()
            part.decompose()
            break
    domain = ""
    description: list = []
    for sibling in [node for node in anchor.next_siblings if isinstance(node, Tag)]:
        classes = set(sibling.get("class") or ())
        if classes & {"item-link-title", "link-title"}:
            break
        if classes & {"domain", "link-url"}:
            first = treewalk.first(sibling, "a")
            domain = one_line(first.get_text()) if first is not None else ""
            sibling.decompose()
        elif classes & {"item-link-description", "link-description", "small-text"}:
            description.extend(child.extract() for child in list(sibling.children))
            sibling.decompose()
    card = _tweet_card(title_link, domain)
    if card is not None:
        anchor.replace_with(*_email_tweet(soup, title_link["href"], card, description))
        return
    anchor.replace_with(_link_card(soup, title_link, thumb, domain, description))


def _tweet_card(title_link: Tag, domain: str) -> embeds.TweetCard | None:
    return embeds.tweet_card(title_link["href"], title_link.get_text(), domain)


def _email_tweet(soup: BeautifulSoup, url: str, card: embeds.TweetCard, description: list) -> list:
    """A tweet the e-mail mailed as a link card becomes a tweet marker (the author's picture,
    its thumbnail, is not kept); the card's description, the curator's comment, follows it."""
    marker = soup.new_tag("div", attrs={"class": "r2m-tweet", "data-url": url,
                                        **tweet_attributes(handle=card.tweet.user or "", author=card.author)})
    paragraph = soup.new_tag("p")
    lines = re.sub(r"\n\s*\n\s*", "\n\n", card.text.replace("\r", "")).split("\n")
    for index, line in enumerate(lines):
        if index:
            paragraph.append(soup.new_tag("br"))
        if line.strip():
            paragraph.append(NavigableString(line.strip()))
    marker.append(paragraph)
    after: list = [marker]
    inline = soup.new_tag("p")
    for node in description:
        if isinstance(node, Tag) and (node.name in BLOCKS or "revue-p" in (node.get("class") or ())):
            after.append(node)
        else:
            inline.append(node)
    if inline.get_text(strip=True):
        after.append(inline)
    return after


def _is_thumbnail(image: Tag) -> bool:
    return image.get("width") in _THUMB_WIDTHS or "link-image" in (image.get("class") or ())


def _item_containers(root: Tag) -> list[Tag]:
    """The element that holds one item: an innermost MJML column, or a classic leaf cell."""
    elements = treewalk.tags(root)
    columns = [e for e in elements if "mj-column-per-100" in (e.attrs.get("class") or ())]
    outer = columns if columns else [e for e in elements if e.name == "td"]
    candidates = {id(e) for e in outer}
    holding = set()  # candidates that hold another candidate
    for element in outer:
        for parent in element.parents:
            if id(parent) in candidates:
                holding.add(id(parent))
    return [e for e in outer if id(e) not in holding]


def _email_image_item(soup: BeautifulSoup, container: Tag) -> None:
    if treewalk.has_class(container, _TEXT_CLASSES) or treewalk.first(container, "figure") is not None:
        return
    images = [i for i in treewalk.named(container, ("img",), "src")
              if treewalk.ancestor_with_class(i, "r2m-link") is None]
    if len(images) != 1:
        return
    image = images[0]
    link = image.parent if image.parent.name == "a" and image.parent.get("href") else None
    caption = [node for node in treewalk.texts(container) if node.strip()]
    figure = soup.new_tag("figure", attrs={"class": "r2m-figure"})
    figure.append(image.extract())
    if link is not None:
        figure["data-href"] = link["href"]
    caption_text = one_line(" ".join(caption))
    if not caption_text:
        caption_row = _caption_row_after(container)
        if caption_row is not None:
            caption_text = one_line(caption_row.get_text(" "))
            caption_row.decompose()
    if link is not None and embeds.is_video(link["href"]):
        # A video item: Revue mailed a still linked to the video.
        marker = soup.new_tag("div", attrs={"class": "r2m-embed", "data-url": link["href"]})
        if caption_text:
            paragraph = soup.new_tag("p")
            paragraph.string = caption_text
            marker.append(paragraph)
        container.clear()
        container.append(marker)
        return
    if caption_text:
        figcaption = soup.new_tag("figcaption")
        figcaption.string = caption_text
        figure.append(figcaption)
    container.clear()
    container.append(figure)


def _caption_row_after(container: Tag) -> Tag | None:
    """The 2021-22 e-mail puts an image's or video's caption in the row after the
    `role="presentation"` table that holds the picture: a row of short plain text."""
    table = treewalk.ancestor(container, "table")
    if table is None or table.get("role") != "presentation":
        return None
    row = treewalk.ancestor(table, "tr")
    following = treewalk.next_sibling_named(row, "tr") if row is not None else None
    if following is None or treewalk.first_of(following, _NOT_IN_CAPTIONS) is not None:
        return None
    text = one_line(following.get_text(" "))
    if not text or len(text) > 300 or treewalk.has_class(following, _TEXT_CLASSES):
        return None
    return following


_NOT_IN_CAPTIONS = frozenset({"img", "a", "table", "ul", "ol", "blockquote"})
_LINK_TITLES = frozenset({"item-link-title", "link-title"})
_TEXT_CLASSES = frozenset(
    {"revue-p", "revue-blockquote", "item-header", "item-text", "header-text", "r2m-link",
     "item-link-title", "link-title", "description"}
)
_FONT_SIZE = re.compile(r"font-size:\s*(\d+)px")


def _looks_like_header(element: Tag) -> bool:
    """MJML 2017 headers are unlabelled divs in a large bold font."""
    if element.get("class"):
        return False
    style = element["style"].replace(" ", "").lower()
    size = _FONT_SIZE.search(style)
    if not (size and int(size.group(1)) >= 20 and "font-weight:700" in style):
        return False
    return treewalk.first_of(element, BLOCKS) is None and 0 < len(element.get_text(strip=True)) < 200


# --- shared builders --------------------------------------------------------------------------


def _link_card(soup: BeautifulSoup, title_link: Tag, thumb: Tag | None, domain: str,
               description: list) -> Tag:
    """A thumbnail keeps its alt text, or the link's title when it has none.

    The card is put together from lists and linked once (`tree_edit.append_all`), not
    appended to node by node.
    """
    url = title_link["href"]
    append_all = tree_edit.append_all

    def new_tag(name: str, attrs: dict[str, str] | None = None) -> Tag:
        return tree_edit.new_tag(soup, name, attrs)

    parts: list[Tag] = []
    if thumb is not None:
        alt = one_line(thumb.get("alt")) or one_line(title_link.get_text())
        image = new_tag("img", {"src": thumb["src"], "alt": alt, "class": THUMBNAIL})
        parts.append(append_all(new_tag("p"), [append_all(new_tag("a", {"href": url}), [image])]))
    link = append_all(new_tag("a", {"href": url}), tree_edit.take_children(title_link))
    title: list = [append_all(new_tag("strong"), [link])]
    if domain and domain.casefold() != one_line(link.get_text()).casefold():
        title.append(NavigableString(f" — {domain}"))
    blocks: list[Tag] = []
    inline: list = []

    def flush() -> None:
        if any(isinstance(node, Tag) or node.strip() for node in inline):
            blocks.append(append_all(new_tag("p"), list(inline)))
        inline.clear()

    for node in description:
        if node.parent is not None:
            node.extract()
        if isinstance(node, Tag) and (node.name in BLOCKS or "revue-p" in (node.get("class") or ())):
            flush()
            blocks.append(node)
        else:
            inline.append(node)
    flush()
    if blocks and _joins_the_title(blocks[0]):
        # Revue showed the description right under the title: keep them one paragraph, a line apart.
        following = blocks.pop(0)
        title += [new_tag("br"), *tree_edit.take_children(following)]
        following.decompose()
    parts.append(append_all(new_tag("p"), title))
    return append_all(new_tag("div", {"class": "r2m-link"}), parts + blocks)


def _joins_the_title(following: Tag) -> bool:
    """Is the block after a link's title its description, to be shown in the title's paragraph?"""
    if following.name not in ("p", "div"):
        return False
    if any(isinstance(child, Tag) and child.name in BLOCKS for child in following.children):
        return False
    if "revue-p" not in (following.get("class") or ()) and following.name != "p":
        return False
    return bool(following.get_text().strip())


def _finish_figure(soup: BeautifulSoup, figure: Tag) -> None:
    """`<figure>` holds an image then caption nodes: move the caption into `<figcaption>`."""
    image = treewalk.first(figure, "img")
    existing = treewalk.first(figure, "figcaption")
    if image is None or existing is not None:
        return
    caption_nodes = [node.extract() for node in list(figure.children) if node is not image
                     and not (isinstance(node, Tag) and treewalk.first(node, "img") is not None)]
    if image.parent is not figure:
        figure.insert(0, image.extract())
    if any(isinstance(node, Tag) or node.strip() for node in caption_nodes):
        figcaption = soup.new_tag("figcaption")
        for node in caption_nodes:
            figcaption.append(node)
        figure.append(figcaption)


def _rename(element: Tag, name: str) -> None:
    element.name = name
    element.attrs = {}
