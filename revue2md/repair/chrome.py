"""Revue's e-mail chrome left in migrated markdown: found by Revue's own phrases and URLs only.

Only two places are looked at, because that is where Revue put it and where an author's
sentence is not: the first lines of the body (a `[View online](…)` link to the issue) and the
run of lines that ends the page (the footer: "Did you enjoy this issue?", "Carefully curated
by … with Revue", unsubscribe and forwarding sentences, "Created with Revue by Twitter",
"Powered by Revue" and the sender's postal address right after it). A footer line is removed
only when every sentence on it is one of Revue's and only footer lines follow it; a line
that mixes Revue's words with the author's stays whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from revue2md.revue_urls import REVUE_HOSTS, parse_issue_url, split_url


@dataclass(frozen=True)
class ChromeLine:
    """A removed line: its number in the body (1-based) and its text."""

    line: int
    text: str


@dataclass(frozen=True)
class WithoutChrome:
    text: str
    removed: tuple[ChromeLine, ...] = ()


_LINK = r"\[(?P<{name}>[^\]\r\n]*)\]\((?P<{name}_url>[^()\r\n]*(?:\([^()\r\n]*\)[^()\r\n]*)*)\)"
_WRAPPING = re.compile(r"^[\s>*_]*(.*?)[\s*_\\]*$")
_VIEW_ONLINE = re.compile(
    r"(?:View (?:it |this (?:issue|email) )?(?:online|in (?:your |the )?browser)|Open in (?:your )?browser)[.!]?",
    re.IGNORECASE,
)
_HEADER_LINK = re.compile(_LINK.format(name="text") + r"[.!]?")
_APOSTROPHE = "['’]"
_FOOTER_SENTENCES = [
    r"Did you enjoy this issue\?(?:[\s/|·]*(?:\[(?:Yes|No|👍|👎)\]\([^()\s]*\)|!\[[^\]]*\]\([^()\s]*\)"
    r"|Yes|No|👍|👎))*",
    rf"In order to unsubscribe,? click {_LINK.format(name='unsub')}\.?",
    rf"If you don{_APOSTROPHE}t want these updates anymore,? please (?:{_LINK.format(name='unsub2')}"
    r"|unsubscribe(?: here)?)\.?",
    rf"If you were forwarded this newsletter and you like it,? you can (?:{_LINK.format(name='fwd')}"
    rf"|subscribe (?:{_LINK.format(name='fwd2')}|here))\.?",
    rf"You(?: are|{_APOSTROPHE}re) receiving this (?:e-?mail|newsletter) because [^\r\n]{{1,200}}?[.!]",
]
_FOOTER = re.compile(r"(?:(?:" + "|".join(_FOOTER_SENTENCES) + r")\s*)+", re.IGNORECASE)
# Revue's own "made with" lines: linked to getrevue.co, or the bare words.
_REVUE_NAME = r"Revue(?: by Twitter)?"
_MADE_WITH = re.compile(
    rf"(?:Created with|Powered by|Carefully curated by [^\[\]\r\n]{{1,80}}? with)\s+"
    rf"(?:\[{_REVUE_NAME}\]\((?P<made_url>[^()\r\n]*)\)|\[!\[[^\]]*\]\([^()\s]*\)\]\((?P<logo_url>[^()\r\n]*)\)"
    rf"|{_REVUE_NAME})[.!]?",
    re.IGNORECASE,
)
_VOTE = re.compile(r"(?:[\s/|·]*(?:\[(?:Yes|No|👍|👎)\]\([^()\s]*\)|Yes|No|👍|👎))+", re.IGNORECASE)
# The sender's address Revue printed under "Powered by Revue": one short line with a number.
_ADDRESS = re.compile(r"(?!#)[^\[\]()<>*`|\r\n]{5,140}")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


_CANDIDATE = re.compile(r"\bRevue\b|getrevue\.co|View online|browser|unsubscribe|forwarded this|receiving this"
                        r"|enjoy this issue", re.IGNORECASE)


def might_hold_chrome(body: str) -> bool:
    """A cheap first look: every chrome line holds one of these words."""
    return _CANDIDATE.search(body) is not None


def remove_chrome(body: str, masked: str) -> WithoutChrome:
    """The body without Revue's header and footer lines; `masked` is the body with code blanked."""
    lines = [(match.start(), match.end()) for match in _LINE.finditer(masked)]
    texts = [masked[start:end].strip() for start, end in lines]
    remove = set(_header_lines(texts)) | set(_footer_lines(texts))
    remove = {index for index in remove if body[slice(*lines[index])] == masked[slice(*lines[index])]}
    if not remove:
        return WithoutChrome(body)
    removed = tuple(ChromeLine(index + 1, texts[index]) for index in sorted(remove))
    drop = set(remove)
    for index in sorted(remove):  # with the blank lines that separated it from the rest
        following = index + 1
        while following < len(lines) and not texts[following]:
            drop.add(following)
            following += 1
    kept_last = max((index for index in range(len(lines)) if index not in drop and texts[index]), default=-1)
    if kept_last >= 0 and all(index in drop or not texts[index] for index in range(kept_last + 1, len(lines))):
        drop |= set(range(kept_last + 1, len(lines)))  # the page ends with its last kept line
    pieces = [body[start:end] for index, (start, end) in enumerate(lines) if index not in drop]
    text = "".join(pieces)
    if kept_last >= 0 and body.endswith(("\n", "\r")) and not text.endswith(("\n", "\r")):
        text += _line_break(body)
    return WithoutChrome(text, removed)


def _line_break(text: str) -> str:
    return "\r\n" if "\r\n" in text else ("\r" if "\r" in text and "\n" not in text else "\n")


def _header_lines(texts: list[str]) -> list[int]:
    first = next((index for index, text in enumerate(texts) if text), None)
    if first is None:
        return []
    line = _WRAPPING.match(texts[first]).group(1)
    link = _HEADER_LINK.fullmatch(line)
    if link and _VIEW_ONLINE.fullmatch(link.group("text").strip()) and is_revue_link(link.group("text_url")):
        return [first]
    return []


def _footer_lines(texts: list[str]) -> list[int]:
    found: list[int] = []
    nonblank = [index for index, text in enumerate(texts) if text]
    position = len(nonblank) - 1
    if position >= 1 and _made_with(texts[nonblank[position - 1]]) and _is_address(texts[nonblank[position]]):
        found.append(nonblank[position])
        position -= 1
    while position >= 0:
        index = nonblank[position]
        line = _WRAPPING.match(texts[index]).group(1)
        if _VOTE.fullmatch(line):
            # "Yes" / "No" alone are Revue's only under "Did you enjoy this issue?"
            previous = texts[nonblank[position - 1]] if position else ""
            asked = _is_footer(previous) and "enjoy" in previous.lower()
            if not (asked or _VOTE.fullmatch(_WRAPPING.match(previous).group(1))):
                break
        elif not (_is_footer(texts[index]) or _made_with(texts[index])):
            break
        found.append(index)
        position -= 1
    return found


def _is_footer(text: str) -> bool:
    return _FOOTER.fullmatch(_WRAPPING.match(text).group(1)) is not None


def _made_with(text: str) -> bool:
    match = _MADE_WITH.fullmatch(_WRAPPING.match(text).group(1))
    if match is None:
        return False
    url = match.group("made_url") or match.group("logo_url")
    return url is None or is_revue_link(url)


def _is_address(text: str) -> bool:
    return _ADDRESS.fullmatch(text) is not None and any(char.isdigit() for char in text) and "http" not in text


def is_revue_link(url: str) -> bool:
    """A URL of Revue itself, or one of Revue's links to the issue (`utm_content=view_in_browser`)."""
    url = url.strip().strip("<>")
    parts = split_url(url)
    host = (parts.hostname or "").lower()
    if host in REVUE_HOSTS or host == "rev.vu":
        return True
    query = dict(parse_qsl(parts.query.replace("&amp;", "&")))
    if query.get("utm_content") in ("view_in_browser", "footerlink") and query.get("utm_campaign") == "Issue":
        return True
    return parse_issue_url(url) is not None and query.get("utm_campaign") == "Issue"
