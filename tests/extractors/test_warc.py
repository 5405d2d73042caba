"""Web archives: the pages of WARC files as crawlers write them (written here with warcio's
own writer, as wget, Heritrix and Common Crawl files are laid out), and the files newsmon
writes of the pages it fetches, read back."""

from __future__ import annotations

import gzip
import io
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from extractors.packed import ArchivedPage, ArchiveProblem
from extractors.warc import PageArchive, archived_pages, is_warc
from newsmon.core.outcomes import RejectReason

#: Every record's WARC-Date: stamped with the clock instead, the crawls a test writes twice
#: differ when a second ticks between them.
CRAWLED = {"WARC-Date": "2023-09-12T06:30:00Z"}
ARTICLE = b"<!DOCTYPE html><html><head><title>Budget agreed</title></head><body>...</body></html>"


def record(writer: WARCWriter, kind: str, url: str, body: bytes = b"", status: str = "200 OK",
           headers: list[tuple[str, str]] | None = None, content_type: str = "") -> None:
    http = (StatusAndHeaders(status, headers or [], protocol="HTTP/1.1")
            if kind in ("response", "request") else None)
    if kind == "request":
        http = StatusAndHeaders(f"GET {url} HTTP/1.1", headers or [], is_http_request=True)
    made = writer.create_warc_record(url, kind, payload=io.BytesIO(body), http_headers=http,
                                     warc_content_type=content_type or None,
                                     warc_headers_dict=CRAWLED)
    writer.write_record(made)


def crawl(compress: bool) -> bytes:
    """A crawl's file: what wget --warc-file keeps of a news site, and more."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "Wget/1.21"}))
    record(writer, "request", "https://news.example/2023/09/budget-agreed")
    packed = gzip.compress(ARTICLE)
    chunked = f"{len(packed):x}\r\n".encode() + packed + b"\r\n0\r\n\r\n"
    record(writer, "response", "https://news.example/2023/09/budget-agreed", chunked,
           headers=[("Content-Type", "text/html; charset=UTF-8"),
                    ("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")])
    record(writer, "response", "https://news.example/old", b"", "301 Moved Permanently",
           [("Location", "https://news.example/new")])
    record(writer, "response", "https://news.example/gone", b"<html>Not found</html>",
           "404 Not Found", [("Content-Type", "text/html")])
    record(writer, "response", "https://news.example/logo.png", b"\x89PNG\r\n",
           headers=[("Content-Type", "image/png")])
    latin = "<html><body><p>Grüße aus Köln</p></body></html>".encode("latin-1")
    record(writer, "response", "https://news.example/koeln", latin,
           headers=[("Content-Type", "text/html; charset=ISO-8859-1")])
    record(writer, "response", "https://news.example/untyped", b"  <html><p>no type</p></html>")
    record(writer, "resource", "https://news.example/saved", b"<html><p>kept</p></html>",
           content_type="text/html")
    record(writer, "metadata", "https://news.example/2023/09/budget-agreed", b"outlinks: ...",
           content_type="application/warc-fields")
    return out.getvalue()


def pages(path: Path, skipped: Counter[str] | None = None, max_page_bytes: int = 100_000
          ) -> list[ArchivedPage | ArchiveProblem]:
    return list(archived_pages(path, max_page_bytes, skipped))


def test_the_html_pages_answered_with_200_are_read_and_everything_else_counted(
    tmp_path: Path
) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(crawl(compress=True))
    skipped: Counter[str] = Counter()
    found = pages(path, skipped)
    assert [(p.url, p.record, p.charset) for p in found if isinstance(p, ArchivedPage)] == [
        ("https://news.example/2023/09/budget-agreed", 3, "utf-8"),
        ("https://news.example/koeln", 7, "iso-8859-1"),
        ("https://news.example/untyped", 8, None),
        ("https://news.example/saved", 9, None)]
    # the body as the server meant it: chunks joined, gzip undone; bytes left in their charset
    assert isinstance(found[0], ArchivedPage) and found[0].content == ARTICLE
    assert isinstance(found[1], ArchivedPage) and found[1].content.decode("latin-1").count("ü")
    assert skipped == Counter({"warcinfo": 1, "request": 1, "HTTP 301": 1, "HTTP 404": 1,
                               "image/png": 1, "metadata": 1})


def test_a_warc_is_read_alike_plain_gzipped_by_record_or_gzipped_whole(tmp_path: Path) -> None:
    plain = crawl(compress=False)
    forms = {"plain.warc": plain, "by-record.warc.gz": crawl(compress=True),
             "whole.warc.gz": gzip.compress(plain)}  # `gzip crawl.warc`: warcio alone fails
    read = {}
    for name, content in forms.items():
        (tmp_path / name).write_bytes(content)
        read[name] = pages(tmp_path / name)
    assert read["plain.warc"] == read["by-record.warc.gz"] == read["whole.warc.gz"]
    assert len(read["plain.warc"]) == 4
    assert all(is_warc(tmp_path / name) for name in forms)
    assert not is_warc(tmp_path / "warc.html") and not is_warc(tmp_path / "crawl.gz")


def test_a_file_cut_short_keeps_its_pages_before_the_cut_and_says_where(tmp_path: Path) -> None:
    whole = crawl(compress=True)
    cut = tmp_path / "killed.warc.gz"
    cut.write_bytes(whole[:-60])  # the crawler was killed while writing its last record
    found = pages(cut)
    assert len([p for p in found if isinstance(p, ArchivedPage)]) == 4  # all but the last
    assert found[-1] == ArchiveProblem(10, None, RejectReason.UNREADABLE,  # no page: no URL
                                       "the file breaks off in record 10 (a crawl stopped "
                                       "midway?): the records before it were read", stops=True)


def test_a_file_that_is_no_warc_or_cannot_be_read_is_one_named_problem(tmp_path: Path) -> None:
    text = tmp_path / "notes.warc"
    text.write_text("Reading list for Monday\nhttps://news.example/a\n")
    [problem] = pages(text)
    assert isinstance(problem, ArchiveProblem)
    assert (problem.record, problem.reason) == (0, RejectReason.UNSUPPORTED_TYPE)
    assert problem.detail.startswith("not a WARC file: ")
    [missing] = pages(tmp_path / "gone.warc.gz")
    assert missing == ArchiveProblem(0, None, RejectReason.UNREADABLE,
                                     "unreadable at its start: No such file or directory",
                                     stops=True)
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(b"\x1f\x8b" + b"\x00" * 40)
    [damaged] = pages(broken)
    # a page cut off is no page: the problem names it, and no part of it is read
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "Wget/1.21"}))
    record(writer, "request", "https://news.example/2023/09/budget-agreed")
    record(writer, "response", "https://news.example/2023/09/budget-agreed", ARTICLE * 20,
           headers=[("Content-Type", "text/html")])
    page_cut = tmp_path / "page-cut.warc.gz"
    page_cut.write_bytes(out.getvalue()[:-30])
    assert pages(page_cut) == [ArchiveProblem(
        3, "https://news.example/2023/09/budget-agreed", RejectReason.UNREADABLE,
        "the file breaks off in this page's record (a crawl stopped midway?): the records "
        "before it were read", stops=True)]
    assert isinstance(damaged, ArchiveProblem) and damaged.reason == RejectReason.UNREADABLE
    assert problem.stops and damaged.stops  # the file, not one page of it


def test_a_page_over_the_limit_is_named_and_the_pages_after_it_are_read(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    path.write_bytes(crawl(compress=False))
    found = pages(path, max_page_bytes=len(ARTICLE) - 1)
    assert found[0] == ArchiveProblem(
        3, "https://news.example/2023/09/budget-agreed", RejectReason.TOO_LARGE,
        f"its page is over the {len(ARTICLE) - 1:,}-byte limit (NEWSMON_MAX_FILE_BYTES)")
    assert [p.url for p in found[1:] if isinstance(p, ArchivedPage)] == [
        "https://news.example/koeln", "https://news.example/untyped",
        "https://news.example/saved"]


def test_fetched_pages_written_to_an_archive_read_back_as_they_were_fetched(
    tmp_path: Path
) -> None:
    path = tmp_path / "pages" / "run.warc.gz"
    archive = PageArchive(path, software="newsmon test")
    body = "<html><body><p>Grüße</p></body></html>".encode("latin-1")
    archive.add("https://news.example/a", 200, {"Content-Type": "text/html; charset=ISO-8859-1",
                                                "Content-Encoding": "gzip",
                                                "Content-Length": "12"},
                body, datetime(2023, 9, 12, 10, 30))
    archive.close()
    again = PageArchive(path, software="newsmon test")  # the next run appends
    again.add("https://news.example/b", 200, {"content-type": "text/html"}, ARTICLE,
              datetime(2023, 9, 12, 11, 0))
    again.close()
    skipped: Counter[str] = Counter()
    assert pages(path, skipped) == [
        ArchivedPage("https://news.example/a", 2, body, "iso-8859-1",
                     datetime(2023, 9, 12, 10, 30)),
        ArchivedPage("https://news.example/b", 3, ARTICLE, None, datetime(2023, 9, 12, 11))]
    assert skipped == Counter({"warcinfo": 1})  # one per file, not per run
    # warcio reads newsmon's files too (one gzip member a record, the standard's layout)
    with path.open("rb") as handle:
        dates = [r.rec_headers.get_header("WARC-Date") for r in ArchiveIterator(handle)
                 if r.rec_type == "response"]
    assert dates == ["2023-09-12T10:30:00.000000Z", "2023-09-12T11:00:00.000000Z"]


def arc_file(*pages: tuple[str, str, bytes]) -> bytes:
    """An ARC file (version 1), as the Internet Archive's crawlers wrote them before WARC."""
    fields = b"1 0 Heritrix\nURL IP-address Archive-date Content-type Archive-length\n"
    out = [b"filedesc://crawl.arc 0.0.0.0 20070912101500 text/plain %d\n" % len(fields),
           fields, b"\n"]
    for url, media, body in pages:
        response = (f"HTTP/1.1 200 OK\r\nContent-Type: {media}\r\nContent-Length: "
                    f"{len(body)}\r\n\r\n").encode() + body
        out += [f"{url} 93.184.216.34 20070912101500 {media} {len(response)}\n".encode(),
                response, b"\n"]
    return b"".join(out)


def test_an_arc_file_from_before_warc_is_read_alike(tmp_path: Path) -> None:
    content = arc_file(("http://news.example/2007/09/budget-agreed", "text/html", ARTICLE),
                       ("http://news.example/logo.gif", "image/gif", b"GIF89a"))
    for name, data in (("crawl.arc", content), ("crawl.arc.gz", gzip.compress(content))):
        (tmp_path / name).write_bytes(data)
        assert is_warc(tmp_path / name)
        assert pages(tmp_path / name) == [
            ArchivedPage("http://news.example/2007/09/budget-agreed", 2, ARTICLE, None,
                         datetime(2007, 9, 12, 10, 15))], name  # the ARC's own date


def test_a_record_longer_than_its_length_is_read_and_reported_in_one_line(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    plain = crawl(compress=False)
    second = plain.index(b"WARC/1.0\r\n", 1)
    damaged = tmp_path / "damaged.warc"
    # the first record's block runs on past its Content-Length
    damaged.write_bytes(plain[:second - 4] + b"stray bytes" + plain[second - 4:])
    assert [p.url for p in pages(damaged) if isinstance(p, ArchivedPage)] == [  # all four
        "https://news.example/2023/09/budget-agreed", "https://news.example/koeln",
        "https://news.example/untyped", "https://news.example/saved"]
    assert capfd.readouterr().err == ""  # warcio's own warning is several lines
    assert (f"{damaged}: 1 records did not end where their length said (a damaged file?); "
            "their pages were read as they stand") in caplog.text
