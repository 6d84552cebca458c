"""Image downloads reach public addresses only, at every hop, unless `--allow-private-hosts` is given.

The servers run on 127.0.0.1, which is never public. Where a test needs a host that counts
as public (the first hop of a redirect), it runs a real server on 127.0.0.2 and passes
`PublicOnly(is_public=...)` counting that one address as public: nothing public can run in
a test. Where it needs a name that resolves one way and then another (DNS rebinding), it
passes `PublicOnly(resolve=...)`: no real resolver can be made to lie on demand.
"""

from __future__ import annotations

import json
import socket
import struct
import zlib

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from revue2md.commands.export import export
from revue2md.commands.options import ExportOptions
from revue2md.hugo.images import image_options
from revue2md.net.addresses import PublicOnly, address_kind, is_public
from revue2md.net.http import HttpClient, RetryPolicy

FAST = RetryPolicy(attempts=1, backoff=0, timeout=2, deadline=5)


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + chunk(
        b"IDAT", zlib.compress(b"\x00\x01\x02\x03")) + chunk(b"IEND", b"")


def _issue(tmp_path, url: str):
    source = tmp_path / "issues.json"
    source.write_text(json.dumps([{"id": 1, "title": "Pictures", "sent_at": "2021-01-01T00:00:00Z",
                                   "html": f'<p>Hello</p><p><img src="{url}" alt="cat"></p>'}]), encoding="utf-8")
    return source


@pytest.fixture
def public_server():
    """A real server on 127.0.0.2: the address the tests' rule counts as public."""
    server = HTTPServer(host="127.0.0.2")
    server.start()
    yield server
    server.clear()
    server.stop()


def _counting_127_0_0_2_as_public(**kwargs) -> PublicOnly:
    return PublicOnly(is_public=lambda address: address == "127.0.0.2" or is_public(address), **kwargs)


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.0.0.1", "private"), ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1%eth0", "link-local"), ("fd00::1", "private"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"), ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"), ("100.64.0.1", "not globally routed"), ("::ffff:127.0.0.1", "loopback"),
    ("93.184.216.34", None), ("2606:4700::1", None),
])
def test_which_addresses_are_public(address, kind):
    assert address_kind(address) == kind


def test_a_loopback_image_is_refused_without_the_option_and_downloaded_with_it(cli, httpserver, tmp_path):
    httpserver.expect_request("/cat.png").respond_with_data(_png(), content_type="image/png")
    url = httpserver.url_for("/cat.png")
    source = _issue(tmp_path, url)

    refused = cli("export", source, "--out", tmp_path / "a", "--images", "download")
    assert refused.exit_code == 0, refused.output
    assert (f"image failed {source}#0: {url} kept as it is: 127.0.0.1 is not a public address (loopback): "
            "not fetched (--allow-private-hosts allows hosts of the local network)") in refused.stderr
    assert refused.stderr.count("\n") == 1
    assert f"![cat]({url})" in (tmp_path / "a" / "pictures" / "index.md").read_text(encoding="utf-8")
    assert not httpserver.log  # refused before any request was sent

    allowed = cli("export", source, "--out", tmp_path / "b", "--images", "download", "--allow-private-hosts")
    assert allowed.exit_code == 0, allowed.output
    assert "images: 1 downloaded" in allowed.stdout
    assert sorted(path.suffix for path in (tmp_path / "b" / "pictures").iterdir()) == [".md", ".png"]


def test_a_name_that_resolves_to_loopback_is_refused(cli, httpserver, tmp_path):
    httpserver.expect_request("/cat.png").respond_with_data(_png(), content_type="image/png")
    url = f"http://localhost:{httpserver.port}/cat.png"
    result = cli("export", _issue(tmp_path, url), "--out", tmp_path / "out", "--images", "download")
    assert "localhost (127.0.0.1) is not a public address (loopback)" in result.stderr \
        or "localhost (::1) is not a public address (loopback)" in result.stderr
    assert not httpserver.log


@pytest.mark.parametrize(("target", "refusal"), [
    ("LOOPBACK", "127.0.0.1 is not a public address (loopback)"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is not a public address (link-local)"),
    ("http://10.0.0.1/cat.png", "10.0.0.1 is not a public address (private)"),
    ("http://[::1]:9/cat.png", "::1 is not a public address (loopback)"),
])
def test_a_public_host_redirecting_to_a_private_one_is_refused_at_that_hop(public_server, httpserver, tmp_path,
                                                                          target, refusal):
    httpserver.expect_request("/cat.png").respond_with_data(_png(), content_type="image/png")
    location = httpserver.url_for("/cat.png") if target == "LOOPBACK" else target
    public_server.expect_request("/cat.png").respond_with_response(Response("", 302, {"Location": location}))
    source = _issue(tmp_path, public_server.url_for("/cat.png"))
    options = ExportOptions(images=image_options("download", policy=FAST))
    report = export([source], tmp_path / "out", options,
                    client_factory=lambda: HttpClient(FAST, public_only=_counting_127_0_0_2_as_public()))
    [image] = report.written[0].images
    assert image.status == "failed"
    assert refusal in image.reason
    assert len(public_server.log) == 1  # the first hop was fetched
    assert not httpserver.log  # the private one never was


def test_with_the_option_the_same_redirect_is_followed(cli, public_server, httpserver, tmp_path):
    httpserver.expect_request("/cat.png").respond_with_data(_png(), content_type="image/png")
    public_server.expect_request("/cat.png").respond_with_response(
        Response("", 302, {"Location": httpserver.url_for("/cat.png")}))
    source = _issue(tmp_path, public_server.url_for("/cat.png"))
    result = cli("export", source, "--out", tmp_path / "out", "--images", "download", "--allow-private-hosts")
    assert result.exit_code == 0, result.output
    assert "images: 1 downloaded" in result.stdout
    assert len(httpserver.log) == 1


def test_the_connection_goes_to_the_address_that_was_checked(public_server, tmp_path):
    """A name that answers a public address when checked, then a private one (rebinding), is
    fetched from the checked address: the connection never asks the name again."""
    public_server.expect_request("/cat.png").respond_with_data(_png(), content_type="image/png")
    answers = ["127.0.0.2"]

    def resolve(host, port, **kwargs):
        assert host == "rebinding.invalid"  # a name no real resolver knows
        address = answers.pop(0) if answers else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    client = HttpClient(FAST, public_only=_counting_127_0_0_2_as_public(resolve=resolve))
    response = client.get(f"http://rebinding.invalid:{public_server.port}/cat.png")
    assert response.status == 200 and response.content == _png()
    [(request, _)] = public_server.log
    assert request.headers["Host"] == f"rebinding.invalid:{public_server.port}"
    assert answers == []  # resolved once


def test_through_a_proxy_the_target_name_is_checked_first(cli, httpserver, tmp_path, monkeypatch):
    # The proxy is a real server on 127.0.0.1: the user chose it, so it is not refused.
    httpserver.expect_request("/cat.png").respond_with_data(_png(), content_type="image/png")
    for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", httpserver.url_for("/").rstrip("/"))
    monkeypatch.setenv("http_proxy", httpserver.url_for("/").rstrip("/"))
    private = _issue(tmp_path, "http://10.0.0.1/cat.png")
    result = cli("export", private, "--out", tmp_path / "a", "--images", "download")
    assert "10.0.0.1 is not a public address (private)" in result.stderr
    assert not httpserver.log

    unchecked = _issue(tmp_path, "http://unknown.invalid/cat.png")
    result = cli("export", unchecked, "--out", tmp_path / "c", "--images", "download")
    assert "unknown.invalid does not resolve here, so its address cannot be checked" in result.stderr
    assert not httpserver.log

    public = _issue(tmp_path, "http://93.184.216.34/cat.png")
    result = cli("export", public, "--out", tmp_path / "b", "--images", "download")
    assert result.exit_code == 0, result.output
    assert "images: 1 downloaded" in result.stdout
    [(request, _)] = httpserver.log
    assert request.headers["Host"] == "93.184.216.34"


def test_allowing_private_hosts_without_downloads_is_a_usage_error(cli, tmp_path):
    result = cli("export", _issue(tmp_path, "https://example.com/cat.png"), "--out", tmp_path / "out",
                 "--allow-private-hosts")
    assert result.exit_code == 2
    assert "--allow-private-hosts is for image downloads" in result.output


def test_the_api_reaches_the_address_the_user_gave(cli, httpserver, tmp_path):
    """Its URL comes from the command line, not from a source's content: a local mirror is fine
    (so is a local web archive, as every test of `wayback:` on 127.0.0.1 shows)."""
    httpserver.expect_request("/api/v2/issues").respond_with_json(
        [{"id": 1, "title": "Local", "html": "<p>Body</p>", "sent_at": "2021-01-01T00:00:00Z"}])
    result = cli("export", "api", "--api-url", httpserver.url_for("/api/v2"), "--out", tmp_path,
                 env={"REVUE_API_TOKEN": "t0ken"})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "local.md").is_file()
