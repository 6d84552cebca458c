"""Rendering helpers shared by tests: markdown as a CommonMark reader (close to Hugo's) sees it."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from revue2md.clean.issue import CleanOptions, clean_issue
from revue2md.convert.markdown import ConvertOptions, to_markdown
from revue2md.models import Issue


def convert_html(html: str, template: str = "api", parser: str = "lxml", **convert) -> str:
    cleaned = clean_issue(Issue(source="test", html=html, template=template), CleanOptions(parser=parser))
    return to_markdown(cleaned.root, ConvertOptions(**convert))


_RELREF = re.compile(r'\{\{< relref "([^"]+)" >\}\}')


def render(markdown: str) -> str:
    """HTML as Hugo's Goldmark would give it; a `relref` shortcode becomes `relref:PATH`, as Hugo
    replaces shortcodes before the markdown is read."""
    return MarkdownIt("commonmark").enable("table").render(_RELREF.sub(r"relref:\1", markdown))


def rendered_text(markdown: str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(render(markdown), "lxml").get_text(" ")).strip()


def raw_html_tokens(markdown: str) -> list[str]:
    found = []
    for token in MarkdownIt("commonmark", {"html": True}).parse(markdown):
        if token.type == "html_block":
            found.append(token.content)
        found.extend(child.content for child in token.children or [] if child.type == "html_inline")
    return found


def synthetic_archive(path, count: int, first_id: int = 700_000, fixtures=None) -> list[dict]:
    """Write an API response of `count` issues made from the fixture issues (new ids, dates, slugs) to `path`."""
    import json
    from datetime import datetime, timedelta, timezone
    from pathlib import Path

    folder = Path(fixtures or Path(__file__).resolve().parent.parent / "fixtures") / "api"
    base = []
    for name in ("every-structure.json", "latest.json", "single.json", "edge-titles.json"):
        value = json.loads((folder / name).read_text(encoding="utf-8"))
        value = value["issue"] if isinstance(value, dict) and "issue" in value else value
        base += value if isinstance(value, list) else [value]
    start = datetime(2018, 1, 1, 8, tzinfo=timezone.utc)
    issues = []
    for index in range(count):
        issue_id = first_id + index
        issue = dict(base[index % len(base)])
        issue.update(
            id=issue_id,
            title=f"Synthetic {index}: {issue.get('title') or 'untitled'}",
            url=f"https://www.getrevue.co/profile/synthetic/issues/synthetic-{index}-{issue_id}",
            sent_at=(start + timedelta(days=index)).isoformat().replace("+00:00", "Z"),
        )
        issues.append(issue)
    Path(path).write_text(json.dumps(issues, indent=1, ensure_ascii=False), encoding="utf-8")
    return issues
