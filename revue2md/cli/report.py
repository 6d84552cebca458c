"""What the commands print: progress on a terminal, one line per problem, a summary line, errors."""

from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path

import typer

from revue2md.errors import Revue2mdError

# Text from a source (a title, a file name) could carry escape sequences that drive the
# terminal: every line printed shows them as `\x1b` instead. Tabs and line breaks stay.
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def echo(message: str = "", err: bool = False, nl: bool = True) -> None:
    typer.echo(_TERMINAL_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                                     else f"\\u{ord(m.group()):04x}", str(message)), err=err, nl=nl)


@contextmanager
def user_errors():
    """Our own errors become one line on stderr and their exit code; nothing else leaks a traceback."""
    try:
        yield
    except Revue2mdError as error:
        echo(f"revue2md: {error}", err=True)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        echo("revue2md: interrupted", err=True)
        raise typer.Exit(130) from None
    except BrokenPipeError:
        # The reader went away (`revue2md list | head`): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as error:
        if os.environ.get("REVUE2MD_DEBUG"):
            raise
        echo(f"revue2md: internal error: {type(error).__name__}: {error}", err=True)
        raise typer.Exit(1) from None


@contextmanager
def progress(quiet: bool, unit: str = "issues"):
    """On an interactive terminal, a bar per long phase (count, ETA) and a line per wait on the network.

    The library announces phases and waits (`revue2md.events`); `tick` counts the items of a
    command that announces none (clean). Nothing when piped or quiet.
    """
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn

    from revue2md import events

    columns = (SpinnerColumn(), TextColumn("{task.fields[phase]:<20}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("eta"), TimeRemainingColumn(), TextColumn("{task.description}"))
    with Progress(*columns, transient=True, console=_stderr_console()) as bars:
        tasks: dict[str, object] = {}

        def show(phase: str, done: int, total: int | None, item: str) -> None:
            if phase not in tasks:
                tasks[phase] = bars.add_task("", total=total, phase=phase)
            bars.update(tasks[phase], completed=done, total=total, description=_short(item))

        def listener(event) -> None:
            if isinstance(event, events.Wait):
                bars.console.print(f"waiting {event.seconds:.3g} s: {event.reason}", highlight=False, markup=False)
                bars.console.print(f"retrying {event.service} ({event.attempt}/{event.attempts})", highlight=False,
                                   markup=False)
            else:
                show(event.phase, event.done, event.total, event.item)

        counted = 0

        def tick(source: str) -> None:
            nonlocal counted
            counted += 1
            show(unit, counted, None, source)

        with events.listening(listener):
            yield tick


def _short(source: str) -> str:
    name = Path(source.split("#")[0]).name or source
    return name if len(name) <= 40 else name[:39] + "…"


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def print_json_report(report) -> None:
    """The whole report of export or sync as one JSON document (paths and dates as strings)."""
    import dataclasses
    import json

    report = dataclasses.replace(report, written=list(report.written))  # it may be kept on disk
    typer.echo(json.dumps({"ok": report.ok, **dataclasses.asdict(report)}, indent=2, ensure_ascii=False,
                          default=str, sort_keys=False))


def print_export_report(report, out: Path, quiet: bool) -> None:
    for skipped in report.skipped:
        echo(f"skipped {skipped.source}: {skipped.reason}", err=True)
    changed = 0
    images: dict[str, int] = {}
    for written in report.written:  # one pass for the failures and the counts: the pages may be many
        changed += written.changed
        for image in written.images:
            images[image.status] = images.get(image.status, 0) + 1
            if image.status == "failed":
                echo(f"image failed {written.source}: {image.url} kept as it is: {image.reason}", err=True)
    if not quiet:
        for ignored in report.ignored:
            echo(f"ignored {ignored.source}: {ignored.reason}", err=True)
        for written in report.written:
            for note in written.notes:
                echo(f"note {written.source}: {note}", err=True)
            for image in written.images:
                if image.rendition not in (None, "original"):
                    echo(f"note {written.source}: image {image.url}: took the {image.rendition!r} rendition, "
                               "the original did not answer", err=True)
    unchanged = len(report.written) - changed
    summary = f"wrote {changed} page{'s' if changed != 1 else ''} to {out}"
    if unchanged:
        summary += f" ({unchanged} already up to date)"
    summary += f"; skipped {len(report.skipped)}"
    if report.ignored:
        summary += f"; ignored {len(report.ignored)}"
    moved = [f"{images[status]} {status}" for status in ("downloaded", "copied", "reused", "failed")
             if images.get(status)]
    if moved:
        summary += "; images: " + ", ".join(moved)
    echo(summary)
    if report.redirects is not None:
        _print_redirects(report.redirects, quiet)
    if images.get("kept") and not quiet:
        kept = images["kept"]
        echo(f"hint: {kept} image{'s' if kept != 1 else ''} still load{'' if kept != 1 else 's'} from "
                   "remote URLs; --images download copies them into the site", err=True)


_KEPT = {"edited": ("edited by hand since revue2md wrote it", "overwrites it"),
         "deleted": ("deleted by hand", "writes it again"),
         "not written by revue2md": ("a file revue2md did not write", "overwrites it")}


def print_sync_report(report, quiet: bool) -> None:
    for skipped in report.skipped:
        echo(f"skipped {skipped.source}: {skipped.reason}", err=True)
    for source, image in report.images_failed:
        echo(f"image failed {source}: {image.url} kept as it is: {image.reason}", err=True)
    for kept in report.kept:
        if kept.held_back or not quiet:
            what, fix = _KEPT[kept.why]
            held = ("" if not kept.held_back else "; the page of a new issue goes there and was not written"
                    if kept.why == "not written by revue2md" else "; its source changed and the update was not written")
            echo(f"kept {kept.path}: {what}{held}; --force {fix}", err=True)
    if not quiet:
        if report.leftovers_removed:
            echo(f"removed {report.leftovers_removed} unfinished temporary file(s) of an interrupted run",
                       err=True)
        for synced in report.written:
            echo(f"wrote {synced.path} ({synced.why})")
            for note in synced.written.notes:
                echo(f"note {synced.written.source}: {note}", err=True)
    up = report.up_to_date
    if report.written:
        parts = [f"wrote {_plural(len(report.written), 'page')} to {report.out}"
                 + (f" ({up} already up to date)" if up else "")]
    else:
        parts = [f"nothing new: {_plural(up, 'page')} up to date in {report.out}"]
    if report.kept:
        parts.append(f"left alone {len(report.kept)} edited or deleted by hand")
    if report.skipped:
        parts.append(f"skipped {len(report.skipped)}")
    if report.ignored:
        parts.append(f"ignored {len(report.ignored)}")
    echo("; ".join(parts))
    if report.redirects is not None:
        _print_redirects(report.redirects, quiet)


def _print_redirects(redirects, quiet: bool) -> None:
    if not quiet:
        for note in redirects.notes:
            echo(f"note redirects: {note}", err=True)
    state = "wrote" if redirects.changed else "up to date:"
    echo(f"redirects: {state} {redirects.file} ({redirects.format}, {_plural(redirects.count, 'redirect')})",
               err=quiet)


def print_check_report(report) -> None:
    problems = report.sorted_problems()
    for problem in problems:
        where = f" {problem.file}" if problem.file else ""
        echo(f"{problem.kind}{where}: {problem.detail}")
        for item in problem.items:
            echo(f"    {item}")
    hugo = " and the Hugo build" if report.hugo else ""
    if problems:
        files = len({problem.file for problem in problems})
        echo(f"check: {_plural(len(problems), 'problem')} in {_plural(files, 'file')}; "
                   f"{_plural(report.pages, 'page')} from the sources in {report.out}")
    else:
        echo(f"check: {_plural(report.pages, 'page')} in {report.out} match the sources{hugo}: "
                   "no drift, no lost content")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def print_clean_report(report, options, quiet: bool) -> None:
    for skipped in report.skipped:
        echo(f"skipped {skipped.source}: {skipped.reason}", err=True)
    if not quiet:
        for ignored in report.ignored:
            echo(f"ignored {ignored.source}: {ignored.reason}", err=True)
    for file in report.files:
        for note in file.report.notes:
            echo(f"note {file.source}: {note}", err=True)
        if file.changed and (options.check or not quiet):
            verb = "would clean" if options.check else "cleaned"
            echo(f"{verb} {file.source}: {_repair_summary(file.report)}")
            if options.check:
                for chrome in file.report.chrome_removed:
                    echo(f"  Revue chrome, line {chrome.line}: {chrome.text}")
        elif not quiet and not options.check:
            echo(f"already clean {file.source}")
    total, changed = len(report.files), len(report.changed)
    files = f"{total} file{'s' if total != 1 else ''}"
    if options.check:
        summary = (f"{changed} of {files} would change; run with --in-place or --out DIR to clean them"
                   if changed else f"all {files} already clean")
    elif options.in_place:
        summary = f"cleaned {changed} of {files} in place"
    else:
        summary = f"wrote {files} to {options.out} ({changed} cleaned, {total - changed} already clean)"
    echo(f"{summary}; skipped {len(report.skipped)}")


def _repair_summary(report) -> str:
    mojibake = f"yes ({report.mojibake.how})" if report.mojibake else "no"
    summary = (f"mojibake fixed: {mojibake}, tracking parameters removed: {report.tracking_removed}, "
               f"title decoded: {'yes' if report.title_decoded else 'no'}")
    if report.chrome_removed:
        summary += f", Revue chrome lines removed: {len(report.chrome_removed)}"
    if report.html_converted:
        summary += ", Revue HTML body converted to markdown"
    return summary
