"""Find the URLs of a markdown page the way a markdown reader does, and clean exactly those bytes.

One scan, left to right, over the page with its code blanked (see `code.mask_code`): inline
links and images (`<…>` destinations, balanced parentheses, titles), reference definitions,
autolinks, HTML and JSX tags (`href="…"`, `href={"…"}`), and bare URLs. Each URL is seen in
one context only, so a URL inside a link is never read a second time as a bare URL.

Pages migrated from e-mails hold destinations CommonMark cannot read: a query with spaces
(`(https://e.com/?utm_source=Start the week&id=3)`). Such a destination is read as the whole
text up to the link's closing parenthesis when that text is one URL and nothing else (an
optional title aside). Anything else that cannot be read unambiguously is left as it is and
reported, never guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from revue2md.clean.tracking import TrackingFilter


@dataclass(frozen=True)
class Unreadable:
    """A place holding a tracking parameter that was left alone: where, and why."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class CleanedUrls:
    text: str
    removed: int
    unreadable: tuple[Unreadable, ...] = ()


_WHOLE_URL = re.compile(r"(?:https?://|www\.)\S+")
_START = re.compile(
    r"""
    (?P<refdef>^[ \t>]*\[(?:[^\]\\\r\n]|\\.)+\]:[ \t]*(?:\r?\n[ \t>]*)?)
    | (?P<inline>\]\()
    | (?P<autolink><[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>)
    | (?P<tag><[A-Za-z][A-Za-z0-9\-.:]*
        (?:\s+[^\s"'=<>`/{}]+(?:\s*=\s*(?:"[^"]*"|'[^']*'
            |\{\s*(?:"[^"\\\r\n]*"|'[^'\\\r\n]*'|`[^`\\$]*`)\s*\}|[^\s"'=<>`{}]+))?)*\s*/?>)
    | (?P<bare>(?:https?://|www\.)[^\s<>"'`\[\]]+)
    """,
    re.X | re.M,
)
_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`\[\]]+")
_ATTRIBUTE = re.compile(
    r"""(\s[^\s"'=<>`/{}]+\s*=\s*)(\{\s*)?("[^"]*"|'[^']*'|`[^`]*`|[^\s"'=<>`{}]+)(\s*\})?"""
)
# What ends a sentence, closes emphasis or escapes the next character after a bare URL is not
# part of it (as in GFM).
_TRAILING = frozenset("?!.,:;*_~'\"\\")
_TITLE = re.compile(r'"(?:[^"\\]|\\[\s\S])*"|\'(?:[^\'\\]|\\[\s\S])*\'|\((?:[^()\\]|\\[\s\S])*\)')
_SPACE_ONE_BREAK = re.compile(r"[ \t]*(?:\r?\n[ \t>]*)?")
# A destination as pages converted from e-mails hold it: one URL with spaces in it, and
# nothing else but an optional title after it.
_SPACED_URL = re.compile(
    r"""[ \t]*(?P<url>(?:https?://|www\.)[^\s"'<>]*(?:\ +[^\s"'<>]+)*)(?:\ +(?:"[^"\r\n]*"|'[^'\r\n]*'))?[ \t]*"""
)
_QUERY_KEY = re.compile(r"[?&](?:amp;)?([^=&#\s\"'<>()\[\]]+)=")
# After a bare URL with a query: more of a query on the same line (`… the week&id=3`).
_QUERY_GOES_ON = re.compile(r"[ \t]+(?:[^\s<>\[\]()]+[ \t]+){0,8}?[^\s<>\[\]()]*?&(?:amp;)?[\w.%\-]+=")
_PARAGRAPH_END = re.compile(r"\r?\n[ \t>]*\r?\n")
_MAX_DESTINATION = 4000


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


def is_whole_url(value: str) -> bool:
    return _WHOLE_URL.fullmatch(value) is not None


def _bare_end(candidate: str) -> int:
    end = len(candidate)
    while end:
        char = candidate[end - 1]
        if char in _TRAILING or (char == ")" and candidate.count("(", 0, end) < candidate.count(")", 0, end)):
            end -= 1
        else:
            break
    return end


def _clean_bare(candidate: str, tracking: TrackingFilter) -> tuple[str, int]:
    end = _bare_end(candidate)
    url, count = strip_url(candidate[:end], tracking)
    return url + candidate[end:], count


def has_tracking(text: str, tracking: TrackingFilter) -> bool:
    return any(tracking.is_tracking(match.group(1)) for match in _QUERY_KEY.finditer(text))


def clean_urls(body: str, masked: str, tracking: TrackingFilter) -> CleanedUrls:
    """Remove tracking parameters from every URL of a markdown body; `masked` has its code blanked."""
    if "?" not in body or not has_tracking(masked, tracking):
        return CleanedUrls(body, 0)
    edits: list[tuple[int, int, str]] = []
    unreadable: list[Unreadable] = []
    removed = 0

    def edit(start: int, end: int, cleaner=strip_url) -> None:
        nonlocal removed
        if body[start:end] != masked[start:end]:
            return  # it reaches into code
        cleaned, count = cleaner(body[start:end], tracking)
        if count:
            edits.append((start, end, cleaned))
            removed += count

    def leave(start: int, end: int, reason: str) -> None:
        if has_tracking(masked[start:end], tracking):
            unreadable.append(Unreadable(start, end, reason))

    position = 0
    while True:
        match = _START.search(masked, position)
        if match is None:
            break
        kind = match.lastgroup
        position = match.end()
        if kind == "inline":
            found = _inline_destination(masked, match.end())
            if isinstance(found, Unreadable):
                leave(found.start, found.end, found.reason)
                position = found.end
            elif found is not None:
                (start, end), position = found
                edit(start, end)
        elif kind == "refdef":
            line_end = _line_end(masked, match.end())
            span = read_destination(masked[match.end():line_end])
            if span is None:
                leave(match.end(), line_end, "a reference definition whose URL cannot be read")
            else:
                edit(match.end() + span[0], match.end() + span[1])
            position = line_end
        elif kind == "autolink":
            edit(match.start() + 1, match.end() - 1)
        elif kind == "tag":
            edit(match.start(), match.end(), _clean_tag)
        else:
            end = match.start() + _bare_end(match.group())
            url = masked[match.start():end]
            following = _QUERY_GOES_ON.match(masked, end, _line_end(masked, end))
            if "?" in url and following and has_tracking(url, tracking):
                leave(match.start(), following.end(),
                      "a URL with spaces in its query outside a link: where it ends cannot be told")
                position = following.end()
            else:
                edit(match.start(), end)
    pieces, last = [], 0
    for start, end, replacement in edits:
        pieces += [body[last:start], replacement]
        last = end
    return CleanedUrls("".join(pieces) + body[last:], removed, tuple(unreadable))


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else (end - 1 if end and text[end - 1] == "\r" else end)


def _inline_destination(text: str, start: int):
    """The destination after `](` at `start`: ((url start, url end), where the link ends), None when
    the link has no URL, or Unreadable."""
    close = _closing_parenthesis(text, start)
    if close is None:
        end = _line_end(text, start)
        return Unreadable(start, end, "a link without its closing parenthesis")
    span = read_destination(text[start:close])
    if span is None:
        return Unreadable(start, close, "a link destination that cannot be read unambiguously")
    if span[0] == span[1]:
        return None
    return (start + span[0], start + span[1]), close + 1


def _closing_parenthesis(text: str, start: int) -> int | None:
    """Where the `(` just before `start` closes, within its paragraph; None when it does not."""
    paragraph = _PARAGRAPH_END.search(text, start)
    limit = min(paragraph.start() if paragraph else len(text), start + _MAX_DESTINATION)
    depth, index = 1, start
    if text.startswith("<", _SPACE_ONE_BREAK.match(text, start).end()):
        closing = text.find(">", start, limit)
        index = closing + 1 if closing >= 0 else start
    quote = ""
    while index < limit:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'" and index > start and text[index - 1] in " \t\n":
            quote = char  # a title: parentheses inside it do not count
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def read_destination(content: str) -> tuple[int, int] | None:
    """The span of the URL in the text of a destination (between `(` and `)`, or after a
    reference label's `:`): CommonMark's reading first, then a URL with spaces; None when
    neither reads the whole text."""
    opening = _SPACE_ONE_BREAK.match(content).end()
    if content.startswith("<", opening):
        closing = content.find(">", opening)
        if closing < 0 or "\n" in content[opening:closing] or "<" in content[opening + 1:closing]:
            return None
        span, rest = (opening + 1, closing), closing + 1
    else:
        end, depth = opening, 0
        while end < len(content):
            char = content[end]
            if char == "\\":
                end += 2
                continue
            if char.isspace() or ord(char) < 0x20:
                break
            depth += (char == "(") - (char == ")")
            if depth < 0:
                break
            end += 1
        end = min(end, len(content))
        span, rest = (opening, end), end
        if depth != 0:
            span = None
    if span is not None and _only_title_after(content, rest, span[1] > span[0]):
        return span
    spaced = _SPACED_URL.fullmatch(content)
    if spaced:
        return spaced.span("url")
    return None


def _only_title_after(content: str, position: int, has_url: bool) -> bool:
    after = _SPACE_ONE_BREAK.match(content, position)
    if after.end() == len(content):
        return True
    if has_url and after.end() == position:
        return False  # a title must be separated from the URL
    title = _TITLE.match(content, after.end())
    return title is not None and _SPACE_ONE_BREAK.match(content, title.end()).end() == len(content)


def _clean_tag(tag: str, tracking: TrackingFilter) -> tuple[str, int]:
    removed = 0

    def one(match: re.Match[str]) -> str:
        nonlocal removed
        prefix, brace_open, raw, brace_close = match.groups()
        if bool(brace_open) != bool(brace_close) or (brace_open and raw[0] not in "\"'`"):
            return match.group()
        quote = raw[0] if raw[0] in "\"'`" else ""
        value = raw[1:-1] if quote else raw
        if any(char.isspace() for char in value):
            value, count = clean_bare_urls(value, tracking)
        else:
            value, count = strip_url(value, tracking)
        removed += count
        return f"{prefix}{brace_open or ''}{quote}{value}{quote}{brace_close or ''}"

    return _ATTRIBUTE.sub(one, tag), removed
