"""The command line: options in, a report out. The work itself is in `revue2md.commands`; the
options are declared in `cli.options`, the printing is in `cli.report`."""

from __future__ import annotations

import copy
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from revue2md import __version__
from revue2md.clean.mojibake import MojibakeMode
from revue2md.cli.coercion import Command, Group
from revue2md.cli.options import (
    BasePathOption,
    CheckOption,
    CleanOutOption,
    ForceOption,
    FormatOption,
    HugoOption,
    InPlaceOption,
    JobsOption,
    KeepChromeOption,
    KeepHtmlOption,
    MarkdownPathsArg,
    MojibakeOption,
    OutOption,
    OverwriteOption,
    QuietOption,
    RedirectsOption,
    ReportFormat,
    ReportImages,
    ReportImagesOption,
    ReportOption,
    SourcesArg,
    StripParamOption,
    conversion_parameters,
    folder_path,
    redirect_options,
    selection_parameters,
    source_parameters,
    with_parameters,
)
from revue2md.cli.report import (
    echo,
    print_check_report,
    print_clean_report,
    print_export_report,
    print_json_report,
    print_sync_report,
    progress,
    user_errors,
)
from revue2md.models import Skipped

if TYPE_CHECKING:
    from revue2md.commands.options import ExportOptions

app = typer.Typer(
    name="revue2md",
    cls=Group,
    help="Move a Revue newsletter archive into a Hugo site.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        echo(f"revue2md {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Move a Revue newsletter archive into a Hugo site."""


CONVERSION = (source_parameters, selection_parameters, conversion_parameters)


@app.command(cls=Command)
@with_parameters(*CONVERSION)
def export(sources: SourcesArg, out: OutOption, quiet: QuietOption = False, jobs: JobsOption = 1,
           overwrite: OverwriteOption = False,
           redirects: RedirectsOption = None, base_path: BasePathOption = None, review: ReportOption = None,
           report_images: ReportImagesOption = ReportImages.alt, output_format: FormatOption = ReportFormat.human,
           *, options: ExportOptions) -> None:
    """Convert every issue found in SOURCES into a Hugo page under --out."""
    with user_errors():
        from revue2md.commands.export import export as run_export

        redirect = redirect_options(redirects, base_path, out)
        machine = output_format is ReportFormat.json
        with progress(quiet or machine):
            report = run_export(sources, out, replace(options, jobs=jobs), redirects=redirect, overwrite=overwrite)
        if review is not None:
            _write_review(sources, out, options, review, report_images)
        if machine:
            print_json_report(report)
        else:
            print_export_report(report, out, quiet)
        raise typer.Exit(0 if report.ok else 1)


def _write_review(sources, out: Path, options: ExportOptions, path: Path, images: ReportImages) -> None:
    """The review report after an export: a check of what was just written (check downloads nothing)."""
    from revue2md.commands.check import check as run_check
    from revue2md.commands.check import write_review

    report = run_check(sources, out, options, review_images=images.value)
    write_review(report, path, images.value)
    typer.echo(f"report: {path} ({len(report.reviews)} pages)", err=True)


@app.command("list", cls=Command)
@with_parameters(source_parameters, selection_parameters)
def list_issues(sources: SourcesArg, *, options: ExportOptions) -> None:
    """Print one line per issue found: id, date, title, source."""
    with user_errors():
        from revue2md.commands.list import list_issues as run_list

        failed = False
        for item in run_list(sources, options):
            if isinstance(item, Skipped):
                failed = failed or not item.ignored
                echo(f"{'ignored' if item.ignored else 'skipped'} {item.source}: {item.reason}", err=True)
            else:
                echo(item.line())
        raise typer.Exit(1 if failed else 0)


@app.command(cls=Command)
@with_parameters(*CONVERSION)
def sync(
    sources: SourcesArg,
    out: OutOption,
    force: ForceOption = False,
    jobs: JobsOption = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and the count line (for cron).")]
    = False,
    redirects: RedirectsOption = None,
    base_path: BasePathOption = None,
    output_format: FormatOption = ReportFormat.human,
    *,
    options: ExportOptions,
) -> None:
    """Write only new and changed issues to --out; leave pages edited by hand alone."""
    with user_errors():
        from revue2md.commands.sync import sync as run_sync

        redirect = redirect_options(redirects, base_path, out)
        machine = output_format is ReportFormat.json
        with progress(quiet or machine):
            report = run_sync(sources, out, replace(options, jobs=jobs), force=force, redirects=redirect)
        if machine:
            print_json_report(report)
        else:
            print_sync_report(report, quiet)
        raise typer.Exit(0 if report.ok else 1)


@app.command(cls=Command)
@with_parameters(*CONVERSION)
def check(
    sources: SourcesArg,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", parser=folder_path,
                                      help="Folder the pages were written to.")],
    hugo: HugoOption = False,
    output_format: FormatOption = ReportFormat.human,
    review: ReportOption = None,
    report_images: ReportImagesOption = ReportImages.alt,
    redirects: RedirectsOption = None,
    base_path: BasePathOption = None,
    *,
    options: ExportOptions,
) -> None:
    """Compare --out with SOURCES: drift, lost content, and (--hugo) a real Hugo build."""
    with user_errors():
        from revue2md.commands.check import check as run_check
        from revue2md.commands.check import write_review

        redirect = redirect_options(redirects, base_path, out)
        images = report_images.value if review is not None else None
        with progress(output_format is ReportFormat.json):
            report = run_check(sources, out, options, hugo=hugo, redirects=redirect, review_images=images)
        if review is not None:
            write_review(report, review, report_images.value)
            if output_format is not ReportFormat.json:
                typer.echo(f"report: {review} ({len(report.reviews)} pages)", err=True)
        if output_format is ReportFormat.json:
            echo(report.to_json(), nl=False)
        else:
            print_check_report(report)
        raise typer.Exit(0 if report.ok else 1)


@app.command("clean", cls=Command)
def clean_markdown(
    paths: MarkdownPathsArg,
    out: CleanOutOption = None,
    in_place: InPlaceOption = False,
    check: CheckOption = False,
    strip_param: StripParamOption = [],  # noqa: B006 (typer reads the default)
    fix_mojibake: MojibakeOption = MojibakeMode.auto,
    keep_chrome: KeepChromeOption = False,
    keep_html: KeepHtmlOption = False,
    quiet: QuietOption = False,
) -> None:
    """Repair pages migrated earlier: mojibake, tracking parameters, Revue's chrome, Revue HTML bodies, titles."""
    with user_errors():
        from revue2md.clean.tracking import TrackingFilter
        from revue2md.commands.clean import CleanFilesOptions, clean_files
        from revue2md.repair.markdown import RepairOptions

        options = CleanFilesOptions(
            repair=RepairOptions(tracking=TrackingFilter(strip_param), mojibake=fix_mojibake,
                                 chrome=not keep_chrome),
            out=out, in_place=in_place, check=check, html=not keep_html,
        )
        with progress(quiet, "files") as tick:
            report = clean_files(paths, options, progress=tick)
        print_clean_report(report, options, quiet)
        raise typer.Exit(0 if report.ok else 1)


def main() -> None:
    app_for(sys.argv[1:])()


def app_for(arguments: list[str]) -> typer.Typer:
    """The app, holding only the command the arguments name when they name one.

    typer builds every command's options at each start; a run uses one command, and the
    others cost it some 5 ms. The group, its options and the command are the same.
    """
    name = arguments[0] if arguments else None
    chosen = [info for info in app.registered_commands if _command_name(info) == name]
    if not chosen:
        return app
    one = copy.copy(app)
    one.registered_commands = chosen
    return one


def _command_name(info) -> str:
    return info.name or typer.main.get_command_name(info.callback.__name__)
