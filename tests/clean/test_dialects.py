"""Revue's dialects are read from the markup, whatever holds it, and every item kind comes out whole."""

from __future__ import annotations

import json
import re

import pytest
from helpers import convert_html

from revue2md.clean.dialect import Dialect, detect
from revue2md.clean.issue import CleanOptions, clean_issue, clean_metadata
from revue2md.models import Issue
from revue2md.repair.markdown import repair_markdown
from revue2md.text import decode_title

TWEET = ('<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Goblin text</p>&mdash; animals going goblin mode '
         '(@mischiefanimals) <a href="https://twitter.com/mischiefanimals/status/1546?ref_src=twsrc%5Etfw">'
         "July 10, 2022</a></blockquote>")
ATTRIBUTION = ("> — animals going goblin mode (@mischiefanimals) "
               "[July 10, 2022](https://twitter.com/mischiefanimals/status/1546)")
NESTED = "<ul><li>a</li><ul><li>b</li><li>c</li></ul><li>d</li></ul>"
NESTED_MD = "* a\n  * b\n  * c\n* d"
CARD = ('<tr><td><div><a href="https://dev.example.org/c"><img class="link-image" width="140" alt="" '
        'src="https://s3.amazonaws.com/revue/items/images/1/thumb/c.png"></a>'
        '<div class="link-title"><a href="https://dev.example.org/c">Card title</a></div>'
        '<div class="link-description"><div class="revue-p">Card description.</div></div>'
        '<div class="link-url"><a href="https://dev.example.org/c">dev.example.org</a></div></div></td></tr>')
CARD_MD = ("[![Card title](https://s3.amazonaws.com/revue/items/images/1/thumb/c.png)](https://dev.example.org/c)\n\n"
           "**[Card title](https://dev.example.org/c)** — dev.example.org\\\nCard description.\n")


@pytest.mark.parametrize(("markup", "dialect"), [
    ("<h3><p>intro</p></h3><hr><p><p>text</p></p>[tweet https://twitter.com/a/status/1]", Dialect.API),
    ('<table><tr><td><div class="item-header">H</div><div class="item-text">t</div></td></tr></table>',
     Dialect.CLASSIC),
    ('<div class="mj-column-per-100"><div class="revue-p">t</div></div>', Dialect.MJML),
    (CARD, Dialect.MJML),
    ('<table role="presentation"><tr><td><img src="x.jpg"></td></tr></table>', Dialect.MJML),
    ('<p class="lead">A paragraph with a class of its own.</p>', Dialect.API),
])
def test_the_dialect_is_read_from_the_markup(markup, dialect):
    assert detect(markup) is dialect


@pytest.mark.parametrize("template", ["api", "email"])
def test_an_mjml_link_card_is_a_link_item_whichever_source_holds_it(template):
    assert convert_html(CARD, template=template) == CARD_MD


@pytest.mark.parametrize(("markup", "template"), [
    (TWEET, "api"),
    (TWEET, "email"),
    # How a page of an earlier migration holds a pasted tweet: a whole document inside a <p>.
    (f"<h2 class='header-text'>Fun</h2><p><html><body><div>{TWEET}</p><script></script><p></div></body></html></p>",
     "api"),
])
def test_a_tweet_keeps_text_display_name_handle_date_and_link(markup, template):
    markdown = convert_html(markup, template=template)
    assert "> Goblin text\n>\n" + ATTRIBUTION + "\n" in markdown


def test_a_tweet_known_only_by_its_url_says_whose_it_is():
    assert convert_html("[tweet https://twitter.com/a_b/status/1]") == "> [Tweet by @a_b](https://twitter.com/a_b/status/1)\n"


def test_a_display_name_is_text_never_markup():
    markup = TWEET.replace("animals going goblin mode", "*Not* [a link](javascript:x) {{&lt; x &gt;}}")
    markdown = convert_html(markup)
    assert "— \\*Not\\* \\[a link\\](javascript:x) {\\{< x >}} (@mischiefanimals)" in markdown


@pytest.mark.parametrize(("markup", "template"), [
    (f"<p><p>x</p>{NESTED}</p>", "api"),
    (f'<div class="revue-p">x</div>{NESTED}', "email"),
    (f'<table><tr><td><div class="item-text"><div class="revue-p">x</div>{NESTED}</div></td></tr></table>', "email"),
])
def test_a_sub_list_written_after_its_item_keeps_its_depth(markup, template):
    assert NESTED_MD in convert_html(markup, template=template)


def test_an_api_thumbnail_keeps_its_alt_text():
    markup = ('<p><img width="140" alt="Own alt" src="https://s3.amazonaws.com/revue/t.jpg" />'
              "<strong style='display: block;'><a href=\"https://e.org/p\">Title</a> &mdash; "
              '<a href="https://e.org/p">e.org</a></strong>Description</p>')
    assert convert_html(markup).startswith("[![Own alt](https://s3.amazonaws.com/revue/t.jpg)](https://e.org/p)")


def test_a_video_item_and_its_caption_in_the_next_row_stay_together():
    markup = ('<tbody><tr><td><table role="presentation"><tbody><tr><td><a href="https://vimeo.com/724340575">'
              '<img width="600" alt="Panel" src="https://s3.amazonaws.com/revue/m.jpg"></a></td></tr></tbody></table>'
              '</td></tr><tr><td><div style="text-align:center;">Panel | on Vimeo</div></td></tr></tbody>')
    # The caption links to the video: the page keeps the item's link beside the player.
    assert convert_html(markup) == "{{< vimeo 724340575 >}}\n\n[Panel | on Vimeo](https://vimeo.com/724340575)\n"


CLASSIC_HEADER = ('<table><tr><td align="center">April  7 · Issue #20 · <a href="https://www.getrevue.co/profile/x/'
                  'issues/y-20?utm_campaign=Issue&amp;utm_content=view_in_browser">View online</a></td></tr>'
                  '<tr><td><div class="item-text"><div class="revue-p">Body.</div></div></td></tr></table>')


def test_a_classic_header_line_with_a_one_digit_day_goes():
    assert convert_html(CLASSIC_HEADER, template="email") == "Body.\n"


def test_view_online_goes_wherever_a_saved_copy_made_it_point():
    markup = ('<div class="mj-column-per-100"><div><a href="./">View online</a></div>'
              '<div class="revue-p">Body.</div></div>')
    assert convert_html(markup, template="email") == "Body.\n"


FOOTER = ('<div class="mj-column-per-100"><div class="revue-p">By the way, I wrote this with Revue. By '
          '<a href="https://me.example">me</a>.</div></div>'
          '<div class="mj-column-per-100"><table><tr><td><a href="https://me.example/?utm_campaign=Issue&amp;'
          'utm_content=profileimage"><img alt="Me" src="https://s3.amazonaws.com/revue/profiles/images/me.png"></a>'
          '</td></tr><tr><td><div>By <a href="https://me.example/?utm_campaign=Issue&amp;utm_content=profilename">Me'
          '</a></div></td></tr><tr><td><div>My profile blurb, every week.</div></td></tr></table></div>')


def test_the_footer_author_block_goes_and_the_authors_sentences_stay():
    markdown = convert_html(FOOTER, template="email")
    assert markdown == "By the way, I wrote this with Revue. By [me](https://me.example).\n"


def test_a_byline_with_content_after_it_is_not_a_footer():
    markup = FOOTER.split('<div class="mj-column-per-100"><table>')[1]
    markup = '<div class="mj-column-per-100"><table>' + markup + '<div class="revue-p">Content after.</div>'
    assert "Content after." in convert_html(markup, template="email")


def test_export_repairs_one_damaged_paragraph_beside_clean_ones():
    damaged = "It’s a good day 🎉".encode().decode("mac_roman")
    markup = f"<p><p>Ça, c’est très bien — 日本語.</p></p><p><p>{damaged}</p></p>"
    cleaned = clean_issue(Issue(source="t", html=markup))
    text = cleaned.root.get_text()
    assert "It’s a good day 🎉" in text and "Ça, c’est très bien — 日本語." in text
    assert any("mojibake repaired in the content" in note for note in cleaned.issue.notes)


@pytest.mark.parametrize("title", ["A &amp;lt;b&amp;gt; tag", "It&amp;#x27;s", "Tom &amp; Jerry", "Plain"])
def test_export_and_clean_decode_titles_the_same_way(title):
    exported = clean_metadata(Issue(source="t", html="", title=title), CleanOptions()).title
    repaired = repair_markdown(f'---\ntitle: "{title}"\n---\nBody\n').text
    assert exported == decode_title(title)
    assert f'title: "{exported}"' in repaired


# --- the real 2022 e-mail markup of a migrated site -----------------------------------------------


ATTRIBUTED = re.compile(r"^> — .+ \(@[\w\\]+\) \[[A-Z][a-z]+ \d{1,2}, \d{4}\]\(https://twitter\.com/", re.M)


def _migrated_bodies(corpus):
    folder = corpus / "migrated" / "yet-another-newsletter-lol"
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = re.match(r"---json\n(.*?)\n---\n", text, re.DOTALL)
        assert match, path.name
        yield path.name, json.loads(match.group(1)), text[match.end():]


def test_migrated_2022_e_mail_bodies_have_no_table_rows_and_whole_tweets(corpus):
    tweets = 0
    for name, _, body in _migrated_bodies(corpus):
        markdown = convert_html(body)
        assert not [line for line in markdown.splitlines() if line.lstrip().startswith("|")], name
        assert "\\|" not in markdown, name
        expected = body.count('class="twitter-tweet"')
        found = re.findall(ATTRIBUTED, markdown)
        assert len(found) == expected, name
        tweets += expected
    assert tweets > 50
