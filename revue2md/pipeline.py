"""The commands' work, without any printing: read, clean, convert, write, and report."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from revue2md.clean import CleanOptions, clean_issue
from revue2md.errors import Revue2mdError
from revue2md.hugo import PageOptions, make_page, render_page
from revue2md.models import Ignored, Issue, Page, Report, Skipped, Written
from revue2md.naming import FilenameTemplate, Namer
from revue2md.sources.detect import SourceContext, iter_issues, open_sources
from revue2md.writer import inside, remove_stale_temporaries, write_atomic


@dataclass(frozen=True)
class ExportOptions:
    clean: CleanOptions = field(default_factory=CleanOptions)
    page: PageOptions = field(default_factory=PageOptions)
    filename: FilenameTemplate = field(default_factory=FilenameTemplate)
    drafts: bool = False
    sources: SourceContext = field(default_factory=SourceContext)


Progress = Callable[[str], None]


def read_issues(paths: Sequence[str | Path], options: ExportOptions) -> Iterator[Issue | Skipped]:
    """Issues from every source; drafts and repeated issues come out as `Ignored`.

    An issue is repeated when its id was seen, or one of its `duplicate_keys` (an e-mail
    received twice has no id when it lacks the "View online" link).
    """
    seen: dict[int, str] = {}
    seen_keys: dict[str, str] = {}
    for item in iter_issues(open_sources(paths, options.sources)):
        if isinstance(item, Skipped):
            yield item
            continue
        if item.draft and not options.drafts:
            yield Ignored(item.source, "draft (never sent); --drafts writes it")
            continue
        if item.id is not None and item.id in seen:
            yield Ignored(item.source, f"same issue ({item.id}) as {seen[item.id]}")
            continue
        first = next((seen_keys[key] for key in item.duplicate_keys if key in seen_keys), None)
        if first is not None:
            yield Ignored(item.source, f"same message as {first}")
            continue
        if item.id is not None:
            seen[item.id] = item.source
        for key in item.duplicate_keys:
            seen_keys[key] = item.source
        yield item


def convert_issue(issue: Issue, options: ExportOptions) -> Page | Skipped:
    """Clean and convert one issue; any failure becomes a one-line Skipped."""
    try:
        return make_page(clean_issue(issue, options.clean), options.page)
    except RecursionError:
        return Skipped(issue.source, "could not convert: the HTML is nested too deeply")
    except Revue2mdError as error:
        return Skipped(issue.source, str(error))
    except Exception as error:  # one broken issue must not stop the archive
        return Skipped(issue.source, f"could not convert: {type(error).__name__}: {error}")


def pages(paths: Sequence[str | Path], options: ExportOptions) -> Iterator[tuple[Page, str] | Skipped]:
    """Every page with its relative file name, or the reason it is not there."""
    namer = Namer(options.filename)
    for item in read_issues(paths, options):
        if isinstance(item, Skipped):
            yield item
            continue
        page = convert_issue(item, options)
        if isinstance(page, Skipped):
            yield page
            continue
        name, note = namer.assign(page)
        if note:
            page = replace(page, notes=(*page.notes, note))
        yield page, name


def write_page(page: Page, name: str, out: Path) -> Written:
    """Put one page on disk under `out` (atomically); unchanged bytes are left alone."""
    target = inside(out, name)
    changed = write_atomic(target, render_page(page).encode("utf-8"))
    return Written(page.source, str(target), changed, page.notes)


def export(paths: Sequence[str | Path], out: Path, options: ExportOptions,
           progress: Progress | None = None) -> Report:
    report = Report()
    remove_stale_temporaries(out)
    for result in pages(paths, options):
        if isinstance(result, Ignored):
            report.ignored.append(result)
        elif isinstance(result, Skipped):
            report.skipped.append(result)
        else:
            page, name = result
            try:
                report.written.append(write_page(page, name, out))
            except Revue2mdError as error:
                report.skipped.append(Skipped(page.source, str(error)))
        if progress is not None:
            progress(result.source if isinstance(result, Skipped) else result[0].source)
    return report

