"""The `clean` command's work, without any printing: find pages, repair, write or check.

Pages are markdown (`.md`, `.markdown`, `.mdown`), MDX (`.mdx`: its expressions are left
alone) and HTML with front matter (`.html`, `.htm`: Hugo renders them as they are, so only
their URLs and chrome are repaired). An HTML file without front matter is not a Hugo page
and is reported as ignored.

With `out`, the folder receives every markdown file found, repaired or already clean, at the
same relative path (relative to the folder given, or the bare name for a file given), so it
is a complete cleaned copy of the markdown; other files (page bundle images) are not copied.
With `in_place`, only files that change are rewritten, atomically. With `check`, nothing is
written at all.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from revue2md.clean.issue import CleanOptions
from revue2md.commands.html_bodies import convert_html_body
from revue2md.errors import DiskFullError, Revue2mdError, UsageError
from revue2md.files import inside, output_folder, read_regular, write_atomic
from revue2md.models import Skipped
from revue2md.repair.frontmatter import split_front_matter
from revue2md.repair.markdown import RepairOptions, RepairReport, repair_markdown

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")
MDX_SUFFIXES = (".mdx",)
HTML_SUFFIXES = (".html", ".htm")
PAGE_SUFFIXES = (*MARKDOWN_SUFFIXES, *MDX_SUFFIXES, *HTML_SUFFIXES)


@dataclass(frozen=True)
class CleanFilesOptions:
    repair: RepairOptions = field(default_factory=RepairOptions)
    out: Path | None = None
    in_place: bool = False
    check: bool = False
    html: bool = True  # rewrite bodies that are still Revue's HTML as markdown


@dataclass(frozen=True)
class MarkdownFile:
    """A file to clean, and its path relative to the folder it was found in."""

    path: Path
    relative: str


@dataclass(frozen=True)
class CleanedFile:
    """One file: whether cleaning changes it, where it went (None with `check`), what was repaired."""

    source: str
    changed: bool
    report: RepairReport
    target: str | None = None


@dataclass
class CleanReport:
    """What a run did. With `check`, a file that would change makes the run fail."""

    check: bool = False
    files: list[CleanedFile] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored: list[Skipped] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.skipped and not (self.check and self.changed)

    @property
    def changed(self) -> list[CleanedFile]:
        return [file for file in self.files if file.changed]


Progress = Callable[[str], None]


def check_mode(options: CleanFilesOptions) -> None:
    """Refuse a run that would have nowhere to write, or two places."""
    if options.check:
        return
    if options.out is not None and options.in_place:
        raise UsageError("choose --out DIR or --in-place, not both")
    if options.out is None and not options.in_place:
        raise UsageError("clean needs --out DIR (write cleaned copies) or --in-place (rewrite the files): "
                         "it never overwrites files unless told to; --check only looks")
    if options.out is not None:
        output_folder(options.out)


def find_markdown(paths: Sequence[str | Path],
                  exclude: Path | None = None) -> Iterator[MarkdownFile | Skipped]:
    """Every markdown file under the paths, in a stable order; a folder inside `exclude` is not entered."""
    excluded = os.path.realpath(exclude) if exclude is not None else None
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = False
            others: Counter[str] = Counter()
            for file in _walk(path, excluded, others):
                found = True
                yield file
            if not found:
                yield Skipped(str(path), f"no pages ({', '.join(PAGE_SUFFIXES)}) in this folder")
            elif others:
                kinds = ", ".join(f"{suffix or 'no suffix'} ({count})" for suffix, count in sorted(others.items()))
                yield Skipped.on_purpose(str(path), f"{sum(others.values())} other files, not pages: {kinds}")
        elif path.is_file():
            yield MarkdownFile(path, path.name)
        else:
            yield Skipped(str(path), "no such file or folder")


def _walk(folder: Path, excluded: str | None, others: Counter[str],
          relative: str = "") -> Iterator[MarkdownFile | Skipped]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        yield Skipped(str(folder), f"cannot read the folder: {error.strerror or error}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        name = f"{relative}{entry.name}"
        if entry.is_symlink():
            if entry.name.lower().endswith(PAGE_SUFFIXES) or _leads_to_folder(entry):
                yield Skipped.on_purpose(entry.path, "symbolic link, not followed")
        elif entry.is_dir():
            if excluded is None or os.path.realpath(entry.path) != excluded:
                yield from _walk(Path(entry.path), excluded, others, f"{name}/")
        elif entry.is_file() and entry.name.lower().endswith(PAGE_SUFFIXES):
            yield MarkdownFile(Path(entry.path), name)
        elif entry.is_file():
            others[Path(entry.name).suffix.lower()] += 1


def _leads_to_folder(link: os.DirEntry) -> bool:
    """A link to a folder, or one that cannot be followed at all (a loop): both are reported, not read."""
    try:
        return link.is_dir()
    except OSError:
        return True


def clean_files(paths: Sequence[str | Path], options: CleanFilesOptions,
                progress: Progress | None = None) -> CleanReport:
    check_mode(options)
    report = CleanReport(check=options.check)
    targets: dict[str, str] = {}
    for item in find_markdown(paths, exclude=options.out):
        if isinstance(item, Skipped) and item.ignored:
            report.ignored.append(item)
        elif isinstance(item, Skipped):
            report.skipped.append(item)
        else:
            result = _clean_one(item, options, targets)
            if isinstance(result, Skipped) and result.ignored:
                report.ignored.append(result)
            elif isinstance(result, Skipped):
                report.skipped.append(result)
            else:
                report.files.append(result)
        if progress is not None:
            progress(str(item.path if isinstance(item, MarkdownFile) else item.source))
    return report


def _clean_one(file: MarkdownFile, options: CleanFilesOptions,
               targets: dict[str, str]) -> CleanedFile | Skipped:
    source = str(file.path)
    try:
        data = read_regular(file.path)
    except OSError as error:
        return Skipped(source, f"cannot read: {error.strerror or error}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return Skipped(source, f"not UTF-8 text (byte {error.start}); Hugo needs UTF-8, convert it first")
    suffix = file.path.suffix.lower()
    if suffix in HTML_SUFFIXES and split_front_matter(text.removeprefix("\ufeff")) is None:
        return Skipped.on_purpose(source, "an HTML file without front matter is not a Hugo page; left alone")
    repair = replace(options.repair, mdx=suffix in MDX_SUFFIXES)
    converted = None
    try:
        if options.html and suffix not in HTML_SUFFIXES:  # Hugo renders .html pages as they are
            converted = convert_html_body(text, source, CleanOptions(tracking=repair.tracking,
                                                                     mojibake=repair.mojibake))
            if isinstance(converted, Skipped):
                return converted
        repaired = repair_markdown(converted.text if converted else text, repair)
    except RecursionError:
        return Skipped(source, "could not clean: the markdown is nested too deeply")
    except Exception as error:  # one broken file must not stop the archive
        return Skipped(source, f"could not clean: {type(error).__name__}: {error}")
    if converted is not None:
        report = replace(repaired.report, html_converted=True,
                         tracking_removed=repaired.report.tracking_removed + converted.tracking_removed,
                         notes=(*converted.notes, *repaired.report.notes))
        repaired = replace(repaired, report=report, changed=repaired.text != text)
    if options.check:
        return CleanedFile(source, repaired.changed, repaired.report)
    output = repaired.text.encode("utf-8")
    try:
        if options.in_place:
            target = Path(os.path.realpath(file.path))
            if repaired.changed:
                write_atomic(target, output)
        else:
            assert options.out is not None
            if file.relative in targets:
                return Skipped(source, f"same output path ({file.relative}) as {targets[file.relative]}")
            targets[file.relative] = source
            target = inside(options.out, file.relative)
            write_atomic(target, output)
    except DiskFullError:  # every later write would fail too: stop here, with one line
        raise
    except Revue2mdError as error:
        return Skipped(source, str(error))
    return CleanedFile(source, repaired.changed, repaired.report, str(target))
