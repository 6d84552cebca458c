"""Write Hugo front matter as YAML that no title can break.

Every string is double-quoted (JSON string syntax, which YAML reads the same way), so
`: `, `#`, `y`, `N`, `1e3` or `{{<` in a title stay text. Characters YAML does not allow
raw, or folds as line breaks, are written as `\\u` escapes. Keys come in a fixed order.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime

from revue2md.dates import format_date

# What is outside YAML's printable set, and what a YAML 1.1 reader treats as a line break
# (U+2028, U+2029). Written as the ranges themselves: the negated printable set compiles to a
# table that took 4 ms of every start.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def yaml_string(value: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly `value`."""
    text = json.dumps(value, ensure_ascii=False)
    if text.isascii() and "\x7f" not in text:  # json.dumps escaped every other ASCII control character
        return text
    return _NOT_PRINTABLE.sub(lambda m: _escape_char(m.group(0)), text)


def _escape_char(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def yaml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (datetime, date)):
        return format_date(value)
    if isinstance(value, str):
        return yaml_string(value)
    raise TypeError(f"no YAML form for {type(value).__name__}")


def render_front_matter(fields: list[tuple[str, object]]) -> str:
    """`---` YAML `---` for the (key, value) pairs in order; None values and empty lists are left out."""
    lines = ["---"]
    for key, value in fields:
        if value is None or value == () or value == []:
            continue
        if isinstance(value, (list, tuple)):
            lines.append(f"{key}:")
            lines.extend(f"  - {yaml_value(item)}" for item in value)
        else:
            lines.append(f"{key}: {yaml_value(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"
