"""Pick the right source for each path the user gives."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from revue2md.errors import UsageError
from revue2md.sources.dump import ApiDumpSource
from revue2md.sources.web import WebSource

ACCEPTED = (
    "accepted: saved API responses (.json), saved issue pages or archive/e-mail pages (.html), "
    "or a folder of them"
)
_SUFFIXES = {".json": ApiDumpSource, ".html": WebSource, ".htm": WebSource}
# Sources that carry the most metadata come first, so that when one issue appears twice
# the richer copy is the one written.
_PRIORITY = {ApiDumpSource: 0, WebSource: 2}


class Source(Protocol):
    kind: str

    def issues(self): ...  # -> Iterator[Issue | Skipped]


def open_sources(paths: Sequence[str | Path]) -> list[Source]:
    """One source per file found; a UsageError names the path when nothing usable is there."""
    found: list[tuple[int, int, str, Source]] = []
    for order, raw in enumerate(paths):
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_dir():
            files = list(_walk(path))
            if not files:
                raise UsageError(f"{path}: no Revue data found in this folder; {ACCEPTED}")
        else:
            source_type = _type_of(path)
            if source_type is None:
                raise UsageError(f"{path}: not a Revue source; {ACCEPTED}")
            files = [(path, source_type)]
        for file, source_type in files:
            found.append((_PRIORITY[source_type], order, str(file), source_type(file)))
    found.sort(key=lambda entry: entry[:3])
    return [source for *_, source in found]


def _walk(folder: Path):
    """Files of a known kind under `folder`, sorted; hidden folders and browser `*_files` skipped."""
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = sorted(
            name for name in subdirectories if not name.startswith(".") and not name.endswith("_files")
        )
        for name in sorted(files):
            path = Path(directory, name)
            source_type = _SUFFIXES.get(path.suffix.lower())
            if source_type is not None and not name.startswith("."):
                yield path, source_type


def _type_of(path: Path):
    source_type = _SUFFIXES.get(path.suffix.lower())
    if source_type is not None:
        return source_type
    try:
        with path.open("rb") as stream:
            head = stream.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return None
    if head[:1] in (b"[", b"{"):
        return ApiDumpSource
    if head[:1] == b"<":
        return WebSource
    return None


def iter_issues(sources: Sequence[Source]):
    """Every issue or skip of every source, in order."""
    for source in sources:
        yield from source.issues()
