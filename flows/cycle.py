"""The monitoring-cycle flow: one Prefect task per batch step, never one per article.

A task run costs ~15-20 ms of bookkeeping here, so tasks wrap whole batches: finding the
local inputs, polling the feeds, fetching a batch of pages, loading a batch. Extraction
streams through the worker processes between them and is not a task. The logic lives in
:mod:`newsmon.cycle` and :mod:`newsmon.pipeline`; this module only wraps its steps as tasks.
Local files are not retried (a bad file stays bad). The feed steps are network tasks:
they retry, but only on transient errors (the fetcher already retries single pages and
turns every per-feed/per-page failure into a named reject, so a task-level retry only
happens when a whole step failed transiently).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from prefect import Task, flow, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun
from prefect.states import Cancelled
from prefect.utilities.annotations import quote

from extractors.files import discover
from flows.progress import Progress, progress_reporter
from newsmon.core.errors import TransientError
from newsmon.core.settings import Settings
from newsmon.cycle import Steps, run_cycle
from newsmon.fetch import Fetcher
from newsmon.pipeline.loader import Loader
from newsmon.pipeline.source import Done, Source
from newsmon.pipeline.summary import RunSummary
from newsmon.sources import feed_items, polling
from newsmon.sources.feed_items import FeedItem, PageResult
from newsmon.sources.feed_plan import FeedPlan, FeedSource
from newsmon.sources.polling import FeedPoll
from warehouse.feed_state import FeedState


@task(name="discover-inputs", cache_policy=NO_CACHE)
def discover_inputs(sources: Sequence[Path]) -> list[Path]:
    return discover(sources)


def _transient_only(task: Task[..., object], task_run: TaskRun, state: State[object]) -> bool:
    """Prefect retry condition: retry a network task only when it failed transiently."""
    try:
        state.result()
    except TransientError:
        return True
    except Exception:
        return False
    return False


@task(
    name="poll-feeds", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10],
    retry_condition_fn=_transient_only,
)
def poll_feeds(
    fetcher: Fetcher,
    feeds: Sequence[tuple[FeedSource, FeedState | None]],
) -> list[FeedPoll]:
    return polling.poll_feeds(fetcher, feeds)


@task(
    name="fetch-pages", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10],
    retry_condition_fn=_transient_only,
)
def fetch_pages(
    fetcher: Fetcher, items: Sequence[FeedItem]
) -> list[PageResult]:
    return feed_items.fetch_pages(fetcher, items)


@task(name="load-batch", cache_policy=NO_CACHE)
def load_batch(loader: Loader, done: Sequence[Done], source: Source | None = None) -> None:
    loader.load(done, source)


# The steps hand Prefect their batches quoted: Prefect otherwise walks every argument to
# find upstream futures, through each article and its tags (seconds per cycle, on the
# same two cores the workers need). quote() skips that; the task receives the value.


def _load(loader: Loader, done: Sequence[Done], source: Source | None = None) -> None:
    load_batch(loader, quote(done), source)


def _poll(
    fetcher: Fetcher, feeds: Sequence[tuple[FeedSource, FeedState | None]]
) -> list[FeedPoll]:
    return poll_feeds(fetcher, quote(feeds))


def _fetch(fetcher: Fetcher, items: Sequence[FeedItem]) -> list[PageResult]:
    return fetch_pages(fetcher, quote(items))


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM interrupts the cycle like Ctrl-C (Prefect's own handler would raise its
    TerminationSignal and record a crash): the warehouse marks the run interrupted and
    the flow run ends Cancelled."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_sig: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@flow(name="newsmon-cycle", validate_parameters=False)
def monitoring_cycle(
    settings: Settings,
    sources: list[Path],
    trigger: str = "run",
    feeds: FeedPlan | None = None,
    progress: Progress | None = None,
) -> RunSummary | State[Any]:
    """Read every source once, extract, and append new articles to the warehouse.

    ``progress`` (e.g. a terminal progress bar) gets (done, total) after each batch, as
    does the run's progress artifact in the Prefect UI.
    """
    steps = Steps(
        discover=discover_inputs, load=_load, poll_feeds=_poll, fetch_pages=_fetch,
        progress=progress_reporter(progress),
    )
    try:
        with _sigterm_interrupts():
            return run_cycle(settings, sources, trigger, steps, feeds)
    except KeyboardInterrupt:
        # Stopped by the user (Ctrl-C, or SIGTERM turned into an interrupt by the CLI):
        # the run is Cancelled in Prefect, as it is "interrupted" in the warehouse.
        return Cancelled(message="stopped by the user (Ctrl-C or SIGTERM)")
