"""Web archives (WARC, ISO 28500), read with warcio: the pages a crawl kept.

Crawlers write what they fetched as WARC files: Common Crawl's news crawl (CC-NEWS),
Heritrix, ``wget --warc-file``, Browsertrix, Media Cloud's fetcher, and newsmon itself
(:class:`PageArchive`, so a run can be replayed offline). A file holds every exchange:
requests, redirects, images, scripts, robots.txt. The articles are among its HTML pages
answered with 200, and only those are read; the rest is counted, not rejected one by one.

Records are streamed one at a time, so a file of any size costs one page of memory. A
gzipped WARC is unpacked here, member after member, whether each record is its own gzip
member (as the standard asks) or the whole file is one (``gzip crawl.warc``, which warcio
alone refuses after the first record), and a file cut short says so.

warcio (and fsspec, which it imports) is loaded only when a web archive is read or written:
every cycle imports this module, few meet a WARC file.
"""

from __future__ import annotations

import io
import logging
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import IO, Any

from extractors.files import GZIP_MAGIC, SNIFF_BYTES, last_suffix, starts_as_html
from extractors.packed import ArchivedPage, ArchiveProblem
from newsmon.core.media_types import charset_of, media_type
from newsmon.core.outcomes import RejectReason
from newsmon.core.wording import clipped

#: A web archive's suffix (``.warc.gz`` too: a ``.gz`` after it names the compression);
#: ``.arc`` is the Internet Archive's format before WARC, read alike.
WARC_SUFFIXES = frozenset({".warc", ".arc"})
#: The media types of a page an article can be read from.
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
log = logging.getLogger(__name__)
#: HTTP headers that described the bytes on the wire, not the decoded body kept.
_WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


def is_warc(path: Path) -> bool:
    """Whether the file's name says web archive (``.warc``, ``.warc.gz``, ``.arc``)."""
    return last_suffix(path) in WARC_SUFFIXES


def archived_pages(
    path: Path, max_page_bytes: int, skipped: Counter[str] | None = None
) -> Iterator[ArchivedPage | ArchiveProblem]:
    """The HTML pages answered with 200 in the WARC file at ``path``, in file order.

    Never raises: a page over ``max_page_bytes`` or whose body cannot be decoded is an
    :class:`ArchiveProblem` and reading goes on; a file that cannot be opened, is no WARC,
    or breaks off midway ends with one (the pages before it stand). Every other record is
    counted in ``skipped`` by what it was (``request``, ``HTTP 404``, ``image/png`` ...).
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    skipped = skipped if skipped is not None else Counter()
    number = 0
    try:
        with _open(path) as stream:
            iterator = ArchiveIterator(stream, arc2warc=True)
            # without warcio's multi-line warning on standard error for a record that does
            # not end where its length says: counted (``err_count``), reported in one line
            iterator.INC_RECORD = ""
            records = iter(iterator)
            held: list[ArchivedPage | ArchiveProblem] = []  # the last record's, until the next
            while (record := next(records, None)) is not None:
                yield from held
                number += 1
                held = list(_page_of(record, number, max_page_bytes, skipped))
            if isinstance(stream, _Unpacked) and stream.cut_short:
                # the last record is cut: its page, if it was one, is part of a page
                cut = next((item.url for item in held), None)
                where = "this page's record" if cut else f"record {number:,}"
                yield ArchiveProblem(number, cut, RejectReason.UNREADABLE,
                                     f"the file breaks off in {where} (a crawl stopped "
                                     "midway?): the records before it were read", stops=True)
            else:
                yield from held
            if iterator.err_count:
                log.warning("%s: %d records did not end where their length said (a damaged "
                            "file?); their pages were read as they stand", path,
                            iterator.err_count)
    except ArchiveLoadFailed as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
        message = clipped(message, 120)  # a binary first line is quoted whole by warcio
        if number == 0:
            yield ArchiveProblem(0, None, RejectReason.UNSUPPORTED_TYPE,
                                 f"not a WARC file: {message}", stops=True)
        else:
            yield ArchiveProblem(number + 1, None, RejectReason.UNREADABLE,
                                 f"unreadable from record {number + 1:,} on: {message}",
                                 stops=True)
    except (OSError, EOFError, zlib.error, ValueError, AttributeError) as exc:
        # AttributeError: warcio on a response record without WARC-Target-URI
        where = f"from record {number + 1:,} on" if number else "at its start"
        detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        yield ArchiveProblem(number + 1 if number else 0, None, RejectReason.UNREADABLE,
                             f"unreadable {where}: {detail}", stops=True)


def _open(path: Path) -> _Unpacked | IO[bytes]:
    """The file's WARC bytes: unpacked when its bytes are gzip (one member or many)."""
    handle = path.open("rb")
    if handle.read(2) == GZIP_MAGIC:
        handle.seek(0)
        return _Unpacked(handle)
    handle.seek(0)
    return handle


class _Unpacked(io.RawIOBase):
    """A gzip file's bytes, member after member, read as they are asked for.

    Unlike :class:`gzip.GzipFile` (whose ``EOFError`` warcio takes for the archive's end,
    so a crawl killed midway read as having no pages at all), a file that ends inside a
    member gives every byte up to its end and then says so in :attr:`cut_short`."""

    def __init__(self, handle: IO[bytes]) -> None:
        super().__init__()
        self._handle = handle
        self._unpack = zlib.decompressobj(wbits=31)
        self._in_member = False  # some of the current member was read
        self._leftover = b""  # bytes read after the end of the last member
        self._pending = b""
        self.cut_short = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._pending:
            self._pending = self._more()
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _more(self) -> bytes:
        """The next unpacked bytes; b"" at the end of the file."""
        while True:
            packed, self._leftover = self._leftover or self._handle.read(1 << 16), b""
            if not packed:
                self.cut_short = self._in_member
                return b""
            self._in_member = True
            unpacked = self._unpack.decompress(packed)
            if self._unpack.eof:  # the next member starts in what this one left over
                self._leftover = self._unpack.unused_data
                self._unpack = zlib.decompressobj(wbits=31)
                self._in_member = False
            if unpacked:
                return unpacked

    def close(self) -> None:
        self._handle.close()
        super().close()


def _page_of(record: Any, number: int, max_page_bytes: int,
             skipped: Counter[str]) -> Iterator[ArchivedPage | ArchiveProblem]:
    kind = str(record.rec_type)
    url = record.rec_headers.get_header("WARC-Target-URI")
    if kind not in ("response", "resource") or not url:
        skipped[kind] += 1
        return
    url = str(url).strip("<> ")
    if kind == "response":
        headers = record.http_headers
        if headers is None:  # a dns: or whois: answer
            skipped[f"{kind} without HTTP"] += 1
            return
        status = str(headers.get_statuscode() or "")
        if status != "200":
            skipped[f"HTTP {status or 'status missing'}"] += 1
            return
        content_type = str(headers.get_header("Content-Type") or "")
    else:
        content_type = str(record.content_type or "")
    if content_type and media_type(content_type) not in PAGE_TYPES:
        skipped[media_type(content_type)] += 1
        return
    try:
        body = record.content_stream().read(max_page_bytes + 1)
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        yield ArchiveProblem(number, url, RejectReason.UNREADABLE,
                             f"its body cannot be decoded ({type(exc).__name__}: {exc})")
        return
    if not content_type and not starts_as_html(body[:SNIFF_BYTES]):
        skipped["no Content-Type, not HTML"] += 1
        return
    if len(body) > max_page_bytes:
        yield ArchiveProblem(number, url, RejectReason.TOO_LARGE,
                             f"its page is over the {max_page_bytes:,}-byte limit "
                             "(NEWSMON_MAX_FILE_BYTES)")
        return
    if not body.strip():
        yield ArchiveProblem(number, url, RejectReason.EMPTY, "an empty page")
        return
    yield ArchivedPage(url, number, body, charset_of(content_type),
                       _fetched_at(record.rec_headers.get_header("WARC-Date")))


def _fetched_at(value: object) -> datetime | None:
    """A WARC-Date (``2023-09-12T10:15:00Z``, to any fraction of a second) as naive UTC."""
    if not isinstance(value, str):
        return None
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


class PageArchive:
    """A gzipped WARC file pages are written to as they are fetched: each a ``response``
    record (the status line and headers the server sent, the body as received after its
    content encoding was undone), one gzip member per record as the standard asks, so a
    run killed midway leaves every page before the kill readable."""

    def __init__(self, path: Path, *, software: str) -> None:
        from warcio.warcwriter import WARCWriter

        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file = path.open("ab")
        self._writer = WARCWriter(self._file, gzip=True)
        self.pages = 0
        if self._file.tell() == 0:
            info = self._writer.create_warcinfo_record(
                path.name, {"software": software, "format": "WARC File Format 1.1"})
            self._write(info)

    def add(self, url: str, status: int, headers: Mapping[str, str], body: bytes,
            fetched_at: datetime) -> None:
        """One fetched page."""
        from warcio.statusandheaders import StatusAndHeaders

        kept = [(name, value) for name, value in headers.items()
                if name.lower() not in _WIRE_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {_reason(status)}", kept, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http,
            warc_headers_dict={"WARC-Date": _warc_date(fetched_at)})
        self._write(record)
        self.pages += 1

    def _write(self, record: Any) -> None:
        self._writer.write_record(record)
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _warc_date(at: datetime) -> str:
    """WARC 1.1's date: UTC, to the microsecond."""
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


__all__ = ["PAGE_TYPES", "WARC_SUFFIXES", "PageArchive", "archived_pages", "is_warc"]
