"""The README documents the API and ZIP sources and every option they add."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_documents_the_api_and_zip_sources():
    text = README.read_text(encoding="utf-8")
    for needed in ("## Reading from the Revue API", "## Reading a Revue ZIP export", "revue2md export api",
                   "--api-url", "--token", "REVUE_API_TOKEN", "--latest", "--max-wait", "--save-raw",
                   "revue2md export revue-export.zip", "Subscriber data is never read"):
        assert needed in text, needed
