"""``python -m bench``: run every benchmark, print one table, write ``docs/benchmarks.md``.

Each ``bench/<name>.py`` that exists is run (modules another stage has not written yet
are skipped and listed): ``run()`` gives rows; a module without ``run()`` is run as
``python -m bench.<name>`` and its output quoted. A benchmark that fails is reported as
failed and the others still run. The report starts with the machine, the date and the
versions, since every figure depends on them; speeds are ratios measured in the same run.

Everything in ``docs/benchmarks.md`` above the notes marker is regenerated; the
hand-written notes below it are kept. ``--only`` replaces just the sections it runs, each
stamped with its date (:mod:`evaluation.report`).

Options: ``--quick`` (smaller inputs, for a smoke run), ``--only a,b``, ``--no-write``.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import platform
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from evaluation.report import ANCHORS_HEADING, merge_sections
from evaluation.rows import Row

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "benchmarks.md"
NOTES_MARKER = "<!-- notes below are hand-written and kept by `python -m bench` -->"
#: In report order; the first three are the benchmark issue's own, the others belong to
#: their stages and are included when present.
MODULES = [
    "extraction", "metadata", "throughput", "warehouse", "tagging", "feeds", "spikes", "search",
    "stories", "web", "polling", "scaling", "archives",
]
VERSIONS = [
    "trafilatura", "htmldate", "dateparser", "lxml", "py3langid", "duckdb",
    "prefect", "feedparser", "pyahocorasick", "tantivy",
]

_ANCHOR_ROWS = [
    (
        "article-extraction-benchmark, 181 pages, body F1 (4-token shingles)",
        "trafilatura 2.0.0: F1 0.958 ± 0.006, P 0.938, R 0.978, accuracy 0.293; "
        "go-trafilatura 0.960; newspaper4k 0.949; readability.js 0.947",
        "scrapinghub/article-extraction-benchmark README; its `evaluate.py` is the method "
        "`evaluation/extraction.py` re-implements",
    ),
    (
        "trafilatura-eval, 990 pages, segment F1",
        "trafilatura 2.2.0 standard: F1 0.924 (P 0.906, R 0.943); precision 0.920; fast 0.918; "
        "the corpus' pinned CI floors: 0.9253 standard, 0.9195 fast",
        "trafilatura `docs/evaluation.rst` (2026-08-04), `tests/eval_baseline.json`",
    ),
    (
        "fundus (175 pages) and trafilatura-eval (848 pages with metadata): title, date, authors",
        "none published for these pages: bare trafilatura and htmldate's extensive search "
        "are measured beside newsmon instead",
        "flairNLP/fundus test data; trafilatura `tests/evaldata.json`",
    ),
    (
        "L3S-GN1 (621 pages of 2008, optional checkout): headline, full text; byline, day "
        "and topics read for newsmon",
        "none comparable: the paper scores boilerpipe's text-block classification, not "
        "extracted text; bare trafilatura and htmldate are measured beside newsmon instead",
        "Kohlschütter, Fankhauser, Nejdl, WSDM 2010; geodrome/page-signal",
    ),
]
ANCHORS = "\n".join(
    [
        ANCHORS_HEADING,
        "",
        "| benchmark | published figure | source |",
        "|---|---|---|",
        *(f"| {a} | {b} | {c} |" for a, b, c in _ANCHOR_ROWS),
        "",
    ]
)


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        memory = "RAM unknown"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"- machine: {cpu}, {os.cpu_count()} cores, {memory}, {platform.system()} "
        f"{platform.release()}",
        f"- load average when the run started: {load} (the machine was shared; speeds are "
        "ratios against a baseline measured in the same run)",
        f"- Python {platform.python_version()}",
    ]


def versions() -> str:
    found = []
    for name in ["newsmon", *VERSIONS]:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return "- versions: " + ", ".join(found)


def _rows(result: Any) -> list[Row]:
    rows = []
    for item in result or []:
        if isinstance(item, Row):
            rows.append(item)
        elif isinstance(item, dict):
            rows.append(Row(**{k: v for k, v in item.items() if k in Row.__dataclass_fields__}))
        else:
            rows.append(Row(str(item), "", ""))
    return rows


def run_module(name: str, quick: bool) -> tuple[list[Row], str]:
    """(rows, verbatim output) of one benchmark module; raises ImportError when absent."""
    if not (ROOT / "bench" / f"{name}.py").exists():
        raise ModuleNotFoundError(f"no bench/{name}.py", name=name)
    module = importlib.import_module(f"bench.{name}")
    run = getattr(module, "run", None)
    if callable(run):
        kwargs = {"quick": True} if quick and "quick" in inspect.signature(run).parameters else {}
        return _rows(run(**kwargs)), ""
    args = [sys.executable, "-m", f"bench.{name}", *(["--quick"] if quick else [])]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    failed = f"\n(exit {done.returncode})\n{done.stderr}" if done.returncode else ""
    return [], done.stdout + failed


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| benchmark | metric | newsmon | bare library, same run | goal | met | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        anchor = f" Published: {r.anchor}." if r.anchor else ""
        lines.append(
            f"| {_cell(r.benchmark)} | {_cell(r.metric)} | {_cell(r.ours)} | "
            f"{_cell(r.baseline)} | {_cell(r.goal)} | {met} | {_cell(r.note + anchor)} |"
        )
    return lines


def section(name: str, rows: list[Row], verbatim: str, heading_note: str) -> list[str]:
    out = [f"## {name} ({heading_note})", ""]
    if rows:
        out += table(rows)
    if verbatim:
        out += ["```", verbatim.rstrip(), "```"]
    out.append("")
    return out


def report(sections: list[tuple[str, list[Row], str, float]], skipped: list[str],
           header: list[str]) -> str:
    out = [
        "# Benchmarks",
        "",
        "Generated by `python -m bench` (one command; ~20 min on 2 cores). Quality gates",
        "that run in the test suite pin floors a little under these figures",
        "(`tests/extractors/test_extraction_quality_gate.py`, the tagging gate).",
        "",
        *header,
        "",
    ]
    for name, rows, verbatim, seconds in sections:
        out += section(name, rows, verbatim, f"{seconds:.0f} s")
    if skipped:
        out += [f"Not run (module not written yet): {', '.join(skipped)}.", ""]
    out += [ANCHORS, NOTES_MARKER, ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="run newsmon's benchmarks")
    parser.add_argument("--quick", action="store_true", help="smaller inputs (smoke run)")
    parser.add_argument("--only", help="comma-separated module names, e.g. extraction,warehouse")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else MODULES
    quick = " (--quick run: smaller inputs)" if args.quick else ""
    header = [
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC{quick}",
        *machine(),
        versions(),
    ]
    sections: list[tuple[str, list[Row], str, float]] = []
    skipped: list[str] = []
    for name in names:
        started = time.perf_counter()
        print(f"== {name}", file=sys.stderr, flush=True)
        try:
            rows, verbatim = run_module(name, args.quick)
        except ModuleNotFoundError as exc:
            if exc.name in (name, f"bench.{name}"):
                skipped.append(name)
                continue
            rows, verbatim = [], f"failed: {traceback.format_exc()}"
        except Exception:
            rows, verbatim = [], f"failed: {traceback.format_exc()}"
        seconds = time.perf_counter() - started
        sections.append((name, rows, verbatim, seconds))
        for line in table(rows):
            print(line)
        if verbatim:
            print(verbatim)
    if args.no_write:
        return
    existing = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    if args.only and NOTES_MARKER in existing:
        # a partial run: its sections, stamped with this run's date; the rest as it was
        stamp = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC{quick}"
        generated, notes = existing.split(NOTES_MARKER, 1)
        text = merge_sections(generated, [
            (name, "\n".join(section(name, rows, verbatim, f"{seconds:.0f} s, run alone "
                                                             f"{stamp}")))
            for name, rows, verbatim, seconds in sections]) + NOTES_MARKER + notes
    else:
        notes = existing.split(NOTES_MARKER, 1)[1].lstrip("\n") if NOTES_MARKER in existing else ""
        text = report(sections, skipped, header) + notes
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")
    print(f"wrote {REPORT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
