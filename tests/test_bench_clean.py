"""The clean benchmark still runs (its numbers are not checked: speed is measured, not tested)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_clean.py"


def test_the_clean_benchmark_runs_and_reports_files_per_second():
    spec = importlib.util.spec_from_file_location("bench_clean", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    result = bench.run(count=3)

    assert result["files"] == 3
    assert {"clean_out_files_per_second", "check_damaged_files_per_second",
            "check_clean_files_per_second"} <= result.keys()
