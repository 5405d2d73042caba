"""``newsmon search`` as a user runs it, over a real warehouse and its real index."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest

from newsmon import cycle
from newsmon.core.settings import Settings
from newsmon.search.index import SearchIndex
from newsmon.search.sync import STATE_FILE, index_path
from tests.conftest import ROOT, read_cli

SEEDS = ROOT / "seeds"
ENGLISH = (
    "North Korean leader Kim Jong Un arrived in Russia by armoured train on Tuesday for talks "
    "with President Vladimir Putin. Western governments fear an arms deal that would break "
    "the sanctions imposed on Pyongyang by the United Nations Security Council, and they "
    "warned that any transfer of weapons would be met with new sanctions. The two leaders "
    "met at the Vostochny cosmodrome, where Putin offered help with satellites.\n"
)


@pytest.fixture(scope="module")
def searched_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("search")
    english = folder / "english"
    english.mkdir()
    (english / "kim-in-russia.txt").write_text("Kim arrives in Russia\n\n" + ENGLISH,
                                               encoding="utf-8")
    db = folder / "w.duckdb"
    cycle.run_cycle(Settings(db=db), [SEEDS], "run")
    cycle.run_cycle(Settings(db=db), [english], "ingest")
    return db


def lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_each_cycle_leaves_the_index_current(searched_db: Path) -> None:
    path = index_path(Settings(db=searched_db))
    assert SearchIndex(path).count() == 6  # five seeds and the English article, no search yet
    # a cycle that adds nothing new leaves one document per article
    cycle.run_cycle(Settings(db=searched_db), [SEEDS], "run")
    assert SearchIndex(path).count() == 6


def test_ranked_stemmed_results_with_snippets(searched_db: Path) -> None:
    done = read_cli("--db", str(searched_db), "search", "sanction", "--format", "json")
    assert done.returncode == 0, done.stderr
    (hit,) = lines(done.stdout)  # English stemming: sanction ~ sanctions
    assert hit["lang"] == "en" and "**sanctions**" in str(hit["snippet"])
    german = lines(read_cli("--db", str(searched_db), "search", "Sanktion", "--format",
                           "json").stdout)
    assert german and all(h["lang"] == "de" for h in german)
    assert [h["rank"] for h in german] == list(range(1, len(german) + 1))
    scores = [float(h["score"]) for h in german]  # type: ignore[arg-type]
    assert scores == sorted(scores, reverse=True)
    both = lines(read_cli("--db", str(searched_db), "search", "Putin", "--format", "json").stdout)
    assert {h["lang"] for h in both} == {"de", "en"}
    (phrase,) = lines(read_cli("--db", str(searched_db), "search", '"armoured train"',
                              "--format", "json").stdout)
    assert phrase["lang"] == "en" and "**armoured** **train**" in str(phrase["snippet"])
    reversed_words = read_cli("--db", str(searched_db), "search", '"train armoured"')
    assert reversed_words.returncode == 0 and "(0 rows)" in reversed_words.stdout


def test_filters_match_the_warehouse(searched_db: Path) -> None:
    with duckdb.connect(str(searched_db), read_only=True) as con:
        (topic,) = con.execute(
            "SELECT topic FROM article_topics GROUP BY ALL ORDER BY count(*), topic LIMIT 1"
        ).fetchone() or ("",)
        tagged = {r[0] for r in con.execute(
            "SELECT article_id FROM article_topics WHERE topic = ?", [topic]).fetchall()}
    done = read_cli("--db", str(searched_db), "search", "Kim", "--topic", topic, "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows and {int(r["article_id"]) for r in rows} <= tagged
    # each result says what it is about: its topics (the filter's among them) and entities
    found = lines(read_cli("--db", str(searched_db), "search", "Kim", "--topic", topic,
                           "--format", "json").stdout)
    assert found and all(topic in h["topics"] for h in found)  # type: ignore[operator]
    with duckdb.connect(str(searched_db), read_only=True) as con:
        for hit in found:
            named = con.execute("SELECT entity FROM article_entities WHERE article_id = ?",
                                [hit["article_id"]]).fetchall()
            assert sorted(hit["entities"]) == sorted(e for (e,) in named)  # type: ignore[arg-type]
    english = lines(read_cli("--db", str(searched_db), "search", "Kim", "--lang", "en",
                            "--format", "json").stdout)
    assert [h["lang"] for h in english] == ["en"]
    shouted = lines(read_cli("--db", str(searched_db), "search", "Kim", "--lang", "EN",
                             "--format", "json").stdout)
    assert shouted == english  # "EN" is how a user may write "en", the code stored
    none = read_cli("--db", str(searched_db), "search", "Kim", "--until", "2000-01-01")
    assert none.returncode == 0 and "(0 rows)" in none.stdout


def test_a_source_is_named_in_any_case_by_search_stories_and_export(
    searched_db: Path, tmp_path: Path
) -> None:
    with duckdb.connect(str(searched_db), read_only=True) as con:
        sources = [r[0] for r in con.execute(
            "SELECT DISTINCT source FROM articles WHERE source IS NOT NULL").fetchall()]
    assert sources == ["Euronews"]  # one seed says who published it
    for source in ("Euronews", "euronews", "EURONEWS"):
        hits = lines(read_cli("--db", str(searched_db), "search", "Putin", "--source", source,
                              "--format", "json").stdout)
        assert [h["source"] for h in hits] == ["Euronews"], source
        stories = read_cli("--db", str(searched_db), "stories", "--since", "3000d", "--source",
                           source, "--format", "json")
        [story] = lines(stories.stdout)  # the seeds' one story, Euronews among its outlets
        assert "Euronews" in story["outlets"], source
        out = tmp_path / f"{source}.jsonl"
        read_cli("--db", str(searched_db), "export", "--source", source, "--out", str(out))
        assert [r["source"] for r in lines(out.read_text(encoding="utf-8"))] == ["Euronews"]
    other = read_cli("--db", str(searched_db), "search", "Putin", "--source", "Euronew")
    assert other.returncode == 0 and "(0 rows)" in other.stdout
    unnamed = lines(read_cli("--db", str(searched_db), "search", "Putin", "--source",
                             "(no source)", "--format", "json").stdout)
    everything = lines(read_cli("--db", str(searched_db), "search", "Putin",
                                "--format", "json").stdout)
    assert unnamed and [h["article_id"] for h in unnamed] == [
        h["article_id"] for h in everything if h["source"] is None]


def test_a_lost_index_state_is_rebuilt_without_doubles(searched_db: Path) -> None:
    path = index_path(Settings(db=searched_db))
    (SearchIndex(path).directory / STATE_FILE).unlink()
    done = read_cli("--db", str(searched_db), "search", "Putin", "--format", "json")
    assert done.returncode == 0 and lines(done.stdout)
    assert SearchIndex(path).count() == 6


def test_bad_queries_and_filters_are_one_line_errors(searched_db: Path) -> None:
    for args, expected in [
        (("",), "search query is empty"),
        (("NOT Putin",), "it only excludes"),
        (("Kim", "--topic", "sanction"), "--topic sanction: no such topic"),
        (("Kim", "--since", "soon"), "--since 'soon'"),
        (("Kim", "--lang", "English"), "--lang English: not a two-letter ISO 639-1 code"),
        (("Kim", "--lang", "deu"), "--lang deu: not a two-letter ISO 639-1 code"),
    ]:
        done = read_cli("--db", str(searched_db), "search", *args)
        assert done.returncode != 0, args
        assert len(done.stderr.strip().splitlines()) == 1 and expected in done.stderr, args
