"""Put a page on disk: its images first (bundle folder or static folder), then the page file."""

from __future__ import annotations

import posixpath
from pathlib import Path

from revue2md.errors import WriteError
from revue2md.files import inside, write_atomic
from revue2md.hugo.page import render_page
from revue2md.models import Page, Written


def page_bytes(page: Page) -> bytes:
    """The bytes `write_page` puts in the page file (`check` compares them with the disk)."""
    return render_page(page).encode("utf-8")


def write_page(page: Page, name: str, out: Path, static_dir: Path | None = None) -> Written:
    """Put one issue on disk: its images first (bundle folder or static folder), then the page.

    Every write is atomic and unchanged bytes are left alone. `Written.files` lists every
    file of the issue, the page first, including images that were already there.
    """
    target = inside(out, name)
    files = []
    for file in page.files:
        if file.place == "bundle":
            path = inside(out, posixpath.join(posixpath.dirname(name), file.name))
        elif static_dir is not None:
            path = inside(static_dir, file.name)
        else:
            raise WriteError(f"{file.name}: no static folder to write it to")
        if file.data is not None:
            write_atomic(path, file.data)
        elif file.copy_from is not None:
            write_atomic(path, _read(file.copy_from))
        elif not path.is_file():
            raise WriteError(f"{path}: the image is no longer there")
        files.append(str(path))
    changed = write_atomic(target, page_bytes(page))
    return Written(page.source, str(target), changed, page.notes, files=(str(target), *files),
                   images=page.image_results)


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise WriteError(f"cannot read {path}: {error.strerror or error}") from None
