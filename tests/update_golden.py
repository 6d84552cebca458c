"""Rewrite fixtures/golden from the current code. Review `git diff fixtures/golden` afterwards."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden_cases import CASES, FIXTURES, SENTENCE_CASE, golden_dir
from typer.testing import CliRunner

from revue2md.cli.app import app


def export(case: str, target: Path, *extra: str) -> None:
    if target.exists():
        shutil.rmtree(target)
    result = CliRunner().invoke(app, ["export", str(FIXTURES / case), "--out", str(target), "-q", *extra])
    if result.exit_code not in (0, 1):
        raise SystemExit(f"{case}: exit {result.exit_code}\n{result.output}")


def main() -> None:
    for case, extra in CASES.items():
        export(case, golden_dir(case), *extra)
    export(SENTENCE_CASE, golden_dir(SENTENCE_CASE, "--sentence-per-line"), "--sentence-per-line")
    print("golden files rewritten: now read `git diff fixtures/golden`")


if __name__ == "__main__":
    main()
