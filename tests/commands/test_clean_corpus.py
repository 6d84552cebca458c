"""`clean` on real archives left by earlier migrations: no word lost, nothing of Revue left, stable."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from revue2md.clean.mojibake import fix_mojibake
from revue2md.commands.clean import CleanFilesOptions, clean_files
from revue2md.commands.conversion import clean_and_convert
from revue2md.commands.options import ExportOptions
from revue2md.repair.markdown import RepairOptions, repair_markdown
from revue2md.sources.migrated import parse_migrated_page

pytestmark = pytest.mark.corpus

# What a reader counts as a URL, written independently of the code under test: an inline
# destination up to its closing parenthesis (spaces and all), an autolink, a bare URL, a
# reference definition, an HTML or JSX URL attribute.
_URLS = re.compile(
    r"""\]\((?:[^()\n]|\([^()\n]*\))*\)
    | <[A-Za-z][\w+.\-]*:[^\s<>]*>
    | (?:https?://|www\.)\S+
    | ^[ \t]*\[[^\]\n]+\]:[^\n]*
    | \b(?:href|src)\s*=\s*(?:"[^"]*"|'[^']*'|\{[^}]*\})""",
    re.X | re.M,
)
# After cleaning, a destination must be one a markdown reader reads: no spaces left in it
# (a half-cleaned `(https://e.com/ the week&id=3)` leaves words that were in no URL before).
_READABLE_DESTINATION = r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\ \"(?:[^\"\\\n]|\\.)*\")?\)"
_CLEAN_URLS = re.compile(_URLS.pattern.replace(r"\]\((?:[^()\n]|\([^()\n]*\))*\)", _READABLE_DESTINATION),
                         re.X | re.M)
_WORD = re.compile(r"[^\W_]+")
# What a removed line must hold to be Revue's: its host, or one of its footer phrases.
_REVUE_MARK = re.compile(r"getrevue\.co|View online|unsubscribe|forwarded this newsletter|enjoy this issue"
                         r"|receiving this", re.IGNORECASE)


def words(text: str, urls: re.Pattern[str] = _URLS) -> list[str]:
    return _WORD.findall(urls.sub(" ", text))


def _files(corpus: Path) -> list[Path]:
    found = sorted(path for path in (corpus / "migrated").rglob("*") if path.is_file())
    return found + sorted((corpus / "repair").glob("*.md"))


def _ids(corpus_files):
    return [path.name for path in corpus_files]


@pytest.fixture
def corpus_files(corpus):
    return _files(corpus)


def test_no_author_word_is_lost_in_any_migrated_page(corpus_files):
    """Words outside URLs and outside the removed chrome lines: the same, in the same order."""
    assert len(corpus_files) >= 40
    chrome_pages = 0
    for path in corpus_files:
        before = path.read_text(encoding="utf-8")
        result = repair_markdown(before, RepairOptions(mdx=path.suffix == ".mdx"))
        lines = before.splitlines()
        removed = {chrome.line for chrome in result.report.chrome_removed}
        for chrome in result.report.chrome_removed:
            assert lines[chrome.line - 1].strip() == chrome.text, path.name
            follows_revue = chrome.line - 2 in {line - 1 for line in removed} or any(
                _REVUE_MARK.search(lines[line - 1]) for line in removed if line < chrome.line)
            assert _REVUE_MARK.search(chrome.text) or follows_revue, (path.name, chrome.text)
        chrome_pages += bool(removed)
        kept = "\n".join(line for number, line in enumerate(lines, 1) if number not in removed)
        if result.report.mojibake is not None:  # the charset repair is tested on its own
            kept = fix_mojibake(kept, "auto")[0]
        # Entities decoded in titles are the same words.
        assert words(html.unescape(result.text), _CLEAN_URLS) == words(html.unescape(kept)), path.name
    assert chrome_pages >= 32  # every Fudge Sunday page had Revue's footer


def test_after_clean_out_no_tracking_no_chrome_and_no_revue_html_is_left(corpus, tmp_path):
    from markdown_it import MarkdownIt

    out = tmp_path / "out"
    report = clean_files([corpus / "migrated", corpus / "repair"], CleanFilesOptions(out=out))

    assert report.ok and not report.skipped
    pages = sorted(path for path in out.rglob("*") if path.is_file())
    assert len(pages) == len(_files(corpus))
    parser = MarkdownIt("commonmark", {"html": True})
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "utm_" not in text, page.name
        assert not _REVUE_MARK.search(text.replace("revue2md", "")) or "dynamically-typed" in page.name, page.name
    for page in sorted((out / "yet-another-newsletter-lol").glob("*.md")):
        body = page.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        html = [token for token in parser.parse(body) if token.type == "html_block"
                or any(child.type == "html_inline" for child in token.children or [])]
        assert html == [], page.name
    expected = (FIXTURES / "repair" / "dynamically-typed-050-expected.md").read_bytes()
    assert (out / "dynamically-typed-050-damaged.md").read_bytes() == expected


def test_converted_bodies_are_the_export_converters_and_the_front_matter_is_kept(corpus, tmp_path):
    out = tmp_path / "out"
    clean_files([corpus / "migrated" / "yet-another-newsletter-lol"], CleanFilesOptions(out=out))

    for source in sorted((corpus / "migrated" / "yet-another-newsletter-lol").glob("*.md")):
        before = source.read_text(encoding="utf-8")
        after = (out / source.name).read_text(encoding="utf-8")
        front = before[:before.index("\n---\n", 4) + 5]
        assert after.startswith(front), source.name  # no repair was due in these front matters
        _cleaned, page = clean_and_convert(parse_migrated_page(before, str(source)), ExportOptions())
        assert after[len(front):].lstrip("\n") == page.body, source.name


def test_keep_html_leaves_revue_html_bodies_as_html(corpus, tmp_path):
    out = tmp_path / "out"
    source = corpus / "migrated" / "yet-another-newsletter-lol"
    clean_files([source], CleanFilesOptions(out=out, html=False))

    for page in sorted(out.glob("*.md")):
        assert "<td" in page.read_text(encoding="utf-8"), page.name


def test_clean_in_place_then_check_finds_nothing_on_every_file(corpus, tmp_path, cli):
    for folder in ("migrated", "repair"):
        shutil.copytree(corpus / folder, tmp_path / folder)

    cleaned = cli("clean", "--in-place", tmp_path / "migrated", tmp_path / "repair")
    checked = cli("clean", "--check", tmp_path / "migrated", tmp_path / "repair")

    assert cleaned.exit_code == 0, cleaned.output
    assert checked.exit_code == 0, checked.output
    assert "already clean; skipped 0" in checked.output
