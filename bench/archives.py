"""Memory of ``newsmon ingest`` over one large web archive (streamed a record at a time)
beside the same pages as files, and a JSON Lines archive of their articles (read whole
under the file size limit, in parts over it), each at two sizes, in one run; and the
articles of a larger archive over the limit, as JSON Lines, one JSON array, and exported
as CSV and Parquet, each read in parts and (the limit raised) whole.

The pages are the 175 real news pages of ``../shared/corpora/fundus``, repeated under
distinct addresses to make the larger inputs. Each ingest is a subprocess into its own
warehouse (``NEWSMON_PREFECT=never``), its process tree's peak memory (PSS) sampled from
/proc. The goal: a web archive costs no more than a folder of its pages (which the
pipeline reads one file at a time); absolute megabytes depend on the machine.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from bench.throughput import TreeMemory, newsmon_ingest
from evaluation.rows import Row

ROOT = Path(__file__).resolve().parents[1]
FUNDUS = ROOT.parent / "shared" / "corpora" / "fundus"
#: the larger file holds this many times the smaller one's pages
GROWTH = 8
#: a web archive streamed may cost this much more memory than the same pages as files
GOAL_VERSUS_FILES = 1.2
#: the JSON Lines archive read in parts holds this many times the small file's articles
PARTS_GROWTH = 32
#: read in parts of the limit, it may take at most this share of the memory read whole takes
GOAL_PARTS_VERSUS_WHOLE = 0.8


def fundus_pages() -> list[tuple[str, bytes]]:
    with (FUNDUS / "manifest.tsv").open(encoding="utf-8") as handle:
        return [(row["url"], gzip.decompress((FUNDUS / row["html_path"]).read_bytes()))
                for row in csv.DictReader(handle, delimiter="\t")]


def copies(pages: list[tuple[str, bytes]], times: int) -> Iterator[tuple[str, bytes]]:
    """The pages ``times`` over, each copy under its own address."""
    for copy in range(times):
        for url, body in pages:
            yield (url if copy == 0 else f"{url}{'&' if '?' in url else '?'}copy={copy}", body)


def write_warc(path: Path, pages: Iterator[tuple[str, bytes]]) -> int:
    from extractors.warc import PageArchive

    archive = PageArchive(path, software="newsmon bench")
    for url, body in pages:
        archive.add(url, 200, {"Content-Type": "text/html; charset=utf-8"}, body,
                    datetime(2025, 6, 1))
    archive.close()
    return archive.pages


def ingest(path: Path, db: Path) -> tuple[float, str, TreeMemory]:
    """``newsmon ingest`` of ``path`` without Prefect, and its process tree's peak memory."""
    seconds, line, memory = newsmon_ingest(path, db, None, memory=True)
    assert memory is not None
    return seconds, line, memory


def export(db: Path, out: Path) -> None:
    """``newsmon export`` of the warehouse ``db`` to ``out``, in the format of its suffix."""
    subprocess.run([sys.executable, "-m", "newsmon", "--db", str(db), "export", "--out",
                    str(out)], check=True, capture_output=True, cwd=ROOT,
                   env={**os.environ, "NEWSMON_PREFECT": "never"})


def export_jsonl(db: Path, out: Path) -> list[dict[str, object]]:
    export(db, out)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def write_jsonl(path: Path, records: list[dict[str, object]], times: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for copy in range(times):
            for record in records:
                url = str(record["url"])
                moved = url if copy == 0 else f"{url}{'&' if '?' in url else '?'}copy={copy}"
                # each copy's text its own (a Parquet file would keep one text for all)
                text = f"{record['text']}\n\n({copy})" if copy and record.get("text") else (
                    record.get("text"))
                handle.write(json.dumps({**record, "url": moved, "text": text},
                                        ensure_ascii=False) + "\n")


def write_array(path: Path, lines: Path) -> None:
    """The records of the JSON Lines file ``lines`` as one JSON array (a scraper's dump),
    written a line at a time."""
    with lines.open(encoding="utf-8") as source, path.open("w", encoding="utf-8") as out:
        out.write("[\n")
        for number, line in enumerate(line for line in source if line.strip()):
            out.write((",\n" if number else "") + line.strip())
        out.write("\n]\n")


def write_folder(folder: Path, pages: Iterator[tuple[str, bytes]]) -> None:
    """The same pages as files, as a site mirrored with wget leaves them."""
    folder.mkdir()
    for number, (_url, body) in enumerate(pages):
        (folder / f"{number:06d}.html").write_bytes(body)


Peak = tuple[int, float, str, int, int]  # peak, seconds, summary line, input bytes, main's


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.iterdir()) if path.is_dir() else path.stat().st_size


def _measure(work: Path, kind: str, inputs: dict[str, Path]) -> dict[str, Peak]:
    peaks = {}
    for name, path in inputs.items():
        seconds, line, memory = ingest(path, work / f"{kind}-{name}.duckdb")
        peaks[name] = (memory.peak_bytes, seconds, line, _size(path),
                       memory.role_peaks.get("newsmon", 0))
    return peaks


def _parts_and_whole(work: Path, kind: str, path: Path) -> dict[str, Peak]:
    """``path`` ingested at the default file limit (over it: read in parts) and with the
    limit raised above it (read whole)."""
    peaks = _measure(work, kind, {"in parts": path})
    os.environ["NEWSMON_MAX_FILE_BYTES"] = str(2 * path.stat().st_size)
    try:
        return peaks | _measure(work, f"{kind}-whole", {"whole": path})
    finally:
        del os.environ["NEWSMON_MAX_FILE_BYTES"]


def _parts_row(what: str, articles: int, figures: dict[str, Peak], *, goal: bool = True,
               why: str = "") -> Row:
    """``goal`` false: the file is too small beside the process's own memory for the
    ratio to show the reading's (``why`` says so)."""
    versus_whole = figures["in parts"][4] / figures["whole"][4]
    return Row(
        f"archives / {what} of {articles:,} articles over the file limit",
        "peak memory (PSS) of the newsmon process that reads it, read in parts / read "
        "whole", f"{versus_whole:.2f}x", "1.00x (read whole, the limit raised)", "",
        f"<= {GOAL_PARTS_VERSUS_WHOLE}x" if goal else "",
        versus_whole <= GOAL_PARTS_VERSUS_WHOLE if goal else None,
        f"{why}over the default 10 MB limit (NEWSMON_MAX_FILE_BYTES), read in parts; the "
        "whole process tree (the extraction workers' peak comes later, and is the "
        f"same either way): {figures['in parts'][0] / figures['whole'][0]:.2f}x; "
        f"{_detail(figures)}")


def _detail(figures: dict[str, Peak]) -> str:
    return "; ".join(f"{name}: {size / 1e6:.1f} MB in, peak {peak / 1e6:.0f} MB "
                     f"(newsmon's own process {main / 1e6:.0f} MB), {seconds:.0f} s ({line})"
                     for name, (peak, seconds, line, size, main) in figures.items())


def run(quick: bool = False) -> list[Row]:
    if not FUNDUS.is_dir():
        return [Row("archives / memory", "peak memory", "skipped", note=f"needs {FUNDUS}")]
    pages = fundus_pages()
    if quick:
        pages = pages[:40]
    with tempfile.TemporaryDirectory(prefix="newsmon-bench-") as tmp:
        work = Path(tmp)
        sizes = {"small": 1, "large": GROWTH}
        for name, times in sizes.items():
            write_warc(work / f"{name}.warc.gz", copies(pages, times))
            write_folder(work / f"{name}-pages", copies(pages, times))
        warc = _measure(work, "warc", {n: work / f"{n}.warc.gz" for n in sizes})
        files = _measure(work, "files", {n: work / f"{n}-pages" for n in sizes})
        records = export_jsonl(work / "warc-small.duckdb", work / "articles.jsonl")
        for name, times in sizes.items():
            write_jsonl(work / f"{name}.jsonl", records, times)
        # a JSON Lines archive is read whole: held to the file limit, raised for this file
        os.environ["NEWSMON_MAX_FILE_BYTES"] = str(10 * (work / "large.jsonl").stat().st_size)
        try:
            jsonl = _measure(work, "jsonl", {n: work / f"{n}.jsonl" for n in sizes})
        finally:
            del os.environ["NEWSMON_MAX_FILE_BYTES"]
        # an export of a larger warehouse, over the default limit: read in parts of it,
        # and whole (the limit raised) for the comparison
        huge = work / "huge.jsonl"
        write_jsonl(huge, records, PARTS_GROWTH)
        parts = _parts_and_whole(work, "jsonl-parts", huge)
        write_array(work / "huge.json", huge)
        array = _parts_and_whole(work, "json", work / "huge.json")
        # the warehouse it made, exported to a table and to Parquet, each read back so
        tables = {}
        for suffix in (".csv", ".parquet"):
            export(work / "jsonl-parts-in parts.duckdb", work / f"huge{suffix}")
            tables[suffix] = _parts_and_whole(work, suffix[1:], work / f"huge{suffix}")
    n_small, n_large = len(pages), len(pages) * GROWTH
    versus_files = warc["large"][0] / files["large"][0]
    growth = {kind: peaks["large"][0] / peaks["small"][0]
              for kind, peaks in (("warc", warc), ("files", files), ("jsonl", jsonl))}
    note = (f"WARC {_detail(warc)}. Files {_detail(files)}. Pages: the fundus corpus's "
            f"{len(pages)}, copied under distinct addresses (most copies end as duplicates "
            "of the first: the same text)")
    return [
        Row(f"archives / {n_large:,} pages in one web archive",
            "peak memory (PSS) of the process tree, the web archive / the same pages as files",
            f"{versus_files:.2f}x", "1.00x (files)", "", f"<= {GOAL_VERSUS_FILES}x",
            versus_files <= GOAL_VERSUS_FILES, note),
        Row(f"archives / growth, {n_small:,} -> {n_large:,} pages",
            "peak memory, large input / small input",
            f"{growth['warc']:.2f}x (web archive)", f"{growth['files']:.2f}x (files)", "",
            "", None,
            f"the same articles as JSON Lines, read whole: {growth['jsonl']:.2f}x; "
            f"{_detail(jsonl)}"),
        _parts_row("a JSON Lines archive", len(records) * PARTS_GROWTH, parts),
        _parts_row("the same as one JSON array", len(records) * PARTS_GROWTH, array),
        _parts_row("its export as CSV", len(records) * PARTS_GROWTH, tables[".csv"]),
        _parts_row("its export as Parquet", len(records) * PARTS_GROWTH, tables[".parquet"],
                   goal=False, why="no goal: the articles pack to about a quarter of their "
                   "size, so the file just passes the limit and its rows read whole weigh "
                   "little beside the process's own memory; "),
    ]


if __name__ == "__main__":
    for row in run("--quick" in sys.argv):
        print(row)
