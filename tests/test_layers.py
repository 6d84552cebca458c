"""Imports point down: each stage folder imports only what lies below it, and no two modules import each other.

Imports are read with `ast`, at module level and inside functions alike, relative ones resolved, so an
import moved into a function to dodge a cycle still counts.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT

STAGES = ("sources", "clean", "convert", "verify", "hugo", "net", "repair", "commands", "cli")

# `python -m revue2md` starts the command line, so `__main__` stands above `cli/` with it.
ENTRY_POINTS = ("__main__",)

# (folder the rule applies to, None for every module outside `cli/`; names it must not import)
RULES: tuple[tuple[str | None, tuple[str, ...]], ...] = (
    (None, ("typer", "click", "{pkg}.cli")),
    ("sources", tuple(f"{{pkg}}.{s}" for s in ("hugo", "convert", "verify", "commands", "cli"))),
    ("clean", tuple(f"{{pkg}}.{s}" for s in ("hugo", "commands", "cli"))),
    ("convert", tuple(f"{{pkg}}.{s}" for s in ("hugo", "commands", "cli"))),
    ("net", tuple(f"{{pkg}}.{s}" for s in STAGES if s != "net")),
)


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported module, dotted, absolute
    line: int


def modules(root: Path) -> dict[str, Path]:
    """Every module of the package at `root`, by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> list[Import]:
    """The modules `name` imports; `from a import b` counts as `a.b` when that is a module of the package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [Import(name, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.append(Import(name, full if full in known else base, node.lineno))
    return found


def _under(target: str, prefix: str) -> bool:
    return target == prefix or target.startswith(prefix + ".")


def layer_violations(root: Path) -> list[str]:
    """One line per import that breaks a layer rule, naming the module, the line and the import."""
    pkg = root.name
    found = modules(root)
    problems = []
    for name, path in found.items():
        for imp in imports(name, path, set(found)):
            for folder, banned in RULES:
                if folder:
                    inside = _under(name, f"{pkg}.{folder}")
                else:
                    inside = not _under(name, f"{pkg}.cli") and name not in {f"{pkg}.{e}" for e in ENTRY_POINTS}
                if not inside:
                    continue
                where = f"{pkg}/{folder}/" if folder else f"outside {pkg}/cli/"
                for ban in (b.format(pkg=pkg) for b in banned):
                    if _under(imp.target, ban):
                        problems.append(f"{name} (line {imp.line}) imports {imp.target}: {where} must not import {ban}")
    return problems


def import_cycle(root: Path) -> list[str] | None:
    """A cycle of modules importing each other, as a list that starts and ends with the same module, or None."""
    found = modules(root)
    graph = {name: sorted({imp.target for imp in imports(name, path, set(found)) if imp.target in found} - {name})
             for name, path in found.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_every_import_points_down():
    problems = layer_violations(ROOT / "revue2md")
    assert not problems, "layer rules broken:\n" + "\n".join(problems)


def test_no_module_imports_itself_through_others():
    cycle = import_cycle(ROOT / "revue2md")
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_checker_reads_every_kind_of_import(tmp_path):
    pkg = _fake(tmp_path, {
        "sources/web.py": "def f():\n    from ..hugo import page\n",
        "sources/api.py": "import pkg.convert.markdown\n",
        "sources/zip.py": "from pkg import verify\n",
        "clean/a.py": "from ..commands.export import run\n",
        "convert/b.py": "from pkg.cli import app\n",
        "net/http.py": "from ..sources import web\n",
        "hugo/page.py": "import typer\n",
        "models.py": "def g():\n    from click import echo\n",
        "cli/app.py": "import typer\nfrom ..commands import export\n",
        "hugo/convert.py": "from ..convert import markdown\n",
        "verify/__init__.py": "",
        "__main__.py": "from .cli.app import main\n",
    })
    problems = layer_violations(pkg)
    expected = {
        "pkg.sources.web (line 2) imports pkg.hugo.page",
        "pkg.sources.api (line 1) imports pkg.convert.markdown",
        "pkg.sources.zip (line 1) imports pkg.verify",
        "pkg.clean.a (line 1) imports pkg.commands.export",
        "pkg.convert.b (line 1) imports pkg.cli.app",
        "pkg.net.http (line 1) imports pkg.sources.web",
        "pkg.hugo.page (line 1) imports typer",
        "pkg.models (line 2) imports click",
    }
    assert {p.split(":")[0] for p in problems} == expected, problems


@pytest.mark.parametrize(("files", "cycle"), [
    ({"a.py": "from . import b\n", "b.py": "def f():\n    import pkg.a\n"}, ["pkg.a", "pkg.b", "pkg.a"]),
    ({"x/__init__.py": "", "x/m.py": "from ..y.n import f\n", "y/__init__.py": "", "y/n.py": "from ..x import m\n"},
     ["pkg.x.m", "pkg.y.n", "pkg.x.m"]),
    ({"a.py": "from . import b\n", "b.py": "import json\n"}, None),
])
def test_the_checker_finds_a_cycle(tmp_path, files, cycle):
    assert import_cycle(_fake(tmp_path, files)) == cycle


def _fake(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for rel, text in {"__init__.py": "", **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not (path.parent / "__init__.py").exists():
            (path.parent / "__init__.py").write_text("", encoding="utf-8")
        path.write_text(text, encoding="utf-8")
    return root
