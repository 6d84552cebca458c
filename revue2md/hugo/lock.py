"""One sync at a time per folder: an OS lock on `.revue2md.hugo.lock`, holding the owner's pid.

The operating system releases the lock when its process ends, however it ends (even
SIGKILL), so a lock left by a dead run never blocks the next one.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from revue2md.errors import Revue2mdError, UsageError, WriteError

LOCK_NAME = ".revue2md.hugo.lock"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class FolderLocked(Revue2mdError):
    """Another process holds the folder's lock (exit code 1)."""


@contextlib.contextmanager
def folder_lock(folder: Path, command: str = "sync") -> Iterator[None]:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: not a folder")
    path = folder / LOCK_NAME
    while True:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if path.is_symlink():
                raise WriteError(f"cannot use {folder}: {LOCK_NAME} is a symbolic link; remove it")
            # Never through a link, never waiting on a FIFO: the lock must be a plain file of this folder.
            handle = os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _NONBLOCK, 0o644)
        except OSError as error:
            raise WriteError(f"cannot use {folder}: {path.name}: {error.strerror or error}") from None
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            os.close(handle)
            raise WriteError(f"cannot use {folder}: {LOCK_NAME} is not a regular file; remove it")
        if not _try_lock(handle):
            pid = _read_pid(handle)
            os.close(handle)
            owner = f" (pid {pid})" if pid else ""
            raise FolderLocked(f"another {command} is running on {folder}{owner}; try again when it has finished")
        # The owner before us removes the file on its way out: if it did so between our open
        # and our lock, we hold a lock on a file nobody else will see; start again.
        try:
            same_file = os.path.samestat(os.fstat(handle), os.stat(path))
        except FileNotFoundError:
            same_file = False
        if same_file:
            break
        os.close(handle)
    try:
        os.ftruncate(handle, 0)
        os.lseek(handle, 0, os.SEEK_SET)
        os.write(handle, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(handle)


def _read_pid(handle: int) -> int | None:
    try:
        text = os.pread(handle, 32, 0).decode("ascii", "replace").strip()
    except (OSError, AttributeError):
        return None
    return int(text) if text.isdigit() else None


try:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

except ImportError:  # Windows
    import msvcrt

    def _try_lock(handle: int) -> bool:
        # Lock a byte past the pid, so that a second run can still read the pid.
        os.lseek(handle, 64, os.SEEK_SET)
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
