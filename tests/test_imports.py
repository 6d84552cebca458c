"""Every module of the package imports alone in a fresh interpreter: none needs another loaded first."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT


def _modules() -> list[str]:
    root = ROOT / "revue2md"
    names = []
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if parts[-1] != "__main__":  # running it starts the command line
            names.append(".".join(parts))
    return names


def test_every_module_is_found():
    names = _modules()
    assert {"revue2md", "revue2md.models", "revue2md.sources.interface", "revue2md.cli.app"} <= set(names)
    assert len(names) == len(set(names))


@pytest.mark.parametrize("module", _modules())
def test_module_imports_alone(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, f"`import {module}` failed in a fresh interpreter:\n{done.stderr}"
