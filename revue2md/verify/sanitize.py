"""Source HTML made safe to show in the review report: an allow-list of tags and attributes.

Scripts, styles, frames, forms, objects and event handlers go; links keep only http(s),
mailto and relative targets (never `javascript:`); images are either shown as their alt text
and URL (nothing is fetched when the report is opened) or, with `remote`, loaded from http(s).
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Tag

ALLOWED = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "mark", "ol",
    "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
})
# Dropped with everything inside them; any other unknown tag is unwrapped (its text stays).
DROPPED = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "select", "textarea", "option", "link", "meta", "base", "svg", "math", "template",
    "noscript", "head", "title", "audio", "video", "source", "track", "canvas", "portal", "dialog",
})
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "td": {"colspan", "rowspan"},
              "th": {"colspan", "rowspan"}}
# The report's own highlight marks survive sanitising; nothing else keeps a class.
REPORT_CLASSES = frozenset({"r2m-lost", "r2m-image"})
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def safe_url(url: str) -> bool:
    return bool(_SAFE_URL.match(_CONTROL.sub("", url or "")))


def sanitize(root: Tag, images: str = "alt") -> None:
    """Make `root` safe in place. `images`: "alt" shows each image as text, "remote" loads http(s) ones."""
    for comment in root.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    for element in list(root.find_all(True)):
        if element.decomposed:
            continue
        name = element.name.lower()
        if name in DROPPED:
            element.decompose()
        elif name not in ALLOWED:
            element.unwrap()
        else:
            _clean_attributes(element, name)
    for image in list(root.find_all("img")):
        _settle_image(root, image, images)


def _clean_attributes(element: Tag, name: str) -> None:
    allowed = ATTRIBUTES.get(name, set())
    kept_classes = [c for c in (element.get("class") or ()) if c in REPORT_CLASSES]
    data_n = element.get("data-n")
    element.attrs = {key: value for key, value in element.attrs.items() if key in allowed}
    if kept_classes:
        element["class"] = kept_classes
    if data_n is not None and kept_classes:
        element["data-n"] = str(data_n)
    for key in ("href", "src"):
        if key in element.attrs and not safe_url(str(element[key])):
            del element[key]
    if name == "a" and element.get("href"):
        element["rel"] = "noreferrer noopener"


def _settle_image(root: Tag, image: Tag, mode: str) -> None:
    src = str(image.get("src") or "")
    remote = src.lower().startswith(("http://", "https://"))
    if mode == "remote" and remote:
        image["loading"] = "lazy"
        image["referrerpolicy"] = "no-referrer"
        return
    soup = _soup_of(root)
    label = soup.new_tag("span", attrs={"class": ["r2m-image", *[c for c in image.get("class") or ()
                                                              if c in REPORT_CLASSES]]})
    if image.get("data-n"):
        label["data-n"] = image["data-n"]
    alt = str(image.get("alt") or "").strip()
    label.string = f"[image{': ' + alt if alt else ''}] {src}"
    image.replace_with(label)


def _soup_of(node: Tag) -> BeautifulSoup:
    while node.parent is not None:
        node = node.parent
    return node if isinstance(node, BeautifulSoup) else BeautifulSoup("", "lxml")
