"""One issue, two sources: the API JSON and the ZIP export items give the same markdown body."""

from __future__ import annotations

import zipfile
from pathlib import Path

PAIR = Path(__file__).resolve().parents[2] / "fixtures" / "pair"


def body(page: Path) -> str:
    front, text = page.read_text(encoding="utf-8").split("\n---\n", 1)
    assert front.startswith("---\n")
    return text


def test_api_json_and_zip_items_give_the_same_body(cli, tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        for path in sorted((PAIR / "zip").iterdir()):
            handle.write(path, path.name)
    from_api = cli("export", PAIR / "api-issues.json", "--out", tmp_path / "api")
    from_zip = cli("export", archive, "--out", tmp_path / "zip")
    assert from_api.exit_code == 0 and from_zip.exit_code == 0, from_api.output + from_zip.output
    api_page, zip_page = tmp_path / "api" / "garden-notes-1.md", tmp_path / "zip" / "garden-notes-1.md"
    assert body(zip_page) == body(api_page)
    # Every kind of item made it through (the comparison alone would pass on two empty bodies).
    for expected in ("## Reading", "**[Soil, explained](https://example.org/soil)** — example.org",
                     "Everything about humus & worms.", "> Soil is alive.",
                     "_Seeds drying on the table_", "[Tweet by @seedbank]", "{{< youtube abcdefghijk >}}"):
        assert expected in body(api_page)
    # The front matter differs only where the sources do: the ZIP has no issue URL, so no alias.
    api_front = api_page.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    zip_front = zip_page.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    alias = 'aliases:\n  - "/profile/gardennotes/issues/garden-notes-1-880001"\n'
    assert alias in api_front and api_front.replace(alias, "") == zip_front
