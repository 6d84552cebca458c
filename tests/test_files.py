"""Atomic writes: the bytes, the mode, the folder, and the errors, each checked on real files."""

from __future__ import annotations

import os
import stat
import sys

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


# --- where a relative name lands --------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("page.md", "page.md"),
    ("2021/page.md", "2021/page.md"),
    ("a/./b.md", "a/b.md"),
    ("a//b.md", "a/b.md"),
    ("folder/", "folder"),
])
def test_inside_gives_the_normalised_absolute_path_under_the_folder(tmp_path, name, expected):
    assert files.inside(tmp_path, name) == tmp_path.resolve() / expected


@pytest.mark.parametrize("name", ["", ".", "..", "../x.md", "a/../../x.md", "a/../b.md", "/etc/x.md"])
def test_inside_refuses_names_that_are_the_folder_itself_or_leave_it(tmp_path, name):
    with pytest.raises(WriteError, match="outside"):
        files.inside(tmp_path, name)


def test_inside_refuses_a_folder_that_only_starts_like_the_output_folder(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out-other").mkdir()
    (tmp_path / "out" / "twin").symlink_to(tmp_path / "out-other")
    with pytest.raises(WriteError, match="outside"):
        files.inside(tmp_path / "out", "twin/page.md")


def test_a_page_name_is_not_kept_in_the_interpreters_table_of_interned_strings(tmp_path):
    # pathlib interns every part it parses; a name the plan holds for the whole run would stay there.
    name = "".join(["a-page-name-made-at-run-time-", str(os.getpid()), ".md"])
    files.inside(tmp_path, name)
    assert files.lexists(os.path.join(tmp_path, name)) is False
    equal = "".join(["a-page-name-made-at-run-time-", str(os.getpid()), ".md"])
    assert equal is not name
    assert sys.intern(equal) is not name
