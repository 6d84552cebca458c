"""The README documents every command and option, and its set-up commands stay true."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from conftest import ROOT

from revue2md.cli.app import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> dict:
    group = typer.main.get_command(app)
    return dict(group.commands)


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_is_in_the_readme(name):
    assert f"revue2md {name}" in README, f"`revue2md {name}` is not documented in README.md"


@pytest.mark.parametrize(("name", "option"), sorted(
    (name, option) for name, command in _commands().items() for param in command.params
    for option in param.opts if option.startswith("--") and option != "--help"
))
def test_every_option_is_in_the_readme(name, option):
    assert re.search(rf"`{re.escape(option)}[ `=\\]", README), f"{option} of `revue2md {name}` is not in README.md"


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test command -->" in script
    block = README.split("<!-- test command -->")[1].split("<!-- end test command -->")[0]
    assert "pytest" in block and "pip install" in block


def test_readme_example_command_runs(tmp_path):
    """The first set-up command, run from the repository with this environment's revue2md."""
    command = README.split("```sh\n", 1)[1].split("\n```", 1)[0]
    export = command.split("&& ")[-1].replace(".venv/bin/revue2md", str(Path(sys.executable).parent / "revue2md"))
    export = export.replace("site/content/issues", str(tmp_path / "issues"))
    result = subprocess.run(export, shell=True, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "issues").glob("*.md"))) == 3
