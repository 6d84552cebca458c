"""A link from one issue to another issue of the archive points at the migrated page."""

from __future__ import annotations

import json
import shutil
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES

from revue2md.hugo.build import build_site

PROFILE = "https://www.getrevue.co/profile/example"


def _archive(folder, *extra_html: str):
    """Issue A links to B in every form Revue used; B links back; C is linked to but not in the archive."""
    links = "".join(f"<p>{html}</p>" for html in extra_html)
    issues = [
        {"id": 700001, "title": "Alpha", "sent_at": "2020-01-01T00:00:00Z",
         "url": f"{PROFILE}/issues/alpha-700001",
         "html": "<p><p>"
                 f'<a href="{PROFILE}/issues/beta-700002?utm_campaign=X&amp;utm_medium=email&amp;utm_source=Revue">'
                 "Beta on Revue</a>, "
                 '<a href="https://newsletter.example.com/issues/beta-700002?utm_source=Revue%20newsletter#part">'
                 "Beta on the custom domain</a>, "
                 f'<a href="{PROFILE}/issues/gamma-700003">Gamma, not archived</a>, '
                 f'<a href="{PROFILE}?utm_source=x">all issues</a>, '
                 '<a href="https://other.example.org/issues/1">someone else\'s issue 1</a>.'
                 f"</p></p>{links}"},
        {"id": 700002, "title": "Beta", "sent_at": "2020-02-01T00:00:00Z",
         "url": f"{PROFILE}/issues/beta-700002",
         "html": f'<p><p>Back to <a href="{PROFILE}/issues/alpha-700001">Alpha</a>.</p></p>'},
        {"id": 1, "title": "One", "sent_at": "2020-03-01T00:00:00Z", "url": f"{PROFILE}/issues/one-1",
         "html": "<p><p>An issue whose id is 1.</p></p>"},
    ]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "issues.json"
    path.write_text(json.dumps(issues), encoding="utf-8")
    return path


def test_links_between_issues_become_relative_urls_and_the_others_stay(cli, tmp_path):
    source = _archive(tmp_path / "in")
    out = tmp_path / "content" / "issues"
    result = cli("export", source, "--out", out, "-q")
    assert result.exit_code == 0
    alpha = (out / "alpha.md").read_text(encoding="utf-8")
    assert "[Beta on Revue](../beta/)" in alpha
    assert "[Beta on the custom domain](../beta/#part)" in alpha
    assert f"[Gamma, not archived]({PROFILE}/issues/gamma-700003)" in alpha
    assert "[all issues](../)" in alpha
    assert "[someone else's issue 1](https://other.example.org/issues/1)" in alpha
    assert "[Alpha](../alpha/)" in (out / "beta.md").read_text(encoding="utf-8")


def test_relref_mode_writes_hugo_shortcodes(cli, tmp_path):
    source = _archive(tmp_path / "in")
    out = tmp_path / "content" / "issues"
    assert cli("export", source, "--out", out, "-q", "--issue-links", "relref").exit_code == 0
    alpha = (out / "alpha.md").read_text(encoding="utf-8")
    assert '[Beta on Revue]({{< relref "beta.md" >}})' in alpha
    assert '[Beta on the custom domain]({{< relref "beta.md#part" >}})' in alpha
    assert '[all issues]({{< relref "." >}})' in alpha


@pytest.mark.parametrize(("mode", "beta", "home"), [
    ("path", "[Beta on Revue](../../02/beta/)", "[all issues](../../../)"),
    ("relref", '[Beta on Revue]({{< relref "../../02/beta/index.md" >}})', '[all issues]({{< relref "../../.." >}})'),
])
def test_bundles_and_folders_get_the_right_relative_path(cli, tmp_path, mode, beta, home):
    source = _archive(tmp_path / "in")
    out = tmp_path / "content" / "issues"
    result = cli("export", source, "--out", out, "-q", "--layout", "bundle", "--filename", "{date:%Y/%m}/{slug}",
                 "--issue-links", mode)
    assert result.exit_code == 0
    alpha = (out / "2020" / "01" / "alpha" / "index.md").read_text(encoding="utf-8")
    assert beta in alpha and home in alpha


def test_profile_home_goes_to_the_site_home_when_out_is_not_a_section(cli, tmp_path):
    source = _archive(tmp_path / "in")
    result = cli("export", source, "--out", tmp_path / "pages", "-q")
    assert result.exit_code == 0
    assert "[all issues](/)" in (tmp_path / "pages" / "alpha.md").read_text(encoding="utf-8")


def test_an_archive_url_on_the_newsletters_custom_domain_is_rewritten(cli, tmp_path):
    """The saved page names the custom domain (news.example.com); `/archive/<id>` links there are issues too."""
    _archive(tmp_path / "in", '<a href="https://news.example.com/archive/812345?utm_medium=email">Notes</a>',
             '<a href="https://elsewhere.example.com/archive/812345">Not ours</a>')
    shutil.copy(FIXTURES / "web" / "mjml-2021-nested.html", tmp_path / "in")
    out = tmp_path / "content" / "issues"
    result = cli("export", tmp_path / "in", "--out", out, "-q")
    assert result.exit_code == 0
    alpha = (out / "alpha.md").read_text(encoding="utf-8")
    assert "[Notes](../data-notes-issue-42/)" in alpha
    assert "[Not ours](https://elsewhere.example.com/archive/812345)" in alpha


def test_issue_links_off_leaves_every_link_as_it_was(cli, tmp_path):
    source = _archive(tmp_path / "in")
    out = tmp_path / "out"
    assert cli("export", source, "--out", out, "-q", "--issue-links", "off").exit_code == 0
    alpha = (out / "alpha.md").read_text(encoding="utf-8")
    assert "relref" not in alpha and f"[Beta on Revue]({PROFILE}/issues/beta-700002)" in alpha


@pytest.mark.hugo
@pytest.mark.parametrize("layout", ["flat", "bundle"])
@pytest.mark.parametrize("mode", ["path", "relref"])
def test_hugo_resolves_every_link_between_issues(cli, hugo, tmp_path, layout, mode):
    source = _archive(tmp_path / "in")
    content = tmp_path / "content"
    result = cli("export", source, "--out", content / "issues", "-q", "--layout", layout,
                 "--filename", "{date:%Y}/{slug}", "--issue-links", mode)
    assert result.exit_code == 0
    build = build_site(content, tmp_path / "site", hugo)
    assert build.ok, build.log
    page = BeautifulSoup((build.public / "issues" / "2020" / "alpha" / "index.html").read_text(encoding="utf-8"),
                         "lxml")
    here = "https://example.org/issues/2020/alpha/"
    hrefs = {a.get_text(): urljoin(here, a["href"]) for a in page.find_all("a")}
    assert hrefs["Beta on Revue"] == "https://example.org/issues/2020/beta/"
    assert hrefs["Beta on the custom domain"] == "https://example.org/issues/2020/beta/#part"
    assert hrefs["all issues"] == "https://example.org/issues/"
    assert hrefs["Gamma, not archived"] == f"{PROFILE}/issues/gamma-700003"
    assert (build.public / "issues" / "2020" / "beta" / "index.html").is_file()
