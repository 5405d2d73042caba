"""Warehouse append rate: extracted articles into DuckDB, timed around the load only.

The records are prepared beforehand (text, identity, MinHash signature, as the workers
hand them over), so only what the parent does per batch is timed:

* ``Loader.load``: the cycle's real load step, one write transaction per batch (open
  the file, skip ids already stored, assign near-duplicate clusters, insert articles,
  signatures and run counts, commit), at the default batch size and a larger one;
* ``WriteSession.insert_articles`` alone: the JSON-lines append (:mod:`warehouse.batch`)
  inside one transaction, what the warehouse module itself can take;
* near-duplicate clustering of a flood of near-identical pages (a site's template pages,
  one wire text a thousand times): time per page at 8,000 of them against 1,000, which
  stays flat only if each page is compared with a bounded number of others; and the
  memory the near-duplicate index holds per article (a run loads every article of the
  last ``dedup_window_days``).

Texts are real German news (``10kGNAD``, 1,028 articles) recombined sentence by sentence
into distinct articles of the same length, so clustering sees mostly distinct texts,
as in a real feed cycle. The trend and spike queries on 10M article-topic rows are
measured by ``bench/spikes.py``.

Run: ``python -m bench.warehouse`` (``--articles N``, default 20,000).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from evaluation.rows import Row
from newsmon.core.records import Article, RawInput

ROOT = Path(__file__).resolve().parents[1]
GNAD = ROOT.parent / "shared" / "corpora" / "10kGNAD" / "test.csv"
GOAL_PER_S = 20_000
ARTICLES = 20_000
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def articles(n: int, seed: int = 0) -> list[Article]:
    """``n`` distinct :class:`newsmon.core.records.Article` records made from real sentences."""
    from datetime import datetime, timedelta

    from newsmon.clustering import signature
    from newsmon.core.identity import article_id, content_hash
    from newsmon.core.records import DatePrecision

    csv.field_size_limit(10_000_000)
    with GNAD.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";", quotechar="'"))
    sentences = [s for _label, text in rows for s in _SENTENCE.split(text) if len(s) > 40]
    rng = random.Random(seed)
    start = datetime(2026, 11, 1)
    out: list[Article] = []
    for i in range(n):
        text = " ".join(rng.sample(sentences, 14))
        text_hash = content_hash(text)
        out.append(
            Article(
                article_id=article_id(f"https://news.example/{i}", text_hash),
                url=f"https://news.example/{i}",
                text=text,
                content_hash=text_hash,
                minhash=signature(text),
                origin=f"https://news.example/{i}",
                title=text[:80],
                author="Redaktion",
                source=f"source{i % 50}",
                published_at=start + timedelta(minutes=i),
                published_precision=DatePrecision.SECOND,
                language="de",
            )
        )
    return out


def loader_rate(records: Sequence[Article], batch_size: int, workdir: Path) -> float:
    """Articles per second through ``Loader.load`` (seconds summed over the load calls)."""
    from newsmon.clustering import ClusterIndex
    from newsmon.core.settings import Settings
    from newsmon.pipeline.loader import Loader
    from newsmon.pipeline.source import Job
    from newsmon.pipeline.summary import RunSummary
    from newsmon.stories import StoryIndex
    from warehouse import Warehouse
    from warehouse.runs import start_run

    warehouse = Warehouse(workdir / f"loader-{batch_size}.duckdb")
    summary = RunSummary(start_run(warehouse, "bench"), "bench")
    defaults = Settings()
    loader = Loader(warehouse, summary, ClusterIndex(defaults.near_duplicate_threshold),
                    StoryIndex(defaults.story_threshold, defaults.story_window_hours))
    seconds = 0.0
    for start in range(0, len(records), batch_size):
        batch = records[start : start + batch_size]
        began = time.perf_counter()
        loader.load([(Job(RawInput(a.url, a.url, b"", "text")), a) for a in batch])
        seconds += time.perf_counter() - began
    assert summary.added == len(records), summary.describe()
    return len(records) / seconds


def insert_rate(records: Sequence[Article], workdir: Path) -> tuple[float, float]:
    """Articles per second of ``insert_articles`` in one transaction: (with open + commit +
    close, the INSERT statements alone)."""
    from datetime import datetime

    from warehouse import Warehouse

    warehouse = Warehouse(workdir / "insert.duckdb")
    with warehouse.writer():
        pass  # create and migrate outside the timing
    clustered = [replace(a, cluster_id=a.article_id) for a in records]
    began = time.perf_counter()
    with warehouse.writer() as tx:
        began_insert = time.perf_counter()
        added = tx.insert_articles(clustered, "bench", datetime(2026, 11, 22))
        insert_s = time.perf_counter() - began_insert
    seconds = time.perf_counter() - began
    assert added == len(records)
    return len(records) / seconds, len(records) / insert_s


FLOOD_SMALL, FLOOD_LARGE = 1_000, 8_000
FLOOD_GOAL = 2.0


def flood_seconds_per_page(n: int) -> float:
    """Seconds per page that ``ClusterIndex.assign`` takes over ``n`` near-identical pages
    (their signatures made beforehand, not timed)."""
    from newsmon.clustering import ClusterIndex, signature
    from newsmon.core.settings import Settings

    body = " ".join(f"Paragraph {k}: the council debated the harbour plan again on Monday, "
                    "and residents of the old quarter asked for more time to comment on it."
                    for k in range(6))
    signatures = [signature(f"Story {i}. {body} Filed as {i}.") for i in range(n)]
    index = ClusterIndex(Settings().near_duplicate_threshold)
    began = time.perf_counter()
    clusters = {index.assign(i, s) for i, s in enumerate(signatures)}
    seconds = time.perf_counter() - began
    assert clusters == {0}, f"{len(clusters)} clusters of one text"
    return seconds / n


def flood_row() -> Row:
    small = flood_seconds_per_page(FLOOD_SMALL)
    large = flood_seconds_per_page(FLOOD_LARGE)
    ratio = large / small
    return Row(
        "warehouse / near-duplicate flood",
        f"clustering time per page, {FLOOD_LARGE:,} near-identical pages against {FLOOD_SMALL:,}",
        f"{ratio:.2f}",
        goal=f"<= {FLOOD_GOAL:g}",
        met=ratio <= FLOOD_GOAL,
        note=f"{small * 1e3:.2f} and {large * 1e3:.2f} ms a page; quadratic, the ratio would be "
        f"about {FLOOD_LARGE // FLOOD_SMALL} (each page compared with every one before it)",
    )


INDEX_ARTICLES = 20_000
INDEX_GOAL_BYTES = 1_500  # a signature's 512 bytes and its 25 bucket keys, with room


def index_bytes_row() -> Row:
    """Bytes the near-duplicate index holds per article a run starts with (tracemalloc,
    distinct signatures), and per article the run adds."""
    import tracemalloc

    import numpy as np

    from newsmon.clustering import NUM_PERM, ClusterIndex
    from newsmon.core.settings import Settings

    draw = np.random.RandomState(1)
    signatures = [draw.randint(0, 2**32, size=NUM_PERM, dtype=np.uint64).astype(np.uint32)
                  .tobytes() for _ in range(INDEX_ARTICLES)]
    ids = list(range(INDEX_ARTICLES))
    threshold = Settings().near_duplicate_threshold
    tracemalloc.start()
    try:
        loaded = ClusterIndex(threshold)
        loaded.load(ids, ids, signatures)
        held = tracemalloc.get_traced_memory()[0] / INDEX_ARTICLES
        del loaded
        base = tracemalloc.get_traced_memory()[0]
        added = ClusterIndex(threshold)
        for i, sig in enumerate(signatures):
            added.add(i, i, sig)
        held_added = (tracemalloc.get_traced_memory()[0] - base) / INDEX_ARTICLES
    finally:
        tracemalloc.stop()
    return Row(
        "warehouse / near-duplicate index",
        f"memory held per article a run starts with, {INDEX_ARTICLES:,} distinct articles",
        f"{held:,.0f} bytes",
        goal=f"<= {INDEX_GOAL_BYTES:,}",
        met=held <= INDEX_GOAL_BYTES,
        note=f"its signature included; each article the run adds {held_added:,.0f} bytes "
        "beside its signature (a dict of lists)",
    )


def run(n: int = ARTICLES, quick: bool = False) -> list[Row]:
    if quick:
        n = min(n, 4000)
    started = time.perf_counter()
    records = articles(n)
    prepared_s = time.perf_counter() - started
    rows = []
    with tempfile.TemporaryDirectory(prefix="newsmon-bench-wh-") as tmp:
        workdir = Path(tmp)
        from newsmon.core.settings import Settings

        default_batch = Settings().batch_size
        for batch in (default_batch, 2000):
            rate = loader_rate(records, batch, workdir)
            rows.append(
                Row(
                    f"warehouse / append {n:,} extracted articles",
                    f"Loader.load, batches of {batch}",
                    f"{rate:,.0f} articles/s",
                    goal=f">= {GOAL_PER_S:,}/s",
                    met=rate >= GOAL_PER_S,
                    note=("default batch size; " if batch == default_batch else "")
                    + "one transaction per batch incl. dedup check, clustering, run counts",
                )
            )
        rate, insert_only = insert_rate(records, workdir)
        rows.append(
            Row(
                f"warehouse / append {n:,} extracted articles",
                "WriteSession.insert_articles, one transaction",
                f"{rate:,.0f} articles/s",
                goal=f">= {GOAL_PER_S:,}/s",
                met=rate >= GOAL_PER_S,
                note=f"open + JSON-lines append of articles and signatures + commit + close; the "
                f"INSERTs alone run at {insert_only:,.0f}/s, the rest is DuckDB's checkpoint "
                f"on close (records built in {prepared_s:.0f} s, not timed)",
            )
        )
    rows.append(flood_row())
    rows.append(index_bytes_row())
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="warehouse append rate")
    parser.add_argument("--articles", type=int, default=ARTICLES)
    args = parser.parse_args(argv)
    for row in run(args.articles):
        flag = "" if row.met is None else (" ok" if row.met else " SHORT")
        print(f"{row.benchmark}: {row.metric}: {row.ours}{flag}  {row.note}", file=sys.stdout)


if __name__ == "__main__":
    main()
