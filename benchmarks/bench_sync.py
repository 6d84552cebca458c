"""How long a sync with nothing new takes next to a full export, on a synthetic archive.

    python benchmarks/bench_sync.py [COUNT]

Builds an API response of COUNT issues (default 1000) from the real corpus when it is in
../shared/corpus (else from the fixtures), with new ids, dates and slugs; then times a full
export, a first sync into an empty folder, and a second sync with nothing new. The target:
the no-op sync takes at most 10% of the full export.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("REVUE2MD_CORPUS", ROOT.parent / "shared" / "corpus"))


def base_issues() -> tuple[list[dict], str]:
    """API issue objects to copy from, and where they came from."""
    corpus_files = sorted((CORPUS / "api").rglob("*.json")) if CORPUS.is_dir() else []
    files = corpus_files or sorted((ROOT / "fixtures" / "api").glob("*.json"))
    issues = []
    for path in files:
        value = json.loads(path.read_text(encoding="utf-8"))
        value = value["issue"] if isinstance(value, dict) and "issue" in value else value
        issues += [item for item in (value if isinstance(value, list) else [value]) if isinstance(item, dict)]
    return issues, "corpus" if corpus_files else "fixtures"


def synthetic_archive(path: Path, count: int) -> str:
    base, origin = base_issues()
    start = datetime(2015, 1, 1, 8, tzinfo=timezone.utc)
    issues = []
    for index in range(count):
        issue_id = 5_000_000 + index
        issue = dict(base[index % len(base)])
        issue.update(
            id=issue_id,
            title=f"Bench {index}: {issue.get('title') or 'untitled'}",
            url=f"https://www.getrevue.co/profile/bench/issues/bench-{index}-{issue_id}",
            sent_at=(start + timedelta(days=index)).isoformat().replace("+00:00", "Z"),
        )
        issues.append(issue)
    path.write_text(json.dumps(issues, ensure_ascii=False), encoding="utf-8")
    return origin


def run(count: int = 1000) -> dict:
    sys.path.insert(0, str(ROOT))
    from revue2md.pipeline import ExportOptions, export
    from revue2md.sync import sync

    options = ExportOptions()
    with tempfile.TemporaryDirectory(prefix="revue2md-bench-sync-") as temporary:
        folder = Path(temporary)
        archive = folder / "issues.json"
        origin = synthetic_archive(archive, count)

        started = time.perf_counter()
        exported = export([archive], folder / "export", options)
        export_seconds = time.perf_counter() - started

        started = time.perf_counter()
        first = sync([archive], folder / "sync", options)
        first_sync_seconds = time.perf_counter() - started

        started = time.perf_counter()
        again = sync([archive], folder / "sync", options)
        noop_sync_seconds = time.perf_counter() - started

    return {
        "count": count,
        "issues_from": origin,
        "pages_exported": len(exported.written),
        "pages_first_sync": len(first.written),
        "pages_noop_sync": len(again.written),
        "export_seconds": round(export_seconds, 3),
        "first_sync_seconds": round(first_sync_seconds, 3),
        "noop_sync_seconds": round(noop_sync_seconds, 3),
        "noop_vs_export": round(noop_sync_seconds / export_seconds, 4) if export_seconds else None,
        "target_noop_vs_export": 0.10,
    }


if __name__ == "__main__":
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
    print(f"{result['count']} issues (from the {result['issues_from']}):")
    print(f"  full export        {result['export_seconds']:8.3f} s")
    print(f"  first sync         {result['first_sync_seconds']:8.3f} s")
    print(f"  sync, nothing new  {result['noop_sync_seconds']:8.3f} s  "
          f"({result['noop_vs_export']:.1%} of the export; target <= 10%)")
    print(json.dumps(result))
