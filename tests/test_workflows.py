"""The workflows: the examples for users cannot run here, and this repository's round trip works."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
EXAMPLES = {"example-sync-site.yml": ("REVUE2MD_SYNC", "revue2md sync"),
            "example-check-site.yml": ("REVUE2MD_CHECK", "revue2md check")}


def _load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_workflows_are_guarded_and_explained(name):
    variable, command = EXAMPLES[name]
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    assert text.startswith("# An example for the repository of YOUR Hugo site; it does nothing in the revue2md")
    workflow = _load(name)
    for job in workflow["jobs"].values():
        assert job["if"] == f"vars.{variable} == 'on'"
    runs = "\n".join(step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"])
    assert command in runs
    assert name in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_scheduled_example_commits_the_state_with_the_pages():
    workflow = _load("example-sync-site.yml")
    assert "schedule" in workflow[True] and workflow["permissions"] == {"contents": "write"}
    runs = "\n".join(step.get("run", "") for step in workflow["jobs"]["sync"]["steps"])
    assert 'git add -A "$CONTENT"' in runs and "git push" in runs and "--quiet" in runs


@pytest.mark.hugo
def test_the_ci_round_trip_job_passes(hugo, tmp_path):
    """Run the steps of ci.yml's round-trip job (after its install) with this environment's revue2md."""
    steps = _load("ci.yml")["jobs"]["round-trip"]["steps"]
    commands = [step["run"] for step in steps if "run" in step and "pip install" not in step["run"]]
    assert any("check examples/archive" in command and "--hugo" in command for command in commands)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{os.environ['PATH']}"}
    for command in commands:
        result = subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
