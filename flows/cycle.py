"""The monitoring-cycle flow: one Prefect task per batch step, never one per article.

A task run costs ~15-20 ms of bookkeeping here, so tasks wrap whole batches. The
logic lives in :mod:`newsmon.pipeline`; this module only wraps its steps as tasks.
Local files are not retried (a bad file stays bad); network steps added later are.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from newsmon import pipeline
from newsmon.records import Outcome
from newsmon.settings import Settings


@task(name="discover-inputs", cache_policy=NO_CACHE)
def discover_inputs(sources: Sequence[Path]) -> list[Path]:
    return pipeline.discover(sources)


@task(name="extract-batch", cache_policy=NO_CACHE)
def extract_batch(
    paths: Sequence[Path], settings: Settings, executor: Executor | None
) -> list[Outcome]:
    return pipeline.extract_paths(paths, settings, executor)


@task(name="load-batch", cache_policy=NO_CACHE)
def load_batch(loader: pipeline.Loader, outcomes: Sequence[Outcome]) -> None:
    loader.load(outcomes)


@flow(name="newsmon-cycle", validate_parameters=False)
def monitoring_cycle(
    settings: Settings, sources: list[Path], trigger: str = "run"
) -> pipeline.RunSummary:
    """Read every source once, extract, and append new articles to the warehouse."""
    steps = pipeline.Steps(discover=discover_inputs, extract=extract_batch, load=load_batch)
    return pipeline.run_cycle(settings, sources, trigger, steps)
