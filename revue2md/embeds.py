"""What an embedded URL points at: a YouTube or Vimeo video, a tweet, or something else.

Only ids that match the services' own formats are returned, so whatever is built from them
(a Hugo shortcode) can hold nothing but those characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from revue2md.models import Choice


class TweetMode(Choice):
    """A tweet as a blockquote (text, author, link; builds offline) or as Hugo's `x` shortcode."""

    blockquote = "blockquote"
    x_shortcode = "x-shortcode"


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = frozenset({"youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com"})
_YOUTUBE_PATH = re.compile(r"^/(?:embed|shorts|v|e|live)/([^/?#]+)")
_VIMEO_HOSTS = frozenset({"vimeo.com", "player.vimeo.com"})
_VIMEO_PATH = re.compile(r"^/(?:video/|channels/[^/]+/|groups/[^/]+/videos/|album/\d+/video/|showcase/\d+/video/)?"
                         r"(\d{1,12})(?:/|$)")
_TWEET_HOSTS = frozenset({"twitter.com", "mobile.twitter.com", "x.com", "mobile.x.com"})
_TWEET_PATH = re.compile(r"^/(?:#!/)?@?(\w{1,30})/status(?:es)?/(\d{1,25})(?:/|$)")
_TWEET_PATH_NO_USER = re.compile(r"^/i/(?:web/)?status/(\d{1,25})(?:/|$)")


@dataclass(frozen=True)
class Tweet:
    """A tweet an issue embeds: its author's handle (when the URL names one) and its id."""
    user: str | None
    id: str


def _host(url: str) -> tuple[str, str, str, str] | None:
    """(host without `www.`, path, query, fragment) of an http(s) URL; `//host/...` counts as https."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host, parts.path, parts.query, parts.fragment


def youtube_id(url: str) -> str | None:
    """The video id of youtu.be/ID, youtube.com/watch?v=ID, /embed/ID, /shorts/ID, /live/ID, /v/ID."""
    found = _host(url)
    if found is None:
        return None
    host, path, query, _ = found
    candidate = None
    if host == "youtu.be":
        candidate = path.strip("/").split("/")[0]
    elif host in _YOUTUBE_HOSTS:
        if path.rstrip("/") == "/watch":
            candidate = dict(parse_qsl(query)).get("v")
        else:
            match = _YOUTUBE_PATH.match(path)
            candidate = match.group(1) if match else None
    return candidate if candidate and _YOUTUBE_ID.match(candidate) else None


def vimeo_id(url: str) -> str | None:
    """The video id of vimeo.com/ID (also channels, groups, albums) and player.vimeo.com/video/ID."""
    found = _host(url)
    if found is None or found[0] not in _VIMEO_HOSTS:
        return None
    match = _VIMEO_PATH.match(found[1])
    return match.group(1) if match else None


def tweet(url: str) -> Tweet | None:
    """The author and id of twitter.com/USER/status/ID (x.com, mobile and `#!/` forms too)."""
    found = _host(url)
    if found is None or found[0] not in _TWEET_HOSTS:
        return None
    _, path, _, fragment = found
    if not path.strip("/") and fragment.startswith("!/"):
        path = fragment[1:]
    match = _TWEET_PATH.match(path)
    if match:
        return Tweet(user=match.group(1), id=match.group(2))
    match = _TWEET_PATH_NO_USER.match(path)
    return Tweet(user=None, id=match.group(1)) if match else None


def is_video(url: str) -> bool:
    return youtube_id(url) is not None or vimeo_id(url) is not None


# A link card's title Twitter wrote for a tweet page: `Name on Twitter: "text"`.
_ON_TWITTER = re.compile(r"^(?P<author>[^\n]{1,100}?) on (?:Twitter|X): [\"“](?P<text>.*)[\"”]\s*$", re.DOTALL)
_TWITTER_DOMAINS = frozenset({"twitter.com", "mobile.twitter.com", "x.com"})


@dataclass(frozen=True)
class TweetCard:
    """A tweet as the e-mail templates mailed it: a link card to the status, titled with its text."""

    tweet: Tweet
    text: str
    author: str = ""


def tweet_card(url: str, title: str, domain: str) -> TweetCard | None:
    """The tweet a link card stands for: its link a status with a user, its domain line Twitter's
    (or none). The title is the tweet's text, or Twitter's own `Name on Twitter: "text"`."""
    found = tweet(url)
    if found is None or found.user is None or (domain and domain.strip().lower() not in _TWITTER_DOMAINS):
        return None
    named = _ON_TWITTER.match(title.strip())
    if named:
        return TweetCard(found, named.group("text").strip(), named.group("author").strip())
    return TweetCard(found, title.strip())
