"""`revue2md clean`: files and folders in, cleaned copies, in-place rewrites or a check out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

DAMAGED = ('---\ntitle: "Week 12: it&#x27;s here"\ndate: 2021-03-07\n---\n\n'
           "It’s [here](https://e.com/a?utm_source=x&id=7) — and `https://e.com/?utm_source=code`.\n")
CLEANED = ('---\ntitle: "Week 12: it\'s here"\ndate: 2021-03-07\n---\n\n'
           "It’s [here](https://e.com/a?id=7) — and `https://e.com/?utm_source=code`.\n")
CLEAN = "---\ntitle: \"Already fine\"\n---\n\nNothing to do [here](https://e.com/?id=1).\n"


def mac_roman(text: str) -> str:
    return text.encode("utf-8").decode("mac_roman")


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """content/ with a damaged page, a clean one and a nested page bundle."""
    content = tmp_path / "content"
    (content / "posts" / "bundle").mkdir(parents=True)
    (content / "posts" / "damaged.md").write_text(mac_roman(DAMAGED), encoding="utf-8")
    (content / "posts" / "clean.md").write_text(CLEAN, encoding="utf-8")
    (content / "posts" / "bundle" / "index.md").write_text(DAMAGED, encoding="utf-8")
    (content / "posts" / "bundle" / "image.png").write_bytes(b"\x89PNG not markdown")
    return content


def test_without_out_or_in_place_it_refuses_and_says_why(cli, archive):
    result = cli("clean", archive)

    assert result.exit_code == 2
    assert ("revue2md: clean needs --out DIR (write cleaned copies) or --in-place (rewrite the files): "
            "it never overwrites files unless told to; --check only looks") in result.output
    assert (archive / "posts" / "damaged.md").read_text(encoding="utf-8") == mac_roman(DAMAGED)


def test_out_and_in_place_together_are_refused(cli, archive, tmp_path):
    result = cli("clean", archive, "--out", tmp_path / "out", "--in-place")

    assert result.exit_code == 2
    assert "revue2md: choose --out DIR or --in-place, not both" in result.output
    assert not (tmp_path / "out").exists()


def test_out_writes_a_complete_cleaned_copy_at_the_same_relative_paths(cli, archive, tmp_path):
    out = tmp_path / "out"

    result = cli("clean", archive, "--out", out)

    assert result.exit_code == 0, result.output
    assert (out / "posts" / "damaged.md").read_text(encoding="utf-8") == CLEANED
    assert (out / "posts" / "bundle" / "index.md").read_text(encoding="utf-8") == CLEANED
    assert (out / "posts" / "clean.md").read_bytes() == CLEAN.encode("utf-8")
    assert not (out / "posts" / "bundle" / "image.png").exists()  # markdown only
    assert (archive / "posts" / "damaged.md").read_text(encoding="utf-8") == mac_roman(DAMAGED)
    assert f"wrote 3 files to {out} (2 cleaned, 1 already clean); skipped 0" in result.output
    assert (f"cleaned {archive / 'posts' / 'damaged.md'}: mojibake fixed: yes (UTF-8 read as macroman, "
            "whole text), tracking parameters removed: 1, title decoded: yes") in result.output
    assert (f"cleaned {archive / 'posts' / 'bundle' / 'index.md'}: mojibake fixed: no, "
            "tracking parameters removed: 1, title decoded: yes") in result.output
    assert f"already clean {archive / 'posts' / 'clean.md'}" in result.output


def test_a_file_given_by_name_lands_under_its_bare_name(cli, archive, tmp_path):
    result = cli("clean", archive / "posts" / "damaged.md", "--out", tmp_path / "out")

    assert result.exit_code == 0
    assert (tmp_path / "out" / "damaged.md").read_text(encoding="utf-8") == CLEANED


def test_two_files_with_the_same_name_do_not_overwrite_each_other(cli, archive, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "damaged.md").write_text(CLEAN, encoding="utf-8")

    result = cli("clean", archive / "posts" / "damaged.md", other / "damaged.md", "--out", tmp_path / "out")

    assert result.exit_code == 1
    assert f"skipped {other / 'damaged.md'}: same output path (damaged.md) as " in result.output
    assert (tmp_path / "out" / "damaged.md").read_text(encoding="utf-8") == CLEANED


def test_an_out_folder_inside_the_input_is_not_read_again(cli, archive):
    out = archive / "cleaned"

    first = cli("clean", archive, "--out", out)
    second = cli("clean", archive, "--out", out)

    assert first.exit_code == second.exit_code == 0
    assert "wrote 3 files" in second.output
    assert not (out / "cleaned").exists()


def test_in_place_rewrites_only_what_changes(cli, archive):
    clean_file = archive / "posts" / "clean.md"
    os.utime(clean_file, (1_000_000_000, 1_000_000_000))

    result = cli("clean", archive, "--in-place")

    assert result.exit_code == 0
    assert (archive / "posts" / "damaged.md").read_text(encoding="utf-8") == CLEANED
    assert clean_file.stat().st_mtime == 1_000_000_000
    assert "cleaned 2 of 3 files in place; skipped 0" in result.output
    assert not [path for path in archive.rglob("*") if path.name.startswith(".revue2md-")]


def test_in_place_keeps_the_file_mode(cli, archive):
    damaged = archive / "posts" / "damaged.md"
    damaged.chmod(0o640)

    cli("clean", damaged, "--in-place")

    assert damaged.stat().st_mode & 0o777 == 0o640


def test_check_on_a_clean_folder_passes(cli, archive, tmp_path):
    cli("clean", archive, "--out", tmp_path / "out")

    result = cli("clean", "--check", tmp_path / "out")

    assert result.exit_code == 0
    assert "all 3 files already clean; skipped 0" in result.output


def test_check_lists_the_files_that_would_change_and_writes_nothing(cli, archive):
    before = {path: path.read_bytes() for path in archive.rglob("*") if path.is_file()}

    result = cli("clean", "--check", archive)

    assert result.exit_code == 1
    assert f"would clean {archive / 'posts' / 'damaged.md'}: mojibake fixed: yes" in result.output
    assert f"would clean {archive / 'posts' / 'bundle' / 'index.md'}: " in result.output
    assert ("2 of 3 files would change; run with --in-place or --out DIR to clean them; skipped 0"
            in result.output)
    assert {path: path.read_bytes() for path in archive.rglob("*") if path.is_file()} == before


def test_check_lists_only_the_files_that_would_change_even_when_quiet(cli, archive):
    for quiet in ((), ("--quiet",)):
        result = cli("clean", "--check", *quiet, archive)

        assert result.exit_code == 1
        assert f"would clean {archive / 'posts' / 'damaged.md'}" in result.output
        assert "clean.md" not in result.output


def test_pages_written_by_export_are_already_clean(cli):
    result = cli("clean", "--check", FIXTURES / "golden")

    assert result.exit_code == 0, result.output
    assert "files already clean; skipped 0" in result.output


@pytest.mark.corpus
def test_the_whole_corpus_exported_is_already_clean(cli, corpus, tmp_path):
    exported = cli("export", corpus / "api", corpus / "web", corpus / "email", "--out", tmp_path, "--quiet")

    result = cli("clean", "--check", tmp_path)

    assert exported.exit_code == 0
    assert result.exit_code == 0, result.output
    written = len(list(tmp_path.glob("*.md")))
    assert written > 80
    assert f"all {written} files already clean; skipped 0" in result.output


@pytest.mark.corpus
def test_check_on_the_damaged_corpus_page_fails_and_on_the_expected_fixture_passes(cli, corpus):
    damaged = corpus / "repair" / "dynamically-typed-050-damaged.md"

    failing = cli("clean", "--check", damaged)
    passing = cli("clean", "--check", FIXTURES / "repair" / "dynamically-typed-050-expected.md")

    assert failing.exit_code == 1
    assert (f"would clean {damaged}: mojibake fixed: yes (UTF-8 read as macroman, whole text), "
            "tracking parameters removed: 126, title decoded: yes") in failing.output
    assert passing.exit_code == 0
    assert "all 1 file already clean; skipped 0" in passing.output


@pytest.mark.corpus
def test_the_corpus_page_written_with_out_is_the_expected_fixture(cli, corpus, tmp_path):
    result = cli("clean", corpus / "repair" / "dynamically-typed-050-damaged.md", "--out", tmp_path)

    assert result.exit_code == 0
    assert (tmp_path / "dynamically-typed-050-damaged.md").read_bytes() == \
        (FIXTURES / "repair" / "dynamically-typed-050-expected.md").read_bytes()


def test_a_missing_path_is_reported_and_the_rest_still_cleaned(cli, archive, tmp_path):
    result = cli("clean", tmp_path / "nowhere", archive, "--out", tmp_path / "out")

    assert result.exit_code == 1
    assert f"skipped {tmp_path / 'nowhere'}: no such file or folder" in result.output
    assert (tmp_path / "out" / "posts" / "damaged.md").exists()


def test_a_folder_without_markdown_is_reported(cli, tmp_path):
    (tmp_path / "empty").mkdir()

    result = cli("clean", "--check", tmp_path / "empty")

    assert result.exit_code == 1
    assert f"skipped {tmp_path / 'empty'}: no pages (.md, .markdown, .mdown, .mdx, .html, .htm) in this folder" \
        in result.output


def test_a_file_that_is_not_utf8_is_skipped_and_left_alone(cli, archive, tmp_path):
    latin = archive / "posts" / "latin.md"
    latin.write_bytes("Caf\u00e9 https://e.com/?utm_source=x\n".encode("latin-1"))

    result = cli("clean", archive, "--in-place")

    assert result.exit_code == 1
    assert f"skipped {latin}: not UTF-8 text (byte 3); Hugo needs UTF-8, convert it first" in result.output
    assert latin.read_bytes() == "Caf\u00e9 https://e.com/?utm_source=x\n".encode("latin-1")
    assert (archive / "posts" / "damaged.md").read_text(encoding="utf-8") == CLEANED


def test_symbolic_links_are_not_followed(cli, archive, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text(DAMAGED, encoding="utf-8")
    (archive / "posts" / "link.md").symlink_to(outside)

    result = cli("clean", archive, "--in-place")

    assert result.exit_code == 0
    assert f"ignored {archive / 'posts' / 'link.md'}: symbolic link, not followed" in result.output
    assert outside.read_text(encoding="utf-8") == DAMAGED


def test_strip_param_and_fix_mojibake_never_are_passed_on(cli, tmp_path):
    page = tmp_path / "page.md"
    page.write_text(mac_roman("It’s [x](https://e.com/?ref=nl&id=1)\n"), encoding="utf-8")

    result = cli("clean", page, "--in-place", "--strip-param", "ref", "--fix-mojibake", "never")

    assert result.exit_code == 0
    assert page.read_text(encoding="utf-8") == mac_roman("It’s [x](https://e.com/?id=1)\n")
    assert "mojibake fixed: no, tracking parameters removed: 1, title decoded: no" in result.output


def test_quiet_prints_only_the_summary(cli, archive, tmp_path):
    result = cli("clean", archive, "--out", tmp_path / "out", "--quiet")

    assert result.exit_code == 0
    summary = f"wrote 3 files to {tmp_path / 'out'} (2 cleaned, 1 already clean); skipped 0"
    assert result.output.strip() == summary


def test_a_front_matter_note_is_shown(cli, tmp_path):
    page = tmp_path / "page.md"
    page.write_text('---\ntitle: "a &amp; b\nfoo: [\n---\nx\n', encoding="utf-8")

    result = cli("clean", "--check", page)

    assert result.exit_code == 0
    assert (f"note {page}: front matter left as it was: it cannot be read as YAML "
            "(found unexpected end of stream at line 3)") in result.output


def test_running_twice_changes_nothing_the_second_time(cli, archive):
    cli("clean", archive, "--in-place")
    after_first = {path: path.read_bytes() for path in archive.rglob("*.md")}

    second = cli("clean", archive, "--in-place")

    assert "cleaned 0 of 3 files in place" in second.output
    assert {path: path.read_bytes() for path in archive.rglob("*.md")} == after_first


def test_the_command_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")

    assert "## Repairing an archive migrated earlier (revue2md clean)" in readme
    for option in ("--out", "--in-place", "--check", "--strip-param", "--fix-mojibake", "--quiet"):
        assert option in readme.split("## Repairing an archive migrated earlier")[1]


@pytest.mark.hugo
def test_hugo_reads_the_rewritten_titles_of_every_front_matter_format(cli, hugo, tmp_path):
    import subprocess

    site = tmp_path / "site"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ndisableKinds = ["taxonomy", "term"]\n')
    (site / "layouts" / "_default" / "single.html").write_text("<h1>{{ .Title }}</h1>{{ .Content }}")
    (site / "layouts" / "_default" / "list.html").write_text("")
    pages = {
        "yaml.md": "---\ntitle: 'It&#x27;s &quot;here&quot;: #1 &amp; more'\ndate: 2021-03-07\n---\nx\n",
        "toml.md": "+++\ntitle = 'It&#x27;s &quot;here&quot;: #1 &amp; more'\ndate = 2021-03-07\n+++\nx\n",
        "json.md": '{\n  "title": "It&#x27;s &quot;here&quot;: #1 &amp; more",\n  "date": "2021-03-07"\n}\n'
                   "x\n",
    }
    (site / "content").mkdir()
    for name, text in pages.items():
        (site / "content" / name).write_text(text, encoding="utf-8")

    result = cli("clean", site / "content", "--in-place")
    built = subprocess.run([hugo, "--source", str(site), "--quiet"],
                           capture_output=True, text=True, check=False)

    assert result.exit_code == 0 and "cleaned 3 of 3 files in place" in result.output
    assert built.returncode == 0, built.stderr
    for name in pages:
        html = (site / "public" / name.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
        assert "<h1>It&#39;s &#34;here&#34;: #1 &amp; more</h1>" in html, html


# --- page kinds, chrome and Revue HTML bodies ----------------------------------------------

FOOTER = ("\nIn order to unsubscribe, click [here](#).\n\n"
          "Created with [Revue by Twitter](https://www.getrevue.co/?utm_source=Start the week&utm_campaign=Issue).\n")
REVUE_HTML_PAGE = ('---json\n{"title": "Issue 3", "date": "2022-09-25T13:00:00.000Z"}\n---\n\n'
                   '<div class="revue-p">Hello <a href="https://e.com/?utm_source=x&amp;id=1">there</a>.</div>\n')


def test_mdx_and_html_pages_are_cleaned_and_other_files_are_counted_in_one_line(cli, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "110.mdx").write_text("---\ntitle: x\n---\n\n<A href={\"https://e.com/?utm_source=x\"} />\n"
                                  "{props.u + '?utm_source=kept'}\n", encoding="utf-8")
    (site / "page.html").write_text("---\ntitle: x\n---\n<a href=\"https://e.com/?fbclid=1\">x</a>\n", encoding="utf-8")
    (site / "partial.html").write_text("<a href=\"https://e.com/?fbclid=1\">x</a>\n", encoding="utf-8")
    (site / "logo.png").write_bytes(b"png")

    result = cli("clean", "--in-place", site)

    assert result.exit_code == 0, result.output
    assert (site / "110.mdx").read_text(encoding="utf-8") == (
        "---\ntitle: x\n---\n\n<A href={\"https://e.com/\"} />\n{props.u + '?utm_source=kept'}\n")
    assert (site / "page.html").read_text(encoding="utf-8").endswith('<a href="https://e.com/">x</a>\n')
    assert (site / "partial.html").read_text(encoding="utf-8") == "<a href=\"https://e.com/?fbclid=1\">x</a>\n"
    assert f"ignored {site / 'partial.html'}: an HTML file without front matter is not a Hugo page" in result.output
    assert f"ignored {site}: 1 other files, not pages: .png (1)" in result.output


def test_check_lists_the_chrome_lines_it_would_remove(cli, tmp_path):
    page = tmp_path / "issue.md"
    page.write_text("Text." + "\n" + FOOTER, encoding="utf-8")

    result = cli("clean", "--check", page)

    assert result.exit_code == 1
    assert f"would clean {page}: " in result.output
    assert "Revue chrome lines removed: 2" in result.output
    assert "  Revue chrome, line 3: In order to unsubscribe, click [here](#)." in result.output
    assert "  Revue chrome, line 5: Created with [Revue by Twitter]" in result.output


def test_keep_chrome_keeps_the_footer_and_still_cleans_its_urls(cli, tmp_path):
    page = tmp_path / "issue.md"
    page.write_text("Text.\n" + FOOTER, encoding="utf-8")

    result = cli("clean", "--in-place", "--keep-chrome", page)

    assert result.exit_code == 0, result.output
    assert page.read_text(encoding="utf-8") == (
        "Text.\n\nIn order to unsubscribe, click [here](#).\n\n"
        "Created with [Revue by Twitter](https://www.getrevue.co/).\n")


def test_a_revue_html_body_becomes_markdown_under_its_front_matter_kept_byte_for_byte(cli, tmp_path):
    page = tmp_path / "issue-3.md"
    page.write_text(REVUE_HTML_PAGE, encoding="utf-8")

    result = cli("clean", "--in-place", page)
    again = cli("clean", "--check", page)

    assert result.exit_code == 0, result.output
    assert "Revue HTML body converted to markdown" in result.output
    assert page.read_text(encoding="utf-8") == (
        '---json\n{"title": "Issue 3", "date": "2022-09-25T13:00:00.000Z"}\n---\n\n'
        "Hello [there](https://e.com/?id=1).\n")
    assert again.exit_code == 0, again.output


def test_keep_html_leaves_a_revue_html_body_as_html_with_its_urls_cleaned(cli, tmp_path):
    page = tmp_path / "issue-3.md"
    page.write_text(REVUE_HTML_PAGE, encoding="utf-8")

    result = cli("clean", "--in-place", "--keep-html", page)

    assert result.exit_code == 0, result.output
    assert page.read_text(encoding="utf-8") == REVUE_HTML_PAGE.replace("?utm_source=x&amp;id=1", "?id=1")
