"""The hand-made fixtures whose exported pages are kept as golden files, with their options.

Regenerate with `python tests/update_golden.py`, then read `git diff fixtures/golden` line by
line before committing: a golden file is a reviewed expectation, not a snapshot.
"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOLDEN = FIXTURES / "golden"

# input (relative to fixtures/) -> extra export options
CASES: dict[str, tuple[str, ...]] = {
    "api/every-structure.json": (),
    "api/embeds.json": (),
    "api/edge-titles.json": (),
    "api/latest.json": (),
    "api/single.json": (),
    "web/classic-2019.html": (),
    "web/mjml-2021-nested.html": ("--custom-domain-aliases",),
    "email/archive-2017.html": ("--custom-domain-aliases", "--profile", "example"),
    "dialects/api.json": (),
    "dialects/api-field-holding-mjml-2022.json": (),
    "dialects/classic-2019-single-digit-day.html": (),
    "dialects/mjml-2022-view-online.html": (),
    "dialects/classic-2016-tweets.html": (),
    "dialects/mjml-2017-tweets.html": ("--custom-domain-aliases", "--profile", "example"),
}
SENTENCE_CASE = "api/every-structure.json"


def golden_dir(case: str, variant: str = "") -> Path:
    return GOLDEN / (case.replace("/", "__").rsplit(".", 1)[0] + variant)
