"""`revue2md export api`: the live API client against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest
from werkzeug import Response as WerkzeugResponse

from revue2md.errors import FetchError
from revue2md.sources.api import ApiSource
from revue2md.sources.interface import SourceContext

TOKEN = "tok-S3CRET-9f8e7d6c"
AUTH = {"Authorization": f"Token {TOKEN}"}


def api_url(httpserver) -> str:
    return httpserver.url_for("/api/v2")


def api_args(httpserver, *extra: str) -> list[str]:
    return ["--api-url", api_url(httpserver), "--token", TOKEN, *extra]


def issue(issue_id: int, title: str, url: str | None, sent_at: str | None = "2022-03-04T05:06:07.000Z",
          html: str = "<p><p>Hello.</p></p>") -> dict:
    return {"id": issue_id, "title": title, "html": html, "sent_at": sent_at, "description": None,
            "url": url, "active": False}


def read_tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def assert_token_nowhere(result, *folders: Path) -> None:
    assert TOKEN not in result.stdout and TOKEN not in result.stderr
    for folder in folders:
        for name, data in read_tree(folder).items() if folder.exists() else ():
            assert TOKEN.encode() not in data, name


def requested_paths(httpserver) -> list[str]:
    return [request.path for request, _ in httpserver.log]


# --- reading issues -------------------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize("newsletter", ["expected-space", "weekly-kaggle-news"])
def test_full_export_matches_the_saved_response(corpus, httpserver, cli, tmp_path, newsletter):
    saved = corpus / "api" / newsletter / "issues.json"
    httpserver.expect_request("/api/v2/issues", headers=AUTH).respond_with_data(
        saved.read_bytes(), content_type="application/json")
    live = cli("export", "api", "--out", tmp_path / "live", *api_args(httpserver, "--max-wait", "0"))
    from_file = cli("export", saved, "--out", tmp_path / "file")
    count = len(json.loads(saved.read_text(encoding="utf-8")))
    assert live.exit_code == 0 and from_file.exit_code == 0, live.output
    assert f"wrote {count} page" in live.stdout and "skipped 0" in live.stdout
    assert read_tree(tmp_path / "live") == read_tree(tmp_path / "file")
    # Every issue URL names its profile: /accounts/me is not needed, so not asked.
    assert requested_paths(httpserver) == ["/api/v2/issues"]
    assert_token_nowhere(live, tmp_path / "live")


def test_profile_from_accounts_me_reaches_the_aliases(httpserver, cli, tmp_path):
    issues = [issue(12, "Hello World", "https://news.example.com/issues/hello-world-12"),
              issue(11, "Unsent", None, sent_at=None)]
    httpserver.expect_request("/api/v2/issues", headers=AUTH).respond_with_json(issues)
    httpserver.expect_request("/api/v2/accounts/me", headers=AUTH).respond_with_json(
        {"profile_url": "https://www.getrevue.co/profile/janedoe", "email": "owner@example.com"})
    result = cli("export", "api", "--out", tmp_path, *api_args(httpserver, "--max-wait", "0"))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "hello-world.md").read_text(encoding="utf-8")
    assert '  - "/profile/janedoe/issues/hello-world-12"' in page
    assert "ignored" in result.stderr and "draft" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hello-world.md"]


def test_cli_profile_is_the_fallback_when_accounts_me_is_missing(httpserver, cli, tmp_path):
    httpserver.expect_request("/api/v2/issues").respond_with_json(
        [issue(12, "Hello World", "https://news.example.com/issues/hello-world-12")])
    httpserver.expect_request("/api/v2/accounts/me").respond_with_data("not here", status=404)
    result = cli("export", "api", "--out", tmp_path, "--profile", "fromcli",
                 *api_args(httpserver, "--max-wait", "0"))
    assert result.exit_code == 0, result.output
    assert '"/profile/fromcli/issues/hello-world-12"' in (tmp_path / "hello-world.md").read_text()


def test_latest_reads_only_issues_latest(httpserver, cli, tmp_path):
    latest = issue(99, "Newest One", "https://www.getrevue.co/profile/jane/issues/newest-one-99")
    httpserver.expect_request("/api/v2/issues/latest", headers=AUTH).respond_with_json({"issue": [latest]})
    result = cli("export", "api", "--latest", "--out", tmp_path, *api_args(httpserver, "--max-wait", "0"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newest-one.md"]
    assert requested_paths(httpserver) == ["/api/v2/issues/latest"]


def test_list_reads_the_api_too(httpserver, cli):
    httpserver.expect_request("/api/v2/issues", headers=AUTH).respond_with_json(
        [issue(7, "Seven", "https://www.getrevue.co/profile/jane/issues/seven-7")])
    result = cli("list", "api", *api_args(httpserver, "--max-wait", "0"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("7\t2022-03-04T05:06:07Z\tSeven\t")


def test_token_from_the_environment(httpserver, cli, tmp_path):
    httpserver.expect_request("/api/v2/issues", headers=AUTH).respond_with_json(
        [issue(7, "Seven", "https://www.getrevue.co/profile/jane/issues/seven-7")])
    result = cli("export", "api", "--out", tmp_path, "--api-url", api_url(httpserver), "--max-wait", "0",
                 env={"REVUE_API_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "seven.md").is_file()


def test_utf8_body_without_charset_is_not_read_as_latin1(httpserver, cli, tmp_path):
    body = json.dumps([issue(5, "It’s 日本語 — café", "https://www.getrevue.co/profile/j/issues/x-5",
                             html="<p><p>naïve ☕</p></p>")], ensure_ascii=False).encode("utf-8")
    httpserver.expect_request("/api/v2/issues").respond_with_data(body, content_type="text/html")
    result = cli("export", "api", "--out", tmp_path, *api_args(httpserver, "--max-wait", "0"))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "x.md").read_text(encoding="utf-8")
    assert 'title: "It’s 日本語 — café"' in page and "naïve ☕" in page


# --- retries ------------------------------------------------------------------------------------


def test_429_with_retry_after_is_waited_for_then_retried_once(httpserver, cli, tmp_path):
    httpserver.expect_ordered_request("/api/v2/issues").respond_with_response(
        WerkzeugResponse("slow down", status=429, headers={"Retry-After": "1"}))
    httpserver.expect_ordered_request("/api/v2/issues").respond_with_json(
        [issue(3, "Three", "https://www.getrevue.co/profile/jane/issues/three-3")])
    started = time.monotonic()
    result = cli("export", "api", "--out", tmp_path, *api_args(httpserver))
    waited = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert requested_paths(httpserver) == ["/api/v2/issues", "/api/v2/issues"]
    assert waited >= 1.0  # the server asked for one second; this is behaviour, not speed
    assert (tmp_path / "three.md").is_file()


def test_three_503s_then_success(httpserver, cli, tmp_path):
    for _ in range(3):
        httpserver.expect_ordered_request("/api/v2/issues").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/api/v2/issues").respond_with_json(
        [issue(3, "Three", "https://www.getrevue.co/profile/jane/issues/three-3")])
    result = cli("export", "api", "--out", tmp_path, *api_args(httpserver, "--max-wait", "0"))
    assert result.exit_code == 0, result.output
    assert len(requested_paths(httpserver)) == 4
    assert (tmp_path / "three.md").is_file()


def test_backoff_doubles_and_is_capped_by_max_wait(httpserver):
    for _ in range(3):
        httpserver.expect_ordered_request("/api/v2/issues").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/api/v2/issues").respond_with_json([])
    waits: list[float] = []
    source = ApiSource(api_url(httpserver), TOKEN, max_wait=0.8, sleep=waits.append)
    assert list(source.issues()) == []
    assert waits == [0.5, 0.8, 0.8]


def test_gives_up_naming_the_url_and_last_status(httpserver, cli, tmp_path):
    httpserver.expect_request("/api/v2/issues").respond_with_data(f"down {TOKEN}", status=502)
    result = cli("export", "api", "--out", tmp_path / "out", *api_args(httpserver, "--max-wait", "0"))
    assert result.exit_code == 1
    assert result.stderr == (f"revue2md: GET {api_url(httpserver)}/issues: gave up after 5 attempts "
                             "(last status 502)\n")
    assert len(requested_paths(httpserver)) == 5
    assert_token_nowhere(result, tmp_path)


def test_connection_refused_is_retried_then_reported(cli, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = cli("export", "api", "--out", tmp_path, "--api-url", f"http://127.0.0.1:{port}/api/v2",
                 "--token", TOKEN, "--max-wait", "0")
    assert result.exit_code == 1
    assert "gave up after 5 attempts (connection failed" in result.stderr
    assert_token_nowhere(result, tmp_path)


# --- refusals and wrong answers -----------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
def test_refused_token_is_one_line_and_the_token_appears_nowhere(httpserver, cli, tmp_path, status):
    httpserver.expect_request("/api/v2/issues").respond_with_json(
        {"error": f"Invalid token {TOKEN}"}, status=status)
    out, raw = tmp_path / "out", tmp_path / "raw"
    result = cli("export", "api", "--out", out, "--save-raw", raw, *api_args(httpserver, "--max-wait", "0"))
    assert result.exit_code == 1
    assert result.stderr == (f"revue2md: GET {api_url(httpserver)}/issues: the Revue API refused the token "
                             f"({status}); check --token or REVUE_API_TOKEN\n")
    assert "Traceback" not in result.output
    assert not out.exists() and not raw.exists()
    assert_token_nowhere(result, tmp_path)


def test_404_says_the_url_is_not_a_revue_api(httpserver, cli, tmp_path):
    httpserver.expect_request("/api/v2/issues").respond_with_data("<h1>Not Found</h1>", status=404)
    result = cli("export", "api", "--out", tmp_path, *api_args(httpserver, "--max-wait", "0"))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert f"not found (404): {api_url(httpserver)} is not a Revue API; check --api-url" in result.stderr
    assert len(requested_paths(httpserver)) == 1


def test_html_page_instead_of_json_says_what_was_found(httpserver, cli, tmp_path):
    page = "<!doctype html><html><head><title>Maintenance – back soon</title></head><body>…</body></html>"
    httpserver.expect_request("/api/v2/issues").respond_with_data(page.encode("utf-8"),
                                                                  content_type="text/html")
    result = cli("export", "api", "--out", tmp_path, *api_args(httpserver, "--max-wait", "0"))
    assert result.exit_code == 1
    assert result.stderr == (f"revue2md: GET {api_url(httpserver)}/issues: expected JSON from the Revue API, "
                             "found an HTML page (text/html) titled 'Maintenance – back soon'\n")


def test_json_of_the_wrong_shape_says_what_was_found(httpserver, cli, tmp_path):
    httpserver.expect_request("/api/v2/issues").respond_with_json({"error": "gone", "code": 7})
    result = cli("export", "api", "--out", tmp_path, *api_args(httpserver, "--max-wait", "0"))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "not a Revue API response" in result.stderr and "keys code, error" in result.stderr


def test_no_token_is_a_usage_error(cli, tmp_path):
    result = cli("export", "api", "--out", tmp_path, env={"REVUE_API_TOKEN": ""})
    assert result.exit_code == 2
    assert result.stderr == "revue2md: the Revue API needs a token: pass --token or set REVUE_API_TOKEN\n"


def test_the_token_is_not_in_any_repr():
    assert TOKEN not in repr(SourceContext(token=TOKEN))
    assert TOKEN not in repr(ApiSource("https://example.org/api/v2", TOKEN))


# --- saved responses ----------------------------------------------------------------------------


def test_saved_responses_read_back_give_the_same_pages(httpserver, cli, tmp_path):
    issues_body = json.dumps([issue(12, "Hello World", "https://news.example.com/issues/hello-world-12"),
                              issue(13, "Second", "https://www.getrevue.co/profile/janedoe/issues/second-13")])
    account_body = json.dumps({"profile_url": "https://www.getrevue.co/profile/janedoe"})
    httpserver.expect_request("/api/v2/issues").respond_with_data(issues_body,
                                                                  content_type="application/json")
    httpserver.expect_request("/api/v2/accounts/me").respond_with_data(account_body,
                                                                        content_type="application/json")
    raw = tmp_path / "raw"
    live = cli("export", "api", "--out", tmp_path / "live", "--save-raw", raw,
               *api_args(httpserver, "--max-wait", "0"))
    assert live.exit_code == 0, live.output
    assert (raw / "issues.json").read_text() == issues_body
    assert (raw / "accounts-me.json").read_text() == account_body

    again = cli("export", raw / "issues.json", "--out", tmp_path / "again")
    assert again.exit_code == 0, again.output
    assert read_tree(tmp_path / "again") == read_tree(tmp_path / "live")
    assert '"/profile/janedoe/issues/hello-world-12"' in (tmp_path / "again" / "hello-world.md").read_text()

    folder = cli("export", raw, "--out", tmp_path / "folder")
    assert folder.exit_code == 0, folder.output
    assert "ignored" in folder.stderr and "accounts/me" in folder.stderr
    assert read_tree(tmp_path / "folder") == read_tree(tmp_path / "live")


def test_saved_latest_response_reads_back(httpserver, cli, tmp_path):
    latest = issue(99, "Newest One", "https://www.getrevue.co/profile/jane/issues/newest-one-99")
    httpserver.expect_request("/api/v2/issues/latest").respond_with_json({"issue": [latest]})
    raw = tmp_path / "raw"
    assert cli("export", "api", "--latest", "--out", tmp_path / "a", "--save-raw", raw,
               *api_args(httpserver, "--max-wait", "0")).exit_code == 0
    assert sorted(p.name for p in raw.iterdir()) == ["issues-latest.json"]
    result = cli("export", raw / "issues-latest.json", "--out", tmp_path / "b")
    assert result.exit_code == 0 and read_tree(tmp_path / "a") == read_tree(tmp_path / "b")


def test_a_token_echoed_by_the_server_is_not_saved(httpserver, tmp_path):
    httpserver.expect_request("/api/v2/issues").respond_with_json(
        [issue(1, f"About {TOKEN}", "https://www.getrevue.co/profile/j/issues/a-1")])
    list(ApiSource(api_url(httpserver), TOKEN, save_raw=tmp_path, max_wait=0).issues())
    saved = (tmp_path / "issues.json").read_text()
    assert TOKEN not in saved and "About ***" in saved


def test_failures_raise_fetch_errors_from_the_source(httpserver):
    httpserver.expect_request("/api/v2/issues").respond_with_data("no", status=401)
    with pytest.raises(FetchError, match="refused the token"):
        list(ApiSource(api_url(httpserver), TOKEN, max_wait=0).issues())


def test_a_token_no_header_can_carry_is_refused_without_being_shown(cli, tmp_path):
    bad = "tok-line1\nline2-S3CRET"
    result = cli("export", "api", "--out", tmp_path, env={"REVUE_API_TOKEN": bad})
    assert result.exit_code == 2
    assert "an HTTP header cannot carry it" in result.stderr
    assert "line1" not in result.output and "S3CRET" not in result.output
