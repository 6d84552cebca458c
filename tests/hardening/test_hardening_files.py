"""Files that are not what they seem (FIFOs, devices, links out of the folder) and bad values on the
command line: one line, the documented exit code, no hang, nothing outside the output folder."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES

from revue2md.files import NotRegularFile, read_regular

SINGLE = FIXTURES / "api" / "single.json"
# A hang must be caught, not timed: a generous bound for the subprocess, never a speed assert.
HANG = 60

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


def _run(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "revue2md", *map(str, args)], capture_output=True, text=True,
                          timeout=HANG, cwd=cwd, stdin=subprocess.DEVNULL)


def _issues(path: Path, *titles: str) -> Path:
    path.write_text(json.dumps([{"id": n, "title": title, "html": f"<p>{title} body</p>",
                                 "sent_at": f"2021-01-{n:02d}T00:00:00Z"} for n, title in enumerate(titles, 1)]))
    return path


@needs_fifo
def test_a_fifo_or_a_device_in_a_source_folder_is_skipped_and_the_rest_is_written(tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    _issues(folder / "good.json", "Good one", "Good two")
    os.mkfifo(folder / "pipe.json")
    os.symlink("/dev/zero", folder / "zero.json")
    os.symlink("/dev/urandom", folder / "random.html")
    secret = tmp_path / "outside.json"
    _issues(secret, "Outside")
    os.symlink(secret, folder / "link-out.json")
    result = _run("export", folder, "--out", tmp_path / "out")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"skipped {folder / 'pipe.json'}: not read: not a regular file (a FIFO)" in result.stderr
    assert f"skipped {folder / 'zero.json'}: not read: a symbolic link to a character device outside" in result.stderr
    assert f"skipped {folder / 'random.html'}: not read: a symbolic link to a character device" in result.stderr
    assert f"skipped {folder / 'link-out.json'}: not read: a symbolic link to a file outside" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.md")) == ["good-one.md", "good-two.md"]


@needs_fifo
def test_a_fifo_named_on_the_command_line_is_one_line(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    os.mkfifo(tmp_path / "pipe.json")
    for name in ("pipe", "pipe.json"):
        result = _run("export", tmp_path / name, "--out", tmp_path / "out")
        assert result.returncode in (1, 2) and "Traceback" not in result.stderr
        assert "not a regular file (a FIFO)" in result.stderr


@needs_fifo
@pytest.mark.parametrize("command", ["check", "sync"])
def test_a_fifo_where_a_page_should_be_does_not_hang(tmp_path, command):
    out = tmp_path / "out"
    assert _run("sync", SINGLE, "--out", out).returncode == 0
    page = next(out.glob("*.md"))
    page.unlink()
    os.mkfifo(page)
    result = _run(command, SINGLE, "--out", out)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    if command == "check":
        assert result.returncode == 1
        assert f"missing {page.name}: cannot read it: not a regular file (a FIFO)" in result.stdout
    else:  # not a page revue2md wrote: left alone, as a page deleted by hand is
        assert f"kept {page.name}: deleted by hand" in result.stderr
    assert page.is_fifo()


@needs_fifo
def test_clean_skips_a_fifo(tmp_path):
    os.mkfifo(tmp_path / "page.md")
    (tmp_path / "ok.md").write_text("---\ntitle: \"ok\"\n---\nHello\n")
    result = _run("clean", tmp_path, "--check")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "all 1 file already clean" in result.stdout
    result = _run("clean", tmp_path / "page.md", "--check")
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr


def test_the_safe_opener_refuses_links_out_of_the_folder_and_reads_links_inside(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "page.md").write_text("inside")
    (tmp_path / "outside.md").write_text("outside")
    os.symlink(tmp_path / "folder" / "page.md", tmp_path / "folder" / "alias.md")
    os.symlink(tmp_path / "outside.md", tmp_path / "folder" / "out.md")
    folder = tmp_path / "folder"
    assert read_regular(folder / "alias.md", within=folder) == b"inside"
    with pytest.raises(NotRegularFile, match="outside"):
        read_regular(folder / "out.md", within=folder)
    with pytest.raises(NotRegularFile, match="a folder"):
        read_regular(folder)
    with pytest.raises(NotRegularFile, match="limit"):
        read_regular(folder / "page.md", max_bytes=3)


# --- the output folder's own files ----------------------------------------------------------

@pytest.mark.parametrize("name", [".revue2md.hugo.lock", ".revue2md.json", ".revue2md-1-x.tmp"])
def test_sync_never_writes_through_a_link_in_the_output_folder(tmp_path, name):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    os.symlink(victim, out / name)
    result = _run("sync", SINGLE, "--out", out)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert victim.read_text() == "precious\n"
    if name == ".revue2md.hugo.lock":
        assert result.returncode == 1
        assert ".revue2md.hugo.lock is a symbolic link; remove it" in result.stderr
    if name == ".revue2md.json":
        assert result.returncode == 2
        assert "a symbolic link to a file outside" in result.stderr


@needs_fifo
@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_lock_that_is_a_fifo_or_a_folder_is_one_line(tmp_path, kind):
    out = tmp_path / "out"
    out.mkdir()
    (os.mkfifo if kind == "fifo" else os.mkdir)(out / ".revue2md.hugo.lock")
    result = _run("sync", SINGLE, "--out", out)
    assert result.returncode == 1
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"revue2md: cannot use {out}:")


@pytest.mark.parametrize("state", [
    "[" * 100_000,
    json.dumps({"format": 1, "filename": "{slug}.md", "issues": {"1": {"source": "x", "files": "abc"}}}),
    json.dumps({"format": 1, "filename": "{slug}.md", "issues": {"1": {"source": "x", "files": [{"path": 3}]}}}),
    json.dumps({"format": 1, "filename": "{slug}.md", "issues": [1, 2]}),
    "\xff\xfe not json",
])
def test_a_hostile_state_file_is_a_usage_error(tmp_path, state):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".revue2md.json").write_text(state, encoding="utf-8", errors="surrogateescape")
    result = _run("sync", SINGLE, "--out", out)
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert "is not a revue2md state file" in result.stderr or "cannot read" in result.stderr


@pytest.mark.parametrize("command", ["sync", "check"])
@pytest.mark.parametrize("kind", ["fifo", "folder", "huge"])
def test_a_state_file_that_is_a_fifo_a_folder_or_huge_is_one_line(tmp_path, command, kind):
    if kind == "fifo" and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    out = tmp_path / "out"
    out.mkdir()
    state = out / ".revue2md.json"
    if kind == "fifo":
        os.mkfifo(state)
    elif kind == "folder":
        state.mkdir()
    else:  # sparse: 17 MiB on paper, refused before a byte is read
        with state.open("wb") as file:
            file.truncate(17 * 1024 * 1024)
    result = _run(command, SINGLE, "--out", out)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"revue2md: cannot read {state}: ")
    assert len(result.stderr.splitlines()) == 1


# --- command-line values ----------------------------------------------------------------------

@pytest.mark.parametrize("command", [["export", SINGLE], ["sync", SINGLE], ["check", SINGLE], ["clean", "x.md"]])
def test_an_empty_out_is_a_usage_error_and_writes_nothing(tmp_path, command):
    (tmp_path / "single.md").write_text("mine\n")
    before = sorted(tmp_path.iterdir())
    result = _run(*command, "--out", "", cwd=tmp_path)
    assert result.returncode == 2
    assert "empty folder name" in result.stderr
    assert sorted(tmp_path.iterdir()) == before and (tmp_path / "single.md").read_text() == "mine\n"


@pytest.mark.parametrize("command", ["export", "sync"])
def test_out_naming_a_file_is_a_usage_error(cli, tmp_path, command):
    target = tmp_path / "file.txt"
    target.write_text("x")
    result = cli(command, SINGLE, "--out", target)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"revue2md: {target}: not a folder"


@pytest.mark.parametrize("args, message", [
    (["--image-max-mb", "nan"], "--image-max-mb nan: use a size above 0"),
    (["--image-max-mb", "inf"], "--image-max-mb inf: use a size above 0"),
    (["--image-max-mb", "-1"], "--image-max-mb -1.0: use a size above 0"),
    (["--filename", "{number:xyz}"], "Invalid format specifier"),
    (["--filename", "{date:%Q}-{slug}"], "unknown date directive %Q"),
    (["--static-dir", "site/static/img"], "--static-dir receives downloaded images"),
])
def test_bad_option_values_are_usage_errors(cli, tmp_path, args, message):
    result = cli("export", SINGLE, "--out", tmp_path / "out", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "internal error" not in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.md"))


# --- names and sources ------------------------------------------------------------------------

def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")[4:].split("\n---\n", 1)[0])


def test_names_hugo_reserves_and_titles_of_punctuation_become_served_names(cli, tmp_path):
    source = _issues(tmp_path / "odd.json", "Index", "_index", "##", "%%", "''", "Regular")
    data = json.loads(source.read_text())
    data[3]["url"] = "https://www.getrevue.co/profile/odd/issues/%25%25-4"
    source.write_text(json.dumps(data))
    out = tmp_path / "out"
    result = cli("export", source, "--out", out)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.glob("*.md"))
    assert names == sorted(["index-issue.md", "index-issue-2.md", "issue-3.md", "issue-4.md", "issue-5.md",
                            "regular.md"])
    assert "'index.md' is a name Hugo keeps for section and bundle pages; named 'index-issue.md'" in result.stderr
    assert {_front(out / name)["title"] for name in names} == {"Index", "_index", "##", "%%", "''", "Regular"}


def test_a_site_holding_an_issue_titled_index_builds_every_page(cli, tmp_path, hugo):
    from revue2md.hugo.build import build_site

    source = _issues(tmp_path / "odd.json", "Index", "Second", "##")
    out = tmp_path / "content" / "newsletter"
    assert cli("export", source, "--out", out).exit_code == 0
    build = build_site(out, tmp_path / "site", hugo)
    assert build.ok, build.log
    built = {p.parent.name for p in build.public.rglob("index.html")}
    assert {"index-issue", "second", "issue-3"} <= built


def _zip(path: Path, columns: list[str], rows: list[list[str]]) -> Path:
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(columns)
    writer.writerows(rows)
    items = [{"issue_id": int(row[0]), "order": 0, "item_type": "text", "title": "",
              "description": f"<p>Item {row[0]}</p>"} for row in rows]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("issues_1.csv", table.getvalue())
        archive.writestr("items_1.json", json.dumps(items))
    return path


def test_a_zip_whose_issues_table_lacks_sent_at_writes_every_issue(cli, tmp_path):
    source = _zip(tmp_path / "export.zip", ["id", "description", "subject"],
                  [["1", "<p>One</p>", "First"], ["2", "<p>Two</p>", "Second"]])
    result = cli("export", source, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").glob("*.md")) == ["first.md", "second.md"]
    assert "the issues table has no sent_at column" in result.stderr


# --- mailboxes --------------------------------------------------------------------------------

def _message(n: int, charset: str = "utf-8", body: str | None = None) -> str:
    body = body or (f'<html><body><p>Issue {n} body</p><a href="https://www.getrevue.co/profile/m/issues/'
                    f'issue-{n}-{n}">View online</a></body></html>')
    return (f"From revue@getrevue.co Mon Jan  4 00:00:00 2021\nFrom: News <news@getrevue.co>\n"
            f"Subject: Issue {n}\nDate: Mon, 04 Jan 2021 00:00:0{n % 10} +0000\nMIME-Version: 1.0\n"
            f'Content-Type: text/html; charset="{charset}"\n\n{body}\n\n')


def test_one_strange_message_costs_only_itself(cli, tmp_path):
    messages = [_message(n) for n in range(1, 17)]
    messages.insert(3, _message(90, charset="rot-13"))
    messages.insert(7, _message(91, charset="base64"))
    forwarded = ("From: Me <me@example.com>\nSubject: Fwd: Issue 92\nDate: Mon, 04 Jan 2021 00:00:00 +0000\n"
                 "Content-Type: text/plain; charset=utf-8\n\nHave a look\n---------- Forwarded\nmessage "
                 "---------\nFrom: news@getrevue.co\n\nIssue 92 https://www.getrevue.co/profile/m/issues/issue-92-92\n")
    messages.insert(9, "From me@example.com Mon Jan  4 00:00:00 2021\n" + forwarded + "\n")
    box = tmp_path / "news.mbox"
    box.write_text("".join(messages), encoding="utf-8")
    result = cli("export", box, "--out", tmp_path / "out")
    assert "internal error" not in result.output and "could not read" not in result.output
    written = {p.name for p in (tmp_path / "out").glob("*.md")}
    assert {f"issue-{n}.md" for n in range(1, 17)} <= written


# --- files export did not write -----------------------------------------------------------------

def _idless(path: Path, *titles: str) -> Path:
    """Issues with no id and no URL: their pages carry neither `revue_id` nor aliases."""
    path.write_text(json.dumps([{"title": title, "html": f"<p>{title} body</p>",
                                 "sent_at": f"2021-02-{n:02d}T00:00:00Z"} for n, title in enumerate(titles, 1)]))
    return path


def test_export_keeps_a_file_it_did_not_write_and_overwrite_replaces_it(cli, tmp_path):
    source = _issues(tmp_path / "issues.json", "About", "Hello World", "Fresh")
    out = tmp_path / "out"
    out.mkdir()
    about = "---\ntitle: \"About me\"\n---\n\nMy own page.\n"
    hello = "---\ntitle: \"Hello World\"\ndate: 2020-05-01T10:00:00+01:00\ndraft: true\n---\n"  # `hugo new`
    (out / "about.md").write_text(about)
    (out / "hello-world.md").write_text(hello)
    result = cli("export", source, "--out", out)
    assert result.exit_code == 1, result.output
    for name, number in (("about.md", 1), ("hello-world.md", 2)):
        assert (f"skipped {source}#{number - 1}: not written: {name} is a file revue2md did not write, kept as it "
                "is; --overwrite replaces it") in result.stderr
    assert (out / "about.md").read_text() == about and (out / "hello-world.md").read_text() == hello
    assert "Fresh body" in (out / "fresh.md").read_text()
    assert "wrote 1 page" in result.stdout

    result = cli("export", source, "--out", out, "--overwrite")
    assert result.exit_code == 0, result.output
    assert "About body" in (out / "about.md").read_text() and "Hello World body" in (out / "hello-world.md").read_text()


def test_export_still_replaces_the_pages_it_wrote_before(cli, tmp_path):
    source = _issues(tmp_path / "issues.json", "First", "Second")
    idless = _idless(tmp_path / "idless.json", "No id here")
    out = tmp_path / "out"
    assert cli("export", source, idless, "--out", out).exit_code == 0
    # Edited by hand since: its body, and a tag added to its front matter.
    first = out / "first.md"
    edited = first.read_text().replace("First body", "First body, edited")
    first.write_text(edited.replace("---\n\n", "tags: [x]\n---\n\n"))
    (out / "no-id-here.md").write_text((out / "no-id-here.md").read_text() + "\nA line of mine.\n")
    # A page sync wrote and recorded, then rewritten so that nothing in it says revue2md.
    synced = tmp_path / "synced"
    assert cli("sync", source, "--out", synced).exit_code == 0
    (synced / "second.md").write_text("---\ntitle: \"Mine now\"\n---\n")
    result = cli("export", source, idless, "--out", out, "--sentence-per-line")
    assert result.exit_code == 0, result.output
    assert "edited" not in first.read_text() and "A line of mine" not in (out / "no-id-here.md").read_text()
    result = cli("export", source, "--out", synced)
    assert result.exit_code == 0, result.output
    assert "Second body" in (synced / "second.md").read_text()


@needs_fifo
def test_export_keeps_a_fifo_or_a_folder_where_a_page_goes(cli, tmp_path):
    source = _issues(tmp_path / "issues.json", "Pipe", "Folder", "Plain")
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "pipe.md")
    (out / "folder.md").mkdir()
    result = _run("export", source, "--out", out)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "not written: pipe.md is a file revue2md did not write" in result.stderr
    assert "folder.md" in result.stderr
    assert (out / "pipe.md").is_fifo() and (out / "folder.md").is_dir() and (out / "plain.md").is_file()


# --- links that loop in the output folder -------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links on this system")
@pytest.mark.parametrize("command", [
    ["check", SINGLE, "--hugo"], ["check", SINGLE], ["sync", SINGLE], ["export", SINGLE, "--redirects", "netlify"],
    ["clean", "--check"],
])
def test_links_that_loop_in_the_output_folder_are_passed_over(tmp_path, command, request):
    if "--hugo" in command:
        request.getfixturevalue("hugo")
    out = tmp_path / "out"
    assert _run("export", SINGLE, "--out", out).returncode == 0
    os.symlink("loop-b", out / "loop-a")
    os.symlink("loop-a", out / "loop-b")
    os.symlink(".", out / "self")
    (out / "sub").mkdir()
    os.symlink("..", out / "sub" / "up")
    os.symlink("loop-a.md", out / "loop-a.md")
    args = [*command[:1], out, *command[1:]] if command[0] == "clean" else [*command, "--out", out]
    result = _run(*args, cwd=tmp_path)  # `--redirects netlify` writes `_redirects` here
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    if command[0] == "check":  # a page name no issue gives: a problem (exit 1), told in one line
        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stdout.splitlines()[0] == "extra loop-a.md: no issue in the sources gives this page"
    else:
        assert result.returncode == 0, result.stdout + result.stderr
