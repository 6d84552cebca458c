"""Fetch a page's images and point the page at the local copies, where the converter said its destinations are.

Downloads run in a thread pool bounded by `--image-jobs`, with the shared retry policy
(timeouts, 429/5xx, `Retry-After`). Pages flow through a short look-ahead window, so the
images of the next pages are already being fetched while one page is written; memory stays
bounded by that window. A file already at its stable name (in the bundle, the static folder
or the cache) is reused without a request. An image that cannot be had keeps its original
URL, and its failure is in the report. Image URLs come from the source's content, so every
hop (the URL and each redirect) must reach a public address, unless private hosts are allowed.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from revue2md import events
from revue2md.convert.markdown import markdown_url
from revue2md.errors import DiskFullError, FetchError, TooLargeError, WriteError
from revue2md.files import write_atomic
from revue2md.hugo.image_kinds import SAVED_SUFFIXES, SCRIPTABLE_SUFFIXES, describe, image_suffix
from revue2md.hugo.images import ImageOptions, is_web_url, local_stem, renditions, stable_stem
from revue2md.models import Destination, ImageResult, Page, PageFile, Skipped

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

    from revue2md.net.http import HttpClient

MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
ClientFactory = Callable[[], "HttpClient"]


@dataclass(frozen=True)
class Fetched:
    """A downloaded image: its bytes, the suffix they call for, and the Revue rendition it came from."""
    data: bytes
    suffix: str
    rendition: str | None


class Unusable(Exception):
    """This file cannot be had (404, not an image, too large): another rendition may be."""


def fetch_image(client: HttpClient, url: str, max_bytes: int) -> Fetched:
    """The best rendition that answers with image bytes; FetchError says why none did.

    A 4xx, a body that is not an image or one over the limit moves on to the next
    rendition; a host that does not answer at all (after the retries) ends the search.
    """
    problems = []
    for rendition, candidate in renditions(url):
        label = f"{rendition}: " if rendition else ""
        try:
            response = get_following_redirects(client, candidate, max_bytes)
        except (Unusable, TooLargeError) as error:
            problems.append(label + _short(str(error), candidate))
            continue
        if response.status != 200:
            problems.append(f"{label}HTTP {response.status}")
            continue
        suffix = image_suffix(response.content)
        if suffix is None:
            problems.append(label + describe(response.content, response.headers.get("Content-Type")))
            continue
        if suffix in SCRIPTABLE_SUFFIXES:
            problems.append(f"{label}an SVG image, which can hold scripts: not saved into the site")
            continue
        return Fetched(response.content, suffix, rendition)
    raise FetchError("; ".join(problems))


def get_following_redirects(client: HttpClient, url: str, max_bytes: int):
    """GET that follows redirects itself, and only to http(s) URLs (never `file:` or other schemes)."""
    import requests

    for _ in range(MAX_REDIRECTS + 1):
        if not is_web_url(url):
            raise Unusable(f"refused to fetch a non-web URL: {url.split(':', 1)[0]}:")
        try:
            response = client.get(url, max_bytes=max_bytes, allow_redirects=False)
        except requests.RequestException as error:  # a URL requests cannot even try
            raise Unusable(f"bad URL ({type(error).__name__})") from None
        location = response.headers.get("Location")
        if response.status not in _REDIRECTS or not location:
            return response
        url = urljoin(url, location.strip())
    raise Unusable(f"more than {MAX_REDIRECTS} redirects")


def _short(message: str, url: str) -> str:
    return message.replace(f"GET {url}: ", "")


# --- pages --------------------------------------------------------------------------------


@dataclass
class _Planned:
    """One image of a page on its way: a download in flight, or a file already settled, and its result."""
    image_url: str
    stem: str
    future: Future | None = None
    result: ImageResult | None = None
    file: PageFile | None = None


@dataclass
class _Pending:
    """A page whose images are being settled, with its name."""
    page: Page
    name: str
    planned: list[_Planned]


def _client(options: ImageOptions) -> HttpClient:
    from revue2md.net.addresses import PublicOnly
    from revue2md.net.http import HttpClient

    return HttpClient(options.policy, service="the image host",
                      public_only=None if options.allow_private_hosts else PublicOnly())


class ImageLocalizer:
    """Turns pages into pages whose images are local files (to be written with the page)."""

    def __init__(self, options: ImageOptions, out: Path, client_factory: ClientFactory | None = None):
        self.options = options
        self.out = out
        self._client_factory = client_factory or (lambda: _client(options))
        self._local = threading.local()
        self._pool: ThreadPoolExecutor | None = None
        self._inflight: dict[str, tuple[Future, int]] = {}
        self._static_names: set[str] | None = None
        self._counts = [0, 0]  # images downloaded, images asked for
        self._count_lock = threading.Lock()

    def __enter__(self) -> ImageLocalizer:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def localize(self, results: Iterable[tuple[Page, str] | Skipped]) -> Iterator[tuple[Page, str] | Skipped]:
        """The same stream, in the same order, with each page's images settled."""
        window: deque = deque()
        size = self.options.jobs * 2
        for item in results:
            window.append(item if isinstance(item, Skipped) else self._start(*item))
            if len(window) > size:
                yield self._finish(window.popleft())
        while window:
            yield self._finish(window.popleft())

    # --- one page -------------------------------------------------------------------------

    def _start(self, page: Page, name: str) -> _Pending:
        planned: list[_Planned] = []
        seen: set[str] = set()
        folder = self._folder(name)
        for image in page.images:
            if image.src in seen:
                continue
            seen.add(image.src)
            if image.file:
                planned.append(self._plan_local(image.src, Path(image.file), folder))
            elif is_web_url(image.src):
                planned.append(self._plan_remote(image.src, folder))
        return _Pending(page, name, planned)

    def _plan_local(self, src: str, path: Path, folder: Path) -> _Planned:
        data = path.read_bytes()
        stem = local_stem(path, data)
        name = stem + (image_suffix(data) or path.suffix.lower())
        plan = _Planned(src, stem)
        plan.file = PageFile(name, self._place, copy_from=str(path))
        status = "reused" if self._existing(folder, stem) == name else "copied"
        plan.result = ImageResult(src, status, file=name)
        return plan

    def _plan_remote(self, url: str, folder: Path) -> _Planned:
        if self.options.mode != "download":
            plan = _Planned(url, "")
            plan.result = ImageResult(url, "kept")
            return plan
        stem = stable_stem(url)
        plan = _Planned(url, stem)
        existing = self._existing(folder, stem)
        if existing is not None:
            plan.file = PageFile(existing, self._place)
            plan.result = ImageResult(url, "reused", file=existing)
            return plan
        cached = self._existing(self.options.cache, stem) if self.options.cache else None
        if cached is not None:
            plan.file = PageFile(cached, self._place, copy_from=str(self.options.cache / cached))
            plan.result = ImageResult(url, "reused", file=cached)
            return plan
        plan.future = self._submit(url)
        return plan

    def _finish(self, pending: _Pending | Skipped) -> tuple[Page, str] | Skipped:
        if isinstance(pending, Skipped):
            return pending
        page = pending.page
        files: list[PageFile] = []
        results: list[ImageResult] = []
        links: dict[str, str] = {}
        for plan in pending.planned:
            if plan.future is not None:
                self._settle(plan)
            if plan.file is not None:
                files.append(plan.file)
                links[plan.image_url] = self._link(plan.file.name)
            results.append(plan.result)
        body = relink(page.body, page.image_destinations, links)
        return replace(page, body=body, files=tuple(files), image_results=tuple(results),
                       image_destinations=()), pending.name

    def _settle(self, plan: _Planned) -> None:
        try:
            fetched = plan.future.result()
        except FetchError as error:
            plan.result = ImageResult(plan.image_url, "failed", reason=str(error))
        except DiskFullError:
            raise  # a full disk stops the run, as it does for pages
        except Exception as error:  # one image must not stop the archive
            plan.result = ImageResult(plan.image_url, "failed", reason=f"{type(error).__name__}: {error}")
        else:
            name = plan.stem + fetched.suffix
            plan.file = PageFile(name, self._place, data=fetched.data)
            plan.result = ImageResult(plan.image_url, "downloaded", file=name, rendition=fetched.rendition)
            if self._static_names is not None:
                self._static_names.add(name)
        finally:
            self._release(plan.image_url)

    # --- downloads ------------------------------------------------------------------------

    def _submit(self, url: str) -> Future:
        if url in self._inflight:
            future, users = self._inflight[url]
            self._inflight[url] = (future, users + 1)
            return future
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=self.options.jobs, thread_name_prefix="revue2md-image")
        future = self._pool.submit(self._download, url)
        self._inflight[url] = (future, 1)
        self._counts[1] += 1
        future.add_done_callback(lambda _, url=url: self._downloaded(url))
        return future

    def _downloaded(self, url: str) -> None:
        # The total grows as pages are read: it is the number of images asked for so far.
        with self._count_lock:
            self._counts[0] += 1
            done, total = self._counts
        events.announce(events.Step(events.IMAGES, done, total, url))

    def _release(self, url: str) -> None:
        future, users = self._inflight.get(url, (None, 0))
        if users <= 1:
            self._inflight.pop(url, None)
        else:
            self._inflight[url] = (future, users - 1)

    def _download(self, url: str) -> Fetched:
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = self._client_factory()
        fetched = fetch_image(client, url, self.options.max_bytes)
        if self.options.cache is not None:
            try:
                write_atomic(self.options.cache / (stable_stem(url) + fetched.suffix), fetched.data)
            except DiskFullError:
                raise
            except WriteError:
                pass  # the cache only saves a later fetch: the image itself was fetched
        return fetched

    # --- places ---------------------------------------------------------------------------

    @property
    def _place(self) -> str:
        return "bundle" if self.options.layout == "bundle" else "static"

    def _folder(self, name: str) -> Path:
        if self.options.layout == "bundle":
            return self.out / os.path.dirname(name)
        return self.options.static_dir

    def _link(self, file_name: str) -> str:
        return file_name if self.options.layout == "bundle" else self.options.static_url + file_name

    def _existing(self, folder: Path, stem: str) -> str | None:
        """The file already at this stem (any image suffix) in `folder`."""
        if self.options.layout == "flat" and folder == self.options.static_dir:
            if self._static_names is None:
                self._static_names = set(_listing(folder))
            names: Iterable[str] = self._static_names
        else:
            names = _listing(folder)
        for name in sorted(names):
            base, suffix = os.path.splitext(name)
            if base == stem and suffix in SAVED_SUFFIXES:
                return name
        return None


def _listing(folder: Path | None) -> list[str]:
    if folder is None:
        return []
    try:
        return [entry.name for entry in os.scandir(folder) if entry.is_file(follow_symlinks=False)]
    except OSError:
        return []


def relink(body: str, destinations: Iterable[Destination], links: dict[str, str]) -> str:
    """Point the image and link destinations the converter listed at the local files (exact URLs only)."""
    local: dict[str, str] = {}
    for url, name in links.items():
        local.setdefault(markdown_url(url), markdown_url(name))
    pieces, position = [], 0
    for spot in destinations:
        if spot.url in local:
            pieces += [body[position:spot.start], local[spot.url]]
            position = spot.start + len(spot.url)
    pieces.append(body[position:])
    return "".join(pieces)
