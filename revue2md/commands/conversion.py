"""One issue through the stages: clean it, point its links and images, make its page.

Both the export and the worker processes of `--jobs` call this, so it imports neither.
"""

from __future__ import annotations

from revue2md.clean.issue import CleanIssue, clean_issue
from revue2md.commands.options import ExportOptions
from revue2md.convert.links import IssueIndex, rewrite_issue_links
from revue2md.errors import Revue2mdError
from revue2md.hugo.images import resolve_local_images
from revue2md.hugo.page import make_page
from revue2md.models import Issue, Page, Skipped


def convert_issue(issue: Issue, options: ExportOptions, name: str | None = None,
                  index: IssueIndex | None = None) -> Page | Skipped:
    """Clean and convert one issue; any failure becomes a one-line Skipped."""
    result = clean_and_convert(issue, options, name, index)
    return result if isinstance(result, Skipped) else result[1]


def clean_and_convert(issue: Issue, options: ExportOptions, name: str | None = None,
                      index: IssueIndex | None = None) -> tuple[CleanIssue, Page] | Skipped:
    """`convert_issue`, also giving the tree the page was made from (`check` compares the two)."""
    try:
        cleaned = clean_issue(issue, options.clean)
        if index is not None and name is not None:
            rewrite_issue_links(cleaned.root, index, name, options.issue_links)
        cleaned = resolve_local_images(cleaned, options.images)
        return cleaned, make_page(cleaned, options.page, download=options.images.mode == "download")
    except RecursionError:
        return Skipped(issue.source, "could not convert: the HTML is nested too deeply")
    except Revue2mdError as error:
        return Skipped(issue.source, str(error))
    except Exception as error:  # one broken issue must not stop the archive
        return Skipped(issue.source, f"could not convert: {type(error).__name__}: {error}")
