"""Files that hold many inputs among the local inputs: web archives (WARC files), each HTML
page a crawl kept read as the page newsmon would have fetched, known by the address it was
fetched from; zip files, each text or HTML file in one read as if the zip were a folder,
known by the zip's address and its name; Word documents and news databases' text exports,
each article in one known by the file's address and its place in it.

Such a file can hold tens of thousands of pages (one of Common Crawl's news files is a
gigabyte), so it is never read whole: ``open`` walks it once to count its inputs and ask
the warehouse, in one query, which of them are stored already; ``jobs`` walks it again,
yielding one input at a time. Each leaves a row in ``feed_items`` under the file's
``file://`` address, committed with the batch that stored it, so a run killed midway
goes on where it stopped, and a page stored from a feed or another archive is not read
twice. A file whose bytes have not changed since its last run is not read at all (its
hash is kept in ``feeds``, as a saved feed's is).
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from extractors.docx import docx_articles, is_word_document
from extractors.export_files import text_export_pages
from extractors.factiva import factiva_articles, is_factiva_file
from extractors.packed import ArchivedPage, ArchiveProblem
from extractors.rtf import is_rtf, rtf_articles
from extractors.warc import archived_pages, is_warc
from extractors.zip_members import is_zip, zipped_files
from newsmon.core.clock import utcnow
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Article, Outcome, RawInput, Reject
from newsmon.core.urls import canonical_url
from newsmon.pipeline.forkserver import PAGE_MS
from newsmon.pipeline.source import Done, Job
from warehouse import Warehouse, WriteSession
from warehouse.feed_state import (
    FeedItemRow,
    FeedState,
    load_feed_states,
    record_items,
    save_feed_states,
    stored_or_tried_keys,
)

log = logging.getLogger(__name__)


@dataclass
class PackedStats:
    """What the web archives and zip files of a cycle held; shown after the run summary."""

    label: str = "web archives"
    noun: str = "pages"  # what they hold
    files: int = 0
    unchanged: int = 0
    pages: int = 0
    already_seen: int = 0  # stored before, or twice in the files
    skipped: Counter[str] = field(default_factory=Counter)  # records that are no page

    def describe(self) -> str:
        other = sum(self.skipped.values())
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in self.skipped.most_common(4))
        return (
            f"{self.label}: {self.files - self.unchanged} of {self.files} read "
            f"({self.unchanged} unchanged); {self.pages:,} {self.noun}, {self.already_seen:,} "
            f"already seen; {other:,} other records" + (f" ({kinds})" if kinds else "")
        )


@dataclass(frozen=True, slots=True)
class _Page:
    """A page's ticket: what its ``feed_items`` row says."""

    key: str
    archive_url: str
    record: int
    url: str


class PackedFiles:
    """The run's web archives and zip files as a pipeline source (see the module's
    docstring)."""

    name = "packed files"

    def __init__(self, paths: Sequence[Path], *, max_page_bytes: int) -> None:
        self.paths = list(dict.fromkeys(p.resolve() for p in paths))
        self.max_page_bytes = max_page_bytes
        kinds = {_KINDS[_kind(p)] for p in self.paths}
        label, noun = kinds.pop() if len(kinds) == 1 else ("packed files", "inputs")
        self.stats = PackedStats(label, noun, files=len(self.paths))
        self._states: dict[str, FeedState] = {}
        self._todo: list[tuple[Path, str]] = []  # (file, its sha256)
        self._unreadable: list[Reject] = []
        self._done: dict[str, set[str]] = {}  # per file: keys stored or tried already
        self._pages: Counter[str] = Counter()
        self._broken: dict[str, ArchiveProblem] = {}  # per file: what made it unreadable
        self._planned = 0

    def open(self, warehouse: Warehouse) -> int:
        self._states = load_feed_states(warehouse, (p.as_uri() for p in self.paths))
        for path in self.paths:
            try:
                digest = _sha256(path)
            except OSError as exc:
                self._unreadable.append(Reject(str(path), RejectReason.UNREADABLE,
                                               exc.strerror or str(exc)))
                continue
            state = self._states.get(path.as_uri())
            if state is not None and state.body_hash == digest:
                self.stats.unchanged += 1
                continue
            self._todo.append((path, digest))
        # the first walk: the pages' keys, to ask the warehouse about once a file
        planned = len(self._unreadable)
        for path, _ in self._todo:
            uri = path.as_uri()
            keys: dict[str, None] = {}
            for item in self._read(path):
                if isinstance(item, ArchivedPage):
                    keys.setdefault(page_key(item))
                else:
                    planned += 1
            self._done[uri] = done = stored_or_tried_keys(warehouse, keys, uri)
            planned += len(keys) - len(done)
        self._planned = planned
        return planned

    def _read(self, path: Path, skipped: Counter[str] | None = None
              ) -> Iterator[ArchivedPage | ArchiveProblem]:
        read = {"warc": archived_pages, "docx": docx_articles, "zip": zipped_files,
                "export": text_export_pages, "factiva": factiva_articles,
                "rtf": rtf_articles}[_kind(path)]
        return _guarded(read(path, self.max_page_bytes, skipped), path)

    def work_ms(self) -> int:
        return PAGE_MS * self._planned

    def jobs(self) -> Iterator[Job]:
        for reject in self._unreadable:
            yield Job(reject)
        seen: set[str] = set()  # a page in two of the files is read from the first
        for path, _ in self._todo:
            uri = path.as_uri()
            done = self._done[uri]
            for item in self._read(path, self.stats.skipped):
                if isinstance(item, ArchiveProblem):
                    if item.stops:
                        self._broken[uri] = item  # the file itself, not one input of it
                    yield Job(_reject(path, item))
                    continue
                key = page_key(item)
                if key in seen or key in done:
                    self.stats.already_seen += 1
                    continue
                seen.add(key)
                self.stats.pages += 1
                self._pages[uri] += 1
                # a zip's member or a document's article by its place; a page by its address
                origin = (f"{path}/{item.name}" if item.name else str(path)
                          if item.url.startswith("file:") else item.url)
                raw = RawInput(origin, item.url, item.content, item.kind, item.hints, uri,
                               item.charset, item.fetched_at)
                yield Job(raw, _Page(key, uri, item.record, item.url))

    def record(self, tx: WriteSession, done: Sequence[Done], now: datetime) -> None:
        rows = [_row(job.ticket, outcome) for job, outcome in done
                if isinstance(job.ticket, _Page)]
        if rows:
            record_items(tx, rows, now)

    def finish(self, warehouse: Warehouse, run_id: str) -> None:
        now = utcnow()
        states = []
        for path, digest in self._todo:
            uri = path.as_uri()
            previous = self._states.get(uri) or FeedState(url=uri)
            broken = self._broken.get(uri)  # `newsmon feeds` says why, until the file changes
            states.append(replace(
                previous, name=path.name, last_polled_at=now, last_success_at=now,
                last_status=str(broken.reason) if broken else "ok",
                last_error=broken.detail if broken else None, consecutive_failures=0,
                entries_last_poll=self._pages[uri], body_hash=digest,
                last_new_at=now if self._pages[uri] else previous.last_new_at))
        if states:
            with warehouse.writer() as tx:
                save_feed_states(tx, states)
        log.debug("%s", self.stats.describe())

    def close(self) -> None:
        return None


#: What the run's line calls each kind of file, and what it holds.
_KINDS = {"warc": ("web archives", "pages"), "zip": ("zip files", "files"),
          "docx": ("Word and OpenDocument texts", "articles"),
          "export": ("news database exports", "articles"),
          "factiva": ("Factiva pages", "articles"), "rtf": ("RTF files", "articles")}


def _guarded(items: Iterator[ArchivedPage | ArchiveProblem], path: Path
             ) -> Iterator[ArchivedPage | ArchiveProblem]:
    """The readers name what they know can go wrong; a library failing on a damaged file in
    a way nobody foresaw (warcio on a response record without an address) ends the file with
    a problem naming it, after the inputs read before it, instead of stopping the run."""
    read = 0
    try:
        for item in items:
            read += 1
            yield item
    except RejectedInput as exc:  # a reader that raised what it should have yielded: its reason
        yield ArchiveProblem(read + 1, None, exc.reason, exc.detail, stops=True)
    except Exception as exc:  # a bug on one file must not stop the others
        log.debug("reading %s failed after %d inputs", path, read, exc_info=True)
        yield ArchiveProblem(read + 1, None, RejectReason.EXTRACTION_ERROR,
                             f"unreadable after {read:,} inputs: {type(exc).__name__}: {exc}",
                             stops=True)

def _kind(path: Path) -> str:
    if is_warc(path):
        return "warc"
    if is_word_document(path):
        return "docx"
    if is_rtf(path):
        return "rtf"
    if is_zip(path):
        return "zip"
    return "factiva" if is_factiva_file(path) else "export"


def page_key(page: ArchivedPage) -> str:
    """The input's item key: a page's canonical address, as a feed's link to it would be;
    else the address it is known by (a zip's member: the zip's with its name)."""
    if page.url.lower().startswith(("http://", "https://")):
        return canonical_url(page.url)
    return page.url


def _reject(path: Path, problem: ArchiveProblem) -> Reject:
    if problem.url is None:
        return Reject(str(path), problem.reason, problem.detail)
    return Reject(problem.url, problem.reason,
                  f"{problem.detail} ({path.name}, record {problem.record:,})")


def _row(page: _Page, outcome: Outcome) -> FeedItemRow:
    """Done for good either way: a file's page reads the same next time."""
    outcome_name, article_id = (("article", outcome.article_id) if isinstance(outcome, Article)
                                else (str(outcome.reason), None))
    return FeedItemRow(page.key, page.archive_url, f"record {page.record}", page.url,
                       outcome_name, article_id, False)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
