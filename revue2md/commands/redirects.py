"""The redirect file beside a site: written by export and sync, compared by check."""

from __future__ import annotations

from pathlib import Path

from revue2md.errors import WriteError
from revue2md.files import pages_on_disk, write_atomic
from revue2md.hugo.redirects import RedirectOptions, RedirectPlan, plan_redirects, read_page_aliases, render_redirects
from revue2md.models import RedirectsWritten


def site_redirects(out: Path, options: RedirectOptions) -> tuple[RedirectPlan, str]:
    """The redirects the pages now in `out` ask for, and the file text that holds them."""
    plan = plan_redirects(read_page_aliases(out, pages_on_disk(out)), options.base_path)
    return plan, render_redirects(options.target.format, plan.redirects)


def write_redirects(out: Path, options: RedirectOptions) -> RedirectsWritten:
    plan, text = site_redirects(out, options)
    file = options.target.file
    try:
        changed = write_atomic(file, text.encode("utf-8"))
    except OSError as error:
        raise WriteError(f"cannot write the redirects to {file}: {error.strerror or error}") from None
    return RedirectsWritten(str(file), options.target.format, len(plan.redirects), changed, plan.notes)


def stale_redirects(out: Path, options: RedirectOptions) -> str | None:
    """Why the redirect file no longer matches the pages' aliases, or None when it does."""
    _, text = site_redirects(out, options)
    file = options.target.file
    try:
        on_disk = file.read_bytes()
    except FileNotFoundError:
        return f"{file} is missing; export or sync with --redirects writes it"
    except OSError as error:
        return f"cannot read {file}: {error.strerror or error}"
    if on_disk != text.encode("utf-8"):
        return f"{file} no longer matches the pages' aliases; sync with --redirects rewrites it"
    return None
