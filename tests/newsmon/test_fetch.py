"""The shared HTTP client against a real loopback server: limits, errors, safety."""

from __future__ import annotations

import dataclasses
import gzip
import ipaddress
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import pytest
from werkzeug import Request, Response

from evaluation.feedserver import FeedSite, start_site
from newsmon.core.errors import FetchPermanentError, FetchTransientError
from newsmon.core.outcomes import RejectReason
from newsmon.fetch import (
    Fetcher,
    FetchPolicy,
    HostNames,
    check_url,
    host_by_host,
    retry_after_seconds,
)

POLICY = FetchPolicy(
    allow_private_networks=True, timeout_s=2.0, backoff_s=0.01, max_bytes=200_000,
    max_redirects=3,
)


@pytest.fixture(scope="module")
def site() -> Iterator[FeedSite]:
    yield from start_site()


@pytest.fixture
def fetcher(site: FeedSite) -> Iterator[Fetcher]:
    site.reset()
    with Fetcher(POLICY) as f:
        yield f


def test_ok_sends_user_agent_and_validators(site: FeedSite, fetcher: Fetcher) -> None:
    url = site.serve("/page", "<html><body>hello</body></html>")
    result = fetcher.get(url, etag='"abc"', last_modified="Wed, 21 Oct 2015 07:28:00 GMT")
    assert (result.status, result.content_type) == (200, "text/html")
    assert result.content == b"<html><body>hello</body></html>"
    sent = site.requests("/page")[0]
    assert sent["user-agent"].startswith("newsmon/")
    assert sent["if-none-match"] == '"abc"'
    assert sent["if-modified-since"] == "Wed, 21 Oct 2015 07:28:00 GMT"


@pytest.mark.parametrize(
    ("status", "reason", "error"),
    [
        (404, RejectReason.HTTP_404, FetchPermanentError),
        (410, RejectReason.HTTP_410, FetchPermanentError),
        (403, RejectReason.HTTP_4XX, FetchPermanentError),
        (500, RejectReason.HTTP_5XX, FetchTransientError),
        (503, RejectReason.HTTP_5XX, FetchTransientError),
        (429, RejectReason.HTTP_429, FetchTransientError),
    ],
)
def test_http_errors_are_named_and_classified(
    site: FeedSite, fetcher: Fetcher, status: int, reason: RejectReason, error: type[Exception]
) -> None:
    url = site.route("/err", lambda _r: Response("<h1>error page</h1>", status))
    with pytest.raises(error) as caught:
        fetcher.get(url)
    assert caught.value.reason == reason  # type: ignore[attr-defined]
    assert "/err" in str(caught.value)


def test_retry_after_is_read_from_429_and_503(site: FeedSite, fetcher: Fetcher) -> None:
    url = site.route("/busy", lambda _r: Response("slow down", 429, {"Retry-After": "120"}))
    with pytest.raises(FetchTransientError) as caught:
        fetcher.get(url)
    assert caught.value.retry_after == 120
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past
    assert retry_after_seconds("garbage") is None


def test_page_retries_transient_errors_then_succeeds(site: FeedSite, fetcher: Fetcher) -> None:
    calls: list[int] = []

    def flaky(_r: Request) -> Response:
        calls.append(1)
        if len(calls) == 1:
            return Response("busy", 503, {"Retry-After": "0"})
        if len(calls) == 2:
            return Response("busy", 500)
        return Response("<html><body>ok</body></html>", 200, {"Content-Type": "text/html"})

    url = site.route("/flaky", flaky)
    assert fetcher.get_page(url).content == b"<html><body>ok</body></html>"
    assert len(calls) == 3


def test_long_retry_after_is_not_waited_for_in_a_cycle(site: FeedSite, fetcher: Fetcher) -> None:
    url = site.route("/later", lambda _r: Response("later", 503, {"Retry-After": "3600"}))
    with pytest.raises(FetchTransientError) as caught:
        fetcher.get_page(url)
    assert caught.value.retry_after == 3600
    assert len(site.requests("/later")) == 1


def test_permanent_errors_are_not_retried(site: FeedSite, fetcher: Fetcher) -> None:
    url = site.route("/gone", lambda _r: Response("gone", 410))
    with pytest.raises(FetchPermanentError):
        fetcher.get_page(url)
    assert len(site.requests("/gone")) == 1


def test_timeout_is_transient(site: FeedSite) -> None:
    def slow(_r: Request) -> Response:
        time.sleep(1.0)
        return Response("late", 200)

    url = site.route("/slow", slow)
    policy = FetchPolicy(allow_private_networks=True, timeout_s=0.2, attempts=1)
    with Fetcher(policy) as f, pytest.raises(FetchTransientError) as caught:
        f.get(url)
    assert caught.value.reason == RejectReason.TIMEOUT


def _hanging(site: FeedSite, paths: list[str]) -> list[str]:
    def hang(_r: Request) -> Response:
        time.sleep(2.0)  # four times HANGS_UP's limit
        return Response("late", 200)

    return [site.route(path, hang) for path in paths]


def _reasons(fetcher: Fetcher, urls: list[str]) -> list[str]:
    reasons = []
    for url in urls:
        try:
            fetcher.get_page(url)
            reasons.append("ok")
        except (FetchTransientError, FetchPermanentError) as exc:
            reasons.append(str(exc.reason))
    return reasons


# half a second: pages that do answer must do so within it on a loaded machine too
HANGS_UP = FetchPolicy(allow_private_networks=True, timeout_s=0.5, attempts=2, backoff_s=0.01,
                       host_down_after=3)


def test_a_site_that_stops_answering_gets_no_more_requests_in_the_cycle(
    site: FeedSite,
) -> None:
    """Three addresses unanswered in a row: the site's other pages fail at once, named
    ``host_down`` (at 20 s a try and 3 tries a page, 200 links of a site that hangs would
    hold the cycle for hours); a page retried is one address, and the next fetcher (the
    next cycle) tries the site again."""
    urls = _hanging(site, [f"/hang/{n}" for n in range(8)])
    with Fetcher(HANGS_UP) as fetcher:
        assert _reasons(fetcher, urls) == ["timeout"] * 3 + ["host_down"] * 5
        with pytest.raises(FetchTransientError, match="not requested: 127.0.0.1 left 3 "
                           "addresses in a row unanswered in this run"):
            fetcher.get(site.url("/robots.txt"))  # a feed or robots.txt of the site too
    # the third address's first try closes the site: no retry of it either (a request
    # that timed out reaches the server's log a moment later on a busy machine)
    deadline = time.monotonic() + 5
    while len(site.requests("/hang/2")) < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [len(site.requests(f"/hang/{n}")) for n in range(8)] == [2, 2, 1, 0, 0, 0, 0, 0]
    with Fetcher(HANGS_UP) as fetcher:
        assert _reasons(fetcher, urls[3:4]) == ["timeout"]
    assert len(site.requests("/hang/3")) == 2


def test_one_hanging_page_or_an_answer_between_keeps_the_site_open(site: FeedSite) -> None:
    hung = _hanging(site, ["/hang/a", "/hang/b", "/hang/c", "/hang/d"])
    fine = site.serve("/fine", "<html><body>ok</body></html>")
    missing = site.url("/missing")  # a 404 is an answer too
    with Fetcher(HANGS_UP) as fetcher:
        # one page tried three times is one address, not three
        assert _reasons(fetcher, [hung[0], hung[0], hung[0], fine]) == ["timeout"] * 3 + ["ok"]
        assert _reasons(fetcher, [hung[0], hung[1], missing, hung[2], hung[3], fine]) == [
            "timeout", "timeout", "http_404", "timeout", "timeout", "ok"]
    with Fetcher(dataclasses.replace(HANGS_UP, host_down_after=0)) as fetcher:
        assert _reasons(fetcher, hung) == ["timeout"] * 4  # 0: every page is tried


def test_a_trickling_body_is_cut_off_at_the_request_deadline(site: FeedSite) -> None:
    """Headers at once, then a byte every 0.1 s for 20 s: each read is quick, the whole
    request is not. It must end at timeout_s, not when the server gives up."""

    def trickle(_r: Request) -> Response:
        def body() -> Iterator[bytes]:
            yield b"<html><body>"
            for _ in range(200):
                time.sleep(0.1)
                yield b"x"

        return Response(body(), 200, {"Content-Type": "text/html"})

    url = site.route("/trickle", trickle)
    policy = FetchPolicy(allow_private_networks=True, timeout_s=1.0, attempts=1)
    started = time.monotonic()
    with Fetcher(policy) as f, pytest.raises(FetchTransientError) as caught:
        f.get(url)
    assert time.monotonic() - started < 5  # the server would trickle on for 20 s
    assert caught.value.reason == RejectReason.TIMEOUT
    assert "the whole request" in str(caught.value)


def test_a_stalled_body_ends_at_the_deadline_not_a_read_timeout_later(site: FeedSite) -> None:
    def stall(_r: Request) -> Response:
        def body() -> Iterator[bytes]:
            yield b"<html>"
            time.sleep(1.8)
            yield b"more"
            time.sleep(5)
            yield b"end"

        return Response(body(), 200, {"Content-Type": "text/html"})

    url = site.route("/stall", stall)
    policy = FetchPolicy(allow_private_networks=True, timeout_s=2.0, attempts=1)
    started = time.monotonic()
    with Fetcher(policy) as f, pytest.raises(FetchTransientError):
        f.get(url)
    assert time.monotonic() - started < 3.2  # 2 s deadline, not 1.8 s + a 2 s read timeout


def test_oversized_bodies_are_cut_off(site: FeedSite, fetcher: Fetcher) -> None:
    declared = site.serve("/big", b"x" * 300_000)
    with pytest.raises(FetchPermanentError) as caught:
        fetcher.get(declared)
    assert caught.value.reason == RejectReason.TOO_LARGE

    def streamed(_r: Request) -> Response:  # no Content-Length: the cap applies while reading
        return Response((b"y" * 10_000 for _ in range(100)), 200, {"Content-Type": "text/html"})

    url = site.route("/stream", streamed)
    with pytest.raises(FetchPermanentError) as caught:
        fetcher.get(url)
    assert caught.value.reason == RejectReason.TOO_LARGE


def test_a_body_compressed_in_a_coding_newsmon_did_not_ask_for_is_named(
    site: FeedSite, fetcher: Fetcher
) -> None:
    """A server that sends brotli or zstd to a client asking for gzip (a CDN set up that
    way) had its compressed bytes taken for the page: "not parseable as HTML"."""
    page = b"<html><body><p>Kim trifft Putin.</p></body></html>"
    gzipped = site.route("/gz", lambda _r: Response(gzip.compress(page), 200, {
        "Content-Type": "text/html", "Content-Encoding": "gzip"}))
    assert fetcher.get(gzipped).content == page
    for coding in ("br", "zstd", "gzip, br"):
        url = site.route(f"/{coding}", lambda _r, c=coding: Response(
            b"\x1b\x00\x00\x00binary", 200, {"Content-Type": "text/html",
                                              "Content-Encoding": c}))
        with pytest.raises(FetchPermanentError) as caught:
            fetcher.get(url)
        assert caught.value.reason == RejectReason.UNREADABLE
        assert caught.value.detail == (
            f"{url}: sent compressed as {coding.split(', ')[-1]!r}, which newsmon did not ask "
            "for and does not read (it asks for gzip or deflate)")


def test_a_bot_check_is_named_and_not_asked_again_in_the_cycle(
    site: FeedSite, fetcher: Fetcher
) -> None:
    """Cloudflare's challenge page comes as a 403 (or 503) marked ``cf-mitigated:
    challenge``: a 403 was an ``http_4xx`` and its page never asked for again, a 503
    retried at once. Now a ``walled`` page, tried again on a later poll."""
    for status in (403, 503):
        url = site.route(f"/guarded/{status}", lambda _r, s=status: Response(
            "<title>Just a moment...</title>", s,
            {"Content-Type": "text/html", "cf-mitigated": "challenge"}))
        with pytest.raises(FetchTransientError) as caught:
            fetcher.get_page(url)
        assert caught.value.reason == RejectReason.WALLED
        assert caught.value.detail == (f"{url}: HTTP {status}, a bot check (Cloudflare's "
                                       "challenge page) in place of the page")
        assert len(site.requests(f"/guarded/{status}")) == 1
    # a robots.txt behind the same check says nothing of the rules: pages are asked for
    site.route("/robots.txt", lambda _r: Response("", 403, {"cf-mitigated": "challenge"}))
    site.serve("/open", "<html><body><p>Kim trifft Putin.</p></body></html>")
    with Fetcher(POLICY) as fresh:  # robots.txt is read once per fetcher
        assert fresh.get_page(site.url("/open")).status == 200
    plain = site.route("/forbidden", lambda _r: Response("no", 403))
    with pytest.raises(FetchPermanentError) as refused:
        fetcher.get_page(plain)
    assert refused.value.reason == RejectReason.HTTP_4XX


def test_redirects_are_followed_and_capped(site: FeedSite, fetcher: Fetcher) -> None:
    site.route("/r1", lambda _r: Response("", 301, {"Location": "/r2"}))
    site.route("/r2", lambda _r: Response("", 302, {"Location": site.url("/final")}))
    site.serve("/final", "<html>final</html>")
    result = fetcher.get(site.url("/r1"))
    assert result.url == site.url("/final") and result.content == b"<html>final</html>"

    site.route("/loop-a", lambda _r: Response("", 302, {"Location": "/loop-b"}))
    site.route("/loop-b", lambda _r: Response("", 302, {"Location": "/loop-a"}))
    with pytest.raises(FetchPermanentError) as caught:
        fetcher.get(site.url("/loop-a"))
    assert caught.value.reason == RejectReason.TOO_MANY_REDIRECTS

    for i in range(6):
        site.route(f"/chain{i}", lambda _r, i=i: Response("", 302, {"Location": f"/chain{i + 1}"}))
    with pytest.raises(FetchPermanentError) as caught:
        fetcher.get(site.url("/chain0"))
    assert caught.value.reason == RejectReason.TOO_MANY_REDIRECTS
    assert len(site.requests("/chain3")) == 1 and not site.requests("/chain4")


def test_pages_must_be_html_or_a_document(site: FeedSite, fetcher: Fetcher) -> None:
    """A PDF, a Word document, an RTF file or plain text is read as the article it holds (by
    type and first bytes); a page sent as plain text is a page; an image, an error page its
    server calls a PDF, or a zip file that is no Word document, is no page."""
    pdf = site.serve("/doc.pdf", b"%PDF-1.4", "application/pdf")
    download = site.serve("/get", b"%PDF-1.7", "application/octet-stream") + "?id=7"
    assert fetcher.get_page(pdf).document == fetcher.get_page(download).document == "pdf"
    docx = b"PK\x03\x04\x14\x00[Content_Types].xml ... word/document.xml ..."
    for path, body, ctype, document in (
            ("/release.docx", docx, "application/vnd.openxmlformats-officedocument."
             "wordprocessingml.document", "docx"),
            ("/get-docx", docx, "application/octet-stream", "docx"),
            ("/release.odt", b"PK\x03\x04" + bytes(26) + b"mimetypeapplication/vnd.oasis."
             b"opendocument.text", "application/vnd.oasis.opendocument.text", "odt"),
            ("/release.rtf", b"{\\rtf1\\ansi Release}", "text/rtf", "rtf"),
            ("/notice.txt", b"Notice\n\nThe ministry said.", "text/plain; charset=utf-8", "text"),
            ("/page", b"  <!DOCTYPE html><html>A page</html>", "text/plain", None)):
        assert fetcher.get_page(site.serve(path, body, ctype)).document == document, path
    for path, body, ctype in (("/photo.jpg", b"\xff\xd8\xff", "image/jpeg"),
                              ("/gone.pdf", b"<html>Not found</html>", "application/pdf"),
                              ("/blob", b"PK\x03\x04", "application/octet-stream")):
        with pytest.raises(FetchPermanentError) as caught:
            fetcher.get_page(site.serve(path, body, ctype))
        assert caught.value.reason == RejectReason.NOT_HTML


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://localhost:8080/x",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "ftp://example.org/file",
        "file:///etc/passwd",
        "javascript:alert(1)",
    ],
)
def test_private_addresses_and_other_schemes_are_blocked(url: str) -> None:
    with pytest.raises(FetchPermanentError) as caught:
        check_url(url, allow_private=False)
    assert caught.value.reason == RejectReason.BLOCKED_URL


def test_private_addresses_are_allowed_when_configured() -> None:
    check_url("http://127.0.0.1:8080/x", allow_private=True)
    check_url("http://93.184.215.14/", allow_private=False)  # a public address literal
    with pytest.raises(FetchPermanentError):
        check_url("file:///etc/passwd", allow_private=True)  # never another scheme


def test_an_international_host_name_is_checked_as_the_name_that_is_connected_to() -> None:
    """httpx connects to straße.de as xn--strae-oqa.de (IDNA 2008); the resolver's own
    codec (IDNA 2003) would look up strasse.de, another domain, and the private-address
    check would have passed on that one's public addresses (no DNS here: a stub answers)."""
    zone = {"strasse.de": "93.184.215.14", "xn--strae-oqa.de": "127.0.0.1",
            "xn--mxacd.gr": "10.0.0.7"}
    asked: list[str] = []

    def resolve(host: str, _port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        asked.append(host)
        return [ipaddress.ip_address(zone.get(host, "93.184.215.14"))]

    for url in ("http://straße.de/artikel", "https://ΑΒΓ.gr/"):
        with pytest.raises(FetchPermanentError) as caught:
            check_url(url, allow_private=False, resolve=resolve)
        assert caught.value.reason == RejectReason.BLOCKED_URL
    assert asked == ["xn--strae-oqa.de", "xn--mxacd.gr"]


class _Resolver:
    """A resolver that knows one public name and waits a little on every question, so
    that questions asked at once overlap (no DNS traffic leaves this machine in a test)."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, host: str, port: int) -> list[ipaddress.IPv4Address]:
        with self._lock:
            self.asked.append(host)
        time.sleep(0.02)
        if host == "news.example":
            return [ipaddress.IPv4Address("93.184.215.14")]
        raise FetchTransientError(
            RejectReason.CONNECTION, f"cannot resolve {host}: [Errno -2] Name or service not known")


def test_a_host_name_that_does_not_resolve_is_asked_once_for_all_its_links() -> None:
    resolver = _Resolver()
    links = [f"https://gone.example/story-{n}" for n in range(40)]
    links += [f"https://news.example/story-{n}" for n in range(5)]

    def outcome(fetcher: Fetcher, url: str) -> str:
        try:
            fetcher.check(url)
        except FetchTransientError as exc:
            return f"{exc.reason}: {exc.detail}"
        return "ok"

    with Fetcher(FetchPolicy(), host_names=HostNames(resolver)) as fetcher:
        outcomes = fetcher.map(lambda url: outcome(fetcher, url), links)
    gone = "connection_error: cannot resolve gone.example: [Errno -2] Name or service not known"
    assert outcomes == [gone] * 40 + ["ok"] * 5
    # one question for the 40 links of the name that does not resolve (16 threads asked
    # at once); a name that resolves is asked again for every link, as the request will
    assert resolver.asked.count("gone.example") == 1
    assert resolver.asked.count("news.example") == 5


def test_a_name_that_did_not_resolve_is_asked_again_after_a_while() -> None:
    resolver = _Resolver()
    now = [0.0]
    names = HostNames(resolver, forget_after_s=60.0, clock=lambda: now[0])
    fetcher = Fetcher(FetchPolicy(), host_names=names)
    for seconds in (0.0, 30.0, 59.9, 60.0, 100.0):
        now[0] = seconds
        with pytest.raises(FetchTransientError) as caught:
            fetcher.check(f"https://Gone.example/{seconds}")
        assert caught.value.reason == RejectReason.CONNECTION
    fetcher.close()
    assert resolver.asked == ["gone.example", "gone.example"]  # at 0 and 60 s


def test_link_to_loopback_is_refused_without_the_allowance(site: FeedSite) -> None:
    url = site.serve("/secret", "<html>internal</html>")
    with Fetcher(FetchPolicy()) as f:
        with pytest.raises(FetchPermanentError) as caught:
            f.get_page(url)
        assert caught.value.reason == RejectReason.BLOCKED_URL
        # the configured feed itself (trusted) may live on loopback, its links may not
        assert f.get(url, trusted=True).status == 200
        site.route("/hop", lambda _r: Response("", 302, {"Location": "http://localhost:1/x"}))
        with pytest.raises(FetchPermanentError) as caught:
            f.get(site.url("/hop"), trusted=True)
        assert caught.value.reason == RejectReason.BLOCKED_URL
    assert len(site.requests("/secret")) == 1


def test_concurrency_is_bounded_per_host(site: FeedSite) -> None:
    lock = threading.Lock()
    active = [0, 0]  # current, peak

    def counted(_r: Request) -> Response:
        with lock:
            active[0] += 1
            active[1] = max(active[1], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return Response("<html>ok</html>", 200, {"Content-Type": "text/html"})

    url = site.route("/counted", counted)
    policy = FetchPolicy(allow_private_networks=True, max_per_host=2, max_connections=8)
    with Fetcher(policy) as f:
        results = f.map(lambda _i: f.get(url).status, range(12))
    assert results == [200] * 12
    assert 1 <= active[1] <= 2


def test_requests_to_one_host_start_the_minimum_gap_apart(site: FeedSite) -> None:
    site.reset()
    url = site.serve("/paced", "<html>ok</html>")
    other = url.replace("127.0.0.1", "localhost")  # the same server under another host name
    # a gap of 0.6 s: another host's first request must come well inside it, which leaves
    # a loaded machine 0.4 s to start the thread that sends it
    policy = FetchPolicy(allow_private_networks=True, max_per_host=4, min_host_gap_s=0.6)
    with Fetcher(policy) as f:
        started = time.monotonic()
        assert f.map(lambda u: f.get(u).status, [url] * 5 + [other]) == [200] * 6
        elapsed = time.monotonic() - started
    gaps = site.gaps("127.0.0.1", "/paced")
    assert len(gaps) == 4 and min(gaps) >= 0.5  # four at once allowed, but paced (not ~0 s)
    assert elapsed >= 4 * 0.5
    first_other = min(t for h, _p, t in site.arrivals if h == "localhost")
    first = min(t for h, _p, t in site.arrivals if h == "127.0.0.1")
    assert first_other - first < 0.4  # another host does not wait for this one's gap



def test_the_gap_counts_from_the_answer_not_from_the_turn(site: FeedSite) -> None:
    """A request held up on its way out (here: waiting for the only pooled connection)
    must not reach the server right behind the next request to its host."""
    site.reset()

    def slow(_r: Request) -> Response:
        time.sleep(0.6)
        return Response("<html>slow</html>", 200, {"Content-Type": "text/html"})

    blocker = site.route("/slow", slow).replace("127.0.0.1", "localhost")
    url = site.serve("/held", "<html>ok</html>")
    policy = FetchPolicy(allow_private_networks=True, max_connections=1, max_per_host=4,
                         min_host_gap_s=0.25)
    with Fetcher(policy) as f, ThreadPoolExecutor(4) as pool:
        first = pool.submit(f.get, blocker)
        time.sleep(0.1)  # the blocker holds the connection; the others queue behind it
        held = [pool.submit(f.get, url) for _ in range(3)]
        assert [r.result().status for r in [first, *held]] == [200] * 4
    gaps = site.gaps("127.0.0.1", "/held")
    assert len(gaps) == 2 and min(gaps) >= 0.24

def test_a_429_or_503_slows_its_host_down(site: FeedSite) -> None:
    site.reset()
    answers = iter([Response("busy", 429), Response("busy", 503, {"Retry-After": "1"})])

    def busy_then_ok(_r: Request) -> Response:
        return next(answers, None) or Response("<html>ok</html>", 200,
                                               {"Content-Type": "text/html"})

    url = site.route("/busy", busy_then_ok)
    policy = FetchPolicy(allow_private_networks=True, backoff_s=0.01, attempts=3,
                         slow_down_s=0.4, min_host_gap_s=0.0)
    with Fetcher(policy) as f:
        assert f.get_page(url).status == 200  # 429, then 503, then the page
        f.get(url)  # after the slow-down the host keeps a gap (at least 1 s, doubled)
    gaps = site.gaps("127.0.0.1", "/busy")  # robots.txt came first
    assert len(gaps) == 3
    assert gaps[0] >= 0.39  # slow_down_s after the 429
    assert gaps[1] >= 0.99  # Retry-After: 1 is longer than slow_down_s
    assert gaps[2] >= 1.9  # the gap doubled twice: 1 s, then 2 s


def test_a_crawl_delay_in_robots_txt_widens_the_hosts_gap(site: FeedSite) -> None:
    site.reset()
    site.serve("/robots.txt", "User-agent: newsmon\nCrawl-delay: 0.5\nDisallow: /no/\n",
               "text/plain")
    pages = [site.serve(f"/slowly/{k}", "<html>ok</html>") for k in range(3)]
    policy = FetchPolicy(allow_private_networks=True, max_per_host=4, min_host_gap_s=0.05)
    with Fetcher(policy) as f:
        assert f.map(lambda u: f.get_page(u).status, pages) == [200] * 3
    arrivals = sorted(t for _h, p, t in site.arrivals if p.startswith("/slowly/"))
    assert len(arrivals) == 3
    assert min(b - a for a, b in pairwise(arrivals)) >= 0.49


def test_work_grouped_by_host_is_started_host_by_host_in_turn(site: FeedSite) -> None:
    """Feeds listed site by site must not leave every thread waiting on one site's gap."""
    site.reset()
    a = [site.serve(f"/a/{k}", "<html>a</html>") for k in range(3)]
    b = [u.replace("127.0.0.1", "localhost") for u in
         (site.serve(f"/b/{k}", "<html>b</html>") for k in range(3))]
    policy = FetchPolicy(allow_private_networks=True, max_connections=2, max_per_host=4,
                         min_host_gap_s=0.3)
    with Fetcher(policy) as f:
        statuses = f.map(lambda u: (u, f.get(u).status), a + b, url_of=lambda u: u)
    assert statuses == [(u, 200) for u in a + b]  # results in the order given
    # both hosts paced side by side: in the order given, both threads would wait on /a/
    hosts = [h for h, p, _t in sorted(site.arrivals, key=lambda r: r[2]) if p[1] in "ab"]
    assert hosts[:2] in (["127.0.0.1", "localhost"], ["localhost", "127.0.0.1"])


def test_a_link_whose_host_cannot_be_parsed_takes_its_turn_and_is_refused_alone(
    site: FeedSite,
) -> None:
    """A damaged feed's "http://[::1" once stopped the ordering of a whole cycle's pages
    (urlsplit raises): it is ordered as a host of its own and refused as a blocked URL."""
    good = site.serve("/fine", "<html>fine</html>")
    broken = "http://[::1/x"
    assert host_by_host([good, broken, good + "?2"], lambda u: u) == [good, broken, good + "?2"]
    with Fetcher(FetchPolicy(allow_private_networks=True)) as f:
        with pytest.raises(FetchPermanentError) as caught:
            f.get(broken)
        with pytest.raises(FetchPermanentError) as refused:  # httpx's InvalidURL: no glitch
            f.get(good + "\x00")  # to try again, as a connection error would be
        with pytest.raises(FetchPermanentError) as unnamed:  # a label over 63 characters
            f.get(f"http://{'a' * 300}.example/")  # (idna: UnicodeError, once a crash)
        assert f.get(good).status == 200
    assert {caught.value.reason, refused.value.reason, unnamed.value.reason} == {
        RejectReason.BLOCKED_URL}
    assert "not a host name" in unnamed.value.detail
