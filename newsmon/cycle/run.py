"""One monitoring cycle: the sources of a run through the one pipeline, recorded in ``runs``.

Plain functions; Prefect flows (``flows/``) only wire them, swapping in task versions of
the steps. A missing source path raises :class:`InputError` and a broken configuration
a :class:`ConfigError` before anything is written; failures after the run started are
recorded on the run and re-raised.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from extractors.files import discover
from newsmon.core.settings import Settings
from newsmon.core.wording import plural
from newsmon.pipeline.context import RunContext
from newsmon.pipeline.forkserver import default_workers, prestart, uses_workers
from newsmon.pipeline.run import run_sources
from newsmon.pipeline.source import Source
from newsmon.pipeline.stream import LoadStep, Progress, load
from newsmon.pipeline.summary import RunSummary
from newsmon.search.sync import index_path, sync_index
from newsmon.sources.feed_plan import FeedPlan
from newsmon.sources.feeds import FeedsSource, FetchStep, PollStep
from newsmon.sources.files import LocalFiles
from newsmon.sources.local_feeds import split_local_inputs
from newsmon.sources.packed_files import PackedFiles
from warehouse import open_warehouse
from warehouse.runs import finish_run, start_run

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Steps:
    """The cycle's steps; flows swap in Prefect-task versions of the same functions."""

    discover: Callable[[Sequence[Path]], list[Path]] = discover
    load: LoadStep = load
    # network steps of the feeds source (newsmon.sources.polling.poll_feeds, feed_items.fetch_pages)
    poll_feeds: PollStep | None = None
    fetch_pages: FetchStep | None = None
    # called after each loaded batch with (inputs done, inputs found): progress bars, artifacts
    progress: Progress | None = None


def run_cycle(
    settings: Settings,
    paths: Sequence[Path],
    trigger: str,
    steps: Steps | None = None,
    feeds: FeedPlan | None = None,
) -> RunSummary:
    """One cycle over local ``paths`` and ``feeds``; returns its summary (also in ``runs``).

    Saved feeds and OPML lists among the files are read as feeds, fetching linked pages
    with ``feeds``' network policy (the default policy when there is no plan).
    """
    steps = steps or Steps()
    started = time.perf_counter()
    local = split_local_inputs(_not_the_warehouse(
        steps.discover(paths), (*open_warehouse(settings).local_files(), index_path(settings))))
    files = LocalFiles(local.articles)
    if local.saved or local.lists:
        feeds = replace(feeds or FeedPlan(()), saved=tuple(local.saved),
                        lists=tuple(local.lists), max_file_bytes=settings.max_file_bytes)
    if uses_workers(default_workers(settings.workers), files.work_ms()):
        prestart()  # the workers' preload overlaps the rest of the start-up
    ctx = RunContext.resolve(settings)
    sources: list[Source] = [files]
    archives = None
    if local.packed:
        archives = PackedFiles(local.packed, max_page_bytes=settings.max_file_bytes)
        sources.append(archives)
    feeds_source = None
    if feeds is not None and (feeds.feeds or feeds.saved or feeds.lists):
        feeds_source = FeedsSource(
            feeds, min_words=settings.min_words, batch_size=settings.batch_size,
            poll_step=steps.poll_feeds, fetch_step=steps.fetch_pages,
            keep_pages=settings.keep_pages,
        )
        sources.append(feeds_source)
    summary = RunSummary(run_id=start_run(ctx.warehouse, trigger), trigger=trigger)
    try:
        run_sources(sources, ctx, summary, load_step=steps.load, progress=steps.progress)
    except BaseException as exc:
        summary.seconds = time.perf_counter() - started
        summary.status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        summary.error = f"{type(exc).__name__}: {exc}"
        finish_run(ctx.warehouse, summary.run_id, summary.status, summary.error)
        raise
    finally:
        if feeds_source is not None:
            summary.feeds = feeds_source.stats
        if archives is not None:
            summary.archives = archives.stats
        summary.unchanged_files = files.unchanged
    summary.search_seconds = _update_search_index(settings, ctx)
    summary.seconds = time.perf_counter() - started
    summary.status = "ok"
    finish_run(ctx.warehouse, summary.run_id, "ok", None)
    return summary


def _not_the_warehouse(found: list[Path], own: Sequence[Path]) -> list[Path]:
    """``found`` without the files the run writes itself (the warehouse, its log, its
    search index), which sit in the folder ingested when the analyst keeps the
    warehouse beside the articles: they are no input, so no reject either; one line
    says how many were left out."""
    # abspath, not Path.resolve: no system call per file, and no error on a link loop
    # (discover lists one for read_file to name)
    mine = tuple({form for p in own
                  for form in (os.path.abspath(p), os.path.realpath(p))})  # noqa: PTH100
    kept = [p for p in found if not _within(os.path.abspath(p), mine)]  # noqa: PTH100
    if len(kept) < len(found):
        log.info("%s of the warehouse's own (%s and beside it) left out of the inputs",
                 plural(len(found) - len(kept), "file"), own[0])
    return kept


def _within(path: str, folders: tuple[str, ...]) -> bool:
    return any(path == f or path.startswith(f + os.sep) for f in folders)


def _update_search_index(settings: Settings, ctx: RunContext) -> float:
    """Bring the search index up to date; a failure is reported, never undoes the cycle
    (``newsmon search`` catches up before it answers)."""
    started = time.perf_counter()
    path = index_path(settings)
    try:
        sync_index(ctx.warehouse, path)
    except Exception as exc:  # the index is derived data: the cycle's load stands
        log.warning("search index %s not updated: %s: %s", path, type(exc).__name__, exc)
    return time.perf_counter() - started
