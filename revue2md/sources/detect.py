"""Pick the right source for each path the user gives.

Each source's module is imported when a file of its kind is opened: reading one API array
needs neither the HTML page parsers nor the mail, ZIP or front matter readers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from revue2md.errors import Revue2mdError, UsageError
from revue2md.files import NotRegularFile, read_head, refusal
from revue2md.models import Issue, Skipped
from revue2md.sources.interface import Source, SourceContext

ACCEPTED = (
    "accepted: saved API responses (.json), saved issue pages or archive/e-mail pages (.html), "
    "a Revue ZIP export (.zip or its unpacked folder), mailboxes (.mbox) or e-mails (.eml), pages of an "
    "earlier migration holding Revue's HTML under front matter (.md, .markdown, .mdx, .html), or a folder "
    "of them; or the word 'api', or wayback:<profile or custom-domain URL>"
)


@dataclass(frozen=True)
class FileKind:
    """A kind of file a folder may hold: which suffixes, which source reads it, how early it comes.

    Sources that carry the most metadata have the lowest priority number, so that when one
    issue appears twice, the richer copy is the one written. With `takes_context`, the
    opener is also given the SourceContext (command-line settings such as `--from`).
    """

    suffixes: tuple[str, ...]
    opener: Callable[..., Source]
    priority: int
    takes_context: bool = False


def _front_matter_first(path: Path) -> bool:
    """Does the file open with front matter (`---`, `+++`, a JSON object)? A saved Revue page never does."""
    try:
        with path.open("rb") as stream:
            head = stream.read(8).removeprefix(b"\xef\xbb\xbf")
    except OSError:
        return False
    return head.startswith((b"---", b"+++")) or (head.startswith(b"{") and not head.startswith(b"{{"))


def _api_json(path: Path) -> Source:
    from revue2md.sources.dump import ApiDumpSource

    return ApiDumpSource(path)


def _zip_export(path: Path) -> Source:
    from revue2md.sources.export_zip import ZipExportSource

    return ZipExportSource(path)


def _migrated(path: Path) -> Source:
    from revue2md.sources.migrated import MigratedSource

    return MigratedSource(path)


def _html_page(path: Path) -> Source:
    """A saved Revue page, or a page of an earlier migration kept as `.html` with front matter."""
    if _front_matter_first(path):
        return _migrated(path)
    from revue2md.sources.web import WebSource

    return WebSource(path)


def _eml(path: Path, context: SourceContext) -> Source:
    from revue2md.sources.mail import EmlSource

    return EmlSource(path, context.mail_senders)


def _mbox(path: Path, context: SourceContext) -> Source:
    from revue2md.sources.mail import MboxSource

    return MboxSource(path, context.mail_senders)


FILE_KINDS: list[FileKind] = [
    FileKind((".json",), _api_json, 0),
    # The ZIP has every item but no issue URL (so fewer aliases): after API JSON, before pages.
    FileKind((".zip",), _zip_export, 10),
    FileKind((".html", ".htm"), _html_page, 20),
    FileKind((".md", ".markdown", ".mdx"), _migrated, 22),
    FileKind((".eml",), _eml, 30, takes_context=True),
    FileKind((".mbox",), _mbox, 30, takes_context=True),
]


@dataclass(frozen=True)
class FolderKind:
    """A folder that is one source as a whole (an unpacked export), not a folder of files."""

    matches: Callable[[Path], bool]
    opener: Callable[..., Source]
    priority: int
    takes_context: bool = False


def _is_apple_mailbox(path: Path) -> bool:
    """Apple Mail exports a mailbox as a folder `Name.mbox` holding a file named `mbox`."""
    return path.suffix.lower() == ".mbox" and (path / "mbox").is_file()


def _is_export_folder(path: Path) -> bool:
    from revue2md.sources.export_zip import is_export_folder

    return is_export_folder(path)


FOLDER_KINDS: list[FolderKind] = [
    FolderKind(_is_export_folder, _zip_export, 10),
    FolderKind(_is_apple_mailbox, lambda path, context: _mbox(path / "mbox", context), 30, takes_context=True),
]


@dataclass(frozen=True)
class Scheme:
    """A source named by a word or a prefix rather than a path: `api`, `wayback:<url>`."""

    matches: Callable[[str], bool]
    opener: Callable[[str, SourceContext], Source]
    priority: int


def _open_api(raw: str, context: SourceContext) -> Source:
    from revue2md.sources.api import ApiSource

    return ApiSource(context.api_url, context.token, latest=context.latest, max_wait=context.max_wait,
                     save_raw=context.save_raw, deadline=context.http_deadline)


def _is_wayback(raw: str) -> bool:
    if ":" not in raw:  # not a URL scheme: no need to load the web-archive source to know
        return False
    from revue2md.sources import wayback

    return wayback.matches(raw)


def _open_wayback(raw: str, context: SourceContext) -> Source:
    from revue2md.sources.wayback import WaybackSource

    return WaybackSource.from_context(raw, context)


SCHEMES: list[Scheme] = [
    # The word `api` is the live API; a folder of that name is `./api`.
    Scheme(lambda raw: raw == "api", _open_api, 0),
    Scheme(_is_wayback, _open_wayback, 25),
]


def open_sources(paths: Sequence[str | Path], context: SourceContext | None = None) -> list[Source]:
    """One source per file found; a UsageError names the path when nothing usable is there."""
    context = context or SourceContext()
    found = []
    for priority, order, name, kind, target in _located(paths):
        source = kind.opener(target, context) if isinstance(kind, Scheme) else _open(kind, target, context)
        found.append((priority, order, name, source))
    found.sort(key=lambda entry: entry[:3])
    return [source for *_, source in found]


def local_files(paths: Sequence[str | Path]) -> list[Path] | None:
    """Every file `open_sources` would read, in its order, when each source is one plain file.

    None when a source is anything else (the API, the web archive, an unpacked export
    folder, a file that would not be read): what it holds cannot be known from files alone.
    """
    located = sorted(_located(paths), key=lambda entry: entry[:3])
    if not all(kind in FILE_KINDS for *_, kind, _ in located):
        return None
    return [target for *_, target in located]


def _located(paths: Sequence[str | Path]) -> Iterator[tuple[int, int, str, Scheme | FolderKind | FileKind, Any]]:
    """(priority, order, name, kind, what its opener takes) for each source the paths name."""
    for order, raw in enumerate(paths):
        scheme = next((s for s in SCHEMES if s.matches(str(raw))), None)
        if scheme is not None:
            yield scheme.priority, order, str(raw), scheme, str(raw)
            continue
        path = Path(raw)
        folder_kind = next((k for k in FOLDER_KINDS if path.is_dir() and k.matches(path)), None)
        if folder_kind is not None:
            yield folder_kind.priority, order, str(path), folder_kind, path
            continue
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_dir():
            files = list(_walk(path))
            if not files:
                raise UsageError(f"{path}: no Revue data found in this folder; {ACCEPTED}")
        else:
            kind = _kind_of(path)
            if kind is None:
                raise UsageError(f"{path}: not a Revue source; {ACCEPTED}")
            files = [(path, kind)]
        for file, kind in files:
            yield kind.priority, order, str(file), kind, file


def _open(kind: FileKind | FolderKind, path: Path, context: SourceContext) -> Source:
    return kind.opener(path, context) if kind.takes_context else kind.opener(path)


def _walk(folder: Path) -> Iterator[tuple[Path, FileKind | FolderKind]]:
    """Files of a known kind under `folder`, sorted; hidden folders and browser `*_files` skipped.

    A subfolder that is a source as a whole (see FOLDER_KINDS) is yielded as one entry.
    """
    for directory, subdirectories, files in os.walk(folder):
        folder_kind = next((k for k in FOLDER_KINDS if k.matches(Path(directory))), None)
        if folder_kind is not None:
            subdirectories[:] = []
            yield Path(directory), folder_kind
            continue
        subdirectories[:] = sorted(
            name for name in subdirectories if not name.startswith(".") and not name.endswith("_files")
        )
        for name in sorted(files):
            kind = _by_suffix(Path(name))
            if kind is not None and not name.startswith("."):
                path = Path(directory, name)
                refused = refusal(path, within=folder)
                yield path, (kind if refused is None else _refused(refused))


def _refused(reason: str) -> FileKind:
    """A file of a known name that is not read (a FIFO, a device, a link out of the folder): one skip."""
    return FileKind((), lambda path: RefusedSource(path, reason), 0)


@dataclass(frozen=True)
class RefusedSource:
    """A path that is not read, and why: it yields one Skipped saying so."""
    path: Path
    reason: str
    kind: str = "refused"

    def issues(self) -> Iterator[Issue | Skipped]:
        yield Skipped(str(self.path), f"not read: {self.reason}")


def _by_suffix(path: Path) -> FileKind | None:
    suffix = path.suffix.lower()
    return next((kind for kind in FILE_KINDS if suffix in kind.suffixes), None)


def _kind_of(path: Path) -> FileKind | None:
    kind = _by_suffix(path)
    if kind is not None:
        return kind
    try:
        head = read_head(path, 512).lstrip(b"\xef\xbb\xbf \t\r\n")
    except NotRegularFile as error:
        return _refused(error.strerror)
    except OSError:
        return None
    if head.startswith((b"---", b"+++")):
        return _by_suffix(Path("x.md"))
    if head.startswith(b"PK\x03\x04"):
        return _by_suffix(Path("x.zip"))
    if head[:1] in (b"[", b"{"):
        return _by_suffix(Path("x.json"))
    if head[:1] == b"<":
        return _by_suffix(Path("x.html"))
    if head.startswith(b"From "):
        return _by_suffix(Path("x.mbox"))
    if _MAIL_HEADER.match(head):
        return _by_suffix(Path("x.eml"))
    return None


# The first line of a saved message: a header a mail program writes first.
_MAIL_HEADER = re.compile(
    rb"^(?:Return-Path|Received|Delivered-To|X-[A-Za-z0-9-]+|From|To|Date|Subject|Message-ID|MIME-Version)"
    rb":[ \t]", re.IGNORECASE)


def iter_issues(sources: Sequence[Source]) -> Iterator[Issue | Skipped]:
    """Every issue or skip of every source, in order.

    A source that fails in a way it did not foresee costs only its own issues: the failure
    becomes one Skipped line and the next source is read. A Revue2mdError is a source's own
    verdict that the run cannot go on (a refused API token): it goes to the CLI as it is.
    """
    for source in sources:
        try:
            yield from source.issues()
        except Revue2mdError:
            raise
        except RecursionError:
            yield Skipped(_name(source), "could not read: nested too deeply")
        except Exception as error:
            yield Skipped(_name(source), f"could not read: {type(error).__name__}: {error}")


def _name(source: Source) -> str:
    return str(getattr(source, "path", None) or getattr(source, "url", None) or source.kind)
