"""Images downloaded into page bundles, from a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import struct
import threading
import time
import zlib
from pathlib import Path

import pytest
from conftest import FIXTURES
from helpers import render
from werkzeug import Response

from revue2md.commands.export import export
from revue2md.commands.options import ExportOptions
from revue2md.hugo.image_kinds import image_suffix
from revue2md.hugo.images import image_options, is_web_url, renditions, stable_stem
from revue2md.net.http import HttpClient, RetryPolicy


def tiny_png(seed: int = 0) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress(b"\x00" + bytes([seed % 256, 0, 0]))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + chunk(
        b"IDAT", pixels) + chunk(b"IEND", b"")


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
HTML_PAGE = b"<!DOCTYPE html><html><body>AccessDenied</body></html>"
FAST = RetryPolicy(attempts=3, backoff=0, timeout=2)


def _write_issues(path: Path, *issues: tuple[int, str]) -> Path:
    """Issues numbered n get Revue id 1000+n and the page `pictures-n`."""
    path.write_text(json.dumps([
        {"id": 1000 + n, "title": f"Pictures {n}", "html": html, "sent_at": "2021-01-01T00:00:00Z",
         "url": f"https://www.getrevue.co/profile/p/issues/pictures-{n}-{1000 + n}"}
        for n, html in issues
    ]), encoding="utf-8")
    return path


def _revue(server, rendition: str, name: str, item: str = "001/002/003") -> str:
    return server.url_for(f"/revue/items/images/{item}/{rendition}/{name}") + "?1600000000"


def _one_issue_with_three_images(httpserver, tmp_path) -> tuple[Path, list[str]]:
    """A link item's thumbnail, an image item with a caption, and an image inside a text item."""
    thumb = _revue(httpserver, "thumb", "pic.jpg")
    figure = _revue(httpserver, "original", "chart.png", "004/005/006")
    inline = httpserver.url_for("/media/photo.png")
    html = (
        f'<p><img width="140" height="140" alt="Thumb" src="{thumb}" />'
        '<strong style="display: block;"><a href="https://blog.example.org/post">A post</a></strong>Description</p>'
        '<div style="clear: both;"></div>'
        f'[caption align="alignnone" width="980"]<img alt="" src="{figure}" />A chart[/caption]'
        f'<p><p>Text with a picture <img alt="photo" src="{inline}"></p></p>'
    )
    return _write_issues(tmp_path / "issues.json", (1, html)), [thumb, figure, inline]


def _export(source, out, client_factory=None, **images):
    images.setdefault("policy", FAST)
    images.setdefault("allow_private_hosts", True)  # the test server is on 127.0.0.1
    options = ExportOptions(images=image_options(**{"mode": "download", **images}))
    return export([source], out, options, client_factory=client_factory)


def test_every_image_ends_up_in_the_bundle_and_the_page_points_at_it(httpserver, tmp_path):
    httpserver.expect_request("/revue/items/images/001/002/003/original/pic.jpg").respond_with_data(
        JPEG, content_type="image/jpeg")
    httpserver.expect_request("/revue/items/images/004/005/006/original/chart.png").respond_with_data(
        tiny_png(1), content_type="image/png")
    httpserver.expect_request("/media/photo.png").respond_with_data(tiny_png(2), content_type="image/png")
    source, _ = _one_issue_with_three_images(httpserver, tmp_path)
    out = tmp_path / "out"
    report = _export(source, out)

    page = out / "pictures-1" / "index.md"
    assert [w.path for w in report.written] == [str(page)]
    written = report.written[0]
    assert [i.status for i in written.images] == ["downloaded"] * 3
    assert [i.rendition for i in written.images] == ["original", "original", None]
    bundle_files = sorted(p.name for p in page.parent.iterdir() if p.name != "index.md")
    assert len(bundle_files) == 3
    assert sorted(Path(f).name for f in written.files[1:]) == bundle_files
    assert written.files[0] == str(page)
    body = page.read_text(encoding="utf-8")
    assert "127.0.0.1" not in body
    from bs4 import BeautifulSoup

    sources = [img["src"] for img in BeautifulSoup(render(body), "lxml").find_all("img")]
    assert sorted(sources) == bundle_files
    assert (page.parent / sources[0]).read_bytes()[:3] in (JPEG[:3], tiny_png()[:3])
    assert "pic-" in body and ".jpg" in body and "chart-" in body and "photo-" in body
    assert "_A chart_" in body


def test_a_second_run_makes_no_request_and_changes_no_byte(httpserver, tmp_path):
    httpserver.expect_request("/revue/items/images/001/002/003/original/pic.jpg").respond_with_data(JPEG)
    httpserver.expect_request("/revue/items/images/004/005/006/original/chart.png").respond_with_data(tiny_png())
    httpserver.expect_request("/media/photo.png").respond_with_data(tiny_png(3))
    source, _ = _one_issue_with_three_images(httpserver, tmp_path)
    out = tmp_path / "out"
    _export(source, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert len(httpserver.log) == 3
    httpserver.clear_log()

    report = _export(source, out)
    assert len(httpserver.log) == 0
    assert [i.status for i in report.written[0].images] == ["reused"] * 3
    assert not report.written[0].changed
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert len(report.written[0].files) == 4


def test_a_missing_image_keeps_its_url_and_is_reported(httpserver, tmp_path, cli):
    httpserver.expect_request("/gone.png").respond_with_data("Not Found", status=404)
    httpserver.expect_request("/fine.png").respond_with_data(tiny_png())
    gone, fine = httpserver.url_for("/gone.png"), httpserver.url_for("/fine.png")
    source = _write_issues(tmp_path / "i.json",
                           (5, f'<p><p><img alt="a" src="{gone}"> <img alt="b" src="{fine}"></p></p>'))
    out = tmp_path / "out"
    result = cli("export", source, "--out", out, "--images", "download", "--allow-private-hosts", "-q")
    assert result.exit_code == 0, result.output
    assert f"image failed {source}#0: {gone} kept as it is: HTTP 404" in result.stderr
    assert "images: 1 downloaded, 1 failed" in result.stdout
    body = (out / "pictures-5" / "index.md").read_text(encoding="utf-8")
    assert f"![a]({gone})" in body
    assert "![b](fine-" in body
    assert [p.name for p in (out / "pictures-5").iterdir() if p.suffix == ".png"] == [
        stable_stem(fine) + ".png"]


def test_an_image_that_times_out_once_is_tried_again(httpserver, tmp_path):
    calls = []

    def slow_then_fast(request):
        calls.append(time.monotonic())
        if len(calls) == 1:
            time.sleep(0.8)
        return Response(tiny_png(), content_type="image/png")

    httpserver.expect_request("/slow.png").respond_with_handler(slow_then_fast)
    url = httpserver.url_for("/slow.png")
    source = _write_issues(tmp_path / "i.json", (6, f'<p><p><img alt="" src="{url}"></p></p>'))
    report = _export(source, tmp_path / "out", policy=RetryPolicy(attempts=4, backoff=0.5, timeout=0.5))
    assert [i.status for i in report.written[0].images] == ["downloaded"]
    assert len(calls) >= 2


def test_a_429_with_retry_after_is_honoured(httpserver, tmp_path):
    httpserver.expect_ordered_request("/busy.png").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "3"}))
    httpserver.expect_ordered_request("/busy.png").respond_with_data(tiny_png(), content_type="image/png")
    url = httpserver.url_for("/busy.png")
    source = _write_issues(tmp_path / "i.json", (7, f'<p><p><img alt="" src="{url}"></p></p>'))
    waits = []
    report = _export(source, tmp_path / "out",
                     client_factory=lambda: HttpClient(RetryPolicy(attempts=3), sleep=waits.append))
    assert waits == [3.0]
    assert [i.status for i in report.written[0].images] == ["downloaded"]


def test_an_html_page_served_as_an_image_is_a_failure(httpserver, tmp_path):
    httpserver.expect_request("/fake.jpg").respond_with_data(HTML_PAGE, content_type="image/jpeg")
    url = httpserver.url_for("/fake.jpg")
    source = _write_issues(tmp_path / "i.json", (8, f'<p><p><img alt="x" src="{url}"></p></p>'))
    out = tmp_path / "out"
    report = _export(source, out)
    image = report.written[0].images[0]
    assert image.status == "failed" and image.reason == "not an image: an HTML page (image/jpeg)"
    assert [p.name for p in (out / "pictures-8").iterdir()] == ["index.md"]
    assert f"![x]({url})" in (out / "pictures-8" / "index.md").read_text(encoding="utf-8")


def test_an_oversized_image_is_a_failure(httpserver, tmp_path):
    httpserver.expect_request("/huge.png").respond_with_data(tiny_png() + b"\x00" * 20_000)
    url = httpserver.url_for("/huge.png")
    source = _write_issues(tmp_path / "i.json", (9, f'<p><p><img alt="x" src="{url}"></p></p>'))
    report = _export(source, tmp_path / "out", max_mb=0.01)
    image = report.written[0].images[0]
    assert image.status == "failed" and "10485-byte limit" in image.reason
    assert len(httpserver.log) == 1


def test_a_missing_original_falls_back_to_the_next_rendition_and_says_which(httpserver, tmp_path, cli):
    httpserver.expect_request("/revue/items/images/001/002/003/original/pic.jpg").respond_with_data("no", status=403)
    httpserver.expect_request("/revue/items/images/001/002/003/web/pic.jpg").respond_with_data(
        HTML_PAGE, content_type="text/html")
    httpserver.expect_request("/revue/items/images/001/002/003/mail/pic.jpg").respond_with_data(JPEG)
    url = _revue(httpserver, "thumb", "pic.jpg")
    source = _write_issues(tmp_path / "i.json", (10, f'<p><p><img alt="" src="{url}"></p></p>'))
    result = cli("export", source, "--out", tmp_path / "out", "--images", "download", "--allow-private-hosts")
    assert result.exit_code == 0
    assert f"image {url}: took the 'mail' rendition, the original did not answer" in result.stderr
    assert [entry[0].path.split("/")[-2] for entry in httpserver.log] == ["original", "web", "mail"]


def test_an_oversized_original_falls_back_to_a_smaller_rendition(httpserver, tmp_path):
    httpserver.expect_request("/revue/items/images/001/002/003/original/pic.jpg").respond_with_data(
        JPEG + b"\x00" * 20_000)
    httpserver.expect_request("/revue/items/images/001/002/003/web/pic.jpg").respond_with_data(JPEG)
    url = _revue(httpserver, "original", "pic.jpg")
    source = _write_issues(tmp_path / "i.json", (11, f'<p><p><img alt="" src="{url}"></p></p>'))
    report = _export(source, tmp_path / "out", max_mb=0.01)
    assert [(i.status, i.rendition) for i in report.written[0].images] == [("downloaded", "web")]


def test_redirects_are_followed_to_http_only(httpserver, tmp_path):
    httpserver.expect_request("/moved.png").respond_with_response(
        Response("", status=302, headers={"Location": "/real.png"}))
    httpserver.expect_request("/real.png").respond_with_data(tiny_png())
    httpserver.expect_request("/sneaky.png").respond_with_response(
        Response("", status=302, headers={"Location": "file:///etc/passwd"}))
    moved, sneaky = httpserver.url_for("/moved.png"), httpserver.url_for("/sneaky.png")
    source = _write_issues(tmp_path / "i.json", (12, f'<p><p><img alt="" src="{moved}"><img alt="" src="{sneaky}">'
                                                     '</p></p>'))
    report = _export(source, tmp_path / "out")
    moved_result, sneaky_result = report.written[0].images
    assert moved_result.status == "downloaded"
    assert sneaky_result.status == "failed" and "refused to fetch a non-web URL: file:" in sneaky_result.reason
    assert sorted(entry[0].path for entry in httpserver.log) == ["/moved.png", "/real.png", "/sneaky.png"]


def test_non_web_image_urls_are_never_fetched(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(tiny_png())
    source = _write_issues(tmp_path / "i.json", (13, f'<p><p>A <img alt="local" src="file://{secret}"> B</p></p>'))
    out = tmp_path / "out"
    report = _export(source, out)
    assert report.written[0].images == ()
    body = (out / "pictures-13" / "index.md").read_text(encoding="utf-8")
    assert "file:" not in body and "A local B" in body
    assert any("dropped" in note for note in report.written[0].notes)


def test_the_same_image_in_two_pages_is_fetched_once_into_both_bundles(httpserver, tmp_path):
    httpserver.expect_request("/shared.png").respond_with_data(tiny_png())
    url = httpserver.url_for("/shared.png")
    source = _write_issues(tmp_path / "i.json", (14, f'<p><p><img alt="" src="{url}"></p></p>'),
                           (15, f'<p><p><img alt="" src="{url}"></p></p>'))
    out = tmp_path / "out"
    report = _export(source, out)
    assert len(httpserver.log) == 1
    name = stable_stem(url) + ".png"
    assert (out / "pictures-14" / name).is_file() and (out / "pictures-15" / name).is_file()
    assert [w.images[0].status for w in report.written] == ["downloaded", "downloaded"]


def test_an_image_cache_serves_another_output_folder_without_requests(httpserver, tmp_path):
    httpserver.expect_request("/c.png").respond_with_data(tiny_png())
    url = httpserver.url_for("/c.png")
    source = _write_issues(tmp_path / "i.json", (16, f'<p><p><img alt="" src="{url}"></p></p>'))
    cache = tmp_path / "cache"
    _export(source, tmp_path / "a", cache=cache)
    assert len(httpserver.log) == 1
    report = _export(source, tmp_path / "b", cache=cache)
    assert len(httpserver.log) == 1
    assert report.written[0].images[0].status == "reused"
    assert (tmp_path / "b" / "pictures-16" / (stable_stem(url) + ".png")).read_bytes() == tiny_png()


def test_flat_layout_puts_images_in_the_static_folder(httpserver, tmp_path, cli):
    httpserver.expect_request("/s.png").respond_with_data(tiny_png())
    url = httpserver.url_for("/s.png")
    source = _write_issues(tmp_path / "i.json", (17, f'<p><p><img alt="s" src="{url}"></p></p>'))
    site = tmp_path / "site"
    static = site / "static" / "images" / "newsletter"
    result = cli("export", source, "--out", site / "content" / "issues", "--images", "download",
                 "--layout", "flat", "--static-dir", static, "--allow-private-hosts")
    assert result.exit_code == 0, result.output
    name = stable_stem(url) + ".png"
    assert (static / name).read_bytes() == tiny_png()
    body = (site / "content" / "issues" / "pictures-17.md").read_text(encoding="utf-8")
    assert f"![s](/images/newsletter/{name})" in body


@pytest.mark.parametrize(("args", "message"), [
    (("--images", "download", "--layout", "flat"), "--images download with --layout flat needs --static-dir"),
    (("--layout", "flat", "--static-dir", "elsewhere"), "must be the site's static/ folder or a folder inside it"),
    (("--layout", "bundle", "--static-dir", "site/static"), "--static-dir goes with --layout flat"),
])
def test_image_option_mistakes_are_usage_errors(cli, tmp_path, args, message):
    result = cli("export", FIXTURES / "api" / "single.json", "--out", tmp_path, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_keep_mode_makes_no_request_and_hints_at_download(httpserver, tmp_path, cli):
    url = httpserver.url_for("/k.png")
    source = _write_issues(tmp_path / "i.json", (18, f'<p><p><img alt="k" src="{url}"></p></p>'))
    result = cli("export", source, "--out", tmp_path / "out")
    assert result.exit_code == 0
    assert "hint: 1 image still loads from remote URLs; --images download copies them" in result.stderr
    assert len(httpserver.log) == 0
    assert f"![k]({url})" in (tmp_path / "out" / "pictures-18.md").read_text(encoding="utf-8")


# --- saved web pages: local files ---------------------------------------------------------------


def _saved_page(tmp_path: Path, with_file: bool, og_image: str | None = None) -> Path:
    folder = tmp_path / "saved"
    folder.mkdir()
    html = (FIXTURES / "web" / "classic-2019.html").read_text(encoding="utf-8")
    if og_image:
        html = html.replace("<head>", f'<head><meta content="{og_image}" property="og:image">', 1)
    (folder / "page.html").write_text(html, encoding="utf-8")
    if with_file:
        (folder / "index_files").mkdir()
        (folder / "index_files" / "maxresdefault.jpg").write_bytes(JPEG)
    return folder / "page.html"


def test_local_files_of_a_saved_page_are_copied_into_the_bundle_without_network(tmp_path, cli):
    page = _saved_page(tmp_path, with_file=True)
    out = tmp_path / "out"
    result = cli("export", page, "--out", out, "--layout", "bundle")
    assert result.exit_code == 0, result.output
    bundle = out / "example-weekly-issue-3-snakes"
    copies = [p for p in bundle.iterdir() if p.name != "index.md"]
    assert len(copies) == 1 and copies[0].read_bytes() == JPEG and copies[0].name.startswith("maxresdefault-")
    body = (bundle / "index.md").read_text(encoding="utf-8")
    assert f"[![Intro to Mixer: Stage Snake]({copies[0].name})](https://www.youtube.com/watch?v=3xNAtbXmDI8)" in body
    assert "index_files" not in body
    assert "images: 1 copied" in result.stdout


def test_a_missing_local_file_falls_back_to_the_og_image_of_the_same_name(tmp_path, cli):
    original = "https://s3.amazonaws.com/revue/items/images/004/000/009/original/maxresdefault.jpg?1552275200"
    page = _saved_page(tmp_path, with_file=False, og_image=original)
    out = tmp_path / "out"
    result = cli("export", page, "--out", out)
    assert result.exit_code == 0
    body = (out / "example-weekly-issue-3-snakes.md").read_text(encoding="utf-8")
    assert f"[![Intro to Mixer: Stage Snake]({original})](https://www.youtube.com/watch?v=3xNAtbXmDI8)" in body
    assert "local image ./index_files/maxresdefault.jpg: file not found; linked to " + original in result.stderr


def test_a_missing_local_file_without_a_known_url_is_dropped_and_reported(tmp_path, cli):
    page = _saved_page(tmp_path, with_file=False)
    result = cli("export", page, "--out", tmp_path / "out")
    assert result.exit_code == 0
    body = (tmp_path / "out" / "example-weekly-issue-3-snakes.md").read_text(encoding="utf-8")
    assert "index_files" not in body and "maxresdefault" not in body
    assert "local image dropped (file not found; alt text kept): ./index_files/maxresdefault.jpg" in result.stderr


def test_a_local_file_in_flat_layout_without_static_folder_is_not_left_dangling(tmp_path, cli):
    page = _saved_page(tmp_path, with_file=True)
    result = cli("export", page, "--out", tmp_path / "out")
    body = (tmp_path / "out" / "example-weekly-issue-3-snakes.md").read_text(encoding="utf-8")
    assert "index_files" not in body
    assert "no folder to copy them to (--layout bundle or --static-dir gives one)" in result.stderr


def test_local_references_outside_the_saved_page_folder_are_not_read(tmp_path, cli):
    (tmp_path / "private.png").write_bytes(tiny_png())
    page = _saved_page(tmp_path, with_file=False)
    page.write_text(page.read_text(encoding="utf-8").replace("./index_files/maxresdefault.jpg", "../private.png"),
                    encoding="utf-8")
    out = tmp_path / "out"
    result = cli("export", page, "--out", out, "--layout", "bundle")
    assert "outside the saved page's folder" in result.stderr
    assert [p.name for p in (out / "example-weekly-issue-3-snakes").iterdir()] == ["index.md"]


# --- small parts ---------------------------------------------------------------------------------


def test_renditions_are_tried_best_first_and_share_one_file_name():
    url = "https://s3.amazonaws.com/revue/items/images/011/288/564/thumb/part_2.jpg?1632421783"
    assert [name for name, _ in renditions(url)] == ["original", "web", "mail", "thumb"]
    assert renditions(url)[0][1] == url.replace("/thumb/", "/original/")
    names = {stable_stem(candidate) for _, candidate in renditions(url)} | {stable_stem(url.split("?")[0])}
    assert len(names) == 1 and names.pop().startswith("part_2-")
    assert renditions("https://example.org/a.png") == [(None, "https://example.org/a.png")]
    assert stable_stem("https://e.org/img.php?id=1") != stable_stem("https://e.org/img.php?id=2")
    assert stable_stem("https://e.org/x/0*tN48BjSXKYQJyDIn") .startswith("0-tN48BjSXKYQJyDIn-")


@pytest.mark.parametrize(("data", "suffix"), [
    (JPEG, ".jpg"), (tiny_png(), ".png"), (b"GIF89a" + b"\x00" * 20, ".gif"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", ".webp"), (b"\x00\x00\x00\x1cftypavif\x00\x00", ".avif"),
    (b'<?xml version="1.0"?>\n<!-- c --><svg xmlns="http://www.w3.org/2000/svg"></svg>', ".svg"),
    (HTML_PAGE, None), (b"", None), (b'{"error": "no"}', None), (b"<svgx>", None),
])
def test_image_bytes_are_recognised_by_their_signature(data, suffix):
    assert image_suffix(data) == suffix


def test_downloads_run_in_parallel_with_at_most_jobs_at_once(tmp_path):
    """A threaded local server counts how many requests it holds at the same time."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    state = {"now": 0, "most": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            with lock:
                state["now"] += 1
                state["most"] = max(state["most"], state["now"])
            time.sleep(0.05)
            with lock:
                state["now"] -= 1
            body = tiny_png(len(self.path))
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        images = "".join(f'<img alt="" src="{base}/{n}.png">' for n in range(12))
        source = _write_issues(tmp_path / "i.json", (19, f"<p><p>{images}</p></p>"))
        report = _export(source, tmp_path / "out", jobs=3)
    finally:
        server.shutdown()
        server.server_close()
    assert [i.status for i in report.written[0].images] == ["downloaded"] * 12
    assert 2 <= state["most"] <= 3


def test_written_files_are_listed_for_flat_pages_too(tmp_path):
    source = shutil.copy(FIXTURES / "api" / "single.json", tmp_path / "single.json")
    report = export([source], tmp_path / "out", ExportOptions())
    assert report.written[0].files == (report.written[0].path,)


@pytest.mark.parametrize("url", [
    "https://cdn.getrevue.co/a.png", "http://x.com/a b.png", "HTTPS://X.COM/a.png", " https://x.com/a.png",
    "https://[x/a.png", "http://[::1]/a.png", "https://x.com]/a.png", "https://ex\u00e4mple.com/a.png",
    "https://x\uff0fy.com/a.png", "http://x.com/\u00e9.png", "https:x.com", "http:/x", "ftp://x.com/a.png",
    "data:image/png;base64,AAAA", "javascript:alert(1)", "//x.com/a.png", "a.png", "", "http://\nx.com/a.png",
])
def test_is_web_url_answers_as_urlsplit_does(url):
    from urllib.parse import urlsplit

    try:
        expected = urlsplit(url).scheme.lower() in ("http", "https")
    except ValueError:
        expected = False
    assert is_web_url(url) is expected
