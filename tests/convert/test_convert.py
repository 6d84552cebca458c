"""The converter writes markdown that reads back as the same text, links and structure."""

from __future__ import annotations

import html

import pytest
from bs4 import BeautifulSoup
from helpers import convert_html, raw_html_tokens, render, rendered_text

from revue2md.convert.markdown import markdown_url, split_sentences

TEXTS = [
    "1. not a list", "1) not a list either", "# not a heading", "###### six", "> not a quote",
    "- not a bullet", "+ not a bullet", "* not a bullet", "=====", "---", "<b>not bold</b>",
    "&copy; stays an entity name", "[a](https://b.example) is not a link", "[ref]: https://x.example",
    "snake_case and __dunder__ and _under_", "*stars* and **double**", "`not code`",
    "C:\\path\\to\\file and \\*", "| a | b |", "{{< youtube abc >}}", "a ~~strike~~ b", "100% & 50 < 60 > 40",
    "http://example.com/a_b_c_ trailing", "#hashtag at start", "<!-- not a comment -->",
]


@pytest.mark.parametrize("text", TEXTS)
def test_text_reads_back_as_the_same_text(text):
    markdown = convert_html(f"<p>{html.escape(text)}</p>")
    assert rendered_text(markdown) == text
    assert raw_html_tokens(markdown) == []
    assert "{{<" not in markdown and "{{%" not in markdown


@pytest.mark.parametrize("text", ["1. after a break", "# after a break", "- after a break", "> after"])
def test_a_line_after_a_hard_break_is_escaped_too(text):
    markdown = convert_html(f"<p>first line<br>{html.escape(text)}</p>")
    rendered = render(markdown)
    assert "<ol" not in rendered and "<h1" not in rendered and "<ul" not in rendered and "<blockquote" not in rendered
    assert text in BeautifulSoup(rendered, "lxml").get_text()


def test_links_keep_their_target():
    markdown = convert_html('<p><a href="https://e.example/a b/(c)?q=1">x</a> and '
                            '<a href="https://e.example/p_(q)">y</a> <a href="https://e.example/">https://e.example/</a></p>')
    links = [a["href"] for a in BeautifulSoup(render(markdown), "lxml").find_all("a")]
    assert links == ["https://e.example/a%20b/(c)?q=1", "https://e.example/p_(q)", "https://e.example/"]


def test_empty_and_script_links_are_dropped_but_text_kept():
    markdown = convert_html('<p><a href="https://e.example/"></a>before <a href="javascript:void(0)">text</a> '
                            '<a href="#">here</a></p>')
    assert markdown == "before text here\n"


def test_stray_line_breaks_do_not_leave_backslashes():
    markdown = convert_html("<p><br>one<br><br><br>two<br></p><ul><li>item<br></li></ul>")
    assert markdown == "one\n\ntwo\n\n* item\n"


def test_heading_ending_with_hash_keeps_it():
    assert rendered_text(convert_html("<h2>We are #</h2>")) == "We are #"


def test_code_keeps_text_and_defuses_shortcodes():
    markdown = convert_html("<pre>x = '```'\n{{< youtube id >}}</pre><p><code>a_b*c</code></p>")
    assert "````\nx = '```'\n{{</* youtube id */>}}\n````" in markdown
    assert "`a_b*c`" in markdown


@pytest.mark.parametrize("parser", ["lxml", "html.parser"])
def test_revue_invalid_nesting_gives_the_same_markdown_with_any_parser(parser):
    source = ("<h3><p>intro</p></h3>\n<hr>\n<h2>S</h2>\n<p><p>a</p><p>b</p></p>\n"
              "<p><blockquote>q</blockquote></p>\n<p><p>t</p><h2>H</h2></p>\n"
              "<ul><li>a</li><ul><li>b</li></ul></ul>\n<h3><h2>News</h2><p>x</p></h3>")
    expected = "intro\n\n---\n\n## S\n\na\n\nb\n\n> q\n\nt\n\n## H\n\n* a\n  * b\n\n## News\n\nx\n"
    assert convert_html(source, parser=parser) == expected


def test_sentence_per_line():
    assert split_sentences("One. Two? Three! See e.g. Four. `a. B`") == "One.\nTwo?\nThree!\nSee e.g. Four. `a. B`"
    assert split_sentences("Done. 1. Next") == "Done.\n1\\. Next"


def test_markdown_url():
    assert markdown_url("https://e.example/a b") == "https://e.example/a%20b"
    assert markdown_url("https://e.example/a)b") == "https://e.example/a%29b"
    assert markdown_url("https://e.example/<x>") == "https://e.example/%3Cx%3E"


@pytest.mark.parametrize("space", ["\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u2003", "\u3000"])
def test_markdown_url_drops_every_white_space_but_the_space(space):
    assert markdown_url(f" https://e.example/a{space}b?c d ") == "https://e.example/ab?c%20d"
    assert markdown_url(f"https://e.example/a{space * 2}b") == "https://e.example/ab"


@pytest.mark.parametrize(("html", "text"), [
    ("<p>one  two</p>", "one two"), ("<p>one\ttwo</p>", "one two"), ("<p>one\r\n two</p>", "one two"),
    ("<p>one two\xa0 three</p>", "one two\xa0 three"), ("<p>a <b>b</b>  c</p>", "a **b** c"),
])
def test_white_space_in_text_folds_as_markdownify_folds_it(html, text):
    assert convert_html(html) == text + "\n"
