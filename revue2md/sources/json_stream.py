"""Read a large saved JSON array one element at a time (ijson), so that memory does not grow with it.

`json` decodes a whole document at once: a saved `GET /issues` response of thousands of issues
then sits in memory, twice (the text and the objects), before the first issue is converted.
`streamable` says whether a file can be read as a stream with exactly the values `json` would
give; `array_items` then yields them one by one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

_CHUNK = 1 << 20
# Deeper than this, the file is read whole: `json` then decides how deep is too deep.
MAX_DEPTH = 64
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_PAIR = 12  # bytes of one escaped surrogate pair, `\ud83d\ude00`


def streamable(path: Path) -> bool:
    """A UTF-8 JSON array without a byte-order mark that ijson reads exactly as `json` does.

    Where the two parsers differ, the answer is no: bytes \\x0b and \\x0c (whitespace to yajl,
    an error to `json`), an escaped surrogate that is not half of a pair (`json` keeps it, yajl
    writes `?`), numbers yajl refuses (huge integers, NaN), and any syntax error, so that the
    message about a broken file is the one `json` gives. This pass builds no value.
    """
    if not path.is_file():  # a FIFO or a device: the safe reader refuses it in one line
        return False
    return streamable_from(lambda: path.open("rb"))


def streamable_from(open_stream: Callable[[], BinaryIO]) -> bool:
    """`streamable` for bytes that `open_stream` gives afresh at each call (a file, a ZIP member)."""
    import ijson

    try:
        with open_stream() as file:
            if not file.read(4096).lstrip(b" \t\r\n").startswith(b"["):
                return False
        with open_stream() as file:
            if not _plain_bytes(file):
                return False
        with open_stream() as file:
            depth = 0
            for event, _ in ijson.basic_parse(file, use_float=True):
                if event in ("start_map", "start_array"):
                    depth += 1
                    if depth > MAX_DEPTH:
                        return False
                elif event in ("end_map", "end_array"):
                    depth -= 1
    except (OSError, ValueError, ijson.JSONError):
        return False
    return True


def array_items(path: Path) -> Iterator[Any]:
    """The elements of the JSON array in `path`, decoded one at a time (check `streamable` first)."""
    return array_items_from(lambda: path.open("rb"))


def array_items_from(open_stream: Callable[[], BinaryIO]) -> Iterator[Any]:
    """The elements of the JSON array `open_stream` gives, one at a time (check `streamable_from` first)."""
    import ijson

    with open_stream() as file:
        yield from ijson.items(file, "item", use_float=True)


def _plain_bytes(file: BinaryIO) -> bool:
    """No \\x0b or \\x0c byte, and every escaped surrogate is half of a high-low pair."""
    carry = b""
    while True:
        chunk = file.read(_CHUNK)
        if b"\x0b" in chunk or b"\x0c" in chunk:
            return False
        last = not chunk
        buffer = carry + chunk
        # An escape that starts in the last bytes may continue in the next chunk: judge it then.
        limit = len(buffer) if last else max(0, len(buffer) - _PAIR)
        consumed = 0
        carry_from = limit
        for match in _SURROGATE.finditer(buffer):
            if match.start() < consumed:
                continue
            if match.start() >= limit:
                carry_from = match.start()
                break
            low = _SURROGATE.match(buffer, match.end())
            if not _is_high(match.group()) or low is None or _is_high(low.group()):
                return False
            consumed = low.end()
        else:
            carry_from = max(limit, consumed)
        if last:
            return True
        carry = buffer[max(carry_from, consumed):]


def _is_high(escape: bytes) -> bool:
    return escape[3:4] in b"89abAB"
