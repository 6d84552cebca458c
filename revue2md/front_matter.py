"""Read the front matter of a page: python-frontmatter's handlers, made safe for hostile input.

Four forms are read: YAML between `---` lines, TOML between `+++` lines, JSON as a bare
object first thing (Hugo), and JSON between `---json` and `---` (Eleventy). Reading never
costs more than the text is worth: the front matter is capped in size, and a YAML alias may
not make the data larger than `MAX_NODES` values once expanded (the "billion laughs" page
is a few hundred bytes that expand to a billion strings).

Only reading happens here; revue2md writes its own front matter (`hugo.frontmatter`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from frontmatter import detect_format
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

MAX_FRONT_MATTER = 256 * 1024  # characters; real front matter is a few hundred
MAX_NODES = 100_000  # values in the data once YAML aliases are expanded


class FrontMatterError(ValueError):
    """The page has front matter that cannot be read; the message says why, in one line."""


@dataclass(frozen=True)
class PageParts:
    """A page split in two: `kind` is "yaml", "toml", "json" or None (no front matter)."""

    kind: str | None
    metadata: dict[str, Any] = field(default_factory=dict)
    body: str = ""


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when there, same results


class BoundedLoader(_Loader):  # type: ignore[misc, valid-type]
    """YAML's safe loader, refusing documents whose aliases expand beyond MAX_NODES values."""

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        if _expanded_size(node) > MAX_NODES:
            raise FrontMatterError(f"its YAML aliases expand to more than {MAX_NODES} values")
        return self.construct_document(node)


def _expanded_size(root) -> int:
    """How many nodes the tree holds once every alias is replaced by a copy of its anchor.

    Aliases make the node graph a DAG (or a cycle, for a recursive anchor): sizes are
    memoised per node, so this costs one visit per node, not one per expanded copy.
    """
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children = _children(node)
        if children_done:
            in_progress.discard(key)
            sizes[key] = min(MAX_NODES + 1, 1 + sum(sizes[id(child)] for child in children))
            continue
        if key in in_progress:
            return MAX_NODES + 1  # a recursive alias: its expansion has no end
        in_progress.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in in_progress:
                return MAX_NODES + 1
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load_yaml(text: str) -> Any:
    """YAML read safely: no Python objects, no alias bombs."""
    return yaml.load(text, Loader=BoundedLoader)


class _Yaml(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        return load_yaml(fm)


class _Toml(BaseHandler):
    """python-frontmatter's own TOML handler needs the old `toml` package; tomllib reads TOML 1.0."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return _tomllib().loads(fm)


class _EleventyJson(JSONHandler):
    """`---json`, a JSON object, `---`: Eleventy's JSON front matter."""

    FM_BOUNDARY = re.compile(r"^---json[ \t]*\r?\n|^---[ \t]*$", re.MULTILINE)

    def detect(self, text: str) -> bool:
        return bool(re.match(r"---json[ \t]*\r?\n", text))

    def split(self, text: str) -> tuple[str, str]:
        _, fm, content = self.FM_BOUNDARY.split(text, 2)
        return fm, content


class _BareJson(JSONHandler):
    """Hugo's JSON front matter: an object first thing in the file, ended where the object ends.

    python-frontmatter's JSON handler cuts at the first line that is a lone `}`, which a
    nested object or a one-line object defeats; the JSON decoder knows where the object ends.
    """

    def detect(self, text: str) -> bool:
        return text.startswith("{") and not text.startswith("{{") and self._end(text) is not None

    def split(self, text: str) -> tuple[str, str]:
        end = self._end(text)
        if end is None:
            raise ValueError("no JSON object")
        return text[:end], text[end:]

    @staticmethod
    def _end(text: str) -> int | None:
        try:
            value, end = json.JSONDecoder().raw_decode(text[: MAX_FRONT_MATTER + 1])
        except (ValueError, RecursionError):
            return None
        return end if isinstance(value, dict) else None


_HANDLERS: list[tuple[str, BaseHandler]] = [
    ("json", _EleventyJson()), ("yaml", _Yaml()), ("toml", _Toml()), ("json", _BareJson()),
]


_BY_KIND: dict[str, BaseHandler] = {"yaml": _Yaml(), "toml": _Toml(), "json": JSONHandler()}


def load_front_matter(kind: str, data: str) -> Any:
    """The data of front matter already cut out of its page (`kind`: "yaml", "toml" or "json").

    The same handlers and limits as `split_page`; errors are the parsers' own, or FrontMatterError.
    """
    if len(data) > MAX_FRONT_MATTER:
        raise FrontMatterError(f"its front matter is larger than {MAX_FRONT_MATTER // 1024} KiB")
    return _BY_KIND[kind].load(data)


def has_front_matter(text: str) -> bool:
    """Does the text open with front matter of a form read here (readable or not)?"""
    head = text.lstrip("\ufeff")[:MAX_FRONT_MATTER + 1]
    return detect_format(head, [handler for _, handler in _HANDLERS]) is not None


def split_page(text: str) -> PageParts:
    """The page's front matter as data, and its body; raises FrontMatterError when it cannot be read.

    A page without front matter is all body. A front matter that opens but never closes,
    or is not a mapping, is an error: the page's author meant to write one.
    """
    text = text.lstrip("\ufeff")
    for kind, handler in _HANDLERS:
        if not handler.detect(text):
            continue
        try:
            fm, body = handler.split(text)
        except ValueError:
            raise FrontMatterError(f"its {kind.upper()} front matter is not closed") from None
        if len(fm) > MAX_FRONT_MATTER:
            raise FrontMatterError(f"its front matter is larger than {MAX_FRONT_MATTER // 1024} KiB")
        try:
            data = handler.load(fm)
        except FrontMatterError:
            raise
        except RecursionError:
            raise FrontMatterError(f"its {kind.upper()} front matter nests too deeply") from None
        except Exception as error:
            raise FrontMatterError(f"its {kind.upper()} front matter cannot be read ({_first_line(error)})") from None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise FrontMatterError(f"its {kind.upper()} front matter is not a set of keys and values")
        return PageParts(kind, data, body.lstrip("\r\n"))
    return PageParts(None, {}, text)


def _first_line(error: Exception) -> str:
    text = " ".join(str(error).split())
    return text[:120] or type(error).__name__


def _tomllib():
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib
        except ImportError:
            raise FrontMatterError("reading TOML needs Python 3.11 or the tomli package") from None
    return tomllib
