"""Images of a page: where they may go, their stable file names, Revue's renditions, local files.

Nothing here touches the network (see `downloads` for that). A saved web page's local
references (`./index_files/x.jpg`) are settled here, while the tree is at hand: a file that
exists and is an image is marked to be copied next to the page; one that is missing, or
that cannot be copied anywhere, falls back to the Revue URL the page's `og:image` metas
give for the same file name, or else is dropped, its alt text kept. Never a link to a file
that is not there.
"""

from __future__ import annotations

import math
import os
import posixpath
import re
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit, urlunsplit

from revue2md.canonical import LOCAL_FILE_ATTRIBUTE, THUMBNAIL
from revue2md.errors import UsageError
from revue2md.hugo.image_kinds import IMAGE_SUFFIXES, SCRIPTABLE_SUFFIXES, image_suffix
from revue2md.models import Choice
from revue2md.net.retry import RetryPolicy


class ImageMode(Choice):
    """Images stay at their remote URLs (keep) or are copied into the site (download)."""

    keep = "keep"
    download = "download"


class Layout(Choice):
    """A page as `<name>/index.md` with its images beside it (bundle), or as `<name>.md` (flat)."""

    bundle = "bundle"
    flat = "flat"


DEFAULT_JOBS = 8
DEFAULT_MAX_MB = 20
# Best first: Revue kept the upload as `original` and made smaller copies of it.
RENDITIONS = ("original", "web", "mail", "thumb")
_RENDITION = re.compile(r"^(?P<head>.*/images/\d{3}/\d{3}/\d{3}/)(?P<rendition>original|web|mail|thumb)"
                        r"(?P<tail>/[^/]+)$")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ImageOptions:
    """`mode`: keep remote images as links, or download them. `layout`: where pages and images go."""

    mode: ImageMode = ImageMode.keep
    layout: Layout = Layout.flat
    static_dir: Path | None = None
    jobs: int = DEFAULT_JOBS
    cache: Path | None = None
    max_bytes: int = DEFAULT_MAX_MB * 1024 * 1024
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    allow_private_hosts: bool = False  # fetch from loopback, private and link-local addresses too

    @property
    def page_suffix(self) -> str:
        return "/index.md" if self.layout == "bundle" else ".md"

    @property
    def has_a_place(self) -> bool:
        """Can image files be written at all: into bundles, or into the static folder?"""
        return self.layout == "bundle" or self.static_dir is not None

    @property
    def static_url(self) -> str:
        return static_url(self.static_dir) if self.static_dir is not None else ""


def _choice(kind: type[Enum], value, option: str):
    try:
        return kind(value)
    except ValueError:
        raise UsageError(f"{option} {value!r}: use one of {', '.join(member.value for member in kind)}") from None


def image_options(mode: ImageMode = ImageMode.keep, layout: Layout | None = None, static_dir: Path | None = None,
                  jobs: int = DEFAULT_JOBS, cache: Path | None = None, max_mb: float = DEFAULT_MAX_MB,
                  policy: RetryPolicy | None = None, allow_private_hosts: bool = False) -> ImageOptions:
    """Options checked together; the layout defaults to bundles when images are downloaded."""
    mode = _choice(ImageMode, mode, "--images")
    layout = _choice(Layout, layout or ("bundle" if mode == "download" else "flat"), "--layout")
    if static_dir is not None and layout != "flat":
        raise UsageError("--static-dir goes with --layout flat (bundles keep their images next to the page)")
    if mode == "download" and layout == "flat" and static_dir is None:
        raise UsageError("--images download with --layout flat needs --static-dir (a folder inside the site's "
                         "static/ folder)")
    if static_dir is not None:
        static_url(static_dir)
    if static_dir is not None and mode == "keep":
        raise UsageError("--static-dir receives downloaded images: with --images keep nothing is written there; "
                         "add --images download or leave --static-dir out")
    if allow_private_hosts and mode == "keep":
        raise UsageError("--allow-private-hosts is for image downloads: with --images keep nothing is fetched; "
                         "add --images download or leave --allow-private-hosts out")
    if jobs < 1:
        raise UsageError(f"--image-jobs {jobs}: use 1 or more")
    if not math.isfinite(max_mb) or max_mb <= 0:
        raise UsageError(f"--image-max-mb {max_mb}: use a size above 0 (a number, not nan or inf)")
    return ImageOptions(mode=mode, layout=layout, static_dir=static_dir, jobs=jobs, cache=cache,
                        max_bytes=int(max_mb * 1024 * 1024), policy=policy or RetryPolicy(),
                        allow_private_hosts=allow_private_hosts)


def static_url(static_dir: Path) -> str:
    """The site path a folder inside Hugo's `static/` is served at: `site/static/img/nl` -> `/img/nl/`."""
    parts = Path(os.path.abspath(static_dir)).parts
    if "static" not in parts:
        raise UsageError(f"--static-dir {static_dir}: must be the site's static/ folder or a folder inside it "
                         "(e.g. site/static/images/newsletter)")
    index = len(parts) - 1 - parts[::-1].index("static")
    below = [part for part in parts[index + 1:] if part]
    return "/" + "".join(f"{part}/" for part in below)


# --- remote images ---------------------------------------------------------------------------


def is_web_url(url: str) -> bool:
    """An http(s) URL that `urlsplit` can read."""
    # The usual image URL answers without urlsplit: for an ASCII URL with no bracket,
    # urlsplit cannot fail and reads this scheme.
    if url.startswith(("https://", "http://")) and url.isascii() and "[" not in url and "]" not in url:
        return True
    try:
        return urlsplit(url).scheme.lower() in ("http", "https")
    except ValueError:
        return False


def renditions(url: str) -> list[tuple[str | None, str]]:
    """The URLs to try, best first: Revue's `original`, `web`, `mail`, `thumb`; else the URL itself."""
    parts = urlsplit(url)
    match = _RENDITION.match(parts.path)
    if not match:
        return [(None, url)]
    return [(name, urlunsplit(parts._replace(path=match["head"] + name + match["tail"]))) for name in RENDITIONS]


def stable_stem(url: str) -> str:
    """A file name without suffix that only the URL decides: `chart-1a2b3c4d5e` for `.../chart.png?TS`.

    The hash is of the host and path with Revue's rendition segment left out, so every
    rendition of one upload, and every `?timestamp`, gives the same name; other URLs keep
    their query in the hash (it may be what tells two images apart).
    """
    parts = urlsplit(url)
    match = _RENDITION.match(parts.path)
    path = match["head"] + "*" + match["tail"] if match else parts.path
    key = f"{(parts.hostname or '').lower()}{path}" + ("" if match or not parts.query else f"?{parts.query}")
    import hashlib  # on the first image hashed: an export of pages that keep their image URLs loads none
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    return f"{_name_part(posixpath.basename(unquote(parts.path)))}-{digest}"


def local_stem(path: Path, data: bytes) -> str:
    """The stable name of a local file: its own name and a hash of its bytes."""
    import hashlib  # on the first image hashed: an export of pages that keep their image URLs loads none
    return f"{_name_part(path.name)}-{hashlib.sha256(data).hexdigest()[:10]}"


def _name_part(file_name: str) -> str:
    stem, suffix = posixpath.splitext(file_name)
    if suffix.lower() not in IMAGE_SUFFIXES:
        stem = file_name
    stem = _UNSAFE_NAME.sub("-", stem).strip("-._")[:60].rstrip("-._")
    return stem or "image"


# --- local files of saved pages ---------------------------------------------------------------


@dataclass(frozen=True)
class LocalFile:
    """An image file on disk that a page's `src` points at, and the suffix its bytes call for."""
    path: Path
    suffix: str


def resolve_local_images(cleaned, options: ImageOptions):
    """Settle every image that is not a web URL; returns the CleanIssue with notes for what changed."""
    from bs4 import NavigableString

    issue = cleaned.issue
    notes: list[str] = []
    dropped: dict[str, list[str]] = {}
    for image in cleaned.root.find_all("img", src=True):
        src = image["src"].strip()
        if src.startswith("//"):
            image["src"] = "https:" + src
            continue
        if is_web_url(src) or src.lower().startswith("data:image/"):
            continue
        local, reason = _local_file(src, issue.base_dir, options.max_bytes)
        if local is not None:
            if options.has_a_place:
                image[LOCAL_FILE_ATTRIBUTE] = str(local.path)
                continue
            reason = "no folder to copy them to (--layout bundle or --static-dir gives one)"
        fallback = _named_in_metadata(src, issue.meta_images)
        if fallback is not None:
            image["src"] = fallback
            notes.append(f"local image {src}: {reason}; linked to {fallback}, the page's og:image of that name")
            continue
        # A link item's thumbnail repeats the link's title in its alt text: nothing to keep.
        alt = "" if THUMBNAIL in (image.get("class") or ()) else (image.get("alt") or "").strip()
        image.replace_with(NavigableString(alt) if alt else "")
        dropped.setdefault(reason, []).append(src)
    for reason, sources in dropped.items():
        notes.append(f"local image{'s' if len(sources) > 1 else ''} dropped ({reason}; alt text kept): "
                     + ", ".join(sources))
    if not notes:
        return cleaned
    return replace(cleaned, issue=replace(issue, notes=(*issue.notes, *notes)))


def _local_file(src: str, base_dir: str | None, max_bytes: int) -> tuple[LocalFile | None, str]:
    try:
        parts = urlsplit(src)
    except ValueError:
        return None, "not a URL"
    if parts.scheme or parts.netloc:
        return None, f"a {parts.scheme or 'host'}: reference, not a web URL"
    if base_dir is None:
        return None, "not a web URL, and the source has no folder to look in"
    relative = unquote(parts.path)
    if not relative or relative.startswith("/"):
        return None, "not a file next to the saved page"
    base = Path(os.path.realpath(base_dir))
    path = Path(os.path.realpath(base / PurePosixPath(relative)))
    if base not in path.parents:
        return None, "outside the saved page's folder"
    if not path.is_file():
        return None, "file not found"
    if path.stat().st_size > max_bytes:
        return None, f"over the {max_bytes}-byte limit"
    with path.open("rb") as stream:
        head = stream.read(4096)
    suffix = image_suffix(head)
    if suffix is None:
        return None, "not an image"
    if suffix in SCRIPTABLE_SUFFIXES:
        return None, "an SVG image, which can hold scripts: not copied into the site"
    return LocalFile(path, suffix), ""


def _named_in_metadata(src: str, meta_images: tuple[str, ...]) -> str | None:
    """The one og:image URL whose file name is the local file's name."""
    name = _file_name(src)
    if not name:
        return None
    found = {url for url in meta_images if is_web_url(url) and _file_name(url) == name}
    return found.pop() if len(found) == 1 else None


def _file_name(url: str) -> str | None:
    """The last segment of a URL's path; None for a URL that cannot be read (`http://[x`)."""
    try:
        return posixpath.basename(unquote(urlsplit(url).path))
    except ValueError:
        return None
