"""Progress that tells: phases and waits announced by the library, shown only on a terminal."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from revue2md import events
from revue2md.net.http import HttpClient, RetryPolicy

EXAMPLES = ROOT / "examples" / "archive"


def test_a_429_is_announced_as_a_wait_with_its_reason(httpserver):
    httpserver.expect_ordered_request("/x").respond_with_data("slow down", status=429, headers={"Retry-After": "8"})
    httpserver.expect_ordered_request("/x").respond_with_data("ok")
    seen, slept = [], []
    with events.listening(seen.append):
        client = HttpClient(RetryPolicy(attempts=5), sleep=slept.append, service="the API")
        assert client.get(httpserver.url_for("/x")).text() == "ok"
    assert seen == [events.Wait(8.0, "the API asked to retry later (429)", "the API", 2, 5)]
    assert slept == [8.0]


def test_export_announces_reading_and_converting_with_a_total(cli, tmp_path):
    seen = []
    with events.listening(seen.append):
        assert cli("export", EXAMPLES, "--out", tmp_path / "out", "-q").exit_code == 0
    reading = [event for event in seen if event.phase == events.READING]
    converting = [event for event in seen if event.phase == events.CONVERTING]
    assert [event.done for event in reading] == [1, 2, 3]
    assert [(event.done, event.total) for event in converting] == [(1, 3), (2, 3), (3, 3)]


def test_nothing_of_it_when_output_is_not_a_terminal(cli, tmp_path):
    result = cli("export", EXAMPLES, "--out", tmp_path / "out")
    assert result.exit_code == 0
    assert "eta" not in result.output and "converting" not in result.output


def test_format_json_gives_the_whole_report(cli, tmp_path):
    result = cli("export", EXAMPLES, "--out", tmp_path / "out", "--format", "json")
    document = json.loads(result.stdout)
    assert document["ok"] is True and len(document["written"]) == 3
    synced = json.loads(cli("sync", EXAMPLES, "--out", tmp_path / "s", "--format", "json").stdout)
    assert synced["ok"] is True and len(synced["written"]) == 3


def test_a_terminal_sees_the_wait_line(httpserver, tmp_path):
    if shutil.which("script") is None:
        pytest.skip("no `script` command to give the CLI a terminal")
    issue = {"id": 1, "title": "One", "html": "<p>Hello there.</p>", "sent_at": "2022-01-01T00:00:00Z",
             "description": None, "url": "https://www.getrevue.co/profile/x/issues/one-1", "active": False}
    httpserver.expect_ordered_request("/api/v2/issues").respond_with_data("", status=429,
                                                                           headers={"Retry-After": "1"})
    httpserver.expect_ordered_request("/api/v2/issues").respond_with_json([issue])
    httpserver.expect_request("/api/v2/accounts/me").respond_with_json({"profile_url": "x"})
    command = [sys.executable, "-c", "from revue2md.cli.app import main; main()", "export", "api",
               "--api-url", httpserver.url_for("/api/v2"),
               "--token", "t0ken", "--out", str(tmp_path / "out")]
    typed = " ".join(f"'{part}'" for part in command)
    run = subprocess.run(["script", "-qec", typed, "/dev/null"], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "COLUMNS": "120", "TERM": "xterm"})
    assert run.returncode == 0, run.stdout + run.stderr
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", run.stdout)
    assert "waiting 1 s: the API asked to retry later (429)" in screen
    assert "retrying the API (2/5)" in screen
    assert "wrote 1 page to" in screen
