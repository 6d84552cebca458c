"""The sync benchmark runs (its timings are read by people, not asserted)."""

from __future__ import annotations

import importlib.util

from conftest import ROOT


def test_bench_sync_runs_on_a_small_archive():
    spec = importlib.util.spec_from_file_location("bench_sync", ROOT / "benchmarks" / "bench_sync.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.run(count=12)
    assert result["count"] == 12
    assert result["pages_exported"] == result["pages_first_sync"] == 12
    assert result["pages_noop_sync"] == result["pages_reading_noop_sync"] == 0
    assert {"export_seconds", "first_sync_seconds", "noop_sync_seconds", "noop_vs_export",
            "reading_noop_sync_seconds", "reading_noop_vs_export"} <= set(result)
