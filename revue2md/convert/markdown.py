"""Markdown from the canonical tree: a markdownify subclass that writes plain CommonMark.

The output holds no raw HTML (Hugo drops it by default). Text is escaped where markdown
would read it as syntax: inline (`*`, `_` outside words, backticks, `[`, `<` before a tag
name, entity-like `&`, `~~`) and at the start of a line (`#`, `>`, list markers, `1.`,
`|`, `:` of a definition list, setext underlines), which is where a paragraph or a hard line
break begins.

Nothing from the source becomes code in the site. Hugo reads a shortcode wherever `{{<` or
`{{%` stands in the file, before markdown: every `{` that follows another `{`, or that
begins a text node, gets a backslash (so no two ever touch), in text, alt texts and titles.
A `<` before a tag name or at the end of a text node gets one too, so no raw HTML forms.
Text nodes the page shows as one run are joined first (text_runs), and links and images
pass the URL allow-list (safe_urls) or are written as their text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bs4 import Comment, Doctype, NavigableString, Tag
from markdownify import (
    MarkdownConverter,
    re_all_whitespace,
    re_extract_newlines,
    re_html_heading,
)

from revue2md import embeds
from revue2md.canonical import BLOCKS, TWEET_AUTHOR, TWEET_DATE, TWEET_HANDLE
from revue2md.convert.safe_urls import image_url, link_url
from revue2md.convert.text_runs import join_text_runs
from revue2md.embeds import TweetMode
from revue2md.models import Destination
from revue2md.revue_urls import split_url
from revue2md.text import one_line

# `_` between two letters or digits cannot start or end emphasis, so `snake_case` stays as is.
_INLINE_SPECIAL = re.compile(
    r"[\\`*\[\]]|(?<![^\W_])_|_(?![^\W_])|<(?=[A-Za-z/!?]|$)|&(?=#?\w+;)|~(?=~)|(?<=\{)\{|^\{"
)
_BARE_URL = re.compile(r"https?://[^\s<>\"'`]+")
_LINE_START = re.compile(
    r"^(\s*)(#{1,6}(?=\s|$)|[>|]|[-+:](?=\s|$)|-+(?=\s*$)|=+(?=\s*$)|~~~|(\d{1,9})([.)])(?=\s|$))"
)
_HARD_BREAKS = re.compile(r"(?:\\\n\s*){2,}")
_SENTENCE_END = re.compile(r"(?<=[.!?…])([\"”’)\]*_]*)[ \t]+(?=[\"“‘(\[*_]*[A-Z0-9À-Ý])")
# Words after which a period does not end a sentence.
_ABBREVIATIONS = frozenset({"e.g", "i.e", "vs", "etc", "mr", "mrs", "ms", "dr", "st", "no", "fig", "cf", "jr", "sr"})
_CODE_SPAN = re.compile(r"(`+).+?\1", re.DOTALL)
# The arguments hold no brace: each try stops at the next one, so the scan stays linear.
_SHORTCODE_IN_CODE = re.compile(r"\{\{([<%])([^{}]*?)([>%])\}\}")
_OPENER_IN_CODE = re.compile(r"\{\{(?=[<%](?!/\*))")
_LINE_BLOCK_PARENTS = BLOCKS | {"td", "th", "figcaption", "body", "[document]", "html"}
# Every character a match of _INLINE_SPECIAL starts with: text with none of them needs no escape.
_INLINE_CANDIDATE = re.compile(r"[\\`*\[\]_<&~{]")
# markdownify's blocks whose inner edges, and outer ones (with `pre`), lose their whitespace.
_WHITESPACE_BLOCKS = frozenset({"p", "blockquote", "article", "div", "section", "ol", "ul", "li", "dl", "dt", "dd",
                                "table", "thead", "tbody", "tfoot", "tr", "td", "th"})
_P_EDGE_BREAKS = re.compile(r"^(?:\\\n)+|(?:\\\n?)+$")
_BREAK_INDENT = re.compile(r"\\\n[ \t]+")
_HEADING_SPACES = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")
_HEADING_CLOSING_HASHES = re.compile(r"(\s)(#+)$")
_HEADING_ATTRIBUTES = re.compile(r"(?<!\\)\{(?=[^{}]*\}$)")
_CODE_LINE_BREAK = re.compile(r"\s*\n\s*")
_URL_SPACES = re.compile(r"[\s]+")
# What markdownify's `re_all_whitespace` changes: a tab or line break, or two spaces.
_FOLDED_WHITESPACE = re.compile(r"[\t\r\n]|  ")
_URL_ENTITY = re.compile(r"&(?=#?\w+;)")
_URL_PARENTHESES_CROSSED = re.compile(r"\)[^)]*\(")
# Private-use characters that mark a tracked destination while the body is being written; the
# first one the source does not hold is used.
_MARKS = tuple(chr(code) for code in range(0xE000, 0xE040))



@dataclass(frozen=True)
class EmbedRenderer:
    """How tweets and embeds are written.

    YouTube and Vimeo become Hugo's built-in `youtube` / `vimeo` shortcodes (they render
    offline). A tweet is a blockquote by default: its text when the source has it, then the
    author and the link; it builds offline on any Hugo. `tweets="x-shortcode"` writes
    `{{< x user="..." id="..." >}}` instead, which needs Hugo 0.141+ and the network at build
    time. Anything else becomes a plain link.
    """

    tweets: TweetMode = TweetMode.blockquote

    def tweet(self, url: str, content: str, author: str = "", handle: str = "", date: str = "") -> str:
        found = embeds.tweet(url)
        if self.tweets == "x-shortcode" and found is not None and found.user:
            return f'\n\n{{{{< x user="{found.user}" id="{found.id}" >}}}}\n\n'
        handle = handle or (found.user if found and found.user else "")
        attribution = _tweet_attribution(url, author, handle, date)
        quoted = f"{content}\n\n— {attribution}" if content else attribution
        return "\n\n" + _blockquote(quoted) + "\n\n"

    def embed(self, url: str, content: str) -> str:
        video = embeds.youtube_id(url)
        if video is not None:
            block = f"{{{{< youtube {video} >}}}}"
        elif (video := embeds.vimeo_id(url)) is not None:
            block = f"{{{{< vimeo {video} >}}}}"
        elif embeds.tweet(url) is not None:
            return self.tweet(url, content)
        else:
            block = _autolink(url) if _is_web_url(url) else _escape_inline(url)
        if not block:
            return f"\n\n{content}\n\n" if content else ""
        if content and block.startswith("{{<") and _is_web_url(url) and "\n" not in content and "](" not in content:
            # The caption links to the video, so the page keeps the link beside the player.
            content = f"[{content}]({markdown_url(url)})"
        return "\n\n" + block + (f"\n\n{content}" if content else "") + "\n\n"


@dataclass(frozen=True)
class ConvertOptions:
    """How the markdown is written: one sentence per line or not, and how embeds are rendered."""
    sentence_per_line: bool = False
    embeds: EmbedRenderer = field(default_factory=EmbedRenderer)


class RevueMarkdownConverter(MarkdownConverter):
    def __init__(self, options: ConvertOptions = ConvertOptions(), track: frozenset[str] = frozenset(),
                 mark: str = ""):
        super().__init__(
            heading_style="ATX",
            bullets="*",
            wrap=True,
            wrap_width=None,
            newline_style="BACKSLASH",
            table_infer_header=True,
            escape_misc=False,
            autolinks=True,
        )
        self.revue_options = options
        self.track = track
        self.mark = mark
        # (tags around an element, its name, is it a tweet) -> the tags around its children
        self._inner_tags: dict[tuple[frozenset[str], str, bool], frozenset[str]] = {}

    def destination(self, url: str) -> str:
        """The destination as markdown writes it; one of `track` gets the mark in front."""
        written = markdown_url(url)
        if written in self.track:
            return self.mark + written
        return written

    # --- the walk -------------------------------------------------------------------------

    def process_tag(self, node, parent_tags=None):
        """markdownify's `process_tag`, knowing it is inside a `<pre>` from `parent_tags`.

        markdownify asks `node.find_parent('pre')` at every element, a walk up to the root
        each time; every caller here passes the names of all ancestors, so the set says it.
        """
        if type(parent_tags) is not frozenset:
            parent_tags = frozenset(parent_tags or ())
        name = node.name
        remove_inside = _removes_whitespace_inside(node)
        tweet = name == "div" and "r2m-tweet" in (node.get("class") or ())
        inner = self._inner_tags.get((parent_tags, name, tweet))
        if inner is None:
            inner = self._inner_tags[parent_tags, name, tweet] = _inner_tags(parent_tags, name, tweet)
        strings = []
        for child in node.contents:
            if isinstance(child, Tag):
                text = self.process_tag(child, inner)
            elif isinstance(child, (Comment, Doctype)):
                continue
            elif isinstance(child, NavigableString):
                # Whitespace at the edge of a block, or next to one, is dropped.
                if not child.strip():
                    previous, following = child.previous_sibling, child.next_sibling
                    if ((remove_inside and (not previous or not following))
                            or _removes_whitespace_outside(previous) or _removes_whitespace_outside(following)):
                        continue
                text = self.process_text(child, inner)
            else:
                continue
            if text:
                strings.append(text)
        if name != "pre" and "pre" not in parent_tags:
            collapsed = [""]
            for text in strings:
                if text[0] != "\n" and text[-1] != "\n":
                    leading, content, trailing = "", text, ""
                else:
                    leading, content, trailing = re_extract_newlines.match(text).groups()
                if collapsed[-1] and leading:
                    previous = collapsed.pop()
                    leading = "\n" * min(2, max(len(previous), len(leading)))
                collapsed.extend((leading, content, trailing))
            strings = collapsed
        text = "".join(strings)
        convert = self.get_conv_fn_cached(name)
        if convert is not None:
            text = convert(node, text, parent_tags=parent_tags)
        return text

    # --- text ---------------------------------------------------------------------------

    def escape(self, text: str, parent_tags) -> str:
        if not text:
            return ""
        if "://" not in text:
            return _escape_inline(text)
        pieces = []
        position = 0
        for url in _BARE_URL.finditer(text):
            pieces.append(_escape_inline(text[position : url.start()]))
            pieces.append(_split_braces(url.group(0)))
            position = url.end()
        pieces.append(_escape_inline(text[position:]))
        return "".join(pieces)

    def process_text(self, el, parent_tags=None):
        """markdownify's `process_text` (whitespace folded, text escaped, trimmed at block edges),
        then a line start that markdown would read as syntax escaped."""
        if parent_tags is None:
            parent_tags = set()
        text = str(el)
        if "pre" not in parent_tags and _FOLDED_WHITESPACE.search(text) is not None:
            text = re_all_whitespace.sub(" ", text)
        noformat = "_noformat" in parent_tags
        if not noformat:
            text = self.escape(text, parent_tags)
        previous, following = el.previous_sibling, el.next_sibling
        inside = _removes_whitespace_inside(el.parent)
        if _removes_whitespace_outside(previous) or (inside and not previous):
            text = text.lstrip(" \t\r\n")
        if _removes_whitespace_outside(following) or (inside and not following):
            text = text.rstrip()
        if text and not noformat and _LINE_START.match(text) and _starts_line(el):
            text = escape_line_start(text)
        return text

    # --- inline elements ----------------------------------------------------------------

    def convert_a(self, el, text, parent_tags):
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, text = _chomp(text)
        href = (el.get("href") or "").strip()
        if not text:
            return ""
        ref = el.get("data-r2m-ref")
        if ref:
            # A link to another migrated issue: Hugo resolves the page's real URL.
            return f'{prefix}[{text}]({{{{< relref "{ref}" >}}}}){suffix}'
        safe = link_url(href) if href and href != "#" else None
        if safe is None:
            return prefix + text + suffix
        href = safe
        title = el.get("title")
        if not title and _text_of(el) == href and _is_plain_autolink(href):
            return f"{prefix}<{href}>{suffix}"
        title_part = f' "{_escape_title(title)}"' if title else ""
        return f"{prefix}[{text}]({self.destination(href)}{title_part}){suffix}"

    def convert_img(self, el, text, parent_tags):
        src = image_url(el.get("src"))
        if not src:
            return ""
        alt = _escape_alt(one_line(el.get("alt")))
        title = el.get("title")
        title_part = f' "{_escape_title(title)}"' if title else ""
        return f"![{alt}]({self.destination(src)}{title_part})"

    def convert_u(self, el, text, parent_tags):
        # Markdown has no underline; emphasis is the closest thing that survives.
        return self.convert_em(el, text, parent_tags)

    def convert_code(self, el, text, parent_tags):
        # A code span cannot hold a line break that markdown would read as a new block
        # (an unclosed <code> in broken HTML swallows whole paragraphs): keep it on one line.
        if "_noformat" not in parent_tags:
            text = _CODE_LINE_BREAK.sub(" ", text)
        return super().convert_code(el, _defuse_shortcodes(text), parent_tags)

    def convert_pre(self, el, text, parent_tags):
        if not text:
            return ""
        text = _defuse_shortcodes(text.strip("\n"))
        fence = "```"
        while fence in text:
            fence += "`"
        return f"\n\n{fence}\n{text}\n{fence}\n\n"

    def convert_hN(self, n, el, text, parent_tags):
        if "_inline" in parent_tags:
            return text
        text = _HEADING_SPACES.sub(" ", text.replace("\\\n", " ")).strip()
        if not text:
            return ""
        text = _HEADING_CLOSING_HASHES.sub(lambda m: m.group(1) + "\\#" * len(m.group(2)), text)
        # Goldmark reads a heading's trailing `{...}` as its HTML attributes.
        text = _HEADING_ATTRIBUTES.sub(r"\\{", text)
        return f"\n\n{'#' * max(1, min(6, n))} {text}\n\n"

    # --- blocks -------------------------------------------------------------------------

    def convert_p(self, el, text, parent_tags):
        if "_inline" in parent_tags:
            return " " + text.strip() + " "
        text = text.strip()
        if "\\\n" in text or text[-1:] == "\\":
            # A tweet's blank lines are hard breaks: its text stays one paragraph, as Twitter shows it.
            text = _HARD_BREAKS.sub("\\\n\\\n" if "_tweet" in parent_tags else "\n\n", text)
            text = _P_EDGE_BREAKS.sub("", text).strip()
            text = _BREAK_INDENT.sub("\\\n", text)
        if not text:
            return ""
        if self.revue_options.sentence_per_line:
            text = "\n\n".join(split_sentences(part) for part in text.split("\n\n"))
        return f"\n\n{text}\n\n"

    def convert_div(self, el, text, parent_tags):
        classes = el.get("class") or ()
        if "r2m-tweet" in classes:
            return self.revue_options.embeds.tweet(el.get("data-url", ""), text.strip(),
                                                   author=one_line(el.get(TWEET_AUTHOR)),
                                                   handle=one_line(el.get(TWEET_HANDLE)),
                                                   date=one_line(el.get(TWEET_DATE)))
        if "r2m-embed" in classes:
            return self.revue_options.embeds.embed(el.get("data-url", ""), text.strip())
        return super().convert_div(el, text, parent_tags)

    def convert_figure(self, el, text, parent_tags):
        image = el.find("img")
        caption = el.find("figcaption")
        if image is None:
            return f"\n\n{text.strip()}\n\n" if text.strip() else ""
        caption_text = one_line(caption.get_text()) if caption is not None else ""
        alt = _escape_alt(one_line(image.get("alt")) or caption_text)
        picture = f"![{alt}]({self.destination(image_url(image.get('src')) or '')})"
        if link_url(el.get("data-href")):
            picture = f"[{picture}]({self.destination(link_url(el['data-href']))})"
        parts = [picture]
        if caption is not None:
            caption_md = self.process_tag(caption, parent_tags=set(parent_tags) | {"figure"}).strip()
            if caption_md:
                parts.append(f"_{caption_md}_")
        return "\n\n" + "\n\n".join(parts) + "\n\n"

    def convert_figcaption(self, el, text, parent_tags):
        return re.sub(r"\s+", " ", text.replace("\\\n", " ")).strip()

    def convert_td(self, el, text, parent_tags):
        return " " + _table_cell(text) + " |"

    convert_th = convert_td


def to_markdown(root: Tag, options: ConvertOptions = ConvertOptions()) -> str:
    """The markdown body of a canonical tree: blocks separated by one blank line, LF, final newline."""
    return convert_tree(root, options)[0]


def convert_tree(root: Tag, options: ConvertOptions = ConvertOptions(),
                 track: frozenset[str] = frozenset()) -> tuple[str, tuple[Destination, ...]]:
    """`to_markdown`, with where the body writes each destination of `track` (as `markdown_url` gives it).

    A destination counts as the URL itself, untouched by the markdown around it, then `)` or a
    title: one that a table cell escaped, say, is not listed.
    """
    join_text_runs(root)
    if not track:
        return tidy(RevueMarkdownConverter(options).process_tag(root, parent_tags=set())), ()
    held = str(root)
    mark = next((mark for mark in _marks() if mark not in held), None)
    if mark is None:  # a page made to hold every mark: its images stay where they are
        return tidy(RevueMarkdownConverter(options).process_tag(root, parent_tags=set())), ()
    text = tidy(RevueMarkdownConverter(options, track, mark).process_tag(root, parent_tags=set()))
    return _destinations(text, mark, track)


def _marks() -> Iterator[str]:
    """Strings a page is unlikely to hold: private-use characters, then pairs of them."""
    yield from _MARKS
    for first in _MARKS:
        for second in _MARKS:
            yield first + second


def _destinations(text: str, mark: str, track: frozenset[str]) -> tuple[str, tuple[Destination, ...]]:
    first, *rest = text.split(mark)
    body, found, length = [first], [], len(first)
    for piece in rest:
        url = max((url for url in track if piece.startswith(url) and piece[len(url):len(url) + 1] in (")", " ")),
                  key=len, default=None)
        if url is not None:
            found.append(Destination(length, url))
        body.append(piece)
        length += len(piece)
    return "".join(body), tuple(found)


def tidy(markdown: str) -> str:
    lines = []
    fence = None
    for line in markdown.split("\n"):
        stripped = line.lstrip()
        if fence is None and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif fence is not None and stripped.startswith(fence):
            fence = None
        lines.append(line if fence is not None else line.rstrip())
    text = "\n".join(lines)
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    text = text.strip("\n")
    return text + "\n" if text else ""


# --- helpers ----------------------------------------------------------------------------


def escape_line_start(line: str) -> str:
    match = _LINE_START.match(line)
    if not match:
        return line
    indent, marker, digits, punct = match.group(1), match.group(2), match.group(3), match.group(4)
    escaped = f"{digits}\\{punct}" if digits else "\\" + marker
    return indent + escaped + line[match.end():]


def split_sentences(paragraph: str) -> str:
    """One sentence per line; code spans are never split, new lines are escaped like any other."""
    protected: list[str] = []

    def hide(match: re.Match[str]) -> str:
        protected.append(match.group(0))
        return f"\x00{len(protected) - 1}\x00"

    text = _CODE_SPAN.sub(hide, paragraph)
    text = _SENTENCE_END.sub(lambda m: m.group(0) if _not_a_sentence_end(text, m.start()) else m.group(1) + "\n",
                             text)
    lines = [line if index == 0 else escape_line_start(line) for index, line in enumerate(text.split("\n"))]
    text = "\n".join(lines)
    return re.sub(r"\x00(\d+)\x00", lambda m: protected[int(m.group(1))], text)


def _not_a_sentence_end(text: str, end: int) -> bool:
    """`1.`, `\\.`, `J.` or `e.g.` before the space: a list number, an escape, an initial, an abbreviation."""
    if end >= 2 and text[end - 2] == "\\":
        return True
    words = text[:end].split()
    word = words[-1].strip("*_([\"“‘").rstrip(".!?…").lower() if words else ""
    return word.isdigit() or (len(word) == 1 and word.isalpha()) or word in _ABBREVIATIONS


def markdown_url(url: str) -> str:
    """A link destination markdown reads back as the same URL."""
    url = url.strip()
    # Every white space but " " is unprintable.
    if " " in url or not url.isprintable():
        url = _URL_SPACES.sub(lambda m: "%20" if m.group(0) == " " else "", url)
    url = url.replace("\\", "%5C").replace("<", "%3C").replace(">", "%3E").replace("{", "%7B")
    # Markdown decodes entities in a destination: `&#106;avascript:` would become `javascript:`.
    if "&" in url:
        url = _URL_ENTITY.sub("%26", url)
    if url.count("(") != url.count(")") or _URL_PARENTHESES_CROSSED.search(url):
        url = url.replace("(", "%28").replace(")", "%29")
    return url


def _escape_inline(text: str) -> str:
    if _INLINE_CANDIDATE.search(text) is None:
        return text
    return _INLINE_SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def _escape_alt(text: str) -> str:
    return _split_braces(re.sub(r"([\\\[\]`*_<])", r"\\\1", text))


def _escape_title(text: str) -> str:
    return _split_braces(one_line(text).replace("\\", "\\\\").replace('"', '\\"'))


def _split_braces(text: str) -> str:
    """`{{<` and `{{%` are Hugo shortcodes anywhere in a file: no `{` may follow another `{`."""
    return re.sub(r"(?<=\{)\{", r"\\{", text) if "{{" in text else text


def _table_cell(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("\\\n", " ")).strip()
    return re.sub(r"(?<!\\)\|", r"\\|", text)


def _defuse_shortcodes(text: str) -> str:
    """Hugo reads `{{< … >}}` even inside code: write it in Hugo's own escaped form.

    An opener with no closing of its own in the code would pair with one later in the file
    (or fail the build); markdown has no escape inside code, so a word joiner (U+2060, not
    shown) parts its two braces.
    """
    text = _SHORTCODE_IN_CODE.sub(lambda m: f"{{{{{m.group(1)}/*{m.group(2)}*/{m.group(3)}}}}}", text)
    return _OPENER_IN_CODE.sub("{\u2060{", text)


def _inner_tags(parent_tags: frozenset[str], name: str, tweet: bool) -> frozenset[str]:
    """The set `process_tag` passes to an element's children: its ancestors' names, its own, and
    the markers for what it makes of them (inline, unformatted, a tweet)."""
    inner = set(parent_tags)
    inner.add(name)
    if name in ("td", "th") or (name[:1] == "h" and re_html_heading.match(name) is not None):
        inner.add("_inline")
    if name in ("pre", "code", "kbd", "samp"):
        inner.add("_noformat")
    if tweet:
        inner.add("_tweet")
    return frozenset(inner)


def _text_of(element: Tag) -> str:
    """`element.get_text()`, without its walk when the element holds one plain string."""
    contents = element.contents
    if len(contents) == 1 and type(contents[0]) is NavigableString:
        return str(contents[0])
    return element.get_text()


def _is_plain_autolink(href: str) -> bool:
    scheme = split_url(href).scheme.lower()
    return scheme in ("http", "https", "mailto") and not re.search(r"[\s<>]", href)


def _is_web_url(url: str) -> bool:
    return split_url(url).scheme.lower() in ("http", "https")


def _autolink(url: str) -> str:
    return f"<{url}>" if _is_plain_autolink(url) else f"[{_escape_inline(url)}]({markdown_url(url)})"


def _tweet_attribution(url: str, author: str, handle: str, date: str) -> str:
    """`Name (@user) [date](url)` as Twitter wrote it under a tweet; `[Tweet by @user](url)` when
    the source gave only the link."""
    who = _escape_inline(author) if author else ""
    if handle:
        who = f"{who} (@{_escape_inline(handle)})" if who else f"@{_escape_inline(handle)}"
    if not _is_web_url(url):
        return " ".join(part for part in (who or "Tweet", _escape_inline(date)) if part)
    if date:
        return f"{who} [{_escape_inline(date)}]({markdown_url(url)})".strip()
    if author:
        return f"{who} [Tweet]({markdown_url(url)})"
    label = f"Tweet by @{_escape_inline(handle)}" if handle else "Tweet"
    return f"[{label}]({markdown_url(url)})"


def _blockquote(markdown: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in markdown.split("\n"))


def _removes_whitespace_inside(node) -> bool:
    """markdownify's `should_remove_whitespace_inside`, by name: a block (or heading) element."""
    name = getattr(node, "name", None)
    if not name:
        return False
    return name in _WHITESPACE_BLOCKS or (name[0] == "h" and re_html_heading.match(name) is not None)


def _removes_whitespace_outside(node) -> bool:
    """markdownify's `should_remove_whitespace_outside`: a block, a heading or `<pre>`."""
    name = getattr(node, "name", None)
    if not name:
        return False
    return name in _WHITESPACE_BLOCKS or name == "pre" or (name[0] == "h" and re_html_heading.match(name) is not None)


def _chomp(text: str) -> tuple[str, str, str]:
    prefix = " " if text and text[0] == " " else ""
    suffix = " " if text and text[-1] == " " else ""
    return prefix, suffix, text.strip()


def _starts_line(node) -> bool:
    """Is this text node the first thing on a markdown line (block start or after `<br>`)?"""
    current = node
    while True:
        sibling = current.previous_sibling
        while sibling is not None:
            if isinstance(sibling, Tag):
                if sibling.name == "br" or sibling.name in BLOCKS:
                    return True
                if sibling.find("img") is not None or sibling.get_text().strip():
                    return False
            elif type(sibling) is NavigableString and sibling.strip():
                return False
            sibling = sibling.previous_sibling
        parent = current.parent
        if parent is None or parent.name in _LINE_BLOCK_PARENTS:
            return True
        current = parent
