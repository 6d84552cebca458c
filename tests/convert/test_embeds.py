"""YouTube and Vimeo become Hugo shortcodes, tweets become blockquotes (or `x` shortcodes), the rest links."""

from __future__ import annotations

import re

import pytest
from conftest import FIXTURES
from helpers import convert_html, raw_html_tokens

from revue2md.convert.markdown import EmbedRenderer
from revue2md.embeds import tweet, vimeo_id, youtube_id
from revue2md.hugo.build import build_site

SHORTCODE = re.compile(r"\{\{<.*?>\}\}")


@pytest.mark.parametrize("url", [
    "https://youtu.be/dQw4w9WgXcQ", "https://youtu.be/dQw4w9WgXcQ?t=42", "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com/watch?feature=youtu.be&v=dQw4w9WgXcQ", "https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=1",
    "https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0", "//www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    "https://youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube.com/live/dQw4w9WgXcQ", "https://youtube.com/v/dQw4w9WgXcQ",
])
def test_youtube_ids_from_every_url_form(url):
    assert youtube_id(url) == "dQw4w9WgXcQ"


@pytest.mark.parametrize("url", [
    "https://www.youtube.com/playlist?list=PL123", "https://www.youtube.com/watch?v=short", "https://youtu.be/",
    "https://www.youtube.com/channel/UCRTV5p4JsXV3YTdYpTJECRA", "https://example.com/watch?v=dQw4w9WgXcQ",
    "javascript:alert(1)//youtu.be/dQw4w9WgXcQ", 'https://youtu.be/dQw4w9WgXc"',
])
def test_not_a_youtube_video(url):
    assert youtube_id(url) is None


@pytest.mark.parametrize(("url", "expected"), [
    ("https://vimeo.com/76979871", "76979871"), ("https://player.vimeo.com/video/76979871?title=0", "76979871"),
    ("https://vimeo.com/channels/staffpicks/76979871", "76979871"), ("https://vimeo.com/groups/a/videos/42", "42"),
    ("https://vimeo.com/76979871/abcdef1234", "76979871"), ("https://vimeo.com/about", None),
    ("https://notvimeo.com/76979871", None),
])
def test_vimeo_ids(url, expected):
    assert vimeo_id(url) == expected


@pytest.mark.parametrize(("url", "user", "tweet_id"), [
    ("https://twitter.com/revue/status/123", "revue", "123"), ("https://x.com/a_b/status/9?s=20", "a_b", "9"),
    ("https://mobile.twitter.com/Revue/statuses/77", "Revue", "77"),
    ("https://twitter.com/#!/old/status/5", "old", "5"),
    ("https://twitter.com/i/web/status/66", None, "66"),
])
def test_tweet_urls(url, user, tweet_id):
    found = tweet(url)
    assert (found.user, found.id) == (user, tweet_id)


def test_the_fixture_has_no_revue_shortcode_no_raw_html_and_only_known_hugo_shortcodes(cli, tmp_path):
    result = cli("export", FIXTURES / "api" / "embeds.json", "--out", tmp_path, "-q")
    assert result.exit_code == 0
    body = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    assert not re.search(r"\[(tweet|embed|caption)", body)
    assert raw_html_tokens(body) == []
    assert {code.split()[1] for code in SHORTCODE.findall(body)} == {"youtube", "vimeo"}
    assert "platform.twitter.com" not in body


def test_tweets_as_x_shortcodes_on_request(cli, tmp_path):
    result = cli("export", FIXTURES / "api" / "embeds.json", "--out", tmp_path, "-q", "--tweets", "x-shortcode")
    assert result.exit_code == 0
    body = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    assert '{{< x user="revue" id="1234567890123456789" >}}' in body
    assert '{{< x user="example_writer" id="1111111111111111111" >}}' in body
    assert "Tweet by" not in body


def test_a_tweet_keeps_its_text_author_and_link():
    markdown = convert_html('<blockquote class="twitter-tweet"><p>Hello <b>world</b></p>&mdash; A (@a) '
                            '<a href="https://twitter.com/a/status/5?ref_src=twsrc%5Etfw">May 1</a></blockquote>')
    assert markdown == "> Hello **world**\n>\n> — A (@a) [May 1](https://twitter.com/a/status/5)\n"


def test_a_tweet_without_an_author_in_its_url_as_x_shortcode_stays_a_blockquote():
    markdown = convert_html("[tweet https://twitter.com/i/web/status/66]",
                            embeds=EmbedRenderer(tweets="x-shortcode"))
    assert markdown == "> [Tweet](https://twitter.com/i/web/status/66)\n"


@pytest.mark.parametrize(("html", "expected"), [
    ("[embed https://example.org/a_b]", "<https://example.org/a_b>\n"),
    ("[embed javascript:alert(1)]", "javascript:alert(1)\n"),
    ('<p><iframe src="javascript:alert(1)"></iframe>x</p>', "x\n"),
    ("[embed https://x.com/u/status/1]", "> [Tweet by @u](https://x.com/u/status/1)\n"),
])
def test_unknown_embeds_become_plain_links_never_shortcode_text(html, expected):
    assert convert_html(html) == expected


def test_an_email_video_item_becomes_a_shortcode_with_its_caption_linking_the_video():
    html = ('<div class="mj-column-per-100"><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
            '<img src="https://s3.amazonaws.com/revue/items/images/001/001/001/web/hq.jpg" width="600"></a>'
            '<div>The talk, recorded</div></div>')
    assert convert_html(html, template="email") == ("{{< youtube dQw4w9WgXcQ >}}\n\n"
                                                     "[The talk, recorded](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n")


@pytest.mark.hugo
def test_video_shortcodes_build_offline(cli, hugo, tmp_path):
    content = tmp_path / "content"
    result = cli("export", FIXTURES / "api" / "embeds.json", "--out", content / "issues", "-q")
    assert result.exit_code == 0
    build = build_site(content, tmp_path / "site", hugo)
    assert build.ok, build.log
    page = (build.public / "issues" / "embeds-videos-and-tweets" / "index.html").read_text(encoding="utf-8")
    for video in ("dQw4w9WgXcQ", "xjwrPjJebBg", "aqz-KE-bpKQ", "M7lc1UVf-VE"):
        assert f"youtube-nocookie.com/embed/{video}" in page or f"youtube.com/embed/{video}" in page, video
    assert "player.vimeo.com/video/76979871" in page and "player.vimeo.com/video/148751763" in page
    assert "Newsletters are back." in page and "https://twitter.com/example_writer/status/1111111111111111111" in page


def test_a_tweets_blank_lines_are_hard_breaks_in_one_paragraph():
    html = ('<blockquote class="twitter-tweet"><p>6 things I learned<br/><br/>1. Ship<br/>2. Learn</p>'
            '&mdash; Ada (@ada) <a href="https://twitter.com/ada/status/1">June 26, 2022</a></blockquote>'
            '<p>After<br><br>the tweet, a blank line still ends a paragraph.</p>')
    assert convert_html(html) == ("> 6 things I learned\\\n> \\\n> 1\\. Ship\\\n> 2\\. Learn\n>\n"
                                  "> — Ada (@ada) [June 26, 2022](https://twitter.com/ada/status/1)\n\n"
                                  "After\n\nthe tweet, a blank line still ends a paragraph.\n")
