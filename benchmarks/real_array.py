"""One saved API array of real issues, for volume: the corpus's API issues again and again.

Every copy keeps its real `html` (about 9 KB, link items with thumbnails) and gets its own id,
URL, title and date, so that pages, names and aliases do not collide. The whole archive is a
single `.json` file, the shape `GET /v2/issues` returns: this is what a reader that loads the
array at once pays for in memory. Without the corpus, the hand-made fixture array is used.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import synthetic


def real_issues() -> tuple[list[dict], str]:
    """The API issue objects copied from, and where they come from."""
    api, _, _, origin = synthetic.samples()
    return api, origin


def build(path: Path, count: int) -> dict:
    """Write `count` issues as one JSON array at `path`, streaming them out one by one."""
    api, origin = real_issues()
    start = datetime(2015, 1, 1, tzinfo=timezone.utc)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for n in range(count):
            issue = dict(api[n % len(api)])
            issue_id = 7_000_000 + n
            issue["id"] = issue_id
            issue["title"] = f"Real issue copy {n}"
            issue["url"] = f"https://www.getrevue.co/profile/bench/issues/real-issue-copy-{n}-{issue_id}"
            issue["sent_at"] = (start + timedelta(hours=n)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
            out.write(("," if n else "") + json.dumps(issue))
        out.write("]")
    return {"issues": count, "bytes": path.stat().st_size, "from": origin,
            "copied_from": len(api)}
