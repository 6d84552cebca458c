"""The items of a ZIP export, written in the grammar of the API's `html` field.

The API served each issue as one HTML string with its items pre-rendered (see
docs: intro `<h3>…</h3><hr>`, `<h2>` headers, `<p>`-wrapped text, link cards, `[caption]`,
`[tweet]`, `[embed]`). Writing the ZIP items the same way lets the cleaner and converter treat
both sources alike, so an issue looks the same whichever source it came from. What the API
string never held but the ZIP does (a tweet's text, a video caption, an image link) is kept.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from revue2md.canonical import FIGURE, tweet_marker
from revue2md.revue_urls import split_url

_BLOCK_START = ("<p", "<div", "<ul", "<ol", "<blockquote", "<h1", "<h2", "<h3", "<h4", "<h5", "<h6",
                "<pre", "<table", "<figure")
_THUMB_STYLE = "float: right; margin-left: 20px; margin-bottom: 20px;"


def issue_html(description: str, items: Sequence[Mapping[str, Any]]) -> tuple[str, tuple[str, ...]]:
    """The API `html` of one issue from its intro and its items (already in order), and notes."""
    parts = []
    notes = []
    if description.strip():
        parts.append(f"<h3>{description}</h3>\n<hr>\n")
    rendered = []
    for item in items:
        piece, note = item_html(item)
        if piece:
            rendered.append(piece)
        if note:
            notes.append(note)
    parts.append("\n".join(rendered))
    return "".join(parts), tuple(notes)


def item_html(item: Mapping[str, Any]) -> tuple[str, str | None]:
    """One item as the API wrote it, and a note when something could not be placed."""
    kind = _text(item.get("item_type")).strip().lower()
    render = _RENDERERS.get(kind)
    if render is not None:
        return render(item), None
    description = _text(item.get("description"))
    if description.strip():
        return _paragraph(description), f"item type {kind or '(none)'!r} not known; its text was kept"
    return "", f"item type {kind or '(none)'!r} not known and empty; left out"


def _header(item: Mapping[str, Any]) -> str:
    title = _text(item.get("title")).strip() or _text(item.get("description")).strip()
    return f"<h2>{_escape(title)}</h2>" if title else ""


def _text_item(item: Mapping[str, Any]) -> str:
    description = _text(item.get("description"))
    return f"<p>{description}</p>" if description.strip() else ""


def _image(item: Mapping[str, Any]) -> str:
    src = _text(item.get("original_image_url")).strip() or _text(item.get("image")).strip()
    caption = _text(item.get("description")).strip()
    if not src:
        return _paragraph(caption) if caption else ""
    image = f'<img alt="{_escape(_text(item.get("title")).strip())}" src="{_escape(src)}" />'
    link = _text(item.get("url")).strip()
    if link and link not in (src, _text(item.get("image")).strip()):
        # The API grammar has no linked image: write the element `[caption]` becomes, with its link.
        return f'<figure class="{FIGURE}" data-href="{_escape(link)}">{image}{caption}</figure>'
    return f'[caption align="alignnone" width="980"]{image}{caption}[/caption]'


def _link(item: Mapping[str, Any]) -> str:
    url = _text(item.get("url")).strip()
    title = _text(item.get("title")).strip()
    description = _text(item.get("description")).strip()
    thumb = _text(item.get("image")).strip() or _text(item.get("original_image_url")).strip()
    if not url:
        parts = [f"<p><strong>{_escape(title)}</strong></p>"] if title else []
        if description:
            parts.append(_paragraph(description))
        return "\n".join(parts)
    lines = ["<p>"]
    if thumb:
        lines.append(f'<img width="140" height="140" alt="{_escape(title)}" style="{_THUMB_STYLE}" '
                     f'src="{_escape(thumb)}" />')
    domain = split_url(url).hostname or ""
    strong = f'<strong style=\'display: block;\'><a href="{_escape(url)}">{_escape(title or url)}</a>'
    if domain:
        strong += f' &mdash; <a href="{_escape(url)}">{_escape(domain)}</a>'
    lines.append(strong + "</strong>")
    if description:
        lines.append(_paragraph(description))
    lines.append("</p>")
    return "\n".join(lines) + "\n<div style='clear: both;'></div>"


def _tweet(item: Mapping[str, Any]) -> str:
    url = _text(item.get("url")).strip()
    text = _text(item.get("tweet_description")).strip() or _text(item.get("description")).strip()
    handle = _text(item.get("tweet_handle")).strip().lstrip("@")
    content = _paragraph(text) if text else ""
    if handle and f"/{handle.lower()}/" not in url.lower():
        content += f"<p>@{_escape(handle)}</p>"
    if not url:
        return f"<blockquote>{content}</blockquote>" if content else ""
    return tweet_marker(url, content)


def _video(item: Mapping[str, Any]) -> str:
    url = _text(item.get("url")).strip()
    caption = _text(item.get("description")).strip()
    parts = [f"[embed {url}]"] if url else []
    if caption:
        parts.append(_paragraph(caption))
    return "\n".join(parts)


_RENDERERS = {
    "header": _header,
    "text": _text_item,
    "image": _image,
    "link": _link,
    "tweet": _tweet,
    "video": _video,
}


def _paragraph(fragment: str) -> str:
    """HTML text in a paragraph, unless it already starts with a block of its own."""
    return fragment if fragment.lstrip().lower().startswith(_BLOCK_START) else f"<p>{fragment}</p>"


def _escape(text: str) -> str:
    """Plain text (a title, a URL) as HTML; entities someone already wrote are not doubled."""
    return html.escape(html.unescape(text), quote=True)


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return str(value)
