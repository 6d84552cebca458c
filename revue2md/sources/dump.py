"""Saved responses of the Revue API: `GET /v2/issues`, `GET /v2/issues/latest`, or one issue."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from revue2md.dates import parse_date
from revue2md.errors import SourceError
from revue2md.models import Issue, Skipped
from revue2md.revue_urls import parse_issue_url, profile_from_url
from revue2md.sources.json_stream import array_items, streamable
from revue2md.sources.reading import read_text_noted
from revue2md.text import html_to_text

# A file at most this large is read whole (quicker, and its memory is bounded by this); a larger
# array is read as a stream, one issue at a time, so that memory does not grow with it.
STREAM_ABOVE = 2 * 1024 * 1024
# `GET /accounts/me` as `revue2md export api --save-raw` names it; read for the profile name.
ACCOUNT_FILE = "accounts-me.json"
SHAPES = 'an array of issues (GET /issues), {"issue": [...]} (GET /issues/latest) or one issue object'


def issues_from_json(value: Any, source: str) -> Iterator[Issue | Skipped]:
    """Yield the issues of a decoded API response of any of the three shapes."""
    if isinstance(value, dict) and "issue" in value and not _looks_like_issue(value):
        value = value["issue"]
        if isinstance(value, dict):
            value = [value]
    if isinstance(value, dict):
        if not _looks_like_issue(value):
            raise SourceError(f"not a Revue API response: expected {SHAPES}; found an object "
                              f"with keys {', '.join(sorted(map(str, value))[:6]) or '(none)'}")
        value = [value]
    if not isinstance(value, list):
        raise SourceError(f"not a Revue API response: expected {SHAPES}; found {_kind(value)}")
    for index, item in enumerate(value):
        where = f"{source}#{index}"
        try:
            yield issue_from_api(item, where)
        except SourceError as error:
            yield Skipped(where, str(error))


def issue_from_api(item: Any, source: str) -> Issue:
    """One issue object of the API (`id, title, html, sent_at, description, url, active`)."""
    if not isinstance(item, dict):
        raise SourceError(f"not an issue object: found {_kind(item)}")
    html = item.get("html")
    if not isinstance(html, str):
        raise SourceError("issue has no `html` text" if html is None else
                          f"`html` should be text, found {_kind(html)}")
    issue_id = _int_or_none(item.get("id"))
    title = item.get("title")
    if title is not None and not isinstance(title, str):
        raise SourceError(f"`title` should be text, found {_kind(title)}")
    url = item.get("url") if isinstance(item.get("url"), str) else None
    if issue_id is None:
        parsed = parse_issue_url(url)
        issue_id = parsed.id if parsed else None
    description = html_to_text(item.get("description")) if isinstance(item.get("description"), str) else ""
    notes: list[str] = []
    sent_at = None
    raw_date = item.get("sent_at")
    # Revue leaves `sent_at` null on an issue it never sent (a draft); a missing key only
    # means whoever saved the response dropped it.
    unsent = "sent_at" in item and (raw_date is None or (isinstance(raw_date, str) and not raw_date.strip()))
    if isinstance(raw_date, str) and raw_date.strip():
        sent_at = parse_date(raw_date)
        if sent_at is None:
            notes.append(f"date not understood: {raw_date[:40]!r}")
    elif raw_date is not None:
        notes.append(f"date not understood: {_kind(raw_date)}")
    elif not unsent:
        notes.append("no date in the source")
    return Issue(
        source=source,
        html=html,
        template="api",
        id=issue_id,
        title=title or "",
        sent_at=sent_at,
        description=description or None,
        url=url,
        draft=unsent,
        notes=tuple(notes),
    )


def is_account(value: Any) -> bool:
    """A `GET /accounts/me` response: `{"profile_url": ..., ...}`."""
    return isinstance(value, dict) and "profile_url" in value and not _looks_like_issue(value)


def profile_from_account(value: Any) -> str | None:
    """The profile name in a `GET /accounts/me` response."""
    if not is_account(value) or not isinstance(value["profile_url"], str):
        return None
    return profile_from_url(value["profile_url"])


def needs_profile(issue: Issue) -> bool:
    """The issue URL has a slug but no profile (a custom-domain URL): the alias needs the profile."""
    parsed = parse_issue_url(issue.url)
    return parsed is not None and parsed.profile is None and parsed.slug is not None


def with_profile(issue: Issue, profile: str | None) -> Issue:
    """Fill the profile into a URL that lacks it: the www.getrevue.co URL the API itself gives.

    Hugo aliases and slugs are made from the URL, so the profile then reaches them with no
    other field to carry it.
    """
    parsed = parse_issue_url(issue.url)
    if not profile or parsed is None or parsed.profile is not None or parsed.slug is None:
        return issue
    url = f"https://www.getrevue.co/profile/{quote(profile)}/issues/{quote(parsed.slug or '')}-{parsed.id}"
    return replace(issue, url=url)


class ApiDumpSource:
    """A `.json` file saved from the API (or by `revue2md export api --save-raw`).

    A saved `GET /accounts/me` beside it (ACCOUNT_FILE) gives the profile name, as it does
    when the API is read live.
    """

    kind = "api-json"

    def __init__(self, path: Path):
        self.path = path

    def issues(self) -> Iterator[Issue | Skipped]:
        source = str(self.path)
        if _size(self.path) > STREAM_ABOVE and streamable(self.path):
            yield from self._with_profile(_streamed_issues(self.path, source))
            return
        try:
            value, repaired = _read_json_noted(self.path)
            if is_account(value):
                yield Skipped.on_purpose(source, "an account response (GET /accounts/me): read for the profile "
                                      "name, holds no issues")
                return
            found = list(issues_from_json(value, source))
        except SourceError as error:
            yield Skipped(source, str(error))
            return
        yield from self._with_profile(found, repaired)

    def _with_profile(self, found: Iterable[Issue | Skipped], repaired: str | None = None) -> Iterator[Issue | Skipped]:
        """Each issue with the saved account's profile filled in where its URL lacks one."""
        profile: str | None = None
        looked = False
        for item in found:
            if isinstance(item, Issue) and needs_profile(item):
                if not looked:
                    profile, looked = self._saved_profile(), True
                item = with_profile(item, profile)
            if isinstance(item, Issue) and repaired:
                item = replace(item, notes=(*item.notes, repaired))
            yield item

    def _saved_profile(self) -> str | None:
        account = self.path.parent / ACCOUNT_FILE
        if account == self.path or not account.is_file():
            return None
        try:
            return profile_from_account(_read_json(account))
        except SourceError:
            return None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # the reader says why in one line
        return 0


def _streamed_issues(path: Path, source: str) -> Iterator[Issue | Skipped]:
    """The issues of a saved JSON array, decoded one at a time (see `json_stream`)."""
    for index, item in enumerate(array_items(path)):
        where = f"{source}#{index}"
        try:
            yield issue_from_api(item, where)
        except SourceError as error:
            yield Skipped(where, str(error))


def _read_json(path: Path) -> Any:
    return _read_json_noted(path)[0]


def _read_json_noted(path: Path) -> tuple[Any, str | None]:
    text, repaired = read_text_noted(path)
    try:
        return json.loads(text), repaired
    except (json.JSONDecodeError, RecursionError) as error:
        if isinstance(error, json.JSONDecodeError):
            reason = f"{error.msg}, line {error.lineno} column {error.colno}"
        else:
            reason = "nested too deeply"
        raise SourceError(f"not valid JSON ({reason}); truncated or not an API response?") from None


def _looks_like_issue(value: dict) -> bool:
    return "html" in value and ("title" in value or "id" in value)


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)
