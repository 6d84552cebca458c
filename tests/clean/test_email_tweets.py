"""Tweets the e-mail templates mailed as link cards, in both e-mail dialects, become tweets;
a rev.vu or profile link in an author's sentence stays, Revue's share lines go."""

from __future__ import annotations

import pytest
from helpers import convert_html

from revue2md import embeds

_STATUS = "https://twitter.com/ada_example/status/810917335808806920"
CLASSIC = ('<table><tr><td><a href="{url}"><img width="112" alt="" src="https://s3.amazonaws.com/revue/a.jpg"></a>'
           '<span class="item-link-title"><a href="{url}">{title}</a></span>'
           '<div class="domain"><a href="{url}">{domain}</a> – <a href="http://rev.vu/x?utm_campaign=Issue&amp;'
           'utm_content=share">Share</a></div>{description}</td></tr></table>')
MJML = ('<div class="mj-column-per-100"><div><a href="{url}"><img class="link-image" width="140" alt="" '
        'src="https://s3.amazonaws.com/revue/a.jpg"></a><div class="link-title"><a href="{url}">{title}</a></div>'
        '{description}<div class="link-url"><a href="http://rev.vu/x?utm_campaign=Issue&amp;utm_content=domain">'
        '{domain}</a> &bull; <a href="http://rev.vu/x?utm_campaign=Issue&amp;utm_content=share">share</a></div>'
        '</div></div>')


def _card(template: str, title: str, url: str = _STATUS, domain: str = "twitter.com", description: str = "") -> str:
    if description:
        kind = "item-link-description" if template is CLASSIC else "link-description"
        description = f'<div class="{kind}"><div class="revue-p">{description}</div></div>'
    return template.format(url=url, title=title, domain=domain, description=description)


@pytest.mark.parametrize("template", [CLASSIC, MJML], ids=["classic", "mjml-2017"])
def test_a_tweet_card_becomes_a_tweet_with_its_text_and_handle(template):
    page = convert_html(_card(template, "Paper forms...\n\n1997: scans"), template="email")
    assert page == (f"> Paper forms...\\\n> \\\n> 1997: scans\n>\n> — [Tweet by @ada_example]({_STATUS})\n")


@pytest.mark.parametrize("template", [CLASSIC, MJML], ids=["classic", "mjml-2017"])
def test_twitters_page_title_gives_the_display_name_and_the_comment_follows(template):
    title = 'Ada Example on Twitter: &quot;Great quote: &quot;not wizards&quot;&quot;'
    page = convert_html(_card(template, title, description="John always has great sound bites."), template="email")
    assert page == (f'> Great quote: "not wizards"\n>\n> — Ada Example (@ada_example) [Tweet]({_STATUS})\n\n'
                    "John always has great sound bites.\n")


@pytest.mark.parametrize("template", [CLASSIC, MJML], ids=["classic", "mjml-2017"])
def test_a_card_to_another_page_or_domain_stays_a_link_item(template):
    page = convert_html(_card(template, "About Twitter", url="https://news.example.org/t", domain="news.example.org"),
                        template="email")
    assert page.startswith("[![About Twitter](https://s3.amazonaws.com/revue/a.jpg)](https://news.example.org/t)")
    assert "**[About Twitter](https://news.example.org/t)** — news.example.org" in page
    mirrored = convert_html(_card(template, "A tweet, mirrored", domain="mirror.example.org"), template="email")
    assert "**[A tweet, mirrored]" in mirrored


def test_tweet_card_reads_only_statuses_with_a_user():
    assert embeds.tweet_card("https://twitter.com/i/web/status/1", "t", "twitter.com") is None
    assert embeds.tweet_card("https://twitter.com/ada", "t", "twitter.com") is None
    card = embeds.tweet_card(_STATUS, 'Ada on X: “short”', "")
    assert (card.tweet.user, card.author, card.text) == ("ada_example", "Ada", "short")


@pytest.mark.parametrize("template", ["api", "email"])
def test_a_rev_vu_link_in_an_authors_sentence_stays(template):
    html = ('<div class="revue-p">Forty issues. <a href="https://rev.vu/abc">Share it</a> with a friend.</div>'
            '<div class="revue-p">My <a href="https://www.getrevue.co/profile/ada">old Revue page</a> is gone.</div>'
            '<div class="link-url"><a href="https://rev.vu/abc">example.org</a> &bull; '
            '<a href="https://rev.vu/abc">share</a></div>'
            '<div class="revue-p"><a href="https://rev.vu/abd?utm_campaign=Issue&amp;utm_content=share">Share</a>'
            ' this issue</div>')
    page = convert_html(html, template=template)
    assert "Forty issues. [Share it](https://rev.vu/abc) with a friend." in page
    assert "My [old Revue page](https://www.getrevue.co/profile/ada) is gone." in page
    assert "example.org" not in page and "rev.vu/abd" not in page
