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
