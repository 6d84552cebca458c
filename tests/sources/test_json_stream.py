"""Saved API arrays read as a stream: the same issues as reading the whole file, one at a time."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from revue2md.errors import SourceError
from revue2md.models import Issue, Skipped
from revue2md.sources.dump import ApiDumpSource, _read_json_noted, issues_from_json
from revue2md.sources.json_stream import _CHUNK, array_items, streamable

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(autouse=True)
def stream_every_array(monkeypatch):
    """Small files are read whole; here every array goes through the stream."""
    monkeypatch.setattr("revue2md.sources.dump.STREAM_ABOVE", 0)


def test_a_small_file_is_read_whole_and_a_large_one_as_a_stream(tmp_path, monkeypatch):
    import revue2md.sources.dump as dump

    path = tmp_path / "issues.json"
    path.write_bytes(b'[{"id": 1, "title": "a", "html": "<p>x</p>"}]')
    read = []
    monkeypatch.setattr(dump, "array_items", lambda p: read.append(p) or iter(json.loads(p.read_bytes())))
    monkeypatch.setattr(dump, "STREAM_ABOVE", path.stat().st_size)
    whole_issues = list(ApiDumpSource(path).issues())
    assert read == []
    monkeypatch.setattr(dump, "STREAM_ABOVE", path.stat().st_size - 1)
    assert list(ApiDumpSource(path).issues()) == whole_issues and read == [path]


def whole(path: Path) -> list:
    """What reading the whole file gives (the reference the stream must match)."""
    try:
        value, repaired = _read_json_noted(path)
        issues = list(issues_from_json(value, str(path)))
        return [replace(i, notes=(*i.notes, repaired)) if repaired and isinstance(i, Issue) else i for i in issues]
    except SourceError as error:
        return [Skipped(str(path), str(error))]


@pytest.mark.parametrize("name", ["every-structure.json", "embeds.json", "edge-titles.json"])
def test_a_fixture_array_streams_to_the_same_issues(name):
    path = FIXTURES / "api" / name
    assert streamable(path)
    assert list(ApiDumpSource(path).issues()) == whole(path)


@pytest.mark.parametrize("data", [
    b'[{"id": 1, "title": "a", "html": "<p>x</p>"}]',
    b'\n  [{"id": 1, "title": "\\ud83d\\ude00 pair", "html": "<p>\\u00e9</p>"}, 3, {"html": 4}]',
    b'[]',
])
def test_arrays_json_reads_alike_stream(tmp_path, data):
    path = tmp_path / "issues.json"
    path.write_bytes(data)
    assert streamable(path)
    assert list(ApiDumpSource(path).issues()) == whole(path)


@pytest.mark.parametrize("data", [
    b'{"id": 1, "title": "one object", "html": ""}',      # not an array
    b'\xef\xbb\xbf[{"id": 1, "title": "bom", "html": ""}]',  # byte-order mark
    b'[{"id": 1, "title": "lone \\ud800", "html": ""}]',   # yajl would write "?"
    b'[{"id": 1, "title": "low first \\ude00\\ud83d", "html": ""}]',
    b'[\x0c{"id": 1, "title": "form feed", "html": ""}]',  # whitespace to yajl only
    b'[{"id": 12345678901234567890123, "title": "big", "html": ""}]',
    b'[{"id": NaN, "title": "nan", "html": ""}]',
    b'[{"id": 1, "title": "truncated", "ht',
    b'[{"title": "caf\xe9", "html": ""}]',                 # cp1252, not UTF-8
    b"[" * 100 + b"]" * 100,                               # deeper than the stream reads
])
def test_what_the_stream_would_read_differently_is_read_whole(tmp_path, data):
    path = tmp_path / "issues.json"
    path.write_bytes(data)
    assert not streamable(path)
    assert list(ApiDumpSource(path).issues()) == whole(path)


def test_a_truncated_array_is_one_skip_with_json_s_message(tmp_path):
    path = tmp_path / "issues.json"
    path.write_bytes(b'[{"id": 1, "title": "a", "html": "<p>x</p>"}, {"id": 2, "ti')
    [skipped] = list(ApiDumpSource(path).issues())
    assert skipped.reason.startswith("not valid JSON (")


def test_surrogate_pairs_across_chunk_boundaries(tmp_path):
    # Put an escaped pair at every offset around the first chunk's end.
    for shift in range(-14, 3):
        padding = "x" * (_CHUNK - 40 + shift)
        path = tmp_path / f"pair{shift}.json"
        path.write_text('[{"id": 1, "title": "' + padding + '\\ud83d\\ude00", "html": ""}]', encoding="ascii")
        assert streamable(path), shift
        [item] = array_items(path)
        assert item["title"].endswith("😀")
    lone = tmp_path / "lone.json"
    lone.write_text('[{"id": 1, "title": "' + "x" * (_CHUNK - 30) + '\\ud83d", "html": ""}]', encoding="ascii")
    assert not streamable(lone)


_PEAK = """
import resource, sys
from pathlib import Path
from revue2md.errors import SourceError
from revue2md.models import Issue, Skipped
from revue2md.sources.dump import ApiDumpSource
count = sum(1 for _ in ApiDumpSource(Path(sys.argv[1])).issues())
print(count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_memory_does_not_grow_with_the_array(tmp_path):
    """Reading 3,000 issues of 20 KB each (60 MB) stays within a few MB of reading 100."""
    html = "<p>" + "word " * 4000 + "</p>"

    def peak(count: int) -> int:
        path = tmp_path / f"issues-{count}.json"
        with path.open("w", encoding="utf-8") as out:
            out.write("[" + ",".join(json.dumps({"id": n, "title": f"t{n}", "html": html, "sent_at": None})
                                     for n in range(count)) + "]")
        done = subprocess.run([sys.executable, "-c", _PEAK, str(path)], capture_output=True, text=True, check=True)
        seen, peak_kb = map(int, done.stdout.split())
        assert seen == count
        return peak_kb

    assert peak(3000) - peak(100) < 10 * 1024
