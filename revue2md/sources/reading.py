"""Turn the bytes of a saved file into text, or say in one line why it is not text."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from revue2md.errors import SourceError
from revue2md.files import read_regular

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def read_text(path: Path) -> str:
    """Read a text file the way a browser would: UTF-8 first, then the declared charset, then cp1252."""
    try:
        data = read_regular(path)
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror or error}") from None
    return decode(data)


def decode(data: bytes) -> str:
    if not data.strip():
        raise SourceError("empty file")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError:
                raise SourceError(f"not valid {encoding} text despite its byte-order mark") from None
    head = data[:8192]
    if len(_CONTROL.findall(head)) > max(2, len(head) // 100):
        raise SourceError("binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")
