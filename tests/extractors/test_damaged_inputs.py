"""Damaged real inputs: whatever a page or feed holds, extraction gives a result or a
named reject, never an exception that would cost the input as an ``extraction_error``.

Real pages and feeds from the shared corpora are cut, spliced with markup fragments and
sprinkled with stray bytes, seeded, so every run tries the same inputs."""

from __future__ import annotations

import gzip
import random
import zipfile
from datetime import datetime
from pathlib import Path

from extractors.feed_parser import parse_feed
from extractors.html import extract_page
from extractors.packed import ArchivedPage, ArchiveProblem
from extractors.shortcuts import shortcut_url
from extractors.warc import PageArchive, archived_pages
from extractors.zip_members import zipped_files
from newsmon.core.errors import NewsmonError, RejectedInput

TRIES = 150
_FRAGMENTS = [
    b"<", b">", b"\x00", b"\xff\xfe", b"<script>", b"</script>", b'"', b"{", b"}", b"]]>",
    b"<!--", b"-->", b"&#0;", b"&#xD800;", b"\xe2\x80", b"<h1>", b"</h1>",
    b"<time datetime='0000-00-00T99:99' pubdate>", b'<script type="application/ld+json">',
    b'<meta property="article:published_time" content="0001-01-01T00:00:00Z">',
    b'<link rel="canonical" href="http://[::1/x">', b"<pubDate>Mon, 01 Jan 0001 00:00:00 GMT",
    b"<item>", b"</item>", b"<entry>", b"<link>javascript:1</link>", b"<ttl>-5</ttl>",
]


def _damaged(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op, at = rng.random(), rng.randrange(len(out) + 1)
        if op < 0.2:  # where metadata is read first: right after <head>
            head = out.find(b"<head")
            at = out.find(b">", head) + 1 if head >= 0 else 0
            out[at:at] = rng.choice(_FRAGMENTS)
        elif op < 0.4:
            out[at:at] = rng.choice(_FRAGMENTS)
        elif op < 0.7:
            del out[at : at + rng.randint(1, 2000)]
        elif op < 0.85:
            del out[at:]
        else:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 50)))
    return bytes(out)


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def test_damaged_pages_are_articles_or_named_rejects(shared: Path) -> None:
    corpora = shared / "corpora"
    paths = (sorted((corpora / "fundus").rglob("*.html*"))[:40]
             + sorted((corpora / "extraction-benchmark" / "html").glob("*.gz"))[:20])
    pages = [_read(p) for p in paths]
    rng = random.Random(20261204)
    outcomes = {"page": 0, "rejected": 0}
    for _ in range(TRIES):
        damaged = _damaged(rng, rng.choice(pages))
        try:
            extract_page(damaged, url="https://example.com/a")
            outcomes["page"] += 1
        except RejectedInput:
            outcomes["rejected"] += 1
    assert outcomes["page"] > TRIES // 2  # most damage leaves an article to read


def test_damaged_feeds_parse_or_are_named_rejects(shared: Path) -> None:
    corpora = shared / "corpora"
    paths = sorted(p for p in (corpora / "real-feeds").rglob("*")
                   if p.is_file() and p.stat().st_size < 2_000_000)
    feeds = [p.read_bytes() for p in paths]
    rng = random.Random(20261204)
    entries = 0
    for _ in range(TRIES):
        try:
            result = parse_feed(_damaged(rng, rng.choice(feeds)),
                                {"content-type": "application/rss+xml"},
                                "https://example.com/feed")
        except (RejectedInput, NewsmonError):
            continue
        entries += len(result.entries)
    assert entries > 0


def test_damaged_web_archives_and_zips_give_pages_or_named_problems(
    shared: Path, tmp_path: Path
) -> None:
    """A crawl's file or a zip damaged anywhere (cut, spliced, overwritten): reading it
    never raises; every input is a page or a named problem, and the file's own damage too."""
    corpora = shared / "corpora"
    pages = [_read(p) for p in sorted((corpora / "fundus").rglob("*.html*"))[:12]]
    archive = tmp_path / "crawl.warc.gz"
    written = PageArchive(archive, software="test")
    for number, page in enumerate(pages):
        written.add(f"https://example.com/{number}", 200, {"Content-Type": "text/html"}, page,
                    datetime(2023, 9, 12))
    written.close()
    packed = tmp_path / "pages.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as zipped:
        for number, page in enumerate(pages):
            zipped.writestr(f"{number}.html", page)
    rng = random.Random(20261206)
    seen = {"pages": 0, "problems": 0}
    for _ in range(TRIES // 3):
        for source, read in ((archive, archived_pages), (packed, zipped_files)):
            damaged = tmp_path / f"damaged{''.join(source.suffixes)}"
            damaged.write_bytes(_damaged(rng, source.read_bytes()))
            for item in read(damaged, 5_000_000, None):
                seen["pages" if isinstance(item, ArchivedPage) else "problems"] += 1
                if isinstance(item, ArchiveProblem):
                    assert item.detail and item.reason
        link = shortcut_url(_damaged(rng, b"[InternetShortcut]\r\nURL=https://a.example/b\r\n"))
        assert link is None or link.lower().startswith(("http://", "https://"))
    assert seen["pages"] > 0 and seen["problems"] > 0


def test_damaged_documents_mails_and_exports_give_articles_or_named_problems(
    tmp_path: Path,
) -> None:
    """Word and RTF documents, database exports, e-mails, Outlook messages and mailboxes
    damaged anywhere: each reader gives articles or named problems, never another
    exception. (The damage that did raise once, a Word document's broken deflate stream,
    an Outlook message's absurd sector size, a mail's charset label with a NUL in it, is
    tried directly in test_docx, test_damaged_files and test_email_message: this seeded
    damage does not happen to reach it.)"""
    from extractors.docx import word_pages
    from extractors.email_message import email_article, mailbox_records
    from extractors.export_files import export_text_pages
    from extractors.rtf import rtf_pages
    from tests.extractors.test_docx import word
    from tests.extractors.test_email_message import mailbox, press_release
    from tests.extractors.test_news_exports import ACADEMIC
    from tests.extractors.test_outlook import outlook_message
    from tests.extractors.test_rtf import rtf

    paragraphs = ["Kim Jong-un traf Wladimir Putin am Kosmodrom Wostotschny. " * 5] * 3
    sources = {
        "docx": word(tmp_path / "a.docx", paragraphs, title="Kim in Russland").read_bytes(),
        "rtf": rtf(tmp_path / "a.rtf", paragraphs, title="Kim in Russland").read_bytes(),
        "export": ACADEMIC.encode("utf-8"),
        "eml": press_release(),
        "msg": outlook_message(tmp_path / "a.msg", subject="Kim", sender=("Presse", "p@x.org"),
                               body=paragraphs[0], html=b"<p>" * 3).read_bytes(),
        "mbox": mailbox(press_release(), press_release()),
    }
    rng = random.Random(20261207)
    seen = {"articles": 0, "problems": 0}
    for _ in range(TRIES):
        kind = rng.choice(sorted(sources))
        damaged = _damaged(rng, sources[kind])
        try:
            if kind == "eml" or kind == "msg":
                email_article(damaged, max_bytes=1_000_000)
                seen["articles"] += 1
                continue
            if kind == "mbox":
                records, problems = mailbox_records(damaged)
                seen["articles"] += len(records)
                seen["problems"] += len(problems)
                continue
            pages = (word_pages(damaged, "file:///a.docx", 1_000_000) if kind == "docx"
                     else rtf_pages(damaged, "file:///a.rtf") if kind == "rtf"
                     else export_text_pages(damaged, "file:///a.txt"))
            for item in pages:
                seen["articles" if isinstance(item, ArchivedPage) else "problems"] += 1
                if isinstance(item, ArchiveProblem):
                    assert item.detail and item.reason
        except RejectedInput as exc:
            assert exc.detail
            seen["problems"] += 1
    assert seen["articles"] > 0 and seen["problems"] > 0
