"""The response cache: keyed by the request, atomic, and absent when no folder is given."""

from __future__ import annotations

import pytest

from revue2md.errors import WriteError
from revue2md.net.cache import ResponseCache


def test_put_then_get(tmp_path):
    cache = ResponseCache(tmp_path / "cache")
    assert cache.get("cdx", "/cdx?url=a") is None
    cache.put("cdx", "/cdx?url=a", b"[1]", ".json")
    assert cache.get("cdx", "/cdx?url=a", ".json") == b"[1]"
    assert cache.get("cdx", "/cdx?url=b", ".json") is None
    [entry] = list((tmp_path / "cache" / "cdx").iterdir())
    assert entry.suffix == ".json" and "/" not in entry.name


def test_no_folder_means_no_cache(tmp_path):
    cache = ResponseCache(None)
    cache.put("cdx", "k", b"x")
    assert cache.get("cdx", "k") is None
    assert list(tmp_path.iterdir()) == []


def test_a_cache_that_cannot_be_written_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(WriteError, match=r"^cache: cannot write"):
        ResponseCache(blocker).put("cdx", "k", b"x")
