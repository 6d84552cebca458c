"""Recovery from the web archive, against a local server that imitates the CDX API and captures."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug import Request, Response

from revue2md.errors import UsageError
from revue2md.models import Issue, Skipped
from revue2md.net.http import HttpClient, RetryPolicy
from revue2md.net.ratelimit import RateLimiter
from revue2md.sources.wayback import Capture, Site, WaybackSource, _best_first, parse_before, parse_site

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "wayback"
GOLDEN = ROOT / "fixtures" / "golden" / "wayback"
PROFILE = "https://www.getrevue.co/profile/gardennotes"
SEEDLINGS = f"{PROFILE}/issues/garden-notes-10-seedlings-310900"
FROST = f"{PROFILE}/issues/garden-notes-11-frost-311100"
CATALOGUES = f"{PROFILE}/issues/garden-notes-9-catalogues-310800"
LIGHT = f"{PROFILE}/issues/garden-notes-3-light-300300"  # linked from the seedlings issue
CORPUS_PROFILE = "https://www.getrevue.co/profile/jaycuthrell"


def _page(url: str = SEEDLINGS) -> bytes:
    """The hand-made issue page, as the page of the issue at `url`."""
    slug_id = url.rsplit("/", 1)[1]
    return (FIXTURES / "issue-page.html").read_bytes().replace(
        b"garden-notes-10-seedlings-310900", slug_id.encode())


def _complete(fake: FakeWayback) -> FakeWayback:
    """Capture the issue the seedlings page links to as well, so that nothing is missing."""
    fake.add(LIGHT, _page(LIGHT), "20210101000000")
    return fake


@dataclass
class FakeWayback:
    """The CDX API and the `id_` capture endpoint, over a dict of captures.

    `captures[original URL]` is a list of (timestamp, status, body); a body of None makes the
    capture endpoint answer 404. `throttle` lists paths answered once with 429 first.
    """

    captures: dict[str, list[tuple[str, str, bytes | None]]] = field(default_factory=dict)
    throttle: set[str] = field(default_factory=set)
    block_on: str | None = None
    reached: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    requests: list[str] = field(default_factory=list)

    def install(self, httpserver) -> str:
        httpserver.expect_request(re.compile(r"^/(cdx|web)/.*")).respond_with_handler(self.handle)
        return httpserver.url_for("/").rstrip("/")

    def add(self, original: str, body: bytes | None, timestamp: str = "20210402153012", status: str = "200"):
        self.captures.setdefault(original, []).append((timestamp, status, body))

    def handle(self, request: Request) -> Response:
        path = request.full_path.rstrip("?")
        self.requests.append(path)
        if path in self.throttle:
            self.throttle.discard(path)
            return Response("slow down", status=429, headers={"Retry-After": "0"})
        if request.path == "/cdx/search/cdx":
            return self._cdx(parse_qs(urlsplit(request.full_path).query))
        match = re.match(r"^/web/(\d{14})id_/(.+)$", request.full_path.rstrip("?"))
        if match is None:
            return Response("bad request", status=400)
        timestamp, original = match.groups()
        if self.block_on and self.block_on in original:
            self.reached.set()
            self.release.wait(60)
        for stamp, _status, body in self.captures.get(original, []):
            if stamp == timestamp and body is not None:
                return Response(body, content_type="text/html")
        return Response("Not Found", status=404)

    def _cdx(self, query) -> Response:
        pattern = _bare(query["url"][0])
        prefix = pattern.endswith("*")
        pattern = pattern.rstrip("*")
        rows = [["timestamp", "original", "statuscode", "mimetype"]]
        for original in sorted(self.captures):
            bare = _bare(original)
            if bare.startswith(pattern) if prefix else bare.rstrip("/") == pattern.rstrip("/"):
                rows += [[stamp, original, status, "text/html"]
                         for stamp, status, _ in self.captures[original]
                         if not query.get("to") or stamp <= query["to"][0]]
        return Response(json.dumps(rows), content_type="application/json")

    def captures_requested(self) -> list[str]:
        return [path for path in self.requests if path.startswith("/web/")]


def _bare(url: str) -> str:
    url = re.sub(r"^https?://", "", url).lower()
    return url[4:] if url.startswith("www.") else url


def _garden_archive() -> FakeWayback:
    fake = FakeWayback()
    fake.add(PROFILE, (FIXTURES / "profile-page.html").read_bytes(), "20210405000000")
    fake.add(SEEDLINGS, _page())
    fake.add(CATALOGUES + "?utm_source=profile", None)  # listed, but the capture is gone
    return fake


def _export(cli, base: str, tmp_path: Path, target: str = f"wayback:{PROFILE}", *extra):
    out = tmp_path / "out"
    return cli("export", target, "--out", out, "--wayback-url", base, "--rate", "1000",
               "--cache", tmp_path / "cache", *extra), out


def test_recovers_captured_issues_and_reports_the_missing_ones(cli, httpserver, tmp_path):
    fake = _garden_archive()
    base = fake.install(httpserver)
    result, out = _export(cli, base, tmp_path)
    assert result.exit_code == 1, result.output
    assert [path.name for path in out.iterdir()] == ["garden-notes-10-seedlings.md"]
    assert (out / "garden-notes-10-seedlings.md").read_text() == \
        (GOLDEN / "garden-notes-10-seedlings.md").read_text()
    assert (f"skipped {base}/web/20210402153012/{CATALOGUES}?utm_source=profile: "
            "the web archive answered 404 for this capture\n") in result.output
    # Linked from the profile page, and from the captured issue itself:
    assert f"skipped wayback:{PROFILE}: not captured by the web archive: {FROST}\n" in result.output
    assert (f"skipped wayback:{PROFILE}: not captured by the web archive: "
            f"{PROFILE}/issues/garden-notes-3-light-300300\n") in result.output
    assert "someoneelse" not in result.output  # links to other newsletters are not ours to report
    assert "wrote 1 page" in result.output and "skipped 3" in result.output


def test_a_second_run_makes_no_request(cli, httpserver, tmp_path):
    fake = _garden_archive()
    fake.add(FROST, _page(FROST))
    base = fake.install(httpserver)
    first, _out = _export(cli, base, tmp_path)
    assert first.exit_code == 1 and "wrote 2 pages" in first.output
    fake.requests.clear()
    second, _ = _export(cli, base, tmp_path)
    assert [r for r in fake.requests if not r.endswith(f"{CATALOGUES}?utm_source=profile")] == []
    assert "wrote 0 pages" in second.output and "(2 already up to date)" in second.output


def test_without_failures_a_second_run_makes_zero_requests(cli, httpserver, tmp_path):
    fake = _complete(FakeWayback())
    fake.add(SEEDLINGS, _page())
    base = fake.install(httpserver)
    first, _ = _export(cli, base, tmp_path)
    assert first.exit_code == 0, first.output
    assert len(fake.requests) == 4  # two CDX listings and two captures
    fake.requests.clear()
    second, _ = _export(cli, base, tmp_path)
    assert second.exit_code == 0 and fake.requests == []
    assert "wrote 0 pages" in second.output and "(2 already up to date)" in second.output


def test_a_429_is_retried_after_the_time_the_archive_asks(cli, httpserver, tmp_path):
    fake = _complete(FakeWayback())
    fake.add(SEEDLINGS, _page())
    capture_path = f"/web/20210402153012id_/{SEEDLINGS}"
    fake.throttle.add(capture_path)
    base = fake.install(httpserver)
    result, out = _export(cli, base, tmp_path)
    assert result.exit_code == 0, result.output
    assert [path for path in fake.captures_requested() if SEEDLINGS in path] == [capture_path, capture_path]
    assert (out / "garden-notes-10-seedlings.md").exists()


def test_retry_after_is_honoured_through_the_shared_policy(httpserver, tmp_path):
    httpserver.expect_ordered_request("/cdx/search/cdx").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "7"}))
    httpserver.expect_ordered_request("/cdx/search/cdx").respond_with_json([])
    httpserver.expect_ordered_request("/cdx/search/cdx").respond_with_json([])
    waits: list[float] = []
    client = HttpClient(RetryPolicy(attempts=3), sleep=waits.append)
    source = WaybackSource(f"wayback:{PROFILE}", wayback_url=httpserver.url_for("/"), rate=1000,
                           client=client)
    items = list(source.issues())  # an empty archive: reported, not silent
    assert len(items) == 1 and "no capture" in items[0].reason
    assert waits == [7]


def test_listing_failure_is_one_line_and_nothing_else(cli, httpserver, tmp_path):
    httpserver.expect_request("/cdx/search/cdx").respond_with_data("Blocked Site Error", status=403)
    result, _out = _export(cli, httpserver.url_for("/").rstrip("/"), tmp_path)
    assert result.exit_code == 1
    assert (f"skipped wayback:{PROFILE}: could not list the web archive's captures: "
            "the web archive answered 403 for the capture listing") in result.output


def test_resumes_after_being_killed(httpserver, tmp_path, cli):
    fake = _garden_archive()
    fake.add(FROST, _page(FROST))
    fake.block_on = "frost"
    base = fake.install(httpserver)
    command = [sys.executable, "-m", "revue2md", "export", f"wayback:{PROFILE}",
               "--out", str(tmp_path / "out"), "--wayback-url", base, "--rate", "1000",
               "--cache", str(tmp_path / "cache")]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert fake.reached.wait(60), "the export never reached the third capture"
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    finally:
        fake.release.set()
        if process.poll() is None:
            process.kill()
    before_kill = list(fake.requests)
    assert any(SEEDLINGS in path for path in before_kill)
    fake.block_on = None
    fake.requests.clear()
    _result, out = _export(cli, base, tmp_path)
    assert [path for path in fake.requests if "cdx" in path] == []  # the listings came from the cache
    assert not any(SEEDLINGS in path for path in fake.requests)  # so did the capture fetched before the kill
    assert any("frost" in path for path in fake.requests)
    assert sorted(path.name for path in out.iterdir()) == [
        "garden-notes-10-seedlings.md", "garden-notes-11-frost.md"]
    assert not list((tmp_path / "cache").rglob(".revue2md-*"))  # no half-written entry left behind


def test_before_picks_an_older_capture(cli, httpserver, tmp_path):
    fake = _complete(FakeWayback())
    old = _page()
    fake.add(SEEDLINGS, old, "20210320000000")
    fake.add(SEEDLINGS, old.replace(b"Leggy seedlings", b"Edited later: leggy seedlings"), "20220101000000")
    base = fake.install(httpserver)
    _latest, out = _export(cli, base, tmp_path)
    assert "Edited later" in (out / "garden-notes-10-seedlings.md").read_text()
    older, out2 = _export(cli, base, tmp_path / "b", f"wayback:{PROFILE}", "--before", "2021-12-31")
    assert older.exit_code == 0, older.output
    assert "Edited later" not in (out2 / "garden-notes-10-seedlings.md").read_text()
    assert any("to=20211230235959" in path for path in fake.requests)


def test_custom_domain_issue_and_archive_pages(cli, httpserver, tmp_path):
    page = _page()
    fake = FakeWayback()
    home = (b'<html><body><a href="/issues/garden-notes-10-seedlings-310900">10</a>'
            b'<a href="https://news.gardennotes.example/archive/310700">8</a></body></html>')
    fake.add("https://news.gardennotes.example/", home, "20210405000000")
    fake.add("http://news.gardennotes.example/archive/310900", page, "20220101000000")
    fake.add("https://news.gardennotes.example/issues/garden-notes-10-seedlings-310900", page,
             "20210402153012")
    base = fake.install(httpserver)
    result, out = _export(cli, base, tmp_path, "wayback:news.gardennotes.example")
    assert result.exit_code == 1
    assert [path.name for path in out.iterdir()] == ["garden-notes-10-seedlings.md"]
    assert fake.captures_requested()[-1].endswith("/issues/garden-notes-10-seedlings-310900")
    assert ("not captured by the web archive: https://news.gardennotes.example/archive/310700"
            in result.output)


@pytest.mark.corpus
def test_full_recovery_of_real_issue_pages_matches_the_saved_pages(cli, corpus, httpserver, tmp_path):
    pages = sorted((corpus / "web" / "fudge-sunday").glob("*.html"))
    fake = FakeWayback()
    links = []
    for index, path in enumerate(pages):
        data = path.read_bytes()
        url = re.search(rb'content="([^"]+)" property="og:url"', data).group(1).decode()
        fake.add(url, data, f"2019040{index % 9 + 1}120000")
        links.append(f'<a href="{url}">{index}</a>')
    links.append(f'<a href="{CORPUS_PROFILE}/issues/fudge-sunday-never-captured-170000">lost</a>')
    fake.add(CORPUS_PROFILE, ("<html><body>" + "".join(links) + "</body></html>").encode(), "20190501000000")
    base = fake.install(httpserver)
    result, out = _export(cli, base, tmp_path, f"wayback:{CORPUS_PROFILE}")
    assert result.exit_code == 1, result.output
    assert (f"skipped wayback:{CORPUS_PROFILE}: not captured by the web archive: "
            f"{CORPUS_PROFILE}/issues/fudge-sunday-never-captured-170000") in result.output
    saved = tmp_path / "saved"
    assert cli("export", corpus / "web" / "fudge-sunday", "--out", saved).exit_code == 0
    recovered = sorted(path.name for path in out.iterdir())
    assert len(recovered) == len(pages) == 8
    assert recovered == sorted(path.name for path in saved.iterdir())
    for name in recovered:
        assert (out / name).read_bytes() == (saved / name).read_bytes(), name


@pytest.mark.parametrize(("target", "site"), [
    (f"wayback:{PROFILE}", Site("www.getrevue.co", "gardennotes")),
    ("wayback:getrevue.co/profile/gardennotes/issues/x-1", Site("www.getrevue.co", "gardennotes")),
    ("wayback:gardennotes", Site("www.getrevue.co", "gardennotes")),
    ("wayback:https://News.Example.com/archive", Site("news.example.com")),
    ("WAYBACK:news.example.com", Site("news.example.com")),
])
def test_targets(target, site):
    assert parse_site(target) == site


@pytest.mark.parametrize("target", ["wayback:", "wayback:https://www.getrevue.co/", "wayback:ftp://x.example"])
def test_bad_targets_are_usage_errors(target):
    with pytest.raises(UsageError):
        parse_site(target)


def test_a_bad_target_is_one_line_and_exit_2(cli, tmp_path):
    result = cli("export", "wayback:https://www.getrevue.co/", "--out", tmp_path)
    assert result.exit_code == 2
    assert "a getrevue.co address must name the profile" in result.output


@pytest.mark.parametrize(("value", "expected"), [
    ("2023-01-18", "20230118000000"), ("2022-06", "20220601000000"), ("2021", "20210101000000"),
    ("20220102030405", "20220102030405"), (None, None),
])
def test_before_forms(value, expected):
    assert parse_before(value) == expected


def test_bad_before_is_exit_2(cli, tmp_path):
    result = cli("export", f"wayback:{PROFILE}", "--out", tmp_path, "--before", "last week")
    assert result.exit_code == 2 and "--before 'last week': expected a date" in result.output


def test_best_capture_prefers_issue_pages_then_the_latest():
    captures = [
        Capture("20220101000000", "https://n.example/archive/5", "200"),
        Capture("20200101000000", "https://n.example/issues/x-5", "200"),
        Capture("20210101000000", "https://n.example/issues/x-5", "200"),
    ]
    assert [c.timestamp for c in _best_first(captures)] == [
        "20210101000000", "20200101000000", "20220101000000"]


def test_only_unusable_captures_are_reported(httpserver):
    fake = FakeWayback()
    fake.add(SEEDLINGS, None, status="302")
    base = fake.install(httpserver)
    [item] = list(WaybackSource(f"wayback:{PROFILE}", wayback_url=base, rate=1000).issues())
    assert item == Skipped(f"wayback:{PROFILE}",
                           f"the web archive has no usable capture (status 302) of {SEEDLINGS}")


def test_a_capture_that_fails_falls_back_to_the_next_best(httpserver):
    fake = FakeWayback()
    fake.add(SEEDLINGS, _page(), "20210402153012")
    fake.add(SEEDLINGS, None, "20220101000000")
    base = fake.install(httpserver)
    [item, _missing_light] = list(WaybackSource(f"wayback:{PROFILE}", wayback_url=base, rate=1000).issues())
    assert isinstance(item, Issue) and item.id == 310900
    assert item.source == f"{base}/web/20210402153012/{SEEDLINGS}"


def test_every_request_waits_its_turn_and_cached_ones_do_not(httpserver, tmp_path):
    fake = _complete(FakeWayback())
    fake.add(SEEDLINGS, _page())
    base = fake.install(httpserver)
    sleeps: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:  # a clock that only moves when the limiter sleeps
        sleeps.append(seconds)
        now[0] += seconds

    def run() -> None:
        source = WaybackSource(f"wayback:{PROFILE}", wayback_url=base, cache_dir=tmp_path, rate=0.5)
        source.limiter = RateLimiter(0.5, clock=lambda: now[0], sleep=sleep)
        assert [type(item) for item in source.issues()] == [Issue, Issue]

    run()
    assert len(fake.requests) == 4 and sleeps == [2.0, 2.0, 2.0]
    run()
    assert len(fake.requests) == 4 and sleeps == [2.0, 2.0, 2.0]


def test_the_readme_documents_recovery_and_its_options():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Recovering an archive you never exported", 1)[1]
    for needle in ("wayback:", "--wayback-url", "--before", "--cache", "--rate", "--from", ".mbox", ".eml",
                   "requests per second", "not captured by the web archive"):
        assert needle in section, needle
