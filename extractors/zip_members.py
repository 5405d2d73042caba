"""Zip files of articles, read with the standard library's :mod:`zipfile`: each text or
HTML file in one is an input, as if the zip were a folder; each document (Word, RTF) and
news database export in one is the articles it holds, as it would be in a folder (Nexis
Uni delivers a download of separate files as a zip of them).

Analysts are sent articles packed (an e-mail's attachments, a shared drive's "download
all", a colleague's collection). Members are read one at a time, each held to the size
limit before a byte of it is unpacked (a zip bomb is a named reject, not an outage);
what a folder would skip (folders, hidden files, macOS's ``__MACOSX`` copies) is skipped;
what newsmon reads only as a file of its own (feeds, archives, web archives, zips inside
the zip) is a named reject asking for it unpacked. A member is known by the zip's
``file://`` address and its name, so the same zip read again is the same articles.
"""

from __future__ import annotations

import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from extractors.bookmarks import is_bookmark_file
from extractors.docx import WORD_SUFFIXES, word_pages
from extractors.email_message import EMAIL_SUFFIXES, alert_links, email_article
from extractors.export_files import export_text_pages
from extractors.factiva import factiva_pages, is_factiva_page
from extractors.files import (
    ARCHIVE_SUFFIXES,
    FEED_SUFFIXES,
    GZIP_MAGIC,
    LIST_SUFFIXES,
    MAX_MHTML_BYTES,
    SNIFF_BYTES,
    gunzip,
    kind_of,
    starts_as_html,
)
from extractors.markdown import MARKDOWN_SUFFIXES, markdown_page
from extractors.mhtml import MHTML_SUFFIXES, saved_page
from extractors.news_exports import is_text_export
from extractors.outlook import MSG_SUFFIXES
from extractors.packed import ArchivedPage, ArchiveProblem
from extractors.pdf import PDF_SUFFIXES, pdf_article
from extractors.rtf import RTF_SUFFIXES, rtf_pages
from extractors.warc import WARC_SUFFIXES
from extractors.webarchive import WEBARCHIVE_SUFFIXES, webarchive_page
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason

ZIP_SUFFIXES = frozenset({".zip"})
#: Files newsmon reads only as files of their own (a feed, an archive, a web archive, a
#: saved link, a zip), and XML, which a feed is saved as.
_READ_ALONE = frozenset({*FEED_SUFFIXES, *LIST_SUFFIXES, *ARCHIVE_SUFFIXES, *WARC_SUFFIXES,
                         *ZIP_SUFFIXES, ".xml"}) - EMAIL_SUFFIXES - MSG_SUFFIXES


def is_zip(path: Path) -> bool:
    return path.suffix.lower() in ZIP_SUFFIXES


def zipped_files(
    path: Path, max_member_bytes: int, skipped: Counter[str] | None = None
) -> Iterator[ArchivedPage | ArchiveProblem]:
    """The text and HTML files in the zip at ``path``, in the zip's order.

    Never raises: a member that cannot be read is an :class:`ArchiveProblem` naming it
    and reading goes on; a file that is no zip (or whose index is cut off) is one.
    Skipped entries are counted in ``skipped``."""
    skipped = skipped if skipped is not None else Counter()
    base = path.resolve().as_uri()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        detail = getattr(exc, "strerror", None) or str(exc)
        yield ArchiveProblem(0, None, RejectReason.UNREADABLE,
                             f"not a readable zip file: {detail}", stops=True)
        return
    with archive:
        for number, info in enumerate(archive.infolist(), 1):
            name = info.filename
            parts = PurePosixPath(name).parts
            if info.is_dir() or any(p.startswith(".") or p == "__MACOSX" for p in parts):
                skipped["folders and hidden files"] += 1
                continue
            url = f"{base}#{quote(name)}"
            try:
                for page in _member(archive, info, number, url, max_member_bytes):
                    yield _in_member(page, number, name)
            except RejectedInput as exc:  # the file names the zip, the detail its member
                yield ArchiveProblem(number, None, exc.reason, f"{name}: {exc.detail}")
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error, ValueError,
                    NotImplementedError, RuntimeError) as exc:  # damaged, encrypted ...
                yield ArchiveProblem(number, None, RejectReason.UNREADABLE,
                                     f"{name}: cannot be unpacked ({type(exc).__name__}: {exc})")


def _in_member(page: ArchivedPage | ArchiveProblem, number: int, name: str
               ) -> ArchivedPage | ArchiveProblem:
    """A page or problem of one member, numbered and named as the member's ("a.docx", or
    "a.docx/article 2" of an export)."""
    if isinstance(page, ArchiveProblem):  # the member's, not the zip's: reading goes on
        return ArchiveProblem(number, None, page.reason, f"{name}: {page.detail}")
    return replace(page, record=number, name=f"{name}/{page.name}" if page.name else name)


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, number: int, url: str,
            max_bytes: int) -> Iterable[ArchivedPage | ArchiveProblem]:
    name = info.filename
    if info.flag_bits & 0x1:
        raise RejectedInput(RejectReason.UNREADABLE, "encrypted")
    suffix = PurePosixPath(name.lower().removesuffix(".gz")).suffix
    if suffix in MHTML_SUFFIXES:
        page = saved_page(_read(archive, info, max(max_bytes, MAX_MHTML_BYTES)),
                          max_bytes=max_bytes)
        return [ArchivedPage(page.location or url, number, page.html, page.charset)]
    if suffix in WEBARCHIVE_SUFFIXES:
        page = webarchive_page(_read(archive, info, max(max_bytes, MAX_MHTML_BYTES),
                                     unpack=False), max_bytes=max_bytes)
        return [ArchivedPage(page.location or url, number, page.html, page.charset)]
    if suffix in PDF_SUFFIXES:
        found = pdf_article(_read(archive, info, max_bytes))
        return [ArchivedPage(found.url or url, number, found.text.encode("utf-8"), "utf-8",
                             found.created, kind="text")]
    if suffix in MARKDOWN_SUFFIXES:
        note = markdown_page(_read(archive, info, max_bytes))
        return [ArchivedPage(url, number, note.html, "utf-8", note.saved_at, kind="entry",
                             hints=note.hints)]
    if suffix in WORD_SUFFIXES:
        return list(word_pages(_read(archive, info, max_bytes, unpack=False), url, max_bytes))
    if suffix in RTF_SUFFIXES:
        return list(rtf_pages(_read(archive, info, max_bytes, unpack=False), url))
    if suffix in EMAIL_SUFFIXES | MSG_SUFFIXES:  # a mail: its article; an alert's links wait
        content = _read(archive, info, max_bytes, unpack=suffix not in MSG_SUFFIXES)
        if alert_links(content) is not None:
            raise RejectedInput(RejectReason.UNSUPPORTED_TYPE, "a Google Alert inside a zip "
                                "file; unpack it to fetch the stories it links to")
        mail = email_article(content, max_bytes=max_bytes)
        return [ArchivedPage(url, number, mail.content, mail.charset, kind=mail.kind,
                             hints=mail.hints)]
    kind = kind_of(PurePosixPath(name))
    if kind is None and suffix in _READ_ALONE:
        raise RejectedInput(RejectReason.UNSUPPORTED_TYPE,
                            f"a {suffix} file inside a zip file; unpack it to read it")
    content = _read(archive, info, max_bytes)
    if kind is None:
        if not starts_as_html(content[:SNIFF_BYTES]):
            raise RejectedInput(RejectReason.UNSUPPORTED_TYPE,
                                "in a zip file newsmon reads .txt, .html, .htm, .md, "
                                ".mhtml, .webarchive, .pdf, .docx, .odt, .rtf, .eml and "
                                ".msg files, and others that start as an HTML page")
        kind = "html"
    if not content.strip():
        raise RejectedInput(RejectReason.EMPTY, "empty")
    head = content[:SNIFF_BYTES]
    if kind == "text" and is_text_export(head.decode("utf-8", "replace")):
        return list(export_text_pages(content, url))
    if kind == "html" and is_factiva_page(head):
        return list(factiva_pages(content, url))
    if kind == "html" and is_bookmark_file(head):
        raise RejectedInput(RejectReason.UNSUPPORTED_TYPE, "a browser's bookmarks inside a zip "
                            "file; unpack it to fetch the pages they mark")
    return [ArchivedPage(url, number, content, None, kind=kind)]


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int,
          unpack: bool = True) -> bytes:
    """The member's bytes (unpacked when gzip, unless ``unpack`` is false), held to
    ``max_bytes`` whatever its header says (a zip bomb states small sizes)."""
    if info.file_size > max_bytes:
        raise RejectedInput(RejectReason.TOO_LARGE,
                            f"{info.file_size:,} bytes, over the "
                            f"{max_bytes:,}-byte limit (NEWSMON_MAX_FILE_BYTES)")
    with archive.open(info) as member:
        content = member.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise RejectedInput(RejectReason.TOO_LARGE, f"over the {max_bytes:,}-byte limit")
    if unpack and content.startswith(GZIP_MAGIC):
        content = gunzip(content, max_bytes)
    return content


__all__ = ["ZIP_SUFFIXES", "is_zip", "zipped_files"]
