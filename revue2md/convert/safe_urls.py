"""Which URLs from a source may become a link or an image in the site: one allow-list.

A browser drops tabs and line breaks anywhere in a URL and control characters and spaces at
its ends before it reads the scheme, so `java\\tscript:` is `javascript:`. The URL is
normalised the same way first, then its scheme is checked:

- links: `http`, `https`, `mailto`, `tel` (it only offers to dial), and relative URLs
  (no scheme: paths, `?query`, `#fragment`, `//host/...`);
- images: `http`, `https`, relative URLs, and `data:` URLs of raster images (PNG, JPEG, GIF,
  WebP, AVIF). SVG can hold scripts, so no `data:image/svg+xml`.

Everything else (`javascript:`, `vbscript:`, `data:text/html`, `file:`, unknown schemes) is
refused: the caller keeps the link's text or the image's alt text.
"""

from __future__ import annotations

import re

LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
IMAGE_SCHEMES = frozenset({"http", "https"})
_RASTER_DATA = re.compile(r"^data:image/(?:png|jpeg|jpg|gif|webp|avif)[;,]", re.IGNORECASE)
_DROPPED_INSIDE = re.compile(r"[\t\n\r]")
_ENDS = "".join(chr(code) for code in range(0x21))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def normalise(url: str) -> str:
    """The URL as a browser reads it: tabs and line breaks gone, ends trimmed, other controls %-encoded."""
    if url.isprintable() and url[:1] > " " and url[-1:] > " ":
        return url  # no tab, line break or other control in it, nothing to trim at its ends
    url = _DROPPED_INSIDE.sub("", url).strip(_ENDS)
    return _CONTROL.sub(lambda m: f"%{ord(m.group(0)):02X}", url)


def scheme(url: str) -> str | None:
    """The lowercased scheme of a normalised URL, or None for a relative one."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


def link_url(url: str | None) -> str | None:
    """The normalised URL when a link may point there, else None."""
    if not url:
        return None
    url = normalise(url)
    found = scheme(url)
    return url if url and (found is None or found in LINK_SCHEMES) else None


def image_url(url: str | None) -> str | None:
    """The normalised URL when an image may be shown from there, else None."""
    if not url:
        return None
    url = normalise(url)
    found = scheme(url)
    if found == "data":
        return url if _RASTER_DATA.match(url) else None
    return url if url and (found is None or found in IMAGE_SCHEMES) else None
