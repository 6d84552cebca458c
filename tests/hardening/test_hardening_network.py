"""Network sources: every request ends by its deadline, and one bad answer costs only itself."""

from __future__ import annotations

import json
import re
import socket
import threading
import time

import pytest
from werkzeug import Response

from revue2md.errors import FetchError
from revue2md.models import Issue, Skipped
from revue2md.net.http import HttpClient, RetryPolicy, retry_after_seconds
from revue2md.sources.api import ApiSource
from revue2md.sources.wayback import WaybackSource, captures_from_rows

PROFILE = "https://www.getrevue.co/profile/slow"


class DripServer:
    """A server on 127.0.0.1 that answers every request one header line at a time, forever."""

    def __init__(self, interval: float = 0.2, body: bool = False):
        self.interval = interval
        self.body = body
        self.stop = threading.Event()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.listener.settimeout(0.2)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._drip, args=(connection,), daemon=True).start()

    def _drip(self, connection: socket.socket) -> None:
        try:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\n")
            if self.body:
                connection.sendall(b"Content-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
            for n in range(200):  # bounded: at most 200 sends, then the connection closes
                if self.stop.is_set():
                    break
                connection.sendall(b"x" if self.body else b"X-Slow-%d: 1\r\n" % n)
                time.sleep(self.interval)
        except OSError:
            pass
        finally:
            connection.close()

    def close(self) -> None:
        self.stop.set()
        self.listener.close()
        self.thread.join(5)


@pytest.fixture(params=["headers", "body"])
def drip(request):
    server = DripServer(body=request.param == "body")
    yield server
    server.close()


DEADLINE = 1.0


def test_a_request_to_a_server_that_never_finishes_ends_at_its_deadline(drip):
    client = HttpClient(RetryPolicy(attempts=2, backoff=0, timeout=5, deadline=DEADLINE), sleep=lambda _: None)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"gave up after 2 attempts \(no complete answer within the 1 s deadline\)"):
        client.get(drip.url + "/issues")
    # Two attempts of one deadline each, and some slack for a busy machine; never the 40 s of the drip.
    assert time.monotonic() - started < 2 * DEADLINE + 10


def test_the_api_source_gives_up_on_a_dripping_server_by_its_deadline(drip):
    source = ApiSource(drip.url + "/api/v2", "t0ken", attempts=1, deadline=DEADLINE, sleep=lambda _: None)
    started = time.monotonic()
    with pytest.raises(FetchError, match="deadline"):
        list(source.issues())
    assert time.monotonic() - started < DEADLINE + 10


def test_a_web_archive_capture_that_drips_is_reported_and_the_run_ends(drip):
    client = HttpClient(RetryPolicy(attempts=1, deadline=DEADLINE), sleep=lambda _: None)
    source = WaybackSource(f"wayback:{PROFILE}", wayback_url=drip.url, client=client, rate=1000)
    started = time.monotonic()
    items = list(source.issues())
    assert time.monotonic() - started < 3 * DEADLINE + 10
    assert len(items) == 1 and isinstance(items[0], Skipped)
    assert "deadline" in items[0].reason


def test_an_image_download_that_drips_fails_alone_by_its_deadline(drip, tmp_path):
    from revue2md.commands.export import ExportOptions, export
    from revue2md.hugo.images import image_options

    source = tmp_path / "issue.json"
    source.write_text(json.dumps([{"id": 1, "title": "Pictures", "sent_at": "2021-01-01T00:00:00Z",
                                   "html": f'<p>Hello</p><p><img src="{drip.url}/cat.png" alt="cat"></p>'}]))
    options = ExportOptions(images=image_options("download", policy=RetryPolicy(attempts=1, deadline=DEADLINE),
                                                 allow_private_hosts=True))
    started = time.monotonic()
    report = export([source], tmp_path / "out", options)
    assert time.monotonic() - started < 2 * DEADLINE + 10
    assert len(report.written) == 1
    assert [image.status for image in report.written[0].images] == ["failed"]
    assert "deadline" in report.written[0].images[0].reason


@pytest.mark.parametrize("value", ["²", "٣", "1e3", "-1", " 12 ", "99999999999999999999"])
def test_retry_after_takes_ascii_digits_only(value):
    seconds = retry_after_seconds(value)
    assert seconds is None or seconds == 12.0


def test_a_strange_retry_after_header_is_only_a_missing_hint(httpserver):
    httpserver.expect_ordered_request("/x").respond_with_response(Response("busy", 503, {"Retry-After": "²"}))
    httpserver.expect_ordered_request("/x").respond_with_data("ok")
    client = HttpClient(RetryPolicy(attempts=2, backoff=0), sleep=lambda _: None)
    assert client.get(httpserver.url_for("/x")).content == b"ok"


ISSUES = [{"id": n, "title": f"Issue {n}", "html": f"<p>Body {n}</p>", "sent_at": f"2021-01-0{n}T00:00:00Z",
           "url": f"https://news.example.com/issues/issue-{n}-{n}"} for n in (1, 2, 3)]


@pytest.mark.parametrize("account", [
    Response("oops", status=500),
    Response("<html><title>Maintenance</title></html>", content_type="text/html"),
    Response("denied", status=401),
])
def test_a_failing_accounts_me_costs_only_the_profile_aliases(cli, httpserver, tmp_path, account):
    httpserver.expect_request("/api/v2/issues").respond_with_json(ISSUES)
    httpserver.expect_request("/api/v2/accounts/me").respond_with_response(account)
    result = cli("export", "api", "--api-url", httpserver.url_for("/api/v2"), "--max-wait", "0",
                 "--out", tmp_path, env={"REVUE_API_TOKEN": "t0ken"})
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("*.md"))) == 3


# --- the web archive -------------------------------------------------------------------------

def _page(issue_id: int, links: str = "") -> bytes:
    return (f'<html><head><title>Slow news {issue_id}</title></head><body><div id="issue-frame">'
            f'<header><h1>Slow news {issue_id}</h1></header><p>Body of {issue_id}. {links}</p>'
            f'</div></body></html>').encode()


def _issue_url(issue_id: int) -> str:
    return f"{PROFILE}/issues/slow-news-{issue_id}-{issue_id}"


def _archive(httpserver, rows: list[list[str]], pages: dict[str, bytes]) -> str:
    def handle(request):
        if request.path == "/cdx/search/cdx":
            pattern = request.args["url"]
            listed = [rows[0]] + [row for row in rows[1:] if ("/issues/" in pattern) == ("/issues/" in row[-1])]
            return Response(json.dumps(listed), content_type="application/json")
        for original, body in pages.items():
            if request.full_path.rstrip("?").endswith("id_/" + original):
                return Response(body, content_type="text/html")
        return Response("Not Found", status=404)

    httpserver.expect_request("/cdx/search/cdx").respond_with_handler(handle)
    httpserver.expect_request(re.compile("^/web/.*")).respond_with_handler(handle)
    return httpserver.url_for("/").rstrip("/")


def test_a_malformed_link_or_timestamp_in_the_archive_costs_only_itself(httpserver):
    # Columns in another order than asked for: they are read by the header the server sends.
    header = ["statuscode", "mimetype", "timestamp", "original"]
    rows = [header] + [["200", "text/html", "20210101000000", _issue_url(n)] for n in range(1, 6)]
    rows.append(["200", "text/html", "2021²", _issue_url(6)])
    rows.append(["200", "text/html", "20210101000000", PROFILE])
    pages = {_issue_url(n): _page(n, '<a href="http://[x">broken</a>') for n in range(1, 6)}
    pages[PROFILE] = b'<html><body><a href="http://[x/issues/y-7">bad</a></body></html>'
    base = _archive(httpserver, rows, pages)
    client = HttpClient(RetryPolicy(attempts=1), sleep=lambda _: None)
    items = list(WaybackSource(f"wayback:{PROFILE}", wayback_url=base, client=client, rate=1000).issues())
    assert sorted(item.id for item in items if isinstance(item, Issue)) == [1, 2, 3, 4, 5], items
    assert not [item for item in items if isinstance(item, Skipped)]


def test_the_cdx_columns_are_read_by_the_header_row():
    rows = [["original", "timestamp", "mimetype", "statuscode"], ["https://a.example/issues/x-1", "2021", "", "200"]]
    assert [(c.timestamp, c.original, c.status) for c in captures_from_rows(rows)] == [
        ("2021", "https://a.example/issues/x-1", "200")]
    assert captures_from_rows([["20210101", "https://a.example/issues/x-1", "200", "text/html"]])[0].status == "200"


def test_wayback_with_no_capture_says_so_and_fails(cli, httpserver, tmp_path):
    base = _archive(httpserver, [["timestamp", "original", "statuscode", "mimetype"]], {})
    result = cli("export", f"wayback:{PROFILE}", "--wayback-url", base, "--out", tmp_path)
    assert result.exit_code == 1, result.output
    assert f"skipped wayback:{PROFILE}: the web archive has no capture of an issue of this newsletter" in result.output


# --- --http-deadline -------------------------------------------------------------------------

@pytest.fixture
def slow():
    """One byte of body every 0.5 s, for 100 s: only a deadline ends a request to it."""
    server = DripServer(interval=0.5, body=True)
    yield server
    server.close()


def test_the_http_deadline_option_bounds_each_attempt_of_the_api(cli, slow, tmp_path):
    result = cli("export", "api", "--api-url", slow.url + "/api/v2", "--max-wait", "0", "--http-deadline", "0.8",
                 "--out", tmp_path, env={"REVUE_API_TOKEN": "t0ken"})
    assert result.exit_code == 1, result.output
    assert result.stderr == (f"revue2md: GET {slow.url}/api/v2/issues: gave up after 5 attempts "
                             "(no complete answer within the 0.8 s deadline)\n")


def test_the_http_deadline_option_bounds_image_downloads_and_the_web_archive(cli, slow, tmp_path):
    source = tmp_path / "issue.json"
    source.write_text(json.dumps([{"id": 1, "title": "Pictures", "sent_at": "2021-01-01T00:00:00Z",
                                   "html": f'<p>Hi</p><p><img src="{slow.url}/cat.png" alt="cat"></p>'}]))
    result = cli("export", source, "--out", tmp_path / "a", "--images", "download", "--allow-private-hosts",
                 "--image-jobs", "1", "--http-deadline", "0.8")
    assert result.exit_code == 0, result.output
    url = f"{slow.url}/cat.png"
    assert f"{url} kept as it is: GET {url}: gave up after 5 attempts (no complete answer within the 0.8 s " \
        "deadline)" in result.stderr

    result = cli("list", f"wayback:{PROFILE}", "--wayback-url", slow.url, "--rate", "1000", "--http-deadline", "0.8")
    assert result.exit_code == 1, result.output
    assert "within the 0.8 s deadline" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "-inf"])
def test_a_bad_http_deadline_is_a_usage_error(cli, tmp_path, value):
    result = cli("list", "api", "--http-deadline", value, env={"REVUE_API_TOKEN": "t0ken"})
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"revue2md: --http-deadline {float(value)}: use a number of seconds above 0")
    assert result.output.count("\n") == 1
