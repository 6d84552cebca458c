"""What a start costs: modules an export has no use for are not imported until something uses them."""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import sys
import revue2md.cli.app, revue2md.commands.export, revue2md.clean.issue
from bs4 import BeautifulSoup
soup = BeautifulSoup('<p class="a">x</p>', "lxml")
loaded = [name for name in ("soupsieve.css_parser", "charset_normalizer.api") if name in sys.modules]
print(",".join(loaded) or "-")
print(soup.select("p.a")[0].get_text(), "soupsieve.css_parser" in sys.modules)
"""


def test_css_selectors_and_charset_detection_load_on_first_use():
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True)
    before, after = done.stdout.splitlines()
    assert before == "-"
    assert after == "x True"
    assert done.stderr == ""


def test_the_package_imports_with_nothing_else_loaded_first():
    # -I -S skip site-packages hooks (an editable install's finder imports importlib.util itself),
    # as a plain `pip install .` leaves things when the `revue2md` script starts.
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    site = [p for p in sys.path if p.endswith("site-packages")]
    code = f"import sys; sys.path[:0] = [{str(root)!r}, *{site!r}]; import revue2md.cli.app"
    result = subprocess.run([sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


# Libraries an export of saved API JSON has no use for: typer's pydantic (see cli.coercion),
# the readers of other sources (front matter, mail, ZIP, web archive), HTTP, processes, hashes (no image
# is downloaded), and the other commands' code.
_NOT_FOR_AN_API_EXPORT = ("pydantic", "soupsieve.css_parser", "yaml", "frontmatter", "requests", "email.message",
                          "zipfile", "multiprocessing", "concurrent.futures.process", "rich", "ftfy", "markdown_it",
                          "revue2md.sources.web", "revue2md.sources.mail", "revue2md.sources.wayback",
                          "revue2md.net.http", "revue2md.hugo.redirects", "hashlib", "revue2md.commands.check",
                          "revue2md.commands.sync", "revue2md.commands.clean", "revue2md.commands.list",
                          "revue2md.verify.fidelity", "revue2md.repair.markdown")


def test_an_export_of_api_json_imports_only_what_it_uses(tmp_path):
    from conftest import FIXTURES

    probe = ("import runpy, sys\n"
             "sys.argv = ['revue2md', 'export', sys.argv[1], '--out', sys.argv[2], '-q']\n"
             "try:\n    runpy.run_module('revue2md', run_name='__main__')\n"
             "except SystemExit as stop:\n    code = stop.code\n"
             f"print(code, [name for name in {_NOT_FOR_AN_API_EXPORT!r} if name in sys.modules])\n")
    done = subprocess.run([sys.executable, "-c", probe, str(FIXTURES / "api" / "single.json"), str(tmp_path / "out")],
                          capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 []"
    assert list((tmp_path / "out").glob("*.md"))
