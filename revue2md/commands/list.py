"""`list`: one line of facts per issue the sources hold, without converting any of them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from revue2md.clean.issue import clean_line
from revue2md.commands.export import read_issues
from revue2md.commands.options import ExportOptions
from revue2md.dates import format_date
from revue2md.models import Skipped


@dataclass(frozen=True)
class ListedIssue:
    """What `list` prints of an issue: its id and date when known ("-" otherwise), its title, its source."""

    id: str
    date: str
    title: str
    source: str

    def line(self) -> str:
        return f"{self.id}\t{self.date}\t{self.title}\t{self.source}"


def list_issues(paths: Sequence[str | Path], options: ExportOptions) -> Iterator[ListedIssue | Skipped]:
    """Every issue found, in the order `export` meets them; what is not an issue comes as `Skipped`."""
    for item in read_issues(paths, options):
        if isinstance(item, Skipped):
            yield item
            continue
        yield ListedIssue(
            id=str(item.id) if item.id is not None else "-",
            date=format_date(item.sent_at) if item.sent_at else "-",
            title=clean_line(item.title, options.clean, [], "title"),
            source=item.source,
        )
