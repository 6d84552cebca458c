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


def inside(out_dir: Path, relative: str) -> Path:
    """The absolute path of `relative` under `out_dir`; WriteError if it would land outside."""
    base = Path(os.path.realpath(out_dir))
    if Path(relative).is_absolute() or ".." in Path(relative).parts:
        raise WriteError(f"refusing to write outside {out_dir}: {relative}")
    target = base / relative
    parent = Path(os.path.realpath(target.parent))
    if parent != base and base not in parent.parents:
        raise WriteError(f"refusing to write outside {out_dir}: {relative}")
    if target.is_symlink():
        raise WriteError(f"refusing to write through a symbolic link: {target}")
    return target


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` via a temporary file and a rename. False when the bytes were already there."""
    try:
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
        mode = path.stat().st_mode & 0o777 if path.is_file() else _NEW_FILE_MODE
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".revue2md-", suffix=".tmp")
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
