"""Synthetic archives for the benchmarks: the real corpus issues again and again, with new ids.

An archive of N issues is a folder of the three source kinds in the corpus's proportions:
API responses saved as JSON files of at most 100 issues each (so that no single file holds
the whole archive), saved issue pages and archive pages. Every copy gets its own id, URL,
title and date, so names and aliases do not collide. Without the corpus, the hand-made
fixtures are used instead.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("REVUE2MD_CORPUS", ROOT.parent / "shared" / "corpus"))
FIXTURES = ROOT / "fixtures"
BATCH = 100


def samples() -> tuple[list[dict], list[str], list[str], str]:
    """(API issue objects, saved issue pages, archive pages, where they come from)."""
    if CORPUS.is_dir():
        api = []
        for path in sorted((CORPUS / "api").rglob("*.json")):
            api += json.loads(path.read_text(encoding="utf-8"))
        web = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "web").rglob("*.html"))]
        email = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "email").rglob("*.html"))]
        return api, web, email, str(CORPUS)
    api = json.loads((FIXTURES / "api" / "every-structure.json").read_text(encoding="utf-8"))
    web = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "web").glob("*.html"))]
    email = [p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "email").glob("*.html"))]
    return api, web, email, "hand-made fixtures (corpus not found)"


def build(folder: Path, count: int) -> dict:
    """Write an archive of `count` issues under `folder`; returns how many of each kind."""
    api, web, email, origin = samples()
    total = len(api) + len(web) + len(email)
    web_count = max(1, round(count * len(web) / total)) if web else 0
    email_count = max(1, round(count * len(email) / total)) if email else 0
    api_count = count - web_count - email_count
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime(2018, 1, 1, tzinfo=timezone.utc)
    batch: list[dict] = []
    for n in range(api_count):
        issue = dict(api[n % len(api)])
        issue.update(_identity(n, start))
        issue["sent_at"] = (start + timedelta(hours=n)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        batch.append(issue)
        if len(batch) == BATCH or n == api_count - 1:
            (folder / f"issues-{n // BATCH:04d}.json").write_text(json.dumps(batch), encoding="utf-8")
            batch = []
    for n in range(web_count):
        number = api_count + n
        page = _retarget_page(web[n % len(web)], number, start)
        (folder / f"page-{number:06d}.html").write_text(page, encoding="utf-8")
    for n in range(email_count):
        number = api_count + web_count + n
        page = _retarget_page(email[n % len(email)], number, start)
        (folder / f"archive-{number:06d}.html").write_text(page, encoding="utf-8")
    return {"issues": count, "api": api_count, "web": web_count, "email": email_count, "from": origin}


def _identity(n: int, start: datetime) -> dict:
    issue_id = 5_000_000 + n
    return {
        "id": issue_id,
        "title": f"Synthetic issue {n}",
        "url": f"https://www.getrevue.co/profile/bench/issues/synthetic-issue-{n}-{issue_id}",
    }


# The id is the last number of an issue URL's path (`/issues/week-12-in-review-123456`), not the first.
_ISSUE_URL = re.compile(r"(/issues/[a-z0-9-]*-|/archive/)\d+(?![\w-])")
_DATETIME = re.compile(r'datetime="[^"]+"')
_H1 = re.compile(r"(<h1[^>]*>)[^<]*(</h1>)")


def _retarget_page(page: str, n: int, start: datetime) -> str:
    """The same page under a new id (in every issue URL it holds), title and date."""
    issue_id = 5_000_000 + n
    page = _ISSUE_URL.sub(lambda m: f"{m.group(1)}{issue_id}", page)
    page = _DATETIME.sub(f'datetime="{(start + timedelta(hours=n)).isoformat()}"', page, count=1)
    return _H1.sub(lambda m: f"{m.group(1)}Synthetic issue {n}{m.group(2)}", page, count=1)
