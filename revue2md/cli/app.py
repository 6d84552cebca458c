"""The command line: options in, a report out. The work itself is in `pipeline`, `sync`, `check`
and `repair_files`; the options are declared in `cli_options`, the printing is in `cli_report`."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from revue2md import __version__
from revue2md.cli.options import (
    CheckOption,
    CleanOutOption,
    ForceOption,
    FormatOption,
    HugoOption,
    InPlaceOption,
    JobsOption,
    MarkdownPathsArg,
    Mojibake,
    MojibakeOption,
    OutOption,
    QuietOption,
    ReportFormat,
    SourcesArg,
    StripParamOption,
    conversion_parameters,
    export_options,
    folder_path,
    source_context,
    source_parameters,
    with_parameters,
)
from revue2md.cli.report import (
    print_check_report,
    print_clean_report,
    print_export_report,
    print_sync_report,
    progress,
)
from revue2md.errors import Revue2mdError

app = typer.Typer(
    name="revue2md",
    help="Move a Revue newsletter archive into a Hugo site.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"revue2md {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Move a Revue newsletter archive into a Hugo site."""


@contextmanager
def user_errors():
    """Our own errors become one line on stderr and their exit code; nothing else leaks a traceback."""
    try:
        yield
    except Revue2mdError as error:
        typer.echo(f"revue2md: {error}", err=True)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("revue2md: interrupted", err=True)
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
        typer.echo(f"revue2md: internal error: {type(error).__name__}: {error}", err=True)
        raise typer.Exit(1) from None


@app.command()
@with_parameters(conversion_parameters, source_parameters)
def export(sources: SourcesArg, out: OutOption, quiet: QuietOption = False, jobs: JobsOption = 1, *,
           settings: dict) -> None:
    """Convert every issue found in SOURCES into a Hugo page under --out."""
    with user_errors():
        from revue2md.commands.export import export as run_export

        options = export_options(settings, jobs=jobs)
        with progress(quiet) as tick:
            report = run_export(sources, out, options, progress=tick)
        print_export_report(report, out, quiet)
        raise typer.Exit(0 if report.ok else 1)


@app.command("list")
@with_parameters(source_parameters)
def list_issues(sources: SourcesArg, *, settings: dict) -> None:
    """Print one line per issue found: id, date, title, source."""
    with user_errors():
        from revue2md.clean.issue import CleanOptions, clean_line
        from revue2md.commands.export import ExportOptions, read_issues
        from revue2md.dates import format_date
        from revue2md.models import Ignored, Skipped

        options = ExportOptions(clean=CleanOptions(mojibake=settings["fix_mojibake"].value),
                                drafts=settings["drafts"], sources=source_context(settings))
        failed = False
        for item in read_issues(sources, options):
            if isinstance(item, Skipped):
                failed = failed or not isinstance(item, Ignored)
                typer.echo(f"{'ignored' if isinstance(item, Ignored) else 'skipped'} {item.source}: "
                           f"{item.reason}", err=True)
                continue
            title = clean_line(item.title, options.clean, [], "title")
            when = format_date(item.sent_at) if item.sent_at else "-"
            typer.echo(f"{item.id if item.id is not None else '-'}\t{when}\t{title}\t{item.source}")
        raise typer.Exit(1 if failed else 0)


@app.command()
@with_parameters(conversion_parameters, source_parameters)
def sync(
    sources: SourcesArg,
    out: OutOption,
    force: ForceOption = False,
    jobs: JobsOption = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and the count line (for cron).")]
    = False,
    *,
    settings: dict,
) -> None:
    """Write only new and changed issues to --out; leave pages edited by hand alone."""
    with user_errors():
        from revue2md.commands.sync import sync as run_sync

        options = export_options(settings, jobs=jobs)
        with progress(quiet) as tick:
            report = run_sync(sources, out, options, force=force, progress=tick)
        print_sync_report(report, quiet)
        raise typer.Exit(0 if report.ok else 1)


@app.command()
@with_parameters(conversion_parameters, source_parameters)
def check(
    sources: SourcesArg,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", parser=folder_path,
                                      help="Folder the pages were written to.")],
    hugo: HugoOption = False,
    output_format: FormatOption = ReportFormat.human,
    *,
    settings: dict,
) -> None:
    """Compare --out with SOURCES: drift, lost content, and (--hugo) a real Hugo build."""
    with user_errors():
        from revue2md.commands.check import check as run_check

        options = export_options(settings, download=False)
        with progress(output_format is ReportFormat.json) as tick:
            report = run_check(sources, out, options, hugo=hugo, progress=tick)
        if output_format is ReportFormat.json:
            typer.echo(report.to_json(), nl=False)
        else:
            print_check_report(report)
        raise typer.Exit(0 if report.ok else 1)


@app.command("clean")
def clean_markdown(
    paths: MarkdownPathsArg,
    out: CleanOutOption = None,
    in_place: InPlaceOption = False,
    check: CheckOption = False,
    strip_param: StripParamOption = [],  # noqa: B006 (typer reads the default)
    fix_mojibake: MojibakeOption = Mojibake.auto,
    quiet: QuietOption = False,
) -> None:
    """Repair markdown migrated earlier: mojibake, tracking parameters in URLs, entities in titles."""
    with user_errors():
        from revue2md.clean.tracking import TrackingFilter
        from revue2md.commands.clean import CleanFilesOptions, clean_files
        from revue2md.repair.markdown import RepairOptions

        options = CleanFilesOptions(
            repair=RepairOptions(tracking=TrackingFilter(strip_param), mojibake=fix_mojibake.value),
            out=out, in_place=in_place, check=check,
        )
        with progress(quiet, "files") as tick:
            report = clean_files(paths, options, progress=tick)
        print_clean_report(report, options, quiet)
        raise typer.Exit(0 if report.ok else 1)


def main() -> None:
    app()
