"""The one allow-list of URL schemes for links and images."""

from __future__ import annotations

import pytest

from revue2md.convert.safe_urls import image_url, link_url, normalise


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)", "java\rscript:x", " JavaScript:x",
    "\x01javascript:x", "\x00 javascript:x", "vbscript:msgbox(1)", "VBScript:x", "data:text/html,<script>",
    "data:image/png;base64,AAAA", "file:///etc/passwd", "FILE:///c:/x", "livescript:x", "jar:file:x", "",
])
def test_a_dangerous_or_unknown_scheme_is_no_link(url):
    assert link_url(url) is None


@pytest.mark.parametrize("url, kept", [
    ("https://example.org/a b", "https://example.org/a b"),
    ("http://example.org/", "http://example.org/"),
    (" mailto:me@example.org ", "mailto:me@example.org"),
    ("tel:+441234", "tel:+441234"),
    ("../other-issue/", "../other-issue/"),
    ("#section", "#section"),
    ("//cdn.example.org/x", "//cdn.example.org/x"),
    ("https://exa\tmple.org/", "https://example.org/"),
    ("%6Aavascript:alert(1)", "%6Aavascript:alert(1)"),  # no scheme at all for a browser: a relative path
])
def test_web_mail_phone_and_relative_links_are_kept_normalised(url, kept):
    assert link_url(url) == kept


@pytest.mark.parametrize("url", ["data:image/svg+xml,<svg onload=alert(1)>", "data:text/html,x", "mailto:a@b",
                                 "tel:1", "java\tscript:x", "file:///x.png", "blob:https://x/1"])
def test_an_image_comes_only_from_the_web_a_relative_path_or_raster_data(url):
    assert image_url(url) is None


@pytest.mark.parametrize("url", ["https://example.org/a.png", "./index_files/a.png", "DATA:image/png;base64,AAAA",
                                 "data:image/jpeg;base64,AAAA"])
def test_web_relative_and_raster_data_images_are_kept(url):
    assert image_url(url) is not None


def test_normalise_drops_what_a_browser_drops_and_encodes_other_controls():
    assert normalise("\x00 ht\ttp://a/\nb\x7f ") == "http://a/b%7F"
