"""Secrets stay secret: an echoed token in any encoding, a password in --api-url, files outside --out."""

from __future__ import annotations

import json
import os

import pytest
from conftest import FIXTURES

# Characters a JSON writer escapes (`/`, `"`) and an HTML writer turns into entities (`&`, `"`).
TOKEN = 'tok/5ec"ret&V4lue'


def _every_file_text(folder) -> str:
    return "".join(p.read_bytes().decode("utf-8", errors="replace") for p in folder.rglob("*") if p.is_file())


def _entities(text: str) -> str:
    return "".join(f"&#{ord(char)};" if n % 2 else f"&#x{ord(char):X};" for n, char in enumerate(text))


ECHOES = {
    # json.dumps writes `"` as `\"`; `\/` and `\u0074` are other legal JSON spellings.
    "json-escaped": json.dumps(TOKEN).strip('"').replace("/", "\\/").replace("t", "\\u0074", 1),
    "entity-encoded": _entities(TOKEN),
    "named-entities": TOKEN.replace("&", "&amp;").replace('"', "&quot;"),
}


@pytest.fixture(params=sorted(ECHOES))
def echoing_api(request, httpserver):
    echoed = ECHOES[request.param]
    body = ('[{"id": 1, "title": "Echo ' + echoed + '", "description": "' + echoed + '", '
            '"html": "<p>Token: ' + echoed + '</p><p><a href=\\"https://example.com/?t=' + echoed + '\\">x</a></p>", '
            '"sent_at": "2021-01-01T00:00:00Z"}]')
    httpserver.expect_request("/api/v2/issues").respond_with_data(body, content_type="application/json")
    httpserver.expect_request("/api/v2/accounts/me").respond_with_data(
        '{"profile_url": "https://www.getrevue.co/profile/' + echoed + '"}', content_type="application/json")
    return httpserver.url_for("/api/v2")


@pytest.mark.parametrize("command", [
    ["sync", "api", "--out", "{out}", "--save-raw", "{raw}"],
    ["export", "api", "--out", "{out}"],
    ["list", "api"],
    ["check", "api", "--out", "{out}"],
])
def test_a_token_echoed_in_any_encoding_reaches_no_page_and_no_terminal(cli, echoing_api, tmp_path, command):
    out, raw = tmp_path / "out", tmp_path / "raw"
    out.mkdir()
    args = [part.format(out=out, raw=raw) for part in command]
    result = cli(*args, "--api-url", echoing_api, "--max-wait", "0", env={"REVUE_API_TOKEN": TOKEN})
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert "Echo ***" in result.output or command[0] in ("sync", "export", "check")
    written = _every_file_text(tmp_path)
    assert TOKEN not in result.output and TOKEN not in written
    if command[0] in ("sync", "export"):
        assert "Token: \\*\\*\\*" in written or "Token: ***" in written


@pytest.mark.parametrize("status", [404, 500])
def test_a_password_in_the_api_url_is_never_printed(cli, httpserver, tmp_path, status):
    httpserver.expect_request("/api/v2/issues").respond_with_data("no", status=status)
    url = httpserver.url_for("/api/v2").replace("http://", "http://mirror-user:pa%24s-W0rd@")
    for command in (["export", "api", "--out", str(tmp_path / "out")], ["list", "api"]):
        result = cli(*command, "--api-url", url, "--max-wait", "0", env={"REVUE_API_TOKEN": "t0ken"})
        assert result.exit_code == 1, result.output
        assert "pa%24s-W0rd" not in result.output and "pa$s-W0rd" not in result.output
        assert "mirror-user" not in result.output or "***" in result.output


def test_check_does_not_print_a_file_that_a_page_links_to_outside_the_folder(cli, tmp_path):
    out = tmp_path / "out"
    assert cli("export", FIXTURES / "api" / "single.json", "--out", out).exit_code == 0
    page = next(out.glob("*.md"))
    secret = tmp_path / "environ"
    secret.write_text("REVUE_API_TOKEN=sup3r-secret-value\n", encoding="utf-8")
    page.unlink()
    os.symlink(secret, page)
    result = cli("check", FIXTURES / "api" / "single.json", "--out", out)
    assert result.exit_code == 1
    assert "sup3r-secret-value" not in result.output
    assert f"missing {page.name}: cannot read it: a symbolic link to a file outside {out}" in result.output


def test_check_reads_a_page_linked_inside_the_folder(cli, tmp_path):
    out = tmp_path / "out"
    assert cli("export", FIXTURES / "api" / "single.json", "--out", out).exit_code == 0
    page = next(out.glob("*.md"))
    kept = out / "kept"
    kept.mkdir()
    page.rename(kept / page.name)
    os.symlink(kept / page.name, page)
    result = cli("check", FIXTURES / "api" / "single.json", "--out", out)
    assert "cannot read it" not in result.output
