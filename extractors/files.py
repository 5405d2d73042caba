"""Local inputs: find article files under the paths a user gives and read them safely.

Reading is defensive because folders hold anything: a 50 MB dump is rejected from its
size without being read, binary files from their first bytes, and gzip is recognised
from its magic number as well as its name.
"""

from __future__ import annotations

import codecs
import gzip
import io
import itertools
import json
import logging
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO, Literal, cast

from extractors.archive_feed import (
    LAYOUT_CHARS,
    SNIFFED_ITEMS,
    ArchiveKind,
    RecordPart,
    archive_header,
    headless_table,
    is_url_list,
    json_items,
    json_parts,
    json_records,
    names_articles,
    table_parts,
)
from extractors.bookmarks import is_bookmark_file
from extractors.email_message import (
    EMAIL_SUFFIXES,
    MBOX_SUFFIXES,
    alert_links,
    email_article,
    is_mailbox,
)
from extractors.encoding import decode_text
from extractors.enex import ENEX_TYPE, is_enex
from extractors.markdown import MARKDOWN_SUFFIXES, markdown_page
from extractors.mhtml import MHTML_SUFFIXES, saved_page
from extractors.news_sitemap import NEWS_NS
from extractors.outlook import MSG_SUFFIXES
from extractors.pdf import PDF_SUFFIXES, pdf_article
from extractors.shortcuts import SHORTCUT_SUFFIXES, saved_address, shortcut_url
from extractors.spreadsheets import (
    XLSX_SUFFIXES,
    XLSX_TYPE,
    is_article_workbook,
    workbook_records,
)
from extractors.webarchive import WEBARCHIVE_SUFFIXES, webarchive_page
from newsmon.core.errors import InputError, RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import RawInput
from newsmon.core.wording import clipped

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
#: Saved feeds and OPML lists of feeds: read as feeds (see :func:`feed_kind`).
FEED_SUFFIXES = {".rss", ".atom", ".rdf"}
LIST_SUFFIXES = {".opml"}
#: Archives of articles (JSON Lines, JSON, CSV, TSV, Parquet), read as feeds of whole
#: articles; and links saved as files (shortcuts), read as a feed of the page they name.
ARCHIVE_SUFFIXES: dict[str, ArchiveKind] = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv",
    ".parquet": "parquet", **dict.fromkeys(SHORTCUT_SUFFIXES, "shortcut"),
    **dict.fromkeys(EMAIL_SUFFIXES, "alert"), **dict.fromkeys(MSG_SUFFIXES, "alert"),
    **dict.fromkeys(MBOX_SUFFIXES, "mailbox"), ".enex": "enex",
    **dict.fromkeys(XLSX_SUFFIXES, "xlsx")}
PARQUET_TYPE = "application/vnd.apache.parquet"
SHORTCUT_TYPE = "application/x-mswinurl"
OUTLOOK_TYPE = "application/vnd.ms-outlook"
#: Files read as they are, not as text (a binary property list is a .webloc too, an
#: Outlook message an OLE compound file).
BINARY_TYPES = frozenset({PARQUET_TYPE, SHORTCUT_TYPE, OUTLOOK_TYPE, XLSX_TYPE})
_ARCHIVE_TYPES = {"jsonl": "application/x-ndjson", "json": "application/json", "csv": "text/csv",
                  "tsv": "text/tab-separated-values", "parquet": PARQUET_TYPE,
                  "shortcut": SHORTCUT_TYPE, "alert": "message/rfc822",
                  "mailbox": "application/mbox", "enex": ENEX_TYPE, "xlsx": XLSX_TYPE}
FEED_ROOTS = frozenset({"rss", "feed", "rdf"})
#: A Google News sitemap's namespace: such a sitemap is a feed (a plain one is not).
NEWS_SITEMAP_NS = NEWS_NS.encode("ascii")
GZIP_MAGIC = b"\x1f\x8b"
#: longest first: the UTF-32 LE mark starts with the UTF-16 LE one
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
#: Markup in UTF-32 or UTF-16 without a byte-order mark, told by how its first "<" is
#: written (XML 1.0, appendix F: a feed or page saved so names its encoding only inside).
_NO_BOM = ((b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
           (b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be"))
#: An XML declaration naming a UTF-16 or UTF-32 encoding: the text it heads is UTF-8 once
#: transcoded, and a parser that believed it would read UTF-8 bytes as UTF-16.
_DECLARED_WIDE = re.compile(
    rb"""\A(\s*<\?xml[^>]*?\bencoding\s*=\s*["'])(?:ucs[-_]?[24]|utf[-_]?(?:16|32))[^"']*(["'])""",
    re.IGNORECASE)
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x7fELF")
#: Control bytes no text holds (white space and ESC aside). Compressed or machine data
#: holds about one in nine; a page with a stray NUL its CMS wrote is text all the same,
#: so a file is binary when over one in a hundred bytes of its start are these.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_MAX_CONTROL_SHARE = 0.01


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files under ``paths`` (folders recursively, hidden files skipped), sorted, unique.

    A path that does not exist is an :class:`InputError`: the user named it, so it is
    a mistake to report at once, not a reject to find in the warehouse later. Inside a
    folder, every entry that is not a folder is listed, FIFOs, sockets, broken links and
    symlink loops too, so :func:`read_file` names them as rejects instead of dropping
    them silently. A link to a folder is followed (folders of articles linked into one
    inbox are all read), each folder once: a link back to a folder already read (a loop)
    is listed itself, as is a folder that cannot be listed, and :func:`read_file` names
    them.
    """
    found: dict[Path, None] = {}
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise InputError(f"{path}: no such file or folder")
        if path.is_dir():
            for child in sorted(_entries(path)):
                found.setdefault(child, None)
        else:
            found.setdefault(path, None)
    return list(found)


def _entries(folder: Path) -> list[Path]:
    """What :func:`discover` lists under ``folder``, hidden entries aside.

    The folder's own tree is walked before any link is followed, so a link to a folder
    inside it is the repeat, never the folder itself; links are then followed in order
    of their names."""
    listed: list[Path] = []
    read: set[tuple[int, int] | None] = {_folder_id(folder)}
    pending, links = [folder], list[Path]()
    while pending or links:
        if not pending:
            link = links.pop(0)
            if (identity := _folder_id(link)) in read or identity is None:
                listed.append(link)  # a link to a folder read already (a loop), or gone
                continue
            read.add(identity)
            pending.append(link)
        directory = pending.pop()
        try:
            children = sorted(directory.iterdir())
        except OSError:
            listed.append(directory)  # read_file names why it cannot be listed
            continue
        pages = _page_stems(children)
        for child in children:
            if child.name.startswith("."):
                continue
            if pages and _saved_with_a_page(child, pages):
                log.info("%s: the images, scripts and styles a browser saved with a page, "
                         "not read", child)
                continue
            if not child.is_dir():
                listed.append(child)
            elif child.is_symlink():
                links.append(child)
            else:
                read.add(_folder_id(child))
                pending.append(child)  # gone since: listing it fails, and is named
        links.sort()
    return listed


#: What a browser's "Save Page As... Web Page, complete" names the folder it saves a page's
#: images, scripts, styles and frames in, beside ``<name>.html``: ``<name>_files`` (Chrome,
#: Firefox, Edge), or a word of the system's language (Internet Explorer and Word:
#: ``-Dateien``, ``_fichiers``, ``_archivos``...).
_RESOURCE_FOLDERS = re.compile(
    r"(?P<stem>.+?)[_-](?:files|dateien|fichiers|archivos|arquivos|file|bestanden|filer|"
    r"pliki|soubory|tiedostot|fájlok|dosyalar|файлы|αρχεία)", re.IGNORECASE)


def _page_stems(children: list[Path]) -> set[str]:
    """The names, without their suffix, of the HTML pages among a folder's entries."""
    return {c.stem.casefold() for c in children if c.suffix.lower() in HTML_SUFFIXES}


def _saved_with_a_page(child: Path, pages: set[str]) -> bool:
    """Whether ``child`` is the folder a browser saved a page's resources in, beside the
    page (``Story.html`` and ``Story_files/``): its hundreds of images, scripts and styles
    are no articles, and each would be a reject on every run (its frames' pages too)."""
    match = _RESOURCE_FOLDERS.fullmatch(child.name)
    return (match is not None and match["stem"].casefold() in pages
            and child.is_dir() and not child.is_symlink())


def _folder_id(folder: Path) -> tuple[int, int] | None:
    """The folder's device and inode; None when it went away since it was listed."""
    try:
        info = folder.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def last_suffix(path: PurePath) -> str:
    """The suffix that names the file's kind, a ``.gz`` after it aside."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def kind_of(path: PurePath) -> Literal["text", "html"] | None:
    last = last_suffix(path)
    if last in TEXT_SUFFIXES:
        return "text"
    if last in HTML_SUFFIXES or last in MHTML_SUFFIXES:
        return "html"
    return None


def feed_kind(path: Path) -> Literal["feed", "list"] | None:
    """Whether ``path`` is a saved RSS/Atom/RDF feed (``"feed"``) or an OPML list of
    feeds (``"list"``), which a run reads as feeds instead of as articles.

    Known by name (.rss, .atom, .rdf, .opml, optionally .gz) or, for a name that says
    neither text nor HTML (.xml, .json, none), by its root element (a sitemap's only when
    it is a Google News sitemap), or a JSON Feed's ``version``: feed readers and browsers
    save feeds as ``.xml``. Only regular files are opened (a FIFO would block).
    """
    last = last_suffix(path)
    if last in FEED_SUFFIXES:
        return "feed"
    if last in ARCHIVE_SUFFIXES:
        return "feed" if path.is_file() and _is_archive(path, ARCHIVE_SUFFIXES[last]) else None
    if last in LIST_SUFFIXES:
        return "list"
    if last in TEXT_SUFFIXES and path.is_file() and _lists_links(path):
        return "feed"  # a list of links: the pages to fetch
    if last in HTML_SUFFIXES and path.is_file() and _is_bookmark_file(path):
        return "feed"  # exported bookmarks: the pages to fetch
    if last in TEXT_SUFFIXES | HTML_SUFFIXES | MHTML_SUFFIXES or not path.is_file():
        return None
    try:
        head = file_head(path)
    except OSError:
        return None  # read_file names the problem
    if _JSON_FEED.match(head) or is_bookmark_file(head):
        return "feed"
    root = xml_root(head)
    if root in FEED_ROOTS or (root == "urlset" and NEWS_SITEMAP_NS in head) or is_enex(head):
        return "feed"
    return "list" if root == "opml" else None


def xml_root(head: bytes) -> str | None:
    """The root element's name, lower case without its prefix (``rdf:RDF`` -> ``rdf``), of
    an XML document whose first bytes (UTF-8) are ``head``; None when it does not start as
    XML."""
    match = _XML_ROOT.match(head)
    return match[1].decode("ascii").lower().rpartition(":")[2] if match else None


def read_file(path: Path, *, max_bytes: int) -> RawInput:
    """Read one local file into a :class:`RawInput`, or raise :class:`RejectedInput`.

    A file named neither text nor HTML is read as HTML when it starts as a page does
    (``<!DOCTYPE html>``, ``<html>``): sites mirrored with wget or saved by a browser keep
    their server's names (``article.php?id=3``, ``story.aspx``, ``index.shtml``, none)."""
    if last_suffix(path) in MHTML_SUFFIXES:
        return _read_mhtml(path, max_bytes)
    if last_suffix(path) in WEBARCHIVE_SUFFIXES:
        return _read_webarchive(path, max_bytes)
    if last_suffix(path) in EMAIL_SUFFIXES | MSG_SUFFIXES:
        return _read_email(path, max_bytes)
    if path.suffix.lower() in PDF_SUFFIXES:
        return _read_pdf(path, max_bytes)
    if last_suffix(path) in MARKDOWN_SUFFIXES:
        return _read_markdown(path, max_bytes)
    kind = kind_of(path)
    try:
        _regular(path)
        if kind is None and _starts_as_html(path):
            kind = "html"
    except OSError as exc:
        raise RejectedInput(RejectReason.UNREADABLE, exc.strerror or str(exc)) from None
    if kind is None and last_suffix(path) in SHORTCUT_SUFFIXES:  # read as a feed when a link
        raise _no_web_link(path)
    if kind is None and last_suffix(path) in XLSX_SUFFIXES:  # read as a feed when articles
        raise _no_articles_sheet(path, max_bytes)
    if kind is None:
        raise RejectedInput(
            RejectReason.UNSUPPORTED_TYPE,
            f"{path.suffix or 'no extension'}: newsmon reads .txt, .html and .htm "
            "(optionally .gz), Markdown notes (.md), pages saved as .mhtml or .webarchive, "
            "PDF files, "
            "other files that start as an HTML page, feeds (RSS, Atom, RDF, JSON Feed, "
            "Google News sitemaps), OPML lists of feeds, archives of articles (.jsonl, "
            ".parquet, .json, or .csv/.tsv/.xlsx with a url or text column, or a column of "
            "texts), Evernote exports (.enex), web archives (.warc, .warc.gz), zip files, "
            "Word documents (.docx) and OpenDocument texts (.odt), RTF files, e-mails "
            "(.eml, .msg, .mbox), and links saved as .url, .webloc or .desktop files",
        )
    data = read_bytes(path, max_bytes=max_bytes)
    return RawInput(origin=str(path), url=path.resolve().as_uri(), content=data, kind=kind)


def _no_web_link(path: Path) -> RejectedInput:
    """Why a shortcut file read as no feed holds no page to fetch."""
    try:
        address = saved_address(file_head(path))
    except OSError as exc:
        return RejectedInput(RejectReason.UNREADABLE, exc.strerror or str(exc))
    if address is None or not address.strip():
        return RejectedInput(RejectReason.UNSUPPORTED_TYPE, "a shortcut without a link (a "
                                                            "program's launcher? damaged?)")
    return RejectedInput(RejectReason.BLOCKED_URL, f"a link to {clipped(address.strip(), 120)}, "
                                                   "not to a web page (http or https)")


def _no_articles_sheet(path: Path, max_bytes: int) -> RejectedInput:
    """Why a workbook read as no archive of articles is none: it cannot be read, or none of
    its sheets has a header naming a link or a text column."""
    try:
        workbook_records(read_bytes(path, max_bytes=max_bytes, text=False), names_articles)
    except RejectedInput as exc:
        return exc
    return RejectedInput(RejectReason.NOT_ARTICLE, "a workbook without a sheet of articles: no "
                         "header row names a link or a text column (url, link, text, "
                         "content, ...)")


def _read_email(path: Path, max_bytes: int) -> RawInput:
    """An e-mail that is no Google Alert: the article it holds, its subject, sender and
    time sent as hints."""
    found = email_article(read_bytes(path, max_bytes=max_bytes, text=False),
                          max_bytes=max_bytes)
    return RawInput(origin=str(path), url=path.resolve().as_uri(), content=found.content,
                    kind=found.kind, hints=found.hints, charset=found.charset)


def _read_mhtml(path: Path, max_bytes: int) -> RawInput:
    """A page saved as one file: its HTML part, known by the address it was saved from.
    The file may be much larger than its page (the images are in it too): only the page is
    held to ``max_bytes``."""
    page = saved_page(read_bytes(path, max_bytes=max(max_bytes, MAX_MHTML_BYTES)),
                      max_bytes=max_bytes)
    return RawInput(origin=str(path), url=page.location or path.resolve().as_uri(),
                    content=page.html, kind="html", charset=page.charset)


def _read_markdown(path: Path, max_bytes: int) -> RawInput:
    """A Markdown note (a web clipping): the page it was saved from, known by the address
    its front matter states (the file's path kept as its origin); read as an entry is, so
    its date is what the note states or its opening shows, never a guess from its words."""
    note = markdown_page(read_bytes(path, max_bytes=max_bytes))
    return RawInput(origin=str(path), url=path.resolve().as_uri(), content=note.html,
                    kind="entry", hints=note.hints,
                    seen_at=note.saved_at)


def _read_webarchive(path: Path, max_bytes: int) -> RawInput:
    """A page Safari saved as one file: its page, known by the address it was saved from;
    as for MHTML, only the page is held to ``max_bytes`` (its images are in the file too)."""
    page = webarchive_page(read_bytes(path, max_bytes=max(max_bytes, MAX_MHTML_BYTES),
                                      text=False), max_bytes=max_bytes)
    return RawInput(origin=str(path), url=page.location or path.resolve().as_uri(),
                    content=page.html, kind="html", charset=page.charset)


def _read_pdf(path: Path, max_bytes: int) -> RawInput:
    """A PDF's text, known by the web address a browser printed in its footer, else by the
    file; when the file was made stands for when the article was fetched."""
    found = pdf_article(read_bytes(path, max_bytes=max_bytes, text=False))
    return RawInput(origin=str(path), url=found.url or path.resolve().as_uri(),
                    content=found.text.encode("utf-8"), kind="text", seen_at=found.created)


def read_bytes(path: Path, *, max_bytes: int, text: bool = True) -> bytes:
    """A regular file's bytes (unpacked when gzip, UTF-16/32 with a byte-order mark as
    UTF-8), or :class:`RejectedInput` saying why not: a special file, over ``max_bytes``
    (told from its size, never read whole), unreadable, empty or binary (the NUL bytes of
    a text dropped: a stray one, or padding past its end). With ``text``
    false, the bytes as they are (a Parquet file): only the size, the file and emptiness
    are checked."""
    try:
        size = _regular(path).st_size
        if size > max_bytes:
            raise RejectedInput(
                RejectReason.TOO_LARGE,
                f"{size:,} bytes, over the {max_bytes:,}-byte limit (NEWSMON_MAX_FILE_BYTES)"
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise RejectedInput(RejectReason.UNREADABLE, exc.strerror or str(exc)) from None
    if not text:
        if not data:
            raise RejectedInput(RejectReason.EMPTY, "the file is empty")
        return data
    if data.startswith(GZIP_MAGIC):
        data = gunzip(data, max_bytes)
    data = _utf8_from_bom(data)
    if not data.strip():
        raise RejectedInput(RejectReason.EMPTY, "the file is empty")
    if b"\x00" in data:
        data = data.rstrip(b"\x00")  # a file padded with NULs past its end
        if not data.strip():
            raise RejectedInput(RejectReason.BINARY, "only NUL bytes, no text")
    head = data[:8192]
    if head.startswith(_BINARY_MAGIC) or (
            len(_CONTROL_BYTES.findall(head)) > max(1.0, _MAX_CONTROL_SHARE * len(head))):
        raise RejectedInput(RejectReason.BINARY, "binary content, not text")
    return data.replace(b"\x00", b"")


@dataclass(frozen=True, slots=True)
class LinePart:
    """Whole lines of a file read in parts: ``data`` holds them (each ending in a line
    break but perhaps the file's last), ``first_line`` is the number of the first; lines
    too long to hold are named in ``skipped``, never read into memory."""

    first_line: int
    data: bytes
    skipped: tuple[str, ...] = ()


def read_line_parts(path: Path, *, part_bytes: int, max_line_bytes: int | None = None
                    ) -> Iterator[LinePart]:
    """A file of one record a line (JSON Lines), gzipped or not, in parts of whole lines
    of about ``part_bytes`` each: a file of any size in bounded memory. A line longer than
    ``max_line_bytes`` (default ``part_bytes``) is read past and named. :class:`RejectedInput`
    for a file that cannot be opened, and where the reading breaks off (a gzip stream cut
    short): the parts before it were whole."""
    longest = max_line_bytes or part_bytes
    with _unpacked(path) as stream:
        number, first, size = 0, 1, 0
        lines: list[bytes] = []
        skipped: list[str] = []
        try:
            while line := stream.readline(longest + 1):
                number += 1
                if len(line) > longest and not line.endswith(b"\n"):
                    while (rest := stream.readline(longest)) and not rest.endswith(b"\n"):
                        pass  # the rest of an over-long line, let go of as it is read
                    skipped.append(f"line {number}: over {longest:,} bytes, not read")
                    if not lines:  # the part's data starts after it
                        first = number + 1
                    continue
                lines.append(line)
                size += len(line)
                if size >= part_bytes:
                    yield LinePart(first, b"".join(lines), tuple(skipped))
                    first, size, lines, skipped = number + 1, 0, [], []
        except (OSError, EOFError, zlib.error) as exc:
            raise RejectedInput(RejectReason.UNREADABLE,
                                f"reading stopped after line {number:,}: {exc}") from None
        if lines or skipped:
            yield LinePart(first, b"".join(lines), tuple(skipped))


#: The start of a table or a JSON array read to tell its encoding (bytes; a table's layout
#: is told from the first :data:`LAYOUT_CHARS` characters of it).
TEXT_HEAD_BYTES = 4 * LAYOUT_CHARS


#: Characters of a JSON archive read at a time.
JSON_CHUNK_CHARS = 65_536


def read_table_parts(path: Path, kind: ArchiveKind, *, part_chars: int
                     ) -> Iterator[RecordPart]:
    """A CSV or TSV archive, gzipped or not, as a stream of records in parts of about
    ``part_chars`` characters (:func:`extractors.archive_feed.table_parts`): a table of any
    size in bounded memory, its cells free to hold line breaks. Its encoding is told from
    its start (a spreadsheet's Windows-1252 as for a whole file). :class:`RejectedInput`
    for a file that cannot be opened, and where the reading breaks off (a gzip stream cut
    short, bytes not in that encoding): the parts before it were whole."""
    encoding, sample = _text_encoding(path)
    return _read_parts(path, encoding, lambda text: table_parts(
        text, sample[:LAYOUT_CHARS], kind, part_chars=part_chars))


def read_json_parts(path: Path, *, part_chars: int, max_item_chars: int
                    ) -> Iterator[RecordPart]:
    """A JSON document of articles, gzipped or not, as a stream of its records (an array's
    items, or those of the array of articles an object holds) in parts of
    about ``part_chars`` characters (:func:`extractors.archive_feed.json_parts`), an item
    longer than ``max_item_chars`` refused. :class:`RejectedInput` as for
    :func:`read_table_parts`, and where the text stops being JSON."""
    encoding, _ = _text_encoding(path)
    parts = _read_parts(path, encoding, lambda text: json_parts(
        _chunks(text), part_chars=part_chars, max_item_chars=max_item_chars))
    return _one_article_too_large(path, parts)


def _one_article_too_large(path: Path, parts: Iterator[RecordPart]) -> Iterator[RecordPart]:
    """``parts``, but a document that holds no array of articles and is itself one
    article (:data:`_ARTICLE_OBJECT`) is ``too_large``: read in parts because it is over
    the file limit, and one article is never read in parts."""
    read = False
    try:
        for part in parts:
            read = True
            yield part
    except RejectedInput as exc:
        if read or not _ARTICLE_OBJECT.match(file_head(path)):
            raise
        raise RejectedInput(RejectReason.TOO_LARGE, (
            f"one article of {path.stat().st_size:,} bytes, over the file size limit "
            "(NEWSMON_MAX_FILE_BYTES)")) from exc


def _chunks(text: io.TextIOWrapper) -> Iterator[str]:
    """A text file :data:`JSON_CHUNK_CHARS` characters at a time."""
    return iter(lambda: text.read(JSON_CHUNK_CHARS), "")


def _read_parts(path: Path, encoding: str,
                parts_of: Callable[[io.TextIOWrapper], Iterator[RecordPart]]
                ) -> Iterator[RecordPart]:
    """The parts ``parts_of`` reads from the file's text in ``encoding``; a reading that
    breaks off is a :class:`RejectedInput` saying after how many records."""
    records = 0
    with _unpacked(path) as stream:
        text = io.TextIOWrapper(stream, encoding=encoding, newline="")
        try:
            for part in parts_of(text):
                records += len(part.records)
                yield part
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
            raise RejectedInput(RejectReason.UNREADABLE,
                                f"reading stopped after {records:,} records: {exc}") from None


def _text_encoding(path: Path) -> tuple[str, str]:
    """The encoding of a text file told from its start, and that start decoded."""
    with _unpacked(path) as stream:
        head = b""
        try:  # in small reads: a file cut short within its start still has one
            while len(head) < TEXT_HEAD_BYTES and (more := stream.read(4096)):
                head += more
        except (OSError, EOFError, zlib.error):
            pass  # the reading below stops there too, and says so
        head = head[:TEXT_HEAD_BYTES]
    if len(head) == TEXT_HEAD_BYTES and b"\n" in head:  # the last line may be cut
        head = head[:head.rindex(b"\n") + 1]
    bom = head.startswith(codecs.BOM_UTF8)
    try:
        decoded = decode_text(head.removeprefix(codecs.BOM_UTF8))
    except RejectedInput as exc:
        raise RejectedInput(exc.reason, f"an article archive in no encoding newsmon knows: "
                                        f"{exc.detail}") from None
    return ("utf-8-sig" if bom and decoded.encoding == "utf-8" else decoded.encoding,
            decoded.text)


@contextmanager
def _unpacked(path: Path) -> Iterator[BinaryIO]:
    """The regular file at ``path`` opened for reading, unpacked as it is read when it is
    gzip; :class:`RejectedInput` when it cannot be opened."""
    try:
        _regular(path)
        handle = path.open("rb")
    except OSError as exc:
        raise RejectedInput(RejectReason.UNREADABLE, exc.strerror or str(exc)) from None
    with handle:
        if handle.peek(2)[:2] == GZIP_MAGIC:
            with gzip.GzipFile(fileobj=handle) as unpacked:
                yield cast(BinaryIO, unpacked)
        else:
            yield handle


def _regular(path: Path) -> os.stat_result:
    """The file's status; :class:`RejectedInput` for a FIFO, socket or device (never opened:
    reading one could block)."""
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):  # listed by discover only when it is not read as a folder
        try:
            next(path.iterdir(), None)
        except OSError as exc:
            raise RejectedInput(RejectReason.UNREADABLE,
                                f"a folder that cannot be listed: {exc.strerror}") from exc
        raise RejectedInput(RejectReason.UNREADABLE,
                            "a link to a folder read already in this run (a loop): its "
                            "files are read once")
    if not stat.S_ISREG(info.st_mode):
        raise RejectedInput(RejectReason.SPECIAL_FILE,
                            f"a {_special_kind(info.st_mode)}, not a regular file")
    return info


#: How an HTML page starts: perhaps an XML declaration and comments ("<!-- saved from
#: url=... -->"), then its doctype or ``<html>``.
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
    re.IGNORECASE | re.DOTALL)
#: An HTML doctype further in: a page a server printed its warnings before ("<br />
#: <b>Deprecated</b>: ..." from PHP).
_HTML_DOCTYPE = re.compile(rb"<!doctype\s+html\b", re.IGNORECASE)
#: The largest page saved as MHTML read: the images it shows are in the file too.
MAX_MHTML_BYTES = 100_000_000
#: The largest ``.json`` object parsed whole to tell whether it holds articles (about
#: eight times as much memory); a larger one, and an array of any size, is told by its
#: first :data:`SNIFFED_ITEMS` records, read as a stream.
MAX_SNIFFED_JSON = 8_000_000
#: A JSON document that is one article: an object whose first key is an article's field.
#: Over :data:`MAX_SNIFFED_JSON` it is never parsed to tell (its text alone may be larger
#: than any item is let be), so its start tells.
_ARTICLE_OBJECT = re.compile(
    rb'\A(?:\xef\xbb\xbf)?\s*\{\s*"(?:url|link|title|headline|text|content|body)"\s*:')
#: An e-mail read to tell a Google Alert (a few kilobytes) from others: a larger one is not.
MAX_SNIFFED_EMAIL = 4_000_000
SNIFF_BYTES = 16_384  # a server's warnings before the page can run to kilobytes


#: The root element of an XML document, after its declaration, comments, processing
#: instructions (a feed's stylesheet) and doctype: ``rss``, ``feed``, ``rdf:RDF``, ``opml``.
_XML_ROOT = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:(?:<!--.*?-->|<\?.*?\?>|<!doctype[^>\[]*(?:\[.*?\])?\s*>)\s*)*"
    rb"<([a-z_][\w.:-]*)", re.IGNORECASE | re.DOTALL)

#: A JSON Feed (jsonfeed.org): an object stating its version, first by convention (a
#: generator sorting keys puts it after ``items``; it is then found in the first bytes only
#: when the items are few), its slashes perhaps escaped as PHP writes them (NPR's).
_JSON_FEED = re.compile(
    rb'^\s*\{.*?"version"\s*:\s*"https:\\?/\\?/jsonfeed\.org\\?/version\\?/', re.DOTALL)


def file_head(path: Path) -> bytes:
    """The file's first bytes, unpacked if gzip (b"" when the gzip data is broken), in
    UTF-8 without a byte-order mark."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, SNIFF_BYTES)
        except zlib.error:
            return b""
    return _utf8_from_bom(head).removeprefix(codecs.BOM_UTF8)


def saved_type(path: Path) -> str:
    """The Content-Type a saved feed is read as: an archive's by its suffix, a text file's
    ``text/uri-list`` (one read as a feed is a list of links); else ``application/xml``,
    which leaves the encoding to the XML declaration, as for a download."""
    last = last_suffix(path)
    if last in TEXT_SUFFIXES:  # a text file read as a feed is a list of links
        return "text/uri-list"
    if last in MSG_SUFFIXES:
        return OUTLOOK_TYPE
    kind = ARCHIVE_SUFFIXES.get(last)
    return _ARCHIVE_TYPES[kind] if kind else "application/xml"


def _is_archive(path: Path, kind: ArchiveKind) -> bool:
    """Whether an archive's first line is what one holds: a JSON object, or a header that
    names a link or text column (a Parquet file: its magic number). A ``.json`` file is a
    JSON Feed or a JSON document of articles (:func:`extractors.archive_feed.json_records`),
    read whole to tell: other JSON (a tool's settings, a corpus's ground truth) is no feed."""
    try:
        head = file_head(path)
    except OSError:
        return False
    if kind == "parquet":
        return head.startswith(b"PAR1")
    if kind == "shortcut":  # a .desktop file that starts a program is no link
        return shortcut_url(head) is not None
    if kind == "alert":  # an e-mail is a feed when it is a Google Alert, else an article
        return _is_alert(path)
    if kind == "mailbox":
        return is_mailbox(head)
    if kind == "enex":
        return is_enex(head)
    if kind == "xlsx":
        return is_article_workbook(path, names_articles)
    if kind == "json":
        if _JSON_FEED.match(head):
            return True
        if head.lstrip().startswith(b"[") or path.stat().st_size > MAX_SNIFFED_JSON:
            # read as a stream, never whole
            return _first_items_hold_articles(path) or bool(_ARTICLE_OBJECT.match(head))
        return _holds_articles(path)
    text = head.decode("utf-8", "replace")
    first = next((line for line in text.split("\n") if line.strip()), "")
    if kind == "jsonl":
        return first.lstrip().startswith("{")
    return archive_header(first, kind) or headless_table(text, kind) is not None


def _is_alert(path: Path) -> bool:
    try:
        content = read_bytes(path, max_bytes=MAX_SNIFFED_EMAIL,
                             text=last_suffix(path) not in MSG_SUFFIXES)
        return alert_links(content) is not None
    except RejectedInput:  # read as an article, which names the problem
        return False


def _is_bookmark_file(path: Path) -> bool:
    try:
        return is_bookmark_file(file_head(path))
    except OSError:
        return False  # read_file names the problem


def _lists_links(path: Path) -> bool:
    """Whether a text file is a list of links (its first 16 KiB are addresses and ``#``
    comments only)."""
    try:
        head = file_head(path)
    except OSError:
        return False
    text = head.decode("utf-8", "replace")
    if len(head) == SNIFF_BYTES:  # the last line may be cut short
        text = text.rsplit("\n", 1)[0]
    return is_url_list(text)


def _first_items_hold_articles(path: Path) -> bool:
    """Whether one of the first :data:`SNIFFED_ITEMS` records of a JSON document (an
    array's items, or those of the array of articles an object holds) is an article,
    without reading the document whole (it may be gigabytes, read in parts)."""
    try:
        encoding, _ = _text_encoding(path)
        with _unpacked(path) as stream:
            text = io.TextIOWrapper(stream, encoding=encoding)
            items = json_items(_chunks(text), max_item_chars=MAX_SNIFFED_JSON)
            return any(json_records([item]) is not None
                       for _, item in itertools.islice(items, SNIFFED_ITEMS))
    except (RejectedInput, OSError, EOFError, zlib.error, UnicodeDecodeError):
        return False  # broken before its first article: not read as articles


def _holds_articles(path: Path) -> bool:
    try:
        data = read_bytes(path, max_bytes=MAX_SNIFFED_JSON)
    except RejectedInput as exc:  # one too large to look into is named as such when read
        return exc.reason is RejectReason.TOO_LARGE
    try:
        return json_records(json.loads(data)) is not None
    except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
        return False


def _starts_as_html(path: Path) -> bool:
    """Whether the file's first bytes (unpacked, if gzip) are the start of an HTML page."""
    return starts_as_html(file_head(path))


def starts_as_html(head: bytes) -> bool:
    """Whether ``head``, a file's first bytes, is the start of an HTML page."""
    return bool(_HTML_START.match(head) or _HTML_DOCTYPE.search(head))


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _utf8_from_bom(data: bytes) -> bytes:
    """UTF-16 and UTF-32 text with a byte-order mark, or markup without one that starts
    with "<", as UTF-8 (its NUL bytes are not binary content), its XML declaration then
    naming UTF-8; anything else unchanged."""
    codec = next((c for bom, c in _BOMS if data.startswith(bom)), None) or next(
        (c for start, c in _NO_BOM if data.startswith(start)), None)
    if codec is None:
        return data
    try:
        text = data.decode(codec).removeprefix("\ufeff").encode("utf-8")
    except UnicodeDecodeError:
        return data
    return _DECLARED_WIDE.sub(rb"\1utf-8\2", text, count=1)


def gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress at most ``max_bytes`` (a small .gz can unpack to gigabytes)."""
    try:
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise RejectedInput(RejectReason.UNREADABLE, f"broken gzip data: {exc}") from None
    if len(out) > max_bytes:
        raise RejectedInput(RejectReason.TOO_LARGE, f"unpacks to over the {max_bytes:,}-byte limit")
    if not inflater.eof:  # zlib returns what it could: a cut-off file must not pass as whole
        raise RejectedInput(RejectReason.UNREADABLE,
                            f"broken gzip data: the stream ends early ({len(out):,} bytes "
                            "unpacked)")
    return out


__all__ = ["BINARY_TYPES", "GZIP_MAGIC", "MAX_MHTML_BYTES", "PARQUET_TYPE", "SNIFF_BYTES",
           "TEXT_HEAD_BYTES", "LinePart", "discover", "feed_kind", "file_head", "gunzip",
           "kind_of", "last_suffix", "read_bytes", "read_file", "read_json_parts",
           "read_line_parts", "read_table_parts", "saved_type", "starts_as_html", "xml_root"]
