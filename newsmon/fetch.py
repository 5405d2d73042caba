"""HTTP fetching for feeds and the pages they link to: one shared, polite httpx client.

Why it is built this way:

* **One client per cycle** (:class:`Fetcher`) so connections are reused across feeds
  and pages of the same site, with one place for the timeouts, the User-Agent, the
  response-size cap and the concurrency limits.
* **Bounded concurrency**: fetches run in a small thread pool (the work is waiting on
  sockets, not CPU) and a semaphore per host keeps newsmon from hammering one site
  even when most links of a cycle point to it.
* **Redirects are followed by hand**, so every hop is counted (loops end as
  ``too_many_redirects``) and every hop's target passes the same safety check.
* **Safety (SSRF)**: links found *inside* feeds are untrusted. A link to a loopback,
  private, link-local or otherwise non-public address, or with a scheme other than
  http(s), is refused as ``blocked_url`` unless private networks are explicitly
  allowed (configuration key or ``NEWSMON_ALLOW_PRIVATE_NETWORKS=1``). Host names are
  resolved and every address is checked. (A resolver that answers differently a
  moment later could still slip through; newsmon is a desktop tool, not a proxy.)
* **A site that stops answering is left for the next cycle.** Once requests for
  ``host_down_after`` of its addresses went unanswered (timed out or refused) with no
  answer from it in between, its other requests fail at once as ``host_down``: at 20 s
  a try and three tries a page, a site that hangs would otherwise hold a cycle of 200 new
  links for hours. Counting addresses, not requests, keeps one broken page (tried three
  times) from closing a working site; any answer, an error page too, reopens it.
* **A wall is not the page.** A request redirected to a consent, sign-in or subscription
  page (one that names the address asked for as where to return, or a ``consent.*`` or
  ``login.*`` host: :func:`~newsmon.core.urls.wall_redirect`) fails as ``walled``: stored,
  that page would be one article in place of every article of the site.
* **Named outcomes**: every failure is a :class:`FetchTransientError` (timeout,
  connection error, 5xx, 429, a wall; with the server's ``Retry-After``) or a
  :class:`FetchPermanentError` (404, 410, other 4xx, too large, not HTML, blocked),
  each carrying a :class:`RejectReason`.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal, TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

from newsmon import __version__
from newsmon.core.errors import FetchPermanentError, FetchTransientError
from newsmon.core.media_types import (
    ODT_MARK,
    Document,
    charset_of,
    document_mark,
    media_type,
)
from newsmon.core.outcomes import RejectReason
from newsmon.core.urls import host_of, sent_home, wall_redirect
from newsmon.robots import RobotsRules

log = logging.getLogger(__name__)

#: Failures that mean the site did not answer at all (an error page is an answer).
UNANSWERED = frozenset({RejectReason.TIMEOUT, RejectReason.CONNECTION})

T = TypeVar("T")
R = TypeVar("R")

USER_AGENT = f"newsmon/{__version__} (news monitoring for one analyst; polls feeds politely)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
HTML_TYPES = ("text/html", "application/xhtml+xml")
#: What servers call a download of any kind (a document a feed links is often sent so).
DOWNLOAD_TYPES = ("application/octet-stream", "binary/octet-stream")
#: What servers call a PDF (a press release, a report a feed links): read as an article.
PDF_TYPES = ("application/pdf", "application/x-pdf", *DOWNLOAD_TYPES)
#: What servers call a Word document (.docx), an OpenDocument text (.odt) or an RTF file:
#: read as an article too.
WORD_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              *DOWNLOAD_TYPES)
ODT_TYPES = (ODT_MARK.decode("ascii"), *DOWNLOAD_TYPES)  # the type its zip names
RTF_TYPES = ("application/rtf", "text/rtf", "application/x-rtf", *DOWNLOAD_TYPES)
_DOCUMENT_TYPES: dict[Document, tuple[str, ...]] = {
    "pdf": PDF_TYPES, "docx": WORD_TYPES, "odt": ODT_TYPES, "rtf": RTF_TYPES}
_REDIRECTS = {301, 302, 303, 307, 308}
#: The longest robots.txt ``Crawl-delay`` honoured, in seconds.
MAX_CRAWL_DELAY_S = 60.0


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and defensively to fetch. Built from the ``[network]`` config section."""

    user_agent: str = USER_AGENT
    timeout_s: float = 20.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    max_connections: int = 16
    max_per_host: int = 4
    allow_private_networks: bool = False
    attempts: int = 3  # tries per page for transient errors (feeds back off across cycles)
    backoff_s: float = 0.5  # first wait between tries; doubles each time
    max_retry_wait_s: float = 10.0  # a longer Retry-After is not waited for within a cycle
    min_host_gap_s: float = 0.0  # least time from one host's answer to its next request
    slow_down_s: float = 0.0  # a host that answers 429/503 gets no request for this long
    host_down_after: int = 3  # addresses of a host unanswered in a row: no more requests to it


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One successful response (200, or 304 for a conditional request)."""

    url: str  # the final URL, after redirects
    status: int
    headers: Mapping[str, str] = field(repr=False)  # lower-case names
    content: bytes = field(repr=False)
    #: reached through permanent redirects only (301, 308): the address asked for moved
    moved: bool = False

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return media_type(self.headers.get("content-type", ""))

    @property
    def document(self) -> Document | Literal["text"] | None:
        """The document an address served in place of a page ("pdf", "docx", "odt", "rtf",
        or "text" for plain text), by what its server calls it and by its first bytes (a server
        that sends its error page as ``application/pdf`` sends no PDF); None for anything
        else."""
        ctype, mark = self.content_type, document_mark(self.content)
        if mark is not None and ctype.startswith(_DOCUMENT_TYPES[mark]):
            return mark
        if ctype == "text/plain" and not self.is_markup:
            return "text"
        return None

    @property
    def is_markup(self) -> bool:
        """The body opens as an HTML page does, whatever its server calls it (a page sent
        as ``text/plain`` by a misconfigured server is still a page)."""
        return self.content[:512].lstrip().lower().startswith((b"<!doctype html", b"<html"))

    @property
    def charset(self) -> str | None:
        """The ``charset`` parameter of the Content-Type header, if any."""
        return charset_of(self.headers.get("content-type", ""))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


Address = ipaddress.IPv4Address | ipaddress.IPv6Address
#: How long a host name that could not be resolved is not looked up again.
UNRESOLVED_FOR_S = 60.0


def check_url(url: str, *, allow_private: bool,
              resolve: Callable[[str, int], list[Address]] | None = None) -> None:
    """Raise ``FetchPermanentError(blocked_url)`` for a URL newsmon must not fetch, and
    ``FetchTransientError(connection_error)`` when its host name cannot be resolved
    (``resolve``: host and port to addresses, a plain lookup by default)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError as exc:
        raise FetchPermanentError(RejectReason.BLOCKED_URL, f"{url}: invalid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchPermanentError(
            RejectReason.BLOCKED_URL, f"{url}: only http and https links are fetched"
        )
    if not host:
        raise FetchPermanentError(RejectReason.BLOCKED_URL, f"{url}: no host")
    # The name httpx will connect to: an international name in IDNA 2008 (straße.de is
    # xn--strae-oqa.de), where the resolver's own codec (IDNA 2003) would look up another
    # domain (strasse.de) and check its addresses instead. A label over 63 characters or
    # an empty one is no name at all.
    try:
        name = httpx.URL(url).raw_host.decode("ascii")
        labels = name.removesuffix(".").split(".")
        if ":" not in name and not all(0 < len(label) <= 63 for label in labels):
            raise UnicodeError("a label empty or over 63 characters")
    except (httpx.InvalidURL, UnicodeError) as exc:
        raise FetchPermanentError(RejectReason.BLOCKED_URL,
                                  f"{url}: not a host name ({exc})") from None
    if allow_private:
        return
    lookup = resolve or _addresses
    for address in lookup(name, port or (443 if parts.scheme == "https" else 80)):
        if not address.is_global:
            raise FetchPermanentError(
                RejectReason.BLOCKED_URL,
                f"{url}: {host} is a non-public address ({address}); set "
                "allow_private_networks to fetch it",
            )


def _addresses(host: str, port: int) -> list[Address]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchTransientError(
            RejectReason.CONNECTION, f"cannot resolve {host}: {exc}"
        ) from None
    found = []
    for info in infos:
        try:
            found.append(ipaddress.ip_address(str(info[4][0]).split("%")[0]))
        except ValueError:
            continue
    return found


class HostNames:
    """Host names looked up for one fetcher, a name that could not be resolved not again
    for ``forget_after_s``.

    A feed's links mostly share one host: when its name does not resolve (a site gone, a
    resolver down, a laptop offline), every link would ask again, and a resolver that
    times out takes seconds a question: 730 links of one such feed took 140 s. One lookup
    at a time per name, the others waiting for its answer, and a failure kept a while
    make that one question. Addresses that were found are not kept: the safety check
    looks again, as the request itself will.
    """

    def __init__(self, lookup: Callable[[str, int], list[Address]] = _addresses, *,
                 forget_after_s: float = UNRESOLVED_FOR_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.lookup = lookup
        self.forget_after_s = forget_after_s
        self.clock = clock
        self._failed: dict[str, tuple[float, FetchTransientError]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def addresses(self, host: str, port: int) -> list[Address]:
        key = host.lower()
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            failed = self._failed.get(key)
            if failed is not None and self.clock() < failed[0]:
                raise FetchTransientError(failed[1].reason, failed[1].detail)
            try:
                return self.lookup(host, port)
            except FetchTransientError as exc:
                self._failed[key] = (self.clock() + self.forget_after_s, exc)
                raise


class _Turn:
    """A request's turn at one host (see :meth:`Fetcher._turn`); ``done`` once."""

    def __init__(self, fetcher: Fetcher, host: str, lock: threading.Lock | None) -> None:
        self.fetcher = fetcher
        self.host = host
        self.lock = lock
        self.waited = 0.0

    def done(self) -> None:
        if self.lock is None:
            return
        lock, self.lock = self.lock, None
        self.fetcher._answered(self.host)
        lock.release()

    def pass_on(self) -> None:
        """Give the turn up unused: no request went out, so the host is owed no gap."""
        if self.lock is None:
            return
        lock, self.lock = self.lock, None
        lock.release()

    def trace(self, event: str, _info: dict[str, object]) -> None:
        if event.endswith("receive_response_headers.complete"):
            self.done()


class Fetcher:
    """One shared HTTP client with limits; use as a context manager, one per cycle."""

    def __init__(self, policy: FetchPolicy | None = None, *,
                 host_names: HostNames | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self.host_names = host_names or HostNames()
        self._client = httpx.Client(
            headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(self.policy.timeout_s),
            follow_redirects=False,
            limits=httpx.Limits(
                max_connections=self.policy.max_connections,
                max_keepalive_connections=self.policy.max_connections,
            ),
            trust_env=False,
        )
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()
        # per host: when its next request may start (time.monotonic()) and its gap, which
        # a 429 or 503 doubles for the rest of the fetcher's life (one cycle)
        self._next_start: dict[str, float] = {}
        self._gaps: dict[str, float] = {}
        self._turn_locks: dict[str, threading.Lock] = {}
        self._robots: dict[str, RobotsRules | FetchTransientError] = {}
        # per host: the addresses it left unanswered since its last answer, and why the
        # last one was once there are ``host_down_after`` of them (no more requests then)
        self._unanswered: dict[str, set[str]] = {}
        self._down: dict[str, str] = {}
        self._robots_locks: dict[str, threading.Lock] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # -- concurrency ---------------------------------------------------------------------

    def _host_slot(self, url: str) -> threading.BoundedSemaphore:
        host = host_of(url)
        with self._hosts_lock:
            slot = self._hosts.get(host)
            if slot is None:
                slot = self._hosts[host] = threading.BoundedSemaphore(self.policy.max_per_host)
            return slot

    @contextmanager
    def _turn(self, host: str) -> Iterator[_Turn]:
        """The host's turn to send a request: ``min_host_gap_s`` after the previous
        request to it was answered.

        Counting from the answer (its response headers, through httpcore's trace) rather
        than from the moment a request was handed to the client keeps the gap at the
        server whatever happens on the way: a request that waits for a pooled connection
        or a late thread cannot reach the server right behind the next one, and the server
        has seen a request before it answers it. With a gap, one request to a host is out
        at a time; without one, up to ``max_per_host``.
        """
        gap = self._gaps.get(host, self.policy.min_host_gap_s)
        if gap <= 0 and host not in self._next_start:
            yield _Turn(self, host, None)
            return
        with self._hosts_lock:
            lock = self._turn_locks.setdefault(host, threading.Lock())
        began = time.monotonic()
        lock.acquire()
        turn = _Turn(self, host, lock)
        try:
            while (wait := self._next_start.get(host, 0.0) - time.monotonic()) > 0:
                time.sleep(wait)
            turn.waited = time.monotonic() - began
            yield turn
        finally:
            turn.done()

    def _answered(self, host: str) -> None:
        """A request to ``host`` was answered (or failed): the next may go ``gap`` from now."""
        with self._hosts_lock:
            gap = self._gaps.get(host, self.policy.min_host_gap_s)
            self._next_start[host] = max(self._next_start.get(host, 0.0),
                                         time.monotonic() + gap)

    def _slow_down(self, host: str, retry_after: float | None) -> None:
        """After a 429 or 503: no request to ``host`` for ``slow_down_s`` (or its
        Retry-After, if longer), and twice its gap from then on (at least 1 s, at most 60)."""
        pause = max(self.policy.slow_down_s, retry_after or 0.0)
        with self._hosts_lock:
            gap = self._gaps.get(host, self.policy.min_host_gap_s)
            self._gaps[host] = min(max(2 * gap, 1.0), 60.0)
            until = time.monotonic() + pause
            self._next_start[host] = max(self._next_start.get(host, 0.0), until)
        log.info("%s answered %s: slowing down (next request in %.0f s or more, then every "
                 "%.0f s)", host, "too many requests" if retry_after is None else
                 f"Retry-After {retry_after:.0f} s", pause, self._gaps[host])

    def map(self, fn: Callable[[T], R], items: Iterable[T],
            url_of: Callable[[T], str] | None = None) -> list[R]:
        """``fn`` over ``items`` in at most ``max_connections`` threads; results in order.

        ``fn`` must not raise (it should turn failures into values): one bad item must
        not lose the results of the others. With ``url_of``, the items are started host
        by host in turn (one of each host, then the second of each ...): in the order
        given, a list of feeds grouped by site would have every thread waiting out one
        site's gap while the other sites sit idle.
        """
        items = list(items)
        if len(items) <= 1:
            return [fn(i) for i in items]
        order = list(range(len(items)))
        if url_of is not None:
            order = host_by_host(order, lambda k: url_of(items[k]))
        workers = min(self.policy.max_connections, len(items))
        results: list[R | None] = [None] * len(items)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="newsmon-fetch") as pool:
            for k, result in zip(order, pool.map(lambda k: fn(items[k]), order), strict=True):
                results[k] = result
        return results  # type: ignore[return-value]  # every slot is filled

    # -- fetching ------------------------------------------------------------------------

    def check(self, url: str) -> None:
        """:func:`check_url` under this fetcher's policy, names looked up through its
        :class:`HostNames`: raise if ``url`` is not to be fetched or its host is unknown."""
        check_url(url, allow_private=self.policy.allow_private_networks,
                  resolve=self.host_names.addresses)

    def get(
        self,
        url: str,
        *,
        accept: str = PAGE_ACCEPT,
        etag: str | None = None,
        last_modified: str | None = None,
        trusted: bool = False,
    ) -> FetchResult:
        """GET ``url`` once (no retries), following redirects by hand.

        ``trusted`` URLs (feeds from the configuration) skip the private-address check;
        redirects to another host are checked all the same.
        """
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen: set[str] = set()
        current = url
        permanent = True  # every redirect followed so far said the address moved for good
        deadline = time.monotonic() + self.policy.timeout_s  # the whole request, redirects too
        trusted_host = host_of(url) if trusted else None
        for _hop in range(self.policy.max_redirects + 1):
            host = host_of(current)
            allowed = self.policy.allow_private_networks or host == trusted_host
            check_url(current, allow_private=allowed, resolve=self.host_names.addresses)
            seen.add(current)
            with self._host_slot(current), self._turn(host) as turn:
                self._refuse_if_down(current, host, turn)  # it may have gone down meanwhile
                deadline += turn.waited  # waiting for our turn is not the server's time
                try:
                    status, response_headers, content = self._request(
                        current, headers, deadline, turn.trace)
                except FetchTransientError as exc:
                    if exc.reason in UNANSWERED:
                        self._unanswered_request(host, current, exc)
                    raise
            self._answered_request(host)
            if status in (429, 503):
                self._slow_down(host, retry_after_seconds(response_headers.get("retry-after")))
            if status in _REDIRECTS:
                location = response_headers.get("location")
                if not location:
                    raise FetchPermanentError(
                        RejectReason.HTTP_4XX, f"{current}: HTTP {status} without Location"
                    )
                target = urljoin(current, location)
                if target in seen:
                    raise FetchPermanentError(
                        RejectReason.TOO_MANY_REDIRECTS, f"{url}: redirect loop at {target}"
                    )
                current = target
                permanent = permanent and status in (301, 308)
                continue
            _raise_for_status(current, status, response_headers)
            wall = wall_redirect(url, current)
            if wall is not None:
                raise FetchTransientError(
                    RejectReason.WALLED, f"{url}: sent to {current} instead, a consent, "
                    f"sign-in or subscription page ({wall})")
            return FetchResult(current, status, response_headers, content,
                               moved=permanent and current != url)
        raise FetchPermanentError(
            RejectReason.TOO_MANY_REDIRECTS,
            f"{url}: more than {self.policy.max_redirects} redirects",
        )

    def _request(self, url: str, headers: dict[str, str], deadline: float,
                 trace: Callable[[str, dict[str, object]], None] | None = None,
                 ) -> tuple[int, dict[str, str], bytes]:
        """One request; the body is streamed and abandoned once it exceeds ``max_bytes``
        or the request's ``deadline`` (``time.monotonic()``) passes: httpx's timeout bounds
        each read, so a server trickling a byte a second would otherwise hold it forever."""
        limit = self.policy.max_bytes
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise self._late(url)
        try:
            extensions = {"trace": trace} if trace is not None else None
            with self._client.stream("GET", url, headers=headers,
                                     extensions=extensions) as response, \
                    _closing_at(response, deadline):
                response_headers = {k.lower(): v for k, v in response.headers.items()}
                if not 200 <= response.status_code < 300:
                    return response.status_code, response_headers, b""
                coding = _unread_coding(response_headers.get("content-encoding", ""))
                if coding:
                    raise FetchPermanentError(
                        RejectReason.UNREADABLE, f"{url}: sent compressed as {coding!r}, which "
                        "newsmon did not ask for and does not read (it asks for gzip or deflate)")
                declared = response_headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchPermanentError(
                        RejectReason.TOO_LARGE,
                        f"{url}: {int(declared):,} bytes declared, over the {limit:,}-byte limit",
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    if time.monotonic() > deadline:
                        raise self._late(url)
                    size += len(chunk)
                    if size > limit:
                        raise FetchPermanentError(
                            RejectReason.TOO_LARGE, f"{url}: over the {limit:,}-byte limit"
                        )
                    chunks.append(chunk)
                return response.status_code, response_headers, b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise FetchTransientError(
                RejectReason.TIMEOUT,
                f"{url}: no answer within {self.policy.timeout_s:g} s ({type(exc).__name__})",
            ) from None
        except httpx.DecodingError as exc:
            raise FetchPermanentError(
                RejectReason.UNREADABLE, f"{url}: cannot decode the response body: {exc}"
            ) from None
        except httpx.InvalidURL as exc:  # no network glitch: the same address fails again
            raise FetchPermanentError(
                RejectReason.BLOCKED_URL, f"{url}: invalid URL ({exc})") from None
        except (httpx.TransportError, httpx.StreamClosed) as exc:
            if time.monotonic() >= deadline:  # closed by the deadline timer
                raise self._late(url) from None
            raise FetchTransientError(
                RejectReason.CONNECTION, f"{url}: {type(exc).__name__}: {exc or 'failed'}"
            ) from None

    def _late(self, url: str) -> FetchTransientError:
        return FetchTransientError(
            RejectReason.TIMEOUT,
            f"{url}: not complete within {self.policy.timeout_s:g} s (the whole request)",
        )

    def get_page(self, url: str) -> FetchResult:
        """Fetch an article page its site's robots.txt allows, retrying transient errors
        with back-off; HTML, or a PDF, a Word or OpenDocument text, an RTF file or plain text
        (which extraction reads as the file it is)."""
        self._refuse_if_down(url, host_of(url))
        self.check_robots(url)
        result = self.with_retries(lambda: self.get(url, accept=PAGE_ACCEPT), url)
        if sent_home(url, result.url):
            raise FetchPermanentError(
                RejectReason.HTTP_404, f"{url}: sent to the site's front page {result.url}: "
                "the page is gone (its front page is no article)")
        ctype = result.content_type
        if ctype and not ctype.startswith(HTML_TYPES) and result.document is None and not (
                ctype == "text/plain" and result.is_markup):  # a page sent as plain text
            raise FetchPermanentError(RejectReason.NOT_HTML, f"{result.url}: content type {ctype}")
        return result

    def _refuse_if_down(self, url: str, host: str, turn: _Turn | None = None) -> None:
        """Raise ``host_down`` if ``host`` left ``host_down_after`` addresses unanswered
        (giving up the ``turn`` unused: the next page waiting is refused at once, not a gap
        later)."""
        with self._hosts_lock:
            why = self._down.get(host)
        if why is not None:
            if turn is not None:
                turn.pass_on()
            raise FetchTransientError(
                RejectReason.HOST_DOWN, f"{url}: not requested: {host} left "
                f"{self.policy.host_down_after} addresses in a row unanswered in this run "
                f"({why}); tried again in the next")

    def _unanswered_request(self, host: str, url: str, exc: FetchTransientError) -> None:
        limit = self.policy.host_down_after
        with self._hosts_lock:
            unanswered = self._unanswered.setdefault(host, set())
            unanswered.add(url)
            going_down = 0 < limit <= len(unanswered) and host not in self._down
            if going_down:
                self._down[host] = str(exc.reason)
        if going_down:
            log.warning("%s left %d addresses in a row unanswered (%s): its other pages "
                        "wait for the next run", host, len(unanswered), exc.reason)

    def _answered_request(self, host: str) -> None:
        """An answer (an error page too): the host is up, its count starts again."""
        with self._hosts_lock:
            self._unanswered.pop(host, None)
            self._down.pop(host, None)

    def check_robots(self, url: str) -> None:
        """Raise unless the site's robots.txt lets newsmon fetch ``url`` (see
        :mod:`newsmon.robots`); the rules are read once per site and fetcher."""
        rules = self.robots_rules(url)
        if isinstance(rules, FetchTransientError):
            raise FetchTransientError(rules.reason, f"{url}: {rules.detail}", rules.retry_after)
        if not rules.allows(url):
            raise FetchPermanentError(
                RejectReason.ROBOTS_DISALLOWED,
                f"{url}: disallowed for newsmon by {rules.site}/robots.txt",
            )

    def robots_rules(self, url: str) -> RobotsRules | FetchTransientError:
        """The robots.txt rules of ``url``'s site, read once per site and fetcher, or why
        they could not be read."""
        site = _site(url)
        with self._hosts_lock:
            lock = self._robots_locks.setdefault(site, threading.Lock())
        with lock:  # one robots.txt request per site and cycle, however many pages wait
            rules = self._robots.get(site)
            if rules is None:
                rules = self._robots[site] = self._read_robots(site)
                if isinstance(rules, RobotsRules):
                    self._honour_crawl_delay(host_of(url), rules)
        return rules

    def _honour_crawl_delay(self, host: str, rules: RobotsRules) -> None:
        """A ``Crawl-delay`` longer than the host's gap becomes its gap (at most
        ``MAX_CRAWL_DELAY_S``: a site asking for an hour between pages is read slowly,
        not never)."""
        delay = rules.crawl_delay()
        if delay is None:
            return
        with self._hosts_lock:
            gap = self._gaps.get(host, self.policy.min_host_gap_s)
            self._gaps[host] = max(gap, min(delay, MAX_CRAWL_DELAY_S))

    def _read_robots(self, site: str) -> RobotsRules | FetchTransientError:
        robots_url = f"{site}/robots.txt"
        try:
            result = self.get(robots_url, accept="text/plain, */*;q=0.5")
        except FetchPermanentError as exc:
            if exc.reason in (RejectReason.BLOCKED_URL, RejectReason.TOO_MANY_REDIRECTS):
                raise
            return RobotsRules(site, None)  # 4xx, too large, undecodable: no rules
        except FetchTransientError as exc:
            if exc.reason is RejectReason.WALLED:  # a bot check says nothing of the rules:
                return RobotsRules(site, None)  # each page then meets it, or not, itself
            return FetchTransientError(
                exc.reason, f"{robots_url} unreachable, so the site is off limits for now "
                f"(RFC 9309): {exc.detail.removeprefix(robots_url + ': ')}", exc.retry_after,
            )
        return RobotsRules(site, result.content.decode("utf-8", errors="replace"))

    def with_retries(self, call: Callable[[], FetchResult], url: str) -> FetchResult:
        """``call()`` up to ``attempts`` times while it fails transiently. Once the host is
        down (``host_down``) there is no retry, and a request already sent fails with its
        own error: the page was tried. A wall (``walled``) is not asked again in the same
        minute either: the site sends it to every request without the cookie it wants."""
        delay = self.policy.backoff_s
        tried: FetchTransientError | None = None
        for attempt in range(1, self.policy.attempts + 1):
            try:
                return call()
            except FetchTransientError as exc:
                if exc.reason is RejectReason.HOST_DOWN:
                    raise tried or exc from None
                if exc.reason is RejectReason.WALLED:
                    raise
                tried = exc
                wait = exc.retry_after if exc.retry_after is not None else delay
                if attempt == self.policy.attempts or wait > self.policy.max_retry_wait_s:
                    raise
                log.debug("%s: %s; retry %d in %.1f s", url, exc.reason, attempt, wait)
                time.sleep(wait)
                delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover


#: Content codings httpx undoes here (brotli and zstd only with packages newsmon does not
#: install: a small compressed body can inflate past any limit in one step).
_READ_CODINGS = frozenset({"", "identity", "gzip", "x-gzip", "deflate"})


def _unread_coding(header: str) -> str:
    """The first content coding of a ``Content-Encoding`` header newsmon cannot undo ("" if
    none): unread, the compressed bytes would be taken for a page ("not parseable as
    HTML") and the article lost under the wrong name."""
    for coding in header.lower().split(","):
        if coding.strip() not in _READ_CODINGS:
            return coding.strip()
    return ""


def _site(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, lower case: whose robots.txt governs it."""
    try:
        parts = urlsplit(url)
    except ValueError:  # checked before any request; a robots.txt of no site
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


def host_by_host(items: Sequence[T], url_of: Callable[[T], str]) -> list[T]:
    """``items`` reordered to take one per host in turn (hosts in first-seen order), so
    that work cut into batches or shared by threads keeps many hosts busy at once."""
    queues: dict[str, list[T]] = {}
    for item in items:
        queues.setdefault(host_of(url_of(item)), []).append(item)
    ordered: list[T] = []
    for depth in range(max(map(len, queues.values()), default=0)):
        ordered.extend(q[depth] for q in queues.values() if depth < len(q))
    return ordered


@contextmanager
def _closing_at(response: httpx.Response, deadline: float) -> Iterator[None]:
    """Shut the connection's socket down from a timer thread at ``deadline``: a read
    blocked on a server that stalls mid-body then ends at once, instead of one more read
    timeout later (closing the response object does not wake a blocked read)."""

    def abort() -> None:
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is not None:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(max(0.0, deadline - time.monotonic()), abort)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _raise_for_status(url: str, status: int, headers: Mapping[str, str]) -> None:
    if 200 <= status < 300 or status == 304:
        return
    if headers.get("cf-mitigated", "").strip().lower() == "challenge":
        # Cloudflare's documented mark of its challenge page (a 403 or 503 "Just a
        # moment..."): no answer about the page, which a later poll may get
        raise FetchTransientError(RejectReason.WALLED, f"{url}: HTTP {status}, a bot check "
                                  "(Cloudflare's challenge page) in place of the page")
    retry_after = retry_after_seconds(headers.get("retry-after"))
    if status == 429:
        raise FetchTransientError(RejectReason.HTTP_429, f"{url}: HTTP 429", retry_after)
    if status >= 500:
        raise FetchTransientError(RejectReason.HTTP_5XX, f"{url}: HTTP {status}", retry_after)
    if status == 404:
        raise FetchPermanentError(RejectReason.HTTP_404, f"{url}: HTTP 404 not found")
    if status == 410:
        raise FetchPermanentError(RejectReason.HTTP_410, f"{url}: HTTP 410 gone")
    raise FetchPermanentError(RejectReason.HTTP_4XX, f"{url}: HTTP {status}")
