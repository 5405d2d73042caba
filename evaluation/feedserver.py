"""A real HTTP server on loopback for feed tests: routes are plain functions.

Threaded (pytest-httpserver's default is not), so a slow route cannot stall the
others and concurrency limits can be observed. Every request is logged with its
headers so tests can assert what newsmon sent and what it did not fetch.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from xml.sax.saxutils import escape

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

Route = Callable[[Request], Response]


@dataclass
class FeedSite:
    """Routes by path; unknown paths answer 404 (like a real site)."""

    server: HTTPServer
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    arrivals: list[tuple[str, str, float]] = field(default_factory=list)  # host, path, monotonic
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.server.url_for(path)

    def route(self, path: str, handler: Route) -> str:
        self.routes[path] = handler
        return self.url(path)

    def serve(
        self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        return self.route(
            path, lambda _r: Response(data, 200, {"Content-Type": content_type, **(headers or {})})
        )

    def requests(self, path: str) -> list[dict[str, str]]:
        with self._lock:
            return [h for p, h in self.log if p == path]

    def gaps(self, host: str | None = None, path: str | None = None) -> list[float]:
        """Seconds between consecutive requests that reached the server (of one host name,
        to one path)."""
        with self._lock:
            times = sorted(t for h, p, t in self.arrivals
                           if (host is None or h == host) and (path is None or p == path))
        return [b - a for a, b in pairwise(times)]

    def dispatch(self, request: Request) -> Response:
        with self._lock:
            self.log.append((request.path, {k.lower(): v for k, v in request.headers.items()}))
            self.arrivals.append((request.host.split(":")[0], request.path, time.monotonic()))
        handler = self.routes.get(request.path)
        if handler is None:
            return Response("not found", 404, {"Content-Type": "text/html"})
        return handler(request)

    def reset(self) -> None:
        self.routes.clear()
        with self._lock:
            self.log.clear()
            self.arrivals.clear()


def start_site() -> Iterator[FeedSite]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    site = FeedSite(server)
    server.expect_request(re.compile(".*")).respond_with_handler(site.dispatch)
    server.start()
    try:
        yield site
    finally:
        server.clear()
        if server.is_running():
            server.stop()


def rss(items: list[dict[str, str]], *, title: str = "Test feed", language: str = "en") -> str:
    """A small RSS 2.0 document; item keys: title, link, guid, description, content, pubDate,
    author, source (the outlet an aggregator's item names)."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">',
        f"<channel><title>{escape(title)}</title><link>http://example.org/</link>"
        f"<description>test</description><language>{language}</language>",
    ]
    for item in items:
        parts.append("<item>")
        for key in ("title", "link", "description", "pubDate"):
            if key in item:
                parts.append(f"<{key}>{escape(item[key])}</{key}>")
        if "guid" in item:
            parts.append(f'<guid isPermaLink="false">{escape(item["guid"])}</guid>')
        if "author" in item:
            parts.append(f"<dc:creator>{escape(item['author'])}</dc:creator>")
        if "source" in item:
            parts.append(f'<source url="http://example.net/rss">{escape(item["source"])}</source>')
        if "content" in item:
            parts.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts)


@dataclass(frozen=True)
class BenchmarkPage:
    key: str
    html: bytes
    body: str  # ground truth articleBody


def benchmark_pages(shared: Path, limit: int | None = None) -> list[BenchmarkPage]:
    """Pages of the article-extraction benchmark with their ground truth, sorted by key."""
    root = shared / "corpora" / "extraction-benchmark"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit] if limit else sorted(truth)
    return [
        BenchmarkPage(k, gzip.decompress((root / "html" / f"{k}.html.gz").read_bytes()),
                      truth[k]["articleBody"])
        for k in keys
    ]


def token_f1(found: str, expected: str) -> float:
    """Bag-of-words F1, as the article-extraction benchmark scores bodies."""
    from collections import Counter

    a, b = Counter(found.split()), Counter(expected.split())
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def conditional(body: bytes | str, etag: str, content_type: str = "application/rss+xml") -> Route:
    """A route that answers 304 when the client sends the current ETag back."""
    data = body.encode("utf-8") if isinstance(body, str) else body

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(b"", 304, {"ETag": etag})
        return Response(data, 200, {"Content-Type": content_type, "ETag": etag})

    return handler


def feedparser_manifest(shared: Path) -> dict[str, dict[str, str]]:
    path = shared / "corpora" / "feedparser-tests" / "manifest.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["path"]: row for row in csv.DictReader(handle, delimiter="\t")}


def corpus_headers(row: dict[str, str] | None) -> dict[str, str]:
    """The manifest's ``Content-type: ...`` column as response headers.

    Without one, feedparser's own test server sends ``application/xml``; so do we.
    """
    raw = (row or {}).get("http_header") or ""
    if ":" not in raw:
        return {"Content-Type": "application/xml"}
    name, value = raw.split(":", 1)
    return {name.strip(): value.strip()}
