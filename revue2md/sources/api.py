"""The live Revue API, or any replay or mirror of it: `GET /issues`, `/issues/latest`, `/accounts/me`.

The responses go through the same functions as saved API JSON (`dump.issues_from_json`), so an
issue read live and the same issue read from a saved response become the same `Issue`.
`--save-raw DIR` keeps each response under the name `dump` looks for when reading it back.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from revue2md.errors import FetchError, SourceError, UsageError
from revue2md.models import Issue, Skipped
from revue2md.sources.dump import (
    ACCOUNT_FILE,
    issues_from_json,
    needs_profile,
    profile_from_account,
    with_profile,
)

MAX_RESPONSE_BYTES = 256 * 1024 * 1024
ISSUES_FILE = "issues.json"
LATEST_FILE = "issues-latest.json"
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_HEADER_SAFE = re.compile(r"[\x21-\x7e]+")


class ApiSource:
    """Every sent issue of the account the token belongs to (or only the latest one)."""

    kind = "api"

    def __init__(
        self,
        api_url: str,
        token: str | None,
        *,
        latest: bool = False,
        max_wait: float = 60.0,
        save_raw: Path | None = None,
        attempts: int = 5,
        deadline: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if not token or not token.strip():
            raise UsageError("the Revue API needs a token: pass --token or set REVUE_API_TOKEN")
        if not _HEADER_SAFE.fullmatch(token.strip()):
            # Said without the token: an HTTP library would quote the bad header, token and all.
            raise UsageError("the API token holds spaces, control or non-ASCII characters; "
                             "an HTTP header cannot carry it")
        if not re.match(r"^https?://[^/]", api_url or ""):
            raise UsageError(f"--api-url must be an http(s) URL, got {api_url!r}")
        if max_wait < 0:
            raise UsageError("--max-wait cannot be negative")
        self.api_url = api_url.rstrip("/")
        # A password in the URL (`https://user:pass@mirror/`) is as secret as the token.
        self._url_secrets = _userinfo_secrets(api_url)
        self._token = token.strip()
        self.latest = latest
        self.max_wait = max_wait
        self.save_raw = save_raw
        self.attempts = attempts
        self.deadline = deadline
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"ApiSource({without_userinfo(self.api_url)!r}, latest={self.latest})"

    def issues(self) -> Iterator[Issue | Skipped]:
        client = self._client()
        endpoint = "issues/latest" if self.latest else "issues"
        url, value = self._get_json(client, endpoint, LATEST_FILE if self.latest else ISSUES_FILE)
        try:
            found = list(issues_from_json(value, url))
        except SourceError as error:
            raise SourceError(client.redact(f"GET {url}: {error}")) from None
        profile = None
        if any(isinstance(item, Issue) and needs_profile(item) for item in found):
            profile = self._profile(client)
        for item in found:
            yield with_profile(item, profile) if isinstance(item, Issue) else item

    def _client(self):
        from revue2md.net.http import HttpClient, RetryPolicy

        return HttpClient(
            RetryPolicy(attempts=self.attempts, max_wait=self.max_wait,
                        **({"deadline": self.deadline} if self.deadline is not None else {})),
            headers={"Authorization": f"Token {self._token}", "Accept": "application/json"},
            secrets=(self._token, quote(self._token, safe=""), *self._url_secrets),
            sleep=self._sleep,
            service="the API",
        )

    def _profile(self, client) -> str | None:
        """The profile name from `GET /accounts/me`; None when a mirror does not serve it or it fails."""
        try:
            _, value = self._get_json(client, "accounts/me", ACCOUNT_FILE)
        except (FetchError, SourceError):
            # The issues are already here: without the profile they only lose their Revue aliases.
            return None
        return profile_from_account(value)

    def _get_json(self, client, endpoint: str, raw_name: str) -> tuple[str, Any]:
        import requests

        url = f"{self.api_url}/{endpoint}"
        try:
            response = client.get(url, max_bytes=MAX_RESPONSE_BYTES)
        except requests.RequestException as error:
            # Not a network failure but a request that cannot be made: its message may quote headers.
            raise FetchError(client.redact(f"GET {url}: {type(error).__name__}: {error}")) from None
        status = response.status
        if status in (401, 403):
            raise FetchError(client.redact(
                f"GET {url}: the Revue API refused the token ({status}); check --token or REVUE_API_TOKEN"))
        if status == 404:
            raise _NotFound(client.redact(
                f"GET {url}: not found (404): {self.api_url} is not a Revue API; check --api-url"))
        if not 200 <= status < 300:
            raise FetchError(client.redact(f"GET {url}: unexpected status {status}"))
        # A response never holds the token; if a server echoed it, it must reach no page either.
        original = response.text()
        text = client.redact(original)
        try:
            # Parsed strings are redacted again: a JSON escape (`\/`, `\u0074`) hides the token from the text.
            value = client.redact_value(json.loads(text))
        except (ValueError, RecursionError):
            found = describe_body(text, response.headers.get("Content-Type"))
            message = f"GET {url}: expected JSON from the Revue API, found {found}"
            raise SourceError(client.redact(message)) from None
        if self.save_raw is not None:
            self._save(client, raw_name, response.content if text == original else text.encode("utf-8"))
        return url, value

    def _save(self, client, name: str, content: bytes) -> None:
        from revue2md.files import write_atomic

        # A response never holds the token; if a server echoed it, it still must not reach a file.
        for secret in client.secrets:
            content = content.replace(secret.encode("utf-8"), b"***")
        write_atomic(Path(self.save_raw) / name, content)


def _userinfo_secrets(url: str) -> tuple[str, ...]:
    """The password of a URL (and the user:password pair), as written and percent-decoded."""
    from urllib.parse import unquote, urlsplit

    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return ()
    if not password:
        return ()
    userinfo = parts.netloc.rpartition("@")[0]
    found = {password, unquote(password), userinfo, unquote(userinfo)}
    return tuple(sorted(found, key=len, reverse=True))


def without_userinfo(url: str) -> str:
    """The URL with any `user:password@` removed, for messages."""
    return re.sub(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", r"\1", url)


class _NotFound(FetchError):
    """A 404: fatal for the issue list, only a missing profile for `/accounts/me`."""


def describe_body(text: str, content_type: str | None) -> str:
    """A few words on what a response holds instead of JSON."""
    stripped = text.strip()
    kind = f" ({content_type.split(';')[0].strip()})" if content_type else ""
    if not stripped:
        return "an empty body" + kind
    if stripped.startswith("<"):
        title = _TITLE.search(stripped[:65536])
        name = " ".join(title.group(1).split())[:80] if title else ""
        return f"an HTML page{kind}" + (f" titled {name!r}" if name else "")
    head = " ".join(stripped[:60].split())
    return f"text{kind} starting {head!r}"
