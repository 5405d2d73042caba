"""``newsmon export`` as a user runs it: the seeds in a real warehouse, out to real files
in each format, read back with DuckDB and the standard library."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from newsmon import cycle
from newsmon.core.settings import Settings
from tests.conftest import ROOT, read_cli

SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "seeds.duckdb"
    cycle.run_cycle(Settings(db=path), [SEEDS], "run")
    return path


def stored(db: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_parquet_keeps_every_article_with_nested_tags_and_evidence(
    seeds_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "all.parquet"
    done = read_cli("--db", str(seeds_db), "export", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "exported 5 articles" in done.stderr
    with duckdb.connect() as con:
        rows = con.execute(
            f"SELECT article_id, text, topics, entities, origin FROM '{out}' ORDER BY article_id"
        ).fetchall()
    texts = dict(stored(seeds_db, "SELECT article_id, text FROM articles"))
    assert {r[0]: r[1] for r in rows} == texts
    tags = stored(seeds_db, "SELECT article_id, topic, evidence FROM article_topics")
    exported = {(r[0], t["topic"]): t["evidence"] for r in rows for t in r[2]}
    assert tags and {(a, t) for a, t, _ in tags} == set(exported)
    for article_id, topic, evidence in tags:  # evidence spans point into the exported text
        for span in json.loads(exported[(article_id, topic)]):
            source = texts[article_id] if span.get("field", "text") == "text" else None
            if source is not None:
                assert source[span["start"]:span["end"]] == span["text"]
        assert json.loads(exported[(article_id, topic)]) == json.loads(str(evidence))
    assert all(any(e["entity"] == "kim_jong_un" for e in r[3]) for r in rows)
    for article_id, _, _, entities, _ in rows:  # and an entity's, one item per mention
        for entity in entities:
            spans = json.loads(entity["evidence"])
            assert len(spans) == entity["mentions"]
            assert all(texts[article_id][s["start"]:s["end"]] == s["text"]
                       for s in spans if s["field"] == "text")
    assert all(Path(str(r[4])).parent == SEEDS for r in rows)  # the file each was read from


def test_filters_and_csv_and_json_lines(seeds_db: Path, tmp_path: Path) -> None:
    (topic, expected), *_ = stored(
        seeds_db, "SELECT topic, count(*) FROM article_topics GROUP BY ALL ORDER BY 2, 1")
    out = tmp_path / "one.csv"
    done = read_cli("--db", str(seeds_db), "export", "--topic", topic, "--no-text",
                   "--out", str(out))
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == expected and "text" not in rows[0]
    assert all(topic in {t["topic"] for t in json.loads(r["topics"])} for r in rows)
    out = tmp_path / "none.jsonl"
    done = read_cli("--db", str(seeds_db), "export", "--lang", "en", "--out", str(out))
    assert done.returncode == 0 and "exported 0 articles" in done.stderr
    out = tmp_path / "de.jsonl"
    done = read_cli("--db", str(seeds_db), "export", "--lang", "de", "--since", "2023-01-01",
                   "--until", "2024-01-01", str(out))  # the file as an argument, not --out
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # seeds dated only to the month happened when they were read (article_times)
    in_2023 = stored(seeds_db, "SELECT article_id FROM article_times "
                               "WHERE event_at >= '2023-01-01' AND event_at < '2024-01-01'")
    assert done.returncode == 0 and 0 < len(lines) == len(in_2023) < 5
    assert {line["article_id"] for line in lines} == {a for (a,) in in_2023}
    assert all(isinstance(line["topics"], list) and line["language"] == "de" for line in lines)


#: Pages whose export read back was another article: a headline cut at its kicker (ZDF,
#: BBC, Gamestar), a writer or a day read anew from the text (Börsen-Zeitung, Die
#: Tagespost, battery-news, zoll.de, love-hina.ch).
ROUND_TRIP_PAGES = (
    "fundus/test_data/de/ZDF_2024_04_22.html.gz", "fundus/test_data/uk/BBC_2024_08_01.html.gz",
    "fundus/test_data/de/Gamestar_2024_04_28.html.gz",
    "fundus/test_data/de/BoersenZeitung_2024_12_16.html.gz",
    "fundus/test_data/ch/NZZ_2024_07_18.html.gz",  # marked not free to read
    "trafilatura-eval/eval/die-tagespost.de.Demut.html.gz",
    "trafilatura-eval/eval/battery-news.de.ultium-cells.html.gz",
    "trafilatura-eval/eval/zoll.de-Tabaksteuer.html.gz",
    "trafilatura-eval/cache/love-hina.ch.0409.html.gz",
)
KEPT = ("title", "author", "agencies", "source", "published_at", "published_precision",
        "language", "content_hash", "paywalled")


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_an_export_read_back_is_the_same_articles(
    shared: Path, tmp_path: Path, suffix: str
) -> None:
    """A colleague's ``newsmon ingest`` of an analyst's export: what the export states of
    each article is what it was, not a new guess from its text."""
    first, second = tmp_path / "first.duckdb", tmp_path / "second.duckdb"
    pages = [shared / "corpora" / page for page in ROUND_TRIP_PAGES]
    cycle.run_cycle(Settings(db=first), [*pages, SEEDS], "ingest")
    out = tmp_path / f"all{suffix}"
    assert read_cli("--db", str(first), "export", str(out)).returncode == 0
    summary = cycle.run_cycle(Settings(db=second), [out], "ingest")
    columns = ", ".join(KEPT)
    query = f"SELECT article_id, {columns} FROM articles ORDER BY article_id"
    before, after = stored(first, query), stored(second, query)
    assert summary.added == len(before) == len(pages) + 5
    assert after == before
    assert {row[-1] for row in before} == {True, False, None}  # paywalled: each kind


def test_bad_arguments_are_one_line_errors_and_leave_no_file(
    seeds_db: Path, tmp_path: Path
) -> None:
    for args, expected in [
        (("--out", str(tmp_path / "x.xlsx")), "x.xlsx: cannot tell the format from the suffix"),
        (("--out", str(tmp_path / "missing" / "x.csv")), "the folder"),
        (("--topic", "sanction", "--out", str(tmp_path / "x.csv")), "--topic sanction: no such"),
        (("--since", "yesterday", "--out", str(tmp_path / "x.csv")), "--since 'yesterday'"),
    ]:
        done = read_cli("--db", str(seeds_db), "export", *args)
        assert done.returncode == 1, args
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], (args, lines)
    for args, expected in [
        ((), "no file to write: give it as --out FILE"),
        ((str(tmp_path / "a.csv"), "--out", str(tmp_path / "b.csv")), "two files to write"),
    ]:
        done = read_cli("--db", str(seeds_db), "export", *args)
        assert done.returncode == 2, args  # usage errors, as click's own
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], (args, lines)
    assert list(tmp_path.iterdir()) == []
