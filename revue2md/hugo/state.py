"""What revue2md knows about a folder it keeps in sync: the state file `.revue2md.json`.

For each issue: the hash of its source (before cleaning, with revue2md's version and the
options that change the output), and every file written for it with the sha256 of the bytes
written. The file is JSON with sorted keys, LF line ends and no time stamps, so two runs
that do the same work leave the same bytes:

    {
      "filename": "{slug}.md",
      "format": 1,
      "inputs": {
        "digest": "c5a0...",
        "ignored": [],
        "issues": [["900001", "archive/issues.json#0"]]
      },
      "issues": {
        "900001": {
          "files": [{"path": "every-structure-7.md", "sha256": "9f2c..."}],
          "source": "41d8..."
        }
      }
    }

An issue is keyed by its Revue id, or by `source:` and where it was read when it has none.
`inputs` (see `InputsRecord`) is there after a sync of plain files that ended well.
"""

from __future__ import annotations

import dataclasses
import errno
import inspect
import json
import os
import stat
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import Any

from revue2md import __version__
from revue2md.errors import UsageError
from revue2md.files import NotRegularFile, read_regular
from revue2md.hugo.naming import FilenameTemplate, Namer
from revue2md.models import Issue, Page

STATE_NAME = ".revue2md.json"
# About 300 bytes an issue (its record and its `inputs` entry): 16 MiB is 50,000 issues, and a
# state file that reads in well under 300 MB.
MAX_STATE_BYTES = 16 * 1024 * 1024
FORMAT = 1


class StateError(UsageError):
    """The state file in the output folder cannot be used (exit code 2)."""


@dataclass(frozen=True)
class FileRecord:
    """A file a run wrote, and the sha256 of its bytes then."""
    path: str  # relative to the output folder, `/`-separated
    sha256: str


@dataclass(frozen=True)
class IssueRecord:
    """What the state file says of one issue: its source's hash and the files written for it."""
    source: str  # hash of the issue as the source gave it, see `source_hash`
    files: tuple[FileRecord, ...]  # the page first
    incomplete: bool = False  # an image could not be downloaded: the next run tries again

    @property
    def page(self) -> str:
        return self.files[0].path


@dataclass(frozen=True)
class InputsRecord:
    """What the last sync read, when it read only files and ended with nothing skipped or held back.

    `digest` is `inputs_digest` of that run; `issues` are the (key, source) of every issue it
    settled, in order, and `ignored` the (source, reason) of what it left out on purpose. A run
    with the same digest would read the same issues, so it only has to check their files.
    """

    digest: str
    issues: tuple[tuple[str, str], ...]
    ignored: tuple[tuple[str, str], ...] = ()


@dataclass
class State:
    """The state file of an output folder: the file-name template and every issue written, with the last
    run's inputs."""
    filename: str
    issues: dict[str, IssueRecord] = field(default_factory=dict)
    inputs: InputsRecord | None = None

    def to_json(self) -> str:
        document = {
            "format": FORMAT,
            "filename": self.filename,
            "issues": {
                key: {"source": record.source,
                      "files": [{"path": f.path, "sha256": f.sha256} for f in record.files],
                      **({"incomplete": True} if record.incomplete else {})}
                for key, record in self.issues.items()
            },
        }
        if self.inputs is not None:
            document["inputs"] = {"digest": self.inputs.digest,
                                  "issues": [list(pair) for pair in self.inputs.issues],
                                  "ignored": [list(pair) for pair in self.inputs.ignored]}
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load_state(folder: Path) -> State | None:
    """The state of `folder`, or None when it has none; StateError when it is not one we can read."""
    path = folder / STATE_NAME
    try:
        text = read_regular(path, within=folder, max_bytes=MAX_STATE_BYTES).decode("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise StateError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None
    try:
        return parse_state(json.loads(text))
    except RecursionError:
        raise StateError(f"{path} is not a revue2md state file (nested too deeply); "
                         "move it away to start the folder's state afresh") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise StateError(f"{path} is not a revue2md state file ({error}); "
                         "move it away to start the folder's state afresh") from None


def parse_state(document: Any) -> State:
    if not isinstance(document, dict) or "format" not in document:
        raise ValueError("no format field")
    if document["format"] != FORMAT:
        raise ValueError(f"format {document['format']!r}, this revue2md reads format {FORMAT}")
    issues = {}
    for key, entry in document["issues"].items():
        files = tuple(FileRecord(_relative(item["path"]), str(item["sha256"])) for item in entry["files"])
        if not files:
            raise ValueError(f"issue {key} has no files")
        issues[str(key)] = IssueRecord(source=str(entry["source"]), files=files,
                                       incomplete=entry.get("incomplete") is True)
    return State(filename=str(document["filename"]), issues=issues, inputs=_inputs(document.get("inputs")))


def _inputs(entry: Any) -> InputsRecord | None:
    """The record of the last run's inputs; one that is not well formed is as none (the next run reads everything)."""
    if not isinstance(entry, dict):
        return None
    digest, issues, ignored = entry.get("digest"), entry.get("issues"), entry.get("ignored", [])
    if not isinstance(digest, str) or not _pairs_of_text(issues) or not _pairs_of_text(ignored):
        return None
    return InputsRecord(digest, tuple((key, source) for key, source in issues),
                        tuple((source, reason) for source, reason in ignored))


def _pairs_of_text(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair) for pair in value)


def _relative(path: Any) -> str:
    """A recorded path must stay inside the folder: relative, no `..`."""
    if not isinstance(path, str) or not path:
        raise ValueError(f"bad path {path!r}")
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path or ":" in pure.parts[0]:
        raise ValueError(f"path outside the folder: {path!r}")
    return path


def sha256_bytes(data: bytes) -> str:
    import hashlib  # when a page is hashed (sync, check), not on every start
    return hashlib.sha256(data).hexdigest()


# Opening the file itself, not following a last symbolic link: where no link is, nothing can
# lead out of the folder, and the checks `read_regular` makes are not needed.
_NO_LINK_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
                  | getattr(os, "O_CLOEXEC", 0))


def sha256_file(path: Path) -> str | None:
    """The hash of a file's bytes, or None when there is no such file (or it is not a regular file).

    A symbolic link is followed only to a regular file in the same folder (`read_regular`).
    """
    if not hasattr(os, "O_NOFOLLOW"):
        return _sha256_through_links(path)
    try:
        handle = os.open(path, _NO_LINK_FLAGS)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.EMLINK):  # the file is a symbolic link (EMLINK on FreeBSD)
            return _sha256_through_links(path)
        raise
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        import hashlib  # as in sha256_bytes: not on every start

        digest = hashlib.sha256()
        while chunk := os.read(handle, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest()
    finally:
        os.close(handle)


def _sha256_through_links(path: Path) -> str | None:
    try:
        return sha256_bytes(read_regular(path, within=path.parent))
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, NotRegularFile):
        return None


def issue_key(issue: Issue) -> str:
    return record_key(issue.id, issue.source)


def record_key(issue_id: int | None, source: str) -> str:
    """An issue's key in the state: its Revue id, else where it was read."""
    return str(issue_id) if issue_id is not None else f"source:{source}"


def options_fingerprint(options) -> str:
    """The options that change what is written (cleaning, conversion, front matter, file names) as text.

    Every field of these option objects counts, so an option added later is taken into
    account without anyone remembering to list it here.
    """
    document = {"revue2md": __version__, "clean": _plain(options.clean), "page": _plain(options.page),
                "filename": _plain(options.filename), "issue_links": options.issue_links,
                # How many downloads run at once or where they are cached does not change a page.
                "images": [options.images.mode, options.images.layout, options.images.static_url]}
    return json.dumps(document, sort_keys=True, ensure_ascii=False)


def source_hash(issue: Issue, fingerprint: str) -> str:
    """Hash of everything the source gave for the issue, with the options: equal means same output."""
    # The fields as they are (text, numbers, dates, tuples of text): the same JSON `asdict` gives, without its copies.
    values = {item.name: getattr(issue, item.name) for item in dataclasses.fields(issue)}
    fields = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return sha256_bytes(f"{fingerprint}\n{fields}".encode("utf-8", "surrogatepass"))


def _plain(value: Any) -> Any:
    """Any option object as plain JSON values, the same for equal options in every run."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Enum):
        return _plain(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"@": type(value).__qualname__,
                **{item.name: _plain(getattr(value, item.name)) for item in dataclasses.fields(value)}}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, type) or inspect.isroutine(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}"
    if hasattr(value, "__dict__"):
        return {"@": type(value).__qualname__, **{key: _plain(item) for key, item in vars(value).items()}}
    return repr(value)


class RecordedNamer(Namer):
    """File names that stay put: an issue the state knows keeps its recorded path.

    New issues get names from the template that clash neither with each other nor with any
    recorded path. Without a state (or with one made for other names) this is the plain
    `Namer` that `export` uses, so `check` finds pages written either way.
    """

    def __init__(self, template: FilenameTemplate, state: State | None, suffix: str = ".md"):
        super().__init__(template, suffix)
        usable = state is not None and state.filename == names_pattern(template, suffix)
        self.recorded = {key: record.page for key, record in state.issues.items()} if usable else {}
        for path in self.recorded.values():
            self.claim(path)

    def assign(self, page: Page) -> tuple[str, str | None]:
        key = record_key(page.id, page.source)
        if key in self.recorded:
            return self.recorded[key], None
        return super().assign(page)


def names_pattern(template: FilenameTemplate, suffix: str) -> str:
    """What the state records of how pages are named: the template and the page suffix."""
    return template.template + suffix
