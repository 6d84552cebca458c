"""The cleaned tree's vocabulary: what every source's items become, and what the converter reads.

The cleaning stage rewrites each Revue dialect into this small set of elements, and the
converter, the fidelity comparison and the sources that build items themselves (the ZIP
export) all use these names, so they are spelled once, here.
"""

from __future__ import annotations

import html

# Block-level elements: the ones a paragraph cannot hold, and that end a line of text.
BLOCKS = frozenset(
    {"p", "div", "blockquote", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre",
     "table", "hr", "figure", "section", "article", "header", "footer", "dl", "center"}
)

# Item classes of the canonical tree (see `revue2md.clean.items`).
LINK = "r2m-link"  # a link item: optional thumbnail, bold title with its domain, description
FIGURE = "r2m-figure"  # an image item: <figure class="r2m-figure"><img><figcaption>
TWEET = "r2m-tweet"  # <div class="r2m-tweet" data-url="…">, the tweet's text inside when known
EMBED = "r2m-embed"  # <div class="r2m-embed" data-url="…">, a video's caption inside when known

# Attributes the stages leave on elements for the later ones.
LOCAL_FILE_ATTRIBUTE = "data-r2m-file"  # an image's file on disk, next to a saved page
REF_ATTRIBUTE = "data-r2m-ref"  # a link to another issue of the archive, as a page name


def marker(kind: str, url: str, content_html: str = "") -> str:
    """The HTML of a tweet or embed marker (`kind` is TWEET or EMBED)."""
    url = html.escape(html.unescape(url), quote=True)
    return f'<div class="{kind}" data-url="{url}">{content_html}</div>'


def tweet_marker(url: str, content_html: str = "") -> str:
    """What `[tweet URL]` becomes, holding the tweet's text when a source has it (the ZIP export)."""
    return marker(TWEET, url, content_html)
