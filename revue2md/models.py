"""The plain data that flows between the stages: source -> clean -> convert -> write."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


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


@dataclass(frozen=True)
class Image:
    """An image the page shows: where it points, and the local file it came from, if any."""

    src: str
    alt: str = ""


@dataclass(frozen=True)
class Page:
    """A converted issue: front matter values and a markdown body, not yet placed on disk."""

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


@dataclass(frozen=True)
class Skipped:
    """Something that was not written, and why (one line)."""

    source: str
    reason: str


@dataclass(frozen=True)
class Ignored(Skipped):
    """Left out on purpose (a draft, a second copy of an issue): reported, not a failure."""


@dataclass(frozen=True)
class Written:
    """A page that is now on disk (or already was, byte for byte)."""

    source: str
    path: str
    changed: bool
    notes: tuple[str, ...] = ()


@dataclass
class Report:
    """What a run did. Filled by the pipeline, printed by the CLI."""

    written: list[Written] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored: list[Skipped] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.skipped
