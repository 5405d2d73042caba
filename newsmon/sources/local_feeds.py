"""Feeds among the local inputs: saved feeds (``file://`` feeds, read every run, an
unchanged file known by its hash) and OPML lists, whose feeds join the plan's; and the
feeds followed, written back as an OPML list.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from urllib.request import url2pathname

from extractors.archive_feed import parse_archive_rows
from extractors.docx import is_word_document
from extractors.export_files import is_text_export_file
from extractors.factiva import is_factiva_file
from extractors.feed_parser import parse_feed
from extractors.files import (
    BINARY_TYPES,
    PARQUET_TYPE,
    feed_kind,
    read_bytes,
    saved_type,
)
from extractors.files import discover as discover_files
from extractors.opml import ListedFeed, parse_opml
from extractors.rtf import is_rtf
from extractors.warc import is_warc
from extractors.zip_members import is_zip
from newsmon.core.config import Config
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Reject
from newsmon.core.shard import Shard
from newsmon.sources.feed_plan import FeedSource
from newsmon.sources.polling import FeedPoll
from newsmon.sources.streamed_archives import line_parts, streamed_kind
from warehouse import Warehouse
from warehouse.feed_state import (
    FeedState,
    feed_overview,
    load_feed_sites,
)
from warehouse.parquet import parquet_rows

log = logging.getLogger(__name__)

#: Rows of a Parquet archive read at once (its compressed text can unpack to many times
#: the file size limit): a file with more is read in batches, as one over the limit is.
MAX_PARQUET_ROWS = 100_000


def saved_feed(path: Path) -> FeedSource:
    """A feed saved as a file: its ``file://`` URL is its identity, as for local articles."""
    return FeedSource(url=path.resolve().as_uri())


def is_saved_feed(url: str) -> bool:
    return url.startswith("file:")


def poll_saved_feed(feed: FeedSource, state: FeedState | None, *, max_bytes: int) -> FeedPoll:
    """A saved feed read from disk, like a poll: a file whose bytes have not changed since
    the last run is ``not_modified``. Never raises; a failure names the file."""
    path = Path(url2pathname(urlsplit(feed.url).path))
    # a file has no Content-Type: an archive's comes from its suffix, any other's is
    # application/xml (without one feedparser calls every feed ill-formed; this one leaves
    # the encoding to the XML declaration, as for a download)
    content_type = saved_type(path)
    try:
        try:
            content = read_bytes(path, max_bytes=max_bytes,
                                 text=content_type not in BINARY_TYPES)
        except RejectedInput as exc:
            if exc.reason != RejectReason.TOO_LARGE or not is_streamed(path):
                raise
            return _streamed_poll(feed, state, path, max_bytes, exc)
        body_hash = hashlib.sha256(content).hexdigest()
        if state is not None and state.body_hash == body_hash:
            return FeedPoll(feed, "not_modified", body_hash=body_hash)
        if content_type == PARQUET_TYPE:  # read by DuckDB, from the file
            try:
                rows = parquet_rows(path, max_rows=MAX_PARQUET_ROWS)
            except RejectedInput as exc:
                if exc.reason != RejectReason.TOO_LARGE:
                    raise
                return _streamed_poll(feed, state, path, max_bytes, exc)
            parsed = parse_archive_rows(rows, feed.url, "parquet")
        else:
            parsed = parse_feed(content, {"Content-Type": content_type}, feed.url)
    except RejectedInput as exc:
        return FeedPoll(feed, "failed", reject=Reject(str(path), exc.reason, exc.detail))
    except Exception as exc:  # a bug on one file must not stop the others
        log.debug("reading %s failed", path, exc_info=True)
        return FeedPoll(feed, "failed", reject=Reject(
            str(path), RejectReason.FEED_ERROR, f"{type(exc).__name__}: {exc}"))
    if parsed.problem:
        log.info("feed %s is ill-formed but usable: %s", path, parsed.problem)
    return FeedPoll(feed, "ok", entries=parsed.entries, title=parsed.title,
                    language=parsed.language, problem=parsed.problem, body_hash=body_hash,
                    declared_minutes=parsed.declared_minutes,
                    whole_articles=parsed.whole_articles)


def is_streamed(path: Path) -> bool:
    """Whether an archive over the size limit is read part by part: JSON Lines, JSON,
    CSV, TSV and Parquet are (:mod:`newsmon.sources.streamed_archives`)."""
    return streamed_kind(path) is not None


#: Byte-order marks of UTF-16 and UTF-32: text in them cannot be cut at a b"\n".
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _streamed_poll(feed: FeedSource, state: FeedState | None, path: Path, max_bytes: int,
                   too_large: RejectedInput) -> FeedPoll:
    """An archive over the limit, read once through for the hash of its bytes (a file
    read whole is known by the same hash of the same bytes): its entries are read part by
    part, as the cycle needs them. A text archive in UTF-16 or UTF-32, or binary, stays
    the ``too_large`` reject."""
    body_hash = (_file_hash(path) if streamed_kind(path) == "parquet"
                 else _text_hash(path, max_bytes, too_large))
    if state is not None and state.body_hash == body_hash:
        return FeedPoll(feed, "not_modified", body_hash=body_hash)
    log.info("%s: %s; read in parts", path, too_large.detail)
    return FeedPoll(feed, "ok", body_hash=body_hash, whole_articles=True, archive=path)


def _text_hash(path: Path, max_bytes: int, too_large: RejectedInput) -> str:
    """The hash of a text archive's bytes (unpacked, when gzip), read line by line; a
    file cut short is hashed as far as it reads (the records before the cut are read, and
    the cut named, with the entries: :func:`streamed_archives.first_reading`). Raises
    ``too_large`` for a file that is not text in a byte-wide encoding."""
    digest = hashlib.sha256()
    try:
        for number, part in enumerate(line_parts(path, max_bytes)):
            if number == 0 and (part.data.startswith(_WIDE_BOMS)
                                or b"\x00" in part.data[:8192]):
                raise too_large
            digest.update(part.data)
    except RejectedInput as exc:
        if exc is too_large:
            raise
    return digest.hexdigest()


def _file_hash(path: Path) -> str:
    """The SHA-256 of a file's bytes, read a megabyte at a time."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise RejectedInput(RejectReason.UNREADABLE, exc.strerror or str(exc)) from None
    return digest.hexdigest()


def listed_feeds(paths: Sequence[Path], *, max_bytes: int
                 ) -> tuple[list[FeedSource], list[Reject]]:
    """The http(s) feeds OPML lists name, with the list's title and language for each; a
    reject naming the file for a list that cannot be read or names no feed, and one for
    each outline left out."""
    feeds: list[FeedSource] = []
    rejects: list[Reject] = []
    for path in paths:
        try:
            found = parse_opml(read_bytes(path, max_bytes=max_bytes))
        except RejectedInput as exc:
            rejects.append(Reject(str(path), exc.reason, exc.detail))
            continue
        except Exception as exc:  # a bug on one list must not stop the others
            log.debug("reading %s failed", path, exc_info=True)
            rejects.append(Reject(str(path), RejectReason.FEED_ERROR,
                                  f"{type(exc).__name__}: {exc}"))
            continue
        rejects += [Reject(str(path), RejectReason.BLOCKED_URL, line) for line in found.skipped]
        feeds += [FeedSource(f.url, f.title, f.language) for f in found.feeds]
    return feeds, rejects


def followed_feeds(warehouse: Warehouse, config: Config) -> list[ListedFeed]:
    """The http(s) feeds newsmon follows, each once, for a feed reader's OPML import: every
    configured one (a site's address as the feed found there; all of them, not one shard
    worker's share), then those polled after ``newsmon ingest URL`` or from an OPML list.
    Saved feeds (``file://``) are left out."""
    configured = config.feeds
    sites = load_feed_sites(warehouse, (f.url for f in configured))
    followed: dict[str, ListedFeed] = {}
    for feed in configured:
        url = sites.get(feed.url, feed.url)
        followed.setdefault(url, ListedFeed(url, feed.name, feed.language))
    for polled in feed_overview(warehouse):
        url = polled.state.url
        if not is_saved_feed(url):
            followed.setdefault(url, ListedFeed(url, polled.state.name))
    return list(followed.values())


def worker_inputs(paths: Sequence[Path], worker: Shard) -> list[Path]:
    """The local inputs of a cycle that ``worker`` reads: all of them for worker 0 (or
    the only worker); for the others, the OPML lists among them, whose feeds are shared
    out like configured ones (:attr:`FeedPlan.shard`). Files and saved feeds are worker
    0's: a file has no URL to share out by."""
    if worker.reads_folders:
        return list(paths)
    return [path for path in discover_files(paths) if _read_as(path) == "list"]


@dataclass(frozen=True, slots=True)
class LocalInputs:
    """The run's local files by how they are read."""

    articles: list[Path]  # read as one article each (text, HTML, MHTML)
    saved: list[Path]  # saved feeds and archives of articles: read as feeds
    lists: list[Path]  # OPML lists: their feeds join the plan's
    packed: list[Path]  # web archives, zip files, documents, exports: the articles they hold


def split_local_inputs(paths: Sequence[Path]) -> LocalInputs:
    """The run's local files by how they are read."""
    inputs = LocalInputs([], [], [], [])
    for path in paths:
        kind = _read_as(path)
        (inputs.packed if kind == "packed" else inputs.saved if kind == "feed"
         else inputs.lists if kind == "list" else inputs.articles).append(path)
    return inputs


def _read_as(path: Path) -> Literal["packed", "feed", "list", "article"]:
    """How a local file is read, told by its name and first bytes. Telling must not stop
    the run: a file whose first bytes break a sniffer (a damaged compound file, JSON nested
    thousands deep) is read as an article, and that reader names what is wrong with it."""
    try:
        if (is_warc(path) or is_zip(path) or is_word_document(path) or is_rtf(path)
                or is_text_export_file(path) or is_factiva_file(path)):
            return "packed"
        kind = feed_kind(path)
    except Exception:  # a bug on one file must not stop the others
        log.debug("telling how to read %s failed", path, exc_info=True)
        return "article"
    return kind or "article"
