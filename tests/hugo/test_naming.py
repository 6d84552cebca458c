from __future__ import annotations

from datetime import datetime, timezone

import pytest

from revue2md.errors import UsageError
from revue2md.hugo.naming import FilenameTemplate, Namer, safe_component, slugify
from revue2md.models import Page


def page(**fields) -> Page:
    defaults = {"source": "s", "title": "t", "body": "", "slug": "weekly-news-80", "id": 80,
                "date": datetime(2021, 6, 25, 23, 0, tzinfo=timezone.utc), "number": 80}
    return Page(**{**defaults, **fields})


@pytest.mark.parametrize(("template", "expected"), [
    ("{slug}", "weekly-news-80"),
    ("{number:03d}", "080"),
    ("{date}-{slug}", "2021-06-25-weekly-news-80"),
    ("{date:%Y}/{date:%m}/{slug}", "2021/06/weekly-news-80"),
    ("{year}/{id}", "2021/80"),
])
def test_templates(template, expected):
    assert FilenameTemplate(template).render(page()) == expected


@pytest.mark.parametrize("template", ["{title}", "plain", "{slug", "{0}"])
def test_bad_templates_are_usage_errors(template):
    with pytest.raises(UsageError, match="--filename"):
        FilenameTemplate(template)


def test_missing_field_falls_back_to_the_slug_with_a_note():
    name, note = Namer(FilenameTemplate("{number:03d}")).assign(page(number=None))
    assert name == "weekly-news-80.md"
    assert "needs a field" in note


def test_collisions_are_resolved_deterministically_and_case_insensitively():
    namer = Namer(FilenameTemplate())
    assert namer.assign(page(id=1, slug="Same"))[0] == "Same.md"
    second, note = namer.assign(page(id=2, slug="same"))
    assert second == "same-2.md" and "already taken" in note
    assert namer.assign(page(id=None, slug="same"))[0] == "same-3.md"


@pytest.mark.parametrize("name", ["CON", "aux.md", "a/b", "..", "../../etc", "x\\y", "nul", "  .hidden. ",
                                  "a:b*c?d\"e<f>g|h", "é" * 200, "\x00\x1f"])
def test_safe_components(name):
    result = safe_component(name)
    assert "/" not in result and "\\" not in result and result not in (".", "..")
    assert not any(ch in result for ch in '<>:"|?*\x00')
    assert len(result.encode()) <= 120
    assert result.split(".")[0].lower() not in ("con", "aux", "nul", "prn")


def test_a_field_value_cannot_make_folders_or_escape():
    assert FilenameTemplate("{slug}").render(page(slug="../../etc/passwd")) == "etc-passwd"
    assert Namer(FilenameTemplate("{slug}/{id}")).assign(page(slug=".."))[0] == "issue-80.md"


def test_slugify():
    assert slugify("Fudge Sunday - Mic Check 1, 2, 3") == "fudge-sunday-mic-check-1-2-3"
    assert slugify("Crème brûlée!") == "creme-brulee"
    assert slugify("日本語のタイトル") == "日本語のタイトル"
    assert slugify("🎉") == ""
