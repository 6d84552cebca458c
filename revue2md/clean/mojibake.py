"""Repair mojibake (UTF-8 text that was decoded with the wrong charset somewhere).

ftfy does the repair, with a conservative configuration: it must not straighten curly
quotes, unescape HTML, touch ligatures, widths or line breaks, or normalise Unicode. The whole text is
tried first, as one piece (line-by-line repair misses lines made only of emoji), then
each line that still looks damaged. A cheap scan for the byte patterns that mojibake
leaves skips clean text without calling ftfy at all.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from functools import lru_cache

from revue2md.models import Choice


class MojibakeMode(Choice):
    """When to repair mojibake: only text that looks damaged, any suspect text, or never."""

    auto = "auto"
    always = "always"
    never = "never"


@dataclass(frozen=True)
class MojibakeFix:
    """What a repair changed: how many characters differ, and how ftfy explained it."""

    chars_changed: int
    how: str


def _decoded(byte_values: range, encoding: str) -> str:
    out = []
    for value in byte_values:
        try:
            out.append(bytes([value]).decode(encoding))
        except UnicodeDecodeError:
            continue
    return "".join(out)


@lru_cache(maxsize=1)
def _suspect_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(any lead then any continuation, of any charset; the same pair within one charset).

    A UTF-8 lead byte followed by a continuation byte, both decoded with the same one of
    the charsets that usually cause the damage. Clean text almost never has such a pair.
    A no-break space is left out of the leads: Mac Roman decodes 0xCA as one, and
    "\xa0•" between links is common, while the IPA letter it would stand for is not.
    The first pattern matches wherever the second does, and scans about five times faster
    (one class per character instead of three alternatives): it finds where to try the second.
    """
    pairs = []
    leads, continuations = set(), set()
    for encoding in ("latin-1", "cp1252", "mac_roman"):
        lead = _decoded(range(0xC2, 0xF5), encoding).replace("\xa0", "")
        cont = _decoded(range(0x80, 0xC0), encoding)
        leads.update(lead)
        continuations.update(cont)
        pairs.append(f"[{re.escape(lead)}][{re.escape(cont)}]")
    loose = f"[{re.escape(''.join(sorted(leads)))}][{re.escape(''.join(sorted(continuations)))}]"
    return re.compile(loose), re.compile("|".join(pairs))


@lru_cache(maxsize=1)
def _config():
    from ftfy import TextFixerConfig

    return TextFixerConfig(
        unescape_html=False,
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        normalization=None,
        fix_line_breaks=False,  # line endings are the file's, not damage (CRLF must stay CRLF)
        explain=True,
    )


def looks_damaged(text: str) -> bool:
    """Quick test: could this text hold mojibake at all?"""
    loose, exact = _suspect_patterns()
    # The exact pattern is tried only where the loose one matches: a clean page with a few
    # such pairs ("é’") is not scanned whole a second time.
    candidate = loose.search(text)
    while candidate is not None:
        start = candidate.start()
        if exact.match(text, start):
            return True
        candidate = loose.search(text, start + 1)
    return False


def fix_mojibake(text: str, mode: MojibakeMode = MojibakeMode.auto) -> tuple[str, MojibakeFix | None]:
    """Return the repaired text and what changed (None when nothing did).

    `auto` repairs only text that ftfy's badness measure calls damaged; `always` lets ftfy
    try every text that has mojibake-like byte pairs; `never` returns the text as it is.
    """
    if mode == "never" or not text or not looks_damaged(text):
        return text, None
    import ftfy
    from ftfy.badness import is_bad

    gate = (lambda _: True) if mode == "always" else is_bad
    fixed, how = text, ""
    if gate(text):
        whole, explanation = ftfy.fix_and_explain(text, _config())
        if whole != text:
            fixed, how = whole, _describe(explanation, "whole text")
    if fixed == text:
        lines = text.splitlines(keepends=True)
        repaired = 0
        for index, line in enumerate(lines):
            if looks_damaged(line) and gate(line):
                new_line, explanation = ftfy.fix_and_explain(line, _config())
                if new_line != line:
                    lines[index] = new_line
                    repaired += 1
                    how = how or _describe(explanation, "")
        if repaired:
            fixed = "".join(lines)
            how = f"{how.rstrip()} ({repaired} line{'s' if repaired > 1 else ''})".strip()
    if fixed == text:
        return text, None
    changed = sum(map(operator.ne, fixed, text)) + abs(len(fixed) - len(text))
    return fixed, MojibakeFix(chars_changed=changed, how=how)


_TAG = re.compile(r"(<[^>]*>)")


def fix_mojibake_html(markup: str, mode: MojibakeMode = MojibakeMode.auto) -> tuple[str, MojibakeFix | None]:
    """`fix_mojibake` for HTML: the whole text, then its lines, then each text segment between tags.

    One damaged paragraph beside clean ones on the same line is repaired on its own, with the
    same gate as a whole text: a segment ftfy does not call damaged stays as it is.
    """
    if mode == "never" or not markup or not looks_damaged(markup):
        return markup, None
    fixed, found = fix_mojibake(markup, mode)
    if found is not None:
        return fixed, found
    pieces = _TAG.split(markup)
    repaired, how = 0, ""
    for index in range(0, len(pieces), 2):  # even indexes are text, odd ones tags
        if looks_damaged(pieces[index]):
            new_piece, piece_fix = fix_mojibake(pieces[index], mode)
            if piece_fix is not None:
                pieces[index] = new_piece
                repaired += 1
                how = how or piece_fix.how.split(",")[0].split(" (")[0]
    if not repaired:
        return markup, None
    fixed = "".join(pieces)
    changed = sum(map(operator.ne, fixed, markup)) + abs(len(fixed) - len(markup))
    scope = f"{repaired} text segment{'s' if repaired > 1 else ''}"
    return fixed, MojibakeFix(chars_changed=changed, how=f"{how} ({scope})")


def _describe(explanation, scope: str) -> str:
    encodings = [arg for step, arg in (explanation or []) if step in ("encode", "decode")]
    read_as = next((arg for step, arg in (explanation or []) if step == "encode"), None)
    if read_as:
        text = f"UTF-8 read as {read_as.replace('sloppy-', '')}"
    elif encodings:
        text = " -> ".join(encodings)
    else:
        text = "characters repaired"
    return f"{text}, {scope}" if scope else text
