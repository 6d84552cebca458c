"""Real 301 redirects from the pages' aliases: every format, the URL Hugo publishes, a real nginx."""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ROOT

from revue2md.hugo.redirects import (
    PageAliases,
    default_base_path,
    page_url,
    parse_target,
    plan_redirects,
    render_redirects,
)

EXAMPLES = ROOT / "examples" / "archive"


def test_page_urls_as_hugo_publishes_them():
    assert page_url("issue-7.md", "/newsletter/") == "/newsletter/issue-7/"
    assert page_url("issue-7/index.md", "/newsletter/") == "/newsletter/issue-7/"
    assert page_url("2021/Issue-7.md", "/") == "/2021/issue-7/"
    assert default_base_path(Path("/site/content/posts/newsletter")) == "/posts/newsletter/"
    assert default_base_path(Path("/tmp/export")) == "/export/"


def test_plan_sorts_skips_drafts_and_unsafe_aliases_and_keeps_the_first_claim():
    pages = [PageAliases("b.md", ("/old/b", "/shared")), PageAliases("a.md", ("/old/a", "/shared")),
             PageAliases("d.md", ("/old/d",), draft=True), PageAliases("e.md", ('/x"; return 302 http://t;',))]
    plan = plan_redirects(pages, "/n/")
    assert [(r.alias, r.target) for r in plan.redirects] == [("/old/a", "/n/a/"), ("/old/b", "/n/b/"),
                                                             ("/shared", "/n/a/")]
    assert any("already leads to /n/a/" in note for note in plan.notes)
    assert any("left out" in note for note in plan.notes)


def test_every_format():
    plan = plan_redirects([PageAliases("a.md", ("/old/a", "/old/a.html"))], "/n/")
    assert render_redirects("netlify", plan.redirects).splitlines()[1:] == ["/old/a /n/a/ 301",
                                                                            "/old/a.html /n/a/ 301"]
    assert render_redirects("apache", plan.redirects).splitlines()[1:] == ["Redirect 301 /old/a /n/a/",
                                                                           "Redirect 301 /old/a.html /n/a/"]
    assert render_redirects("nginx", plan.redirects).splitlines()[2:] == [
        "location = /old/a { return 301 /n/a/; }", "location = /old/a/ { return 301 /n/a/; }",
        "location = /old/a.html { return 301 /n/a/; }"]
    assert render_redirects("caddy", plan.redirects).splitlines()[2:] == [
        "redir /old/a /n/a/ 301", "redir /old/a/ /n/a/ 301", "redir /old/a.html /n/a/ 301"]
    assert json.loads(render_redirects("vercel", plan.redirects)) == {"redirects": [
        {"source": "/old/a", "destination": "/n/a/", "statusCode": 301},
        {"source": "/old/a.html", "destination": "/n/a/", "statusCode": 301}]}


def test_bad_format_is_one_clear_line(cli, tmp_path):
    result = cli("export", EXAMPLES, "--out", tmp_path / "out", "--redirects", "iis")
    assert result.exit_code == 2
    assert "--redirects 'iis': the format is one of netlify, nginx, apache, caddy, vercel" in result.output
    assert parse_target("netlify").file == Path("_redirects")


def test_sync_keeps_the_file_up_to_date_and_check_notices_a_stale_one(cli, tmp_path):
    out = tmp_path / "site" / "content" / "newsletter"
    file = tmp_path / "_redirects"
    result = cli("sync", EXAMPLES, "--out", out, "--redirects", f"netlify={file}")
    assert result.exit_code == 0, result.output
    lines = file.read_text().splitlines()[1:]
    assert lines and all(line.endswith(" 301") and " /newsletter/" in line for line in lines)
    assert cli("check", EXAMPLES, "--out", out, "--redirects", f"netlify={file}").exit_code == 0

    page = next(path for path in sorted(out.glob("*.md")) if "aliases:\n" in path.read_text(encoding="utf-8"))
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("aliases:\n", 'aliases:\n  - "/hand/added"\n', 1), encoding="utf-8")
    stale = cli("check", EXAMPLES, "--out", out, "--redirects", f"netlify={file}")
    assert stale.exit_code == 1
    assert f"redirects {file}: {file} no longer matches the pages' aliases" in stale.output
    cli("sync", EXAMPLES, "--out", out, "--redirects", f"netlify={file}")
    assert f"/hand/added /newsletter/{page.stem}/ 301" in file.read_text()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nginx(tmp_path):
    """A real nginx on 127.0.0.1 serving an include of redirects, stopped at teardown."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    root = tmp_path / "nginx"
    for folder in ("logs", "temp", "html"):
        (root / folder).mkdir(parents=True)
    port = _free_port()
    include = root / "redirects.conf"

    def start(redirects: str) -> int:
        include.write_text(redirects)
        temp = root / "temp"
        (root / "nginx.conf").write_text(f"""
daemon off;
pid {root}/nginx.pid;
error_log {root}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root}/html;
        include {include};
    }}
}}
""")
        check = subprocess.run([binary, "-t", "-p", str(root), "-c", str(root / "nginx.conf")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        processes.append(subprocess.Popen([binary, "-p", str(root), "-c", str(root / "nginx.conf")],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return port
            except OSError:
                time.sleep(0.05)
        raise AssertionError("nginx did not start: " + (root / "logs" / "error.log").read_text())

    processes: list[subprocess.Popen] = []
    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_every_alias_answers_301_from_a_real_nginx(cli, tmp_path, nginx):
    out = tmp_path / "site" / "content" / "newsletter"
    conf = tmp_path / "redirects.conf"
    result = cli("export", EXAMPLES, "--out", out, "-q", "--redirects", f"nginx={conf}", "--custom-domain-aliases")
    assert result.exit_code == 0, result.output
    from revue2md.commands.redirects import site_redirects
    from revue2md.hugo.redirects import RedirectOptions, RedirectTarget

    plan, _ = site_redirects(out, RedirectOptions(RedirectTarget("nginx", conf), "/newsletter/"))
    assert len(plan.redirects) >= 2
    port = nginx(conf.read_text())
    for redirect in plan.redirects:
        for path in (redirect.alias, redirect.alias.rstrip("/") + "/"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            response = connection.getresponse()
            assert response.status == 301, path
            assert response.getheader("Location").endswith(redirect.target), path
            assert redirect.target.startswith("/newsletter/")
            connection.close()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/not-an-alias")
    assert connection.getresponse().status != 301
    connection.close()
