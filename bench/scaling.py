"""Workers on one PostgreSQL lake against one process on a DuckDB file.

A loopback site in its own process (:mod:`evaluation.hostserver`, 8 host addresses)
serves 40 RSS feeds linking 480 made-up article pages, 20% of them linked from two feeds
(the same story met by two workers). Each configuration ingests them all from an empty
warehouse with real `newsmon run` processes (no Prefect; each with its default extraction
pool, one process per core):

* one process on a DuckDB file, every feed;
* 1, 2 and 4 workers (``NEWSMON_SHARD=K/N``) on a DuckLake catalogued in a real
  PostgreSQL (Debian's server on a loopback port, :mod:`evaluation.postgres`), started
  together.

Reported: wall time until the last process ends, articles per second, the articles stored
(each story once: the goal is all 480, none twice), and the time writers waited for the
lake's writer lock (summed from ``--debug`` lines; waits under 50 ms are not logged).
Politeness is off here (``min_host_gap_s = 0``): this measures the pipeline, not the gap.

Run: ``python -m bench.scaling`` (``--quick``: 120 pages).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evaluation.hostserver import Hosts
from evaluation.pages import made_up_article
from evaluation.rows import Row

HOSTS = 8
FEEDS = 40
SHARED = 0.2
SEED = 11


def site_process(pages: int, addresses: Any, stop: Any) -> None:
    """The feeds and pages; feed f lists its own pages and, for 20%, a neighbour's."""
    rng = random.Random(SEED)
    bodies = {n: made_up_article(rng, f"Report {n}").encode() for n in range(pages)}
    per_feed = pages // FEEDS
    hosts: list[str] = []

    def answer(host: str, path: str, _headers: Mapping[str, str]
               ) -> tuple[int, dict[str, str], bytes]:
        if path.startswith("/story/"):
            n = int(path.rsplit("/", 1)[1])
            return 200, {"Content-Type": "text/html; charset=utf-8"}, bodies[n]
        if path.startswith("/feed/"):
            f = int(path.rsplit("/", 1)[1].removesuffix(".xml"))
            own = list(range(f * per_feed, (f + 1) * per_feed))
            nxt = (f + 1) % FEEDS
            shared = [n for n in range(nxt * per_feed, (nxt + 1) * per_feed)
                      if n % int(1 / SHARED) == 0]
            items = "".join(
                f"<item><title>Report {n}</title><link>http://{hosts[n % HOSTS]}/story/{n}"
                f"</link></item>" for n in own + shared)
            doc = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>feed {f}'
                   f"</title>{items}</channel></rss>")
            return 200, {"Content-Type": "application/rss+xml"}, doc.encode()
        return 404, {}, b"not found"

    served = Hosts(HOSTS, answer, block=2)
    hosts.extend(served.addresses)
    addresses.put(served.addresses)
    stop.wait()
    served.close()


WAITED = re.compile(r"waited ([0-9.]+) s for the writer lock")


def ingest(workers: int, db: str, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, seconds waited for the writer lock) for ``workers`` processes."""
    newsmon = str(Path(sys.executable).parent / "newsmon")
    started = time.perf_counter()
    procs = []
    for k in range(workers):
        shard = {"NEWSMON_SHARD": f"{k}/{workers}"} if db.startswith("postgresql") else {}
        procs.append(subprocess.Popen([newsmon, "--debug", "run"],
                                      env={**env, "NEWSMON_DB": db, **shard},
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                      text=True))
    waited = 0.0
    for proc in procs:
        _out, err = proc.communicate()
        if proc.returncode:
            raise RuntimeError(f"newsmon run failed: {err.strip().splitlines()[-1:]}")
        waited += sum(float(m.group(1)) for m in WAITED.finditer(err))
    return time.perf_counter() - started, waited


def run(quick: bool = False) -> list[Row]:
    from evaluation import postgres
    from warehouse import Warehouse

    pages = 120 if quick else 480
    context = multiprocessing.get_context("spawn")
    addresses, stop = context.Queue(), context.Event()
    site = context.Process(target=site_process, args=(pages, addresses, stop))
    site.start()
    hosts = addresses.get(timeout=60)
    rows: list[Row] = []
    name = f"scaling / {pages} pages from {FEEDS} feeds, {SHARED:.0%} in two feeds"
    try:
        with tempfile.TemporaryDirectory(prefix="newsmon-bench-scaling-") as tmp, \
                postgres.running() as server:
            root = Path(tmp)
            config = root / "newsmon.toml"
            config.write_text(
                "".join(f'[[feeds]]\nurl = "http://{hosts[f % HOSTS]}/feed/{f}.xml"\n\n'
                        for f in range(FEEDS))
                + "[network]\nmin_host_gap_s = 0\nmax_per_host = 8\n", encoding="utf-8")
            env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
            env.update({"NEWSMON_CONFIG": str(config), "NEWSMON_ALLOW_PRIVATE_NETWORKS": "1",
                        "NEWSMON_PREFECT": "never", "NEWSMON_BATCH_SIZE": "40",
                        "NEWSMON_LAKE_DATA": str(root / "lake-data")})
            file_db = str(root / "file.duckdb")
            base_s, _ = ingest(1, file_db, {**env, "NEWSMON_SEARCH_INDEX": str(root / "s0")})
            stored = Warehouse(file_db).query("SELECT count(*) FROM articles").rows[0][0]
            rows.append(Row(name, "one process, DuckDB file", f"{pages / base_s:.1f} articles/s",
                            note=f"{base_s:.1f} s; {stored} stored"))
            for workers in (1, 2, 4):
                url = server.create_database(f"lake{workers}")
                seconds, waited = ingest(
                    workers, url, {**env, "NEWSMON_SEARCH_INDEX": str(root / f"s{workers}"),
                                   "NEWSMON_LAKE_DATA": str(root / f"lake{workers}")})
                lake = Warehouse(url, data_path=root / f"lake{workers}")
                total, distinct = lake.query(
                    "SELECT count(*), count(DISTINCT url) FROM articles").rows[0]
                rows.append(Row(
                    name, f"{workers} worker{'s' if workers > 1 else ''}, PostgreSQL lake",
                    f"{pages / seconds:.1f} articles/s",
                    baseline=f"{pages / base_s:.1f} articles/s (one process, file)",
                    goal=f"{pages} stored, none twice",
                    met=total == distinct == pages,
                    note=f"{seconds:.1f} s ({base_s / seconds:.2f}x the file); {total} stored, "
                         f"{distinct} distinct; {waited:.1f} s waited for the writer lock "
                         "in all"))
    finally:
        stop.set()
        site.join(timeout=60)
    return rows


def main() -> None:
    for row in run(quick="--quick" in sys.argv):
        print(row)


if __name__ == "__main__":
    main()
