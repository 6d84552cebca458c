"""What every source is, and what the sources that are not plain files need from the command line.

A source is one object with one method, `issues()`, yielding an `Issue` for each issue it
holds or a `Skipped` value saying in one line why one could not be read. Nothing here
imports a source, so any module may import this one.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from revue2md.errors import UsageError
from revue2md.models import Issue, Skipped

DEFAULT_API_URL = "https://www.getrevue.co/api/v2"
DEFAULT_WAYBACK_URL = "https://web.archive.org"
DEFAULT_RATE = 1.0  # web-archive requests per second
DEFAULT_MAX_WAIT = 60.0  # seconds, the longest wait between retries
DEFAULT_HTTP_DEADLINE = 300.0  # seconds, one attempt of one request from first to last byte


class Source(Protocol):
    kind: str

    def issues(self) -> Iterator[Issue | Skipped]: ...


@dataclass(frozen=True)
class SourceContext:
    """What sources that are not plain files need from the command line (network settings).

    The token is left out of the repr, so printing a context never shows it. `http_deadline`
    bounds each attempt of every request (API, web archive, images).
    """

    api_url: str = DEFAULT_API_URL
    token: str | None = field(default=None, repr=False)
    latest: bool = False
    max_wait: float = DEFAULT_MAX_WAIT
    save_raw: Path | None = None
    http_deadline: float = DEFAULT_HTTP_DEADLINE

    wayback_url: str = DEFAULT_WAYBACK_URL
    before: str | None = None  # a 14-digit archive timestamp, see wayback.parse_before
    cache_dir: Path | None = None
    rate: float = DEFAULT_RATE
    mail_senders: tuple[str, ...] = ()

    def __post_init__(self):
        check_deadline(self.http_deadline)


def check_deadline(seconds: float) -> float:
    """`--http-deadline` as given, when it is a number of seconds above 0; UsageError otherwise."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds) \
            or seconds <= 0:
        raise UsageError(f"--http-deadline {seconds}: use a number of seconds above 0 (not nan or inf)")
    return float(seconds)
