"""The API token never appears in any output or file, whatever the command and however it fails."""

from __future__ import annotations

import pytest
from werkzeug import Response

TOKEN = "tok_5ecret-Value.123"


def _every_file_text(folder) -> str:
    return "".join(p.read_bytes().decode("utf-8", errors="replace") for p in folder.rglob("*") if p.is_file())


@pytest.fixture(params=["refused", "failing", "echoing"])
def server(request, httpserver):
    """A Revue API that refuses the token, fails for good, or answers with the token in its body."""
    if request.param == "refused":
        httpserver.expect_request("/api/v2/issues").respond_with_data(f"bad token {TOKEN}", status=401)
    elif request.param == "failing":
        httpserver.expect_request("/api/v2/issues").respond_with_response(
            Response(f"down, your token was {TOKEN}", status=503, headers={"Retry-After": "0"}))
    else:
        httpserver.expect_request("/api/v2/issues").respond_with_data(
            f'[{{"id": 1, "title": "Echo {TOKEN}", "html": "<p>{TOKEN}</p>", "sent_at": "2021-01-01T00:00:00Z"}}]',
            content_type="application/json")
    httpserver.expect_request("/api/v2/accounts/me").respond_with_data("{}", content_type="application/json")
    return httpserver.url_for("/api/v2")


@pytest.mark.parametrize("command", [
    ["export", "api", "--out", "{out}", "--save-raw", "{raw}"],
    ["sync", "api", "--out", "{out}", "--save-raw", "{raw}"],
    ["check", "api", "--out", "{out}"],
    ["check", "api", "--out", "{out}", "--format", "json"],
    ["list", "api", "--save-raw", "{raw}"],
])
@pytest.mark.parametrize("how", ["option", "environment"])
def test_the_token_is_never_shown_or_written(cli, server, tmp_path, command, how):
    out, raw = tmp_path / "out", tmp_path / "raw"
    out.mkdir()
    args = [part.format(out=out, raw=raw) for part in command] + ["--api-url", server, "--max-wait", "0"]
    env = {"REVUE_API_TOKEN": TOKEN} if how == "environment" else {}
    if how == "option":
        args += ["--token", TOKEN]
    result = cli(*args, env=env)
    assert result.exit_code in (0, 1), result.output
    assert TOKEN not in result.output
    assert TOKEN not in _every_file_text(tmp_path)
    assert "Traceback" not in result.output
