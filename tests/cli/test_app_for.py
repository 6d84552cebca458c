"""A run builds only the command it names: the same command, options and help as in the whole app."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
import typer.main

from revue2md.cli.app import app, app_for

NAMES = ["export", "list", "sync", "check", "clean"]


def _help(command, name: str) -> str:
    with typer.Context(command, info_name=name) as context:
        return command.get_help(context)


@pytest.mark.parametrize("name", NAMES)
def test_the_command_a_run_names_is_the_one_the_whole_app_has(name):
    whole = typer.main.get_command(app)
    alone = typer.main.get_command(app_for([name, "--help"]))
    assert list(alone.commands) == [name]
    mine, theirs = alone.commands[name], whole.commands[name]
    assert [p.opts for p in mine.params] == [p.opts for p in theirs.params]
    assert [p.default for p in mine.params] == [p.default for p in theirs.params]
    assert _help(mine, name) == _help(theirs, name)
    assert [p.opts for p in alone.params] == [p.opts for p in whole.params]  # --version


@pytest.mark.parametrize("arguments", [[], ["--help"], ["--version"], ["nosuch"], ["exp"], ["--version", "export"]])
def test_arguments_that_name_no_command_get_the_whole_app(arguments):
    assert app_for(arguments) is app
    assert len(app.registered_commands) == len(NAMES)


def test_the_installed_entry_point_runs_the_named_command(tmp_path):
    result = subprocess.run([sys.executable, "-m", "revue2md", "list", "--help"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0 and "Usage: python -m revue2md list" in result.stdout
    unknown = subprocess.run([sys.executable, "-m", "revue2md", "nosuch"], capture_output=True, text=True, check=False)
    assert unknown.returncode == 2 and "No such command 'nosuch'" in unknown.stderr
