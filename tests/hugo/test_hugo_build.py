"""Exported pages build with a real Hugo, which reads back the exact titles and dates."""

from __future__ import annotations

from datetime import datetime

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import CORPUS, FIXTURES

from revue2md.dates import parse_date
from revue2md.hugo.build import build_site

pytestmark = pytest.mark.hugo


def _front(path):
    return yaml.safe_load(path.read_text(encoding="utf-8")[4:].split("\n---\n", 1)[0])


def _built_pages(public):
    return {article["data-source"]: article for page in public.rglob("index.html")
            for article in BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").find_all("article")}


def test_fixture_and_corpus_pages_build_and_read_back(cli, hugo, tmp_path):
    content = tmp_path / "content"
    sources = [FIXTURES / "api", FIXTURES / "web", FIXTURES / "email"]
    if CORPUS.is_dir():
        sources += [CORPUS / "api", CORPUS / "web", CORPUS / "email"]
    result = cli("export", *sources, "--out", content / "issues", "-q", "--custom-domain-aliases")
    assert result.exit_code == 0, result.output
    build = build_site(content, tmp_path / "site", hugo)
    assert build.ok, build.log
    assert "raw HTML omitted" not in build.log
    built = _built_pages(build.public)
    written = sorted((content / "issues").glob("*.md"))
    assert len(built) == len(written) >= 13
    for path in written:
        front = _front(path)
        article = built[f"issues/{path.name}"]
        assert article["data-title"] == front["title"], path.name
        if isinstance(front.get("date"), datetime):
            assert parse_date(article["data-date"]) == front["date"], path.name
        assert "raw HTML omitted" not in str(article), path.name
        for alias in front.get("aliases", []):
            redirect = build.public / alias.strip("/") / "index.html"
            assert redirect.is_file(), alias
    assert not list(build.public.rglob("*.html")) or all(
        "raw HTML omitted" not in p.read_text(encoding="utf-8") for p in build.public.rglob("*.html"))


def test_a_shortcode_in_a_title_or_text_stays_text(cli, hugo, tmp_path):
    content = tmp_path / "content"
    cli("export", FIXTURES / "api", "--out", content / "issues", "-q")
    build = build_site(content, tmp_path / "site", hugo)
    assert build.ok, build.log
    page = (build.public / "issues" / "every-structure-7-links-quotes-lists" / "index.html").read_text(encoding="utf-8")
    assert "{{&lt; shortcode &gt;}}" in page
    title_page = (build.public / "issues" / "edge-7" / "index.html").read_text(encoding="utf-8")
    assert 'data-title="{{&lt; shortcode &gt;}} in a title"' in title_page


def test_missing_hugo_is_a_clear_usage_error(tmp_path, monkeypatch):
    from revue2md.errors import UsageError
    from revue2md.hugo import build as hugo_build

    monkeypatch.setattr(hugo_build, "find_hugo", lambda: None)
    (tmp_path / "c").mkdir()
    with pytest.raises(UsageError, match="no Hugo binary found"):
        hugo_build.build_site(tmp_path / "c", tmp_path / "site")


def test_corpus_as_page_bundles_builds_offline_with_its_links_and_embeds(cli, hugo, corpus, tmp_path):
    """Default tweet mode, bundles, links between issues: Hugo builds it without the network."""
    content = tmp_path / "content"
    result = cli("export", corpus / "api", corpus / "web", corpus / "email", "--out", content / "issues", "-q",
                 "--layout", "bundle")
    assert result.exit_code == 0, result.output
    pages = list((content / "issues").rglob("index.md"))
    assert f"wrote {len(pages)} pages" in result.stdout and len(pages) > 90
    assert not list((content / "issues").glob("*.md"))
    text = "".join(page.read_text(encoding="utf-8") for page in pages)
    assert "](../weekly-kaggle-news-18/)" in text and "Tweet by @" in text
    for marker in ("[tweet", "[embed", "[caption", "index_files"):
        assert marker not in text, marker
    build = build_site(content, tmp_path / "site", hugo)
    assert build.ok, build.log
    assert "REF_NOT_FOUND" not in build.log
    linking = (build.public / "issues" / "weekly-kaggle-news-19" / "index.html").read_text(encoding="utf-8")
    assert 'href="../weekly-kaggle-news-18/"' in linking
    assert (build.public / "issues" / "weekly-kaggle-news-18" / "index.html").is_file()
