"""The hash sync keeps of each issue's source stays the one earlier runs recorded."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone

from revue2md.hugo.state import sha256_bytes, source_hash
from revue2md.models import Issue


def test_source_hash_is_that_of_every_field_as_json():
    issues = [Issue("a.json#0", "<p>x</p>"),
              Issue("b.eml", "<p>ü</p>", template="mjml", id=7, title="T \ud800", notes=("n",),
                    sent_at=datetime(2020, 1, 2, 3, 4, tzinfo=timezone.utc), duplicate_keys=("k", "l"),
                    aliases=("/old/",), meta_images=("https://x/y.png",), draft=True, base_dir="/tmp")]
    for issue in issues:
        fields = json.dumps(dataclasses.asdict(issue), sort_keys=True, ensure_ascii=False, default=str)
        expected = sha256_bytes(f"fp\n{fields}".encode("utf-8", "surrogatepass"))
        assert source_hash(issue, "fp") == expected


def test_sha256_file_hashes_regular_files_and_follows_links_only_within_their_folder(tmp_path):
    import hashlib
    import os

    from revue2md.hugo.state import sha256_file

    folder, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    data = b"---\ntitle: x\n---\n" * 100_000  # more than one read
    (folder / "page.md").write_bytes(data)
    (elsewhere / "secret.md").write_bytes(b"not ours")
    (folder / "same.md").symlink_to("page.md")
    (folder / "out.md").symlink_to(elsewhere / "secret.md")
    (folder / "dangling.md").symlink_to("gone.md")
    (folder / "sub").mkdir()
    os.mkfifo(folder / "pipe.md")
    assert sha256_file(folder / "page.md") == hashlib.sha256(data).hexdigest()
    assert sha256_file(folder / "same.md") == hashlib.sha256(data).hexdigest()
    assert sha256_file(folder / "empty.md") is None
    for refused in ("out.md", "dangling.md", "sub", "pipe.md", "page.md/below.md"):
        assert sha256_file(folder / refused) is None, refused
