"""The commands' work, without any printing: read, clean, convert, write, and report."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from revue2md import events
from revue2md.clean.issue import clean_metadata
from revue2md.commands.merge import merged_issues
from revue2md.commands.options import ExportOptions, Progress
from revue2md.commands.parallel import Task, convert_in_order, start_workers_early
from revue2md.commands.spool import SpooledList
from revue2md.convert.links import IssueIndex, is_section
from revue2md.errors import DiskFullError, Revue2mdError
from revue2md.files import inside, lexists, output_folder, remove_stale_temporaries
from revue2md.hugo.naming import Namer
from revue2md.hugo.ownership import recorded_paths, same_bytes, written_by_revue2md
from revue2md.hugo.page import page_fields
from revue2md.hugo.write import page_bytes, write_page
from revue2md.models import Issue, Page, Report, Skipped
from revue2md.sources.detect import iter_issues, open_sources

if TYPE_CHECKING:
    from revue2md.hugo.redirects import RedirectOptions


def read_issues(paths: Sequence[str | Path], options: ExportOptions) -> Iterator[Issue | Skipped]:
    """Issues from every source, each issue once; drafts and the other copies of an issue come out as
    `Skipped` values marked `ignored`.

    An issue found in several copies (same id, or a shared duplicate key) is merged into one:
    see `merge`. The sources are read once, into a temporary spool file.
    """
    with merged_issues(iter_issues(open_sources(paths, options.sources)), options.clean, options.drafts) as merged:
        yield from merged


@dataclass
class PagePlan:
    """Each issue's page name, known before any issue is converted, and the index of links.

    Names are kept by the item's position among the items planned (the merged issues, read
    in the same order to convert them): a list of names rather than a dictionary keyed by
    the issue's source, so that an issue costs the plan little more than its name.
    """

    names: list[str | None] = field(default_factory=list)  # None: a skipped item, or no name
    notes: dict[int, str] = field(default_factory=dict)  # the few names that come with a note
    index: IssueIndex = field(default_factory=IssueIndex)
    count: int = 0  # how many items have a name

    def add(self, name: str | None, note: str | None = None) -> None:
        """The name of the next item (None when it has none)."""
        if note is not None:
            self.notes[len(self.names)] = note
        self.names.append(name)
        self.count += name is not None

    def planned(self, position: int) -> tuple[str, str | None] | None:
        """(name, note) of the item at `position`, or None when it was not given a name."""
        name = self.names[position] if position < len(self.names) else None
        return None if name is None else (name, self.notes.get(position))


def plan_pages(items: Iterable[Issue | Skipped], options: ExportOptions, out: Path | None = None,
               namer: Namer | None = None) -> PagePlan:
    """A first pass over the issues, reading their metadata only (no cleaning or conversion of content).

    Names come from metadata alone, so they do not depend on which issues later fail to
    convert; only the id, the name and the slug of each issue are kept. `sync`
    passes a namer that knows the names it gave before.
    """
    namer = namer or Namer(options.filename, suffix=options.images.page_suffix)
    plan = PagePlan(index=IssueIndex(out_is_section=is_section(out) if out is not None else True))
    if options.page.profile:
        plan.index.profiles.add(options.page.profile.lower())
    for done, item in enumerate(items, 1):
        events.announce(events.Step(events.READING, done, None, item.source))
        if isinstance(item, Skipped):
            plan.add(None)
            continue
        try:
            issue = clean_metadata(item, options.clean)
            stub = page_fields(issue, options.page)
        except Exception:  # reported by the second pass, which converts the issue
            plan.add(None)
            continue
        name, note = namer.assign(stub)
        plan.add(name, note)
        plan.index.add(stub.id, issue.url, name)
    return plan


def pages(paths: Sequence[str | Path], options: ExportOptions,
          out: Path | None = None) -> Iterator[tuple[Page, str] | Skipped]:
    """Every page with its relative file name, or the reason it is not there.

    The issues are read once into a temporary spool file (memory stays flat), merged, and
    with links between issues on, planned (every issue's name known first), then converted.
    """
    with planned_issues(paths, options, out) as (items, plan):
        yield from _named_pages(items, options, plan)


@contextmanager
def planned_issues(paths: Sequence[str | Path], options: ExportOptions, out: Path | None = None,
                   namer: Namer | None = None) -> Iterator[tuple[Iterable[Issue | Skipped], PagePlan | None]]:
    """The issues to convert, and their plan when links between issues need every name first.

    Without a plan, names are given after conversion (`namer.assign(page)`), as `pages` does.
    """
    with merged_issues(iter_issues(open_sources(paths, options.sources)), options.clean, options.drafts) as merged:
        if options.issue_links == "off":
            yield merged, None
            return
        # The merged issues can be read twice: once for the plan, once to convert.
        yield merged, plan_pages(merged, options, out, namer=namer)


def _named_pages(items: Iterable[Issue | Skipped], options: ExportOptions,
                 plan: PagePlan | None) -> Iterator[tuple[Page, str] | Skipped]:
    namer = Namer(options.filename, suffix=options.images.page_suffix)
    tasks = (item if isinstance(item, Skipped) else task_for(position, item, plan)
             for position, item in enumerate(items))
    converted = convert_in_order(tasks, options, plan.index if plan else None, options.jobs)
    for result in name_converted(converted, namer):
        yield result if isinstance(result, Skipped) else result[:2]


def task_for(position: int, issue: Issue, plan: PagePlan | None, extra=None) -> Task:
    """The conversion of the issue at `position` among the items, with the name planned for it (if any)
    and the caller's `extra`."""
    planned = plan.planned(position) if plan is not None else None
    return Task(issue, planned[0] if planned else None, context=(planned, extra))


def name_converted(converted: Iterable, namer: Namer) -> Iterator[tuple[Page, str, Task] | Skipped]:
    """Converted tasks with their page name: the planned one, or one the namer gives now."""
    for entry in converted:
        if isinstance(entry, Skipped):
            yield entry
            continue
        task, page = entry
        if isinstance(page, Skipped):
            yield page
            continue
        planned = task.context[0]
        name, note = planned if planned else namer.assign(page)
        if note:
            page = replace(page, notes=(*page.notes, note))
        yield page, name, task


def converting_steps(plan: PagePlan | None) -> Callable[[str], None]:
    """Announces each issue converted; the total is known when every issue was planned first."""
    total = plan.count if plan is not None else None
    done = 0

    def step(source: str) -> None:
        nonlocal done
        done += 1
        events.announce(events.Step(events.CONVERTING, done, total if total and done <= total else None, source))

    return step


def export(paths: Sequence[str | Path], out: Path, options: ExportOptions,
           progress: Progress | None = None, client_factory=None,
           redirects: RedirectOptions | None = None, overwrite: bool = False) -> Report:
    """Write every issue's page under `out`; with `redirects`, then the redirect file from all pages' aliases.

    A file where a page goes that revue2md did not write is left alone and the issue is
    skipped, unless `overwrite`; pages revue2md wrote before are replaced (see `ownership`).
    """
    from revue2md.hugo.downloads import ImageLocalizer

    out = output_folder(out)
    if options.images.static_dir is not None:
        output_folder(options.images.static_dir)
    start_workers_early(options.jobs)
    report = Report(written=SpooledList())  # one page at a time on disk, not 10,000 in memory
    recorded = recorded_paths(out) if not overwrite else frozenset()
    remove_stale_temporaries(out)
    if options.images.static_dir is not None:
        remove_stale_temporaries(options.images.static_dir)
    with ImageLocalizer(options.images, out, client_factory) as localizer, \
            planned_issues(paths, options, out) as (items, plan):
        converting = converting_steps(plan)
        for result in localizer.localize(_named_pages(items, options, plan)):
            converting(result.source if isinstance(result, Skipped) else result[0].source)
            if isinstance(result, Skipped) and result.ignored:
                report.ignored.append(result)
            elif isinstance(result, Skipped):
                report.skipped.append(result)
            else:
                page, name = result
                try:
                    if not overwrite and _someone_elses(out, name, page, recorded):
                        report.skipped.append(Skipped(page.source, f"not written: {name} is a file revue2md did "
                                                                   "not write, kept as it is; --overwrite replaces it"))
                    else:
                        report.written.append(write_page(page, name, out, options.images.static_dir))
                except DiskFullError:  # every later write would fail too: stop here, with one line
                    raise
                except Revue2mdError as error:
                    report.skipped.append(Skipped(page.source, str(error)))
            if progress is not None:
                progress(result.source if isinstance(result, Skipped) else result[0].source)
    if redirects is not None:
        from revue2md.commands.redirects import write_redirects

        report.redirects = write_redirects(out, redirects)
    return report


def _someone_elses(out: Path, name: str, page: Page, recorded: frozenset[str]) -> bool:
    """Is there a file where the page goes that revue2md did not write (so must not replace)?"""
    if name in recorded:
        return False
    # Nothing there yet, the usual case: no need to resolve the path (`write_page` does, and refuses
    # a path outside `out` itself). A string, not a Path: see `files.inside`.
    if not lexists(os.path.join(out, name)):
        return False
    target = inside(out, name)
    if not lexists(target):
        return False
    return not same_bytes(target, page_bytes(page)) and not written_by_revue2md(target, page)
