"""One pipeline for every source: jobs -> extraction workers -> batched, exactly-once loads.

A cycle opens its sources (:class:`~newsmon.pipeline.source.Source`: local files, feeds),
starts one extraction pool sized for all their jobs, streams each source's jobs through
it (:mod:`newsmon.pipeline.stream`) and loads the outcomes in batches
(:class:`~newsmon.pipeline.loader.Loader`). A cycle killed at any point keeps every
committed batch and a rerun skips them by key. Prefect is not imported here: flows swap
in task versions of the load step.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from newsmon.clustering import ClusterIndex
from newsmon.core.clock import utcnow
from newsmon.pipeline.context import RunContext
from newsmon.pipeline.loader import Loader
from newsmon.pipeline.pool import POOL_MIN_INPUTS, default_workers, extraction_pool
from newsmon.pipeline.prepare import Preparation, prepare, process, process_path
from newsmon.pipeline.source import Done, Job, Report, Source
from newsmon.pipeline.stream import Counts, LoadStep, Progress, load, stream_source
from newsmon.pipeline.summary import RunSummary
from warehouse import Warehouse

__all__ = [
    "POOL_MIN_INPUTS",
    "Done",
    "Job",
    "Loader",
    "Preparation",
    "Report",
    "RunContext",
    "RunSummary",
    "Source",
    "extraction_pool",
    "load_cluster_index",
    "prepare",
    "process",
    "process_path",
    "run_sources",
]


def load_cluster_index(warehouse: Warehouse, threshold: float, window_days: int) -> ClusterIndex:
    """Near-duplicate index of the articles stored within the window."""
    index = ClusterIndex(threshold)
    for aid, cluster_id, sig in warehouse.recent_signatures(utcnow() - timedelta(days=window_days)):
        index.add(aid, cluster_id, sig)
    return index


def run_sources(
    sources: Sequence[Source],
    ctx: RunContext,
    summary: RunSummary,
    *,
    load_step: LoadStep = load,
    progress: Progress | None = None,
) -> dict[str, Report]:
    """Run every source through one pool into the warehouse; their reports by name.

    Sources are opened in order (a feed source polls its feeds then), so the pool is
    sized for the whole cycle; each is closed however the cycle ends, and finished (its
    end-of-cycle state stored) only when all its jobs were loaded.
    """
    settings = ctx.settings
    loader = Loader(
        ctx.warehouse, summary,
        load_cluster_index(ctx.warehouse, settings.near_duplicate_threshold,
                           settings.dedup_window_days),
    )
    reports: dict[str, Report] = {}
    opened: list[Source] = []
    try:
        counts = Counts()
        for source in sources:
            opened.append(source)
            counts.total += source.open(ctx.warehouse)
        how = Preparation(settings.max_file_bytes, settings.min_words, ctx.tagger)
        with extraction_pool(how, default_workers(settings.workers), counts.total) as pool:
            for source in sources:
                stream_source(source, pool, loader, batch_size=settings.batch_size, counts=counts,
                       load_step=load_step, progress=progress)
                report = source.finish(ctx.warehouse, summary.run_id)
                if report is not None:
                    reports[source.name] = report
    finally:
        for source in opened:
            source.close()
    return reports
