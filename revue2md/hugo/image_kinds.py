"""Is this really an image? The first bytes say so (an HTML error page saved as `.jpg` is not)."""

from __future__ import annotations

import re

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp", ".avif", ".heic", ".svg",
                            ".bmp", ".ico", ".tif", ".tiff"})
# SVG is XML that can carry `<script>` and event handlers, which run when the file is opened
# from the site itself: it is never saved into the site (a remote SVG keeps its URL).
SCRIPTABLE_SUFFIXES = frozenset({".svg"})
SAVED_SUFFIXES = IMAGE_SUFFIXES - SCRIPTABLE_SUFFIXES
_FTYP_BRANDS = {b"avif": ".avif", b"avis": ".avif", b"heic": ".heic", b"heix": ".heic", b"mif1": ".heic"}
_SVG_PROLOGUE = re.compile(rb"^(?:\s+|<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<svg[\s>]", re.IGNORECASE | re.DOTALL)


def image_suffix(data: bytes) -> str | None:
    """The file suffix the bytes' signature names (`.jpg`, `.png`, ...), or None for anything else."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return ".gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return ".webp"
    if head[4:8] == b"ftyp" and head[8:12] in _FTYP_BRANDS:
        return _FTYP_BRANDS[head[8:12]]
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return ".tif"
    if head.startswith(b"\x00\x00\x01\x00") and len(data) > 22:
        return ".ico"
    if head.startswith(b"BM") and len(data) > 26 and int.from_bytes(data[2:6], "little") in (0, len(data)):
        return ".bmp"
    if _SVG_PROLOGUE.match(data[:4096].lstrip(b"\xef\xbb\xbf")):
        return ".svg"
    return None


def describe(data: bytes, content_type: str | None = None) -> str:
    """A short reason for a refusal: what the bytes look like instead."""
    start = data[:200].lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start:
        what = "an HTML page"
    elif not data:
        what = "an empty file"
    elif start.startswith((b"{", b"[")):
        what = "JSON"
    elif start.startswith(b"<?xml") or start.startswith(b"<"):
        what = "XML or HTML"
    else:
        what = "unknown bytes"
    kind = (content_type or "").split(";")[0].strip()
    return f"not an image: {what}" + (f" ({kind})" if kind else "")
