"""The monitoring cycle as plain functions: read -> extract -> identify -> cluster -> append.

Prefect flows (``flows/``) only wire these together; everything here runs and is
tested without Prefect. A cycle is a sequence of batches. Each batch is extracted
(in worker processes when there is enough work to use both cores) and then loaded in
one warehouse transaction together with its rejects and its run counts, so a cycle
killed at any point keeps every committed batch and a rerun skips them by key.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from extractors.article import extract
from extractors.files import discover, read_file
from newsmon.clustering import ClusterIndex, signature
from newsmon.core.errors import RejectedInput
from newsmon.core.identity import article_id, content_hash
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Article, Outcome, RawInput, Reject
from newsmon.core.settings import Settings
from newsmon.core.urls import canonical_url
from newsmon.runtime import lifeline
from newsmon.runtime.processes import pid_alive
from newsmon.tagging import Tagger, content_of, tagger_for_settings
from newsmon.tagging.persist import write_tags
from warehouse import RunRow, Warehouse, WriteSession

if TYPE_CHECKING:
    from newsmon.sources.feeds import FeedCycleStats, FeedPlan, FetchStep, PollStep

log = logging.getLogger(__name__)

#: Below this many inputs a cycle extracts in-process: starting workers costs ~1 s.
POOL_MIN_INPUTS = 40


def utcnow() -> datetime:
    """Naive UTC now: the warehouse stores UTC in TIMESTAMP columns."""
    return datetime.now(UTC).replace(tzinfo=None)


# -- one input -------------------------------------------------------------------------------


def prepare(raw: RawInput, *, min_words: int, tagger: Tagger | None = None) -> Article:
    """Extract one raw input and give it its identity, signature and (with a tagger) tags.

    Tagging is CPU work like extraction, so it happens here, in the worker processes;
    articles prepared without a tagger are tagged by the :class:`Loader` instead.
    """
    extracted = extract(raw, min_words=min_words)
    candidates = [extracted.canonical_url, raw.url]
    web_url = next(
        (canonical_url(u) for u in candidates if u and u.startswith(("http://", "https://"))),
        None,
    )
    text_hash = content_hash(extracted.text)
    return Article(
        article_id=article_id(web_url, text_hash),
        url=web_url or raw.url,
        text=extracted.text,
        content_hash=text_hash,
        minhash=signature(extracted.text),
        origin=raw.origin,
        title=extracted.title,
        author=extracted.author,
        source=extracted.source,
        published_at=extracted.published.at if extracted.published else None,
        published_precision=extracted.published.precision if extracted.published else None,
        language=extracted.language,
        tags=tagger.tag(extracted.text, extracted.language, extracted.title) if tagger else None,
    )


def process_path(
    path: Path, *, max_bytes: int, min_words: int, tagger: Tagger | None = None
) -> Outcome:
    """Read and prepare one local file. Never raises: a bad file is a named :class:`Reject`."""
    try:
        return prepare(read_file(path, max_bytes=max_bytes), min_words=min_words, tagger=tagger)
    except RejectedInput as exc:
        return Reject(str(path), exc.reason, exc.detail)
    except Exception as exc:  # a bug or a library failure on one input must not stop the run
        log.debug("extraction of %s failed", path, exc_info=True)
        return Reject(str(path), RejectReason.EXTRACTION_ERROR, f"{type(exc).__name__}: {exc}")


def _process_path_star(args: tuple[Path, int, int, Tagger | None]) -> Outcome:
    path, max_bytes, min_words, tagger = args
    return process_path(path, max_bytes=max_bytes, min_words=min_words, tagger=tagger)


def extract_paths(
    paths: Sequence[Path], settings: Settings, executor: Executor | None = None
) -> list[Outcome]:
    """Outcomes for ``paths``, in order; in worker processes when an executor is given."""
    tagger = tagger_for_settings(settings)  # pickles as its rules; workers cache it by version
    jobs = [(p, settings.max_file_bytes, settings.min_words, tagger) for p in paths]
    if executor is None:
        return [_process_path_star(job) for job in jobs]
    return list(executor.map(_process_path_star, jobs, chunksize=4))


@contextmanager
def extraction_pool(settings: Settings, n_inputs: int) -> Iterator[Executor | None]:
    """Worker processes for extraction when the cycle is big enough to repay starting them."""
    workers = settings.workers or os.cpu_count() or 1
    if workers < 2 or n_inputs < POOL_MIN_INPUTS:
        yield None
        return
    # forkserver, not fork: the parent may run Prefect's threads, which fork does not copy safely.
    # The server preloads the extractors and the language model once (newsmon.pipeline.preload), so
    # workers fork ready to run and share that memory instead of loading it each.
    context = get_context("forkserver")
    context.set_forkserver_preload(["newsmon.pipeline.preload"])
    _start_helpers_deaf_to_ctrl_c()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_worker_started, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM) or failed: do not wait for the pages in flight.
        processes = list((getattr(pool, "_processes", None) or {}).values())  # no public API
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.kill()
        raise
    pool.shutdown(wait=True)


def _start_helpers_deaf_to_ctrl_c() -> None:
    """Start multiprocessing's forkserver and resource tracker ignoring SIGINT.

    A terminal's Ctrl-C reaches every process of the foreground job. The forkserver
    ignores it only once its preload (seconds of imports) is done, so an early Ctrl-C
    printed its traceback; an ignored signal is inherited at start, a handler is not.
    The resource tracker's complaint about the pool's semaphores after an interrupted
    run (newsmon exits at once then) is noise for the user, so it starts without it.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    from multiprocessing import forkserver, resource_tracker

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    saved = os.environ.get("PYTHONWARNINGS")
    os.environ["PYTHONWARNINGS"] = "ignore::UserWarning"
    try:
        resource_tracker.ensure_running()
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)
        if saved is None:
            os.environ.pop("PYTHONWARNINGS", None)
        else:
            os.environ["PYTHONWARNINGS"] = saved


def _worker_started(main_pid: int) -> None:
    """In each extraction worker: a terminal's Ctrl-C is the parent's to handle (it stops
    the pool), and the worker ends with its forkserver or with newsmon, even one killed
    with -9."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lifeline.die_with_parent(signal.SIGKILL)
    lifeline.watch(main_pid, lifeline.exit_now)


# -- loading -----------------------------------------------------------------------------------


@dataclass
class RunSummary:
    """What one cycle did; printed at the end of ``newsmon run`` and stored in ``runs``."""

    run_id: str
    trigger: str
    status: str = "running"
    inputs: int = 0
    added: int = 0
    duplicates: int = 0
    rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    error: str | None = None
    feeds: FeedCycleStats | None = None  # set when the cycle polled feeds

    def describe(self) -> str:
        head = f"run {self.run_id[:8]} {self.status} in {self.seconds:.1f} s:"
        parts = [f"{self.inputs} inputs", f"{self.added} added"]
        parts.append(f"{self.duplicates} already in the warehouse")
        rejected = {r: n for r, n in sorted(self.reasons.items()) if r != RejectReason.DUPLICATE}
        if rejected:
            why = ", ".join(f"{n} {r}" for r, n in rejected.items())
            parts.append(f"{self.rejected} skipped ({why})")
        else:
            parts.append("0 skipped")
        line = f"{head} {', '.join(parts)}"
        if self.status == "ok" and self.added == 0 and self.inputs:
            line += f"\n{self._nothing_new()}"
        if self.feeds is not None:
            line += f"\n{self.feeds.describe()}"
        if self.error:
            line += f"\nerror: {self.error}"
        return line

    def _nothing_new(self) -> str:
        """Why a cycle added nothing, in words that match its counts."""
        if self.rejected == 0:
            return "nothing new: every article was already in the warehouse"
        if self.duplicates == 0:
            return "nothing added: every input was skipped (see the reasons above)"
        return (f"nothing added: {self.duplicates} already in the warehouse, "
                f"{self.rejected} skipped")


class Loader:
    """Appends batches of outcomes to the warehouse, exactly once, and counts them."""

    def __init__(
        self,
        warehouse: Warehouse,
        summary: RunSummary,
        clusters: ClusterIndex,
        tagger: Tagger | None = None,
    ) -> None:
        self.warehouse = warehouse
        self.summary = summary
        self.clusters = clusters
        self.tagger = tagger  # tags articles that arrive untagged; None leaves them to retag

    def load(self, outcomes: Sequence[Outcome]) -> None:
        articles = [o for o in outcomes if isinstance(o, Article)]
        rejects = [o for o in outcomes if isinstance(o, Reject)]
        for r in rejects:
            # fetch errors start with their URL: name it once
            log.warning("skipped %s (%s): %s", r.input, r.reason,
                        r.detail.removeprefix(f"{r.input}: "))
        now = utcnow()
        reasons: Counter[str] = Counter(str(r.reason) for r in rejects)
        with self.warehouse.writer() as tx:
            existing = tx.existing_article_ids(a.article_id for a in articles)
            fresh: dict[int, Article] = {}
            duplicates = 0
            for a in articles:
                if a.article_id in existing or a.article_id in fresh:
                    duplicates += 1
                    continue
                fresh[a.article_id] = replace(
                    a, cluster_id=self.clusters.assign(a.article_id, a.minhash)
                )
            added = tx.insert_articles(list(fresh.values()), self.summary.run_id, now)
            self._write_tags(tx, list(fresh.values()), now)
            tx.insert_rejects(rejects, self.summary.run_id, now)
            if duplicates:
                reasons[RejectReason.DUPLICATE] += duplicates
            tx.add_run_counts(
                self.summary.run_id,
                inputs=len(outcomes),
                added=added,
                duplicates=duplicates,
                rejected=len(rejects),
                reasons=dict(reasons),
            )
        self.summary.inputs += len(outcomes)
        self.summary.added += added
        self.summary.duplicates += duplicates
        self.summary.rejected += len(rejects)
        self.summary.reasons.update(reasons)

    def _write_tags(self, tx: WriteSession, articles: Sequence[Article], now: datetime) -> None:
        """Tags go in with their articles, in the same transaction (see newsmon.tagging)."""
        tagged = []
        for a in articles:
            tags = a.tags
            if tags is None and self.tagger is not None:
                tags = self.tagger.tag(a.text, a.language, a.title)
            if tags is not None:
                tagged.append((a.article_id, tags))
        contents = {t.taxonomy_version: content_of(t.taxonomy_version) for _, t in tagged}
        write_tags(tx, tagged, now, contents)


# -- a whole cycle -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Steps:
    """The cycle's steps; flows swap in Prefect-task versions of the same functions."""

    discover: Callable[[Sequence[Path]], list[Path]] = discover
    extract: Callable[[Sequence[Path], Settings, Executor | None], list[Outcome]] = extract_paths
    load: Callable[[Loader, Sequence[Outcome]], None] = Loader.load
    # network steps of the feeds source (newsmon.sources.feeds.poll_feeds / fetch_pages when None)
    poll_feeds: PollStep | None = None
    fetch_pages: FetchStep | None = None
    # called after each loaded batch with (inputs done, inputs found): progress bars, artifacts
    progress: Callable[[int, int], None] | None = None


def batched(items: Sequence[Path], size: int) -> Iterable[Sequence[Path]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def start_run(warehouse: Warehouse, trigger: str) -> RunSummary:
    """Record a new run; runs of this host whose process died are marked interrupted."""
    summary = RunSummary(run_id=uuid.uuid4().hex, trigger=trigger)
    host = socket.gethostname()
    with warehouse.writer() as tx:
        stale = [
            run_id
            for run_id, run_host, pid in tx.running_runs()
            if run_host == host and (pid is None or not pid_alive(pid))
        ]
        tx.mark_interrupted(stale, utcnow())
        tx.start_run(RunRow(summary.run_id, trigger, utcnow(), host, os.getpid()))
    return summary


def finish_run(warehouse: Warehouse, summary: RunSummary, status: str, error: str | None) -> None:
    summary.status = status
    summary.error = error
    with warehouse.writer() as tx:
        tx.finish_run(summary.run_id, status, utcnow(), error)


def load_cluster_index(warehouse: Warehouse, settings: Settings) -> ClusterIndex:
    index = ClusterIndex(settings.near_duplicate_threshold)
    since = utcnow() - timedelta(days=settings.dedup_window_days)
    for aid, cluster_id, sig in warehouse.recent_signatures(since):
        index.add(aid, cluster_id, sig)
    return index


def run_cycle(
    settings: Settings,
    sources: Sequence[Path],
    trigger: str,
    steps: Steps | None = None,
    feeds: FeedPlan | None = None,
) -> RunSummary:
    """One monitoring cycle over local sources and feeds; returns its summary (also in ``runs``).

    A missing source path raises :class:`InputError` before anything is written.
    Failures after the run started are recorded on the run and re-raised.
    """
    steps = steps or Steps()
    started = time.perf_counter()
    paths = steps.discover(sources)
    warehouse = Warehouse(settings.db, lock_timeout_s=settings.lock_timeout_s)
    summary = start_run(warehouse, trigger)
    try:
        loader = Loader(
            warehouse, summary, load_cluster_index(warehouse, settings),
            tagger=tagger_for_settings(settings),
        )
        with extraction_pool(settings, len(paths)) as pool:
            done = 0
            for batch in batched(paths, settings.batch_size):
                steps.load(loader, steps.extract(batch, settings, pool))
                done += len(batch)
                if steps.progress is not None:
                    steps.progress(done, len(paths))
        if feeds is not None and feeds.feeds:
            from newsmon.sources.feeds import ingest_feeds

            summary.feeds = ingest_feeds(
                feeds, warehouse, loader, settings,
                poll_step=steps.poll_feeds, fetch_step=steps.fetch_pages, load_step=steps.load,
            )
    except BaseException as exc:
        summary.seconds = time.perf_counter() - started
        status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        finish_run(warehouse, summary, status, f"{type(exc).__name__}: {exc}")
        raise
    summary.seconds = time.perf_counter() - started
    finish_run(warehouse, summary, "ok", None)
    return summary
