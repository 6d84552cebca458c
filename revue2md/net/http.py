"""HTTP for every network source: one retry policy, one deadline, explicit UTF-8, secrets kept out of messages.

Connection errors, timeouts, 429 and 5xx are retried with exponential backoff; a
`Retry-After` header (seconds or an HTTP date) is honoured, capped at `max_wait`. When the
attempts are spent, FetchError names the URL (with any secret redacted) and the last status.
Other statuses are returned to the caller, which knows what a 401 or a 404 means for it.

`timeout` bounds each wait for the next bytes; `deadline` bounds a whole attempt (connection,
headers, body, redirects). A server that sends one byte just before each timeout would
otherwise keep a request alive forever: when the deadline passes, the attempt's sockets are
shut down from a timer thread, which ends any read blocked on them.

A client made with `public_only` (image downloads: their URLs come from a source's content)
connects only to public addresses: each new connection resolves its host once, refuses it
when an address is not public (see `addresses`), and connects to a checked address. Through
a proxy the environment names, the proxy connects; the target's name is then checked before
the request, as far as it can be from here.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from revue2md import __version__, events
from revue2md.errors import FetchError, TooLargeError
from revue2md.net.addresses import PublicOnly, RefusedHost
from revue2md.net.retry import RetryPolicy

USER_AGENT = f"revue2md/{__version__} (+https://pypi.org/project/revue2md/)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
DEFAULT_POLICY = RetryPolicy()


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
        policy: RetryPolicy = DEFAULT_POLICY,
        headers: dict[str, str] | None = None,
        secrets: Iterable[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        service: str = "the server",
        public_only: PublicOnly | None = None,
    ):
        import requests

        self.policy = policy
        self.secrets = tuple(secret for secret in secrets if secret)
        self._patterns = tuple(secret_pattern(secret) for secret in self.secrets)
        self.session = requests.Session()
        for prefix in ("http://", "https://"):
            self.session.mount(prefix, _deadline_adapter())
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers.update(headers or {})
        self._sleep = sleep
        self.service = service  # how progress lines name the other side ("the API", "the web archive")
        self.public_only = public_only

    def redact(self, text: str) -> str:
        """`text` with every secret replaced by `***`, also where characters of it are HTML entities."""
        for secret, pattern in zip(self.secrets, self._patterns, strict=True):
            text = pattern.sub("***", text) if "&" in text else text.replace(secret, "***")
        return text

    def redact_value(self, value):
        """Every string in a parsed JSON value redacted (JSON escapes such as `\\/` are gone by then)."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, list):
            return [self.redact_value(item) for item in value]
        if isinstance(value, dict):
            return {self.redact(key): self.redact_value(item) for key, item in value.items()}
        return value

    def get(self, url: str, *, max_bytes: int | None = None, allow_redirects: bool = True) -> Response:
        """GET with the retry policy. Bodies larger than `max_bytes` raise FetchError.

        A client limited to public hosts follows no redirect itself: the caller checks and
        asks for each hop, so that every hop's host is checked, with or without a proxy.
        """
        if self.public_only is not None and allow_redirects:
            raise ValueError("a client limited to public hosts fetches one hop at a time (allow_redirects=False)")
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
            with _Deadline(self.policy.deadline, self.public_only) as deadline:
                try:
                    response = self.session.get(url, timeout=min(self.policy.timeout, self.policy.deadline),
                                                stream=True, allow_redirects=allow_redirects)
                except (requests.ConnectionError, requests.Timeout) as error:
                    last["error"] = deadline.describe(error)
                    raise _Retry() from None
                try:
                    content = _read_limited(response, max_bytes, deadline)
                except (requests.RequestException, _DeadlinePassed) as error:
                    last["error"] = deadline.describe(error)
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
            if self.public_only is not None:
                self._check_proxied(url)
            return retrying(attempt)
        except FetchError as error:
            raise type(error)(self.redact(str(error))) from None
        except RetryError:
            reason = f"last status {last['status']}" if "status" in last else last.get("error", "no answer")
            raise FetchError(
                self.redact(f"GET {url}: gave up after {self.policy.attempts} attempts ({reason})")
            ) from None

    def _check_proxied(self, url: str) -> None:
        """Through a proxy, the target's addresses are checked here (the proxy resolves it again)."""
        from urllib.parse import urlsplit

        from requests.utils import get_environ_proxies, select_proxy

        try:
            proxied = self.session.trust_env and select_proxy(url, get_environ_proxies(url))
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        except ValueError:
            return  # not a URL: requests refuses it itself
        if not proxied or not parts.hostname:
            return
        try:
            self.public_only.addresses(parts.hostname, port)
        except OSError:
            raise RefusedHost(f"{parts.hostname} does not resolve here, so its address cannot be checked before "
                              "the proxy is asked: not fetched (--allow-private-hosts skips the check)") from None

    def _why(self, last: dict) -> str:
        status = last.get("status")
        if status == 429:
            return f"{self.service} asked to retry later (429)"
        if status is not None:
            return f"{self.service} answered {status}"
        return f"{self.service}: {last.get('error', 'no answer')}"


def secret_pattern(secret: str) -> re.Pattern[str]:
    """Matches `secret` written with any of its characters as a character reference (`&#116;`,
    `&#x74;`, `&amp;`): how an HTML page or a JSON field holding HTML may echo it."""
    from html.entities import codepoint2name

    parts = []
    for char in secret:
        hexadecimal = "".join(f"[{d}{d.upper()}]" if d.isalpha() else d for d in f"{ord(char):x}")
        forms = [re.escape(char), f"&#0*{ord(char)};", f"&#[xX]0*{hexadecimal};"]
        if ord(char) in codepoint2name:
            forms.append(f"&{codepoint2name[ord(char)]};")
        parts.append("(?:" + "|".join(forms) + ")")
    return re.compile("".join(parts))


class _Retry(Exception):
    """Internal signal: this attempt failed in a way worth trying again."""


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` as seconds from now: an integer, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]{1,9}", value):  # ASCII digits only: str.isdigit() also takes "²"
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _read_limited(response, max_bytes: int | None, deadline: _Deadline) -> bytes:
    declared = response.headers.get("Content-Length")
    if max_bytes is not None and declared and re.fullmatch(r"[0-9]+", declared) and int(declared) > max_bytes:
        raise TooLargeError(f"GET {response.url}: {int(declared)} bytes is over the {max_bytes}-byte limit")
    chunks, total = [], 0
    for chunk in response.iter_content(64 * 1024):
        deadline.check()
        total += len(chunk)
        if max_bytes is not None and total > max_bytes:
            raise TooLargeError(f"GET {response.url}: more than the {max_bytes}-byte limit")
        chunks.append(chunk)
    deadline.check()
    return b"".join(chunks)


class _DeadlinePassed(Exception):
    """Internal signal: the attempt ran out of time while its body was read."""


_WATCHING = threading.local()


class _Deadline:
    """The sockets one attempt uses in this thread, shut down when its time is over."""

    def __init__(self, seconds: float, public_only: PublicOnly | None = None):
        self.seconds = seconds
        self.public_only = public_only  # new connections of this attempt go to public addresses only
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        _WATCHING.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        _WATCHING.deadline = None

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def check(self) -> None:
        if self.expired:
            raise _DeadlinePassed()

    def describe(self, error: Exception) -> str:
        if self.expired:
            return f"no complete answer within the {self.seconds:g} s deadline"
        return _describe_network_error(error)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _deadline_adapter():
    """A requests adapter whose connections tell the current deadline which socket they read from,
    and connect only to checked addresses when the attempt asks for public hosts only."""
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    global _ADAPTER_CLASS
    if _ADAPTER_CLASS is None:
        def watched(base):
            class Watched(base):
                def getresponse(self, *args, **kwargs):
                    deadline = getattr(_WATCHING, "deadline", None)
                    if deadline is not None:
                        deadline.watch(self.sock)
                    return super().getresponse(*args, **kwargs)

                def _new_conn(self):
                    deadline = getattr(_WATCHING, "deadline", None)
                    public_only = deadline.public_only if deadline is not None else None
                    if public_only is None:
                        return super()._new_conn()
                    from urllib3.exceptions import NameResolutionError

                    try:
                        addresses = public_only.addresses(self._dns_host, self.port)
                    except socket.gaierror as error:
                        raise NameResolutionError(self.host, self, error) from error
                    return _connect_checked(self, addresses)
            return Watched

        class WatchedHTTPPool(HTTPConnectionPool):
            ConnectionCls = watched(HTTPConnection)

        class WatchedHTTPSPool(HTTPSConnectionPool):
            ConnectionCls = watched(HTTPSConnection)

        class DeadlineAdapter(HTTPAdapter):
            def init_poolmanager(self, *args, **kwargs):
                super().init_poolmanager(*args, **kwargs)
                self.poolmanager.pool_classes_by_scheme = {"http": WatchedHTTPPool, "https": WatchedHTTPSPool}

        _ADAPTER_CLASS = DeadlineAdapter
    return _ADAPTER_CLASS()


_ADAPTER_CLASS = None


def _connect_checked(connection, addresses: list[str]) -> socket.socket:
    """A socket connected to one of `addresses` (already checked), errors raised as urllib3 raises them."""
    import sys

    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
    from urllib3.util.connection import create_connection

    failure: Exception | None = None
    for address in addresses:
        try:
            sock = create_connection((address, connection.port), connection.timeout,
                                     source_address=connection.source_address,
                                     socket_options=connection.socket_options)
        except TimeoutError as error:
            failure = ConnectTimeoutError(connection, f"Connection to {connection.host} timed out: {error}")
        except OSError as error:
            failure = NewConnectionError(connection, f"Failed to establish a new connection: {error}")
        else:
            sys.audit("http.client.connect", connection, connection.host, connection.port)
            return sock
    raise failure


def _describe_network_error(error: Exception) -> str:
    name = type(error).__name__
    return "timed out" if "Timeout" in name else f"connection failed ({name})"
