"""Front matter that PyYAML reads back exactly, whatever the title holds."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import yaml

from revue2md.hugo.frontmatter import render_front_matter, yaml_string

NASTY = [
    "Colon: here", "# hash", "y", "N", "yes", "off", "1e3", "0o17", "~", "null", "- dash", "[list]", "{map}",
    "@at", "`tick`", "!tag", "&anchor", "*alias", "It's \"quoted\"", "back\\slash", "tab\there",
    "line\nbreak", "nel\x85char", "ls\u2028ps\u2029", "bom\ufeff", "emoji 🎉🚀", "{{< shortcode >}}", "%percent",
    "trailing space ", " leading", "", "\x00nul\x07bell", "日本語のタイトル", "€ and ¥",
]


@pytest.mark.parametrize("value", NASTY)
def test_any_string_round_trips_through_pyyaml(value):
    assert yaml.safe_load(f"title: {yaml_string(value)}\n") == {"title": value}


def test_fields_in_order_and_empty_ones_left_out():
    text = render_front_matter([
        ("title", "A: b"), ("date", datetime(2021, 9, 23, 23, 16, 41, tzinfo=timezone.utc)),
        ("description", None), ("aliases", ["/a", "/b"]), ("number", 3), ("draft", True), ("tags", []),
    ])
    assert text == ('---\ntitle: "A: b"\ndate: 2021-09-23T23:16:41Z\naliases:\n  - "/a"\n  - "/b"\n'
                    "number: 3\ndraft: true\n---\n")
    loaded = yaml.safe_load(text.strip("-\n"))
    assert loaded["date"] == datetime(2021, 9, 23, 23, 16, 41, tzinfo=timezone.utc)
