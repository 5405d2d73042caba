"""Archives over the file size limit, read part by part.

An export of a large warehouse (``newsmon export``) is a JSON Lines, CSV or Parquet file
of hundreds of megabytes; read whole, an archive takes about eight times its size in
memory. Such a file is read in parts of whole records (:data:`PART_BYTES`, or the limit
when it is lower): JSON Lines split between any two lines, a CSV or TSV table read as a
stream of records (its cells may hold line breaks), a JSON document as a stream of the
items of its array of articles (the document's, or the one an API's answer holds), a
Parquet file's rows fetched a batch at a time (:data:`PARQUET_ROWS`). It is read twice:
when the cycle opens, keeping of each record only what deciding whether to read it needs
(its key, link and hints, not its text), and again as the pipeline asks for work,
yielding the records chosen with their texts. Memory stays about that of one part and
the records' hints whatever the file's size, and the file's hash
(:func:`newsmon.sources.local_feeds.poll_saved_feed`) still tells an unchanged file without
reading a record. A JSON Lines record (one line) or a JSON document's item is still held
to the limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from extractors.archive_feed import NO_RECORD, ArchiveKind, parse_archive, parse_archive_rows
from extractors.feed_records import FeedEntry, FeedParseResult
from extractors.files import (
    ARCHIVE_SUFFIXES,
    LinePart,
    last_suffix,
    read_json_parts,
    read_line_parts,
    read_table_parts,
)
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Reject
from newsmon.sources.feed_items import FeedItem, items_of, keyed_apart
from newsmon.sources.polling import FeedPoll
from warehouse.feed_state import FeedItemRow
from warehouse.parquet import parquet_batches

#: Problems of the parts shown in the feed's last error (the rest counted).
SHOWN_PROBLEMS = 3
#: The size of a part, at most: its records parsed take about eight times as much memory
#: (10 MB parts, the default file limit, held the main process at ~370 MB over a 52 MB
#: archive, its 6,031 records' keys and hints included).
PART_BYTES = 1_000_000
#: Rows of a Parquet archive fetched at a time: about a megabyte of articles' texts.
PARQUET_ROWS = 200
#: The archives read in parts when over the limit.
STREAMED_KINDS: frozenset[ArchiveKind] = frozenset({"jsonl", "json", "csv", "tsv", "parquet"})


def streamed_kind(path: Path) -> ArchiveKind | None:
    """The kind of archive ``path`` is by its name, when it is one read in parts over the
    limit."""
    kind = ARCHIVE_SUFFIXES.get(last_suffix(path))
    return kind if kind in STREAMED_KINDS else None


def line_parts(path: Path, max_bytes: int) -> Iterator[LinePart]:
    """``path`` in parts of whole lines, none over ``max_bytes`` (the file size limit,
    which a line, one record, must keep to) or :data:`PART_BYTES`."""
    return read_line_parts(path, part_bytes=_part_bytes(max_bytes), max_line_bytes=max_bytes)


def archive_parts(poll: FeedPoll, *, max_bytes: int) -> Iterator[FeedPoll]:
    """The entries of a streamed archive (``poll.archive``) part by part, each part a
    poll of its own whose ``problem`` names the records not read (by their line in the
    file, a Parquet file's by what they hold). A part without a usable record is a
    problem, not a reject: the file is judged as a whole by :func:`first_reading`.
    :class:`RejectedInput` where the file stops being readable."""
    assert poll.archive is not None
    path, url = poll.archive, poll.feed.url
    kind = streamed_kind(path) or "jsonl"
    parts: Iterator[tuple[Callable[[], FeedParseResult] | None, list[str]]]
    if kind == "parquet":
        parts = ((partial(parse_archive_rows, rows, url, kind), [])
                 for rows in parquet_batches(path, rows=PARQUET_ROWS))
    elif kind in ("csv", "tsv", "json"):
        records = read_json_parts(path, part_chars=_part_bytes(max_bytes),
                                  max_item_chars=max_bytes) if kind == "json" else (
            read_table_parts(path, kind, part_chars=_part_bytes(max_bytes)))
        parts = ((partial(parse_archive_rows, part.records, url, kind, part.problems), [])
                 for part in records)
    else:
        parts = ((partial(parse_archive, part.data, url, kind,  # it drops a BOM
                          first_line=part.first_line) if part.data.strip() else None,
                  list(part.skipped))
                 for part in line_parts(path, max_bytes))
    for parse, problems in parts:
        entries: tuple[FeedEntry, ...] = ()
        if parse is not None:
            try:
                parsed = parse()
            except RejectedInput as exc:  # this part's records, named; the file is judged whole
                problems.append(exc.detail.removeprefix(f"{NO_RECORD.format(kind=kind)}: "))
            else:
                entries = parsed.entries
                problems += [parsed.problem] if parsed.problem else []
        yield replace(poll, entries=entries, archive=None, problem="; ".join(problems) or None)


def _part_bytes(max_bytes: int) -> int:
    return min(PART_BYTES, max_bytes)


@dataclass(frozen=True)
class FirstReading:
    """A streamed archive read through once: its poll (the parts' problems joined, or
    failed with ``failure``), its items without their texts (``content_html`` is "" for
    an entry that has one), the entries refused outright and how many entries it holds."""

    poll: FeedPoll
    items: list[FeedItem]
    rejected: list[tuple[FeedItemRow, Reject]]
    entries: int
    failure: Reject | None = None


def first_reading(poll: FeedPoll, *, min_words: int, max_bytes: int) -> FirstReading:
    """What the cycle needs to know of a streamed archive before reading its articles.
    A file that stops being readable keeps the records before the break (the break is
    its problem); one without a usable record at all is a reject naming it."""
    assert poll.archive is not None
    path = str(poll.archive)
    problems: list[str] = []
    items: list[FeedItem] = []
    rejected: list[tuple[FeedItemRow, Reject]] = []
    entries = 0
    broken: RejectedInput | None = None
    try:
        for part in archive_parts(poll, max_bytes=max_bytes):
            entries += len(part.entries)
            problems += [part.problem] if part.problem else []
            found, refused = items_of(part, min_words=min_words)
            rejected += refused
            items += [replace(i, content_html=None if i.content_html is None else "")
                      for i in found]
    except RejectedInput as exc:
        broken = exc
        problems.append(exc.detail)
    problem = "; ".join(problems[:SHOWN_PROBLEMS]) + (
        f"; and {len(problems) - SHOWN_PROBLEMS} more parts' problems"
        if len(problems) > SHOWN_PROBLEMS else "")
    if not entries:
        if broken is not None and len(problems) == 1:  # nothing read at all
            failure = Reject(path, broken.reason, broken.detail)
        else:
            kind = streamed_kind(poll.archive) or "jsonl"
            failure = Reject(path, RejectReason.NOT_A_FEED if problems else RejectReason.EMPTY,
                             NO_RECORD.format(kind=kind) + (f": {problem}" if problem else ""))
        failed = replace(poll, status="failed", reject=failure, archive=None)
        return FirstReading(failed, [], [], 0, failure)
    return FirstReading(replace(poll, problem=problem or None, entry_count=entries), items,
                        rejected, entries)


def wanted_items(poll: FeedPoll, keys: set[str], *, min_words: int, max_bytes: int
                 ) -> Iterator[FeedItem]:
    """The items of ``keys``, each once with its text, in the file's order: the archive
    read again part by part. Where the file stops being readable this stops too
    (:func:`first_reading` said so already)."""
    left = set(keys)
    try:
        for part in archive_parts(poll, max_bytes=max_bytes):
            found, _ = items_of(part, min_words=min_words)
            for item in found:
                if item.key not in left and item.link_key is not None:
                    item = keyed_apart(item)  # keyed by its id when the first reading was
                if item.key in left:
                    left.discard(item.key)
                    yield item
            if not left:
                return
    except RejectedInput:
        return
