"""README's option tables are what the commands' `--help` says: cog regenerates them and finds no difference."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ROOT

from revue2md.cli.help_table import options, options_table, source_options

FIX = "the README's option tables differ from the commands' --help: run `cog -r README.md` and commit the result"


def _cog_check(path, columns: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": columns}
    return subprocess.run([sys.executable, "-m", "cogapp", "--check", "--diff", "--check-fail-msg", FIX, str(path)],
                          capture_output=True, text=True, cwd=ROOT, env=env)


@pytest.mark.parametrize("columns", ["40", "250"])
def test_readme_option_tables_match_the_help(columns):
    done = _cog_check(ROOT / "README.md", columns)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_hand_edited_table_is_caught(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = "| `--force` |  | Overwrite pages edited by hand and write again pages deleted by hand. | off |"
    assert row in readme
    edited = tmp_path / "README.md"
    edited.write_text(readme.replace(row, row.replace("off", "on")), encoding="utf-8")
    done = _cog_check(edited, "80")
    assert done.returncode != 0
    assert FIX in done.stdout + done.stderr


def test_every_option_of_every_command_is_in_a_generated_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    generated = "".join(part.split("<!-- [[[end]]] -->")[0] for part in readme.split("]]] -->")[1:])
    for command in ("export", "list", "sync", "check", "clean"):
        for option in options(command):
            if command == "export" and option == "--from":
                continue  # described with mailboxes, in prose
            assert f"`{option}`" in generated, f"{option} of `revue2md {command}` is in no generated table"


def test_a_table_row_reads_the_help_record():
    table = options_table("export", only=["--jobs", "--token", "--images"])
    assert table.splitlines() == [
        "| option | value | what it does | default |",
        "|---|---|---|---|",
        "| `--jobs`, `-j` | `N (x>=1)` | Convert issues in N processes (the output is the same). | `1` |",
        "| `--token` | `KEY` | Revue API token (sent as 'Authorization: Token \\<key>'); never printed or saved. "
        "| env `REVUE_API_TOKEN` |",
        "| `--images` | `keep\\|download` | keep: images stay at their remote URLs (no network); download: copy every "
        "image into the site (a failed one keeps its URL and is reported). | `keep` |",
    ]
    assert "--api-url" in source_options() and "--filename" not in source_options()
