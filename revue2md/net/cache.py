"""A folder of responses kept between runs, so an interrupted download resumes and a rerun is free.

Entries are keyed by what was asked (a request path and query), stored under a hash of the
key, and written atomically: a run killed mid-write leaves no half entry behind.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from revue2md.errors import WriteError
from revue2md.files import write_atomic


class ResponseCache:
    def __init__(self, folder: Path | None):
        self.folder = folder

    def path(self, kind: str, key: str, suffix: str = "") -> Path | None:
        if self.folder is None:
            return None
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        return self.folder / kind / f"{digest}{suffix}"

    def get(self, kind: str, key: str, suffix: str = "") -> bytes | None:
        path = self.path(kind, key, suffix)
        if path is None or not path.is_file():
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    def put(self, kind: str, key: str, data: bytes, suffix: str = "") -> None:
        """Keep `data`; a cache that cannot be written is an error the user must see."""
        path = self.path(kind, key, suffix)
        if path is None:
            return
        try:
            write_atomic(path, data)
        except WriteError as error:
            raise WriteError(f"cache: {error}") from None
