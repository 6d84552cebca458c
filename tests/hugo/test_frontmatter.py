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


def _yaml_printable(code: int) -> bool:
    """YAML 1.2's printable set (c-printable), without the line breaks a YAML 1.1 reader knows (U+2028, U+2029)."""
    return (code in (0x09, 0x0A, 0x0D) or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF) and code not in (0x2028, 0x2029)


def test_every_character_outside_the_printable_set_is_escaped_and_no_other():
    from revue2md.hugo.frontmatter import _NOT_PRINTABLE

    wrong = [code for code in range(0x110000) if (_NOT_PRINTABLE.match(chr(code)) is None) != _yaml_printable(code)]
    assert wrong == []


@pytest.mark.parametrize("value", ["\x7f", "a\x7fb", "\x85", "\u2028", "\ufeff", "\ud800", "tab\tand\x1b"])
def test_a_character_yaml_would_not_read_as_itself_is_escaped(value):
    written = yaml_string(value)
    assert written.isascii() or all(_yaml_printable(ord(char)) for char in written)
    assert yaml.safe_load(written) == value
