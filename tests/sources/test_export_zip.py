"""The Revue ZIP export (and its unpacked folder) as a source, and how safely it is read."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from revue2md.models import Issue, Skipped
from revue2md.sources.archive import ArchiveLimits, unsafe_name
from revue2md.sources.export_zip import ZipExportSource, is_export_folder

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
EXPORT = FIXTURES / "zip" / "revue-export"
GOLDEN = FIXTURES / "golden" / "zip"
ONE_ISSUE_CSV = "id,description,sent_at,subject,preheader\n5,,2022-01-01 00:00:00 UTC,Five,\n"
SUBSCRIBER_DATA = ("alice.reader@example.com", "bob.private@example.net", "Alice", "Private")


def make_zip(target: Path, folder: Path = EXPORT, top: str | None = "revue-export") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"{top}/{path.name}" if top else path.name)
    return target


def read_tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def issue_1001() -> Issue:
    found = ZipExportSource(EXPORT).issues()
    return next(item for item in found if isinstance(item, Issue) and item.id == 1001)


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


# --- the hand-made export -------------------------------------------------------------------


def test_zip_with_a_top_level_folder_matches_the_golden_pages(cli, tmp_path):
    archive = make_zip(tmp_path / "revue-export.zip")
    out = tmp_path / "out"
    result = cli("export", archive, "--out", out, "--drafts")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote 3 pages to {out}; skipped 0\n"
    assert read_tree(out) == read_tree(GOLDEN)


def test_unpacked_folder_gives_the_same_pages(cli, tmp_path):
    result = cli("export", EXPORT, "--out", tmp_path, "--drafts")
    assert result.exit_code == 0, result.output
    assert read_tree(tmp_path) == read_tree(GOLDEN)


def test_zip_without_a_top_level_folder_gives_the_same_pages(cli, tmp_path):
    archive = make_zip(tmp_path / "flat.zip", top=None)
    result = cli("export", archive, "--out", tmp_path / "out", "--drafts")
    assert result.exit_code == 0, result.output
    assert read_tree(tmp_path / "out") == read_tree(GOLDEN)


def test_folder_holding_the_unpacked_folder_is_read_as_one_export(cli, tmp_path):
    unpacked = tmp_path / "download"
    with zipfile.ZipFile(make_zip(tmp_path / "e.zip")) as archive:
        archive.extractall(unpacked)  # the test's own trusted archive
    result = cli("export", unpacked, "--out", tmp_path / "out", "--drafts")
    assert result.exit_code == 0, result.output
    assert read_tree(tmp_path / "out") == read_tree(GOLDEN)


def test_a_zip_without_its_suffix_is_recognised(cli, tmp_path):
    archive = make_zip(tmp_path / "download")
    result = cli("export", archive, "--out", tmp_path / "out", "--drafts")
    assert result.exit_code == 0, result.output
    assert read_tree(tmp_path / "out") == read_tree(GOLDEN)


def test_drafts_are_left_out_unless_asked_for(cli, tmp_path):
    archive = make_zip(tmp_path / "revue-export.zip")
    result = cli("export", archive, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert f"ignored {archive}#1002: draft (never sent); --drafts writes it" in result.stderr
    assert result.stdout.endswith("skipped 0; ignored 1\n")
    assert files_under(tmp_path / "out") == ["garden-notes-2-quotes-commas-more.md", "garden-notes-3.md"]


def test_draft_is_written_with_draft_true(cli, tmp_path):
    cli("export", EXPORT, "--out", tmp_path, "--drafts")
    page = (tmp_path / "draft-what-comes-next.md").read_text(encoding="utf-8")
    assert "\ndraft: true\n" in page and "date:" not in page


def test_items_are_ordered_by_numeric_order_not_file_order(tmp_path):
    issue = issue_1001()
    # In the file the item with order "10" comes before "9", and "10" < "9" as text.
    assert issue.html.index("One more thing") < issue.html.index("See you next week")
    assert issue.html.index("Links of the week") < issue.html.index("A long read")


def test_sent_at_is_an_aware_datetime(tmp_path):
    issues = {item.id: item for item in ZipExportSource(EXPORT).issues() if isinstance(item, Issue)}
    sent = issues[1001].sent_at
    assert sent.isoformat() == "2022-12-01T01:01:30+00:00" and sent.utcoffset() is not None
    assert issues[1002].sent_at is None and issues[1002].draft


def test_subscribers_are_never_opened_nor_written(cli, tmp_path, monkeypatch):
    archive = make_zip(tmp_path / "revue-export.zip")
    opened: list[str] = []
    original = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(name if isinstance(name, str) else name.filename)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    result = cli("export", archive, "--out", tmp_path / "out", "--drafts")
    assert result.exit_code == 0, result.output
    assert opened == ["revue-export/issues_4242.csv", "revue-export/items_4242.json"]
    written = b"".join(read_tree(tmp_path / "out").values()).decode("utf-8")
    for value in SUBSCRIBER_DATA:
        assert value not in written and value not in result.output


def test_tweet_text_and_video_caption_are_kept():
    issue = issue_1001()
    tweet = ('<div class="r2m-tweet" data-url="https://twitter.com/gardener/status/1597000000000000000"'
             ' data-r2m-handle="gardener">')
    assert f"{tweet}<p>Tomatoes are <b>up</b>! 🍅</p></div>" in issue.html
    assert "[embed https://www.youtube.com/watch?v=dQw4w9WgXcQ]\n<p>The talk I mentioned</p>" in issue.html


def test_items_of_no_issue_are_reported(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "issues_1.csv").write_text(ONE_ISSUE_CSV)
    (folder / "items_1.json").write_text('[{"issue_id": 5, "item_type": "text", "description": "<p>x</p>", '
                                         '"order": 1}, {"issue_id": 77, "item_type": "text", "order": 1}]')
    results = list(ZipExportSource(folder).issues())
    assert [type(result) for result in results] == [Issue, Skipped] and results[1].ignored
    assert results[1].reason == "1 item belongs to no issue in the issues CSV"


def test_unknown_item_type_keeps_its_text_with_a_note(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "issues_1.csv").write_text(ONE_ISSUE_CSV)
    (folder / "items_1.json").write_text('[{"issue_id": 5, "item_type": "poll", "description": "Vote!", '
                                         '"order": 1}]')
    (issue,) = ZipExportSource(folder).issues()
    assert issue.html == "<p>Vote!</p>"
    assert issue.notes == ("item type 'poll' not known; its text was kept",)


def test_linked_image_keeps_its_link(cli, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "issues_1.csv").write_text(ONE_ISSUE_CSV)
    (folder / "items_1.json").write_text(
        '[{"issue_id": 5, "item_type": "image", "order": 1, "url": "https://example.org/shop?utm_source=revue",'
        ' "image": "https://img.example.org/web/a.png",'
        ' "original_image_url": "https://img.example.org/a.png", "description": "A <em>fine</em> hat"}]')
    result = cli("export", folder, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    body = (tmp_path / "out" / "five.md").read_text().split("---\n", 2)[2]
    picture = "[![A fine hat](https://img.example.org/a.png)](https://example.org/shop)"
    assert body == f"\n{picture}\n\n_A *fine* hat_\n"


# --- bad and malicious archives ---------------------------------------------------------------


def _archive_with(target: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("issues_1.csv", ONE_ISSUE_CSV)
        archive.writestr("items_1.json", "[]")
        for info, data in entries:
            archive.writestr(info, data)
    return target


def _symlink_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(("entry", "problem"), [
    ("../../evil.md", "points outside the archive (..)"),
    ("revue-export/../../evil.md", "points outside the archive (..)"),
    ("/tmp/evil.md", "is an absolute path"),
    ("..\\evil.md", "contains a backslash"),
    ("C:/evil.md", "starts with a drive letter"),
])
def test_entries_that_could_escape_refuse_the_archive(cli, tmp_path, entry, problem):
    archive = _archive_with(tmp_path / "bad.zip", [(entry, b"pwned")])
    out = tmp_path / "site" / "content"
    result = cli("export", archive, "--out", out)
    assert result.exit_code == 1
    assert f"skipped {archive}: refusing this archive: entry {entry!r} {problem}" in result.stderr
    assert result.stdout == f"wrote 0 pages to {out}; skipped 1\n"
    assert files_under(tmp_path) == ["bad.zip"]
    assert not (tmp_path.parent / "evil.md").exists() and not (tmp_path.parent.parent / "evil.md").exists()


def test_symlink_entry_refuses_the_archive(cli, tmp_path):
    archive = _archive_with(tmp_path / "link.zip", [(_symlink_entry("items_2.json"), b"/etc/passwd")])
    result = cli("export", archive, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "refusing this archive: entry 'items_2.json' is a symbolic link" in result.stderr
    assert files_under(tmp_path) == ["link.zip"]


def test_highly_compressed_bomb_is_refused_before_it_is_expanded(cli, tmp_path):
    archive = _archive_with(tmp_path / "bomb.zip", [("items_9.json", b"\0" * (40 * 1024 * 1024))])
    assert archive.stat().st_size < 200_000
    result = cli("export", archive, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "refusing this archive: entry 'items_9.json' expands" in result.stderr
    assert "it looks like a ZIP bomb" in result.stderr
    assert files_under(tmp_path) == ["bomb.zip"]


def test_total_size_limit(tmp_path):
    archive = _archive_with(tmp_path / "big.zip", [("notes.txt", b"x" * 5000)])
    (result,) = ZipExportSource(archive, ArchiveLimits(max_total_bytes=4000)).issues()
    assert isinstance(result, Skipped)
    assert result.reason == "refusing this archive: it would expand to more than 4000 bytes"


def test_member_size_limit(tmp_path):
    archive = _archive_with(tmp_path / "big.zip", [])
    with zipfile.ZipFile(archive, "a") as handle:
        handle.writestr("items_2.json", "[" + ",".join(["{}"] * 2000) + "]")
    (result,) = ZipExportSource(archive, ArchiveLimits(max_member_bytes=1000)).issues()
    assert isinstance(result, Skipped) and "over the 1000-byte limit for one file" in result.reason


def test_not_a_zip(cli, tmp_path):
    fake = tmp_path / "export.zip"
    fake.write_bytes(b"this is not a zip")
    result = cli("export", fake, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert f"skipped {fake}: not a ZIP archive (or a damaged one)" in result.stderr


def test_zip_without_the_export_files(cli, tmp_path):
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("issues_1.csv", "id\n1\n")
        handle.writestr("subscribers_1.csv", "email\nsomeone@example.com\n")
    result = cli("export", archive, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert f"skipped {archive}: not a Revue export: no items_*.json in it" in result.stderr


def test_broken_items_json_is_one_line(tmp_path):
    archive = _archive_with(tmp_path / "a.zip", [])
    with zipfile.ZipFile(archive, "a") as handle:
        handle.writestr("items_2.json", "[{")
    (result,) = ZipExportSource(archive).issues()
    assert isinstance(result, Skipped) and result.reason == "items_2.json: not valid JSON at line 1"


@pytest.mark.parametrize("name", ["evil/../../x", "/x", "a\\b", "D:x"])
def test_unsafe_names(name):
    assert unsafe_name(name)


@pytest.mark.parametrize("name", ["issues_1.csv", "revue-export/items_1.json", "a/b/c.txt", "a..b"])
def test_safe_names(name):
    assert unsafe_name(name) is None


def test_export_folder_detection(tmp_path):
    assert is_export_folder(EXPORT)
    assert is_export_folder(EXPORT.parent)  # the export inside its one top-level folder
    assert not is_export_folder(FIXTURES)  # several entries, none of them the export's files
    lone = tmp_path / "only-issues"
    lone.mkdir()
    (lone / "issues_1.csv").write_text("id\n")
    assert not is_export_folder(lone)


def test_a_long_intro_is_read(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    intro = "<p>" + "word " * 60_000 + "</p>"  # 300 KB, over the csv module's default field limit
    (folder / "issues_1.csv").write_text(f'id,description,sent_at,subject,preheader\n5,"{intro}",,Five,\n')
    (folder / "items_1.json").write_text("[]")
    (issue,) = ZipExportSource(folder).issues()
    assert isinstance(issue, Issue) and issue.html.startswith("<h3><p>word word") and issue.draft
