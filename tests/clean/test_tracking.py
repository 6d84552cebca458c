"""Tracking parameters go; every other byte of the URL stays."""

from __future__ import annotations

import pytest

from revue2md.clean.tracking import TrackingFilter, strip_tracking


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/p?utm_source=x&utm_medium=email", "https://a.example/p"),
        ("https://a.example/p?id=7&utm_source=Revue%20newsletter#part-2", "https://a.example/p?id=7#part-2"),
        ("https://www.youtube.com/watch?feature=youtu.be&utm_campaign=W%20K&v=abc", "https://www.youtube.com/watch?feature=youtu.be&v=abc"),
        ("https://a.example/?q=a+b%20c&fbclid=IwAR0&gclid=1&z=%E2%9C%93", "https://a.example/?q=a+b%20c&z=%E2%9C%93"),
        ("https://a.example/?mc_cid=1&mc_eid=2", "https://a.example/"),
        ("https://a.example/?UTM_Source=x&keep=1", "https://a.example/?keep=1"),
        ("https://a.example/#frag?utm_source=x", "https://a.example/#frag?utm_source=x"),
        ("https://a.example/?utm_source=x#frag", "https://a.example/#frag"),
        ("https://a.example/?ref_src=twsrc%5Etfw", "https://a.example/"),
    ],
)
def test_strips_tracking_and_keeps_the_rest(url, expected):
    assert strip_tracking(url) == expected


@pytest.mark.parametrize("url", [
    "https://a.example/p?b=2&a=1&a=3",
    "https://a.example/p?x=%20&y=+#f",
    "mailto:me@example.com?subject=utm",
    "https://a.example/p?utmost=1&putm_source=2",
    "./index_files/pic.jpg",
])
def test_url_without_tracking_is_returned_as_the_same_string(url):
    assert strip_tracking(url) is url


def test_user_keys_and_globs():
    tracking = TrackingFilter(["ref", "pk_*"])
    assert tracking.clean("https://a.example/?ref=nl&pk_campaign=x&pk_kwd=y&page=2") == "https://a.example/?page=2"
    assert tracking.clean("https://a.example/?referrer=1") == "https://a.example/?referrer=1"


def test_urls_in_free_text():
    text, count = TrackingFilter().clean_text("see https://a.example/x?utm_source=n&p=1, and https://b.example/")
    assert text == "see https://a.example/x?p=1, and https://b.example/"
    assert count == 1


def test_idempotent():
    url = "https://a.example/p?id=7&utm_source=x&fbclid=y#z"
    once = strip_tracking(url)
    assert strip_tracking(once) == once
