"""Throughput of a whole cycle against a bare ``trafilatura.extract`` loop, same pages, same run.

newsmon: ``newsmon.pipeline.run_cycle`` over every real page of the two page corpora
(article-extraction-benchmark, 181, and trafilatura-eval, 990) into a fresh temporary
DuckDB file: read -> extract (worker processes) -> identify, cluster -> append. The
baseline is what someone would write first: one process, for each page read the file,
gunzip, ``trafilatura.extract``. Both run back-to-back in one process, so the ratio
holds even on a busy shared machine where absolute seconds do not.

Also measured:

* overhead: the same per-page work in one process (``process_path``) against the bare
  loop on the same subset; it tells how much of the two-core gain our extra work eats;
* peak memory of the process tree (this process, the forkserver and its workers,
  sampled from /proc every 0.1 s) over a cycle of ``--memory-pages`` pages (real pages
  repeated through symlinks; repeats are stored as duplicates, which is what a re-read
  corpus does too);
* where the time goes: cProfile of the per-page work, grouped by stage.

Run: ``python -m bench.throughput`` (``--quick`` for a small smoke run).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import gzip
import os
import pstats
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from bench import Row

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
GOAL_RATIO = 1.7
GOAL_OVERHEAD = 0.15
GOAL_MEMORY_MB = 600
MEMORY_PAGES = 10_000
PROFILE_PAGES = 250


def real_pages() -> list[Path]:
    """Every real page of the two page corpora (the trafilatura-eval ones its manifest lists)."""
    bench = sorted((CORPORA / "extraction-benchmark" / "html").glob("*.html.gz"))
    evaldir = CORPORA / "trafilatura-eval"
    with (evaldir / "manifest.tsv").open(encoding="utf-8", newline="") as handle:
        evalpages = [evaldir / r["html_path"] for r in csv.DictReader(handle, delimiter="\t")]
    return bench + sorted(evalpages)


# -- the two contenders -----------------------------------------------------------------------


def bare_loop(paths: Sequence[Path]) -> float:
    """Seconds for the single-process baseline: read, gunzip, trafilatura.extract."""
    import trafilatura  # bench code, not the pipeline: the one-importer rule is for newsmon

    started = time.perf_counter()
    for path in paths:
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        trafilatura.extract(data)
    return time.perf_counter() - started


class _TimedSteps:
    """Steps that record how long the parent spends waiting on extraction and on loading."""

    def __init__(self) -> None:
        self.extract_s = 0.0
        self.load_s = 0.0

    def steps(self) -> object:
        from newsmon.pipeline import Loader, Steps, extract_paths

        def extract(batch, settings, pool):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return extract_paths(batch, settings, pool)
            finally:
                self.extract_s += time.perf_counter() - started

        def load(loader, outcomes):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                Loader.load(loader, outcomes)
            finally:
                self.load_s += time.perf_counter() - started

        return Steps(extract=extract, load=load)


def newsmon_cycle(paths: Sequence[Path], workdir: Path, timed: _TimedSteps | None = None) -> tuple[
    float, object
]:
    """Seconds for one ``run_cycle`` over ``paths`` into a fresh warehouse in ``workdir``."""
    from newsmon.core.settings import Settings
    from newsmon.pipeline import run_cycle

    settings = Settings(db=workdir / f"bench-{time.monotonic_ns()}.duckdb")
    steps = timed.steps() if timed else None
    started = time.perf_counter()
    summary = run_cycle(settings, list(paths), trigger="bench", steps=steps)  # type: ignore[arg-type]
    return time.perf_counter() - started, summary


def in_process(paths: Sequence[Path]) -> float:
    """Seconds for newsmon's per-page work (read, extract, identify) in this one process."""
    from newsmon.core.settings import Settings
    from newsmon.pipeline import process_path

    settings = Settings()
    started = time.perf_counter()
    for path in paths:
        process_path(path, max_bytes=settings.max_file_bytes, min_words=settings.min_words)
    return time.perf_counter() - started


def tagging_share(paths: Sequence[Path]) -> float | None:
    """Seconds to tag the texts newsmon extracts from ``paths`` (None: no tagger yet)."""
    try:
        from newsmon.tagging import load_tagger
    except ImportError:
        return None
    from newsmon.core.records import Article
    from newsmon.pipeline import process_path

    articles = [process_path(p, max_bytes=10_000_000, min_words=40) for p in paths]
    texts = [(a.text, a.language) for a in articles if isinstance(a, Article)]
    tagger = load_tagger()
    started = time.perf_counter()
    for text, language in texts:
        tagger.tag(text, language)
    return time.perf_counter() - started


def pipeline_tags() -> bool:
    """Whether run_cycle tags articles itself (the tagging stage may not be wired in yet)."""
    import inspect

    from newsmon import pipeline

    source = inspect.getsource(pipeline)
    return "newsmon.tagging" in source or "tagger" in source.lower()


# -- memory ----------------------------------------------------------------------------------


class TreeMemory:
    """Peak resident memory of this process and all its descendants, sampled from /proc."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE")

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def _pss(self, pid: int) -> int:
        """Proportional set size: shared pages split among the processes sharing them.

        Summing RSS would count the modules and model the forkserver shares with its
        workers once per worker; PSS sums to what the tree really occupies.
        """
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self._page

    def sample(self) -> None:
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
        total, stack = 0, [os.getpid()]
        while stack:
            pid = stack.pop()
            with contextlib.suppress(OSError, IndexError, ValueError):
                total += self._pss(pid)
            stack.extend(children.get(pid, []))
        self.peak_bytes = max(self.peak_bytes, total)


def memory_run(paths: Sequence[Path], n_pages: int, workdir: Path) -> tuple[float, int, float]:
    """(peak MB of the process tree, pages, seconds) for one cycle over ``n_pages`` pages."""
    links = workdir / "pages"
    links.mkdir()
    for i in range(n_pages):
        source = paths[i % len(paths)]
        (links / f"{i:06d}-{source.name}").symlink_to(source)
    with TreeMemory() as mem:
        seconds, _summary = newsmon_cycle([links], workdir)
    return mem.peak_bytes / 1e6, n_pages, seconds


# -- profile ---------------------------------------------------------------------------------

#: (stage, function name, file suffix): cumulative time of these functions, in order.
_STAGES = [
    ("read + gunzip", "read_file", "extractors/files.py"),
    ("trafilatura: main text + metadata", "bare_extraction", "trafilatura/core.py"),
    ("  of which metadata", "extract_metadata", "trafilatura/metadata.py"),
    ("    of which dates (htmldate)", "find_date", "htmldate/core.py"),
    ("  of which full-pass fallback", "_fuller", "extractors/html.py"),
    ("HTML parse (load_html)", "load_html", "trafilatura/utils.py"),
    ("stated publication time", "_stated_publication_time", "extractors/html.py"),
    ("article checks", "check_article_text", "extractors/quality.py"),
    ("language id", "detect_language", "extractors/language.py"),
    ("MinHash signature", "signature", "newsmon/clustering.py"),
    ("identity (hash, canonical URL)", "content_hash", "newsmon/identity.py"),
]


def profile(paths: Sequence[Path]) -> list[tuple[str, float]]:
    """Share of the per-page work spent in each stage (cProfile, one process)."""
    from newsmon.pipeline import process_path

    profiler = cProfile.Profile()
    profiler.enable()
    for path in paths:
        process_path(path, max_bytes=10_000_000, min_words=40)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(tt for (_cc, _nc, tt, _ct, _callers) in stats.values())
    shares = []
    for stage, func, suffix in _STAGES:
        cumulative = sum(
            ct
            for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.items()
            if name == func and filename.replace("\\", "/").endswith(suffix)
        )
        shares.append((stage, cumulative / total if total else 0.0))
    return shares


# -- the benchmark ---------------------------------------------------------------------------


def run(quick: bool = False, memory_pages: int = MEMORY_PAGES) -> list[Row]:
    paths = real_pages()
    if quick:
        paths = paths[::10]
        memory_pages = 500
    rows: list[Row] = []
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="newsmon-bench-") as tmp:
        workdir = Path(tmp)
        bare_loop(paths[:20])  # warm imports and caches for both sides alike
        bare_s = bare_loop(paths)
        timed = _TimedSteps()
        ours_s, summary = newsmon_cycle(paths, workdir, timed)
        bare_s2 = bare_loop(paths)  # again after: a load change on the shared machine shows up
        bare_mean = (bare_s + bare_s2) / 2
        ratio = bare_mean / ours_s
        name = f"throughput / {len(paths)} real pages, {cores} cores"
        rows.append(
            Row(
                name,
                "speed-up vs bare trafilatura.extract loop",
                f"{ratio:.2f}x",
                "1.00x",
                "",
                f">= {GOAL_RATIO}x",
                ratio >= GOAL_RATIO,
                f"bare loop {len(paths) / bare_mean:.0f} pages/s (runs {bare_s:.1f} s, "
                f"{bare_s2:.1f} s), newsmon {len(paths) / ours_s:.0f} pages/s; "
                f"{summary.added} added, {summary.rejected} rejected; "  # type: ignore[attr-defined]
                f"parent waited {timed.extract_s:.1f} s on extraction, {timed.load_s:.1f} s "
                f"loading; tagging {'in' if pipeline_tags() else 'not yet in'} run_cycle",
            )
        )
        subset = paths[:PROFILE_PAGES] if not quick else paths[:40]
        bare_sub = bare_loop(subset)
        ours_sub = in_process(subset)
        overhead = ours_sub / bare_sub - 1
        rows.append(
            Row(
                f"throughput / {len(subset)} pages, one process",
                "per-page work vs bare loop (overhead)",
                f"{overhead:+.0%}",
                "0%",
                "",
                f"<= {GOAL_OVERHEAD:.0%}",
                overhead <= GOAL_OVERHEAD,
                "read, extract (text + metadata + date), checks, language, MinHash, identity",
            )
        )
        tag_s = tagging_share(subset)
        if tag_s is not None:
            rows.append(
                Row(
                    f"throughput / {len(subset)} pages, one process",
                    "tagging time vs bare loop",
                    f"{tag_s / bare_sub:.0%}",
                    note="Tagger.tag over the extracted texts, as a share of the bare loop's time",
                )
            )
        shares = profile(subset)
        rows.append(
            Row(
                f"throughput / profile of {len(subset)} pages",
                "where the time goes",
                "; ".join(f"{stage.strip()} {share:.0%}" for stage, share in shares),
                note="cProfile cumulative shares (nested stages overlap their parents)",
            )
        )
        peak_mb, n, mem_s = memory_run(paths, memory_pages, workdir)
        rows.append(
            Row(
                f"memory / {n} pages ({len(paths)} real pages repeated)",
                "peak memory (PSS) of the process tree",
                f"{peak_mb:.0f} MB",
                "",
                "",
                f"<= {GOAL_MEMORY_MB} MB",
                peak_mb <= GOAL_MEMORY_MB,
                f"parent + forkserver + {cores} workers, sampled every 0.1 s; "
                f"{n / mem_s:.0f} pages/s",
            )
        )
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a tenth of the pages")
    parser.add_argument("--memory-pages", type=int, default=MEMORY_PAGES)
    args = parser.parse_args(argv)
    for row in run(args.quick, args.memory_pages):
        flag = "" if row.met is None else (" ok" if row.met else " SHORT")
        print(f"{row.benchmark}: {row.metric}: {row.ours}{flag}  {row.note}", file=sys.stdout)


if __name__ == "__main__":
    main()
