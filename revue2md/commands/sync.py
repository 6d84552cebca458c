"""`sync`: bring an output folder up to date with the sources, safe to run unattended.

Only issues that are new or whose source changed are converted and written; every other
file keeps its bytes and its modification time. A file whose bytes are no longer those
revue2md wrote (edited by hand), a file the user deleted, and a file revue2md never wrote
are left alone and reported, unless `force`. See `state` for what is remembered between
runs and `lock` for how two runs on one folder are kept apart.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from revue2md.commands.export import PagePlan, converting_steps, name_converted, planned_issues, task_for
from revue2md.commands.options import ExportOptions, Progress
from revue2md.commands.parallel import Task, convert_in_order
from revue2md.commands.spool import SpooledList
from revue2md.commands.sync_inputs import inputs_digest
from revue2md.errors import DiskFullError, Revue2mdError, UsageError
from revue2md.files import inside, output_folder, remove_stale_temporaries, write_atomic
from revue2md.hugo.lock import folder_lock
from revue2md.hugo.ownership import same_bytes
from revue2md.hugo.state import (
    STATE_NAME,
    FileRecord,
    InputsRecord,
    IssueRecord,
    RecordedNamer,
    State,
    issue_key,
    load_state,
    names_pattern,
    options_fingerprint,
    sha256_file,
    source_hash,
)
from revue2md.hugo.write import page_bytes, write_page
from revue2md.models import ImageResult, Issue, Page, RedirectsWritten, Skipped, Written

if TYPE_CHECKING:
    from revue2md.hugo.redirects import RedirectOptions

CHECKPOINT_SECONDS = 1.0


@dataclass(frozen=True)
class Synced:
    """A file sync wrote: `why` is "new", "source changed" or "--force"."""

    written: Written
    path: str
    why: str


@dataclass(frozen=True)
class Kept:
    """A file sync left alone. `why`: "edited", "deleted" or "not written by revue2md".

    `held_back` is true when the source changed, so the folder now lacks an update.
    """

    source: str
    path: str
    why: str
    held_back: bool


@dataclass
class SyncReport:
    out: Path
    written: list[Synced] = field(default_factory=SpooledList)  # kept on disk, see spool
    up_to_date: int = 0
    kept: list[Kept] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored: list[Skipped] = field(default_factory=list)
    leftovers_removed: int = 0
    images_failed: list[tuple[str, ImageResult]] = field(default_factory=list)
    redirects: RedirectsWritten | None = None

    @property
    def ok(self) -> bool:
        """False when an issue was skipped or an update could not be written (exit code 1)."""
        return not self.skipped and not any(kept.held_back for kept in self.kept)


def sync(paths: Sequence[str | Path], out: Path, options: ExportOptions, force: bool = False,
         progress: Progress | None = None, client_factory=None,
         redirects: RedirectOptions | None = None) -> SyncReport:
    """Bring `out` up to date; with `redirects`, the redirect file follows every page's aliases (edited ones too)."""
    out = output_folder(out)
    with folder_lock(out):
        report = _Sync(out, options, force).run(paths, progress, client_factory)
        if redirects is not None:
            from revue2md.commands.redirects import write_redirects

            report.redirects = write_redirects(out, redirects)
        return report


@dataclass(frozen=True)
class _Work:
    """An issue on its way to the disk: what sync knew of it before converting it."""

    key: str
    digest: str
    record: IssueRecord | None
    source_changed: bool


class _Sync:
    def __init__(self, out: Path, options: ExportOptions, force: bool):
        self.out = out
        self.base = Path(os.path.realpath(out))
        self.options = options
        self.force = force
        self.fingerprint = options_fingerprint(options)
        self.report = SyncReport(out)
        self.work: dict[str, _Work] = {}
        self.settled: list[tuple[str, str]] = []  # (key, source) of every issue this run read, in order

    def run(self, paths: Sequence[str | Path], progress: Progress | None, client_factory) -> SyncReport:
        from revue2md.hugo.downloads import ImageLocalizer

        suffix = self.options.images.page_suffix
        pattern = names_pattern(self.options.filename, suffix)
        state = load_state(self.out)
        if state is not None and state.filename != pattern:
            raise UsageError(f"{self.out} was synced with pages named {state.filename!r}, not {pattern!r}; "
                             "use the same --filename and --layout, or sync into a new folder")
        self.state = state or State(filename=pattern)
        self.saver = _StateWriter(self.out, self.state)
        self.report.leftovers_removed = remove_stale_temporaries(self.out)
        if self.options.images.static_dir is not None:
            remove_stale_temporaries(self.options.images.static_dir)
        digest = inputs_digest(paths, self.options, self.out)
        if not self.force and self.settled_as_last_time(digest):
            return self.report
        # Until this run ends well, no record says what its inputs give: a run stopped half-way
        # may have changed records that the last run's inputs would not give.
        last_inputs, self.state.inputs = self.state.inputs, None
        namer = RecordedNamer(self.options.filename, self.state, suffix)
        try:
            with planned_issues(paths, self.options, self.out, namer) as (items, plan), \
                    ImageLocalizer(self.options.images, self.out, client_factory) as localizer:
                converting = converting_steps(plan)
                for result in localizer.localize(self.to_write(items, plan, namer, progress)):
                    converting(result.source if isinstance(result, Skipped) else result[0].source)
                    if isinstance(result, Skipped):
                        self.report.skipped.append(result)
                    else:
                        self.write(*result)
        except BaseException:
            # Record what was written if the disk allows; the error that stopped the run is the one told.
            with contextlib.suppress(Revue2mdError):
                self.saver.save()
            raise
        if digest is not None and self.report.ok:
            self.state.inputs = InputsRecord(digest, tuple(self.settled), tuple(
                (item.source, item.reason) for item in self.report.ignored))
        if self.state.inputs != last_inputs:
            self.saver.changed()
        self.saver.save()
        return self.report

    def settled_as_last_time(self, digest: str | None) -> bool:
        """With the last run's inputs, check only the files of the issues it settled, reading no source.

        Not when an image of one of them is still to be downloaded: a full run tries again.
        """
        inputs = self.state.inputs
        if digest is None or inputs is None or inputs.digest != digest:
            return False
        records = [self.state.issues.get(key) for key, _ in inputs.issues]
        if any(record is None or record.incomplete for record in records):
            return False
        for (_, source), record in zip(inputs.issues, records, strict=True):
            damage = self.first_damaged(record)
            if damage is None:
                self.report.up_to_date += 1
            else:
                self.report.kept.append(Kept(source, damage[0], damage[1], held_back=False))
        self.report.ignored = [Skipped.on_purpose(source, reason) for source, reason in inputs.ignored]
        return True

    def to_write(self, items, plan: PagePlan | None, namer: RecordedNamer,
                 progress: Progress | None) -> Iterator[tuple[Page, str] | Skipped]:
        """The pages to write, converted (in `--jobs` processes); the rest is settled without converting."""
        index = plan.index if plan is not None else None
        converted = convert_in_order(self.tasks(items, plan, progress), self.options, index, self.options.jobs)
        for result in name_converted(converted, namer):
            if isinstance(result, Skipped):
                yield result
                continue
            page, name, task = result
            self.work[page.source] = task.context[1]
            yield page, name

    def tasks(self, items, plan: PagePlan | None, progress: Progress | None) -> Iterator[Task | Skipped]:
        for position, item in enumerate(items):
            if progress is not None:
                progress(item.source)
            if isinstance(item, Skipped) and item.ignored:
                self.report.ignored.append(item)
            elif isinstance(item, Skipped):
                yield item
            else:
                task = self.task(position, item, plan)
                if task is not None:
                    yield task

    def task(self, position: int, issue: Issue, plan: PagePlan | None) -> Task | None:
        """The conversion an issue needs, or None when it is up to date or left alone."""
        key = issue_key(issue)
        self.settled.append((key, issue.source))
        digest = source_hash(issue, self.fingerprint + link_targets(issue, plan))
        record = self.state.issues.get(key)
        source_changed = record is None or record.source != digest or record.incomplete
        if not source_changed:
            # The cheap path that keeps a sync with nothing new fast: no cleaning, no converting.
            damage = self.first_damaged(record)
            if damage is None:
                self.report.up_to_date += 1
                return None
            if not self.force:
                self.report.kept.append(Kept(issue.source, damage[0], damage[1], held_back=False))
                return None
        return task_for(position, issue, plan, _Work(key, digest, record, source_changed))

    def write(self, page: Page, name: str) -> None:
        work = self.work.pop(page.source)
        try:
            conflict = None if self.force else self.conflict(work.record, name, page)
            if conflict is not None:
                self.report.kept.append(Kept(page.source, conflict[0], conflict[1], held_back=True))
                return
            written = write_page(page, name, self.out, self.options.images.static_dir)
            files = tuple(FileRecord(self.relative(path), sha256_file(Path(path)) or "")
                          for path in written.files or (written.path,) if self.is_inside(path))
        except DiskFullError:  # every later write would fail too: stop here, with one line
            raise
        except Revue2mdError as error:
            self.report.skipped.append(Skipped(page.source, str(error)))
            return
        except OSError as error:
            self.report.skipped.append(Skipped(page.source, f"cannot read {name}: {error.strerror or error}"))
            return
        failed = [image for image in written.images if image.status == "failed"]
        self.report.images_failed += [(page.source, image) for image in failed]
        self.state.issues[work.key] = IssueRecord(source=work.digest, files=files, incomplete=bool(failed))
        self.saver.changed()
        if written.changed:
            why = "new" if work.record is None else "source changed" if work.source_changed else "--force"
            self.report.written.append(Synced(written, files[0].path, why))
        else:
            self.report.up_to_date += 1

    def first_damaged(self, record: IssueRecord) -> tuple[str, str] | None:
        """(path, "edited" or "deleted") for the first recorded file whose bytes are not the recorded ones."""
        for recorded in record.files:
            digest = sha256_file(self.base / recorded.path)
            if digest != recorded.sha256:
                return recorded.path, "deleted" if digest is None else "edited"
        return None

    def conflict(self, record: IssueRecord | None, name: str, page: Page) -> tuple[str, str] | None:
        """Why writing this page would destroy something that is not ours to destroy, or None."""
        target = inside(self.out, name)
        new_bytes = page_bytes(page)
        if record is None:
            # A file revue2md has no record of: left by an interrupted run (then its bytes
            # are the ones we would write: adopt it), or someone else's.
            if not target.exists() or same_bytes(target, new_bytes):
                return None
            return name, "not written by revue2md"
        for recorded in record.files:
            path = self.base / recorded.path
            digest = sha256_file(path)
            if digest == recorded.sha256:
                continue
            if digest is None:
                return recorded.path, "deleted"
            if recorded.path == name and same_bytes(path, new_bytes):
                continue  # written by a run that stopped before it could record it
            return recorded.path, "edited"
        return None

    def is_inside(self, path: str) -> bool:
        """Files in the site's static folder are shared between pages: the state tracks the folder's own."""
        return Path(path) == self.base or self.base in Path(path).parents

    def relative(self, path: str) -> str:
        return Path(path).relative_to(self.base).as_posix()


# The letters spelled out rather than re.IGNORECASE: the same matches ("href" has no other
# case forms in Unicode), found three times faster.
_HREF = re.compile(r"""[Hh][Rr][Ee][Ff]\s*=\s*["']([^"']+)["']""")
_REVUE_PATH = re.compile(r"/(?:profile|issues|archive)/")


def link_targets(issue: Issue, plan: PagePlan | None) -> str:
    """The pages of the archive this issue links to, as text for its hash.

    A page's links to other issues depend on which issues the archive has: when an issue
    it links to arrives in a later run, the page must be converted again.
    """
    if plan is None or "href" not in issue.html:
        return ""
    found = set(_HREF.findall(issue.html))
    if not _may_be_revue_path("\n".join(found)):
        return ""  # most issues: no link of Revue's shape, looked at in one go
    hrefs = {html.unescape(href) for href in found}
    # Only Revue's URL shapes can point into the archive; most links are looked at no further.
    hrefs = {href for href in hrefs if _REVUE_PATH.search(unquote(href) if "%" in href else href)}
    targets = {plan.index.target(href) for href in hrefs}
    targets.discard(None)
    return "\n" + "\n".join(sorted(targets)) if targets else ""


# Percent escapes of "/" and of lowercase letters: the only ones that can spell part of a Revue path.
_ESCAPED_PATH_CHARACTER = re.compile(r"%(?:2[Ff]|[67][0-9A-Fa-f])")


def _may_be_revue_path(hrefs: str) -> bool:
    """Could one of these newline-separated links, unescaped and unquoted, have a Revue path?

    No character reference spans a newline, so unescaping the lines together gives each
    line's own text. Unquoting only turns escapes into characters: a path it would reveal
    has a character spelled by one of the escapes looked for here.
    """
    decoded = html.unescape(hrefs)
    if _REVUE_PATH.search(decoded):
        return True
    return bool(_ESCAPED_PATH_CHARACTER.search(decoded)) and bool(_REVUE_PATH.search(unquote(decoded)))


class _StateWriter:
    """Saves the state atomically: at checkpoints while pages are written, and at the end.

    A run killed between two checkpoints leaves pages it did not record; the next run finds
    their bytes equal to what it would write and records them then.
    """

    def __init__(self, out: Path, state: State):
        self.path = out / STATE_NAME
        self.state = state
        self.dirty = False
        self.last = time.monotonic()

    def changed(self) -> None:
        self.dirty = True
        if time.monotonic() - self.last >= CHECKPOINT_SECONDS:
            self.save()

    def save(self) -> None:
        if self.dirty:
            write_atomic(self.path, self.state.to_json().encode("utf-8"))
            self.dirty = False
        self.last = time.monotonic()


