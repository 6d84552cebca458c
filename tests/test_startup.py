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
