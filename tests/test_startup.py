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
