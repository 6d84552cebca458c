"""Read a Revue ZIP export, or the folder it was unpacked to, without trusting it.

Before anything is decompressed, every entry of the ZIP is checked: no absolute path, no
`..`, no drive letter or backslash, no symbolic link, and the sizes the archive declares stay
under a total and a compression-ratio limit (zipfile never returns more bytes than an entry
declares, so the declared sizes bound the work). Nothing is extracted to disk: members are
read into memory, and only those asked for.
"""

from __future__ import annotations

import errno
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Protocol

from revue2md.errors import SourceError
from revue2md.files import NotRegularFile, open_regular, read_regular, refusal

_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    max_total_bytes: int = 2 * 1024**3  # what all entries together would expand to
    max_member_bytes: int = 256 * 1024**2  # one file read into memory
    max_ratio: float = 200.0  # uncompressed / compressed size of one entry...
    ratio_floor: int = 1024**2  # ...checked only for entries larger than this


class ExportFiles(Protocol):
    """The files of an export: relative POSIX names, and their bytes on request."""

    def names(self) -> list[str]: ...

    def read(self, name: str) -> bytes: ...

    def size(self, name: str) -> int: ...

    def open(self, name: str) -> BinaryIO: ...

    def close(self) -> None: ...


DEFAULT_LIMITS = ArchiveLimits()


def open_export(path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> ExportFiles:
    return FolderFiles(path, limits) if path.is_dir() else ZipFiles(path, limits)


class ZipFiles:
    def __init__(self, path: Path, limits: ArchiveLimits):
        self.limits = limits
        refused = refusal(path)
        if refused:
            raise SourceError(f"cannot read: {refused}")
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            raise SourceError("not a ZIP archive (or a damaged one)") from None
        except OSError as error:
            raise SourceError(f"cannot read: {error.strerror or error}") from None
        try:
            self._entries = {info.filename: info for info in self._zip.infolist()}
            check_entries(self._zip.infolist(), limits)
        except BaseException:
            self._zip.close()
            raise

    def names(self) -> list[str]:
        return sorted(name for name, info in self._entries.items() if not info.is_dir())

    def size(self, name: str) -> int:
        return self._entries[name].file_size

    def open(self, name: str) -> BinaryIO:
        """The member as a stream: zipfile never gives more bytes than the entry declares,
        and the declared size was checked against the limits."""
        try:
            return self._zip.open(self._readable(name))
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
            raise SourceError(f"{name}: damaged in the archive ({error})") from None

    def _readable(self, name: str) -> zipfile.ZipInfo:
        info = self._entries[name]
        if info.flag_bits & 0x1:
            raise SourceError(f"{name}: encrypted in the archive; unpack it with its password first")
        if info.file_size > self.limits.max_member_bytes:
            raise SourceError(f"{name}: {info.file_size} bytes is over the "
                              f"{self.limits.max_member_bytes}-byte limit for one file")
        return info

    def read(self, name: str) -> bytes:
        info = self._readable(name)
        chunks, total = [], 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > self.limits.max_member_bytes:
                        raise SourceError(f"{name}: more than the {self.limits.max_member_bytes}-byte limit")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
            raise SourceError(f"{name}: damaged in the archive ({error})") from None
        return b"".join(chunks)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def check_entries(entries: list[zipfile.ZipInfo], limits: ArchiveLimits) -> None:
    """Refuse the whole archive when one entry could escape, is a link, or expands too much."""
    total = 0
    for info in entries:
        name = info.filename
        problem = unsafe_name(name)
        if problem:
            raise SourceError(f"refusing this archive: entry {name!r} {problem}")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise SourceError(f"refusing this archive: entry {name!r} is a symbolic link")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise SourceError(f"refusing this archive: it would expand to more than "
                              f"{limits.max_total_bytes} bytes")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            raise SourceError(f"refusing this archive: entry {name!r} expands {ratio:.0f} times "
                              f"(more than {limits.max_ratio:.0f}); it looks like a ZIP bomb")


def unsafe_name(name: str) -> str | None:
    """Why an entry name could land outside a folder it is extracted to, or None when it cannot."""
    if not name or "\x00" in name:
        return "has no usable name"
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/"):
        return "is an absolute path"
    if _DRIVE.match(name):
        return "starts with a drive letter"
    if ".." in PurePosixPath(name).parts:
        return "points outside the archive (..)"
    return None


class FolderFiles:
    """An export unpacked to a folder: its files down to one subfolder level, symbolic links refused."""

    def __init__(self, root: Path, limits: ArchiveLimits):
        self.root = root
        self.limits = limits

    def names(self) -> list[str]:
        found = []
        try:
            for first in self.root.iterdir():
                if first.is_file():
                    found.append(first.name)
                elif first.is_dir() and not first.is_symlink():
                    found.extend(f"{first.name}/{second.name}" for second in first.iterdir()
                                 if second.is_file())
        except OSError as error:
            raise SourceError(f"cannot read the folder: {error.strerror or error}") from None
        return sorted(found)

    def size(self, name: str) -> int:
        try:
            return (self.root / name).lstat().st_size
        except OSError:
            return 0  # reading it says why

    def open(self, name: str) -> BinaryIO:
        return self._read(name, open_regular)

    def read(self, name: str) -> bytes:
        return self._read(name, read_regular)

    def _read(self, name: str, reader):
        path = self.root / name
        if path.is_symlink():
            raise SourceError(f"{name}: is a symbolic link; refusing to follow it")
        try:
            return reader(path, within=self.root, max_bytes=self.limits.max_member_bytes)
        except NotRegularFile as error:
            raise SourceError(f"{name}: {error.strerror}" + (" for one file" if error.errno == errno.EFBIG else "")
                              ) from None
        except OSError as error:
            raise SourceError(f"{name}: cannot read: {error.strerror or error}") from None

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
