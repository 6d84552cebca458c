"""The ZIP export Revue offered at its shutdown (`issues_*.csv` + `items_*.json`), or its unpacked folder.

Items are joined to issues on `issue_id`, sorted by their numeric `order`, and written in the
API's `html` grammar (`zip_items`), so the issue continues through the same cleaner and
converter as API JSON. `subscribers_*.csv` holds personal data and is never opened, nor is
any other file than the two above.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import math
import re
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from revue2md.dates import parse_date
from revue2md.errors import SourceError
from revue2md.models import Issue, Skipped
from revue2md.sources.archive import DEFAULT_LIMITS, ArchiveLimits, ExportFiles, open_export
from revue2md.sources.json_stream import array_items_from, streamable_from
from revue2md.sources.reading import decode_noted
from revue2md.sources.zip_items import issue_html
from revue2md.text import html_to_text

# An intro is one CSV field; the csv module's own limit (128 KiB) is too small for a long one.
CSV_FIELD_LIMIT = 64 * 1024 * 1024
ISSUES_FILE = re.compile(r"^issues(?:_.*)?\.csv$", re.IGNORECASE)
ITEMS_FILE = re.compile(r"^items(?:_.*)?\.json$", re.IGNORECASE)
# Real issues hold tens of items; past this many, one issue would cost minutes and gigabytes.
MAX_ITEMS_PER_ISSUE = 1000
# Items files larger than this are read as a stream, one item at a time.
STREAM_ITEMS_FROM = 8 * 1024**2
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)
# Integers an order may be compared as without converting them to float first.
_EXACT = 2**53


class ZipExportSource:
    """A Revue ZIP export, as the `.zip` file or the folder it was unpacked to."""

    kind = "revue-zip"

    def __init__(self, path: Path, limits: ArchiveLimits = DEFAULT_LIMITS):
        self.path = path
        self.limits = limits

    def issues(self) -> Iterator[Issue | Skipped]:
        source = str(self.path)
        try:
            with closing(open_export(self.path, self.limits)) as files:
                issues_names, items_names = data_files(files.names())
                repaired: list[str] = []  # one note per file with bytes that were not UTF-8
                rows = [(name, row) for name in issues_names
                        for row in _read_issue_rows(files.read(name), name, repaired)]
                known = {issue_id for _, row in rows if (issue_id := _int_or_none(row.get("id"))) is not None}
                kept = _KeptItems(known)
                # One items file at a time: only the items an issue keeps outlive the file they came in.
                for name in items_names:
                    _add_items(files, name, kept, repaired)
        except SourceError as error:
            yield Skipped(source, str(error))
            return
        for number, (name, row) in enumerate(rows, start=1):
            issue_id = _int_or_none(row.get("id"))
            if issue_id is None:
                yield Skipped(f"{source}#row{number}", f"{name}: a row without a usable issue id")
                continue
            issue = issue_from_row(row, kept.ordered(issue_id), f"{source}#{issue_id}")
            yield replace(issue, notes=(*issue.notes, *repaired)) if repaired else issue
            left_out = kept.left_out.get(issue_id, 0)
            if left_out:
                yield Skipped(f"{source}#{issue_id}", f"{left_out} items left out: an issue keeps at most "
                                                      f"{MAX_ITEMS_PER_ISSUE} items, the first ones in order")
        if kept.unattached:
            items_belong = "1 item belongs" if kept.unattached == 1 else f"{kept.unattached} items belong"
            yield Skipped.on_purpose(source, f"{items_belong} to no issue in the issues CSV")


class _KeptItems:
    """The items of each known issue, at most `MAX_ITEMS_PER_ISSUE` of them: the first in order.

    Each issue keeps a heap of its items with the largest order key on top, so an item past the
    limit costs one comparison, and the kept items are the first ones in order whatever file
    they came from. Items of issues the issues table does not hold are only counted.
    """

    def __init__(self, known: set[int]):
        self.known = known
        self.heaps: dict[int, list[tuple[tuple[float, int], Mapping[str, Any]]]] = defaultdict(list)
        self.left_out: dict[int, int] = defaultdict(int)
        self.unattached = 0
        self.position = 0

    def add(self, items: Iterable[Any]) -> None:
        # Called for every item of the archive: the common types are tested first, inline.
        known, heaps, left_out = self.known, self.heaps, self.left_out
        position = self.position
        for item in items:
            if type(item) is not dict:
                continue
            position += 1
            issue_id = item.get("issue_id")
            if type(issue_id) is not int or issue_id < 0:
                issue_id = _int_or_none(issue_id)
            if issue_id not in known:
                self.unattached += 1
                continue
            order = item.get("order")
            # Negated so that heapq's smallest is the item that comes last; positions are unique.
            key = (-(order if type(order) is int and -_EXACT < order < _EXACT else _order_number(order)), -position)
            heap = heaps[issue_id]
            if len(heap) < MAX_ITEMS_PER_ISSUE:
                heapq.heappush(heap, (key, item))
            else:
                left_out[issue_id] += 1
                if key > heap[0][0]:
                    heapq.heapreplace(heap, (key, item))
        self.position = position

    def ordered(self, issue_id: int) -> list[Mapping[str, Any]]:
        return [item for _, item in sorted(self.heaps.get(issue_id, ()), key=lambda entry: entry[0], reverse=True)]


def data_files(names: list[str]) -> tuple[list[str], list[str]]:
    """`issues_*.csv` and `items_*.json` at the top of the export or in its one top-level folder."""
    issues, items = [], []
    for name in names:
        path = PurePosixPath(name)
        if len(path.parts) > 2 or path.parts[0] == "__MACOSX" or path.name.startswith("."):
            continue
        if ISSUES_FILE.match(path.name):
            issues.append(name)
        elif ITEMS_FILE.match(path.name):
            items.append(name)
    if not issues or not items:
        missing = " and ".join(what for what, found in (("issues_*.csv", issues), ("items_*.json", items))
                               if not found)
        raise SourceError(f"not a Revue export: no {missing} in it")
    return issues, items


def is_export_folder(path: Path) -> bool:
    """A folder holding `issues_*.csv` and `items_*.json`, directly or in its only subfolder."""
    try:
        entries = [entry for entry in path.iterdir() if not entry.name.startswith(".")
                   and entry.name != "__MACOSX"]
        if _holds_export(entries):
            return True
        if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink():
            return _holds_export(list(entries[0].iterdir()))
    except OSError:
        return False
    return False


def _holds_export(entries: list[Path]) -> bool:
    names = [entry.name for entry in entries if entry.is_file()]
    return any(ISSUES_FILE.match(n) for n in names) and any(ITEMS_FILE.match(n) for n in names)


def issue_from_row(row: Mapping[str, str], items: list[Mapping[str, Any]], source: str) -> Issue:
    """One row of `issues_*.csv` (`id, description, sent_at, subject, preheader`) with its items."""
    description = row.get("description") or ""
    content, notes = issue_html(description, items)
    notes_list = list(notes)
    raw_date = (row.get("sent_at") or "").strip()
    sent_at = parse_date(raw_date) if raw_date else None
    if raw_date and sent_at is None:
        notes_list.append(f"date not understood: {raw_date[:40]!r}")
    # Without the column nothing tells a draft from a sent issue: all are written, rather than none.
    no_date_column = "sent_at" not in row
    if no_date_column:
        notes_list.append("the issues table has no sent_at column: written without a date, "
                          "and drafts cannot be told from sent issues")
    return Issue(
        source=source,
        html=content,
        template="api",
        id=_int_or_none(row.get("id")),
        title=row.get("subject") or "",
        sent_at=sent_at,
        description=html_to_text(description) or None,
        url=None,
        draft=not raw_date and not no_date_column,
        notes=tuple(notes_list),
    )


def _decode(data: bytes, name: str, repaired: list[str]) -> str:
    """The text of one file of the export; a note joins `repaired` when bytes were not UTF-8."""
    try:
        text, note = decode_noted(data)
    except SourceError as error:
        raise SourceError(f"{name}: {error}") from None
    if note:
        repaired.append(f"{name}: {note}")
    return text


def _read_issue_rows(data: bytes, name: str, repaired: list[str]) -> list[dict[str, str]]:
    text = _decode(data, name, repaired) if data.strip() else ""
    previous_limit = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames or "id" not in {_key(field) for field in reader.fieldnames}:
            raise SourceError(f"{name}: not the issues table of a Revue export (no `id` column)")
        return [{_key(key): value or "" for key, value in row.items() if isinstance(key, str)}
                for row in reader]
    except csv.Error as error:
        raise SourceError(f"{name}: not a readable CSV table ({error})") from None
    finally:
        csv.field_size_limit(previous_limit)


def _add_items(files: ExportFiles, name: str, kept: _KeptItems, repaired: list[str]) -> None:
    """The items of one file, as a stream when the file is large, so that only the items kept
    stay in memory: `json` would hold the whole file's bytes, text and objects at once."""
    if files.size(name) > STREAM_ITEMS_FROM:
        def open_member() -> BinaryIO:
            return files.open(name)
        try:
            readable = streamable_from(open_member)
        except _DAMAGED:
            readable = False  # read whole below, which says in one line what is wrong
        if readable:
            try:
                kept.add(array_items_from(open_member))
            except (*_DAMAGED, OSError, ValueError) as error:
                raise SourceError(f"{name}: changed while it was read ({error})") from None
            return
    kept.add(_read_items(files.read(name), name, repaired))


def _read_items(data: bytes, name: str, repaired: list[str]) -> list[Any]:
    """The array of an items file; what in it is not an object is left for `_KeptItems` to pass over."""
    text = _decode(data, name, repaired)
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        where = f" at line {error.lineno}" if isinstance(error, json.JSONDecodeError) else ""
        raise SourceError(f"{name}: not valid JSON{where}") from None
    if not isinstance(value, list):
        raise SourceError(f"{name}: expected an array of items, found {type(value).__name__}")
    return value


def _order_number(order: Any) -> float:
    """Items sort by `order` as a number ("10" after "9"); the file's order breaks ties."""
    try:
        number = float(order) if not isinstance(order, bool) else math.inf
    except (TypeError, ValueError, OverflowError):
        number = math.inf
    return number if math.isfinite(number) else math.inf


def _key(field: str) -> str:
    return field.strip().lstrip("\ufeff").lower()


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
