"""`check` sees structure: each stage broken on purpose makes it fail, naming the page and what was lost.

`check` converts the sources again with the same code that wrote the pages, so a broken stage
writes and re-derives the same broken page: no drift, and words and links may all survive.
What catches it is the comparison of the cleaned source tree, and of the items in the source
markup, with the rendered page; chrome is read from the page itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES

from revue2md.clean import chrome, issue, items, structure
from revue2md.clean.dialect import Dialect
from revue2md.commands.check import check
from revue2md.commands.options import ExportOptions
from revue2md.verify.losses import StructureLoss
from revue2md.verify.rendered import render_page
from revue2md.verify.revue_items import source_items
from revue2md.verify.structure import structure_losses

STRUCTURE = FIXTURES / "structure"
# Revue's by-line and "about" lines over the footer, as the 2017 archive e-mails show them.
_BY_LINE_2017 = (
    '<div aria-labelledby="mj-column-per-100" class="mj-column-per-100 outlook-group-fix"><table role'
    '="presentation" width="100%"><tbody>\n'
    '<tr><td align="center"><a style="text-decoration: none;" target="_blank" href="http://digest.exa'
    'mple.com/?utm_campaign=Issue&amp;utm_content=profileimage&amp;utm_medium=email&amp;utm_source=Ja'
    'y+Example"><img alt="Jay Example" title="Jay Example" height="84px" width="84" src="https://s3.a'
    'mazonaws.com/revue/profiles/images/000/021/457/small/jay.png?1480000000"></a></td></tr>\n'
    '<tr><td align="center"><div style="cursor:auto;color:#223043;font-size:22px;font-weight:700;line'
    '-height:28px;text-align:center;">\n'
    '      By <a style="color: #223043;" href="http://digest.example.com/?utm_campaign=Issue&amp;utm_'
    'content=profilename&amp;utm_medium=email&amp;utm_source=Jay+Example">Jay Example</a>\n'
    '    </div></td></tr>\n'
    '<tr><td align="center"><div style="cursor:auto;color:#3B424B;font-size:16px;line-height:28px;tex'
    't-align:center;">\n'
    "        This digest revisits &amp; expands items I've shared that don't fit into 140 characters."
    ' Enjoy.\n'
    '    </div></td></tr>\n'
    '</tbody></table></div>\n'
    '</td></tr></tbody></table></div>\n'
    '<div style="margin:0px auto;max-width:600px;"><table role="presentation"><tbody><tr><td>\n'
)
# Fixtures made from another with one change: (base, text to find once, its replacement).
DERIVED = {
    # Classic e-mails pad a one-digit day with a second space.
    "classic-one-digit-day.html": (FIXTURES / "web" / "classic-2019.html", "March 10 · Issue #3 ·",
                                   "April  7 · Issue #3 ·"),
    # The 2017 archive e-mail with its by-line block before the share buttons.
    "archive-footer-2017.html": (
        FIXTURES / "email" / "archive-2017.html",
        '<div aria-labelledby="mj-column-per-100" class="mj-column-per-100 outlook-group-fix"><table '
        'role="presentation" width="100%"><tbody><tr><td align="center">\n  <a target="_blank" '
        'href="https://www.twitter.com/share',
        None,
    ),
}


def _fixture(name: str, folder: Path) -> Path:
    """The structure fixture `name`, written to `folder` first when it is made from another."""
    if name not in DERIVED:
        return STRUCTURE / name
    base, old, new = DERIVED[name]
    text = base.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{base.name} no longer holds {old!r} once"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text.replace(old, _BY_LINE_2017 + old if new is None else new), encoding="utf-8")
    return path


def _export_and_check(cli, source: Path, out: Path):
    assert cli("export", source, "--out", out, "-q").exit_code == 0
    return cli("check", source, "--out", out)


def _lines(result) -> list[str]:
    return result.stdout.splitlines()


@pytest.mark.parametrize("name", ["link-cards-2022.json", "tweets-2022.json", "nested-lists.json",
                                  "nested-lists-email.html", "thumbnail-alt.json", "classic-one-digit-day.html",
                                  "archive-footer-2017.html"])
def test_each_fixture_exports_and_checks_clean(cli, tmp_path, name):
    result = _export_and_check(cli, _fixture(name, tmp_path / "src"), tmp_path / "out")
    assert result.exit_code == 0, result.output


# --- stages broken on purpose ------------------------------------------------------------------


def test_broken_nesting_repair_is_a_list_depth_lost(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(structure, "repair_nesting", lambda root: None)
    for name, page in (("nested-lists.json", "nested-lists.md"), ("nested-lists-email.html", "example-thoughts-2.md")):
        result = _export_and_check(cli, STRUCTURE / name, tmp_path / name)
        assert result.exit_code == 1, result.output
        sub_item = "lxml closes paragraphs early" if name.endswith(".json") else "The Cloudcast"
        assert (f'structure {page}: list item "{sub_item}": list depth 2 in the source, 1 on the page '
                f'(the page: "{sub_item}")') in _lines(result)
        assert "drift" not in result.stdout and "lost " not in result.stdout  # only the structure sees it


def test_broken_tweet_reader_is_a_tweet_without_its_author(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(items, "_tweet_attribution", lambda quote, status: {})
    result = _export_and_check(cli, STRUCTURE / "tweets-2022.json", tmp_path / "out")
    assert result.exit_code == 1, result.output
    line = next(line for line in _lines(result) if line.startswith("structure tweets.md: tweet "))
    assert '"when the cat knocks the glass off the table on purpose' in line
    assert "lost its display name, date" in line


def _break_chrome_filter(monkeypatch) -> None:
    monkeypatch.setattr(chrome, "cut_footer", lambda root: None)
    monkeypatch.setattr(chrome, "drop_chrome", lambda root, title="": None)


def test_broken_chrome_filter_leaves_the_header_line_and_the_footer_named(cli, tmp_path, monkeypatch):
    _break_chrome_filter(monkeypatch)
    result = _export_and_check(cli, _fixture("classic-one-digit-day.html", tmp_path / "src"), tmp_path / "a")
    assert result.exit_code == 1
    assert any(line.startswith("chrome example-weekly-issue-3-snakes.md: Revue's date and issue number line "
                               '(the page: "April 7 · Issue #3 ·') for line in _lines(result)), result.output
    result = _export_and_check(cli, _fixture("archive-footer-2017.html", tmp_path / "src"), tmp_path / "b")
    assert result.exit_code == 1
    assert any(line.startswith("chrome example-thoughts-2.md: Revue's footer line ('If you were forwarded")
               for line in _lines(result)), result.output


def test_broken_chrome_filter_leaves_revue_phrases_named(cli, tmp_path, monkeypatch):
    _break_chrome_filter(monkeypatch)
    result = _export_and_check(cli, FIXTURES / "web" / "mjml-2021-nested.html", tmp_path / "out")
    assert result.exit_code == 1, result.output
    lines = [line for line in _lines(result) if line.startswith("chrome data-notes-issue-42.md: ")]
    assert any("Revue's footer line ('If you were forwarded this newsletter')" in line for line in lines), lines
    assert any("Revue's \"View online\" link" in line for line in lines), lines
    assert any("Revue's footer line ('Did you enjoy this issue?')" in line for line in lines), lines
    assert any("a link to the newsletter's Revue profile" in line for line in lines), lines


def test_broken_thumbnail_alt_text_is_named(cli, tmp_path, monkeypatch):
    build = items._link_card

    def without_alt(*args, **kwargs):
        card = build(*args, **kwargs)
        for image in card.find_all("img"):
            image["alt"] = ""
        return card

    monkeypatch.setattr(items, "_link_card", without_alt)
    result = _export_and_check(cli, STRUCTURE / "thumbnail-alt.json", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert ('structure thumbnail-alt.md: link item "A field guide to pipelines": lost its thumbnail\'s alt text '
            '(the page: "A field guide to pipelines blog example org")') in _lines(result)


def test_broken_link_item_reader_is_a_link_item_that_lost_its_shape(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(items, "email_link_items", lambda soup, root: None)
    result = _export_and_check(cli, STRUCTURE / "link-cards-2022.json", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert any(line.startswith('structure link-cards.md: link item "Tweak - a browser extension": ')
               for line in _lines(result)), result.output


def test_e_mail_markup_read_as_api_html_is_table_debris(cli, tmp_path, monkeypatch):
    """The 2022 link card written as a table row: no delimiter row, a literal `|` line, escaped `\\|`."""
    monkeypatch.setattr(issue, "detect_dialect", lambda html: Dialect.API)
    result = _export_and_check(cli, STRUCTURE / "link-cards-2022.json", tmp_path / "out")
    assert result.exit_code == 1, result.output
    lines = _lines(result)
    assert any(line.startswith("chrome link-cards.md: a line starting with `|` that is no table") for line in lines)
    assert any(line.startswith('structure link-cards.md: link item "Tweak - a browser extension": not a link item')
               for line in lines), lines


# --- pages edited by hand ----------------------------------------------------------------------


@pytest.fixture
def exported(cli, tmp_path) -> Path:
    out = tmp_path / "out"
    assert cli("export", STRUCTURE / "nested-lists.json", "--out", out, "-q").exit_code == 0
    return out


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_heading_level_and_a_paragraph_made_a_heading_are_named(cli, exported):
    page = exported / "nested-lists.md"
    _edit(page, "## Reading list", "### Reading list")
    _edit(page, "\nThe end.\n", "\n## The end.\n")
    result = cli("check", STRUCTURE / "nested-lists.json", "--out", exported)
    assert result.exit_code == 1
    lines = _lines(result)
    assert ('structure nested-lists.md: heading "Reading list": a level 2 heading in the source, level 3 on the page '
            '(the page: "Reading list")') in lines
    assert 'structure nested-lists.md: paragraph "The end": not a paragraph on the page: it is in a heading' in lines


def test_the_report_holds_the_losses_as_data(exported):
    _edit(exported / "nested-lists.md", "  * html.parser keeps the nesting", "* html.parser keeps the nesting")
    report = check([STRUCTURE / "nested-lists.json"], exported, ExportOptions())
    assert not report.ok
    assert report.losses == [StructureLoss("nested-lists.md", "list item", "html parser keeps the nesting",
                                           "html parser keeps the nesting",
                                           "list depth 2 in the source, 1 on the page")]
    document = json.loads(report.to_json())
    assert [problem["kind"] for problem in document["problems"]] == ["drift", "structure"]


# --- the comparison itself ---------------------------------------------------------------------


def _losses(source_html: str, markdown: str, tree_html: str | None = None) -> list[StructureLoss]:
    from bs4 import BeautifulSoup

    tree = BeautifulSoup(tree_html if tree_html is not None else "<div></div>", "lxml").body
    return list(structure_losses("page.md", tree, source_items(source_html), render_page(markdown)))


def test_an_authors_sentence_about_revue_is_not_chrome():
    markdown = ("I moved this newsletter off Revue. View online archives live on my site.\n\n"
                "| a | b |\n| --- | --- |\n| 1 | 2 \\| 3 |\n\n`a \\| b` in code\n\nx\n")
    assert _losses("", markdown) == []


def test_chrome_forms_on_a_page_are_each_named():
    markdown = ("[View online](./)\n\nApril 7 · Issue #20 ·\n\nx\n\n| [t](https://e.com) desc |\n\nsee a \\| b\n\n"
                "Created with [Revue by Twitter](https://www.getrevue.co/?utm_source=x)\n\n"
                "## By [Author](https://www.getrevue.co/profile/author)\n")
    found = [loss.what for loss in _losses("", markdown)]
    assert found == [
        "Revue's \"View online\" link", "Revue's date and issue number line",
        "Revue's footer line ('Created with Revue')", "Revue's by-line over the footer",
        "a link to the newsletter's Revue profile", "a link to the newsletter's Revue profile",
        "a line starting with `|` that is no table", "an escaped `\\|` left from e-mail layout",
    ]


def test_a_tweet_keeps_text_name_handle_and_date():
    source = ('<blockquote class="twitter-tweet"><p>Hello world</p>&mdash; Ada Example (@ada) '
              '<a href="https://twitter.com/ada/status/123">July 10, 2022</a></blockquote>')
    whole = "> Hello world\n>\n> — Ada Example (@ada) [July 10, 2022](https://twitter.com/ada/status/123)\n"
    assert _losses(source, whole) == []
    bare = "> Hello world\n>\n> — [Tweet by @ada](https://twitter.com/ada/status/123)\n"
    assert [loss.what for loss in _losses(source, bare)] == ["lost its display name, date"]
    assert [loss.what for loss in _losses(source, "Hello world\n")] == ["not on the page as a tweet"]


def test_a_link_item_keeps_its_domain_and_description():
    source = ('<div class="link-title"><a href="https://e.com/a">A title</a></div>'
              '<div class="link-description">What it is about.</div><div class="link-url"><a href="#">e.com</a></div>')
    assert _losses(source, "**[A title](https://e.com/a)** — e.com\\\nWhat it is about.\n") == []
    split = "**[A title](https://e.com/a)**\n\n## Elsewhere\n\nWhat it is about.\n"
    assert [loss.what for loss in _losses(source, split)] == [
        "lost its domain 'e.com', its description (not under the title)"]


def test_images_keep_alt_text_and_caption():
    tree = ('<figure class="r2m-figure"><img src="https://e.com/a.png" alt="A chart">'
            '<figcaption>Weekly runs</figcaption></figure>')
    assert _losses("", "![A chart](https://e.com/a.png)\n\n_Weekly runs_\n", tree) == []
    assert [loss.what for loss in _losses("", "![](https://e.com/a.png)\n", tree)] == [
        "lost its alt text 'A chart'", "caption lost: it is not under the image"]


def test_dividers_and_tables_are_counted():
    tree = "<p>a</p><hr><p>b</p><table><tr><th>h</th></tr><tr><td>c</td></tr></table>"
    assert _losses("", "a\n\n---\n\nb\n\n| h |\n| --- |\n| c |\n", tree) == []
    assert [loss.what for loss in _losses("", "a\n\nb\n\nh c\n", tree)] == [
        "1 of 1 dividers of the source are not on the page", "1 of 1 tables of the source are not on the page"]


# --- tweets mailed as link cards, tweets kept whole, videos keeping their link ------------------

DIALECTS = FIXTURES / "dialects"


def test_broken_tweet_card_reader_leaves_the_e_mail_tweets_as_link_cards_named(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(items, "_tweet_card", lambda title_link, domain: None)
    result = _export_and_check(cli, DIALECTS / "classic-2016-tweets.html", tmp_path / "out")
    assert result.exit_code == 1, result.output
    page = "example-weekly-issue-12-classic-tweets.md"
    assert any(line.startswith(f'structure {page}: tweet "A tweet item, its text as the title... 1997: paper')
               and ": not on the page as a tweet" in line for line in _lines(result)), result.output
    assert any(line.startswith(f'structure {page}: tweet "A link item to a tweet, titled the way Twitter')
               for line in _lines(result)), result.output


def test_a_tweet_split_into_paragraphs_is_named(cli, tmp_path, monkeypatch):
    from revue2md.convert import markdown

    real = markdown.RevueMarkdownConverter.convert_p

    def tweet_paragraphs_split(self, el, text, parent_tags):
        return real(self, el, text, set(parent_tags) - {"_tweet"})

    monkeypatch.setattr(markdown.RevueMarkdownConverter, "convert_p", tweet_paragraphs_split)
    result = _export_and_check(cli, DIALECTS / "mjml-2022-view-online.html", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert any(line.startswith('structure dialects-weekly-issue-7-mjml-items.md: tweet "Goblin mode, all week.')
               and ": its text is split into several paragraphs" in line for line in _lines(result)), result.output


def test_a_video_caption_without_its_link_is_named(cli, tmp_path, monkeypatch):
    from revue2md.convert import markdown

    monkeypatch.setattr(markdown, "markdown_url", lambda url: url)  # still links: the check must pass
    result = _export_and_check(cli, DIALECTS / "mjml-2022-view-online.html", tmp_path / "a")
    assert result.exit_code == 0, result.output
    monkeypatch.setattr(markdown.EmbedRenderer, "embed",
                        lambda self, url, content: f"\n\n{{{{< youtube {markdown.embeds.youtube_id(url)} >}}}}\n\n"
                                                   f"{content}\n\n")
    result = _export_and_check(cli, DIALECTS / "mjml-2022-view-online.html", tmp_path / "b")
    assert result.exit_code == 1, result.output
    assert ('structure dialects-weekly-issue-7-mjml-items.md: video "A video item | with a bar in its title": '
            "its link is not on the page, only the player") in _lines(result)


def test_e_mail_tweets_and_a_rev_vu_link_in_a_sentence_check_clean(cli, tmp_path):
    result = _export_and_check(cli, DIALECTS / "classic-2016-tweets.html", tmp_path / "out")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "example-weekly-issue-12-classic-tweets.md").read_text(encoding="utf-8")
    assert "Two tweets this week. [Share this issue](https://rev.vu/Ab3dE) with someone" in page
    assert "Share](http://rev.vu" not in page and "rev.vu/4Oxny" not in page  # Revue's share lines are gone


def test_a_rev_vu_link_is_chrome_on_its_own_line_and_content_in_a_sentence():
    sentence = "Forty issues. [Share it](https://rev.vu/abc) with a friend.\n"
    assert _losses("", sentence) == []
    profile = "I also kept [my old Revue profile](https://www.getrevue.co/profile/ada) up.\n"
    assert _losses("", profile) == []
    share_line = "x\n\n[twitter.com](https://rev.vu/abc) • [share](https://rev.vu/abc)\n"
    assert [loss.what for loss in _losses("", share_line)] == ["a Revue share link (rev.vu)"] * 2
    assert [loss.what for loss in _losses("", "x\n\n[Share](https://rev.vu/abc)\n")] == ["a Revue share link (rev.vu)"]
