"""``newsmon topics mark``: an analyst's word on read articles, which their tags follow."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import httpx
import pytest

from evaluation.asgi import serving
from newsmon import cycle
from newsmon.core.config import Config
from newsmon.core.settings import Settings
from newsmon.search.sync import index_path
from newsmon.tagging import load_tagger
from newsmon.tagging.retag import retag
from newsmon.web.app import create_app
from newsmon.web.pages import build_site
from tests.conftest import SEEDS, read_cli
from warehouse import Warehouse


@pytest.fixture(params=["duckdb", "ducklake"])
def seeded(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    db = tmp_path / "warehouse" / ("w.duckdb" if request.param == "duckdb" else "w.ducklake")
    cycle.run_cycle(Settings(db=db), [SEEDS], "run")
    return db


def _tags(db: Path) -> dict[int, set[str]]:
    tags: dict[int, set[str]] = {}
    for article_id, topic in Warehouse(db).query(
            "SELECT article_id, topic FROM article_topics").rows:
        tags.setdefault(int(article_id), set()).add(str(topic))
    return tags


def test_marked_topics_become_tags_and_hold_through_retag(seeded: Path, tmp_path: Path
                                                          ) -> None:
    before = _tags(seeded)
    tagged = sorted(before, key=lambda a: (-len(before[a]), a))
    first, second = tagged[0], tagged[1]
    dropped = sorted(before[first])[0]  # a tag the analyst says is wrong
    given = sorted({"humanitarian_aid", "nuclear", "sanctions"} - before[second])[0]
    marked = tmp_path / "marked.jsonl"
    marked.write_text("".join(json.dumps(row) + "\n" for row in [
        # an export row, corrected: one tag taken away
        {"article_id": first, "topics": [{"topic": t} for t in sorted(before[first])
                                         if t != dropped]},
        # a review row: a held-back topic marked right
        {"article_id": str(second), "topics": [{"topic": t} for t in sorted(before[second])]
         + [{"topic": given}], "held_back": [{"topic": given, "probability": 0.4}]},
    ]), encoding="utf-8")
    done = read_cli("--db", str(seeded), "topics", "mark", str(marked))
    assert done.returncode == 0, done.stderr
    judged = len(before[first]) + len(before[second]) + 1
    assert done.stdout.strip() == (f"marked 2 articles ({judged} topics judged): 1 topic "
                                   "given, 1 taken away; the marks hold through newsmon retag")
    after = _tags(seeded)
    assert after[first] == before[first] - {dropped}
    assert after[second] == before[second] | {given}
    assert {a: t for a, t in after.items() if a not in (first, second)} == {
        a: t for a, t in before.items() if a not in (first, second)}
    score, evidence = Warehouse(seeded).query(
        "SELECT score, evidence FROM article_topics WHERE article_id = ? AND topic = ?",
        [second, given]).rows[0]
    assert score is None and json.loads(evidence) == []  # the mark is its reason
    site = build_site(Config(), index_path(Settings(db=seeded)))
    with serving(create_app(Settings(db=seeded), site)) as base:
        page = httpx.get(f"{base}/articles/{second}").text
    shown = re.search(rf'class="tag"[^>]*>{re.escape(site.topics[given])}</a> ([^<]*)', page)
    assert shown and shown.group(1).startswith("marked by an analyst")
    # every article re-tagged from scratch: the rules give the old tags again, the marks win
    summary = retag(Warehouse(seeded), load_tagger(), everything=True)
    assert summary.retagged == len(before)
    assert _tags(seeded) == after
    # marked again, the later word wins
    marked.write_text(json.dumps({"article_id": second, "topics": sorted(before[second])})
                      + "\n", encoding="utf-8")
    assert read_cli("--db", str(seeded), "topics", "mark", str(marked)).returncode == 0
    assert _tags(seeded)[second] == before[second]
    assert Warehouse(seeded).query(
        "SELECT count(*) FROM article_labels WHERE article_id = ? AND topic = ?",
        [second, given]).rows == [(1,)]


def test_a_marked_topic_is_not_listed_for_review_again(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    cycle.run_cycle(Settings(db=db), [SEEDS], "run")
    shipped = load_tagger().scorer
    assert shipped is not None
    (tmp_path / "strict.toml").write_text(
        shipped.model_copy(update={"cutoff": 0.995, "note": ""}).to_toml(), encoding="utf-8")
    (tmp_path / "newsmon.toml").write_text(
        '[tagging]\nscorer = "strict.toml"\nuse_words = false\n', encoding="utf-8")
    review = tmp_path / "review.jsonl"
    first = read_cli("--db", str(db), "topics", "review", "--out", str(review), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    rows = [json.loads(line) for line in review.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 2
    read, unread = rows[0], rows[1:]
    review.write_text(json.dumps(read) + "\n", encoding="utf-8")  # one row read, none right
    marked = read_cli("--db", str(db), "topics", "mark", str(review), cwd=tmp_path)
    assert marked.returncode == 0, marked.stderr
    again = read_cli("--db", str(db), "topics", "review", "--out", str(review), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    listed = [json.loads(line)["article_id"] for line in
              review.read_text(encoding="utf-8").splitlines()]
    assert listed == [r["article_id"] for r in unread]
    # a warehouse from before marks, which a review (it only reads) does not migrate
    with duckdb.connect(str(db)) as con:
        con.execute("DROP TABLE article_labels")
        con.execute("DELETE FROM schema_migrations WHERE version = 14")
    old = read_cli("--db", str(db), "topics", "review", "--out", str(review), cwd=tmp_path)
    assert old.returncode == 0, old.stderr
    assert len(review.read_text(encoding="utf-8").splitlines()) == len(rows)


def test_marks_that_name_no_stored_article_or_no_topic_are_refused(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    cycle.run_cycle(Settings(db=db), [SEEDS], "run")
    article = next(iter(_tags(db)))
    marked = tmp_path / "marked.jsonl"
    cases = [
        ({"article_id": article, "topics": ["sanction"]},
         f"{marked}:2: unknown topic 'sanction' (known: arms_trade, diplomacy"),
        ({"article_id": 42, "topics": []},
         f"{marked}: line 2: article 42 is not in this warehouse"),
        ({"article_id": "seed-3", "topics": []}, f"{marked}:2: not a marked article"),
        ({"article_id": article, "topics": "sanctions"}, f"{marked}:2: not a marked article"),
    ]
    for row, expected in cases:
        marked.write_text(json.dumps({"article_id": article, "topics": []}) + "\n"
                          + json.dumps(row) + "\n", encoding="utf-8")
        done = read_cli("--db", str(db), "topics", "mark", str(marked))
        assert done.returncode == 1, row
        assert done.stderr.strip().startswith(f"newsmon: error: {expected}"), done.stderr
        assert Warehouse(db).query("SELECT count(*) FROM article_labels").rows == [(0,)]
    marked.write_text(json.dumps({"article_id": article, "topics": []}) + "\n",
                      encoding="utf-8")
    nowhere = read_cli("--db", str(tmp_path / "none.duckdb"), "topics", "mark", str(marked))
    assert nowhere.returncode == 1 and "does not exist yet" in nowhere.stderr
