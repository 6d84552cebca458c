"""The options of the commands that convert issues: one frozen value per stage, gathered in one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from revue2md.clean.issue import CleanOptions
from revue2md.convert.links import IssueLinks
from revue2md.hugo.images import ImageOptions
from revue2md.hugo.naming import FilenameTemplate
from revue2md.hugo.page import PageOptions
from revue2md.sources.interface import SourceContext


@dataclass(frozen=True)
class ExportOptions:
    """Everything an export or a sync is told: cleaning, pages, file names, drafts, sources, images, links,
    processes."""
    clean: CleanOptions = field(default_factory=CleanOptions)
    page: PageOptions = field(default_factory=PageOptions)
    filename: FilenameTemplate = field(default_factory=FilenameTemplate)
    drafts: bool = False
    sources: SourceContext = field(default_factory=SourceContext)
    images: ImageOptions = field(default_factory=ImageOptions)
    issue_links: IssueLinks = IssueLinks.path
    jobs: int = 1


Progress = Callable[[str], None]


