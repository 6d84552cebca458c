"""The review report (`check --report`): structure, highlighted losses, sanitised source, a real browser."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT

EXAMPLES = ROOT / "examples" / "archive"
STRUCTURE = "every-structure-7-links-quotes-lists.md"
QUOTE = "> A quote that Revue wrapped in a paragraph.\n\n"
HOSTILE = FIXTURES / "report" / "hostile.json"


def _report(cli, sources, out: Path, *extra) -> tuple[object, BeautifulSoup]:
    path = out.parent / "report.html"
    result = cli("check", sources, "--out", out, "--report", path, *extra)
    return result, BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


@pytest.fixture
def exported(cli, tmp_path) -> Path:
    out = tmp_path / "site" / "content" / "issues"
    assert cli("export", EXAMPLES, "--out", out, "-q").exit_code == 0
    return out


def test_the_report_names_every_issue_with_both_sides(cli, exported):
    result, soup = _report(cli, EXAMPLES, exported)
    assert result.exit_code == 0, result.output
    sections = soup.select("details.issue")
    pages = sorted(path.name for path in exported.glob("*.md"))
    assert sorted(section["id"] for section in sections) == pages
    for section in sections:
        assert section.select_one(".pane.source").get_text(strip=True)
        assert section.select_one(".pane.page").get_text(strip=True)
        assert "aliases:" in section.select_one(".meta").get_text()
    assert "3 issues" in soup.select_one(".counts").get_text(" ")
    assert "no problems" in soup.select_one(".counts").get_text(" ")
    assert soup.find("script") is None


def test_a_lost_paragraph_is_highlighted_in_the_source_and_listed_on_the_page(cli, exported):
    (exported / STRUCTURE).write_text((exported / STRUCTURE).read_text(encoding="utf-8").replace(QUOTE, ""),
                                      encoding="utf-8")
    result, soup = _report(cli, EXAMPLES, exported)
    assert result.exit_code == 1
    first = soup.select("details.issue")[0]
    assert first["id"] == STRUCTURE  # issues with problems come first
    marked = first.select(".pane.source .r2m-lost")
    assert [mark.get_text(" ", strip=True) for mark in marked] == ["A quote that Revue wrapped in a paragraph."]
    listed = first.select_one(".pane.page ol.findings").get_text(" ")
    assert "A quote that Revue wrapped in a paragraph" in listed
    assert "drift" in listed
    assert "1 lost" in soup.select_one(".counts").get_text(" ")
    first.select_one(".pane.page ol.findings").decompose()
    assert "A quote that Revue wrapped" not in first.select_one(".pane.page").get_text()


def test_hostile_source_html_is_sanitised(cli, tmp_path):
    out = tmp_path / "content" / "issues"
    assert cli("export", HOSTILE, "--out", out, "-q").exit_code == 0
    result, soup = _report(cli, HOSTILE, out)
    assert result.exit_code == 0, result.output
    text = str(soup)
    assert soup.find(["script", "iframe", "form", "input", "svg"]) is None
    assert "alert(" not in text and "javascript:" not in text
    assert "evil.example/post" not in text and "track.png" not in text  # form target, style URL
    assert not [tag for tag in soup.find_all(True) if any(key.startswith("on") for key in tag.attrs)]
    assert not soup.find_all(style=True)
    assert soup.find("img") is None  # not loaded by default: alt text and URL
    assert "[image: A photo] https://images.example/photo.png" in soup.get_text()
    source = soup.select_one(".pane.source")
    assert "Safe words stay." in source.get_text() and "Styled text." in source.get_text()
    assert source.find("a", href="https://example.com/ok") is not None
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in policy and "img-src data:;" not in policy and "http" not in policy


def test_remote_images_only_on_request(cli, tmp_path):
    out = tmp_path / "content" / "issues"
    assert cli("export", HOSTILE, "--out", out, "-q").exit_code == 0
    _, soup = _report(cli, HOSTILE, out, "--report-images", "remote")
    images = soup.find_all("img")
    assert {image["src"] for image in images} == {"https://images.example/photo.png"}
    assert all(set(image.attrs) <= {"src", "alt", "loading", "referrerpolicy"} for image in images)
    assert "https:" in soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]


def test_export_writes_the_report_too(cli, tmp_path):
    out = tmp_path / "content" / "issues"
    report = tmp_path / "review.html"
    result = cli("export", EXAMPLES, "--out", out, "-q", "--report", report)
    assert result.exit_code == 0, result.output
    assert len(BeautifulSoup(report.read_text(encoding="utf-8"), "lxml").select("details.issue")) == 3


def test_chrome_dropped_by_cleaning_is_struck_through(cli, tmp_path):
    source = FIXTURES / "web"
    saved = sorted(source.glob("*.html"))
    if not saved:
        pytest.skip("no saved web page fixture")
    out = tmp_path / "content" / "issues"
    assert cli("export", saved[0], "--out", out, "-q").exit_code == 0
    _, soup = _report(cli, saved[0], out)
    struck = [line.get_text() for line in soup.select(".dropped del")]
    assert struck, "a saved Revue page has chrome that cleaning drops"
    page_text = soup.select_one(".pane.page").get_text(" ")
    assert not any(line in page_text for line in struck)


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.skip("no headless Chromium installed (apt-get install chromium)")


def test_the_report_renders_in_a_real_browser(cli, exported, tmp_path):
    from PIL import Image

    browser = _browser()
    (exported / STRUCTURE).write_text((exported / STRUCTURE).read_text(encoding="utf-8").replace(QUOTE, ""),
                                      encoding="utf-8")
    _report(cli, EXAMPLES, exported)
    shot = tmp_path / "report.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,900",
                    f"--screenshot={shot}", (exported.parent / "report.html").as_uri()],
                   check=True, capture_output=True, timeout=120)
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 900)
    colours = image.getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50  # text, panes and highlights, not a blank page
    reds = sum(count for count, (r, g, b) in colours if r > 200 and g < 80 and b < 80)
    assert reds > 0  # the lost paragraph's outline is drawn


def test_the_sanitiser_alone_against_hostile_markup():
    from revue2md.verify.sanitize import sanitize

    hostile = ('<div><script>alert(1)</script><p onmouseover="alert(2)" style="x:url(http://t/)">kept</p>'
               '<a href=" java\tscript:alert(3)">a</a><a href="data:text/html,<script>">b</a>'
               '<a href="vbscript:x">c</a><a href="/relative#x">d</a><iframe src="http://t/"></iframe>'
               '<form><button>go</button></form><object data="x"></object><math><mi>m</mi></math>'
               '<custom-tag>unwrapped text</custom-tag><img src="javascript:alert(4)" alt="x"></div>')
    soup = BeautifulSoup(hostile, "lxml")
    sanitize(soup.body, images="remote")
    assert soup.find(["script", "iframe", "form", "button", "object", "math", "custom-tag"]) is None
    anchors = soup.find_all("a")
    assert [anchor.get("href") for anchor in anchors] == [None, None, None, "/relative#x"]
    assert soup.find("p").attrs == {} and soup.find("p").get_text() == "kept"
    assert "unwrapped text" in soup.get_text()
    assert soup.find("img") is None and "[image: x]" in soup.get_text()  # not an http(s) image: not loaded


def test_structure_findings_are_highlighted_by_their_source_text():
    from revue2md.verify.findings import findings_from_structure
    from revue2md.verify.losses import StructureLoss
    from revue2md.verify.report import review_page

    root = BeautifulSoup("<div><ul><li>kept item</li><li>flattened item here</li></ul></div>", "lxml").div
    losses = [StructureLoss("a.md", "list item", "flattened item here", "flattened item here", "no longer a list item"),
              StructureLoss("a.md", "chrome", "", "View online", "Revue chrome left on the page")]
    review = review_page("a.md", "T", "", "s.json", (), root, "* kept item\n\nflattened item here\n",
                         findings_from_structure(losses))
    soup = BeautifulSoup(review.source_html, "lxml")
    assert [mark.get_text() for mark in soup.select(".r2m-lost")] == ["flattened item here"]
    assert [finding.where for finding in review.findings] == ["source", "page"]
