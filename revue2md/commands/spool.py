"""A list kept in a temporary file, so that a report of 10,000 pages does not hold 10,000 objects.

Appending pickles the item to the end of the file; reading it back unpickles it. Only the
offsets stay in memory (8 bytes an item). It reads like a list: `len`, iteration, indexing.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from array import array
from collections.abc import Iterator
from typing import Any

from revue2md.errors import DiskFullError, Revue2mdError
from revue2md.files import DISK_FULL


def spool_error(error: OSError, holds: str) -> Revue2mdError:
    """A spool lives in the temporary folder ($TMPDIR): say so, in one line."""
    try:
        folder = tempfile.gettempdir()
    except OSError:  # no usable temporary folder at all
        folder = os.environ.get("TMPDIR") or "the temporary folder"
    if error.errno in DISK_FULL:
        return DiskFullError(f"{folder} (the temporary folder, $TMPDIR, holds {holds}; "
                             "point TMPDIR at a folder with room)")
    return Revue2mdError(f"cannot use the temporary folder {folder}: {error.strerror or error}")


class SpooledList:
    def __init__(self, items=()):
        self._file = None
        self._offsets = array("q")
        for item in items:
            self.append(item)

    def append(self, item: Any) -> None:
        try:
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="revue2md-report-")  # noqa: SIM115 (lives as long as the list)
            self._file.seek(0, 2)
            offset = self._file.tell()
            pickle.dump(item, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as error:
            raise spool_error(error, "the report's pages") from None
        self._offsets.append(offset)

    def __len__(self) -> int:
        return len(self._offsets)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        offset = self._offsets[index]
        try:
            self._file.seek(offset)  # writes out what the buffer holds: a full disk shows here
            return pickle.load(self._file)
        except OSError as error:
            raise spool_error(error, "the report's pages") from None

    def __iter__(self) -> Iterator[Any]:
        for position in range(len(self)):
            yield self[position]

    def __eq__(self, other) -> bool:
        try:
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        except TypeError:
            return NotImplemented

    def __repr__(self) -> str:
        return f"SpooledList({len(self)} items)"
