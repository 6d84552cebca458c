"""A list kept in a temporary file, so that a report of 10,000 pages does not hold 10,000 objects.

Appending pickles the item to the end of the file; reading it back unpickles it. Only the
offsets stay in memory (8 bytes an item). It reads like a list: `len`, iteration, indexing.
"""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections.abc import Iterator
from typing import Any


class SpooledList:
    def __init__(self, items=()):
        self._file = None
        self._offsets = array("q")
        for item in items:
            self.append(item)

    def append(self, item: Any) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="revue2md-report-")  # noqa: SIM115 (lives as long as the list)
        self._file.seek(0, 2)
        self._offsets.append(self._file.tell())
        pickle.dump(item, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def __len__(self) -> int:
        return len(self._offsets)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        offset = self._offsets[index]
        self._file.seek(offset)
        return pickle.load(self._file)

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
