"""Throughput of `revue2md clean` on an archive of damaged pages.

Builds `count` damaged markdown files in a temporary folder (copies of the real damaged page
from the corpus when it is there, of a hand-made one otherwise; each with its own title), then
runs the real command, as a user would (one process each, start-up included):

- `clean SRC --out OUT`: repair every file and write the cleaned copy;
- `clean --check SRC`: the same work on the damaged files, nothing written (exit 1);
- `clean --check OUT`: the CI case, an archive that is already clean (exit 0).

    python benchmarks/bench_clean.py [--count 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("REVUE2MD_CORPUS", ROOT.parent / "shared" / "corpus"))
CORPUS_PAGE = CORPUS / "repair" / "dynamically-typed-050-damaged.md"

_HAND_MADE = """---
title: "#{number}: Ideas&#x27; week, and what&#x27;s next"
date: 2021-03-07
---

Hey everyone, welcome to the {number}th (🎉) edition! It’s “good” to be back — really.

* 🗂 [A registry](https://e.com/registry/?utm_campaign=News&utm_medium=email&utm_source=Revue%20newsletter) \
of things, [another one](https://e.com/b?id=7&utm_source=Revue%20newsletter).
* ⚡️ <a href="https://e.com/c?a=1&amp;utm_medium=email">raw HTML</a> and https://e.com/d?utm_source=x.

```
curl "https://e.com/api?utm_source=kept-in-code"
```

**Thanks for reading!** It’s by far the best thing you can do.
"""


def sample_page() -> tuple[str, str]:
    """The page to copy (with a `{number}` slot in its title) and where it comes from."""
    if CORPUS_PAGE.is_file():
        text = CORPUS_PAGE.read_text(encoding="utf-8")
        return text.replace("#50:", "#{number}:", 1), str(CORPUS_PAGE)
    page = _HAND_MADE.encode("utf-8").decode("mac_roman")  # the whole file read with the wrong charset
    return page, "hand-made page (corpus not found)"


def build(folder: Path, count: int) -> str:
    """`count` damaged pages, 100 to a sub-folder; returns where the sample came from."""
    page, origin = sample_page()
    for index in range(count):
        target = folder / f"{index // 100:02d}" / f"issue-{index:05d}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.replace("{number}", str(index), 1), encoding="utf-8")
    return origin


def _timed(*args: str | Path) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "revue2md", "clean", *map(str, args), "--quiet"],
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1) or "skipped 0" not in done.stdout:
        raise RuntimeError(f"clean failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    return elapsed, done.returncode


def run(count: int = 1000) -> dict:
    """Build `count` damaged files, run the three commands, return the measurements."""
    with tempfile.TemporaryDirectory(prefix="revue2md-bench-clean-") as temporary:
        source, out = Path(temporary) / "src", Path(temporary) / "out"
        origin = build(source, count)
        out_seconds, out_code = _timed(source, "--out", out)
        check_seconds, check_code = _timed("--check", source)
        clean_seconds, clean_code = _timed("--check", out)
        if (out_code, check_code, clean_code) != (0, 1, 0):
            raise RuntimeError(f"unexpected exit codes {out_code}, {check_code}, {clean_code}")
    return {
        "files": count,
        "sample": origin,
        "clean_out_seconds": round(out_seconds, 3),
        "clean_out_files_per_second": round(count / out_seconds, 1),
        "check_damaged_seconds": round(check_seconds, 3),
        "check_damaged_files_per_second": round(count / check_seconds, 1),
        "check_clean_seconds": round(clean_seconds, 3),
        "check_clean_files_per_second": round(count / clean_seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="how many damaged files (default 1000)")
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON")
    args = parser.parse_args()
    result = run(args.count)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['files']} files from {result['sample']}")
    print(f"clean --out          {result['clean_out_files_per_second']:>8} files/s "
          f"({result['clean_out_seconds']} s)")
    print(f"clean --check        {result['check_damaged_files_per_second']:>8} files/s "
          f"({result['check_damaged_seconds']} s, damaged files)")
    print(f"clean --check        {result['check_clean_files_per_second']:>8} files/s "
          f"({result['check_clean_seconds']} s, already clean files)")


if __name__ == "__main__":
    main()
