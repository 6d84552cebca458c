"""The review report: one self-contained HTML file to page through a migration by eye.

Per page, the cleaned source (sanitised) beside the page as markdown-it renders it, every
finding numbered and highlighted where it stands in the source and listed on the page side,
and the lines cleaning dropped as Revue chrome struck through. No script; a Content-Security-
Policy forbids every load except inline style (and http(s) images with `images="remote"`).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from revue2md.canonical import BLOCKS
from revue2md.verify.fidelity import normalise_url, words
from revue2md.verify.findings import Finding
from revue2md.verify.rendered import relref_as_links
from revue2md.verify.sanitize import sanitize

IMAGE_MODES = ("alt", "remote")
_WORD = re.compile(r"\w+")
_LEAVES = BLOCKS | {"li", "td", "th", "figcaption", "dt", "dd"}
DROPPED_LINES = 40


@dataclass(frozen=True)
class PageReview:
    """One page as the report shows it; the two panes are already sanitised HTML."""

    file: str
    title: str
    date: str
    source: str
    aliases: tuple[str, ...]
    findings: tuple[Finding, ...]
    source_html: str
    page_html: str
    dropped: tuple[str, ...] = ()
    images: tuple[str, ...] = ()  # the status of each image ("kept", "reused", ...)


@dataclass(frozen=True)
class ReportSummary:
    out: str
    pages: int
    problems: tuple[tuple[str, int], ...]  # (kind, count)
    skipped: tuple[tuple[str, str], ...] = ()  # (source, reason): issues that made no page


def review_page(file: str, title: str, date: str, source: str, aliases: Iterable[str], cleaned: Tag,
                body: str, findings: Iterable[Finding], raw_html: str = "", images: str = "alt",
                image_statuses: Iterable[str] = ()) -> PageReview:
    findings = tuple(findings)
    source_tree = BeautifulSoup(str(cleaned), "lxml")
    source_root = source_tree.body or source_tree
    cleaned_text = " ".join(words(source_root))
    for number, finding in enumerate(findings, 1):
        if finding.where == "source":
            _highlight(source_root, finding, number)
    sanitize(source_root, images)
    page_tree = BeautifulSoup(_render_markdown(body), "lxml")
    page_root = page_tree.body or page_tree
    sanitize(page_root, images)
    # A line that is on the page was not dropped, whatever the tree the page was made from says.
    kept_text = f"{cleaned_text} | {' '.join(words(page_root))}"
    return PageReview(file, title, date, source, tuple(aliases), findings, source_root.decode_contents(),
                      page_root.decode_contents(), tuple(dropped_lines(raw_html, kept_text)),
                      tuple(image_statuses))


def dropped_lines(raw_html: str, cleaned_text: str) -> list[str]:
    """Lines of the source as it came whose words are nowhere in the cleaned tree: the chrome cleaning dropped."""
    if not raw_html:
        return []
    tree = BeautifulSoup(raw_html, "lxml")
    found, seen = [], set()
    padded = f" {cleaned_text} "
    for element in tree.find_all(_LEAVES):
        if element.find(_LEAVES) is not None or element.find_parent(["script", "style", "head"]):
            continue
        line = " ".join(words(element))
        if not line or line in seen or f" {line} " in padded:
            continue
        seen.add(line)
        found.append(" ".join(element.get_text(" ").split()))
        if len(found) >= DROPPED_LINES:
            break
    return found


def _highlight(root: Tag, finding: Finding, number: int) -> None:
    if finding.quote or finding.kind == "text":
        wanted = _WORD.findall((finding.quote or finding.text).rstrip("…"))[:40]
        block = _smallest_holding(root, wanted) if wanted else None
        if block is not None:
            _mark(block, number)
    elif finding.kind in ("link", "embed"):
        target = normalise_url(finding.text)
        for anchor in root.find_all("a", href=True):
            if normalise_url(anchor["href"]) == target:
                _mark(anchor, number)
        for element in root.find_all(attrs={"data-url": True}):
            if normalise_url(element["data-url"]) == target:
                _mark(element, number)
    elif finding.kind == "image":
        target = normalise_url(finding.text)
        for image in root.find_all("img", src=True):
            if normalise_url(image["src"]) == target:
                _mark(image, number)


def _smallest_holding(root: Tag, wanted: list[str]) -> Tag | None:
    best = None
    for element in root.find_all(_LEAVES | {"div", "blockquote", "figure"}):
        if _contains(words(element), wanted) and (best is None or element in best.descendants):
            best = element
    return best


def _contains(haystack: list[str], needle: list[str]) -> bool:
    size = len(needle)
    return any(haystack[i:i + size] == needle for i in range(len(haystack) - size + 1))


def _mark(element: Tag, number: int) -> None:
    classes = list(element.get("class") or ())
    if "r2m-lost" not in classes:
        element["class"] = [*classes, "r2m-lost"]
        element["data-n"] = str(number)


def _render_markdown(body: str) -> str:
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    return renderer.render(relref_as_links(body))


# --- the document -------------------------------------------------------------------------------

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f4f4f6}
header.top{background:#20232a;color:#fff;padding:14px 24px}
header.top h1{margin:0 0 6px;font-size:20px}
.counts{display:flex;flex-wrap:wrap;gap:8px}
.counts span{background:#3a3f4b;border-radius:4px;padding:2px 8px}
.counts span.bad{background:#b3261e}
main{padding:12px 24px}
details.issue{background:#fff;border:1px solid #ddd;border-radius:6px;margin:10px 0}
details.issue>summary{cursor:pointer;padding:8px 12px;font-weight:600}
details.issue.problems>summary{border-left:6px solid #b3261e}
details.issue.clean>summary{border-left:6px solid #2e7d32}
.meta{padding:0 12px;color:#555;font-size:13px}
.meta code{background:#f0f0f0;padding:0 3px}
.panes{display:grid;grid-template-columns:1fr 1fr;gap:12px;padding:12px}
.pane{border:1px solid #e3e3e3;border-radius:4px;padding:8px 12px;overflow:auto;max-height:900px;min-width:0}
.pane h3{margin:0 0 8px;font-size:13px;text-transform:uppercase;color:#666}
.pane img{max-width:100%}
.r2m-lost{background:#ffd6d6;outline:2px solid #d32f2f}
.r2m-lost::before{content:"#" attr(data-n) " ";color:#d32f2f;font-weight:700}
.r2m-image{display:inline-block;background:#eef;border:1px dashed #99a;padding:1px 4px;font-size:12px;
word-break:break-all}
ol.findings{background:#fff3f3;border:1px solid #f2c2c2;padding:6px 6px 6px 32px;margin:0 0 8px}
ol.findings li{word-break:break-all}
ol.findings li.file{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px}
.dropped{color:#777;font-size:13px;border-top:1px dashed #ccc;margin-top:10px}
.dropped del{display:block}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 4px}
"""


def render_report(summary: ReportSummary, reviews: Iterable[PageReview], images: str = "alt") -> str:
    reviews = sorted(reviews, key=lambda review: (not review.findings, review.file))
    image_counts = Counter(status for review in reviews for status in review.images)
    counts = [f"<span>{summary.pages} issue{'s' if summary.pages != 1 else ''}</span>",
              f"<span>{len(reviews)} page{'s' if len(reviews) != 1 else ''}</span>"]
    counts += [f'<span class="bad">{count} {html.escape(kind)}</span>' for kind, count in summary.problems]
    if not summary.problems:
        counts.append("<span>no problems</span>")
    counts += [f"<span>images {html.escape(status)}: {count}</span>" for status, count in sorted(image_counts.items())]
    image_source = " http: https:" if images == "remote" else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        f"img-src data:{image_source}\">",
        '<meta name="referrer" content="no-referrer">',
        f"<title>revue2md review: {html.escape(summary.out)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f'<header class="top"><h1>Review of {html.escape(summary.out)}</h1>',
        f'<div class="counts">{"".join(counts)}</div></header><main>',
    ]
    if summary.skipped:
        parts.append('<details class="issue problems" open><summary>Issues that made no page</summary><ul>')
        parts += [f"<li><code>{html.escape(source)}</code>: {html.escape(reason)}</li>"
                  for source, reason in summary.skipped]
        parts.append("</ul></details>")
    parts += [_section(review) for review in reviews]
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def _section(review: PageReview) -> str:
    state = "problems" if review.findings else "clean"
    opened = " open"
    label = f"{len(review.findings)} finding{'s' if len(review.findings) != 1 else ''}" if review.findings else "ok"
    aliases = ", ".join(f"<code>{html.escape(alias)}</code>" for alias in review.aliases) or "none"
    listed = "".join(f'<li value="{n}" class="{f.where}"><b>{html.escape(f.kind)}</b> {html.escape(f.text)}'
                     f'{" (in the source)" if f.where == "source" else ""}</li>'
                     for n, f in enumerate(review.findings, 1))
    page_findings = f'<ol class="findings">{listed}</ol>' if listed else ""
    dropped = ""
    if review.dropped:
        dropped = ('<div class="dropped"><p>Dropped by cleaning (Revue chrome):</p>'
                   + "".join(f"<del>{html.escape(line)}</del>" for line in review.dropped) + "</div>")
    return (
        f'<details class="issue {state}"{opened} id="{html.escape(review.file, quote=True)}">'
        f"<summary>{html.escape(review.title or review.file)} <small>({label})</small></summary>"
        f'<div class="meta"><div>date: {html.escape(review.date or "none")} · page: '
        f"<code>{html.escape(review.file)}</code> · source: <code>{html.escape(review.source)}</code></div>"
        f"<div>aliases: {aliases}</div></div>"
        f'<div class="panes"><section class="pane source"><h3>Source (cleaned)</h3>{review.source_html}{dropped}'
        f'</section><section class="pane page"><h3>Page (rendered)</h3>{page_findings}{review.page_html}'
        "</section></div></details>"
    )
