"""Where a page holds code or templates: spans no repair may edit.

`mask_code` returns the text with those spans blanked (same length, same line breaks), so the
URL finder and the chrome finder can work on the masked copy and edit the original at the
same offsets. Blanked: code blocks (fenced, indented, `<pre>`, `<script>`, `<style>`,
`<textarea>`), code spans, `<code>` elements, Hugo `highlight` shortcodes, Liquid tags and
outputs (`{% … %}`, `{{ … }}`), and in MDX pages the ESM lines and the `{…}` expressions
(an attribute written `href={"…"}` stays visible: its string is a URL like any other).
"""

from __future__ import annotations

import re
from functools import lru_cache

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_RAW_CODE_BLOCK = re.compile(r"\s*<(?:pre|script|style|textarea)[\s>]", re.I)
_INLINE_CODE = re.compile(
    r"<code\b[^>]*>[\s\S]*?</code\s*>"
    r"|\{\{[<%]\s*highlight\b[\s\S]*?\{\{[<%]\s*/highlight\s*[>%]\}\}",
    re.I,
)
# Liquid (Jekyll, Eleventy): `{% … %}` tags, `{{ … }}` outputs; `{{<` and `{{%` are Hugo's.
_LIQUID = re.compile(r"\{%[\s\S]*?%\}|\{\{(?![<%])[\s\S]*?\}\}")
_MDX_ESM = re.compile(r"^(?:import|export)\b[^\r\n]*", re.M)
# An MDX attribute whose value is one string literal: `href={"…"}`, `src={'…'}`, ``{`…`}``.
_MDX_STRING_ATTRIBUTE = re.compile(r"""=\s*\{\s*(?:"[^"\\\r\n]*"|'[^'\\\r\n]*'|`[^`\\$]*`)\s*\}""")
_BACKTICKS_OR_ESCAPE = re.compile(r"\\[\s\S]|`+")
_BACKTICKS = re.compile(r"`+")


@lru_cache(maxsize=1)
def _block_parser():
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    parser.disable(["inline", "text_join"], ignoreInvalid=True)  # only the block structure is needed
    return parser


def mask_code(body: str, mdx: bool = False) -> str:
    """The body with code and templates blanked (same length, same lines)."""
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
    masked = _blank(masked, [match.span() for match in _INLINE_CODE.finditer(masked)])
    masked = _blank(masked, [match.span() for match in _LIQUID.finditer(masked)])
    if mdx:
        masked = _blank(masked, [match.span() for match in _MDX_ESM.finditer(masked)])
        masked = _blank(masked, mdx_expressions(masked))
    return masked


def mdx_expressions(text: str) -> list[tuple[int, int]]:
    """Spans of MDX `{…}` expressions (braces balanced), except single-string attribute values."""
    attributes = {match.start() + match.group().index("{") for match in _MDX_STRING_ATTRIBUTE.finditer(text)}
    spans = []
    position = 0
    while True:
        start = text.find("{", position)
        if start < 0:
            return spans
        if start > 0 and text[start - 1] == "\\":
            position = start + 1
            continue
        depth, end = 0, start
        while end < len(text):
            if text[end] == "{":
                depth += 1
            elif text[end] == "}":
                depth -= 1
                if depth == 0:
                    break
            end += 1
        if depth:
            position = start + 1  # not closed: a stray brace, not an expression
            continue
        if start not in attributes:
            spans.append((start, end + 1))
        position = end + 1


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
