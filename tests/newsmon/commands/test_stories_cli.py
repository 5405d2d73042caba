"""``newsmon stories`` over a real warehouse: the seeds and an English report of seed 000."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsmon import cycle
from newsmon.core.settings import Settings
from tests.conftest import ROOT, read_cli

SEEDS = ROOT / "seeds"
ENGLISH = ROOT / "tests" / "newsmon" / "stories_fixtures"  # seed 000 rendered in English


@pytest.fixture(scope="module")
def story_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("stories") / "w.duckdb"
    cycle.run_cycle(Settings(db=db), [SEEDS], "run")
    # a later cycle: the English report joins a story the index rebuilds from the warehouse
    cycle.run_cycle(Settings(db=db), [ENGLISH], "ingest")
    return db


def story_of(db: Path) -> dict[str, int]:
    done = read_cli("--db", str(db), "sql", "SELECT origin, story_id FROM articles",
                   "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    return {Path(r["origin"]).name[:6]: r["story_id"] for r in rows}


def test_seeds_000_001_003_and_the_english_report_are_one_story(story_db: Path) -> None:
    story = story_of(story_db)
    assert story["000_fa"] == story["001_d2"] == story["003_ab"] == story["000-en"]


def test_top_stories_list_size_sources_and_languages(story_db: Path) -> None:
    done = read_cli("--db", str(story_db), "stories", "--since", "30000d", "--format", "json")
    assert done.returncode == 0, done.stderr
    stories = [json.loads(line) for line in done.stdout.splitlines()]
    top = stories[0]
    assert top["story_id"] == story_of(story_db)["000_fa"]
    assert top["articles"] >= 4 and top["languages"] == ["de", "en"]
    assert "Euronews" in top["outlets"] and top["sources"] == len(top["outlets"])
    # the seeds that name no outlet are shown by the name that filters them
    assert "(no source)" in top["outlets"]
    unnamed = read_cli("--db", str(story_db), "stories", "--since", "30000d", "--source",
                       "(no source)", "--format", "json")
    assert top["story_id"] in [json.loads(line)["story_id"] for line in unnamed.stdout.splitlines()]
    assert "kim_jong_un" in top["entities"] and top["topics"]
    assert top["first_seen"] <= top["last_seen"]
    assert sum(s["articles"] for s in stories) == 6


def test_filters_select_stories_and_the_default_window_is_a_day(story_db: Path) -> None:
    # month-precise articles happened when they were read (now); seed 003 is dated to the
    # day, 2023-09-12, so the default 24 h leaves it out of its story's figures
    recent = read_cli("--db", str(story_db), "stories", "--lang", "en", "--format", "csv")
    assert recent.returncode == 0, recent.stderr
    lines = recent.stdout.splitlines()
    assert lines[0].startswith("story_id,headline,articles") and len(lines) == 2
    assert "de; en" in lines[1]  # the whole story, not only its English article
    everything = read_cli("--db", str(story_db), "stories", "--lang", "en", "--since",
                         "2023-09-01", "--format", "json")
    (story,) = [json.loads(line) for line in everything.stdout.splitlines()]
    assert story["articles"] == int(lines[1].split(",")[2]) + 1  # seed 003 is counted too
    none = read_cli("--db", str(story_db), "stories", "--until", "2020-01-01")
    assert none.returncode == 0 and none.stdout.strip().endswith("(0 rows)")
    assert none.stderr == ""  # the filters matched nothing: no excuse is made for them
    later = read_cli("--db", str(story_db), "stories", "--since", "2099-01-01")
    assert later.returncode == 0 and later.stdout.strip().endswith("(0 rows)")
    assert later.stderr.startswith("newsmon: nothing from 2099-01-01 00:00 UTC on: the "
                                   "newest article happened at ")


def test_one_story_lists_its_articles(story_db: Path) -> None:
    story = story_of(story_db)["000_fa"]
    done = read_cli("--db", str(story_db), "stories", "--id", str(story), "--format", "json")
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) >= 4 and {r["lang"] for r in rows} == {"de", "en"}
    assert [r["when"] for r in rows] == sorted(r["when"] for r in rows)
    assert {"Euronews", "(no source)"} <= {r["source"] for r in rows}


def test_bad_arguments_are_one_line_errors(story_db: Path) -> None:
    unknown = read_cli("--db", str(story_db), "stories", "--id", "42")
    assert unknown.returncode != 0 and "--id 42: no story has this id" in unknown.stderr
    when = read_cli("--db", str(story_db), "stories", "--since", "yesterday")
    assert when.returncode != 0 and "--since 'yesterday'" in when.stderr
    topic = read_cli("--db", str(story_db), "stories", "--topic", "no_such_topic")
    assert topic.returncode != 0 and "no_such_topic" in topic.stderr
    assert len(topic.stderr.strip().splitlines()) == 1


def test_an_archive_is_listed_up_to_its_newest_article_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "archive.duckdb"
    cycle.run_cycle(Settings(db=db), [SEEDS / "003_ab26345a93ec7503.txt"], "ingest")
    # seed 003 happened on 2023-09-12: "the last 24 hours" of this warehouse end there
    done = read_cli("--db", str(db), "stories", "--format", "json")
    assert done.returncode == 0, done.stderr
    (story,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert story["first_seen"].startswith("2023-09-12")
    assert done.stderr == (
        "newsmon: the newest article is from 2023-09-12 00:00 UTC, over a week ago: 24h is "
        "counted back from 2023-09-12 01:00 UTC, not from now\n")
    # every command that takes the filters counts spans the same way
    out = tmp_path / "week.jsonl"
    done = read_cli("--db", str(db), "export", "--since", "7d", "--out", str(out))
    assert done.returncode == 0 and len(out.read_text().splitlines()) == 1
    assert "over a week ago: 7d is counted back from 2023-09-12 01:00 UTC" in done.stderr
    done = read_cli("--db", str(db), "export", "--since", "2d", "--until", "1h", "--out",
                    str(out))  # 1h before 01:00 is the article's own time: excluded
    assert done.returncode == 0 and out.read_text() == ""
    assert "2d and 1h are counted back" in done.stderr
    # a span that starts after the newest article is why a listing is empty, and is said
    for args in (("stories",), ("search", "Kim"), ("export", "--out", str(out))):
        done = read_cli("--db", str(db), *args, "--since", "2099-01-01")
        assert done.returncode == 0, (args, done.stderr)
        assert ("newsmon: nothing from 2099-01-01 00:00 UTC on: the newest article happened "
                "at 2023-09-12 00:00 UTC (--since takes an earlier start)") in done.stderr, args
    # a date is a date: nothing is moved and nothing is said
    done = read_cli("--db", str(db), "stories", "--since", "2023-09-01", "--format", "json")
    assert len(done.stdout.splitlines()) == 1 and done.stderr == ""
