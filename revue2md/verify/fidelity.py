"""Did a page keep its source's content? The cleaned source tree against the page as rendered.

Both sides are reduced to the same three things: the URLs of content links, the URLs of
images, and the sequence of words. The page side is the markdown rendered by markdown-it-py
(CommonMark plus tables, close to Hugo's Goldmark). Words are runs of letters, digits and
`_`, so Hugo's typographer (curly quotes, dashes, ellipses) and markdown's escapes cannot
make a word differ, while any lost, cut or altered word does. URLs are compared after the
normalisation markdown applies to link destinations, percent-decoded, without whitespace.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from urllib.parse import unquote

from bs4 import NavigableString, Tag

from revue2md.canonical import BLOCKS
from revue2md.convert.safe_urls import image_url, link_url
from revue2md.front_matter import FrontMatterError, split_page
from revue2md.verify.rendered import RELREF_SCHEME, RenderedPage, render_page

_WORD = re.compile(r"\w+")
# Elements that separate words in the rendered text (a line or a cell ends there).
_BREAKS = BLOCKS | {"br", "li", "tr", "td", "th", "img", "figcaption", "dt", "dd", "caption"}
# Elements whose text never reaches a page (markdownify drops them too).
_NO_TEXT = frozenset({"script", "style", "template", "noscript", "head", "title"})


@dataclass(frozen=True)
class Mark:
    """Something the page must show in one of several forms: a link to one of `urls`, or one of `texts`.

    Embeds (a video becomes `{{< youtube ID >}}`, a tweet may become `{{< x ... >}}`) and
    links to other issues (`relref:PATH` for `{{< relref "PATH" >}}`) are marks.
    """

    label: str
    urls: tuple[str, ...]
    texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Content:
    links: tuple[str, ...]  # normalised, in document order, each once
    images: tuple[str, ...]
    words: tuple[str, ...]
    marks: tuple[Mark, ...] = ()
    text: str = ""  # the rendered text as it reads (page side)


@dataclass(frozen=True)
class Loss:
    links: tuple[str, ...]
    marks: tuple[str, ...]  # labels of missing embeds and links to other issues
    images: tuple[str, ...]
    words: int
    texts: tuple[str, ...]  # the runs of missing words, as they read in the source

    def __bool__(self) -> bool:
        return bool(self.links or self.marks or self.images or self.words)

    def summary(self) -> str:
        embeds = sum(1 for mark in self.marks if mark.startswith("embed "))
        parts = [_count(len(self.links) + len(self.marks) - embeds, "link"), _count(embeds, "embed"),
                 _count(len(self.images), "image"), _count(self.words, "word")]
        return ", ".join(part for part in parts if part) + " of the source missing"

    def items(self) -> list[str]:
        return ([f"link {url}" for url in self.links] + list(self.marks) + [f"image {url}" for url in self.images]
                + [f'text "{text}"' for text in self.texts])


def source_content(root: Tag, local: dict[str, str] | None = None, tweet_text: bool = True) -> Content:
    """What a page made from this tree must show: the links the converter keeps, images, embeds, words.

    `local` maps image URLs to the local files the page links to instead (downloaded or
    copied images); `tweet_text=False` when tweets are written as shortcodes, without their text.
    """
    from revue2md import embeds
    from revue2md.canonical import REF_ATTRIBUTE

    relinked = {normalise_url(url): file for url, file in (local or {}).items()}

    def here(url: str) -> str:
        return relinked.get(normalise_url(url), url)

    links, marks = [], []
    for anchor in root.find_all("a", href=True):
        href = anchor["href"].strip()
        if not href or href == "#" or link_url(href) is None:
            continue  # the converter writes a refused link as its text
        if anchor.find_parent(["pre", "code"]) is not None:
            continue  # markdown cannot put a link in code: its text stays, the link cannot
        if not anchor.get_text().strip() and anchor.find("img", src=True) is None:
            continue
        if anchor.get(REF_ATTRIBUTE):
            marks.append(Mark(f"link {href}", (normalise_url(RELREF_SCHEME + anchor[REF_ATTRIBUTE]),)))
        else:
            links.append(here(link_url(href)))
    links += [here(figure["data-href"]) for figure in root.find_all("figure", attrs={"data-href": True})
              if figure.find("img", src=True) is not None and link_url(figure["data-href"])]
    embedded = root.find_all("div", class_=["r2m-tweet", "r2m-embed"])
    for embed in embedded:
        url = embed.get("data-url") or ""
        if not url:
            continue
        tweet = embeds.tweet(url)
        ids = [embeds.youtube_id(url), embeds.vimeo_id(url), tweet.id if tweet else None]
        marks.append(Mark(f"embed {url}", (normalise_url(url),), tuple(i for i in ids if i)))
    images = [here(image_url(image["src"])) for image in root.find_all("img", src=True) if image_url(image["src"])]
    skipped = [embed for embed in embedded if not tweet_text and "r2m-tweet" in (embed.get("class") or ())]
    return Content(_urls(links), _urls(images), tuple(words(root, skipped)), tuple(marks))


def page_content(markdown: str, rendered: RenderedPage | None = None) -> Content:
    """The same three things, read from markdown as a CommonMark renderer shows it
    (`rendered`: the same markdown rendered already)."""
    root = (rendered or render_page(markdown)).root
    links = [anchor["href"] for anchor in root.find_all("a", href=True)]
    images = [image["src"] for image in root.find_all("img", src=True)]
    return Content(_urls(links), _urls(images), tuple(words(root)), text=root.get_text(" "))


def lost_content(expected: Content, found: Content, limit: int = 8) -> Loss:
    """What of `expected` is not in `found`; `limit` caps the text runs listed (the word count is exact)."""
    found_links, found_images = set(found.links), set(found.images)
    deficit = Counter(expected.words) - Counter(found.words)
    marks = tuple(mark.label for mark in expected.marks
                  if not (found_links.intersection(mark.urls) or any(text in found.text for text in mark.texts)))
    return Loss(
        links=tuple(url for url in expected.links if url not in found_links),
        marks=marks,
        images=tuple(url for url in expected.images if url not in found_images),
        words=sum(deficit.values()),
        texts=tuple(_missing_runs(expected.words, found.words, deficit))[:limit] if deficit else (),
    )


def words(root: Tag, leave_out: list[Tag] | tuple = ()) -> list[str]:
    """The words of a tree's text, split where a block, a line or a cell ends (not at inline tags)."""
    pieces: list[str] = []
    left_out = {id(element) for element in leave_out}
    for node in root.descendants:
        if isinstance(node, Tag):
            if node.name in _BREAKS:
                pieces.append(" ")
        elif type(node) is NavigableString and not _hidden(node, left_out):
            pieces.append(str(node))
    text = unicodedata.normalize("NFC", "".join(pieces))
    return _WORD.findall(text)


def front_matter_and_body(text: str) -> tuple[dict | None, str]:
    """Split a page file into its front matter's data (None when it has none) and its markdown body.

    Any form Hugo reads (YAML, TOML, JSON) is split off. Front matter that cannot be read is
    None too, and the page is then read whole: its words still count, none is lost by it.
    """
    try:
        parts = split_page(text)
    except FrontMatterError:
        return None, text
    return (parts.metadata if parts.kind else None), parts.body


def normalise_url(url: str) -> str:
    return unquote(re.sub(r"\s+", "", _markdown().normalizeLink(url.strip())))


def _urls(urls: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalise_url(url) for url in urls))


def _hidden(node: NavigableString, left_out: set[int]) -> bool:
    return any(parent.name in _NO_TEXT or id(parent) in left_out for parent in node.parents)


def _missing_runs(expected: tuple[str, ...], found: tuple[str, ...], deficit: Counter) -> list[str]:
    """The missing words grouped as they stand in the source, for a reader to find them."""
    matcher = SequenceMatcher(None, expected, found, autojunk=False)
    matched = {index for block in matcher.get_matching_blocks() for index in range(block.a, block.a + block.size)}
    remaining = deficit.copy()
    runs: list[list[str]] = []
    previous = -2
    for index, word in enumerate(expected):
        if index in matched or remaining[word] <= 0:
            continue
        remaining[word] -= 1
        if index != previous + 1:
            runs.append([])
        runs[-1].append(word)
        previous = index
    return [_shorten(" ".join(run)) for run in runs]


def _shorten(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}" if number else ""


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")
