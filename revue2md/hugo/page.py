"""From a clean issue to a Hugo page: front matter values, aliases, the markdown body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from revue2md.canonical import LOCAL_FILE_ATTRIBUTE
from revue2md.clean import treewalk
from revue2md.clean.issue import CleanIssue
from revue2md.convert.markdown import ConvertOptions, convert_tree, markdown_url
from revue2md.dates import DateRule, parse_date
from revue2md.hugo.frontmatter import render_front_matter
from revue2md.hugo.images import is_web_url
from revue2md.hugo.naming import slugify
from revue2md.models import Image, Issue, Page
from revue2md.revue_urls import alias_paths, parse_issue_url

_NUMBER_IN_TITLE = re.compile(r"#\s?(\d{1,6})\b|\b(?:issue|no\.?|nr\.?|number|edition)\s*#?\s*(\d{1,6})\b",
                              re.IGNORECASE)
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


@dataclass(frozen=True)
class PageOptions:
    """What a page holds besides its body: the conversion, which aliases, the Revue profile, the date rule."""
    convert: ConvertOptions = field(default_factory=ConvertOptions)
    custom_domain_aliases: bool = False
    profile: str | None = None
    date_rule: DateRule = DateRule.none


def make_page(cleaned: CleanIssue, options: PageOptions = PageOptions(), download: bool = False) -> Page:
    """The page of a clean issue. Its `image_destinations` name the images a download may point at
    a local copy: local files always, web images with `download`."""
    images = tuple(
        Image(src=image["src"], alt=image.get("alt", ""), file=image.get(LOCAL_FILE_ATTRIBUTE))
        for image in treewalk.named(cleaned.root, ("img",), "src")
    )
    track = frozenset(markdown_url(image.src) for image in images if image.file or (download and is_web_url(image.src)))
    body, destinations = convert_tree(cleaned.root, options.convert, track)
    return replace(page_fields(cleaned.issue, options), body=body, images=images, image_destinations=destinations)


def page_fields(issue: Issue, options: PageOptions = PageOptions()) -> Page:
    """Everything of the page but its body, from the (cleaned) issue's metadata alone."""
    notes = list(issue.notes)
    page_date = issue.sent_at
    if page_date is None and options.date_rule == "filename":
        page_date = date_from_file_name(issue.source)
        if page_date is not None:
            notes = [note for note in notes if note != "no date in the source"]
            notes.append("date taken from the file name")
    return Page(
        source=issue.source,
        title=issue.title,
        body="",
        id=issue.id,
        date=page_date,
        description=issue.description,
        aliases=tuple(dict.fromkeys((*alias_paths(issue.url, issue.id, profile=options.profile,
                                                  custom_domain=options.custom_domain_aliases),
                                      *issue.aliases))),
        number=number_in_title(issue.title),
        draft=issue.draft,
        slug=page_slug(issue.url, issue.title, issue.id),
        url=issue.url,
        notes=tuple(notes),
    )


def render_page(page: Page) -> str:
    """The whole file: YAML front matter, a blank line, the markdown body."""
    front = render_front_matter([
        ("title", page.title),
        ("date", page.date),
        ("description", page.description),
        ("aliases", list(page.aliases)),
        ("number", page.number),
        ("revue_id", page.id),
        ("draft", True if page.draft else None),
    ])
    return front + ("\n" + page.body if page.body else "")


def number_in_title(title: str) -> int | None:
    """The issue number an author put in the title ("Weekly News #80", "Issue 12")."""
    match = _NUMBER_IN_TITLE.search(title or "")
    return int(match.group(1) or match.group(2)) if match else None


def page_slug(url: str | None, title: str, issue_id: int | None) -> str:
    parsed = parse_issue_url(url)
    if parsed and parsed.slug:
        # A slug of punctuation only (`%%`, `##`) makes no name Hugo serves: fall back to the title.
        return slugify(parsed.slug) or slugify(title) or (f"issue-{issue_id}" if issue_id is not None else "issue")
    return slugify(title) or (f"issue-{issue_id}" if issue_id is not None else "issue")


def date_from_file_name(source: str):
    name = PurePath(source.split("#", 1)[0]).name
    match = _DATE_IN_NAME.search(name)
    return parse_date(match.group(1)) if match else None
