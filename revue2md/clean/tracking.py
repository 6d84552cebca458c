"""Remove tracking parameters from URLs, and nothing else.

The query string is edited as raw text: every parameter that stays keeps its bytes,
its order and its encoding, and the fragment is untouched. A URL with nothing to
remove is returned as the very same string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import fnmatchcase
from urllib.parse import unquote_plus

# Click identifiers and mailing-list ids that only serve tracking. `utm_*` is matched
# as a prefix. Keys compare case-insensitively (`UTM_Source` is still tracking).
# README ("Tracking parameters") lists them: keep the two in step.
CLICK_IDS = frozenset(
    {
        # ad networks and social sites
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
        "twclid", "ttclid", "li_fat_id", "igshid", "rb_clickid", "wickedid",
        # Twitter's embed and share links
        "ref_src", "ref_url",
        # Yahoo's consent redirect (TechCrunch, Engadget) and TechCrunch's campaign code
        "guccounter", "guce_referrer", "guce_referrer_sig", "tpcc",
        # mailing tools: Mailchimp, HubSpot, Marketo, Vero, Openstat, Olytics
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "__hstc", "__hssc", "__hsfp", "hsctatracking",
        "mkt_tok", "vero_id", "vero_conv", "_openstat", "oly_anon_id", "oly_enc_id",
    }
)


class TrackingFilter:
    """Decides which query keys are tracking: the built-in list plus user keys or globs."""

    def __init__(self, extra: Iterable[str] = ()):
        extra = [key.lower() for key in extra if key]
        self._exact = CLICK_IDS | {key for key in extra if not _is_glob(key)}
        self._globs = tuple(key for key in extra if _is_glob(key))

    def is_tracking(self, key: str) -> bool:
        key = unquote_plus(key).lower()
        if key.startswith("utm_") or key in self._exact:
            return True
        return any(fnmatchcase(key, glob) for glob in self._globs)

    def clean(self, url: str) -> str:
        """The URL without tracking parameters (the same string when there are none)."""
        return self.strip(url)[0]

    def strip(self, url: str, separator: str = "&") -> tuple[str, int]:
        """The URL without tracking parameters, and how many were removed.

        `separator` splits the query: `&amp;` for a URL written in HTML with encoded ampersands.
        """
        fragment_start = url.find("#")
        if fragment_start < 0:
            fragment_start = len(url)
        query_start = url.find("?", 0, fragment_start)
        if query_start < 0:
            return url, 0
        query = url[query_start + 1 : fragment_start]
        parts = query.split(separator)
        kept = [part for part in parts if not self.is_tracking(part.split("=", 1)[0])]
        if len(kept) == len(parts):
            return url, 0
        removed = len(parts) - len(kept)
        # An empty parameter the URL had (`a=1&&b=2`) stays; a query left with nothing goes.
        new_query = "?" + separator.join(kept) if any(kept) else ""
        return url[:query_start] + new_query + url[fragment_start:], removed

    def clean_text(self, text: str) -> tuple[str, int]:
        """Clean every http(s) URL that appears in free text; returns the text and the count changed."""
        if "?" not in text:
            return text, 0
        changed = 0

        def _one(match: re.Match[str]) -> str:
            nonlocal changed
            url = match.group(0)
            cleaned = self.clean(url)
            changed += cleaned != url
            return cleaned

        return _URL_IN_TEXT.sub(_one, text), changed


def _is_glob(key: str) -> bool:
    return any(char in key for char in "*?[")


_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'`)\]]+")

DEFAULT_FILTER = TrackingFilter()


def strip_tracking(url: str, extra: Iterable[str] = ()) -> str:
    """Convenience wrapper: `strip_tracking(url)` with the built-in list (plus `extra` keys)."""
    return (TrackingFilter(extra) if extra else DEFAULT_FILTER).clean(url)
