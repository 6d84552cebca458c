"""File names for pages: from a template, safe on every OS, unique, and inside the output folder."""

from __future__ import annotations

import itertools
import re
import string
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from revue2md.errors import UsageError
from revue2md.models import Page

FIELDS = ("slug", "id", "number", "date", "year", "month", "day")
DEFAULT_TEMPLATE = "{slug}"
MAX_COMPONENT_BYTES = 120
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')


def slugify(text: str) -> str:
    """Lowercase words joined by `-`; accents dropped where the letter has an ASCII base."""
    text = unicodedata.normalize("NFKD", re.sub(r"['’]", "", text))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).replace("_", "-")
    return re.sub(r"-{2,}", "-", text).strip("-")[:80].rstrip("-")


def safe_component(name: str) -> str:
    """One path component that Linux, macOS and Windows all accept."""
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE.sub("-", name).strip(" .-")
    reserved = _WINDOWS_RESERVED.match(name)
    if reserved:
        # Windows reserves the word whatever the extension: `aux.md` becomes `aux-.md`.
        name = f"{reserved.group(1)}-{reserved.group(2) or ''}"
    encoded = name.encode("utf-8")
    if len(encoded) > MAX_COMPONENT_BYTES:
        name = encoded[:MAX_COMPONENT_BYTES].decode("utf-8", errors="ignore").rstrip(" .-")
    return name


class _Day:
    """Formats as YYYY-MM-DD by default, or with any strftime spec: `{date:%Y/%m}`."""

    def __init__(self, value: date):
        self.value = value

    def __format__(self, spec: str) -> str:
        return self.value.strftime(spec or "%Y-%m-%d")


@dataclass(frozen=True)
class FilenameTemplate:
    """A `str.format` template over the page's fields; `/` makes subfolders."""

    template: str = DEFAULT_TEMPLATE

    def __post_init__(self):
        try:
            names = [name for _, name, _, _ in string.Formatter().parse(self.template) if name is not None]
        except ValueError as error:
            raise UsageError(f"--filename {self.template!r}: {error}") from None
        unknown = sorted({name for name in names if name not in FIELDS})
        if unknown or not names:
            raise UsageError(
                f"--filename {self.template!r}: "
                + (f"unknown field {{{unknown[0]}}}; " if unknown else "no field; ")
                + f"use {', '.join('{' + f + '}' for f in FIELDS)}"
            )
        _check_specs(self.template)

    def render(self, page: Page) -> str | None:
        """The relative name without extension, or None when the page lacks a field it uses."""
        day = page.date.date() if isinstance(page.date, datetime) else page.date
        values = {
            "slug": safe_component(page.slug) or None,
            "id": page.id,
            "number": page.number,
            "date": _Day(day) if day else None,
            "year": f"{day:%Y}" if day else None,
            "month": f"{day:%m}" if day else None,
            "day": f"{day:%d}" if day else None,
        }
        try:
            text = self.template.format_map(_Strict(values))
        except (KeyError, ValueError, TypeError):
            return None
        parts = [safe_component(part) for part in text.replace("\\", "/").split("/")]
        parts = [part for part in parts if part and part not in (".", "..")]
        return "/".join(parts) or None


# The strftime directives every platform knows; `{date:%Q}` would be kept as `%Q` on one and fail on another.
_DATE_DIRECTIVES = set("aAbBcdHIjmMpSUwWxXyYzZ%")
_SAMPLE = {"slug": "a-title", "id": 1, "number": 1, "year": "2021", "month": "01", "day": "02"}


def _check_specs(template: str) -> None:
    """A format spec that no page could be named with (`{number:xyz}`, `{date:%Q}`) is a usage error."""
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        problem = None
        if name == "date":
            bad = sorted({d for d in re.findall(r"%(.?)", spec or "") if d not in _DATE_DIRECTIVES})
            if bad:
                problem = f"unknown date directive %{bad[0]}"
        else:
            try:
                format(_SAMPLE[name] if conversion is None else repr(_SAMPLE[name]), spec or "")
            except (ValueError, TypeError) as error:
                problem = str(error)
        if problem:
            raise UsageError(f"--filename {template!r}: {{{name}:{spec}}}: {problem}")


class _Strict(dict):
    def __getitem__(self, key):
        value = super().__getitem__(key)
        if value is None:
            raise KeyError(key)
        return value


class Namer:
    """Gives each page a unique relative path; the first page to claim a name keeps it.

    Pages arrive in a fixed order (sources sorted, issues in source order), so the same
    input always gives the same names. A clash adds `-<id>` (or `-2`, `-3`, ...), compared
    case-insensitively because macOS and Windows file systems are.
    """

    def __init__(self, template: FilenameTemplate, suffix: str = ".md"):
        self.template = template
        self.suffix = suffix
        self.taken: set[str] = set()

    def claim(self, relative: str) -> None:
        self.taken.add(relative.casefold())

    def assign(self, page: Page) -> tuple[str, str | None]:
        """(relative path, a note when the template could not be used or the name clashed)."""
        note = None
        stem = self.template.render(page)
        if stem is None:
            stem = fallback_stem(page)
            note = f"--filename {self.template.template!r} needs a field this issue lacks; named {stem!r}"
        stem, hugo_name = not_a_hugo_name(stem)
        if hugo_name:
            note = (f"{hugo_name + self.suffix!r} is a name Hugo keeps for section and bundle pages; "
                    f"named {stem + self.suffix!r}")
        candidate = stem + self.suffix
        if candidate.casefold() in self.taken:
            numbered = (f"-{n}" for n in range(2, 10_000))  # made one at a time: most clashes need one
            for extra in itertools.chain([f"-{page.id}"] if page.id is not None else [], numbered):
                candidate = stem + extra + self.suffix
                if candidate.casefold() not in self.taken:
                    break
            note = f"name {stem + self.suffix!r} already taken; named {candidate!r}"
        self.taken.add(candidate.casefold())
        return candidate, note


# Hugo reads `index.md` as a leaf bundle (the folder's other pages are then not built) and
# `_index.md` as the section's own page: an issue titled "Index" must not take either name.
HUGO_NAMES = frozenset({"index", "_index"})


def not_a_hugo_name(stem: str) -> tuple[str, str | None]:
    """(`stem`, None), or (`stem-issue`, the reserved name) when its last part is a name Hugo reserves."""
    name = stem.rpartition("/")[2]
    if name.casefold() not in HUGO_NAMES:
        return stem, None
    return f"{stem}-issue", name


def fallback_stem(page: Page) -> str:
    return safe_component(page.slug) or (f"issue-{page.id}" if page.id is not None else "issue")
