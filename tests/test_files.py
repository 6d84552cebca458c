"""Atomic writes: the bytes, the mode, the folder, and the errors, each checked on real files."""

from __future__ import annotations

import os
import stat

import pytest

from revue2md import files
from revue2md.errors import WriteError
from revue2md.files import TEMPORARY_PREFIX, lexists, write_atomic


def _leftovers(folder):
    return [path.name for path in folder.rglob(f"{TEMPORARY_PREFIX}*")]


def test_a_new_file_gets_the_bytes_and_the_mode_any_new_file_gets(tmp_path):
    assert write_atomic(tmp_path / "page.md", b"hello\n") is True
    assert (tmp_path / "page.md").read_bytes() == b"hello\n"
    # mkstemp alone would give 0600; a new page gets what the umask allows any new file.
    assert stat.S_IMODE((tmp_path / "page.md").stat().st_mode) == files._NEW_FILE_MODE == 0o666 & ~_umask()
    assert _leftovers(tmp_path) == []


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("mode", [0o640, 0o444])
def test_a_replaced_file_keeps_its_own_mode_even_read_only(tmp_path, mode):
    page = tmp_path / "page.md"
    page.write_bytes(b"old\n")
    page.chmod(mode)
    assert write_atomic(page, b"new\n") is True
    assert page.read_bytes() == b"new\n"
    assert stat.S_IMODE(page.stat().st_mode) == mode


def test_the_same_bytes_are_not_written_again(tmp_path):
    page = tmp_path / "page.md"
    page.write_bytes(b"same\n")
    inode = page.stat().st_ino
    assert write_atomic(page, b"same\n") is False
    assert page.stat().st_ino == inode  # not replaced by a new file


def test_bytes_of_the_same_length_that_differ_are_written(tmp_path):
    page = tmp_path / "page.md"
    page.write_bytes(b"abc\n")
    assert write_atomic(page, b"xyz\n") is True
    assert page.read_bytes() == b"xyz\n"


def test_missing_folders_are_made(tmp_path):
    page = tmp_path / "2021" / "05" / "page.md"
    assert write_atomic(page, b"deep\n") is True
    assert page.read_bytes() == b"deep\n"
    assert _leftovers(tmp_path) == []


def test_a_folder_where_the_file_goes_is_an_error_and_leaves_nothing_behind(tmp_path):
    (tmp_path / "page.md").mkdir()
    with pytest.raises(WriteError, match="cannot write"):
        write_atomic(tmp_path / "page.md", b"x")
    assert (tmp_path / "page.md").is_dir()
    assert _leftovers(tmp_path) == []


def test_a_file_where_the_folder_goes_is_an_error(tmp_path):
    (tmp_path / "2021").write_text("not a folder")
    with pytest.raises(WriteError, match="cannot write"):
        write_atomic(tmp_path / "2021" / "page.md", b"x")
    assert (tmp_path / "2021").read_text() == "not a folder"


def test_lexists_sees_files_folders_and_dangling_links_but_not_absent_paths(tmp_path):
    (tmp_path / "file").write_text("x")
    (tmp_path / "folder").mkdir()
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    assert lexists(tmp_path / "file") and lexists(tmp_path / "folder") and lexists(tmp_path / "dangling")
    assert not lexists(tmp_path / "absent")
    assert not lexists(tmp_path / "file" / "under-a-file")  # ENOTDIR: not there, as pathlib says
