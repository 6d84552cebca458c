"""HTTP for every network source: one retry policy, explicit UTF-8, secrets kept out of messages.

Connection errors, timeouts, 429 and 5xx are retried with exponential backoff; a
`Retry-After` header (seconds or an HTTP date) is honoured, capped at `max_wait`. When the
attempts are spent, FetchError names the URL (with any secret redacted) and the last status.
Other statuses are returned to the caller, which knows what a 401 or a 404 means for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from revue2md import __version__, events
from revue2md.errors import FetchError, TooLargeError

USER_AGENT = f"revue2md/{__version__} (+https://pypi.org/project/revue2md/)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    backoff: float = 0.5
    max_wait: float = 60.0
    timeout: float = 30.0


class Response:
    """What a request returned: status, headers, the raw bytes, and the final URL."""

    def __init__(self, status: int, headers, content: bytes, url: str):
        self.status = status
        self.headers = headers
        self.content = content
        self.url = url

    def text(self) -> str:
        """The body as UTF-8, whatever the Content-Type claims (Revue served UTF-8 everywhere)."""
        return self.content.decode("utf-8", errors="replace").lstrip("\ufeff")


class HttpClient:
    def __init__(
        self,
        policy: RetryPolicy = RetryPolicy(),
        headers: dict[str, str] | None = None,
        secrets: Iterable[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        service: str = "the server",
    ):
        import requests

        self.policy = policy
        self.secrets = tuple(secret for secret in secrets if secret)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers.update(headers or {})
        self._sleep = sleep
        self.service = service  # how progress lines name the other side ("the API", "the web archive")

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def get(self, url: str, *, max_bytes: int | None = None, allow_redirects: bool = True) -> Response:
        """GET with the retry policy. Bodies larger than `max_bytes` raise FetchError."""
        import requests
        from tenacity import RetryError, Retrying, retry_if_exception_type, stop_after_attempt

        last: dict[str, object] = {}

        def wait(retry_state) -> float:
            hinted = last.get("retry_after")
            backoff = self.policy.backoff * (2 ** (retry_state.attempt_number - 1))
            seconds = min(self.policy.max_wait, hinted if isinstance(hinted, float) else backoff)
            events.announce(events.Wait(seconds, self._why(last), self.service, retry_state.attempt_number + 1,
                                        self.policy.attempts))
            return seconds

        def attempt() -> Response:
            last.clear()
            try:
                response = self.session.get(url, timeout=self.policy.timeout, stream=True,
                                            allow_redirects=allow_redirects)
            except (requests.ConnectionError, requests.Timeout) as error:
                last["error"] = _describe_network_error(error)
                raise _Retry() from None
            try:
                content = _read_limited(response, max_bytes)
            except requests.RequestException as error:
                last["error"] = _describe_network_error(error)
                raise _Retry() from None
            finally:
                response.close()
            result = Response(response.status_code, response.headers, content, response.url)
            if response.status_code in RETRY_STATUSES:
                last["status"] = response.status_code
                last["retry_after"] = retry_after_seconds(response.headers.get("Retry-After"))
                raise _Retry()
            return result

        retrying = Retrying(
            stop=stop_after_attempt(max(1, self.policy.attempts)),
            wait=wait,
            retry=retry_if_exception_type(_Retry),
            sleep=self._sleep,
            reraise=False,
        )
        try:
            return retrying(attempt)
        except FetchError as error:
            raise type(error)(self.redact(str(error))) from None
        except RetryError:
            reason = f"last status {last['status']}" if "status" in last else last.get("error", "no answer")
            raise FetchError(
                self.redact(f"GET {url}: gave up after {self.policy.attempts} attempts ({reason})")
            ) from None


    def _why(self, last: dict) -> str:
        status = last.get("status")
        if status == 429:
            return f"{self.service} asked to retry later (429)"
        if status is not None:
            return f"{self.service} answered {status}"
        return f"{self.service}: {last.get('error', 'no answer')}"


class _Retry(Exception):
    """Internal signal: this attempt failed in a way worth trying again."""


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` as seconds from now: an integer, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _read_limited(response, max_bytes: int | None) -> bytes:
    if max_bytes is None:
        return response.content
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise TooLargeError(f"GET {response.url}: {int(declared)} bytes is over the {max_bytes}-byte limit")
    chunks, total = [], 0
    for chunk in response.iter_content(64 * 1024):
        total += len(chunk)
        if total > max_bytes:
            raise TooLargeError(f"GET {response.url}: more than the {max_bytes}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _describe_network_error(error: Exception) -> str:
    name = type(error).__name__
    return "timed out" if "Timeout" in name else f"connection failed ({name})"
