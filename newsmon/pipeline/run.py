"""A cycle's sources through one pool into the warehouse."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from newsmon.clustering import SCHEME, ClusterIndex, signature
from newsmon.core.clock import utcnow
from newsmon.pipeline.context import RunContext
from newsmon.pipeline.forkserver import default_workers
from newsmon.pipeline.loader import Loader
from newsmon.pipeline.pool import extraction_pool
from newsmon.pipeline.preparation import Preparation
from newsmon.pipeline.source import Source
from newsmon.pipeline.stream import Counts, LoadStep, Progress, load, stream_source
from newsmon.pipeline.summary import RunSummary
from newsmon.stories import StoryIndex, StoryMember, story_time
from warehouse import Warehouse


def load_cluster_index(warehouse: Warehouse, threshold: float, window_days: int) -> ClusterIndex:
    """Near-duplicate index of the articles stored within the window; signatures of an
    older scheme are recomputed from their text."""
    index = ClusterIndex(threshold)
    since = utcnow() - timedelta(days=window_days)
    rows = warehouse.recent_signatures(since, SCHEME)
    index.load([r[0] for r in rows], [r[1] for r in rows],
               [sig if sig is not None else signature(text or "") for _, _, sig, text in rows])
    return index


def load_story_index(warehouse: Warehouse, threshold: float, window_hours: float) -> StoryIndex:
    """The stories of the articles loaded in the last window, rebuilt from the terms
    stored with each: an article read now joins a story only within a window of the
    story's last article, so older loads cannot take it (an archive's old articles
    arrive together, in one cycle or a few)."""
    index = StoryIndex(threshold, window_hours)
    for aid, story_id, published_at, precision, ingested_at, terms in (
            warehouse.recent_story_members(utcnow() - index.window)):
        at, slack = story_time(published_at, precision, ingested_at)
        index.add(StoryMember(aid, story_id, at, slack, terms))
    return index


def run_sources(
    sources: Sequence[Source],
    ctx: RunContext,
    summary: RunSummary,
    *,
    load_step: LoadStep = load,
    progress: Progress | None = None,
) -> None:
    """Run every source through one pool into the warehouse.

    Sources are opened in order (a feed source polls its feeds then), so the pool is
    sized for the whole cycle; each is closed however the cycle ends, and finished (its
    end-of-cycle state stored) only when all its jobs were loaded.
    """
    settings = ctx.settings
    loader = Loader(
        ctx.warehouse, summary,
        load_cluster_index(ctx.warehouse, settings.near_duplicate_threshold,
                           settings.dedup_window_days),
        load_story_index(ctx.warehouse, settings.story_threshold, settings.story_window_hours),
    )
    opened: list[Source] = []
    try:
        counts = Counts()
        for source in sources:
            opened.append(source)
            counts.total += source.open(ctx.warehouse)
        how = Preparation(settings.max_file_bytes, settings.min_words, ctx.tagger)
        work_ms = sum(source.work_ms() for source in sources)
        with extraction_pool(how, default_workers(settings.workers), work_ms) as pool:
            for source in sources:
                stream_source(source, pool, loader, batch_size=settings.batch_size,
                              counts=counts, load_step=load_step, progress=progress)
                source.finish(ctx.warehouse, summary.run_id)
    finally:
        for source in opened:
            source.close()
