"""The command line's options: their types and help, shared by the commands that convert issues.

`export`, `sync` and `check` take the same options (they must, to write and to compare the
same pages); `list` takes those that say where issues come from. Each group is declared once,
as the parameters of a template function, and `with_parameters` adds them to a command.
"""

from __future__ import annotations

import functools
import inspect
import typing
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from revue2md.clean.mojibake import MojibakeMode
from revue2md.cli.report import user_errors
from revue2md.convert.links import IssueLinks
from revue2md.dates import DateRule
from revue2md.embeds import TweetMode
from revue2md.hugo.images import DEFAULT_JOBS, DEFAULT_MAX_MB, ImageMode, Layout
from revue2md.sources.interface import (
    DEFAULT_API_URL,
    DEFAULT_HTTP_DEADLINE,
    DEFAULT_MAX_WAIT,
    DEFAULT_RATE,
    DEFAULT_WAYBACK_URL,
    SourceContext,
)

if typing.TYPE_CHECKING:
    from revue2md.commands.options import ExportOptions


class ReportFormat(str, Enum):
    """How a command prints its report (the command line's own choice)."""

    human = "human"
    json = "json"


class ReportImages(str, Enum):
    alt = "alt"
    remote = "remote"


SourcesArg = Annotated[
    list[str],
    typer.Argument(help="Saved API JSON (.json), saved issue or archive pages (.html), a Revue ZIP export "
                   "(.zip or its unpacked folder), mailboxes (.mbox) or e-mails (.eml), folders of them, the "
                   "word 'api' for the live Revue API, or wayback:<profile or custom-domain URL>.",
                   show_default=False, metavar="SOURCE"),
]
def folder_path(text: str) -> Path:
    """A folder option's value; an empty one (an unset shell variable) is a usage error, not `.`."""
    if not str(text).strip():
        raise typer.BadParameter("empty folder name (an unset shell variable?); name the folder, or . for this one")
    return Path(text)


OutOption = Annotated[Path, typer.Option("--out", "-o", metavar="DIR", parser=folder_path,
                                         help="Folder to write the pages to (Hugo content).")]
FilenameOption = Annotated[
    str,
    typer.Option("--filename", metavar="TEMPLATE",
                 help="Page file name template over {slug}, {id}, {number}, {date}, {year}, {month}, {day}; "
                 "'/' makes folders. Example: '{date:%Y}/{number:03d}'."),
]
MojibakeOption = Annotated[
    MojibakeMode, typer.Option("--fix-mojibake", help="Repair text decoded with the wrong charset.")
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
    str, typer.Option("--api-url", metavar="URL", help="Base URL of the Revue API (or of a replay or mirror of it).")
]
TokenOption = Annotated[
    str | None,
    typer.Option("--token", metavar="KEY", envvar="REVUE_API_TOKEN", show_default=False,
                 help="Revue API token (sent as 'Authorization: Token <key>'); never printed or saved."),
]
LatestOption = Annotated[
    bool, typer.Option("--latest", help="Read only the latest issue (GET /issues/latest), for a cron poll.")
]
MaxWaitOption = Annotated[
    float, typer.Option("--max-wait", metavar="SECONDS", min=0, help="Longest wait in seconds between "
                        "retries, whatever Retry-After asks.")
]
HttpDeadlineOption = Annotated[
    float, typer.Option("--http-deadline", metavar="SECONDS",
                        help="Longest time one attempt of one request may take, first byte to last (API, web "
                        "archive, image downloads); a server that drips its answer is given up on after it.")
]
AllowPrivateOption = Annotated[
    bool, typer.Option("--allow-private-hosts",
                       help="Also download images from loopback, private and link-local addresses (a mirror on "
                       "the local network); refused by default, as is every redirect to them.")
]
SaveRawOption = Annotated[
    Path | None,
    typer.Option("--save-raw", metavar="DIR", help="Also keep each API response as fetched in this folder; a later run "
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
IssueLinksOption = Annotated[
    IssueLinks,
    typer.Option("--issue-links", help="Links to other issues of the archive: a relative URL to the migrated "
                 "page (path), Hugo's relref shortcode (relref, for custom permalinks), or left as they are (off)."),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite pages edited by hand and write again pages deleted by hand.")
]
OverwriteOption = Annotated[
    bool, typer.Option("--overwrite", help="Replace files where pages go even when revue2md did not write them.")
]
HugoOption = Annotated[
    bool, typer.Option("--hugo", help="Also build a throwaway Hugo site around the pages (needs a hugo binary).")
]


FormatOption = Annotated[ReportFormat, typer.Option("--format", help="human: short lines naming files; "
                                                    "json: one JSON document for machines.")]


MarkdownPathsArg = Annotated[
    list[str], typer.Argument(help="Markdown files, or folders of them (Hugo content).", show_default=False)
]
CleanOutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", metavar="DIR", parser=folder_path,
                 help="Folder to write a cleaned copy of every markdown file to (same relative paths).",
                 show_default=False),
]
InPlaceOption = Annotated[bool, typer.Option("--in-place", help="Rewrite the files themselves (atomically).")]
CheckOption = Annotated[
    bool, typer.Option("--check", help="Write nothing; list the files that would change, exit 1 if any.")
]
KeepChromeOption = Annotated[
    bool, typer.Option("--keep-chrome", help="Keep Revue's e-mail chrome (View online, footer lines, "
                       "the sender's address); it is removed by default.")
]
KeepHtmlOption = Annotated[
    bool, typer.Option("--keep-html", help="Keep bodies that are still Revue's HTML as they are; by default "
                       "they are rewritten as markdown (Hugo drops raw HTML).")
]


ReportOption = Annotated[
    Path | None,
    typer.Option("--report", metavar="FILE", show_default=False,
                 help="Also write a review report: one HTML file, source beside page, every finding highlighted."),
]
ReportImagesOption = Annotated[
    ReportImages,
    typer.Option("--report-images", help="alt: the report shows each image as its alt text and URL (opening it "
                 "contacts nobody); remote: it loads http(s) images."),
]
RedirectsOption = Annotated[
    str | None,
    typer.Option("--redirects", metavar="FORMAT[=FILE]", show_default=False,
                 help="Keep a file of real 301 redirects from the pages' aliases: netlify (also Cloudflare Pages), "
                 "nginx, apache, caddy or vercel; FILE defaults to _redirects, redirects.nginx.conf, .htaccess, "
                 "redirects.caddy or vercel.json in the current folder."),
]
BasePathOption = Annotated[
    str | None,
    typer.Option("--base-path", metavar="PATH", show_default=False,
                 help="URL path of the pages' section for --redirects. Default: the folders after content/ in "
                 "--out, else the name of --out."),
]


def redirect_options(value: str | None, base_path: str | None, out: Path):
    """RedirectOptions from --redirects and --base-path, or None without --redirects."""
    if value is None:
        return None
    from revue2md.hugo.redirects import RedirectOptions, default_base_path, normalise_base_path, parse_target

    base = normalise_base_path(base_path) if base_path is not None else default_base_path(out)
    return RedirectOptions(parse_target(value), base)


JobsOption = Annotated[int, typer.Option("--jobs", "-j", metavar="N", min=1,
                                         help="Convert issues in N processes (the output is the same).")]


def source_parameters(
    api_url: ApiUrlOption = DEFAULT_API_URL,
    token: TokenOption = None,
    latest: LatestOption = False,
    max_wait: MaxWaitOption = DEFAULT_MAX_WAIT,
    save_raw: SaveRawOption = None,
    wayback_url: WaybackUrlOption = DEFAULT_WAYBACK_URL,
    before: BeforeOption = None,
    cache: CacheOption = None,
    rate: RateOption = DEFAULT_RATE,
    sender: FromOption = [],  # noqa: B006 (typer reads the default)
    http_deadline: HttpDeadlineOption = DEFAULT_HTTP_DEADLINE,
) -> SourceContext:
    """Where issues come from."""
    if before is not None:
        from revue2md.sources.wayback import parse_before

        before = parse_before(before)
    return SourceContext(
        api_url=api_url or DEFAULT_API_URL, token=token, latest=latest, max_wait=max_wait, save_raw=save_raw,
        wayback_url=wayback_url or DEFAULT_WAYBACK_URL, before=before, cache_dir=cache,
        rate=DEFAULT_RATE if rate is None else rate, mail_senders=tuple(sender), http_deadline=http_deadline,
    )


def selection_parameters(
    sources: SourceContext,
    fix_mojibake: MojibakeOption = MojibakeMode.auto,
    drafts: DraftsOption = False,
) -> ExportOptions:
    """Which issues are taken, and how their text is read."""
    from revue2md.clean.issue import CleanOptions
    from revue2md.commands.options import ExportOptions

    return ExportOptions(clean=CleanOptions(mojibake=fix_mojibake), drafts=drafts, sources=sources)


def conversion_parameters(
    options: ExportOptions,
    filename: FilenameOption = "{slug}",
    strip_param: StripParamOption = [],  # noqa: B006 (typer reads the default)
    sentence_per_line: SentenceOption = False,
    custom_domain_aliases: CustomDomainOption = False,
    profile: ProfileOption = None,
    date: DateOption = DateRule.none,
    images: ImagesOption = ImageMode.keep,
    layout: LayoutOption = None,
    static_dir: StaticDirOption = None,
    image_jobs: ImageJobsOption = DEFAULT_JOBS,
    image_cache: ImageCacheOption = None,
    image_max_mb: ImageMaxOption = DEFAULT_MAX_MB,
    tweets: TweetsOption = TweetMode.blockquote,
    issue_links: IssueLinksOption = IssueLinks.path,
    allow_private_hosts: AllowPrivateOption = False,
) -> ExportOptions:
    """How issues become pages."""
    from revue2md.clean.tracking import TrackingFilter
    from revue2md.convert.markdown import ConvertOptions, EmbedRenderer
    from revue2md.hugo.images import image_options
    from revue2md.hugo.naming import FilenameTemplate
    from revue2md.hugo.page import PageOptions
    from revue2md.net.retry import RetryPolicy

    return replace(
        options,
        clean=replace(options.clean, tracking=TrackingFilter(strip_param)),
        page=PageOptions(
            convert=ConvertOptions(sentence_per_line=sentence_per_line, embeds=EmbedRenderer(tweets=tweets)),
            custom_domain_aliases=custom_domain_aliases, profile=profile, date_rule=date,
        ),
        filename=FilenameTemplate(filename),
        images=image_options(images, layout, static_dir, image_jobs, image_cache, image_max_mb,
                             policy=RetryPolicy(deadline=options.sources.http_deadline),
                             allow_private_hosts=allow_private_hosts),
        issue_links=issue_links,
    )


# The library's option classes are imported when a command runs, not for --help; typer never
# sees them (they are what the builders return and take), so they resolve to Any here.
_LATE = {"ExportOptions": typing.Any, "SourceContext": typing.Any}


def with_parameters(*builders):
    """Add the builders' parameters to a command, which receives what they build as `options`.

    Each option group is declared once, as the parameters of a builder function that turns
    the values into the library's own option objects. The first builder takes only its
    options; each following one also takes, as its first argument, what the one before
    built. Typer sees one flat signature: the command's own parameters and every builder's.
    """

    def decorate(command):
        own = inspect.signature(command)
        hints = typing.get_type_hints(command, localns=_LATE, include_extras=True)
        groups = []
        for position, builder in enumerate(builders):
            builder_hints = typing.get_type_hints(builder, localns=_LATE, include_extras=True)
            parameters = list(inspect.signature(builder).parameters.values())[1 if position else 0:]
            groups.append([parameter.replace(annotation=builder_hints[parameter.name]) for parameter in parameters])
        added = [parameter for group in groups for parameter in group]

        @functools.wraps(command)
        def wrapper(*args, **kwargs):
            built = None
            with user_errors():  # a bad value is one line and its exit code, as inside the command
                for position, (builder, group) in enumerate(zip(builders, groups, strict=True)):
                    values = {parameter.name: kwargs.pop(parameter.name) for parameter in group}
                    built = builder(built, **values) if position else builder(**values)
            return command(*args, options=built, **kwargs)

        kept = [parameter.replace(annotation=hints.get(parameter.name, parameter.annotation))
                for parameter in own.parameters.values() if parameter.name != "options"]
        wrapper.__signature__ = own.replace(parameters=[*kept, *added], return_annotation=None)
        wrapper.__annotations__ = {parameter.name: parameter.annotation for parameter in [*kept, *added]}
        del wrapper.__wrapped__  # typer must read the new signature, not the command's own
        return wrapper

    return decorate
