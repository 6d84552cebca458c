"""The acceptance checks of the export, on real Revue data (skipped when the corpus is absent)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import raw_html_tokens, render

from revue2md.clean.chrome import is_chrome_link
from revue2md.dates import parse_date
from revue2md.revue_urls import parse_issue_url

FOLDERS = {
    "api/weekly-kaggle-news/issues.json": 80,
    "api/expected-space/issues.json": 2,
    "web/fudge-sunday": 8,
    "email/converged-thoughts": 5,
}
CHROME_TEXT = re.compile(r"rev\.vu/|View online|Did you enjoy this issue|Powered by Revue|If you were forwarded"
                         r"|don't want these updates|Carefully curated by|unsubscribe", re.IGNORECASE)
TRACKING = re.compile(r"[?&](?:amp;)?(?:utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)=", re.IGNORECASE)


@pytest.fixture(scope="module")
def exported(tmp_path_factory, request):
    """Each corpus folder exported once for the whole module."""
    from conftest import CORPUS
    from typer.testing import CliRunner

    from revue2md.cli.app import app

    if not CORPUS.is_dir():
        pytest.skip(f"real Revue corpus not found at {CORPUS}")
    results = {}
    for folder in FOLDERS:
        out = tmp_path_factory.mktemp(folder.replace("/", "_"))
        result = CliRunner().invoke(app, ["export", str(CORPUS / folder), "--out", str(out), "-q"])
        results[folder] = (result, out)
    return results


def _pages(out: Path) -> dict[Path, tuple[dict, str]]:
    pages = {}
    for path in sorted(out.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        head, body = text[4:].split("\n---\n", 1)
        pages[path] = (yaml.safe_load(head), body)
    return pages


def _norm_url(url: str) -> str:
    parts = urlsplit(unquote(url.strip()))
    query = "&".join(sorted(f"{k}={v}" for k, v in parse_qsl(parts.query, keep_blank_values=True)
                            if not TRACKING.match(f"?{k}=")))
    return f"{(parts.hostname or '').removeprefix('www.')}{parts.path.rstrip('/')}?{query}"


def _sources(corpus: Path, folder: str) -> list[tuple[BeautifulSoup, dict]]:
    """Each source issue's content tree and its expected title and date."""
    path = corpus / folder
    if path.is_file():
        return [(BeautifulSoup(i["html"], "lxml"), {"title": i["title"], "date": parse_date(i["sent_at"])})
                for i in json.loads(path.read_text(encoding="utf-8"))]
    sources = []
    for page in sorted(path.glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        frame = soup.find(id="issue-frame")
        time = soup.select_one("#issue-display header time")
        title = soup.select_one("#issue-display header h1")
        sources.append((frame or soup.body, {"title": title.get_text(strip=True) if title else None,
                                             "date": parse_date(time["datetime"]) if time else None}))
    return sources


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_issue_is_written(exported, folder):
    result, out = exported[folder]
    assert result.exit_code == 0, result.output
    assert len(list(out.rglob("*.md"))) == FOLDERS[folder]


def test_95_issues_in_all(exported):
    assert sum(len(list(out.rglob("*.md"))) for _, out in exported.values()) == 95


@pytest.mark.parametrize("folder", FOLDERS)
def test_no_chrome_no_tracking_no_raw_html_no_layout_tables(exported, folder):
    _, out = exported[folder]
    for path, (_, body) in _pages(out).items():
        assert not CHROME_TEXT.search(body), (path.name, CHROME_TEXT.search(body).group(0))
        assert not TRACKING.search(path.read_text(encoding="utf-8")), path.name
        assert raw_html_tokens(body) == [], path.name
        assert not [line for line in body.splitlines() if line.lstrip().startswith("|")], path.name


def _archived_ids(out: Path) -> dict[int, Path]:
    return {front["revue_id"]: path for path, (front, _) in _pages(out).items() if front.get("revue_id")}


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_content_link_is_kept(exported, corpus, folder):
    _, out = exported[folder]
    archived = _archived_ids(out)
    kept = set()
    for _, body in _pages(out).values():
        kept |= {_norm_url(a["href"]) for a in BeautifulSoup(render(body), "lxml").find_all("a", href=True)}
    for tree, _ in _sources(corpus, folder):
        for link in tree.find_all("a", href=True):
            href = link["href"]
            if not href.startswith(("http://", "https://")) or is_chrome_link(href):
                continue
            parsed = parse_issue_url(href)
            if parsed is not None and parsed.id in archived:
                continue  # points at the migrated page now (next test)
            assert _norm_url(href) in kept, href


@pytest.mark.parametrize("folder", FOLDERS)
def test_links_between_issues_point_at_the_migrated_pages(exported, corpus, folder):
    """Every link to an issue of the archive is a relative URL that leads to that issue's page."""
    _, out = exported[folder]
    archived = _archived_ids(out)
    linked = set()
    for tree, _ in _sources(corpus, folder):
        for link in tree.find_all("a", href=True):
            parsed = parse_issue_url(link["href"])
            if parsed is not None and parsed.id in archived and not is_chrome_link(link["href"]):
                linked.add(parsed.id)
    targets = set()
    for path, (_, body) in _pages(out).items():
        assert "getrevue.co/profile/upura/issues/weekly-kaggle-news-" not in body, path.name
        for link in BeautifulSoup(render(body), "lxml").find_all("a", href=True):
            href = link["href"]
            if href.startswith(("http://", "https://", "/")) or not href.endswith("/"):
                continue
            # A page `name.md` is published at `name/`: its links are relative to that URL.
            target = (path.parent / path.stem / href).resolve()
            page = target.with_suffix(".md")
            if target == out.resolve():
                continue
            assert page.is_file(), (path.name, href)
            targets.add(next(i for i, p in archived.items() if p.resolve() == page))
    assert targets == linked
    if folder.startswith("api/weekly"):
        assert len(linked) == 3


@pytest.mark.parametrize("folder", FOLDERS)
def test_no_revue_shortcode_is_left(exported, folder):
    _, out = exported[folder]
    for path in out.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        for marker in ("[tweet", "[embed", "[caption"):
            assert marker not in text, (path.name, marker)


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_paragraph_is_its_own_block(exported, corpus, folder):
    """Each source paragraph, heading, quote and list item ends up inside one output block of its size."""
    _, out = exported[folder]
    blocks = []
    for _, body in _pages(out).values():
        rendered = BeautifulSoup(render(body), "lxml")
        blocks += [re.sub(r"\s+", "", el.get_text()) for el in rendered.select("p, li, blockquote, h1, h2, h3, td")]
    missing = []
    for tree, _ in _sources(corpus, folder):
        for element in tree.select("p, li, blockquote, h2, .revue-p, .item-header, .revue-blockquote"):
            if element.select_one("p, li, blockquote, .revue-p") or _is_chrome_text(element):
                continue
            text = re.sub(r"\s+", "", element.get_text())
            if len(text) >= 30 and not any(text in block and len(block) <= 3 * len(text) + 300 for block in blocks):
                missing.append(text[:80])
    assert missing == []


def _is_chrome_text(element) -> bool:
    return bool(CHROME_TEXT.search(element.get_text()))


@pytest.mark.parametrize("folder", FOLDERS)
def test_front_matter_gives_back_the_exact_title_and_date(exported, corpus, folder):
    _, out = exported[folder]
    fronts = [front for front, _ in _pages(out).values()]
    for _, expected in _sources(corpus, folder):
        if expected["title"] is None:
            continue
        matches = [f for f in fronts if f["title"] == expected["title"]]
        assert matches, expected["title"]
        if expected["date"] is not None:
            assert any(f.get("date") == expected["date"] for f in matches), expected
