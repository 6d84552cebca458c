"""What belongs to one subscriber's copy of an e-mail is chrome: leave links, pixels, personal tokens."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from revue2md.clean.chrome import (
    cut_footer,
    drop_chrome,
    is_chrome_link,
    is_tracking_pixel,
    without_personal_tokens,
)


@pytest.mark.parametrize("href", [
    "https://www.getrevue.co/profile/x/unsubscribe?token=abc",
    "https://www.getrevue.co/app/unsubscribe/f00d",
    "https://list.example/opt-out?id=1",
    "https://list.example/manage-subscription",
    "mailto:leave@list.example?subject=unsubscribe",
])
def test_leaving_and_managing_the_list_are_chrome(href):
    assert is_chrome_link(href)


@pytest.mark.parametrize("href", ["https://blog.example/how-to-unsubscribe-from-everything",
                                  "https://example.org/compost?id=7", "mailto:author@example.org"])
def test_ordinary_links_are_not(href):
    assert not is_chrome_link(href)


@pytest.mark.parametrize(("markup", "pixel"), [
    ('<img src="https://x.example/p.gif" width="1" height="1">', True),
    ('<img src="https://x.example/p.gif" width="0" height="0">', True),
    ('<img src="https://x.example/p.gif" style="width:1px;height:1px">', True),
    ('<img src="https://email.example/wf/open?upn=abc">', True),
    ('<img src="https://x.example/track/open.php?u=1">', True),
    ('<img src="https://x.example/photo.jpg" width="600">', False),
    ('<img src="https://x.example/opening-night.jpg" width="1" height="300">', False),
])
def test_tracking_pixels(markup, pixel):
    assert is_tracking_pixel(BeautifulSoup(markup, "html.parser").img) is pixel


@pytest.mark.parametrize(("href", "expected"), [
    ("https://www.getrevue.co/profile/x/issues/a-1?token=abc&utm_medium=email#top",
     "https://www.getrevue.co/profile/x/issues/a-1?utm_medium=email#top"),
    ("https://www.getrevue.co/profile/x?subscriber_id=9&member=1", "https://www.getrevue.co/profile/x"),
    ("https://example.org/doc?token=shared-by-the-author", "https://example.org/doc?token=shared-by-the-author"),
    ("https://www.getrevue.co/profile/x/issues/a-1", "https://www.getrevue.co/profile/x/issues/a-1"),
])
def test_personal_tokens_leave_links_to_revue_only(href, expected):
    assert without_personal_tokens(href) == expected


def test_cleaning_removes_them_from_the_tree():
    soup = BeautifulSoup(
        '<div class="revue-p">See <a href="https://www.getrevue.co/profile/x/issues/a-1?token=t">this</a>'
        ' and <a href="https://www.getrevue.co/profile/x/unsubscribe?token=t">leave</a>.'
        '<img src="https://p.example/o.gif" width="1" height="1"></div>', "lxml")
    cut_footer(soup.body)
    drop_chrome(soup.body)
    html = str(soup.body)
    assert 'href="https://www.getrevue.co/profile/x/issues/a-1"' in html
    assert "unsubscribe" not in html and "o.gif" not in html
