"""Article archives as feeds: JSON Lines, JSON and CSV files of articles, as scrapers,
news APIs, media databases (Media Cloud's story lists, GDELT extracts) and ``newsmon
export`` write them.

Each record (a JSON object a line; an object of a JSON document of articles: an array,
an API's answer or one article, see :func:`json_records`; a CSV row under a header, its
cells parted by commas or, as spreadsheets write them in German, semicolons; a row of a
table without a header whose one column is prose, as text datasets such as 10kGNAD are
written) is an entry: its ``url``, ``title``, ``text``, ``published`` date, ``author``,
``source`` and ``language``, under the names such files use for them (:data:`FIELDS`,
any case, English or German). A record with its text is that article, however short (the
pipeline judges it as any other); one with only a link is the page to fetch, as a feed
entry is. A line that cannot be read is skipped and named in the result's ``problem``; a
file without any usable record is a reject.

Read with the standard library (``json``, ``csv``); the text is escaped into paragraphs
unless it already is HTML. A file not in UTF-8 is decoded as a text file is
(:func:`extractors.encoding.decode_text`): a spreadsheet saved as CSV in German Excel is
in Windows-1252.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import html
import io
import itertools
import json
import re
from collections import Counter
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal

from extractors.bookmarks import bookmark_records
from extractors.email_message import alert_links, mailbox_records
from extractors.encoding import decode_text
from extractors.enex import ENEX_TYPE, enex_records
from extractors.feed_records import (
    FeedEntry,
    FeedParseResult,
    clean_text,
    iso_date,
    language_of,
    rfc822_date,
    utf8_text,
    visible_text,
)
from extractors.markup import stated_flag
from extractors.plaintext import lead_sentence
from extractors.quality import word_count
from extractors.shortcuts import shortcut_url
from extractors.spreadsheets import XLSX_TYPE, workbook_records
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision
from newsmon.core.wording import clipped

ArchiveKind = Literal["jsonl", "json", "csv", "tsv", "parquet", "urls", "shortcut", "alert",
                      "mailbox", "bookmarks", "enex", "xlsx"]

#: Each field of an entry and the names archives give it, the preferred first.
FIELDS: Mapping[str, tuple[str, ...]] = {
    # the Guardian's Open Platform names its fields webUrl, webTitle, webPublicationDate
    # (its text under "fields"), the New York Times' article search web_url and pub_date
    "url": ("url", "link", "story_url", "article_url", "source_url", "canonical_url",
            "weburl", "web_url"),
    "title": ("title", "headline", "titel", "überschrift", "webtitle", "web_title"),
    "text": ("text", "content", "body", "full_text", "fulltext", "article", "maintext",
             "volltext", "inhalt", "bodytext", "body_text"),
    # WordPress's REST API: "date" is the site's local time without its offset, "date_gmt"
    # the same time in UTC
    "published": ("published", "published_at", "publishedat", "publish_date", "pub_date",
                  "pubdate", "date_gmt", "date", "datetime", "date_publish", "seendate",
                  "datum", "webpublicationdate", "web_publication_date"),
    "author": ("author", "authors", "byline", "creator", "autor", "autoren"),
    # newsmon's own exports keep the agencies a story credits apart from its writers
    "agencies": ("agencies", "agenturen"),
    "source": ("source", "media_name", "outlet", "publisher", "site_name", "source_domain",
               "domain", "quelle", "medium"),
    "language": ("language", "lang", "sprache"),
    "id": ("id", "guid", "stories_id", "article_id", "uid"),
    # how much of the date is known, and the offset the page stated (newsmon export's)
    "precision": ("published_precision", "date_precision"),
    "utc_offset": ("published_utc_offset", "utc_offset"),
    # when the text was fetched (a scraper's download time, newsmon export's read time)
    "seen": ("seen_at", "ingested_at", "date_download", "crawl_date", "crawled_at",
             "fetched_at", "downloaded_at", "scraped_at"),
    # whether the publisher marks the article as not free to read (newsmon export's)
    "paywalled": ("paywalled",),
}
#: Content types an archive is served or saved with.
ARCHIVE_TYPES: Mapping[str, ArchiveKind] = {
    "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl", "application/json-seq": "jsonl",
    "text/csv": "csv", "text/tab-separated-values": "tsv", "text/uri-list": "urls",
    "application/x-mswinurl": "shortcut", "message/rfc822": "alert",
    "application/vnd.ms-outlook": "alert",
    "application/mbox": "mailbox", ENEX_TYPE: "enex", XLSX_TYPE: "xlsx",
}
#: Lines that could not be read, quoted in the result's problem.
SHOWN_PROBLEMS = 3
#: The longest CSV/TSV cell read (characters): above any article's text (a book is ~1M);
#: a longer one is a named problem and the records after it are still read.
MAX_CELL_CHARS = 16_000_000
#: Items of a JSON array looked at to tell whether it holds articles (read as a stream).
SNIFFED_ITEMS = 100
#: Envelopes within envelopes looked into for a JSON document's articles, read as a stream.
MAX_ENVELOPES = 4
#: One address on a line of a list of links.
_LINK = re.compile(r"https?://\S+", re.IGNORECASE)
#: The names a record's link or text goes by: a JSON object or a table with one holds
#: articles.
_ARTICLE_NAMES = frozenset((*FIELDS["url"], *FIELDS["text"]))
#: A table without a header holds articles when one column's cells are prose: this many
#: words at least, in this share of the rows looked at (a short notice among them is fine).
PROSE_WORDS = 20
PROSE_SHARE = 0.8
#: Beside such a column, a cell this long at most is a datum (a desk, a date, an id).
SHORT_CELL_CHARS = 40
#: Rows looked at to tell such a table's layout.
LAYOUT_ROWS = 20
#: The start of a table read to tell its layout (characters).
LAYOUT_CHARS = 16_384
_HTML = re.compile(r"<(?:p|div|br|article|section|h[1-6])\b", re.I)
_PARAGRAPHS = re.compile(r"\n\s*\n")  # \s takes a "\r" of Windows line ends


def archive_header(first_line: str, kind: ArchiveKind) -> bool:
    """Whether a CSV/TSV file's first line is an archive's header: it names a link or a
    text column (a table of anything else is no archive of articles)."""
    return names_articles(next(csv.reader([first_line], _dialect(kind, first_line)), []))


def names_articles(names: Iterable[str]) -> bool:
    """Whether a table's column names name a link or a text column, as an archive of
    articles' do (any case, English or German: :data:`FIELDS`)."""
    return bool({_name(n) for n in names} & _ARTICLE_NAMES)


@dataclass(frozen=True, slots=True)
class HeadlessTable:
    """How a table without a header holds articles: one column of prose, the texts (a
    dataset such as 10kGNAD writes ``Wirtschaft;'Die Gewerkschaft ...'``). Its other
    cells name no field newsmon knows and are not read."""

    dialect: type[csv.Dialect]
    text_column: int
    columns: int
    #: The first row names the columns (in words newsmon does not know): not a record.
    named: bool


def headless_table(sample: str, kind: ArchiveKind) -> HeadlessTable | None:
    """The layout of a table of article texts that has no header naming them, told from
    its first lines (``sample``), or None when no column of it is prose.

    Cells are parted by semicolons, commas or tabs (tabs only in a TSV file) and quoted
    by double or, as some datasets write them, single quotes: the pair under which the
    rows have one width and a column is prose wins. Its other cells are short (a desk, a
    date) or the prose is quoted: lines of prose with a comma or semicolon in each, not
    quoted, are sentences cut in two, not a table.
    """
    for delimiter in ("\t",) if kind == "tsv" else (";", ",", "\t"):
        dialect = _sniffed(delimiter, _quote_of(sample, delimiter))
        try:
            rows = [row for row in itertools.islice(
                csv.reader(io.StringIO(sample, newline=""), dialect), LAYOUT_ROWS + 1)
                if any(cell.strip() for cell in row)]
        except csv.Error:
            continue
        if len(rows) > 2:  # the sample may end inside the last row
            rows = rows[:-1]
        widths = Counter(len(row) for row in rows)
        width, rows_of_width = widths.most_common(1)[0] if rows else (0, 0)
        if len(rows) < 2 or width < 2 or rows_of_width < PROSE_SHARE * len(rows):
            continue  # one cell a row (no such delimiter), or rows of every width
        whole = [row for row in rows if len(row) == width]
        for column in range(width):
            prose = [len(row) == width and word_count(row[column]) >= PROSE_WORDS
                     for row in rows]
            if sum(prose[1:]) < PROSE_SHARE * (len(rows) - 1):
                continue
            others_short = all(len(row[k]) <= SHORT_CELL_CHARS for row in whole[1:]
                               for k in range(width) if k != column)
            quote = dialect.quotechar or '"'
            opened = sample.count(delimiter + quote) if column else (
                sample.count("\n" + quote) + sample.startswith(quote))
            if others_short or opened >= PROSE_SHARE * len(whole):
                first = rows[0][column] if len(rows[0]) == width else ""
                named = not prose[0] and len(first) <= SHORT_CELL_CHARS
                return HeadlessTable(dialect, column, width, named)
    return None


def _quote_of(sample: str, delimiter: str) -> str:
    """The quote a table's cells are quoted with: the one that follows a delimiter or
    starts a line more often (double quotes when neither does)."""
    def opening(quote: str) -> int:
        return sample.count(delimiter + quote) + sample.count("\n" + quote) + sample.startswith(
            quote)
    return "'" if opening("'") > opening('"') else '"'


def _sniffed(delimiter: str, quote: str) -> type[csv.Dialect]:
    return type("_Sniffed", (csv.excel,), {"delimiter": delimiter, "quotechar": quote})


def parse_archive(content: bytes, url: str, kind: ArchiveKind,
                  charset: str | None = None, *, first_line: int = 1) -> FeedParseResult:
    """The articles of the archive in ``content``; :class:`RejectedInput` when it has no
    usable record. ``first_line``: the number of its first line in its file, when
    ``content`` is a part of a JSON Lines file (problems name the file's lines)."""
    if kind == "shortcut":  # a link saved as a file (perhaps a binary property list)
        link = shortcut_url(content)
        return parse_archive_rows([{"url": link}] if link else [], url, kind,
                                  [] if link else ["no http(s) address in it"])
    if kind == "alert":  # a Google Alert e-mail: the stories it links to
        stories = alert_links(content) or []
        return parse_archive_rows(stories, url, kind,
                                  [] if stories else ["a Google Alert without a story link"])
    if kind == "mailbox":  # alerts' stories and other e-mails' articles
        mails, unread = mailbox_records(content)
        return parse_archive_rows(mails, url, kind, unread)
    if kind == "xlsx":  # an Excel workbook: its sheets of articles
        rows, unread = workbook_records(content, names_articles)
        return parse_archive_rows(rows, url, kind, unread)
    if kind == "enex":  # a note tool's export: its notes, clippings among them
        notes, unread = enex_records(content)
        return parse_archive_rows(notes, url, kind, unread)
    if kind == "bookmarks":  # a browser's or a read-it-later service's: the pages to fetch
        marks, left_out = bookmark_records(content, charset)
        return parse_archive_rows(marks, url, kind, left_out)
    try:
        decoded = decode_text(content.removeprefix(codecs.BOM_UTF8), charset)
    except RejectedInput as exc:
        raise RejectedInput(exc.reason, f"an article archive in no encoding newsmon knows: "
                                        f"{exc.detail}") from None
    problems: list[str] = []
    text = decoded.text
    if kind == "json":
        records = _json_document(text, problems)
    elif kind == "jsonl":
        records = _json_lines(text, problems, first_line)
    elif kind == "urls":
        records = _url_lines(text, problems)
    else:
        records = _table(text, kind, problems)
    return parse_archive_rows(records, url, kind, problems, encoding=decoded.encoding)


#: What an archive without one usable record is, the problems with its records after it.
NO_RECORD = "an article archive ({kind}) without a record that has a link or text"


def parse_archive_rows(records: Iterable[Mapping[str, Any]], url: str, kind: ArchiveKind,
                       problems: Sequence[str] = (), encoding: str = "utf-8") -> FeedParseResult:
    """The articles of an archive's ``records`` (a Parquet file's rows, read by the
    warehouse's DuckDB), ``problems`` the records that could not be read;
    :class:`RejectedInput` when none is usable."""
    unread = list(problems)
    entries: list[FeedEntry] = []
    for record in records:
        entry = _entry(record, url)
        if entry is not None:
            entries.append(entry)
        else:  # named, never dropped unsaid: a row of a sheet whose link is a path, ...
            unread.append(f"a record with neither an http(s) link nor a text "
                          f"({_glimpse(record)})")
    problem = None
    if unread:
        shown = "; ".join(unread[:SHOWN_PROBLEMS])
        shown += "; ..." if len(unread) > SHOWN_PROBLEMS else ""
        noun = "record" if len(unread) == 1 else "records"
        problem = f"{len(unread)} {noun} could not be read ({shown})"
    if not entries:
        raise RejectedInput(  # records that are all well formed, none an article: empty
            RejectReason.EMPTY if not problems else RejectReason.NOT_A_FEED,
            NO_RECORD.format(kind=kind) + (f": {problem}" if problem else ""))
    return FeedParseResult(title=None, language=None, format=f"archive-{kind}", encoding=encoding,
                           entries=tuple(entries), problem=problem, whole_articles=True)


def _glimpse(record: Mapping[str, Any]) -> str:
    """A record as it was given, cut short, for the problem that names it."""
    return clipped(", ".join(f"{k}={v!r}" for k, v in list(record.items())[:3]), 80) or "empty"


#: The envelopes an API's answer wraps its list of articles in: the Guardian's and the New
#: York Times' hold it under "response" (``response.results``, ``response.docs``), Event
#: Registry's under "articles" (``articles.results``).
#: Only these are opened: a parsed feed saved as JSON (``{"feed": {"entries": ...}}``)
#: holds teasers, not articles.
_ENVELOPES = frozenset({"response", "data", "result", "payload", "articles"})


def json_records(doc: Any) -> list[Any] | None:
    """The records of a JSON document of articles, None when it holds none: an array of
    objects (what scrapers write), an object with such an array under any key (an API's
    answer: ``{"status": "ok", "articles": [...]}``, or deeper, ``{"response": {"results":
    [...]}}``), or one article (a scraper's file per article). An array counts when one
    of its objects names a link or a text; an object of articles keyed by an id (a
    corpus's ground truth) is none."""
    if isinstance(doc, list):
        return doc if any(_is_article(r) for r in doc) else None
    if not isinstance(doc, dict):
        return None
    if _is_article(doc):
        return [doc]
    return _article_list(doc)


def _article_list(doc: dict[Any, Any]) -> list[Any] | None:
    """The first array of articles under ``doc``'s keys, or under those of an envelope
    (:data:`_ENVELOPES`) it holds."""
    for value in doc.values():
        if isinstance(value, list) and any(_is_article(r) for r in value):
            return value
    for key, value in doc.items():
        if isinstance(key, str) and _name(key) in _ENVELOPES and isinstance(value, dict):
            found = _article_list(value)
            if found is not None:
                return found
    return None


def _is_article(record: Any) -> bool:
    """Whether a JSON value is a record with a link or a text (a string under one of their
    names), or a feed reader's saved item (:func:`_reader_item`)."""
    if not isinstance(record, dict):
        return False
    names = {_name(k) for k, v in record.items() if isinstance(k, str) and isinstance(v, str)}
    return bool(names & _ARTICLE_NAMES) or _reader_item(record) is not None


#: The fewest words of a saved item's ``summary`` that are its article, not a teaser of
#: the page it links (as for a feed's entry: :data:`newsmon.sources.feed_items`).
READER_SUMMARY_WORDS = 120


def _reader_item(record: Mapping[str, Any]) -> dict[str, Any] | None:
    """A feed reader's saved item as an archive's record, None when ``record`` is none.

    FreshRSS, Inoreader, The Old Reader and Miniflux export starred articles in the Google
    Reader API's JSON: an ``items`` array whose items link their page as ``canonical`` or
    ``alternate`` (lists of ``{"href": ...}``), hold their text as ``{"content": HTML}``
    under ``content`` or ``summary``, date it in seconds since 1970 (``published``), name
    their feed under ``origin`` and when the reader fetched it (``crawlTimeMsec``). A
    ``summary`` shorter than :data:`READER_SUMMARY_WORDS` is a teaser: the page is fetched."""
    links = record.get("canonical") or record.get("alternate")
    first = links[0] if isinstance(links, list) and links else None
    href = first.get("href") if isinstance(first, dict) else None
    if not isinstance(href, str):
        return None
    content, summary = (_reader_html(record.get(k)) for k in ("content", "summary"))
    if summary and word_count(visible_text(summary, markup=True) or "") < READER_SUMMARY_WORDS:
        summary = None
    origin = record.get("origin")
    crawled = record.get("crawlTimeMsec")
    return {
        "id": record.get("id"), "url": href, "title": record.get("title"),
        "text": content or summary, "author": record.get("author"),
        "published": _epoch(record.get("published")),
        "source": origin.get("title") if isinstance(origin, dict) else None,
        "seen_at": _epoch(int(crawled) / 1000) if isinstance(crawled, str)
        and crawled.isdigit() else None,
    }


def _reader_html(value: Any) -> str | None:
    text = value.get("content") if isinstance(value, dict) else None
    return text if isinstance(text, str) and text.strip() else None


def _epoch(value: Any) -> str | None:
    """Seconds since 1970 as an ISO 8601 time in UTC (None for anything else)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def _json_document(text: str, problems: list[str]) -> list[Mapping[str, Any]]:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested thousands deep
        raise RejectedInput(RejectReason.NOT_A_FEED, f"broken JSON: {exc}") from None
    found = json_records(doc)
    if found is None:
        raise RejectedInput(RejectReason.NOT_A_FEED, (
            "JSON, but neither a JSON Feed (no https://jsonfeed.org/version/ version) nor "
            "articles (an array of objects with a url or a text, or one such object)"))
    records: list[Mapping[str, Any]] = []
    for number, record in enumerate(found, 1):
        if isinstance(record, dict):
            records.append(record)
        else:
            problems.append(f"item {number}: a JSON {type(record).__name__}, not an object")
    return records


def is_url_list(text: str) -> bool:
    """Whether a text is a list of links (``text/uri-list``: one address a line, ``#``
    comments): what an analyst keeps of the articles to read, not an article."""
    problems: list[str] = []
    return bool(_url_lines(text, problems)) and not problems


def _url_lines(text: str, problems: list[str]) -> list[Mapping[str, Any]]:
    records: list[Mapping[str, Any]] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if _LINK.fullmatch(line):
            records.append({"url": line})
        else:
            problems.append(f"line {number}: not an http(s) address")
    return records


def _json_lines(text: str, problems: list[str], first_line: int = 1
                ) -> list[Mapping[str, Any]]:
    records: list[Mapping[str, Any]] = []
    # lines end at "\n" alone: str.splitlines would also cut at a U+2028 a JSON string holds
    for number, line in enumerate(text.split("\n"), first_line):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            problems.append(f"line {number}: not JSON: {exc}")
            continue
        if isinstance(record, dict):
            records.append(record)
        else:
            problems.append(f"line {number}: a JSON {type(record).__name__}, not an object")
    return records


def _table(text: str, kind: ArchiveKind, problems: list[str]) -> list[Mapping[str, Any]]:
    return list(table_records(io.StringIO(text, newline=""), text[:LAYOUT_CHARS], kind,
                              problems))


def table_records(lines: Iterable[str], sample: str, kind: ArchiveKind,
                  problems: list[str]) -> Iterator[Mapping[str, Any]]:
    """The records of a CSV/TSV table read from ``lines`` (text, its line ends as they
    are: a file opened with ``newline=""``), its layout told from ``sample``, its first
    characters (:data:`LAYOUT_CHARS` or fewer). A record that cannot be read is appended
    to ``problems``, named by its line, as it is met: a table of any size can be read as
    a stream."""
    # The csv module's default cap on a cell (128 KiB) is below a long article's text.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL_CHARS))
    first_line = sample.split("\n", 1)[0]
    if not archive_header(first_line, kind):
        layout = headless_table(sample, kind)
        if layout is not None:
            yield from _headless_rows(lines, layout, problems)
            return
    dialect = _dialect(kind, first_line)
    quote = _quote_of(sample, dialect.delimiter)
    if quote != dialect.quotechar:  # cells in single quotes, as under no header
        dialect = _sniffed(dialect.delimiter, quote)
    reader = csv.DictReader(lines, dialect=dialect)
    if reader.fieldnames is None:  # reads the header line, so line_num counts from it
        return
    rows = iter(reader)
    while True:
        start = reader.line_num + 1  # the line the next record starts on
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:  # one broken record; the reader goes on after it
            problems.append(f"line {start}: {exc}")
            continue
        if None in row:  # more cells than the header names
            problems.append(f"line {start}: more cells than the header's "
                            f"{len(reader.fieldnames or [])} columns")
            continue
        yield row


@dataclass(frozen=True, slots=True)
class RecordPart:
    """Records of an archive read as a stream (:func:`table_parts`, :func:`json_parts`)
    and the problems met since the part before."""

    records: tuple[Mapping[str, Any], ...]
    problems: tuple[str, ...]


def table_parts(lines: Iterable[str], sample: str, kind: ArchiveKind, *,
                part_chars: int) -> Iterator[RecordPart]:
    """:func:`table_records` in parts of about ``part_chars`` characters of cells each."""
    problems: list[str] = []
    return _in_parts(table_records(lines, sample, kind, problems), problems, part_chars)


def json_parts(chunks: Iterable[str], *, part_chars: int, max_item_chars: int
               ) -> Iterator[RecordPart]:
    """The objects among the records of a JSON document read from ``chunks`` of its text
    (:func:`json_items`),
    in parts of about ``part_chars`` characters of strings each; an item that is not an
    object is a problem naming its number."""
    problems: list[str] = []

    def objects() -> Iterator[Mapping[str, Any]]:
        for number, item in json_items(chunks, max_item_chars=max_item_chars):
            if isinstance(item, dict):
                yield item
            else:
                problems.append(f"item {number}: a JSON {type(item).__name__}, not an object")
    return _in_parts(objects(), problems, part_chars)


def _in_parts(records: Iterable[Mapping[str, Any]], problems: list[str], part_chars: int
              ) -> Iterator[RecordPart]:
    """``records`` in parts of about ``part_chars`` characters of strings each, with the
    ``problems`` their reader appended to the list since the part before."""
    part: list[Mapping[str, Any]] = []
    size = 0
    for record in records:
        part.append(record)
        size += sum(len(v) for v in record.values() if isinstance(v, str))
        if size >= part_chars:
            yield RecordPart(tuple(part), tuple(problems))
            part, size = [], 0
            problems.clear()  # the list the reader appends to
    if part or problems:
        yield RecordPart(tuple(part), tuple(problems))


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def json_items(chunks: Iterable[str], *, max_item_chars: int) -> Iterator[tuple[int, Any]]:
    """The records of a JSON document of articles read from ``chunks`` of its text, one
    at a time, numbered from 1 (a file of any size: one item is held at a time, with the
    chunk it ends in): the items of an array, or of the first array of articles in an
    object (an API's answer, ``{"status": "ok", "articles": [...]}``, or in an envelope
    it holds, as the Guardian's ``{"response": {"results": [...]}}``), as
    :func:`json_records` finds them. :class:`RejectedInput` when it
    holds no such array, and where the text stops being JSON or an item or another value
    is longer than ``max_item_chars`` (the items before it were read)."""
    stream = _JsonStream(iter(chunks), max_item_chars)
    first = stream.next_char()
    if first == "[":
        stream.pos += 1
        yield from stream.array_items()
        return
    if first != "{" or not (yield from stream.object_articles()):
        raise RejectedInput(RejectReason.NOT_A_FEED, "JSON, but no array of articles in it "
                            "(an array of objects with a url or a text, or an object holding "
                            "one)")


class _JsonStream:
    """JSON text read chunk by chunk: ``buffer`` holds what is not yet read past ``pos``."""

    def __init__(self, chunks: Iterator[str], max_item_chars: int) -> None:
        self.chunks, self.max_item_chars = chunks, max_item_chars
        self.decoder = json.JSONDecoder()
        self.buffer, self.pos, self.ended = "", 0, False
        self.last_chars = 0  # the length of the value read last

    def fill(self, at_least: int = 1) -> bool:
        """Read on, ``at_least`` characters when there are (a value that goes on is tried
        again once what is held has doubled, not at every chunk); whether any came."""
        added: list[str] = []
        size = 0
        while size < at_least and not self.ended:
            chunk = next(self.chunks, None)
            if chunk is None:
                self.ended = True
            else:
                added.append(chunk)
                size += len(chunk)
        if not added:
            return False
        self.buffer, self.pos = self.buffer[self.pos:] + "".join(added), 0
        return True

    def next_char(self) -> str:
        """The next character that is not space ("" at the end), not read past."""
        while True:
            match = _JSON_SPACE.match(self.buffer, self.pos)
            self.pos = match.end() if match else self.pos
            if self.pos < len(self.buffer) or not self.fill():
                return self.buffer[self.pos:self.pos + 1]

    def value(self, what: str) -> Any:
        """The value that starts here (``what`` names it in a problem), read past."""
        self.next_char()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except (ValueError, RecursionError) as exc:
                held = len(self.buffer) - self.pos
                if held <= self.max_item_chars and self.fill(max(held, 1)):
                    continue  # the value goes on in the next chunks
                raise RejectedInput(RejectReason.NOT_A_FEED, (
                    f"{what}: over {self.max_item_chars:,} characters without ending (longer "
                    "than the limit, or broken), not read"
                    if len(self.buffer) - self.pos > self.max_item_chars
                    else f"{what}: broken JSON: {exc}")) from None
            if end - self.pos > self.max_item_chars:  # as a JSON Lines line is held to it
                raise RejectedInput(RejectReason.NOT_A_FEED, f"{what}: over "
                                    f"{self.max_item_chars:,} characters, not read")
            # a number or literal that ends with the chunk may go on in the next one
            if end < len(self.buffer) or isinstance(value, dict | list | str) or not self.fill():
                self.last_chars, self.pos = end - self.pos, end
                return value

    def expect(self, allowed: str, after: str) -> str:
        """The next character, one of ``allowed``, read past."""
        found = self.next_char()
        if not found or found not in allowed:
            raise RejectedInput(RejectReason.NOT_A_FEED, f"after {after}: broken JSON: no "
                                + " or ".join(f"'{c}'" for c in allowed))
        self.pos += 1
        return found

    def array_items(self, number: int = 0) -> Iterator[tuple[int, Any]]:
        """The items of the array whose "[" was read, numbered after ``number``."""
        if self.next_char() == "]":
            self.pos += 1
            return
        while True:
            number += 1
            yield number, self.value(f"item {number}")
            if self.expect(",]", f"item {number}") == "]":
                return

    def object_articles(self, depth: int = 0) -> Generator[tuple[int, Any], None, bool]:
        """The items of the first array of articles among the members of the object whose
        "{" is next, or of an envelope's it holds (:data:`_ENVELOPES`, ``depth`` of them
        around it); whether there was one. An array none of whose first
        :data:`SNIFFED_ITEMS` items (nor of those within the item limit's characters) is an
        article is read past."""
        self.pos += 1
        if self.next_char() == "}":
            self.pos += 1
            return False
        while True:
            key = self.value("a key")
            self.expect(":", f"the key {key!r}")
            start = self.next_char()
            if start == "[":
                self.pos += 1
                items = self.array_items()
                looked: list[tuple[int, Any]] = []
                held = 0
                for number, item in items:  # until an article, held to a bound
                    looked.append((number, item))
                    held += self.last_chars
                    if _is_article(item) or len(looked) >= SNIFFED_ITEMS or (
                            held > self.max_item_chars):
                        break
                if looked and _is_article(looked[-1][1]):
                    yield from looked
                    yield from items
                    return True
                looked.clear()
                for _ in items:  # not articles: read past
                    pass
            elif start == "{" and depth < MAX_ENVELOPES and isinstance(key, str) and _name(
                    key) in _ENVELOPES:
                if (yield from self.object_articles(depth + 1)):
                    return True
            else:
                self.value(f"the value of {key!r}")
            if self.expect(",}", f"the value of {key!r}") == "}":
                return False


def _headless_rows(lines: Iterable[str], layout: HeadlessTable,
                   problems: list[str]) -> Iterator[Mapping[str, Any]]:
    """The texts of a table without a header (:class:`HeadlessTable`), a record each."""
    reader = csv.reader(lines, layout.dialect)
    rows = iter(reader)
    while True:
        start = reader.line_num + 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(f"line {start}: {exc}")
            continue
        if start == 1 and layout.named:
            continue  # its column names, none of them one newsmon reads
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != layout.columns:
            problems.append(f"line {start}: {len(row)} cells where the table has "
                            f"{layout.columns} (a cell with the delimiter unquoted?)")
            continue
        text = row[layout.text_column]
        # no headline in such a table: its lead sentence stands in, as for a text file
        yield {"text": text, "title": lead_sentence(text)}


def _entry(record: Mapping[str, Any], url: str) -> FeedEntry | None:
    record = _reader_item(record) or record  # a feed reader's saved item
    extra = record.get("fields")  # the Guardian's: the byline and the text asked for
    if isinstance(extra, dict):
        record = {**{k: v for k, v in extra.items() if isinstance(k, str)}, **record}
    values = {_name(k): _rendered(v) for k, v in record.items() if isinstance(k, str)}
    rendered = {_name(k) for k, v in record.items()
                if isinstance(k, str) and isinstance(v, dict) and "rendered" in v}  # HTML
    got = {field: _first(values, names) for field, names in FIELDS.items()}
    link = clean_text(got["url"])
    if link and not link.lower().startswith(("http://", "https://")):
        link = None  # a path or a bare host: nothing to fetch or to know the story by
    body = got["text"] if isinstance(got["text"], str) and got["text"].strip() else None
    if link is None and body is None:
        return None
    title_name = next((n for n in FIELDS["title"] if values.get(n) not in (None, "", [])), "")
    title = visible_text(got["title"], markup=title_name in rendered)
    ident = clean_text(str(got["id"])) if got["id"] not in (None, "") else None
    if ident is None and link is None:  # a stable key for a record without either
        ident = hashlib.sha1(f"{title}\n{body}".encode()).hexdigest()[:16]
    return FeedEntry(
        entry_id=ident,
        link=link,
        title=title,
        author=_authors(got["author"]),
        agencies=_authors(got["agencies"]),
        published=_with_detail(record_date(got["published"]), got["precision"], got["utc_offset"]),
        content_html=_as_html(body) if body else None,
        source=_source(got["source"]),
        language=language_of(got["language"]),
        seen_at=_seen_at(got["seen"]) if body else None,
        paywalled=stated_flag(got["paywalled"]),
    )


#: Keys of an object that stands for its text: WordPress's REST API, the API most sites
#: run, gives a post's title, text and guid as ``{"rendered": HTML}``; the New York Times'
#: a headline as ``{"main": ...}``, a byline as ``{"original": "By ..."}``.
_TEXT_KEYS = ("rendered", "main", "original")


def _rendered(value: Any) -> Any:
    """A value as text when it is an object standing for one (:data:`_TEXT_KEYS`), else
    as it is (strings made writable as UTF-8)."""
    if isinstance(value, dict):
        value = next((value[k] for k in _TEXT_KEYS if isinstance(value.get(k), str)), value)
    return utf8_text(value) if isinstance(value, str) else value


def _seen_at(value: Any) -> datetime | None:
    """When the record's text was fetched, naive UTC, to the second; None unless stated so
    (a day alone says too little to place an undated article in a trend)."""
    dated = record_date(value)
    if dated is None or dated.precision != DatePrecision.SECOND:
        return None
    return dated.at


def _source(value: Any) -> str | None:
    """The outlet: a name, or an object naming it (``{"id": "bbc-news", "name": "BBC
    News"}``, as news APIs give it)."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("title")
    return clean_text(value) if isinstance(value, str) else None


def _first(values: Mapping[str, Any], names: Iterable[str]) -> Any:
    for name in names:
        value = values.get(name)
        if value not in (None, "", []):
            return value
    return None


#: The word an API's byline starts with ("By Choe Sang-Hun", "Von Erika Musterfrau").
_BY = re.compile(r"^(?:by|von)\s+", re.IGNORECASE)


def _authors(value: Any) -> str | None:
    if isinstance(value, list):
        names = [clean_text(v.get("name") if isinstance(v, dict) else v) for v in value]
        return "; ".join(n for n in names if n) or None
    return clean_text(_BY.sub("", value)) if isinstance(value, str) else None


def record_date(value: Any) -> Dated | None:
    """An ISO 8601 date, an RFC 822 one (as feeds write), GDELT's ``20230912T080000Z`` or
    a German ``12.09.2023 08:00``."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})T?(\d{2})(\d{2})(\d{2})Z?", text)
    if compact:
        text = "{}-{}-{}T{}:{}:{}+00:00".format(*compact.groups())
    german = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2}:\d{2}(?::\d{2})?))?",
                          text)
    if german:
        day, month, year, time = german.groups()
        text = f"{year}-{int(month):02d}-{int(day):02d}" + (f"T{time:0>5}" if time else "")
    dated = iso_date(text)
    if dated is not None:
        return dated
    try:
        at = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return rfc822_date(text)
    return iso_date(at.isoformat())


def _with_detail(dated: Dated | None, precision: Any, offset: Any) -> Dated | None:
    """``dated`` with the precision and UTC offset a record states beside it: a date known
    to the day, exported as midnight, stays a day (what counts for the day it is of)."""
    if dated is None:
        return None
    if isinstance(precision, str) and precision.strip().lower() in set(DatePrecision):
        dated = replace(dated, precision=DatePrecision(precision.strip().lower()))
    try:
        minutes = int(str(offset).strip()) if offset not in (None, "") else None
    except ValueError:
        minutes = None
    if minutes is not None and dated.utc_offset_minutes is None and abs(minutes) <= 18 * 60:
        dated = replace(dated, utc_offset_minutes=minutes)
    return dated


def _as_html(body: str) -> str:
    if _HTML.search(body):
        return body
    paragraphs = [p.strip() for p in _PARAGRAPHS.split(body) if p.strip()]
    if len(paragraphs) == 1:  # one line per paragraph, as CSV cells often hold text
        paragraphs = [p.strip() for p in body.splitlines() if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


class _Semicolons(csv.excel):
    delimiter = ";"


def _dialect(kind: ArchiveKind, header: str) -> type[csv.Dialect]:
    """Tabs for TSV; for CSV commas, or semicolons when the header has more of them (what
    spreadsheets write where the comma is the decimal mark, as in German)."""
    if kind == "tsv":
        return csv.excel_tab
    return _Semicolons if header.count(";") > header.count(",") else csv.excel


def _name(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


__all__ = [
    "ARCHIVE_TYPES",
    "FIELDS",
    "LAYOUT_CHARS",
    "NO_RECORD",
    "ArchiveKind",
    "HeadlessTable",
    "RecordPart",
    "archive_header",
    "headless_table",
    "json_items",
    "json_parts",
    "names_articles",
    "parse_archive",
    "parse_archive_rows",
    "record_date",
    "table_parts",
    "table_records",
]
