"""Front matter edited as raw text: only the values that change are rewritten.

Values are quoted in the front matter's own syntax (a double-quoted YAML string, a TOML basic
string, a JSON string); key order, comments and the formatting of every other value are
kept. The result is read back and compared with what the edit meant to do; when they differ,
the front matter is left as it was and the caller is told why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from revue2md.clean.tracking import TrackingFilter
from revue2md.front_matter import load_front_matter
from revue2md.hugo.frontmatter import yaml_string
from revue2md.repair.urls import clean_bare_urls, is_whole_url, strip_url
from revue2md.text import decode_title


@dataclass(frozen=True)
class FrontMatter:
    """Where the front matter data is: `document[start:end]`; the body begins at `body_start`."""

    kind: str  # "yaml", "toml" or "json"
    start: int
    end: int
    body_start: int


@dataclass(frozen=True)
class EditedFrontMatter:
    text: str
    title_decoded: bool
    tracking_removed: int


class FrontMatterNotEdited(Exception):
    """The front matter cannot be edited safely; the message says why (one line)."""


_DELIMITED = {
    "yaml": (re.compile(r"---[ \t]*(?:\r\n|\r|\n)"), re.compile(r"^---[ \t]*(?:\r\n|\r|\n|\Z)", re.M)),
    "toml": (re.compile(r"\+\+\+[ \t]*(?:\r\n|\r|\n)"), re.compile(r"^\+\+\+[ \t]*(?:\r\n|\r|\n|\Z)", re.M)),
    # Eleventy's JSON front matter: `---json`, an object, `---`.
    "json": (re.compile(r"---json[ \t]*(?:\r\n|\r|\n)"), re.compile(r"^---[ \t]*(?:\r\n|\r|\n|\Z)", re.M)),
}


def split_front_matter(document: str) -> FrontMatter | None:
    """Find front matter: `---` YAML `---`, `+++` TOML `+++`, `---json` JSON `---`, or a JSON object first thing.

    Spans are found here, by hand, because the edit must keep every other byte; the values are
    read with python-frontmatter's handlers (`load_front_matter`).
    """
    for kind, (opening, closing) in _DELIMITED.items():
        start = opening.match(document)
        if start:
            end = closing.search(document, start.end())
            if end is None:
                return None
            return FrontMatter(kind, start.end(), end.start(), end.end())
    if document.startswith("{"):
        try:
            value, end = json.JSONDecoder().raw_decode(document)
        except ValueError:
            return None
        if isinstance(value, dict):
            return FrontMatter("json", 0, end, end)
    return None


@dataclass(frozen=True)
class _Value:
    """A string value found in the raw front matter: its span and what it reads as."""

    start: int
    end: int
    value: str
    is_title: bool


def edit_front_matter(kind: str, data: str, tracking: TrackingFilter) -> EditedFrontMatter:
    """Decode entities in the title and remove tracking parameters from string values, in place."""
    finder, quote, load = _FORMATS[kind]
    edits: list[tuple[int, int, str]] = []
    title_decoded, removed = False, 0
    for found in finder(data):
        new, decoded, count = new_value(found.value, found.is_title, tracking)
        if new != found.value:
            edits.append((found.start, found.end, quote(new)))
            title_decoded = title_decoded or decoded
            removed += count
    if not edits:
        return EditedFrontMatter(data, False, 0)
    pieces, last = [], 0
    for start, end, replacement in sorted(edits):
        pieces += [data[last:start], replacement]
        last = end
    edited = "".join(pieces) + data[last:]
    _check_edit(kind, data, edited, load, tracking)
    return EditedFrontMatter(edited, title_decoded, removed)


def new_value(value: str, is_title: bool, tracking: TrackingFilter) -> tuple[str, bool, int]:
    """What a front-matter string becomes: (new value, title entities decoded, parameters removed)."""
    decoded = False
    if is_title:
        title = decode_title(value)
        decoded, value = title != value, title
    if is_whole_url(value):
        value, removed = strip_url(value, tracking)
    else:
        value, removed = clean_bare_urls(value, tracking)
    return value, decoded, removed


def _check_edit(kind: str, data: str, edited: str, load: Callable[[str], object],
                tracking: TrackingFilter) -> None:
    """Read both versions back: the edit must change exactly the values it meant to change."""
    try:
        before = load(data)
    except Exception as error:
        raise FrontMatterNotEdited(f"it cannot be read as {kind.upper()} ({_first_line(error)})") from None
    try:
        after = load(edited)
    except Exception:
        after = None
    if isinstance(before, dict):
        expected = {key: _expected(value, tracking, is_title_key(key)) for key, value in before.items()}
    else:
        expected = _expected(before, tracking)
    if after != expected:
        raise FrontMatterNotEdited("its values could not be rewritten without touching others")


def _expected(value, tracking: TrackingFilter, is_title: bool = False):
    """What a value read from the front matter should read as after the edit."""
    if isinstance(value, str):
        return new_value(value, is_title, tracking)[0]
    if isinstance(value, dict):
        return {key: _expected(item, tracking) for key, item in value.items()}
    if isinstance(value, list):
        return [_expected(item, tracking) for item in value]
    return value


def is_title_key(key: object) -> bool:
    """Hugo reads front-matter keys without regard to case: `Title` is the title too."""
    return isinstance(key, str) and key.lower() == "title"


def _first_line(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text[:120] or type(error).__name__


# YAML: PyYAML's composer gives every scalar's exact span in the text.

def _yaml_values(data: str) -> list[_Value]:
    import yaml

    try:
        root = yaml.compose(data, Loader=_yaml_loader())
    except yaml.MarkedYAMLError as error:
        where = f" at line {error.problem_mark.line + 1}" if error.problem_mark else ""
        raise FrontMatterNotEdited(f"it cannot be read as YAML ({error.problem}{where})") from None
    except yaml.YAMLError as error:
        raise FrontMatterNotEdited(f"it cannot be read as YAML ({_first_line(error)})") from None
    if not isinstance(root, yaml.MappingNode):
        return []
    found: list[_Value] = []
    seen: set[int] = set()

    def walk(node, is_title: bool) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        start, end = node.start_mark.index, node.end_mark.index
        if data[start:start + 1] in ("&", "!", "*"):
            return  # anchors, tags and aliases are kept as they are written
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:str":
                if node.style in ("|", ">"):
                    end = start + len(data[start:end].rstrip())  # the line breaks after it stay
                found.append(_Value(start, end, node.value, is_title))
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, False)
        elif isinstance(node, yaml.MappingNode):
            for _key, value in node.value:
                walk(value, False)

    for key, value in root.value:
        walk(value, isinstance(key, yaml.ScalarNode) and is_title_key(key.value))
    return found


def _yaml_load(data: str):
    return load_front_matter("yaml", data)  # a safe loader that refuses alias bombs


def _yaml_loader():
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there, same results


# TOML: a small tokenizer finds the strings (and skips comments); keys are the strings
# followed by `=` or `.`, table headers are left alone.

_TOML_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""'
    r"|'''(?:[^']|'(?!''))*'''"
    r'|"(?:[^"\\\r\n]|\\.)*"'
    r"|'[^'\r\n]*'"
    r"|#[^\r\n]*"
)
_TOML_HEADER = re.compile(r"^[ \t]*\[\[?[^\]\r\n=,]*\]\]?[ \t]*$", re.M)
_TOML_TITLE = re.compile(r"^[ \t]*title[ \t]*=[ \t]*", re.M | re.I)
_NEXT_CHAR = re.compile(r"\s*(\S?)")


def _toml_values(data: str) -> list[_Value]:
    tomllib = _tomllib()
    try:
        tomllib.loads(data)
    except tomllib.TOMLDecodeError as error:
        raise FrontMatterNotEdited(f"it cannot be read as TOML ({_first_line(error)})") from None
    tokens = list(_TOML_TOKEN.finditer(data))
    masked = _mask_tokens(data, tokens)
    headers = [match.span() for match in _TOML_HEADER.finditer(masked)]
    first_table = headers[0][0] if headers else len(data)
    title_starts = {match.end() for match in _TOML_TITLE.finditer(masked, 0, first_table)}
    found = []
    for token in tokens:
        if token.group().startswith("#"):
            continue
        if _NEXT_CHAR.match(masked, token.end()).group(1) in ("=", "."):
            continue  # a quoted key
        if any(start <= token.start() < end for start, end in headers):
            continue
        value = tomllib.loads("v = " + token.group())["v"]
        found.append(_Value(token.start(), token.end(), value, token.start() in title_starts))
    return found


def _mask_tokens(data: str, tokens: list[re.Match[str]]) -> str:
    """The text with every string and comment blanked out (same length, line breaks kept)."""
    pieces, last = [], 0
    for token in tokens:
        filler = " " if token.group().startswith("#") else "_"
        pieces += [data[last:token.start()], re.sub(r"[^\r\n]", filler, token.group())]
        last = token.end()
    return "".join(pieces) + data[last:]


def toml_string(value: str) -> str:
    """A TOML basic string that reads back as exactly `value`."""
    out = ['"']
    for char in value:
        if char in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _toml_load(data: str):
    _tomllib()  # the one-line reason when no TOML reader is installed
    return load_front_matter("toml", data)


def _json_load(data: str):
    return load_front_matter("json", data)


def _tomllib():
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib
        except ImportError:
            raise FrontMatterNotEdited("reading TOML needs Python 3.11 or the tomli package") from None
    return tomllib


# JSON: every string token is a key (followed by `:`) or a value.

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _json_values(data: str) -> list[_Value]:
    found = []
    depth, last, key_at_top = 0, 0, None
    for token in _JSON_STRING.finditer(data):
        between = data[last:token.start()]
        depth += sum(between.count(c) for c in "{[") - sum(between.count(c) for c in "}]")
        last = token.end()
        value = json.loads(token.group())
        if _NEXT_CHAR.match(data, token.end()).group(1) == ":":
            key_at_top = value if depth == 1 else None
            continue
        is_title = depth == 1 and is_title_key(key_at_top) and between.strip() == ":"
        found.append(_Value(token.start(), token.end(), value, is_title))
        key_at_top = None
    return found


def json_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


_FORMATS: dict[str, tuple[Callable[[str], list[_Value]], Callable[[str], str], Callable[[str], object]]] = {
    "yaml": (_yaml_values, yaml_string, _yaml_load),
    "toml": (_toml_values, toml_string, _toml_load),
    "json": (_json_values, json_string, _json_load),
}

