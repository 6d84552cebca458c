"""revue2md's benchmark: speed per source kind and stage, the parsing floor, scale, memory,
sync, clean, images, start-up and processes. Prints a table and writes JSON.

    python benchmarks/bench.py              # every figure (the 10,000-issue archive takes minutes)
    python benchmarks/bench.py --quick      # small sizes, a smoke run of every part (~10 s)

Timings are wall-clock seconds on one core unless a part says otherwise; peak memory is the
maximum resident set size of the child process that ran the command.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import synthetic  # noqa: E402

CORPUS = synthetic.CORPUS
RESULTS = HERE / "results"
KINDS = {
    "API JSON": ["api"],
    "saved web pages": ["web"],
    "archive/e-mail pages": ["email"],
}
TARGETS = {
    "web_ratio_to_floor": 2.0,
    "api_issues_per_second": 250,
    "peak_rss_mb_10000": 200,
    "scale_ratio": 11,
    "noop_sync_share": 0.10,
    "help_seconds": 0.3,
    "jobs_speedup": 1.7,
}


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}",
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d")}


# --- per source kind, per stage --------------------------------------------------------------


def stages(paths: list[Path], repeat: int) -> dict:
    """Median seconds per issue of each stage, over `repeat` runs of the whole set."""
    from revue2md.clean.issue import clean_issue
    from revue2md.files import write_atomic
    from revue2md.hugo.page import make_page, render_page
    from revue2md.models import Issue
    from revue2md.sources.detect import iter_issues, open_sources

    runs = []
    with tempfile.TemporaryDirectory(prefix="revue2md-bench-") as temporary:
        out = Path(temporary)
        for _ in range(repeat):
            times = dict.fromkeys(("read", "clean", "convert", "write"), 0.0)
            started = time.perf_counter()
            issues = [i for i in iter_issues(open_sources(paths)) if isinstance(i, Issue)]
            times["read"] = time.perf_counter() - started
            for n, issue in enumerate(issues):
                a = time.perf_counter()
                cleaned = clean_issue(issue)
                b = time.perf_counter()
                page = make_page(cleaned)
                text = render_page(page)
                c = time.perf_counter()
                write_atomic(out / f"{n}.md", text.encode("utf-8"))
                times["write"] += time.perf_counter() - c
                times["clean"] += b - a
                times["convert"] += c - b
            runs.append(times)
    count = len(issues)
    median = {stage: statistics.median(run[stage] for run in runs) / max(1, count) for stage in runs[0]}
    total = sum(median.values())
    return {"issues": count, "ms_per_issue": {k: round(v * 1000, 2) for k, v in median.items()},
            "total_ms": round(total * 1000, 2), "issues_per_second": round(1 / total, 1) if total else None}


def floors(paths: list[Path], repeat: int) -> dict:
    """Parsing the same bytes once and walking their text: with lxml alone, and with BeautifulSoup."""
    import lxml.html
    from bs4 import BeautifulSoup

    documents = []
    for path in paths:
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.suffix == ".json":
                documents += [issue["html"] for issue in json.loads(file.read_text(encoding="utf-8"))]
            elif file.suffix == ".html":
                documents.append(file.read_bytes())

    def lxml_walk():
        for document in documents:
            sum(len(text) for text in lxml.html.fromstring(document).itertext())

    def bs4_walk():
        for document in documents:
            BeautifulSoup(document, "lxml").get_text()

    result = {}
    for name, walk in (("lxml", lxml_walk), ("bs4", bs4_walk)):
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            walk()
            samples.append(time.perf_counter() - started)
        result[name] = round(statistics.median(samples) / max(1, len(documents)) * 1000, 2)
    return result


def per_kind(repeat: int) -> dict:
    if not CORPUS.is_dir():
        return {"skipped": f"corpus not found at {CORPUS}"}
    result = {}
    for kind, folders in KINDS.items():
        paths = [CORPUS / folder for folder in folders]
        measured = stages(paths, repeat)
        floor = floors(paths, repeat)
        measured["floor_ms"] = floor
        measured["ratio_to_lxml_floor"] = round(measured["total_ms"] / floor["lxml"], 1)
        measured["ratio_to_bs4_floor"] = round(measured["total_ms"] / floor["bs4"], 2)
        result[kind] = measured
    return result


# --- whole commands in a child process ------------------------------------------------------


# Runs one command and prints its own peak RSS: a parent's RUSAGE_CHILDREN keeps the largest
# child it ever had, so each measured command gets a fresh parent.
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "started = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "elapsed = time.perf_counter() - started\n"
    "print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


def run_command(*args: str) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit code) of `python -m revue2md ARGS` in a child process."""
    process = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "revue2md", *args],
                             capture_output=True, text=True, check=True)
    elapsed, peak_kb, code = process.stdout.split()
    return float(elapsed), int(peak_kb) / 1024, int(code)


def scale(sizes: list[int], work: Path) -> dict:
    result = {}
    for size in sizes:
        archive = work / f"archive-{size}"
        built = synthetic.build(archive, size)
        out = work / f"out-{size}"
        seconds, rss, code = run_command("export", str(archive), "--out", str(out), "-q")
        result[str(size)] = {"seconds": round(seconds, 2), "peak_rss_mb": round(rss, 1), "exit": code,
                             "issues_per_second": round(size / seconds, 1), "archive": built}
    if len(sizes) == 2:
        small, large = (result[str(s)]["seconds"] for s in sizes)
        result["time_ratio"] = round(large / small, 2)
        result["size_ratio"] = sizes[1] // sizes[0]
    return result


def jobs(size: int, work: Path, count: int) -> dict:
    archive = work / f"archive-{size}"
    if not archive.is_dir():
        synthetic.build(archive, size)
    one, _, _ = run_command("export", str(archive), "--out", str(work / "jobs-1"), "-q", "--jobs", "1")
    many, _, _ = run_command("export", str(archive), "--out", str(work / f"jobs-{count}"), "-q",
                                    "--jobs", str(count))
    identical = _same_tree(work / "jobs-1", work / f"jobs-{count}")
    return {"issues": size, "jobs": count, "seconds_jobs_1": round(one, 2), f"seconds_jobs_{count}": round(many, 2),
            "speedup": round(one / many, 2), "identical_output": identical}


def _same_tree(a: Path, b: Path) -> bool:
    files_a = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    return files_a == files_b


def startup(repeat: int) -> dict:
    samples = []
    for _ in range(repeat):
        seconds, _, _ = run_command("--help")
        samples.append(seconds)
    return {"median_seconds": round(statistics.median(samples), 3), "runs": repeat}


def references(work: Path) -> dict:
    """html2text and pandoc on the saved web pages, for reference, when they are installed."""
    pages = sorted((CORPUS / "web").rglob("*.html")) if CORPUS.is_dir() else []
    result = {}
    if not pages:
        return {"skipped": "corpus not found"}
    try:
        import html2text

        started = time.perf_counter()
        for page in pages:
            html2text.html2text(page.read_text(encoding="utf-8"))
        result["html2text_ms_per_page"] = round((time.perf_counter() - started) / len(pages) * 1000, 1)
    except ImportError:
        result["html2text"] = "not installed"
    if shutil.which("pandoc"):
        started = time.perf_counter()
        for page in pages:
            subprocess.run(["pandoc", "-f", "html", "-t", "gfm", str(page), "-o", str(work / "pandoc.md")],
                           capture_output=True)
        result["pandoc_ms_per_page"] = round((time.perf_counter() - started) / len(pages) * 1000, 1)
    else:
        result["pandoc"] = "not installed"
    return result


def optional(name: str, **kwargs) -> dict:
    """A part measured by its own script in this folder (sync, clean, images)."""
    try:
        module = __import__(name)
    except ImportError as error:
        return {"skipped": f"{name}: {error}"}
    try:
        return module.run(**kwargs)
    except Exception as error:  # a part failing must not hide the others
        return {"failed": f"{type(error).__name__}: {error}"}


# --- the report ----------------------------------------------------------------------------------


def summary(results: dict) -> list[tuple[str, str, str]]:
    """(figure, value, target) rows for the table."""
    rows = []
    kinds = results.get("per_kind", {})
    for kind, data in kinds.items():
        if not isinstance(data, dict) or "total_ms" not in data:
            continue
        split = ", ".join(f"{k} {v}" for k, v in data["ms_per_issue"].items())
        rows.append((f"{kind}: issues/s (ms per issue: {split})", f"{data['issues_per_second']}",
                     f">= {TARGETS['api_issues_per_second']}" if kind == "API JSON" else ""))
        rows.append((f"{kind}: pipeline / parse floor (lxml; BeautifulSoup)",
                     f"{data['ratio_to_lxml_floor']}; {data['ratio_to_bs4_floor']}",
                     f"<= {TARGETS['web_ratio_to_floor']}" if kind == "saved web pages" else ""))
    scaled = results.get("scale", {})
    for size, data in scaled.items():
        if isinstance(data, dict) and "seconds" in data:
            rows.append((f"export {size} issues: seconds, peak RSS MB", f"{data['seconds']}, {data['peak_rss_mb']}",
                         f"RSS <= {TARGETS['peak_rss_mb_10000']}" if size == "10000" else ""))
    if "time_ratio" in scaled:
        rows.append((f"time({scaled['size_ratio']}x issues) / time(1x)", f"{scaled['time_ratio']}",
                     f"<= {TARGETS['scale_ratio']}"))
    sync = results.get("sync", {})
    if sync.get("noop_vs_export") is not None:
        rows.append((f"sync with nothing new on {sync['count']} issues: seconds (export: {sync['export_seconds']})",
                     f"{sync['noop_sync_seconds']} ({sync['noop_vs_export']:.1%})",
                     f"<= {TARGETS['noop_sync_share']:.0%}"))
    clean = results.get("clean", {})
    for key, value in clean.items():
        if key.endswith("files_per_second"):
            rows.append((f"clean: {key.replace('_', ' ')}", f"{value}", ""))
    if "median_seconds" in results.get("startup", {}):
        rows.append(("revue2md --help seconds", f"{results['startup']['median_seconds']}",
                     f"<= {TARGETS['help_seconds']}"))
    job = results.get("jobs", {})
    if "speedup" in job:
        rows.append((f"--jobs {job['jobs']} speed-up on {job['issues']} issues (output identical: "
                     f"{job['identical_output']})", f"{job['speedup']}x", f">= {TARGETS['jobs_speedup']}x"))
    images = results.get("images", {})
    if "speedup" in images:
        rows.append(("images: pool / one at a time at 50 ms latency", f"{images['speedup']}x", ">= 4x"))
    for key, value in results.get("references", {}).items():
        rows.append((f"reference: {key.replace('_', ' ')}", f"{value}", ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run of every part")
    parser.add_argument("--output", type=Path, default=None, help="where to write the JSON results")
    arguments = parser.parse_args()
    quick = arguments.quick
    sizes = [50, 100] if quick else [1000, 10000]
    results: dict = {"machine": machine(), "quick": quick, "targets": TARGETS}
    with tempfile.TemporaryDirectory(prefix="revue2md-bench-") as temporary:
        work = Path(temporary)
        results["per_kind"] = per_kind(repeat=1 if quick else 5)
        results["startup"] = startup(3 if quick else 7)
        results["jobs"] = jobs(sizes[0], work, 2)
        results["sync"] = optional("bench_sync", count=sizes[0])
        results["clean"] = optional("bench_clean", count=50 if quick else 1000)
        results["images"] = optional("bench_images", images=16 if quick else 64)
        results["references"] = references(work)
        results["scale"] = scale(sizes, work)  # last: the peak RSS of the largest run is the one kept
    output = arguments.output or RESULTS / ("quick.json" if quick else "latest.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    info = results["machine"]
    print(f"revue2md benchmark, {info['date']}: {info['cpu']}, {info['cores']} cores, Python {info['python']}")
    rows = summary(results)
    width = max(len(row[0]) for row in rows)
    for figure, value, target in rows:
        print(f"  {figure:<{width}}  {value:>14}  {target}")
    print(f"results: {output}")


if __name__ == "__main__":
    main()
