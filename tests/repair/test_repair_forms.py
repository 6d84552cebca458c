"""Every URL form and every piece of Revue chrome `clean` knows, as fixture pairs: input, expected output."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from revue2md.repair.markdown import RepairOptions, repair_markdown


def _pairs(folder: str) -> list[Path]:
    return sorted(path for path in (FIXTURES / "repair" / folder).iterdir() if ".expected" not in path.name)


def _expected(path: Path) -> str:
    return path.with_name(f"{path.stem}.expected{path.suffix}").read_text(encoding="utf-8")


def _repair(path: Path):
    return repair_markdown(path.read_text(encoding="utf-8"), RepairOptions(mdx=path.suffix == ".mdx"))


@pytest.mark.parametrize("path", _pairs("urls"), ids=lambda path: path.name)
def test_every_url_form_is_cleaned_as_its_expected_file_says(path):
    result = _repair(path)

    assert result.text == _expected(path)
    assert not _repair_text(result.text, path).changed  # and cleaning it again changes nothing


@pytest.mark.parametrize("path", _pairs("chrome"), ids=lambda path: path.name)
def test_revue_chrome_is_removed_as_its_expected_file_says(path):
    result = _repair(path)

    assert result.text == _expected(path)
    assert not _repair_text(result.text, path).changed


def _repair_text(text: str, path: Path):
    return repair_markdown(text, RepairOptions(mdx=path.suffix == ".mdx"))


def test_a_destination_with_spaces_loses_no_word_and_keeps_its_other_parameters():
    result = repair_markdown("[it](https://example.com/?utm_source=Start the week&id=3) ok\n")

    assert result.text == "[it](https://example.com/?id=3) ok\n"
    assert result.report.tracking_removed == 1


def test_destinations_that_cannot_be_read_are_left_and_reported_with_their_line():
    text = "---\ntitle: x\n---\n\nfine\n\n[a](https://e.com/?utm_source=a \"t\" more)\n"

    result = repair_markdown(text)

    assert not result.changed
    assert result.report.notes == (
        'line 7: left as it was, a link destination that cannot be read unambiguously: '
        'https://e.com/?utm_source=a "t" more',)


def test_a_link_without_its_closing_parenthesis_is_not_read_as_a_bare_url():
    text = "[a](https://e.com/?utm_source=Start the week\n"

    result = repair_markdown(text)

    assert not result.changed
    assert "closing parenthesis" in result.report.notes[0]


def test_an_unreadable_place_without_tracking_is_not_reported():
    assert repair_markdown("[a](some words) and [b](x \"t\" y)\n").report.notes == ()


def test_chrome_is_kept_when_asked():
    path = FIXTURES / "repair" / "chrome" / "fudge-footer.md"

    result = repair_markdown(path.read_text(encoding="utf-8"), RepairOptions(chrome=False))

    assert result.report.chrome_removed == ()
    assert "In order to unsubscribe" in result.text
    assert "https://www.getrevue.co/ " not in result.text  # its URL is still cleaned, as one URL
    assert "[Revue by Twitter](https://www.getrevue.co/)" in result.text


def test_each_removed_chrome_line_is_reported_with_its_line_in_the_file():
    path = FIXTURES / "repair" / "chrome" / "email-footer.md"
    lines = path.read_text(encoding="utf-8").splitlines()

    removed = repair_markdown(path.read_text(encoding="utf-8")).report.chrome_removed

    assert [chrome.line for chrome in removed] == [5, 11, 13, 15, 17, 19, 21, 23]
    assert all(lines[chrome.line - 1] == chrome.text for chrome in removed)


def test_footer_lines_followed_by_the_authors_text_stay():
    text = "Intro.\n\nIn order to unsubscribe, click [here](#).\n\nP.S. one more thing from me.\n"

    assert not repair_markdown(text).changed


def test_crlf_pages_keep_their_line_breaks_when_chrome_goes():
    text = "Text.\r\n\r\nIn order to unsubscribe, click [here](#).\r\n"

    assert repair_markdown(text).text == "Text.\r\n"


def test_code_that_looks_like_chrome_stays():
    text = "Text.\n\n```\nIn order to unsubscribe, click [here](#).\n```\n"

    assert not repair_markdown(text).changed
