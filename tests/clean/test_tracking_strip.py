"""TrackingFilter.strip: the count of removed parameters, the HTML separator, and fragments."""

from __future__ import annotations

import pytest

from revue2md.clean.tracking import TrackingFilter

FILTER = TrackingFilter()


@pytest.mark.parametrize(("url", "separator", "cleaned", "removed"), [
    ("https://e.com/?utm_source=a&utm_medium=b&id=1", "&", "https://e.com/?id=1", 2),
    ("https://e.com/?a=1&amp;utm_source=x", "&amp;", "https://e.com/?a=1", 1),
    ("https://e.com/?utm_source=x&amp;b=2", "&amp;", "https://e.com/?b=2", 1),
    ("https://e.com/?a=1&amp;b=2", "&amp;", "https://e.com/?a=1&amp;b=2", 0),
    ("https://e.com/?utm_source=x#top", "&", "https://e.com/#top", 1),
    # a `?` after the `#` is part of the fragment, not a query
    ("https://e.com/#/route?utm_source=x", "&", "https://e.com/#/route?utm_source=x", 0),
    ("https://e.com/p?utm_source=x#q?utm_source=y", "&", "https://e.com/p#q?utm_source=y", 1),
])
def test_strip_removes_tracking_and_counts_it(url, separator, cleaned, removed):
    assert FILTER.strip(url, separator) == (cleaned, removed)


def test_clean_is_strip_without_the_count():
    url = "https://e.com/p?utm_source=x#q?utm_source=y"

    assert FILTER.clean(url) == FILTER.strip(url)[0]
    assert FILTER.clean(FILTER.clean(url)) == FILTER.clean(url)
