"""How long a sync with nothing new takes next to a full export, on a synthetic archive.

    python benchmarks/bench_sync.py [COUNT]

Builds a synthetic archive of COUNT issues (default 1000; see synthetic.py: the corpus's
issues again and again with new ids, dates and titles, else the fixtures'); then times a full
export, a first sync into an empty folder, and a second sync with nothing new. The target:
the no-op sync takes at most 5% of the full export. A third sync, after the state file's
record of the last run's inputs is removed, reads every source and hashes every issue again:
the cost of a sync with nothing new when the sources are not plain files (the API).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402


def run(count: int = 1000) -> dict:
    sys.path.insert(0, str(ROOT))
    from revue2md.commands.export import export
    from revue2md.commands.options import ExportOptions
    from revue2md.commands.sync import sync

    options = ExportOptions()
    with tempfile.TemporaryDirectory(prefix="revue2md-bench-sync-") as temporary:
        folder = Path(temporary)
        archive = folder / "archive"
        origin = synthetic.build(archive, count)["from"]

        started = time.perf_counter()
        exported = export([archive], folder / "export", options)
        export_seconds = time.perf_counter() - started

        started = time.perf_counter()
        first = sync([archive], folder / "sync", options)
        first_sync_seconds = time.perf_counter() - started

        started = time.perf_counter()
        again = sync([archive], folder / "sync", options)
        noop_sync_seconds = time.perf_counter() - started

        forget_inputs(folder / "sync")
        started = time.perf_counter()
        reread = sync([archive], folder / "sync", options)
        reading_noop_seconds = time.perf_counter() - started

    return {
        "count": count,
        "issues_from": origin,
        "pages_exported": len(exported.written),
        "pages_first_sync": len(first.written),
        "pages_noop_sync": len(again.written),
        "pages_reading_noop_sync": len(reread.written),
        "export_seconds": round(export_seconds, 3),
        "first_sync_seconds": round(first_sync_seconds, 3),
        "noop_sync_seconds": round(noop_sync_seconds, 3),
        "noop_vs_export": round(noop_sync_seconds / export_seconds, 4) if export_seconds else None,
        "reading_noop_sync_seconds": round(reading_noop_seconds, 3),
        "reading_noop_vs_export": round(reading_noop_seconds / export_seconds, 4) if export_seconds else None,
        "target_noop_vs_export": 0.05,
    }


def forget_inputs(out: Path) -> None:
    from revue2md.hugo.state import STATE_NAME

    state = out / STATE_NAME
    document = json.loads(state.read_text(encoding="utf-8"))
    document.pop("inputs")
    state.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
    print(f"{result['count']} issues (from the {result['issues_from']}):")
    print(f"  full export        {result['export_seconds']:8.3f} s")
    print(f"  first sync         {result['first_sync_seconds']:8.3f} s")
    print(f"  sync, nothing new  {result['noop_sync_seconds']:8.3f} s  "
          f"({result['noop_vs_export']:.1%} of the export; target <= 5%)")
    print(f"  the same, reading  {result['reading_noop_sync_seconds']:8.3f} s  "
          f"({result['reading_noop_vs_export']:.1%} of the export; sources read and hashed again)")
    print(json.dumps(result))
