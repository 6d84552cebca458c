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


def tree_shape(soup) -> list[tuple]:
    """Every node of a BeautifulSoup tree in document order, with what it is and how it links to the others."""
    from bs4 import NavigableString, Tag

    nodes = [soup, *soup.descendants]
    index = {id(node): number for number, node in enumerate(nodes)}

    def at(node):
        return None if node is None else index.get(id(node), "outside")

    shape = []
    for node in nodes:
        links = (at(node.parent), at(node.previous_element), at(node.next_element),
                 at(node.previous_sibling), at(node.next_sibling))
        if isinstance(node, Tag):
            attrs = tuple((key, type(value).__name__, list(value) if isinstance(value, list) else value)
                          for key, value in node.attrs.items())
            shape.append((type(node).__name__, node.name, node.namespace, node.prefix, type(node.attrs).__name__,
                          attrs, node.can_be_empty_element, node.hidden, node.known_xml, dict(node._namespaces),
                          sorted(t.__name__ for t in node.interesting_string_types),
                          sorted(node.preserve_whitespace_tags or ()), [at(child) for child in node.contents],
                          links, sorted(vars(node)), node.parser_class, node.sourceline, node.sourcepos,
                          node.attribute_value_list_class, node.cdata_list_attributes))
        else:
            assert isinstance(node, NavigableString)
            shape.append((type(node).__name__, str(node), links, sorted(vars(node))))
    return shape


def issue_markups() -> list[str]:
    """The HTML (shortcodes expanded) of every issue the sources read from the corpus and the fixtures."""
    from pathlib import Path

    from revue2md.clean import items
    from revue2md.models import Issue
    from revue2md.sources.detect import iter_issues, open_sources

    root = Path(__file__).resolve().parent.parent
    corpus, fixtures = root.parent / "shared" / "corpus", root / "fixtures"
    folders = [corpus / kind for kind in ("api", "web", "email", "migrated")]
    folders += [fixtures / kind for kind in ("api", "web", "email", "zip", "mail", "migrated", "dialects",
                                             "structure", "wayback", "hostile")]
    markups = []
    for issue in iter_issues(open_sources([folder for folder in folders if folder.exists()])):
        if isinstance(issue, Issue):
            markups.append(items.expand_shortcodes(issue.html))
    return markups
