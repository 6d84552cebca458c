"""Turn the bytes of a saved file into text, or say in one line why it is not text."""

from __future__ import annotations

import codecs
import re
import threading
from pathlib import Path

from revue2md.errors import SourceError
from revue2md.files import read_regular

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def read_text(path: Path) -> str:
    """Read a text file the way a browser would: UTF-8 first, then the declared charset."""
    return read_text_noted(path)[0]


def read_text_noted(path: Path) -> tuple[str, str | None]:
    """The text of a file, and a note when some of its bytes were not UTF-8 and were repaired."""
    try:
        data = read_regular(path)
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror or error}") from None
    return decode_noted(data)


def decode(data: bytes) -> str:
    return decode_noted(data)[0]


def _repair_byte(error: UnicodeDecodeError) -> tuple[str, int]:
    """A byte that is not UTF-8 is read as cp1252 (what a stray Latin-1 or Windows byte means)."""
    _REPAIRED.count += error.end - error.start
    return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


class _Count(threading.local):
    count = 0


_REPAIRED = _Count()
codecs.register_error("revue2md-cp1252", _repair_byte)


def decode_noted(data: bytes) -> tuple[str, str | None]:
    """Decode per file as UTF-8; only the bytes that are not UTF-8 are repaired, and the note says how many.

    One stray Latin-1 byte must not turn every `”` of a UTF-8 file into mojibake, as reading
    the whole file as cp1252 would.
    """
    if not data.strip():
        raise SourceError("empty file")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff"), None
            except UnicodeDecodeError:
                raise SourceError(f"not valid {encoding} text despite its byte-order mark") from None
    head = data[:8192]
    if len(_CONTROL.findall(head)) > max(2, len(head) // 100):
        raise SourceError("binary data, not text")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii")
        try:
            if codecs.lookup(name).name != "utf-8":
                return data.decode(name, errors="replace"), None
        except LookupError:
            pass
    _REPAIRED.count = 0
    text = data.decode("utf-8", errors="revue2md-cp1252")
    count = _REPAIRED.count
    return text, f"{count} byte{'s' if count != 1 else ''} not valid UTF-8 read as cp1252"
