"""Feeds: a cycle over 50 local feeds linking to the 181 benchmark pages, and an idle cycle.

A threaded HTTP server on loopback serves the 181 pages of the article-extraction
benchmark and 50 RSS feeds linking to them (round-robin, 3-4 items each, with ETags).
Measured back-to-back in one process, so the ratios hold on a busy shared machine:

* **full cycle**: ``run_cycle`` into a fresh DuckDB file: 50 conditional GETs, 181 page
  fetches, extraction (worker processes), load. Reported as items/s, and against the
  baseline anyone would write first: one process, for each page ``httpx.get`` +
  ``trafilatura.extract`` (no feeds, no warehouse, no metadata);
* **per-page work** in one process (newsmon's extraction with metadata, date, language,
  MinHash) against the bare ``trafilatura.extract``: how much of the full-cycle gap is
  the shared extraction path rather than feeds;
* **idle cycle**: the same cycle again: every feed answers 304, nothing is fetched or
  extracted. Compared with an *empty* Prefect flow run (a flow with no tasks) on the
  same Prefect API, which is the floor for anything ``newsmon run`` does through Prefect;
  the idle cycle is also measured as the real Prefect flow (``monitoring_cycle``).

Run: ``python -m bench.feeds`` (starts a temporary Prefect API; takes a minute or two).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from evaluation.rows import Row

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
N_FEEDS = 50


def _median_time(fn: object, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run() -> list[Row]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="newsmon-bench-prefect-"))
    os.environ.setdefault("DO_NOT_TRACK", "1")
    import logging

    import httpx
    import trafilatura

    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    from evaluation.feedserver import benchmark_pages, conditional, rss, start_site
    from newsmon import cycle
    from newsmon.core.settings import Settings
    from newsmon.fetch import FetchPolicy
    from newsmon.sources.feed_plan import FeedPlan, FeedSource

    pages = benchmark_pages(SHARED)
    server = start_site()
    site = next(server)
    feeds: list[list[dict[str, str]]] = [[] for _ in range(N_FEEDS)]
    for i, page in enumerate(pages):
        site.serve(f"/story/{page.key}", page.html)
        feeds[i % N_FEEDS].append({"title": page.key, "link": site.url(f"/story/{page.key}")})
    sources = tuple(
        FeedSource(site.route(f"/feed/{n}.xml", conditional(rss(items), f'"etag-{n}"')), f"F{n}")
        for n, items in enumerate(feeds)
    )
    plan = FeedPlan(sources, FetchPolicy(allow_private_networks=True))
    tmp = Path(tempfile.mkdtemp(prefix="newsmon-bench-feeds-"))

    # -- baseline: fetch + extract each page in one process, nothing else ------------------
    started = time.perf_counter()
    with httpx.Client() as client:
        for page in pages:
            html = client.get(site.url(f"/story/{page.key}")).text
            trafilatura.extract(html)
    baseline_s = time.perf_counter() - started

    # -- attribution: newsmon's per-page work in one process vs the bare extract -----------
    from newsmon.core.records import RawInput
    from newsmon.pipeline.preparation import Preparation
    from newsmon.pipeline.prepare import process

    started = time.perf_counter()
    for page in pages:
        trafilatura.extract(page.html.decode("utf-8", "replace"))
    bare_local_s = time.perf_counter() - started
    started = time.perf_counter()
    for page in pages:
        url = site.url(f"/story/{page.key}")
        process(RawInput(url, url, page.html, "html"), Preparation(10_000_000, 40))
    ours_local_s = time.perf_counter() - started

    # -- full cycle and idle cycle, plain functions -------------------------------------
    db = tmp / "plain.duckdb"
    started = time.perf_counter()
    full = cycle.run_cycle(Settings(db=db), [], "run", feeds=plan)
    full_s = time.perf_counter() - started
    assert full.feeds is not None and full.feeds.new_items == len(pages), full.describe()
    from evaluation.feedserver import token_f1
    from warehouse import Warehouse

    truth = {site.url(f"/story/{p.key}"): p.body for p in pages}
    stored = Warehouse(db).query(
        "SELECT f.url, a.text FROM feed_items f JOIN articles a USING (article_id)"
    ).rows
    f1 = [token_f1(str(text), truth[str(url)]) for url, text in stored]
    mean_f1 = sum(f1) / len(pages)  # pages without an article count as 0
    idle_runs = []
    for _ in range(5):
        started = time.perf_counter()
        idle = cycle.run_cycle(Settings(db=db), [], "run", feeds=plan)
        idle_runs.append(time.perf_counter() - started)
        assert idle.feeds is not None and idle.feeds.not_modified == N_FEEDS, idle.describe()
    idle_s = statistics.median(idle_runs)

    # -- Prefect: empty flow vs the idle cycle as the real flow -------------------------
    from prefect import flow
    from prefect.testing.utilities import prefect_test_harness

    import flows  # noqa: F401  (newsmon's Prefect defaults)
    from flows.cycle import monitoring_cycle

    @flow(name="empty")
    def empty() -> None:
        return None

    with prefect_test_harness(server_startup_timeout=240):
        empty()  # warm-up: first flow run loads and registers
        empty_s = _median_time(empty, 5)
        flow_db = tmp / "flow.duckdb"
        monitoring_cycle(Settings(db=flow_db), [], "run", plan)  # fills; the next runs are idle
        idle_flow_s = _median_time(
            lambda: monitoring_cycle(Settings(db=flow_db), [], "run", plan), 5
        )
    next(server, None)

    n = len(pages)
    return [
        Row("feeds / 50 local feeds -> 181 benchmark pages",
            "items/s, full cycle (plain run_cycle)",
            f"{n / full_s:.1f}", f"{n / baseline_s:.1f}",
            note=f"{full_s:.1f} s vs {baseline_s:.1f} s for a one-process httpx.get + "
                 f"trafilatura.extract loop; ratio {baseline_s / full_s:.2f}x"),
        Row("feeds / 181 benchmark pages through feeds", "mean token F1 vs ground truth",
            f"{mean_f1:.3f}", note=f"{len(stored)} of {n} pages became articles"),
        Row("feeds / per-page work, one process, no network",
            "seconds for 181 pages (extract + metadata + language + signature)",
            f"{ours_local_s:.1f}", f"{bare_local_s:.1f}",
            note=f"baseline: bare trafilatura.extract; ratio {ours_local_s / bare_local_s:.2f}x "
                 "(the shared extraction path, not feed-specific)"),
        Row("feeds / idle cycle (all 304)", "seconds, plain run_cycle (median of 5)",
            f"{idle_s:.3f}", f"{empty_s:.3f}",
            note=f"baseline: empty Prefect flow run; ratio idle/empty = {idle_s / empty_s:.2f}"),
        Row("feeds / idle cycle (all 304)", "seconds, as the Prefect flow (median of 5)",
            f"{idle_flow_s:.3f}", f"{empty_s:.3f}",
            note=f"ratio idle flow/empty flow = {idle_flow_s / empty_s:.2f}"),
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row.benchmark} | {row.metric} | ours {row.ours} | baseline {row.baseline} | "
              f"{row.note}")
