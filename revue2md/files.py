"""Put bytes on disk: atomically, and never outside the output folder."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

from revue2md.errors import DiskFullError, UsageError, WriteError


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# New pages get the permissions any other new file would (mkstemp alone gives 0600).
_NEW_FILE_MODE = 0o666 & ~_current_umask()


TEMPORARY_PREFIX = ".revue2md-"
# A full disk, or a full quota: no later write can succeed either.
DISK_FULL = frozenset(code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if code is not None)


def remove_stale_temporaries(out_dir: Path) -> int:
    """Delete the temporary files a killed run left behind (their writer's process is gone).

    Each temporary file carries the pid of the process writing it, so a run never removes
    the file another live run is about to rename into place.
    """
    removed = 0
    if not out_dir.is_dir():
        return 0
    for directory, _, files in os.walk(out_dir):
        for name in files:
            if not (name.startswith(TEMPORARY_PREFIX) and name.endswith(".tmp")):
                continue
            pid = name[len(TEMPORARY_PREFIX):].split("-", 1)[0]
            if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
                continue
            try:
                Path(directory, name).unlink()
                removed += 1
            except OSError:
                pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def output_folder(out: Path) -> Path:
    """`out` as a folder to write into; UsageError when it is a file or something else that is not a folder."""
    out = Path(out)
    if (out.exists() or out.is_symlink()) and not out.is_dir():
        raise UsageError(f"{out}: not a folder")
    return out


def inside(out_dir: Path, relative: str) -> Path:
    """The absolute path of `relative` under `out_dir`; WriteError if it would land outside.

    Worked out on strings, in half the time pathlib takes; pathlib would also intern the
    page's name, which the plan keeps for the whole run.
    """
    base = _realpath(os.fspath(out_dir))
    if os.path.isabs(relative) or ".." in _parts(relative):
        raise WriteError(f"refusing to write outside {out_dir}: {relative}")
    target = os.path.normpath(os.path.join(base, relative))
    parent = _realpath(os.path.dirname(target))
    if parent != base and not parent.startswith(base.rstrip(os.sep) + os.sep):
        raise WriteError(f"refusing to write outside {out_dir}: {relative}")
    if os.path.islink(target):
        raise WriteError(f"refusing to write through a symbolic link: {target}")
    return Path(target)


def _parts(relative: str) -> list[str]:
    """The parts of a relative path, split at every separator this system has."""
    if os.altsep:
        relative = relative.replace(os.altsep, os.sep)
    return relative.split(os.sep)


def _realpath(path: str) -> str:
    """`os.path.realpath`, remembered for a folder that resolved to itself (no link on the way) and
    is still a folder and not a link: thousands of pages share one folder."""
    if path in _PLAIN_FOLDERS and _is_plain_folder(path):
        return path
    resolved = os.path.realpath(path)
    if resolved == path and os.path.isdir(path) and len(_PLAIN_FOLDERS) < 4096:
        _PLAIN_FOLDERS.add(path)
    return resolved


def _is_plain_folder(path: str) -> bool:
    """A folder and not a link to one (`isdir(path) and not islink(path)`, in one call)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return False


_PLAIN_FOLDERS: set[str] = set()


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` via a temporary file and a rename. False when the bytes were already there.

    An export writes thousands of files, and on some disks every system call on a path costs
    more than converting a paragraph: the path is looked at once, its folder is made only
    when the temporary file cannot be created in it, and the mode is set on the open file.
    """
    try:
        status = _stat_or_none(path)
        if status is not None and stat.S_ISREG(status.st_mode):
            if status.st_size == len(data) and path.read_bytes() == data:
                return False
            mode = status.st_mode & 0o777
        else:
            mode = _NEW_FILE_MODE
        try:
            handle, temporary = _temporary_file(path)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = _temporary_file(path)
        try:
            with os.fdopen(handle, "wb") as stream:
                _set_mode(handle, temporary, mode)
                stream.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        if error.errno in DISK_FULL:
            raise DiskFullError(path) from None
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from None
    return True


# The errors for which pathlib's `is_file()` and `exists()` answer False instead of raising.
_NOTHING_THERE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def _stat_or_none(path: str | Path, follow: bool = True) -> os.stat_result | None:
    """`os.stat` (`os.lstat` without `follow`), None where pathlib would say the path is not there."""
    try:
        return os.stat(path) if follow else os.lstat(path)
    except OSError as error:
        if error.errno in _NOTHING_THERE:
            return None
        raise


def lexists(path: str | Path) -> bool:
    """Is there anything at `path`, a link to nothing included (`exists() or is_symlink()` in one call)?"""
    return _stat_or_none(path, follow=False) is not None


def _temporary_file(path: Path) -> tuple[int, str]:
    return tempfile.mkstemp(dir=path.parent, prefix=f"{TEMPORARY_PREFIX}{os.getpid()}-", suffix=".tmp")


def _set_mode(handle: int, name: str, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(handle, mode)
    else:
        os.chmod(name, mode)


def pages_on_disk(out: Path) -> list[str]:
    """Every page file under `out` (relative, `/`-separated); hidden files and Hugo's `_index.md` aside."""
    found = []
    for directory, subdirectories, files in os.walk(out):
        subdirectories[:] = sorted(name for name in subdirectories if not name.startswith("."))
        for name in sorted(files):
            if name.endswith(".md") and not name.startswith(".") and name != "_index.md":
                found.append(Path(directory, name).relative_to(out).as_posix())
    return found


class NotRegularFile(OSError):
    """A path that revue2md refuses to read: not a regular file, or a link out of its folder."""


def read_regular(path: Path, *, within: Path | None = None, max_bytes: int | None = None) -> bytes:
    """The bytes of the regular file at `path`.

    NotRegularFile (an OSError, with a `strerror` for the user) when `path` is a FIFO, a device,
    a socket or a folder (opening a FIFO would wait forever, a device could be endless), when a
    symbolic link takes it outside `within`, or when it holds more than `max_bytes`. Without
    `within`, a link the user named is followed, but only to a regular file.
    """
    handle = _open_regular(path, within, max_bytes)
    try:
        chunks, total = [], 0
        while True:
            chunk = os.read(handle, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if max_bytes is not None and total > max_bytes:  # the file grew while being read
                raise NotRegularFile(errno.EFBIG, f"more than the {max_bytes}-byte limit", str(path))
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(handle)


def open_regular(path: Path, *, within: Path | None = None, max_bytes: int | None = None) -> BinaryIO:
    """The regular file at `path`, open for reading, refused as `read_regular` refuses it.

    `max_bytes` is checked against the file's size when it is opened.
    """
    return os.fdopen(_open_regular(path, within, max_bytes), "rb")


def _open_regular(path: Path, within: Path | None, max_bytes: int | None) -> int:
    target = os.path.realpath(path)
    if within is not None and not _is_under(target, os.path.realpath(within)):
        raise NotRegularFile(errno.EXDEV, f"a symbolic link to {_kind_name(target)} outside {within}", str(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    handle = os.open(target, flags)
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFile(errno.EINVAL, f"not a regular file ({_mode_name(status.st_mode)})", str(path))
        if max_bytes is not None and status.st_size > max_bytes:
            raise NotRegularFile(errno.EFBIG, f"{status.st_size} bytes is over the {max_bytes}-byte limit",
                                 str(path))
    except BaseException:
        os.close(handle)
        raise
    return handle


def read_head(path: Path, size: int) -> bytes:
    """The first `size` bytes of a regular file (NotRegularFile otherwise), without reading the rest."""
    handle = _open_regular(path, None, None)
    try:
        return os.read(handle, size)
    finally:
        os.close(handle)


def refusal(path: Path, within: Path | None = None) -> str | None:
    """Why `read_regular(path, within=...)` would refuse `path` (None when it would read it)."""
    target = os.path.realpath(path)
    if within is not None and not _is_under(target, os.path.realpath(within)):
        return f"a symbolic link to {_kind_name(target)} outside {within}"
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return None  # reading it will say what is wrong
    return None if stat.S_ISREG(mode) else f"not a regular file ({_mode_name(mode)})"


def _is_under(target: str, base: str) -> bool:
    return target == base or target.startswith(base.rstrip(os.sep) + os.sep)


def _kind_name(target: str) -> str:
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return "a missing file"
    return "a file" if stat.S_ISREG(mode) else _mode_name(mode)


def _mode_name(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"
