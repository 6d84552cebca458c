"""Every hand-made fixture converts to its reviewed golden pages, byte for byte."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from golden_cases import CASES, FIXTURES, SENTENCE_CASE, golden_dir


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.md"))}


def _compare(expected_dir: Path, actual_dir: Path) -> None:
    expected, actual = _files(expected_dir), _files(actual_dir)
    assert expected, f"no golden files in {expected_dir}: run tests/update_golden.py and review them"
    assert sorted(actual) == sorted(expected)
    for name, want in expected.items():
        if actual[name] != want:
            diff = "".join(difflib.unified_diff(want.decode().splitlines(True), actual[name].decode().splitlines(True),
                                                f"golden/{name}", f"output/{name}"))
            pytest.fail(f"{name} differs from its golden file:\n{diff}")


@pytest.mark.parametrize("case", sorted(CASES))
def test_fixture_matches_golden(case, cli, tmp_path):
    result = cli("export", FIXTURES / case, "--out", tmp_path, "-q", *CASES[case])
    assert result.exit_code == 0, result.output
    _compare(golden_dir(case), tmp_path)


def test_sentence_per_line_matches_golden(cli, tmp_path):
    result = cli("export", FIXTURES / SENTENCE_CASE, "--out", tmp_path, "-q", "--sentence-per-line")
    assert result.exit_code == 0, result.output
    _compare(golden_dir(SENTENCE_CASE, "--sentence-per-line"), tmp_path)
