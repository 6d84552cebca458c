"""Tell a page revue2md wrote from a file someone else put where a page is about to go.

`export` keeps no record of what it writes, so a page of an earlier export is known by what
revue2md always puts in its front matter: a `revue_id`, an alias of a Revue page, or else
the title and date of the very issue being written. A file the folder's state records (a
`sync` wrote it) is revue2md's too. Anything else (the site's own `about.md`, a post made
with `hugo new`) is someone else's, and export leaves it alone unless told to overwrite.
"""

from __future__ import annotations

import re
from pathlib import Path

from revue2md.files import NotRegularFile, read_head, read_regular
from revue2md.hugo.state import StateError, load_state
from revue2md.models import Page

# `/profile/NAME/issues/SLUG-ID`, `/issues/SLUG-ID`, `/archive/ID`: the aliases revue2md writes.
_REVUE_ALIAS = re.compile(r"^/(?:profile/[^/]+/)?issues/[^/]*-\d+/?$|^/archive/\d+/?$")


def recorded_paths(out: Path) -> frozenset[str]:
    """Every file the folder's state records; none when it has no state, or one that cannot be read."""
    try:
        state = load_state(out)
    except StateError:  # export never needed the state: a broken one only means nothing is recorded
        return frozenset()
    if state is None:
        return frozenset()
    return frozenset(record.path for issue in state.issues.values() for record in issue.files)


def same_bytes(path: Path, data: bytes) -> bool:
    """Does the regular file at `path` hold exactly `data`?"""
    try:
        return path.stat().st_size == len(data) and read_regular(path, within=path.parent) == data
    except (FileNotFoundError, IsADirectoryError, NotRegularFile):
        return False


def written_by_revue2md(path: Path, page: Page) -> bool:
    """Does the file at `path` (already vetted by `files.inside`) look like a page revue2md wrote?"""
    # The front matter reader (YAML) is loaded only when a file is already where a page goes.
    from revue2md.front_matter import MAX_FRONT_MATTER, FrontMatterError, split_page

    try:
        head = read_head(path, MAX_FRONT_MATTER + 8).decode("utf-8", errors="replace")
        metadata = split_page(head).metadata
    except (OSError, FrontMatterError):
        return False
    if "revue_id" in metadata:
        return True
    aliases = metadata.get("aliases")
    if isinstance(aliases, list) and any(isinstance(alias, str) and _REVUE_ALIAS.match(alias) for alias in aliases):
        return True
    date = metadata.get("date")
    return metadata.get("title") == page.title and (date == page.date or str(date) == str(page.date))
