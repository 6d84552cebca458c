"""revue2md's benchmark: speed per source kind and stage against floors and peers measured in
the same run on the same inputs, scale, memory, sync, clean, images, start-up and processes.
Prints a table and writes JSON.

    python benchmarks/bench.py              # every figure (the 10,000-issue archives take minutes)
    python benchmarks/bench.py --quick      # small sizes, a smoke run of every part

Per kind (in-process): CPU seconds on one core, median of interleaved rounds of revue2md, a
BeautifulSoup parse and an lxml parse of each issue's HTML, and html2text when installed;
pandoc (a process per issue) when it is on PATH. Whole commands: wall-clock seconds of a child
process; peak memory is the maximum resident set size of that child.
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

import real_array  # noqa: E402
import synthetic  # noqa: E402

ROOT = HERE.parent
CORPUS = synthetic.CORPUS
RESULTS = HERE / "results"
KINDS = {
    "API JSON": ["api"],
    "saved web pages": ["web"],
    "archive/e-mail pages": ["email"],
}
TARGETS = {
    "api_issues_per_second": 200,
    "api_ratio_to_bs4": 2.5,
    "page_ratio_to_bs4": 1.6,
    "peak_rss_mb_10000": 80,
    "rss_kb_per_issue": 0.5,
    "scale_ratio": 10.5,
    "noop_sync_share": 0.05,
    "one_issue_export_seconds": 0.15,
    "jobs_speedup": 1.8,
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


# --- per source kind, per stage, against floors and peers on the same inputs ------------------


def _cpu(work) -> float:
    """CPU seconds of one call (one core, this process only)."""
    started = time.process_time()
    work()
    return time.process_time() - started


def _documents(paths: list[Path]) -> list[str | bytes]:
    """The HTML each issue comes from: an API issue's `html` field, a saved page's whole bytes."""
    documents: list[str | bytes] = []
    for path in paths:
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.suffix == ".json":
                documents += [issue["html"] for issue in json.loads(file.read_text(encoding="utf-8"))]
            elif file.suffix == ".html":
                documents.append(file.read_bytes())
    return documents


def _pipeline(paths: list[Path], out: Path):
    """One pass of the whole in-process pipeline, split by stage (read, clean, convert, write)."""
    from revue2md.clean.issue import clean_issue
    from revue2md.files import write_atomic
    from revue2md.hugo.page import make_page, render_page
    from revue2md.models import Issue
    from revue2md.sources.detect import iter_issues, open_sources

    def run() -> tuple[int, dict]:
        times = dict.fromkeys(("read", "clean", "convert", "write"), 0.0)
        started = time.process_time()
        issues = [i for i in iter_issues(open_sources(paths)) if isinstance(i, Issue)]
        times["read"] = time.process_time() - started
        for n, issue in enumerate(issues):
            a = time.process_time()
            cleaned = clean_issue(issue)
            b = time.process_time()
            text = render_page(make_page(cleaned))
            c = time.process_time()
            write_atomic(out / f"{n}.md", text.encode("utf-8"))
            times["write"] += time.process_time() - c
            times["clean"] += b - a
            times["convert"] += c - b
        return len(issues), times

    return run


def _html2text():
    try:
        import html2text
    except ImportError:
        return None

    def convert(document: str | bytes) -> None:
        html2text.html2text(document.decode("utf-8") if isinstance(document, bytes) else document)

    return convert


def _pandoc_ms(documents: list[str | bytes], work: Path, limit: int) -> float | None:
    """Median wall milliseconds of one `pandoc -f html -t gfm` process per document (a sample)."""
    if not shutil.which("pandoc"):
        return None
    samples = []
    for n, document in enumerate(documents[:limit]):
        source = work / f"pandoc-{n}.html"
        source.write_bytes(document.encode("utf-8") if isinstance(document, str) else document)
        started = time.perf_counter()
        subprocess.run(["pandoc", "-f", "html", "-t", "gfm", str(source), "-o", str(work / "pandoc.md")],
                       capture_output=True, check=False)
        samples.append(time.perf_counter() - started)
    return round(statistics.median(samples) * 1000, 2)


def measure_kind(paths: list[Path], repeat: int, work: Path, pandoc_limit: int) -> dict:
    """revue2md, the two parse floors and html2text on the same issues, in interleaved rounds.

    Each round runs every contender once over the whole set, so that a busy moment on a
    shared machine hits all of them alike; the figure is the median over the rounds.
    """
    import lxml.html
    from bs4 import BeautifulSoup

    documents = _documents(paths)
    out = work / "per-kind"
    out.mkdir(exist_ok=True)
    pipeline = _pipeline(paths, out)
    pipeline()  # warm up: imports, regex compilation
    html2text_convert = _html2text()
    contenders = {
        "bs4_parse": lambda: [BeautifulSoup(d, "lxml") for d in documents],
        "lxml_parse": lambda: [lxml.html.fromstring(d) for d in documents],
    }
    if html2text_convert is not None:
        contenders["html2text"] = lambda: [html2text_convert(d) for d in documents]
    samples: dict[str, list[float]] = {name: [] for name in ("revue2md", *contenders)}
    stage_runs = []
    count = 0
    for _ in range(repeat):
        started = time.process_time()
        count, times = pipeline()
        samples["revue2md"].append(time.process_time() - started)
        stage_runs.append(times)
        for name, contender in contenders.items():
            samples[name].append(_cpu(contender))
    ms = {name: round(statistics.median(values) / max(1, count) * 1000, 2) for name, values in samples.items()}
    stages_ms = {stage: round(statistics.median(run[stage] for run in stage_runs) / max(1, count) * 1000, 2)
                 for stage in stage_runs[0]}
    result = {
        "issues": count,
        "ms_per_issue": stages_ms,
        "total_ms": ms["revue2md"],
        "issues_per_second": round(1000 / ms["revue2md"], 1) if ms["revue2md"] else None,
        "floor_ms": {"bs4": ms["bs4_parse"], "lxml": ms["lxml_parse"]},
        "ratio_to_bs4_floor": round(ms["revue2md"] / ms["bs4_parse"], 2),
        "ratio_to_lxml_floor": round(ms["revue2md"] / ms["lxml_parse"], 1),
        "peers_ms": {"html2text": ms.get("html2text", "not installed (pip install -e '.[bench]')")},
    }
    pandoc = _pandoc_ms(documents, work, pandoc_limit)
    result["peers_ms"]["pandoc (a process each)"] = pandoc if pandoc is not None else "not installed"
    return result


def per_kind(repeat: int, work: Path, pandoc_limit: int) -> dict:
    if not CORPUS.is_dir():
        return {"skipped": f"corpus not found at {CORPUS}"}
    return {kind: measure_kind([CORPUS / folder for folder in folders], repeat, work, pandoc_limit)
            for kind, folders in KINDS.items()}


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


def _child_env() -> dict:
    """The revue2md next to this script, whatever is installed, with its bytecode cached as an install has it.

    With PYTHONDONTWRITEBYTECODE set, every start compiles every module again (about 0.2 s
    here), which no installed package pays.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def run_command(*args: str) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit code) of `python -m revue2md ARGS` in a child process."""
    process = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "revue2md", *args],
                             capture_output=True, text=True, check=True, env=_child_env())
    elapsed, peak_kb, code = process.stdout.split()
    return float(elapsed), int(peak_kb) / 1024, int(code)


def scale(sizes: list[int], work: Path) -> dict:
    """Synthetic archives (API arrays of 100, saved pages, archive pages) of each size."""
    result = {}
    for size in sizes:
        archive = work / f"archive-{size}"
        built = synthetic.build(archive, size)
        out = work / f"out-{size}"
        seconds, rss, code = run_command("export", str(archive), "--out", str(out), "-q")
        result[str(size)] = {"seconds": round(seconds, 2), "peak_rss_mb": round(rss, 1), "exit": code,
                             "issues_per_second": round(size / seconds, 1), "archive": built}
        shutil.rmtree(out)
    _growth(result, sizes)
    return result


def one_array(sizes: list[int], work: Path) -> dict:
    """One saved API array of real corpus issues (copied with distinct ids) of each size."""
    result = {}
    for size in sizes:
        path = work / f"real-{size}" / "issues.json"
        built = real_array.build(path, size)
        out = work / f"real-out-{size}"
        seconds, rss, code = run_command("export", str(path), "--out", str(out), "-q")
        result[str(size)] = {"seconds": round(seconds, 2), "peak_rss_mb": round(rss, 1), "exit": code,
                             "issues_per_second": round(size / seconds, 1), "file": built}
        shutil.rmtree(path.parent)
        shutil.rmtree(out)
    _growth(result, sizes)
    return result


def _growth(result: dict, sizes: list[int]) -> None:
    if len(sizes) == 2:
        small, large = (result[str(s)] for s in sizes)
        result["time_ratio"] = round(large["seconds"] / small["seconds"], 2)
        result["size_ratio"] = sizes[1] // sizes[0]
        result["rss_kb_per_issue"] = round((large["peak_rss_mb"] - small["peak_rss_mb"]) * 1024
                                           / (sizes[1] - sizes[0]), 2)


def jobs(size: int, work: Path, count: int, rounds: int) -> dict:
    """`export --jobs 1` and `--jobs COUNT` of one archive, in interleaved rounds (medians).

    Beside them, the floor the disk sets: creating, writing and renaming as many files of the
    pages' size in the same folder, which the parent process does alone whatever `--jobs` is.
    """
    archive = work / f"archive-{size}"
    if not archive.is_dir():
        synthetic.build(archive, size)
    seconds: dict[int, list[float]] = {1: [], count: []}
    for _ in range(rounds):
        for jobs_count in seconds:
            out = work / f"jobs-{jobs_count}"
            shutil.rmtree(out, ignore_errors=True)
            elapsed, _, _ = run_command("export", str(archive), "--out", str(out), "-q", "--jobs", str(jobs_count))
            seconds[jobs_count].append(elapsed)
    identical = _same_tree(work / "jobs-1", work / f"jobs-{count}")
    one, many = (statistics.median(seconds[n]) for n in (1, count))
    return {"issues": size, "jobs": count, "rounds": rounds, "seconds_jobs_1": round(one, 2),
            f"seconds_jobs_{count}": round(many, 2), "speedup": round(one / many, 2),
            "identical_output": identical, "write_floor_seconds": round(_write_floor(work / "jobs-1", work), 3)}


def _write_floor(pages: Path, work: Path) -> float:
    """Wall seconds to write each page file under `pages` again as a new file (temporary file + rename)."""
    sizes = [path.stat().st_size for path in pages.rglob("*.md")]
    folder = work / "write-floor"
    folder.mkdir()
    started = time.perf_counter()
    for n, length in enumerate(sizes):
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(b"x" * length)
        os.replace(temporary, folder / f"{n}.md")
    elapsed = time.perf_counter() - started
    shutil.rmtree(folder)
    return elapsed


def _same_tree(a: Path, b: Path) -> bool:
    files_a = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    return files_a == files_b


# Modules a command that converts issues has no use for at start-up.
_UNWANTED = ("soupsieve", "pydantic", "rich", "requests", "tenacity", "markdown_it", "frontmatter")


def startup(repeat: int, work: Path) -> dict:
    """`--help`, and a whole `export` of one issue; what the export imports (`python -X importtime`)."""
    one = work / "one-issue" / "issues.json"
    real_array.build(one, 1)
    help_runs, export_runs = [], []
    run_command("export", str(one), "--out", str(work / "one-out-warm"), "-q")  # bytecode written, as installed
    for n in range(repeat):
        help_runs.append(run_command("--help")[0])
        export_runs.append(run_command("export", str(one), "--out", str(work / f"one-out-{n}"), "-q")[0])
    process = subprocess.run([sys.executable, "-X", "importtime", "-m", "revue2md", "export", str(one),
                              "--out", str(work / "one-out-imports"), "-q"],
                             capture_output=True, text=True, env=_child_env(), check=False)
    imported, self_us = set(), 0
    for line in process.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self [us]" not in line:
            own, _, name = (part.strip() for part in line[len("import time:"):].split("|"))
            imported.add(name.split(".")[0])
            self_us += int(own)
    return {"help_median_seconds": round(statistics.median(help_runs), 3),
            "export_one_issue_median_seconds": round(statistics.median(export_runs), 3), "runs": repeat,
            "export_one_issue_import_seconds": round(self_us / 1e6, 3),
            "export_one_issue_imports": sorted(name for name in _UNWANTED if name in imported)}


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
        api = kind == "API JSON"
        rows.append((f"{kind} ({data['issues']}): issues/s, CPU (ms per issue: {split})",
                     f"{data['issues_per_second']}", f">= {TARGETS['api_issues_per_second']}" if api else ""))
        floor = data["floor_ms"]
        rows.append((f"{kind}: x BeautifulSoup parse ({floor['bs4']} ms); x lxml parse ({floor['lxml']} ms)",
                     f"{data['ratio_to_bs4_floor']}; {data['ratio_to_lxml_floor']}",
                     f"<= {TARGETS['api_ratio_to_bs4'] if api else TARGETS['page_ratio_to_bs4']} (bs4)"))
    scaled = results.get("scale", {})
    for label, data_set in (("synthetic archive", scaled), ("one API array of real issues", results.get("array", {}))):
        for size, data in data_set.items():
            if isinstance(data, dict) and "seconds" in data:
                rows.append((f"export, {label}, {size} issues: seconds, peak RSS MB",
                             f"{data['seconds']}, {data['peak_rss_mb']}",
                             f"RSS <= {TARGETS['peak_rss_mb_10000']}" if size == "10000" else ""))
        if "time_ratio" in data_set:
            rows.append((f"{label}: time({data_set['size_ratio']}x issues) / time(1x)", f"{data_set['time_ratio']}",
                         f"<= {TARGETS['scale_ratio']}"))
            rows.append((f"{label}: peak RSS growth, KB per issue", f"{data_set['rss_kb_per_issue']}",
                         f"<= {TARGETS['rss_kb_per_issue']}"))
    sync = results.get("sync", {})
    if sync.get("noop_vs_export") is not None:
        rows.append((f"sync with nothing new on {sync['count']} issues: seconds (export: {sync['export_seconds']})",
                     f"{sync['noop_sync_seconds']} ({sync['noop_vs_export']:.1%})",
                     f"<= {TARGETS['noop_sync_share']:.0%}"))
    if sync.get("reading_noop_vs_export") is not None:
        rows.append(("the same when every source is read again (as from the API): seconds",
                     f"{sync['reading_noop_sync_seconds']} ({sync['reading_noop_vs_export']:.1%})", ""))
    clean = results.get("clean", {})
    for key, value in clean.items():
        if key.endswith("files_per_second"):
            rows.append((f"clean: {key.replace('_', ' ')}", f"{value}", ""))
    start = results.get("startup", {})
    if "help_median_seconds" in start:
        rows.append(("revue2md --help: seconds", f"{start['help_median_seconds']}", ""))
        rows.append((f"export of one issue: seconds wall (imports {start['export_one_issue_import_seconds']} s; "
                     f"loads {', '.join(start['export_one_issue_imports']) or 'none of ' + '/'.join(_UNWANTED)})",
                     f"{start['export_one_issue_median_seconds']}", f"<= {TARGETS['one_issue_export_seconds']}"))
    job = results.get("jobs", {})
    if "speedup" in job:
        rows.append((f"--jobs {job['jobs']} speed-up on {job['issues']} issues (output identical: "
                     f"{job['identical_output']})", f"{job['speedup']}x", f">= {TARGETS['jobs_speedup']}x"))
        rows.append(("  the disk's floor: writing as many new files of the pages' sizes (s)",
                     f"{job['write_floor_seconds']}", f"of {job['seconds_jobs_1']} s with --jobs 1"))
    images = results.get("images", {})
    if "speedup" in images:
        rows.append(("images: pool / one at a time at 50 ms latency", f"{images['speedup']}x", ">= 4x"))
    return rows


def peers(results: dict) -> list[str]:
    """The peers table: milliseconds per issue on the same inputs, and each as a ratio to revue2md."""
    lines = []
    for kind, data in results.get("per_kind", {}).items():
        if not isinstance(data, dict) or "total_ms" not in data:
            continue
        own = data["total_ms"]
        cells = [f"revue2md {own} ms", f"BeautifulSoup parse {data['floor_ms']['bs4']} ms",
                 f"lxml parse {data['floor_ms']['lxml']} ms"]
        for peer, value in data["peers_ms"].items():
            cells.append(f"{peer} {value} ms ({value / own:.2f}x revue2md)" if isinstance(value, float)
                         else f"{peer}: {value}")
        lines.append(f"  {kind}: " + "; ".join(cells))
    return lines


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
        results["per_kind"] = per_kind(repeat=1 if quick else 5, work=work, pandoc_limit=3 if quick else 20)
        results["startup"] = startup(3 if quick else 7, work)
        results["jobs"] = jobs(sizes[0], work, 2, rounds=1 if quick else 3)
        results["sync"] = optional("bench_sync", count=sizes[0])
        results["clean"] = optional("bench_clean", count=50 if quick else 1000)
        results["images"] = optional("bench_images", images=16 if quick else 64)
        results["array"] = one_array(sizes, work)
        results["scale"] = scale(sizes, work)
    output = arguments.output or RESULTS / ("quick.json" if quick else "latest.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    info = results["machine"]
    print(f"revue2md benchmark, {info['date']}: {info['cpu']}, {info['cores']} cores, Python {info['python']}")
    origin = results["array"].get(str(sizes[0]), {}).get("file", {}).get("from", "?")
    print(f"inputs: the corpus issues per kind; for volume, real issues from {origin} copied with distinct ids "
          "(one API array), and synthetic archives of copies (benchmarks/synthetic.py)")
    rows = summary(results)
    width = max(len(row[0]) for row in rows)
    for figure, value, target in rows:
        print(f"  {figure:<{width}}  {value:>14}  {target}")
    print("peers on the same inputs (CPU ms per issue, median of interleaved rounds; pandoc: wall, a process each):")
    print("\n".join(peers(results)) or "  skipped: corpus not found")
    print(f"results: {output}")


if __name__ == "__main__":
    main()
