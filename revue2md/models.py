"""The plain data that flows between the stages: source -> clean -> convert -> write."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum


class Choice(str, Enum):
    """A choice the user makes among fixed words; it is its word wherever it is printed or compared."""

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


@dataclass(frozen=True)
class Issue:
    """One newsletter issue as a source holds it, before cleaning.

    `html` is the issue content only (no page around it) in one of Revue's dialects,
    named by `template`: "api" (the `html` field of the API, also used for ZIP items),
    "classic" (table e-mail template, 2016-19) or "mjml" (2017-22 e-mail template).
    """

    source: str
    html: str
    template: str = "api"
    id: int | None = None
    title: str = ""
    sent_at: datetime | date | None = None
    description: str | None = None
    url: str | None = None
    draft: bool = False
    base_dir: str | None = None
    notes: tuple[str, ...] = ()
    # Other keys that name this very copy when `id` is unknown (an e-mail's Message-ID, its
    # subject and date): two issues sharing one are the same, and only the first is written.
    duplicate_keys: tuple[str, ...] = ()
    # Image URLs the page names in its metadata (`og:image`): where a saved page's local
    # `./index_files/x.jpg` came from, when the file itself was not saved.
    meta_images: tuple[str, ...] = ()
    # Old site paths the page answered to before this migration (from a migrated page's
    # front matter), written as aliases beside the Revue paths.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Image:
    """An image the page shows: where it points, and the local file it came from, if any."""

    src: str
    alt: str = ""
    file: str | None = None


@dataclass(frozen=True)
class PageFile:
    """A file that goes with a page: an image in its bundle folder, or in the site's static folder.

    `name` is relative to that folder. The bytes are `data`, or the file `copy_from`; with
    neither, the file is already in place (kept from an earlier run) and only listed.
    """

    name: str
    place: str = "bundle"  # "bundle" (next to the page's index.md) or "static"
    data: bytes | None = None
    copy_from: str | None = None


@dataclass(frozen=True)
class ImageResult:
    """What became of one image of a page.

    `status`: "downloaded", "copied" (a local file of a saved page), "reused" (already on
    disk, nothing fetched), "kept" (left at its remote URL), "failed" (kept at its remote URL).
    """

    url: str
    status: str
    file: str | None = None
    rendition: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class Destination:
    """A link or image destination the converter wrote: `body[start:start + len(url)] == url`."""

    start: int
    url: str  # as written in the markdown


@dataclass(frozen=True)
class Page:
    """A converted issue: front matter values and a markdown body, not yet placed on disk.

    `image_destinations` are where the body names one of `images`, so the images can be pointed
    at their downloaded copies without reading the markdown again.
    """

    source: str
    title: str
    body: str
    id: int | None = None
    date: datetime | date | None = None
    description: str | None = None
    aliases: tuple[str, ...] = ()
    number: int | None = None
    draft: bool = False
    slug: str = ""
    url: str | None = None
    images: tuple[Image, ...] = ()
    notes: tuple[str, ...] = ()
    files: tuple[PageFile, ...] = ()
    image_results: tuple[ImageResult, ...] = ()
    image_destinations: tuple[Destination, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """Something that was not written, and why (one line).

    `ignored` is true for what was left out on purpose (a draft, a second copy of an issue, a
    file that holds no issue): it is reported, but it is not a failure.
    """

    source: str
    reason: str
    ignored: bool = False

    @classmethod
    def on_purpose(cls, source: str, reason: str) -> Skipped:
        return cls(source, reason, ignored=True)


@dataclass(frozen=True)
class Written:
    """A page that is now on disk (or already was, byte for byte).

    `files` is every file of the issue, the page first, then its images (written now or
    already there); `changed` is about the page itself.
    """

    source: str
    path: str
    changed: bool
    notes: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    images: tuple[ImageResult, ...] = ()


@dataclass(frozen=True)
class RedirectsWritten:
    """The redirect file kept beside the site (`--redirects`): where, which format, how many."""

    file: str
    format: str
    count: int
    changed: bool
    notes: tuple[str, ...] = ()


@dataclass
class Report:
    """What a run did. Filled by the pipeline, printed by the CLI."""

    written: list[Written] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored: list[Skipped] = field(default_factory=list)
    redirects: RedirectsWritten | None = None

    @property
    def ok(self) -> bool:
        return not self.skipped

    def image_counts(self) -> dict[str, int]:
        """How many images ended up in each status ("downloaded", "failed", ...)."""
        counts: dict[str, int] = {}
        for written in self.written:
            for image in written.images:
                counts[image.status] = counts.get(image.status, 0) + 1
        return counts
