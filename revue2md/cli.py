"""The command line: options in, a report out. The work itself is in `pipeline`."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from revue2md import __version__
from revue2md.errors import Revue2mdError

# Kept here rather than imported from the sources, so that `--help` loads nothing heavy.
DEFAULT_API_URL = "https://www.getrevue.co/api/v2"

app = typer.Typer(
    name="revue2md",
    help="Move a Revue newsletter archive into a Hugo site.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


class Mojibake(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class DateRule(str, Enum):
    none = "none"
    filename = "filename"


class ImageMode(str, Enum):
    keep = "keep"
    download = "download"


class Layout(str, Enum):
    bundle = "bundle"
    flat = "flat"


class TweetMode(str, Enum):
    blockquote = "blockquote"
    x_shortcode = "x-shortcode"


SourcesArg = Annotated[
    list[str],
    typer.Argument(help="Saved API JSON (.json), saved issue or archive pages (.html), a Revue ZIP export "
                   "(.zip or its unpacked folder), mailboxes (.mbox) or e-mails (.eml), folders of them, the "
                   "word 'api' for the live Revue API, or wayback:<profile or custom-domain URL>.",
                   show_default=False, metavar="SOURCE"),
]
OutOption = Annotated[Path, typer.Option("--out", "-o", metavar="DIR",
                                         help="Folder to write the pages to (Hugo content).")]
FilenameOption = Annotated[
    str,
    typer.Option("--filename", metavar="TEMPLATE",
                 help="Page file name template over {slug}, {id}, {number}, {date}, {year}, {month}, {day}; "
                 "'/' makes folders. Example: '{date:%Y}/{number:03d}'."),
]
MojibakeOption = Annotated[
    Mojibake, typer.Option("--fix-mojibake", help="Repair text decoded with the wrong charset.")
]
StripParamOption = Annotated[
    list[str],
    typer.Option("--strip-param", metavar="KEY", help="Another query parameter to remove from URLs (repeatable; "
                 "'prefix_*' globs allowed). utm_* and known click ids are always removed."),
]
SentenceOption = Annotated[
    bool, typer.Option("--sentence-per-line", help="Write one sentence per line (diff-friendly).")
]
CustomDomainOption = Annotated[
    bool,
    typer.Option("--custom-domain-aliases",
                 help="Also alias /issues/<slug>-<id> and /archive/<id>, the paths a custom domain served."),
]
ProfileOption = Annotated[
    str | None,
    typer.Option("--profile", metavar="NAME", help="Revue profile name for /profile/<name>/issues/... aliases when the "
                 "source does not say it."),
]
DateOption = Annotated[
    DateRule,
    typer.Option("--date", help="Where a source has no date: leave it out (none) or take a YYYY-MM-DD "
                 "found in the source file name (filename)."),
]
DraftsOption = Annotated[bool, typer.Option("--drafts", help="Also write issues that were never sent, "
                                            "with draft: true.")]
ApiUrlOption = Annotated[
    str, typer.Option("--api-url", help="Base URL of the Revue API (or of a replay or mirror of it).")
]
TokenOption = Annotated[
    str | None,
    typer.Option("--token", envvar="REVUE_API_TOKEN", show_default=False,
                 help="Revue API token (sent as 'Authorization: Token <key>'); never printed or saved."),
]
LatestOption = Annotated[
    bool, typer.Option("--latest", help="Read only the latest issue (GET /issues/latest), for a cron poll.")
]
MaxWaitOption = Annotated[
    float, typer.Option("--max-wait", min=0, help="Longest wait in seconds between retries, whatever "
                        "Retry-After asks.")
]
SaveRawOption = Annotated[
    Path | None,
    typer.Option("--save-raw", help="Also keep each API response as fetched in this folder; a later run "
                 "can read those .json files instead of the network."),
]
WaybackUrlOption = Annotated[
    str, typer.Option("--wayback-url", help="The web archive to recover wayback: sources from.",
                      envvar="REVUE2MD_WAYBACK_URL", metavar="URL")
]
BeforeOption = Annotated[
    str | None,
    typer.Option("--before", help="wayback: use the latest capture taken before this date (YYYY-MM-DD) "
                 "rather than the latest one.", show_default=False, metavar="DATE"),
]
CacheOption = Annotated[
    Path | None,
    typer.Option("--cache", help="wayback: keep every fetched listing and capture in this folder; an "
                 "interrupted recovery resumes, a second run makes no request.", show_default=False,
                 metavar="DIR"),
]
RateOption = Annotated[
    float, typer.Option("--rate", help="wayback: at most this many requests per second.", metavar="N")
]
FromOption = Annotated[
    list[str],
    typer.Option("--from", help="Mailboxes: also accept issues sent from this address (repeatable); "
                 "senders at getrevue.co are always accepted.", show_default=False, metavar="ADDRESS"),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems and the summary line.")]
ImagesOption = Annotated[
    ImageMode,
    typer.Option("--images", help="keep: images stay at their remote URLs (no network); download: copy every image "
                 "into the site (a failed one keeps its URL and is reported)."),
]
LayoutOption = Annotated[
    Layout | None,
    typer.Option("--layout", help="bundle: <name>/index.md with its images beside it; flat: <name>.md, images under "
                 "--static-dir. Default: bundle with --images download, else flat.", show_default=False),
]
StaticDirOption = Annotated[
    Path | None,
    typer.Option("--static-dir", metavar="DIR", help="With --layout flat: the folder inside the site's static/ folder "
                 "that receives the images (e.g. site/static/images/newsletter).", show_default=False),
]
ImageJobsOption = Annotated[int, typer.Option("--image-jobs", metavar="N", min=1,
                                              help="Images downloaded at the same time.")]
ImageCacheOption = Annotated[
    Path | None,
    typer.Option("--image-cache", metavar="DIR", help="Also keep every downloaded image here, and take images from "
                 "here before asking the network.", show_default=False),
]
ImageMaxOption = Annotated[float, typer.Option("--image-max-mb", metavar="MB",
                                               help="Largest image file accepted, in megabytes.")]
TweetsOption = Annotated[
    TweetMode,
    typer.Option("--tweets", help="blockquote: the tweet's text, author and link (builds offline, any Hugo); "
                 "x-shortcode: {{< x user id >}} (Hugo 0.141+, fetched at build time)."),
]
class IssueLinks(str, Enum):
    path = "path"
    relref = "relref"
    off = "off"


IssueLinksOption = Annotated[
    IssueLinks,
    typer.Option("--issue-links", help="Links to other issues of the archive: a relative URL to the migrated "
                 "page (path), Hugo's relref shortcode (relref, for custom permalinks), or left as they are (off)."),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite pages edited by hand and write again pages deleted by hand.")
]
HugoOption = Annotated[
    bool, typer.Option("--hugo", help="Also build a throwaway Hugo site around the pages (needs a hugo binary).")
]


class ReportFormat(str, Enum):
    human = "human"
    json = "json"


FormatOption = Annotated[ReportFormat, typer.Option("--format", help="human: short lines naming files; "
                                                    "json: one JSON document for machines.")]


MarkdownPathsArg = Annotated[
    list[str], typer.Argument(help="Markdown files, or folders of them (Hugo content).", show_default=False)
]
CleanOutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Folder to write a cleaned copy of every markdown file to (same "
                 "relative paths).", show_default=False),
]
InPlaceOption = Annotated[bool, typer.Option("--in-place", help="Rewrite the files themselves (atomically).")]
CheckOption = Annotated[
    bool, typer.Option("--check", help="Write nothing; list the files that would change, exit 1 if any.")
]


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


def _source_context(api_url, token, latest, max_wait, save_raw, wayback_url, before, cache, rate, senders):
    from revue2md.sources.detect import DEFAULT_API_URL, SourceContext
    from revue2md.sources.wayback import DEFAULT_RATE, DEFAULT_WAYBACK_URL, parse_before

    return SourceContext(
        api_url=api_url or DEFAULT_API_URL, token=token, latest=latest, max_wait=max_wait, save_raw=save_raw,
        wayback_url=wayback_url or DEFAULT_WAYBACK_URL, before=parse_before(before), cache_dir=cache,
        rate=DEFAULT_RATE if rate is None else rate, mail_senders=tuple(senders),
    )


def _export_options(filename, fix_mojibake, strip_param, sentence_per_line, custom_domain_aliases,
                    profile, date, drafts, *, api_url=None, token=None, latest=False, max_wait=60.0,
                    save_raw=None, wayback_url=None, before=None, cache=None, rate=None, senders=(),
                    images=None, tweets=TweetMode.blockquote, issue_links=IssueLinks.path):
    from revue2md.clean import CleanOptions
    from revue2md.convert import ConvertOptions, EmbedRenderer
    from revue2md.hugo import PageOptions
    from revue2md.images import ImageOptions
    from revue2md.naming import FilenameTemplate
    from revue2md.pipeline import ExportOptions
    from revue2md.tracking import TrackingFilter

    return ExportOptions(
        clean=CleanOptions(tracking=TrackingFilter(strip_param), mojibake=fix_mojibake.value),
        page=PageOptions(
            convert=ConvertOptions(sentence_per_line=sentence_per_line, embeds=EmbedRenderer(tweets=tweets.value)),
            custom_domain_aliases=custom_domain_aliases,
            profile=profile,
            date_rule=date.value,
        ),
        filename=FilenameTemplate(filename),
        drafts=drafts,
        sources=_source_context(api_url, token, latest, max_wait, save_raw, wayback_url, before, cache, rate,
                                senders),
        images=images if images is not None else ImageOptions(),
        issue_links=issue_links.value,
    )


@app.command()
def export(
    sources: SourcesArg,
    out: OutOption,
    filename: FilenameOption = "{slug}",
    fix_mojibake: MojibakeOption = Mojibake.auto,
    strip_param: StripParamOption = [],  # noqa: B006 (typer reads the default)
    sentence_per_line: SentenceOption = False,
    custom_domain_aliases: CustomDomainOption = False,
    profile: ProfileOption = None,
    date: DateOption = DateRule.none,
    drafts: DraftsOption = False,
    images: ImagesOption = ImageMode.keep,
    layout: LayoutOption = None,
    static_dir: StaticDirOption = None,
    image_jobs: ImageJobsOption = 8,
    image_cache: ImageCacheOption = None,
    image_max_mb: ImageMaxOption = 20.0,
    tweets: TweetsOption = TweetMode.blockquote,
    issue_links: IssueLinksOption = IssueLinks.path,
    api_url: ApiUrlOption = DEFAULT_API_URL,
    token: TokenOption = None,
    latest: LatestOption = False,
    max_wait: MaxWaitOption = 60.0,
    save_raw: SaveRawOption = None,
    wayback_url: WaybackUrlOption = "https://web.archive.org",
    before: BeforeOption = None,
    cache: CacheOption = None,
    rate: RateOption = 1.0,
    sender: FromOption = [],  # noqa: B006 (typer reads the default)
    quiet: QuietOption = False,
) -> None:
    """Convert every issue found in SOURCES into a Hugo page under --out."""
    with user_errors():
        from revue2md.images import image_options
        from revue2md.pipeline import export as run_export

        image_settings = image_options(images.value, layout.value if layout else None, static_dir, image_jobs,
                                       image_cache, image_max_mb)
        options = _export_options(filename, fix_mojibake, strip_param, sentence_per_line,
                                  custom_domain_aliases, profile, date, drafts, api_url=api_url, token=token,
                                  latest=latest, max_wait=max_wait, save_raw=save_raw, wayback_url=wayback_url,
                                  before=before, cache=cache, rate=rate, senders=sender, images=image_settings,
                                  tweets=tweets, issue_links=issue_links)
        with _progress(quiet) as tick:
            report = run_export(sources, out, options, progress=tick)
        _print_report(report, out, quiet)
        raise typer.Exit(0 if report.ok else 1)


@app.command("list")
def list_issues(
    sources: SourcesArg,
    fix_mojibake: MojibakeOption = Mojibake.auto,
    drafts: DraftsOption = False,
    api_url: ApiUrlOption = DEFAULT_API_URL,
    token: TokenOption = None,
    latest: LatestOption = False,
    max_wait: MaxWaitOption = 60.0,
    save_raw: SaveRawOption = None,
) -> None:
    """Print one line per issue found: id, date, title, source."""
    with user_errors():
        from revue2md.clean import CleanOptions, clean_line
        from revue2md.dates import format_date
        from revue2md.models import Ignored, Skipped
        from revue2md.pipeline import ExportOptions, read_issues

        options = ExportOptions(clean=CleanOptions(mojibake=fix_mojibake.value), drafts=drafts,
                                sources=_source_context(api_url, token, latest, max_wait, save_raw,
                                                        None, None, None, None, ()))
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
        from revue2md.repair import RepairOptions
        from revue2md.repair_files import CleanFilesOptions, clean_files
        from revue2md.tracking import TrackingFilter

        options = CleanFilesOptions(
            repair=RepairOptions(tracking=TrackingFilter(strip_param), mojibake=fix_mojibake.value),
            out=out, in_place=in_place, check=check,
        )
        with _progress(quiet, "files") as tick:
            report = clean_files(paths, options, progress=tick)
        _print_clean_report(report, options, quiet)
        raise typer.Exit(0 if report.ok else 1)


def _print_clean_report(report, options, quiet: bool) -> None:
    for skipped in report.skipped:
        typer.echo(f"skipped {skipped.source}: {skipped.reason}", err=True)
    if not quiet:
        for ignored in report.ignored:
            typer.echo(f"ignored {ignored.source}: {ignored.reason}", err=True)
    for file in report.files:
        for note in file.report.notes:
            typer.echo(f"note {file.source}: {note}", err=True)
        if file.changed and (options.check or not quiet):
            verb = "would clean" if options.check else "cleaned"
            typer.echo(f"{verb} {file.source}: {_repair_summary(file.report)}")
        elif not quiet and not options.check:
            typer.echo(f"already clean {file.source}")
    total, changed = len(report.files), len(report.changed)
    files = f"{total} file{'s' if total != 1 else ''}"
    if options.check:
        summary = (f"{changed} of {files} would change; run with --in-place or --out DIR to clean them"
                   if changed else f"all {files} already clean")
    elif options.in_place:
        summary = f"cleaned {changed} of {files} in place"
    else:
        summary = f"wrote {files} to {options.out} ({changed} cleaned, {total - changed} already clean)"
    typer.echo(f"{summary}; skipped {len(report.skipped)}")


def _repair_summary(report) -> str:
    mojibake = f"yes ({report.mojibake.how})" if report.mojibake else "no"
    return (f"mojibake fixed: {mojibake}, tracking parameters removed: {report.tracking_removed}, "
            f"title decoded: {'yes' if report.title_decoded else 'no'}")


@app.command()
def sync(
    sources: SourcesArg,
    out: OutOption,
    force: ForceOption = False,
    filename: FilenameOption = "{slug}",
    fix_mojibake: MojibakeOption = Mojibake.auto,
    strip_param: StripParamOption = [],  # noqa: B006 (typer reads the default)
    sentence_per_line: SentenceOption = False,
    custom_domain_aliases: CustomDomainOption = False,
    profile: ProfileOption = None,
    date: DateOption = DateRule.none,
    drafts: DraftsOption = False,
    images: ImagesOption = ImageMode.keep,
    layout: LayoutOption = None,
    static_dir: StaticDirOption = None,
    image_jobs: ImageJobsOption = 8,
    image_cache: ImageCacheOption = None,
    image_max_mb: ImageMaxOption = 20.0,
    tweets: TweetsOption = TweetMode.blockquote,
    issue_links: IssueLinksOption = IssueLinks.path,
    api_url: ApiUrlOption = DEFAULT_API_URL,
    token: TokenOption = None,
    latest: LatestOption = False,
    max_wait: MaxWaitOption = 60.0,
    save_raw: SaveRawOption = None,
    wayback_url: WaybackUrlOption = "https://web.archive.org",
    before: BeforeOption = None,
    cache: CacheOption = None,
    rate: RateOption = 1.0,
    sender: FromOption = [],  # noqa: B006 (typer reads the default)
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors and the count line (for cron).")]
    = False,
) -> None:
    """Write only new and changed issues to --out; leave pages edited by hand alone."""
    with user_errors():
        from revue2md.images import image_options
        from revue2md.sync import sync as run_sync

        image_settings = image_options(images.value, layout.value if layout else None, static_dir, image_jobs,
                                       image_cache, image_max_mb)
        options = _export_options(filename, fix_mojibake, strip_param, sentence_per_line,
                                  custom_domain_aliases, profile, date, drafts, api_url=api_url, token=token,
                                  latest=latest, max_wait=max_wait, save_raw=save_raw, wayback_url=wayback_url,
                                  before=before, cache=cache, rate=rate, senders=sender, images=image_settings,
                                  tweets=tweets, issue_links=issue_links)
        with _progress(quiet) as tick:
            report = run_sync(sources, out, options, force=force, progress=tick)
        _print_sync_report(report, quiet)
        raise typer.Exit(0 if report.ok else 1)


@app.command()
def check(
    sources: SourcesArg,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Folder the pages were written to.")],
    hugo: HugoOption = False,
    output_format: FormatOption = ReportFormat.human,
    filename: FilenameOption = "{slug}",
    fix_mojibake: MojibakeOption = Mojibake.auto,
    strip_param: StripParamOption = [],  # noqa: B006 (typer reads the default)
    sentence_per_line: SentenceOption = False,
    custom_domain_aliases: CustomDomainOption = False,
    profile: ProfileOption = None,
    date: DateOption = DateRule.none,
    drafts: DraftsOption = False,
    images: ImagesOption = ImageMode.keep,
    layout: LayoutOption = None,
    static_dir: StaticDirOption = None,
    tweets: TweetsOption = TweetMode.blockquote,
    issue_links: IssueLinksOption = IssueLinks.path,
    api_url: ApiUrlOption = DEFAULT_API_URL,
    token: TokenOption = None,
    latest: LatestOption = False,
    max_wait: MaxWaitOption = 60.0,
    save_raw: SaveRawOption = None,
    wayback_url: WaybackUrlOption = "https://web.archive.org",
    before: BeforeOption = None,
    cache: CacheOption = None,
    rate: RateOption = 1.0,
    sender: FromOption = [],  # noqa: B006 (typer reads the default)
) -> None:
    """Compare --out with SOURCES: drift, lost content, and (--hugo) a real Hugo build."""
    with user_errors():
        from revue2md.check import check as run_check
        from revue2md.images import image_options

        image_settings = image_options(images.value, layout.value if layout else None, static_dir)
        options = _export_options(filename, fix_mojibake, strip_param, sentence_per_line,
                                  custom_domain_aliases, profile, date, drafts, api_url=api_url, token=token,
                                  latest=latest, max_wait=max_wait, save_raw=save_raw, wayback_url=wayback_url,
                                  before=before, cache=cache, rate=rate, senders=sender, images=image_settings,
                                  tweets=tweets, issue_links=issue_links)
        with _progress(output_format is ReportFormat.json) as tick:
            report = run_check(sources, out, options, hugo=hugo, progress=tick)
        if output_format is ReportFormat.json:
            typer.echo(report.to_json(), nl=False)
        else:
            _print_check_report(report)
        raise typer.Exit(0 if report.ok else 1)


@contextmanager
def _progress(quiet: bool, unit: str = "issues"):
    """A progress line on an interactive terminal; nothing when piped or quiet."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(SpinnerColumn(), TextColumn(f"{{task.completed}} {unit}  {{task.description}}"),
                  transient=True, console=_stderr_console()) as progress:
        task = progress.add_task("", total=None)

        def tick(source: str) -> None:
            progress.update(task, advance=1, description=Path(source.split("#")[0]).name)

        yield tick


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _print_report(report, out: Path, quiet: bool) -> None:
    for skipped in report.skipped:
        typer.echo(f"skipped {skipped.source}: {skipped.reason}", err=True)
    for written in report.written:
        for image in written.images:
            if image.status == "failed":
                typer.echo(f"image failed {written.source}: {image.url} kept as it is: {image.reason}", err=True)
    if not quiet:
        for ignored in report.ignored:
            typer.echo(f"ignored {ignored.source}: {ignored.reason}", err=True)
        for written in report.written:
            for note in written.notes:
                typer.echo(f"note {written.source}: {note}", err=True)
            for image in written.images:
                if image.rendition not in (None, "original"):
                    typer.echo(f"note {written.source}: image {image.url}: took the {image.rendition!r} rendition, "
                               "the original did not answer", err=True)
    changed = sum(1 for written in report.written if written.changed)
    unchanged = len(report.written) - changed
    summary = f"wrote {changed} page{'s' if changed != 1 else ''} to {out}"
    if unchanged:
        summary += f" ({unchanged} already up to date)"
    summary += f"; skipped {len(report.skipped)}"
    if report.ignored:
        summary += f"; ignored {len(report.ignored)}"
    images = report.image_counts()
    moved = [f"{images[status]} {status}" for status in ("downloaded", "copied", "reused", "failed")
             if images.get(status)]
    if moved:
        summary += "; images: " + ", ".join(moved)
    typer.echo(summary)
    if images.get("kept") and not quiet:
        kept = images["kept"]
        typer.echo(f"hint: {kept} image{'s' if kept != 1 else ''} still load{'' if kept != 1 else 's'} from "
                   "remote URLs; --images download copies them into the site", err=True)


_KEPT = {"edited": ("edited by hand since revue2md wrote it", "overwrites it"),
         "deleted": ("deleted by hand", "writes it again"),
         "not written by revue2md": ("a file revue2md did not write", "overwrites it")}


def _print_sync_report(report, quiet: bool) -> None:
    for skipped in report.skipped:
        typer.echo(f"skipped {skipped.source}: {skipped.reason}", err=True)
    for source, image in report.images_failed:
        typer.echo(f"image failed {source}: {image.url} kept as it is: {image.reason}", err=True)
    for kept in report.kept:
        if kept.held_back or not quiet:
            what, fix = _KEPT[kept.why]
            held = ("" if not kept.held_back else "; the page of a new issue goes there and was not written"
                    if kept.why == "not written by revue2md" else "; its source changed and the update was not written")
            typer.echo(f"kept {kept.path}: {what}{held}; --force {fix}", err=True)
    if not quiet:
        if report.leftovers_removed:
            typer.echo(f"removed {report.leftovers_removed} unfinished temporary file(s) of an interrupted run",
                       err=True)
        for synced in report.written:
            typer.echo(f"wrote {synced.path} ({synced.why})")
            for note in synced.written.notes:
                typer.echo(f"note {synced.written.source}: {note}", err=True)
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
    typer.echo("; ".join(parts))


def _print_check_report(report) -> None:
    problems = report.sorted_problems()
    for problem in problems:
        where = f" {problem.file}" if problem.file else ""
        typer.echo(f"{problem.kind}{where}: {problem.detail}")
        for item in problem.items:
            typer.echo(f"    {item}")
    hugo = " and the Hugo build" if report.hugo else ""
    if problems:
        files = len({problem.file for problem in problems})
        typer.echo(f"check: {_plural(len(problems), 'problem')} in {_plural(files, 'file')}; "
                   f"{_plural(report.pages, 'page')} from the sources in {report.out}")
    else:
        typer.echo(f"check: {_plural(report.pages, 'page')} in {report.out} match the sources{hugo}: "
                   "no drift, no lost content")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def main() -> None:
    app()
