"""Repair a markdown page that an earlier migration left damaged, and change nothing else.

Three kinds of damage are repaired: mojibake (repaired on the whole document first, front
matter and body, as the export does), tracking parameters in URLs, and HTML entities in the
title. Everything else stays byte for byte:

- the front matter is edited as raw text: only the values that change are rewritten, quoted
  in the front matter's own syntax (a double-quoted YAML string, a TOML basic string, a JSON
  string); key order, comments and the formatting of every other value are kept. The result
  is read back and compared with what the edit meant to do; when they differ, the front
  matter is left as it was and a note says so;
- URLs are cleaned in link and image destinations, autolinks, reference definitions, bare
  URLs, raw HTML attributes (`&amp;` counts as a separator there) and front-matter strings,
  never inside code blocks, code spans, `<pre>`/`<code>` or Hugo `highlight` shortcodes.

Pure functions: text in, text and a report out.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from revue2md.clean.mojibake import MojibakeFix, MojibakeMode, fix_mojibake
from revue2md.clean.tracking import DEFAULT_FILTER, TrackingFilter
from revue2md.hugo.frontmatter import yaml_string


@dataclass(frozen=True)
class RepairOptions:
    tracking: TrackingFilter = DEFAULT_FILTER
    mojibake: MojibakeMode = MojibakeMode.auto


@dataclass(frozen=True)
class RepairReport:
    """What the repair of one page did."""

    mojibake: MojibakeFix | None = None
    tracking_removed: int = 0
    title_decoded: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Repaired:
    """The repaired text, whether it differs from the input, and what was done."""

    text: str
    changed: bool
    report: RepairReport


def repair_markdown(text: str, options: RepairOptions = RepairOptions()) -> Repaired:
    """Repair one markdown document (front matter in YAML, TOML or JSON, or none)."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    document, mojibake = fix_mojibake(text[len(bom):], options.mojibake)
    notes: list[str] = []
    front = split_front_matter(document)
    body_start = 0
    title_decoded, removed = False, 0
    if front is not None:
        body_start = front.body_start
        data = document[front.start:front.end]
        try:
            edited = edit_front_matter(front.kind, data, options.tracking)
        except FrontMatterNotEdited as reason:
            notes.append(f"front matter left as it was: {reason}")
        else:
            if edited.text != data:
                document = document[:front.start] + edited.text + document[front.end:]
                body_start += len(edited.text) - len(data)
            title_decoded, removed = edited.title_decoded, edited.tracking_removed
    body, body_removed = clean_body_urls(document[body_start:], options.tracking)
    repaired = bom + document[:body_start] + body
    report = RepairReport(mojibake=mojibake, tracking_removed=removed + body_removed,
                          title_decoded=title_decoded, notes=tuple(notes))
    return Repaired(text=repaired, changed=repaired != text, report=report)


# --- front matter ---------------------------------------------------------------------------

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
}


def split_front_matter(document: str) -> FrontMatter | None:
    """Find Hugo front matter: `---` YAML `---`, `+++` TOML `+++`, or a JSON object first thing."""
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
    if _WHOLE_URL.fullmatch(value):
        value, removed = strip_url(value, tracking)
    else:
        value, removed = clean_bare_urls(value, tracking)
    return value, decoded, removed


def decode_title(title: str) -> str:
    """The title with its HTML entities decoded (repeatedly: `&amp;#x27;` too), on one line.

    A title without entities is returned as it is, so a title that needs nothing is not rewritten.
    """
    decoded = title
    for _ in range(5):
        once = html.unescape(decoded)
        if once == decoded:
            break
        decoded = once
    # Only the entities change: the author's spacing, trailing space included, stays.
    return title if decoded == title else _LINE_BREAKS.sub(" ", decoded.strip("\r\n"))


_LINE_BREAKS = re.compile(r"[\r\n\u0085\u2028\u2029]+")


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
        _refuse_alias_bombs(data)
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


# Aliases let 1 KB of YAML stand for gigabytes of values (`&a [*b, *b, ...]`): a page's front
# matter needs few, if any. Counting them reads the events only, in time linear in the text.
MAX_YAML_ALIASES = 64


def _refuse_alias_bombs(data: str) -> None:
    import yaml

    aliases = 0
    for event in yaml.parse(data, Loader=_yaml_loader()):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_YAML_ALIASES:
                raise FrontMatterNotEdited(f"it uses more than {MAX_YAML_ALIASES} YAML aliases; left as it is")


def _yaml_load(data: str):
    import yaml

    _refuse_alias_bombs(data)
    return yaml.load(data, Loader=_yaml_loader())  # a safe loader (CSafeLoader or SafeLoader)


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
    return _tomllib().loads(data)


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
    "json": (_json_values, json_string, json.loads),
}


# --- URLs -----------------------------------------------------------------------------------

_WHOLE_URL = re.compile(r"(?:https?://|www\.)\S+")

# One pass, left to right, so that a URL is seen in its own context only once.
_URL_CONTEXTS = re.compile(
    r"""
    (?P<refdef>^[ \t>]*\[(?:[^\]\\\r\n]|\\.)+\]:[ \t]*(?:\r?\n[ \t>]*)?)(?P<refurl><[^<>\r\n]*>|\S+)
    | (?P<inline>\]\([ \t]*(?:\r?\n[ \t>]*)?)
      (?P<dest><[^<>\r\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+)
    | (?P<autolink><[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>)
    | (?P<tag><[A-Za-z][A-Za-z0-9\-]*(?:\s+[^\s"'=<>`/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>)
    | (?P<bare>(?:https?://|www\.)[^\s<>"'`\[\]]+)
    """,
    re.X | re.M,
)
_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`\[\]]+")
_ATTRIBUTE = re.compile(r"""(\s[^\s"'=<>`/]+\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
# What ends a sentence, closes emphasis or escapes the next character after a bare URL is not
# part of it (as in GFM).
_TRAILING = frozenset("?!.,:;*_~'\"\\")


def strip_url(url: str, tracking: TrackingFilter) -> tuple[str, int]:
    """A URL without tracking parameters; `&amp;` separates parameters as well as `&`."""
    if "?" not in url:
        return url, 0
    removed = 0
    if "&amp;" in url:
        url, removed = tracking.strip(url, "&amp;")
    url, more = tracking.strip(url)
    return url, removed + more


def clean_bare_urls(text: str, tracking: TrackingFilter) -> tuple[str, int]:
    """Clean every http(s) or www. URL written in free text; trailing punctuation is not part of it."""
    if "?" not in text:
        return text, 0
    removed = 0

    def one(match: re.Match[str]) -> str:
        nonlocal removed
        cleaned, count = _clean_bare(match.group(), tracking)
        removed += count
        return cleaned

    return _BARE_URL.sub(one, text), removed


def _clean_bare(candidate: str, tracking: TrackingFilter) -> tuple[str, int]:
    end = len(candidate)
    while end:
        char = candidate[end - 1]
        if char in _TRAILING or (char == ")" and candidate.count("(", 0, end) < candidate.count(")", 0, end)):
            end -= 1
        else:
            break
    url, count = strip_url(candidate[:end], tracking)
    return url + candidate[end:], count


def _clean_context(match: re.Match[str], tracking: TrackingFilter) -> tuple[str, int]:
    kind = match.lastgroup
    if kind == "bare":
        return _clean_bare(match.group(), tracking)
    if kind == "tag":
        return _clean_tag(match.group(), tracking)
    if kind == "autolink":
        url, count = strip_url(match.group()[1:-1], tracking)
        return f"<{url}>", count
    if kind == "refurl":
        prefix, url = match.group("refdef"), match.group("refurl")
    else:
        prefix, url = match.group("inline"), match.group("dest")
    if url.startswith("<"):
        inner, count = strip_url(url[1:-1], tracking)
        return f"{prefix}<{inner}>", count
    url, count = strip_url(url, tracking)
    return prefix + url, count


def _clean_tag(tag: str, tracking: TrackingFilter) -> tuple[str, int]:
    removed = 0

    def one(match: re.Match[str]) -> str:
        nonlocal removed
        raw = match.group(2)
        quote = raw[0] if raw[0] in "\"'" else ""
        value = raw[1:-1] if quote else raw
        if any(char.isspace() for char in value):
            value, count = clean_bare_urls(value, tracking)
        else:
            value, count = strip_url(value, tracking)
        removed += count
        return f"{match.group(1)}{quote}{value}{quote}"

    return _ATTRIBUTE.sub(one, tag), removed


def clean_body_urls(body: str, tracking: TrackingFilter) -> tuple[str, int]:
    """Remove tracking parameters from every URL of a markdown body, outside code."""
    if "?" not in body or not _has_tracking(body, tracking):
        return body, 0
    masked = mask_code(body)
    pieces, last, removed = [], 0, 0
    for match in _URL_CONTEXTS.finditer(masked):
        start, end = match.span()
        if body[start:end] != match.group():
            continue  # it reaches into code
        cleaned, count = _clean_context(match, tracking)
        if count:
            pieces += [body[last:start], cleaned]
            last, removed = end, removed + count
    return "".join(pieces) + body[last:], removed


def _has_tracking(text: str, tracking: TrackingFilter) -> bool:
    """Cheap first look, before any parsing: does any URL in the text carry a tracking parameter?"""
    return any(_clean_context(match, tracking)[1] for match in _URL_CONTEXTS.finditer(text))


# --- code -----------------------------------------------------------------------------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_RAW_CODE_BLOCK = re.compile(r"\s*<(?:pre|script|style|textarea)[\s>]", re.I)
_INLINE_CODE = re.compile(
    r"<code\b[^>]*>[\s\S]*?</code\s*>"
    r"|\{\{[<%]\s*highlight\b[\s\S]*?\{\{[<%]\s*/highlight\s*[>%]\}\}",
    re.I,
)
_BACKTICKS_OR_ESCAPE = re.compile(r"\\[\s\S]|`+")
_BACKTICKS = re.compile(r"`+")


@lru_cache(maxsize=1)
def _block_parser():
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    parser.disable(["inline", "text_join"], ignoreInvalid=True)  # only the block structure is needed
    return parser


def mask_code(body: str) -> str:
    """The body with code blocks, code spans and raw code elements blanked (same length, same lines)."""
    lines = [match.span() for match in _LINE.finditer(body)]
    if not lines:
        return body
    code: list[tuple[int, int]] = []
    inline_blocks: list[tuple[int, int]] = []
    covered = [False] * len(lines)
    for token in _block_parser().parse(body):
        if token.map is None:
            continue
        first, last = token.map[0], min(token.map[1], len(lines)) - 1
        if last < first:
            continue
        span = (lines[first][0], lines[last][1])
        if token.type in ("fence", "code_block") or (
            token.type == "html_block" and _RAW_CODE_BLOCK.match(token.content)
        ):
            code.append(span)
        elif token.type in ("paragraph_open", "heading_open"):
            inline_blocks.append(span)
        else:
            continue
        for index in range(first, last + 1):
            covered[index] = True
    inline_blocks += [lines[index] for index in range(len(lines)) if not covered[index]]
    for start, end in inline_blocks:
        code += [(start + a, start + b) for a, b in code_spans(body[start:end])]
    masked = _blank(body, code)
    return _blank(masked, [match.span() for match in _INLINE_CODE.finditer(masked)])


def code_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the CommonMark code spans in one block of inline text (backticks included)."""
    spans = []
    position = 0
    while True:
        opening = _BACKTICKS_OR_ESCAPE.search(text, position)
        if opening is None:
            return spans
        position = opening.end()
        if opening.group()[0] == "\\":
            continue  # an escaped character cannot open a code span
        length = len(opening.group())
        for closing in _BACKTICKS.finditer(text, position):
            if len(closing.group()) == length:
                spans.append((opening.start(), closing.end()))
                position = closing.end()
                break


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in sorted(spans):
        start = max(start, last)
        if end <= start:
            continue
        pieces += [text[last:start], re.sub(r"[^\r\n]", " ", text[start:end])]
        last = end
    return "".join(pieces) + text[last:]
