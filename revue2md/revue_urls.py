"""Revue's issue URLs: what they contain, and the old paths a migrated page should answer to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import SplitResult, unquote, urlsplit

_PROFILE_ISSUE = re.compile(r"^/profile/(?P<profile>[^/]+)/issues/(?P<slug>[^/]*?)-?(?P<id>\d+)/?$")
_CUSTOM_ISSUE = re.compile(r"^/issues/(?P<slug>[^/]*?)-?(?P<id>\d+)/?$")
_ARCHIVE = re.compile(r"^/archive/(?P<id>\d+)/?$")
_PROFILE_HOME = re.compile(r"^/profile/(?P<profile>[^/]+)/?$")

REVUE_HOSTS = ("getrevue.co", "www.getrevue.co")
_EMPTY = SplitResult("", "", "", "", "")


def split_url(url: str) -> SplitResult:
    """`urlsplit` that never raises: a malformed URL (`http://[x`) splits into empty parts."""
    try:
        return urlsplit(url.strip())
    except ValueError:
        return _EMPTY


@dataclass(frozen=True)
class IssueUrl:
    """The parts of a Revue issue URL; `profile` is None on a custom domain."""

    host: str
    id: int
    slug: str | None = None
    profile: str | None = None


def parse_issue_url(url: str | None) -> IssueUrl | None:
    """Recognise `/profile/<name>/issues/<slug>-<id>`, `/issues/<slug>-<id>` and `/archive/<id>`."""
    if not url:
        return None
    parts = split_url(url)
    if parts.scheme not in ("http", "https", ""):
        return None
    path = unquote(parts.path)
    host = (parts.hostname or "").lower()
    for pattern in (_PROFILE_ISSUE, _CUSTOM_ISSUE, _ARCHIVE):
        match = pattern.match(path)
        if match:
            groups = match.groupdict()
            return IssueUrl(
                host=host,
                id=int(groups["id"]),
                slug=groups.get("slug") or None,
                profile=groups.get("profile"),
            )
    return None


def is_profile_home(url: str) -> bool:
    """A link to a newsletter's Revue profile page itself (Revue's own chrome)."""
    parts = split_url(url)
    return (parts.hostname or "").lower() in REVUE_HOSTS and bool(_PROFILE_HOME.match(parts.path))


def profile_from_url(url: str | None) -> str | None:
    """The profile name in a getrevue.co profile or issue URL."""
    if not url:
        return None
    path = split_url(url).path
    match = _PROFILE_HOME.match(path) or _PROFILE_ISSUE.match(path)
    return match.group("profile") if match else None


def alias_paths(
    url: str | None,
    issue_id: int | None,
    *,
    profile: str | None = None,
    custom_domain: bool = False,
) -> tuple[str, ...]:
    """The old site-relative paths of an issue, for Hugo's `aliases` (path only, leading slash).

    Always the getrevue.co path when the profile and slug are known; with `custom_domain`
    also `/issues/<slug>-<id>` and `/archive/<id>`, the paths a custom domain served.
    """
    parsed = parse_issue_url(url)
    if parsed is not None and issue_id is not None and parsed.id != issue_id:
        parsed = None
    issue_id = issue_id if issue_id is not None else (parsed.id if parsed else None)
    if issue_id is None:
        return ()
    slug = parsed.slug if parsed else None
    profile = (parsed.profile if parsed and parsed.profile else None) or profile
    slug_id = f"{slug}-{issue_id}" if slug else None
    paths = []
    if profile and slug_id:
        paths.append(f"/profile/{profile}/issues/{slug_id}")
    if custom_domain:
        if slug_id:
            paths.append(f"/issues/{slug_id}")
        paths.append(f"/archive/{issue_id}")
    return tuple(paths)
