"""Put bytes on disk: atomically, and never outside the output folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from revue2md.errors import WriteError


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# New pages get the permissions any other new file would (mkstemp alone gives 0600).
_NEW_FILE_MODE = 0o666 & ~_current_umask()


TEMPORARY_PREFIX = ".revue2md-"


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


def inside(out_dir: Path, relative: str) -> Path:
    """The absolute path of `relative` under `out_dir`; WriteError if it would land outside."""
    base = Path(_realpath(str(out_dir)))
    if Path(relative).is_absolute() or ".." in Path(relative).parts:
        raise WriteError(f"refusing to write outside {out_dir}: {relative}")
    target = base / relative
    parent = Path(_realpath(str(target.parent)))
    if parent != base and base not in parent.parents:
        raise WriteError(f"refusing to write outside {out_dir}: {relative}")
    if target.is_symlink():
        raise WriteError(f"refusing to write through a symbolic link: {target}")
    return target


def _realpath(path: str) -> str:
    """`os.path.realpath`, remembered for a folder that resolved to itself (no link on the way) and
    is still a folder and not a link: thousands of pages share one folder."""
    if path in _PLAIN_FOLDERS and os.path.isdir(path) and not os.path.islink(path):
        return path
    resolved = os.path.realpath(path)
    if resolved == path and os.path.isdir(path) and len(_PLAIN_FOLDERS) < 4096:
        _PLAIN_FOLDERS.add(path)
    return resolved


_PLAIN_FOLDERS: set[str] = set()


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` via a temporary file and a rename. False when the bytes were already there."""
    try:
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
        mode = path.stat().st_mode & 0o777 if path.is_file() else _NEW_FILE_MODE
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMPORARY_PREFIX}{os.getpid()}-",
                                             suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from None
    return True


def pages_on_disk(out: Path) -> list[str]:
    """Every page file under `out` (relative, `/`-separated); hidden files and Hugo's `_index.md` aside."""
    found = []
    for directory, subdirectories, files in os.walk(out):
        subdirectories[:] = sorted(name for name in subdirectories if not name.startswith("."))
        for name in sorted(files):
            if name.endswith(".md") and not name.startswith(".") and name != "_index.md":
                found.append(Path(directory, name).relative_to(out).as_posix())
    return found
