"""An archive over the file size limit (the export of a large warehouse: JSON Lines, CSV,
Parquet) is read part by part: the same articles as when read whole, its bad records named
by their line in the file, an unchanged file known by its hash and an appended one read for
its new records."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from extractors import files
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from newsmon.pipeline.summary import RunSummary
from newsmon.sources import local_feeds, streamed_archives
from newsmon.sources.feed_plan import FeedPlan
from tests.conftest import read_cli
from tests.newsmon.sources.test_feed_files import FAST, LONG_TEXT, rows

COLUMNS = "url, title, source, published_at, language, text"


def record(n: int) -> str:
    return json.dumps({
        "url": f"https://courier.example/story-{n}", "title": f"Night buses, part {n}",
        "text": f"Part {n}. {LONG_TEXT}\n\nMeasure {n} of the plan. {LONG_TEXT}",
        "published_at": f"2023-09-{n % 28 + 1:02d}T10:05:00+02:00", "source": "Valley Courier",
        "language": "en"})


def ingest(db: Path, archive: Path, limit: int) -> RunSummary:
    return run_cycle(Settings(db=db, max_file_bytes=limit), [archive], "ingest",
                     feeds=FeedPlan((), FAST, True, max_file_bytes=limit))


def test_an_archive_over_the_limit_is_read_in_parts_as_it_would_be_whole(
    tmp_path: Path
) -> None:
    lines = [record(n) for n in range(1, 25)]
    lines[9] = "{broken"  # line 10
    overlong = json.loads(record(20))
    overlong["text"] = "\n\n".join([LONG_TEXT] * 40)
    lines[19] = json.dumps(overlong)  # line 20: longer than a part
    archive = tmp_path / "export.jsonl"
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    part = 4 * len(record(1))  # parts of about four records; the file holds some twenty
    assert archive.stat().st_size > 5 * part and len(lines[19]) > part

    whole = ingest(tmp_path / "whole.duckdb", archive, archive.stat().st_size)
    parts = ingest(tmp_path / "parts.duckdb", archive, part)
    assert (whole.added, parts.added) == (23, 22)
    expected = [r for r in rows(tmp_path / "whole.duckdb", f"SELECT {COLUMNS} FROM articles")
                if r[0] != "https://courier.example/story-20"]
    assert sorted(rows(tmp_path / "parts.duckdb", f"SELECT {COLUMNS} FROM articles")) == sorted(
        expected)
    (error, entries), = rows(tmp_path / "parts.duckdb",
                             "SELECT last_error, entries_last_poll FROM feeds")
    assert "line 10: not JSON" in error and f"line 20: over {part:,} bytes, not read" in error
    assert entries == 22  # what `newsmon feeds` shows, though the poll held none of them

    # read again: unchanged, by its hash, without a record read
    again = ingest(tmp_path / "parts.duckdb", archive, part)
    assert (again.inputs, again.added) == (0, 0)
    # two records appended: only they are read into articles
    with archive.open("a", encoding="utf-8") as handle:
        handle.write(record(25) + "\n" + record(26) + "\n")
    grown = ingest(tmp_path / "parts.duckdb", archive, part)
    assert (grown.inputs, grown.added) == (2, 2)
    assert rows(tmp_path / "parts.duckdb", "SELECT count(*) FROM articles") == [(24,)]


def test_a_gzipped_archive_over_the_limit_is_read_in_parts_and_a_cut_one_keeps_its_start(
    tmp_path: Path
) -> None:
    noise = random.Random(7)  # words that do not compress away: the file is large packed too
    records = [json.loads(record(n)) for n in range(1, 31)]
    for r in records:
        r["text"] += "\n\n" + " ".join(f"{noise.getrandbits(40):x}" for _ in range(150))
    body = "".join(json.dumps(r) + "\n" for r in records).encode()
    packed = tmp_path / "export.jsonl.gz"
    packed.write_bytes(gzip.compress(body))
    part = 6 * len(body) // 30
    assert packed.stat().st_size > 2 * part
    assert ingest(tmp_path / "a.duckdb", packed, part).added == 30

    # a download cut off: the records before the cut are stored, the cut is named
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(packed.read_bytes()[: packed.stat().st_size // 2])
    done = ingest(tmp_path / "b.duckdb", cut, part)
    assert 0 < done.added < 30
    (error,) = rows(tmp_path / "b.duckdb", "SELECT last_error FROM feeds")[0]
    assert "reading stopped after line" in error


def test_an_archive_over_the_limit_without_one_record_is_a_reject_naming_it(
    tmp_path: Path
) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n" * 200, encoding="utf-8")
    db = tmp_path / "a.duckdb"
    done = ingest(db, broken, 500)
    assert (done.added, done.rejected) == (0, 1)
    ((name, why, detail),) = rows(db, "SELECT input, reason, detail FROM rejects")
    assert (name, why) == (str(broken), "not_a_feed")
    assert detail.startswith("an article archive (jsonl) without a record that has a link or "
                             "text: 50 records could not be read (line 1: not JSON")
    assert detail.count("without a record") == 1 and "line 51: not JSON" in detail
    # a gzipped one cut before its first line ends: unreadable, and said so
    cut = tmp_path / "cut.jsonl.gz"
    rng = random.Random(3)
    noise = " ".join(f"{rng.getrandbits(40):x}" for _ in range(400))
    cut.write_bytes(gzip.compress(json.dumps({"text": noise}).encode() + b"\n")[:200])
    db = tmp_path / "b.duckdb"
    assert ingest(db, cut, 100).rejected == 1
    ((name, why, detail),) = rows(db, "SELECT input, reason, detail FROM rejects")
    assert (name, why) == (str(cut), "unreadable") and detail.startswith("reading stopped")


def test_an_export_over_the_limit_reads_back_in_parts_in_each_format(tmp_path: Path) -> None:
    source = tmp_path / "export.jsonl"
    source.write_text("".join(record(n) + "\n" for n in range(1, 21)), encoding="utf-8")
    db = tmp_path / "a.duckdb"
    assert ingest(db, source, 10_000_000).added == 20
    stored = sorted(rows(db, f"SELECT {COLUMNS} FROM articles"))
    for suffix in (".jsonl", ".csv", ".parquet"):
        out = tmp_path / f"out{suffix}"
        done = read_cli("--db", str(db), "export", "--out", str(out))
        assert done.returncode == 0, done.stderr
        limit = out.stat().st_size // 4
        back = tmp_path / f"back{suffix}.duckdb"
        assert ingest(back, out, limit).added == 20, suffix
        assert sorted(rows(back, f"SELECT {COLUMNS} FROM articles")) == stored, suffix
        (error, entries), = rows(back, "SELECT last_error, entries_last_poll FROM feeds")
        assert (error, entries) == (None, 20), suffix
        again = ingest(back, out, limit)  # unchanged: known by its hash, nothing read
        assert (again.inputs, again.added) == (0, 0), suffix


def test_a_table_over_the_limit_is_read_as_a_stream_its_bad_records_named_by_line(
    tmp_path: Path
) -> None:
    header = "url;titel;text;autor\r\n"  # as German Excel saves a sheet: semicolons, cp1252
    body = ("Der Gemeinderat beschloss, das Nachtbusnetz im Tal auszubauen, nachdem "
            "Schichtarbeiter ein Jahr lang über fehlende Verbindungen geklagt hatten. "
            "Die Fahrpreise bleiben gleich, während vier Linien hinzukommen; die "
            "Straßenbahn fährt künftig öfter und länger in die Nacht.")
    lines = [f'https://zeitung.example/{n};"Nachtbusse, Teil {n}";"{body}\r\n\r\n'
             f'Absatz {n}: {body}";Jana Schütz\r\n' for n in range(1, 31)]
    lines[11] = "https://zeitung.example/12;a;b;c;d\r\n"  # a cell too many
    table = tmp_path / "artikel.csv"
    table.write_bytes((header + "".join(lines)).encode("cp1252"))
    part = table.stat().st_size // 6
    whole = ingest(tmp_path / "whole.duckdb", table, table.stat().st_size)
    parts = ingest(tmp_path / "parts.duckdb", table, part)
    assert (whole.added, parts.added) == (29, 29)
    assert sorted(rows(tmp_path / "parts.duckdb", f"SELECT {COLUMNS}, author FROM articles")
                  ) == sorted(rows(tmp_path / "whole.duckdb",
                                   f"SELECT {COLUMNS}, author FROM articles"))
    (error,), = rows(tmp_path / "parts.duckdb", "SELECT last_error FROM feeds")
    # a header, then eleven records of three lines each before it
    assert "line 35: more cells than the header's 4 columns" in error

    # a table without a header whose one column is prose (10kGNAD's layout), over the limit
    desk = tmp_path / "desk.csv"
    desk.write_text("".join(f"International;'Teil {n}. {body} {body}'\n" for n in range(1, 41)),
                    encoding="utf-8")
    done = ingest(tmp_path / "desk.duckdb", desk, desk.stat().st_size // 5)
    assert done.added == 40
    assert rows(tmp_path / "desk.duckdb", "SELECT count(*) FROM articles WHERE text LIKE "
                "'Teil %' AND title LIKE 'Teil %'") == [(40,)]


def test_a_parquet_archive_over_its_row_cap_is_read_in_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "export.jsonl"
    source.write_text("".join(record(n) + "\n" for n in range(1, 31)), encoding="utf-8")
    db = tmp_path / "a.duckdb"
    assert ingest(db, source, 10_000_000).added == 30
    out = tmp_path / "out.parquet"
    assert read_cli("--db", str(db), "export", "--out", str(out)).returncode == 0
    monkeypatch.setattr(local_feeds, "MAX_PARQUET_ROWS", 7)  # a file of 30 rows is over it
    monkeypatch.setattr(streamed_archives, "PARQUET_ROWS", 4)
    back = tmp_path / "b.duckdb"
    assert ingest(back, out, 10_000_000).added == 30
    assert sorted(rows(back, f"SELECT {COLUMNS} FROM articles")) == sorted(
        rows(db, f"SELECT {COLUMNS} FROM articles"))
    # a damaged file: a reject naming it, the run goes on
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(out.read_bytes()[:200] + b"\0" * 100 + out.read_bytes()[300:])
    done = ingest(tmp_path / "c.duckdb", broken, 1_000)
    assert (done.added, done.rejected) == (0, 1)
    ((name, why, detail),) = rows(tmp_path / "c.duckdb",
                                  "SELECT input, reason, detail FROM rejects")
    assert (name, why) == (str(broken), "unreadable") and "Parquet" in detail


def test_a_json_document_over_the_limit_is_read_item_by_item_wrapped_or_not(
    tmp_path: Path
) -> None:
    records = [json.loads(record(n)) for n in range(1, 21)]
    array = tmp_path / "articles.json"
    array.write_text(json.dumps(records, indent=2, ensure_ascii=False), encoding="utf-8")
    limit = array.stat().st_size // 5
    whole = ingest(tmp_path / "whole.duckdb", array, array.stat().st_size)
    parts = ingest(tmp_path / "parts.duckdb", array, limit)
    assert (whole.added, parts.added) == (20, 20)
    assert sorted(rows(tmp_path / "parts.duckdb", f"SELECT {COLUMNS} FROM articles")) == sorted(
        rows(tmp_path / "whole.duckdb", f"SELECT {COLUMNS} FROM articles"))
    again = ingest(tmp_path / "parts.duckdb", array, limit)
    assert (again.inputs, again.added) == (0, 0)
    # an API's answer that wraps its articles in an object: the same articles
    wrapped = tmp_path / "answer.json"
    wrapped.write_text(json.dumps({"status": "ok", "totalResults": 20, "articles": records}),
                       encoding="utf-8")
    assert ingest(tmp_path / "w.duckdb", wrapped, limit).added == 20
    assert sorted(rows(tmp_path / "w.duckdb", f"SELECT {COLUMNS} FROM articles")) == sorted(
        rows(tmp_path / "whole.duckdb", f"SELECT {COLUMNS} FROM articles"))
    # JSON over the limit that holds no articles: a reject naming it, nothing stored
    other = tmp_path / "numbers.json"
    other.write_text(json.dumps({"values": list(range(20_000))}), encoding="utf-8")
    done = ingest(tmp_path / "n.duckdb", other, other.stat().st_size // 3)
    assert (done.added, done.rejected) == (0, 1)
    ((name, why, detail),) = rows(tmp_path / "n.duckdb",
                                  "SELECT input, reason, detail FROM rejects")
    assert (name, why) == (str(other), "unsupported_type"), detail
    # one that breaks off: the articles before the break stored, the break named
    broken = tmp_path / "broken.json"
    broken.write_text(array.read_text(encoding="utf-8")[: array.stat().st_size // 2],
                      encoding="utf-8")
    cut = ingest(tmp_path / "b.duckdb", broken, limit)
    assert 0 < cut.added < 20
    (error,), = rows(tmp_path / "b.duckdb", "SELECT last_error FROM feeds")
    assert f"item {cut.added + 1}: broken JSON" in error


def test_a_json_document_of_one_article_too_big_to_sniff_is_read_or_named_too_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .json file that is one article (``{"url": ..., "text": ...}``) over the size a
    document is parsed whole to tell what it is (8 MB; here 2,000 bytes): within the file
    limit it is that article, as a smaller one is; over the limit it is ``too_large``,
    never ``unsupported_type`` (which said newsmon does not read .json). An API's answer
    that starts with a title is still read for its articles."""
    monkeypatch.setattr(files, "MAX_SNIFFED_JSON", 2_000)
    one = json.loads(record(1))
    one["text"] = " ".join([one["text"]] * 6)
    article = tmp_path / "in" / "article.json"
    article.parent.mkdir()
    article.write_text(json.dumps(one, ensure_ascii=False), encoding="utf-8")
    size = article.stat().st_size
    assert size > 2_000
    done = ingest(tmp_path / "w.duckdb", article.parent, size + 100)
    assert (done.added, done.rejected) == (1, 0)
    assert rows(tmp_path / "w.duckdb", "SELECT url, title FROM articles") == [
        ("https://courier.example/story-1", "Night buses, part 1")]
    over = ingest(tmp_path / "o.duckdb", article, size // 2)
    assert (over.added, over.rejected) == (0, 1)
    assert rows(tmp_path / "o.duckdb", "SELECT reason, detail FROM rejects") == [
        ("too_large", f"one article of {size:,} bytes, over the file size limit "
                      "(NEWSMON_MAX_FILE_BYTES)")]
    answer = tmp_path / "answer.json"
    answer.write_text(json.dumps({"title": "Search results", "articles": [
        json.loads(record(n)) for n in range(1, 6)]}), encoding="utf-8")
    assert ingest(tmp_path / "a.duckdb", answer, answer.stat().st_size // 3).added == 5
