"""Links from one issue to another issue of the same newsletter point at the migrated page.

The export knows every issue's page before converting any (a first, cheap pass over the
sources collects ids and file names only). A link to an issue of this archive becomes, by
default (`path`), a relative URL to the target page as Hugo publishes it without custom
permalinks (`../weekly-news-18/`): plain markdown that any reader of the files follows
too. With `relref`, it becomes `[text]({{< relref "PATH" >}})`, PATH being the target's
file relative to the linking page: Hugo then writes the real URL whatever the permalinks,
and a removed target fails the build; but the link is only a link once Hugo has read it.
A link to the newsletter's own Revue profile page goes to the list page of the section the
issues are in (`--out`), or to the site's home when `--out` is not a section. Links to
issues that are not in the archive are left as they are.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from revue2md.canonical import REF_ATTRIBUTE
from revue2md.models import Choice
from revue2md.revue_urls import REVUE_HOSTS, parse_issue_url


class IssueLinks(Choice):
    """Links to other issues: a relative URL to the page, Hugo's relref shortcode, or left alone."""

    path = "path"
    relref = "relref"
    off = "off"


_PROFILE_PAGE = re.compile(r"^/profile/(?P<profile>[^/]+)(?:/issues)?/?$")
_FRAGMENT = re.compile(r"^[\w-]{1,100}$")
_SAFE_REF = re.compile(r'^[^"\\{}<>\x00-\x1f]+$')
HOME = "home"


class ArchivedIssue(NamedTuple):
    """An issue of this export: its page's name and its Revue slug (a tuple: one per issue is kept)."""

    name: str
    slug: str | None


@dataclass
class IssueIndex:
    """Which issues this export writes, where, and the names the newsletter went by."""

    issues: dict[int, ArchivedIssue] = field(default_factory=dict)
    hosts: set[str] = field(default_factory=set)
    profiles: set[str] = field(default_factory=set)
    out_is_section: bool = True

    def add(self, issue_id: int | None, url: str | None, name: str) -> None:
        parsed = parse_issue_url(url)
        if issue_id is not None:
            self.issues[issue_id] = ArchivedIssue(name, parsed.slug if parsed else None)
        if parsed is None:
            return
        if parsed.profile:
            self.profiles.add(parsed.profile.lower())
        elif parsed.host and parsed.host not in REVUE_HOSTS:
            self.hosts.add(parsed.host.removeprefix("www."))

    def target(self, href: str) -> str | None:
        """The page name (or HOME) a link goes to, or None when it is not a link into this archive."""
        try:
            parts = urlsplit(href.strip())
        except ValueError:
            return None
        if parts.scheme.lower() not in ("http", "https"):
            return None
        host = (parts.hostname or "").lower().removeprefix("www.")
        path = unquote(parts.path)
        if host in REVUE_HOSTS:
            profile = _PROFILE_PAGE.match(path)
            if profile:
                return HOME if profile["profile"].lower() in self.profiles else None
        parsed = parse_issue_url(href)
        if parsed is None or parsed.id not in self.issues:
            return None
        issue = self.issues[parsed.id]
        if host in REVUE_HOSTS:
            # Revue's ids are global: a getrevue.co issue URL with this id is this issue.
            return issue.name if parsed.profile else None
        if host in self.hosts or (parsed.slug and parsed.slug == issue.slug):
            return issue.name
        return None


def is_section(out: Path) -> bool:
    """Is `--out` a Hugo section (a top-level folder of content/, or a folder with an _index.md)?"""
    resolved = Path(out).resolve()
    return resolved.parent.name == "content" or (resolved / "_index.md").is_file()


def rewrite_issue_links(root, index: IssueIndex, page_name: str, mode: IssueLinks = IssueLinks.path) -> int:
    """Point links into the archive at the migrated pages; returns how many.

    `path` rewrites the href to a relative URL; `relref` marks the link with the file path
    the converter writes as a relref shortcode.
    """
    here = posixpath.dirname(page_name) or "."
    count = 0
    for link in root.find_all("a", href=True):
        target = index.target(link["href"])
        if target is None:
            continue
        fragment = urlsplit(link["href"].strip()).fragment
        fragment = "#" + fragment if fragment and _FRAGMENT.match(fragment) and target != HOME else ""
        if mode == "path":
            link["href"] = _relative_url(target, page_name, index.out_is_section) + fragment
            count += 1
            continue
        if target == HOME:
            ref = posixpath.relpath(".", here) if index.out_is_section else "/"
        else:
            ref = posixpath.relpath(target, here) + fragment
        if _SAFE_REF.match(ref):
            link[REF_ATTRIBUTE] = ref
            count += 1
    return count


def _page_url_path(name: str) -> str:
    """The URL path, relative to the section, Hugo gives a page file by default (lowercased, no index.md)."""
    stem = name[: -len("/index.md")] if name.endswith("/index.md") else name.removesuffix(".md")
    return stem.lower() + "/"


def _relative_url(target: str, page_name: str, out_is_section: bool) -> str:
    here = _page_url_path(page_name)
    if target == HOME:
        return posixpath.relpath(".", here) + "/" if out_is_section else "/"
    return posixpath.relpath(_page_url_path(target), here) + "/"
