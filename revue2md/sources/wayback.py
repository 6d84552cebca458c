"""Recover issues from the Wayback Machine: `wayback:<profile or custom-domain URL>`.

1. List the captures with the CDX API: the issue pages of the newsletter (`/profile/<name>/
   issues/*` on getrevue.co; `/issues/*` and `/archive/*` on a custom domain) and its listing
   page (the profile page, or the custom domain's home page).
2. Keep the best capture of each issue id: status 200, an issue page rather than an
   `/archive/<id>` e-mail page (only the issue page has the date), the latest one (before
   `--before`). When that capture cannot be fetched, the next best is tried.
3. Fetch each capture in its original form (`/web/<timestamp>id_/<url>`: no toolbar, no
   rewritten links) and read it like a saved page.
4. Issues linked from the captured pages that the archive never captured are reported.

Every request waits its turn (`rate` per second) and goes through the shared retry policy;
every response that was fetched is kept in the cache folder, the CDX listings included, so an
interrupted recovery continues where it stopped and a second run makes no request at all.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urljoin, urlsplit

from revue2md import events
from revue2md.errors import FetchError, SourceError, UsageError
from revue2md.models import Issue, Skipped
from revue2md.net.cache import ResponseCache
from revue2md.net.ratelimit import RateLimiter
from revue2md.revue_urls import REVUE_HOSTS, IssueUrl, parse_issue_url, profile_from_url, split_url
from revue2md.sources.interface import DEFAULT_RATE, DEFAULT_WAYBACK_URL, SourceContext
from revue2md.sources.reading import decode
from revue2md.sources.web import parse_page

if TYPE_CHECKING:
    from revue2md.net.http import HttpClient

PREFIX = "wayback:"
MAX_CAPTURE_BYTES = 20 * 1024 * 1024
MAX_TRIES_PER_ISSUE = 3
_CDX_FIELDS = ("timestamp", "original", "statuscode", "mimetype")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_BEFORE_FORMS = (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4), ("%Y%m%d%H%M%S", 14), ("%Y%m%d", 8))


def matches(text: str) -> bool:
    return text.lower().startswith(PREFIX)


@dataclass(frozen=True)
class Site:
    """The newsletter to look for: a getrevue.co profile, or a custom domain (profile None)."""

    host: str
    profile: str | None = None

    @property
    def label(self) -> str:
        return f"https://{self.host}/profile/{self.profile}" if self.profile else f"https://{self.host}"

    def cdx_patterns(self) -> tuple[str, ...]:
        """URL patterns for the CDX API: issue pages first, then the listing page."""
        if self.profile:
            return (f"{self.host}/profile/{self.profile}/issues/*", f"{self.host}/profile/{self.profile}")
        return (f"{self.host}/issues/*", f"{self.host}/archive/*", f"{self.host}/")

    def issue_url(self, url: str) -> IssueUrl | None:
        """The parts of `url` when it is an issue page of this newsletter."""
        parsed = parse_issue_url(url)
        if parsed is None:
            return None
        if self.profile:
            same = parsed.host in REVUE_HOSTS and (parsed.profile or "").casefold() == self.profile.casefold()
        else:
            same = _bare_host(parsed.host) == _bare_host(self.host) and parsed.profile is None
        return parsed if same else None

    def is_listing(self, url: str) -> bool:
        parts = split_url(url)
        if self.profile:
            return ((parts.hostname or "").lower() in REVUE_HOSTS
                    and parts.path.rstrip("/").casefold() == f"/profile/{self.profile}".casefold())
        return _bare_host(parts.hostname or "") == _bare_host(self.host) and parts.path in ("", "/")


def parse_site(target: str) -> Site:
    """`wayback:` + a profile URL, a custom-domain URL, a bare host, or a bare profile name."""
    text = target[len(PREFIX):].strip() if matches(target) else target.strip()
    if not text:
        raise UsageError(f"{target}: name the newsletter, e.g. wayback:https://www.getrevue.co/profile/NAME "
                         "or wayback:https://news.example.com")
    if re.fullmatch(r"[A-Za-z0-9_.-]+", text) and "." not in text:
        return Site("www.getrevue.co", text)
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https") or not host or "." not in host:
        raise UsageError(f"{target}: not a web address; expected "
                         "wayback:https://www.getrevue.co/profile/NAME or wayback:https://news.example.com")
    if host in REVUE_HOSTS:
        profile = profile_from_url(text)
        if not profile:
            raise UsageError(f"{target}: a getrevue.co address must name the profile: "
                             "wayback:https://www.getrevue.co/profile/NAME")
        return Site("www.getrevue.co", profile)
    return Site(host)


def parse_before(value: str | None) -> str | None:
    """`--before` as the 14-digit archive timestamp it stands for (exclusive); None when not given."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    for form, length in _BEFORE_FORMS:
        if len(text) != length:
            continue
        try:
            return datetime.strptime(text, form).strftime("%Y%m%d%H%M%S")
        except ValueError:
            continue
    raise UsageError(f"--before {value!r}: expected a date like 2023-01-18 (or 2023-01, 2023)")


@dataclass(frozen=True)
class Capture:
    """One row of the CDX listing."""

    timestamp: str
    original: str
    status: str
    mimetype: str = ""


class WaybackSource:
    """Issues of one newsletter, from the web archive's captures."""

    kind = "wayback"

    def __init__(
        self,
        target: str,
        *,
        wayback_url: str = DEFAULT_WAYBACK_URL,
        before: str | None = None,
        cache_dir: Path | None = None,
        rate: float = DEFAULT_RATE,
        client: HttpClient | None = None,
        deadline: float | None = None,
    ):
        self.site = parse_site(target)
        self.source = f"{PREFIX}{self.site.label}"
        if not re.match(r"^https?://[^/\s]+", wayback_url or ""):
            raise UsageError(f"--wayback-url {wayback_url!r}: expected an http(s) address "
                             f"like {DEFAULT_WAYBACK_URL}")
        self.base = wayback_url.rstrip("/")
        self.before = before
        self.cache = ResponseCache(cache_dir)
        if not rate > 0:
            raise UsageError(f"--rate {rate}: expected a number of requests per second above 0")
        self.limiter = RateLimiter(rate)
        self._client = client
        self.deadline = deadline  # of each request's attempt; the client's default when None

    @classmethod
    def from_context(cls, target: str, context: SourceContext) -> WaybackSource:
        return cls(target, wayback_url=context.wayback_url, before=context.before,
                   cache_dir=context.cache_dir, rate=context.rate, deadline=context.http_deadline)

    # --- the steps ---------------------------------------------------------------------------

    def issues(self) -> Iterator[Issue | Skipped]:
        try:
            captures = self.list_captures()
        except (FetchError, SourceError) as error:
            yield Skipped(self.source, f"could not list the web archive's captures: {error}")
            return
        by_id: dict[int, list[Capture]] = {}
        unusable: dict[int, list[Capture]] = {}
        listings: dict[str, Capture] = {}
        for capture in captures:
            parsed = self.site.issue_url(capture.original)
            usable = capture.status == "200" and _is_html(capture.mimetype)
            if parsed is not None:
                (by_id if usable else unusable).setdefault(parsed.id, []).append(capture)
            elif usable and self.site.is_listing(capture.original):
                key = _listing_key(capture.original)
                if key not in listings or capture.timestamp > listings[key].timestamp:
                    listings[key] = capture

        linked: dict[int, str] = {}
        for key in sorted(listings):
            capture = listings[key]
            try:
                self._collect_links(capture, self.fetch_capture(capture), linked)
            except (FetchError, SourceError) as error:
                yield Skipped(self.capture_url(capture), f"could not read the captured listing page, so "
                              f"issues it links to may be missing from this report: {error}")

        if not by_id and not unusable and not linked:
            patterns = " or ".join(self.site.cdx_patterns())
            yield Skipped(self.source, f"the web archive has no capture of an issue of this newsletter "
                          f"(looked for {patterns})")
            return
        for done, issue_id in enumerate(sorted(by_id), 1):
            recovered = self._recover(issue_id, _best_first(by_id[issue_id]), linked)
            events.announce(events.Step(events.WAYBACK, done, len(by_id), recovered.source))
            yield recovered
        for issue_id in sorted(set(unusable) - set(by_id)):
            statuses = ", ".join(sorted({c.status for c in unusable[issue_id]}))
            url = _best_first(unusable[issue_id])[0].original
            yield Skipped(self.source, f"the web archive has no usable capture (status {statuses}) of {url}")
        for issue_id in sorted(set(linked) - set(by_id) - set(unusable)):
            yield Skipped(self.source, f"not captured by the web archive: {linked[issue_id]}")

    def _recover(self, issue_id: int, candidates: list[Capture], linked: dict[int, str]) -> Issue | Skipped:
        failures = []
        for capture in candidates[:MAX_TRIES_PER_ISSUE]:
            source = self.capture_url(capture)
            try:
                body = self.fetch_capture(capture)
                text = decode(body)
                self._collect_links(capture, body, linked)
                issue = parse_page(text, source=source)
            except (FetchError, SourceError) as error:
                failures.append(str(error))
                continue
            return _with_capture_metadata(issue, issue_id, capture)
        tried = len(failures)
        reason = failures[0] if tried == 1 else f"{tried} captures tried: " + "; ".join(failures)
        return Skipped(self.capture_url(candidates[0]), reason)

    def list_captures(self) -> list[Capture]:
        captures: dict[tuple[str, str], Capture] = {}
        for pattern in self.site.cdx_patterns():
            for capture in self._cdx(pattern):
                if self.before and capture.timestamp >= self.before:
                    continue
                captures.setdefault((capture.timestamp, capture.original), capture)
        return sorted(captures.values(), key=lambda c: (c.original, c.timestamp))

    def _cdx(self, pattern: str) -> list[Capture]:
        query = {"url": pattern, "output": "json", "fl": ",".join(_CDX_FIELDS)}
        if self.before:
            query["to"] = _one_second_before(self.before)
        path = "/cdx/search/cdx?" + urlencode(query)
        body = self._get("cdx", path, ".json", what="the capture listing")
        try:
            rows = json.loads(body.decode("utf-8")) if body.strip() else []
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise SourceError(f"the web archive's listing for {pattern} is not JSON") from None
        if not isinstance(rows, list):
            raise SourceError(f"the web archive's listing for {pattern} is not a list")
        return captures_from_rows(rows)

    def fetch_capture(self, capture: Capture) -> bytes:
        if not _TIMESTAMP.fullmatch(capture.timestamp):
            raise SourceError(f"the web archive's listing gives the timestamp {capture.timestamp!r}")
        return self._get("captures", f"/web/{capture.timestamp}id_/{capture.original}", ".html",
                         what="this capture")

    def capture_url(self, capture: Capture) -> str:
        """The address a person would open to see this capture."""
        return f"{self.base}/web/{capture.timestamp}/{capture.original}"

    # --- network and cache -------------------------------------------------------------------

    def _get(self, kind: str, path: str, suffix: str, *, what: str) -> bytes:
        cached = self.cache.get(kind, path, suffix)
        if cached is not None:
            return cached
        self.limiter.wait()
        response = self.client.get(self.base + path, max_bytes=MAX_CAPTURE_BYTES)
        if response.status != 200:
            raise FetchError(f"the web archive answered {response.status} for {what}")
        self.cache.put(kind, path, response.content, suffix)
        return response.content

    @property
    def client(self) -> HttpClient:
        if self._client is None:
            from revue2md.net.http import HttpClient, RetryPolicy

            policy = RetryPolicy() if self.deadline is None else RetryPolicy(deadline=self.deadline)
            self._client = HttpClient(policy, service="the web archive")
        return self._client

    def _collect_links(self, capture: Capture, body: bytes, linked: dict[int, str]) -> None:
        """Issue links of this newsletter found in a captured page, by id (the first one seen wins)."""
        text = body.decode("utf-8", errors="replace")
        for match in _HREF.finditer(text):
            href = html.unescape(next(group for group in match.groups() if group is not None)).strip()
            if not href or href.startswith(("#", "mailto:", "javascript:")):
                continue
            try:
                url = urljoin(capture.original, href)
                parsed = self.site.issue_url(url)
            except ValueError:  # a malformed link (`http://[x`) costs only itself
                continue
            if parsed is not None and parsed.id not in linked:
                linked[parsed.id] = url.split("#", 1)[0].split("?", 1)[0]


def captures_from_rows(rows: list) -> list[Capture]:
    """The captures of a CDX listing, its columns found by the header row the server sends.

    Without a header row (some mirrors leave it out), the columns are those asked for, in
    order. A row that cannot be a capture (a timestamp that is not 1 to 14 ASCII digits,
    a missing URL) is left out: it costs only itself.
    """
    if rows and isinstance(rows[0], list) and {"timestamp", "original"} <= set(map(str, rows[0])):
        header, rows = [str(cell) for cell in rows[0]], rows[1:]
    else:
        header = list(_CDX_FIELDS)
    column = {name: header.index(name) for name in _CDX_FIELDS if name in header}
    if "statuscode" not in column:
        return []
    captures = []
    for row in rows:
        if not isinstance(row, list) or len(row) < len(header) or not all(isinstance(c, str) for c in row):
            continue
        timestamp, original = row[column["timestamp"]], row[column["original"]]
        if _TIMESTAMP.fullmatch(timestamp) and original:
            mimetype = row[column["mimetype"]] if "mimetype" in column else ""
            captures.append(Capture(timestamp, original, row[column["statuscode"]], mimetype))
    return captures


_TIMESTAMP = re.compile(r"[0-9]{1,14}")


def _with_capture_metadata(issue: Issue, issue_id: int, capture: Capture) -> Issue:
    """Fill what the page did not say from the capture's own URL."""
    if issue.id is not None and issue.url:
        return issue
    return replace(issue, id=issue.id if issue.id is not None else issue_id,
                   url=issue.url or capture.original.split("?", 1)[0])


def _best_first(captures: list[Capture]) -> list[Capture]:
    """Issue pages (they carry the date) before `/archive/<id>` e-mail pages; newest first."""
    def rank(capture: Capture):
        parsed = parse_issue_url(capture.original)
        is_issue_page = parsed is not None and parsed.slug is not None
        return (not is_issue_page, _negated(capture.timestamp), capture.original)

    return sorted(captures, key=rank)


def _negated(timestamp: str) -> str:
    return "".join(str(9 - int(digit)) for digit in timestamp.ljust(14, "0"))


def _is_html(mimetype: str) -> bool:
    return not mimetype or mimetype.lower().startswith(("text/html", "application/xhtml"))


def _bare_host(host: str) -> str:
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def _listing_key(url: str) -> str:
    parts = split_url(url)
    return f"{_bare_host(parts.hostname or '')}{parts.path.rstrip('/').lower()}?{parts.query}"


def _one_second_before(timestamp: str) -> str:
    moment = datetime.strptime(timestamp, "%Y%m%d%H%M%S") - timedelta(seconds=1)
    return moment.strftime("%Y%m%d%H%M%S")
