"""``newsmon topics review``: the articles whose topic the scorer held back, to read and fit."""

from __future__ import annotations

import json
from pathlib import Path

from newsmon import cycle
from newsmon.core.settings import Settings
from newsmon.tagging import load_tagger
from newsmon.tagging.evaluate import read_labelled
from tests.conftest import SEEDS, read_cli


def _strict_config(tmp_path: Path) -> None:
    """A scorer whose cutoff only the strongest evidence passes, and no word model to
    overrule it: most tags are held back."""
    shipped = load_tagger().scorer
    assert shipped is not None
    strict = shipped.model_copy(update={"cutoff": 0.995, "note": ""})
    (tmp_path / "strict.toml").write_text(strict.to_toml(), encoding="utf-8")
    (tmp_path / "newsmon.toml").write_text(
        '[tagging]\nscorer = "strict.toml"\nuse_words = false\n', encoding="utf-8")


def test_review_lists_held_back_topics_nearest_the_cutoff_and_fit_reads_it(
    tmp_path: Path,
) -> None:
    db = tmp_path / "seeds.duckdb"
    cycle.run_cycle(Settings(db=db), [SEEDS], "run")
    _strict_config(tmp_path)
    out = tmp_path / "review.jsonl"
    done = read_cli("--db", str(db), "topics", "review", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert done.stdout.startswith(f"read 5 articles: {len(rows)} with a held-back topic; "
                                  f"wrote the {len(rows)} nearest the cutoff to {out}")
    assert rows, "the strict cutoff holds back the seeds' topics"
    nearest = [max(h["probability"] for h in r["held_back"]) for r in rows]
    assert nearest == sorted(nearest, reverse=True)
    for row in rows:
        assert all(h["probability"] < 0.995 for h in row["held_back"])
        assert {h["topic"] for h in row["held_back"]}.isdisjoint(
            t["topic"] for t in row["topics"])
        for held in row["held_back"]:
            assert held["evidence"]
            for e in held["evidence"]:
                source = row["text"] if e["field"] == "text" else row["title"]
                assert source[e["start"]:e["end"]] == e["text"]
    # one topic, fewer rows
    first = rows[0]["held_back"][0]["topic"]
    only = tmp_path / "only.jsonl"
    done = read_cli("--db", str(db), "topics", "review", "--topic", first, "--limit", "1",
                    "--out", str(only), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    [row] = [json.loads(line) for line in only.read_text(encoding="utf-8").splitlines()]
    assert [h["topic"] for h in row["held_back"]] == [first]
    # the analyst marks the first article's held-back topic right, and fits on the file
    rows[0]["topics"].append({"topic": first})
    out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    docs = read_labelled(out)
    assert first in docs[0].topics and [d.id for d in docs] == [
        str(r["article_id"]) for r in rows]
    fitted = read_cli("topics", "fit", str(out), "--out", str(tmp_path / "mine.toml"),
                      cwd=tmp_path)
    assert fitted.returncode == 0, fitted.stderr
    assert f"from {len(rows)} documents" in fitted.stdout


def test_review_to_standard_output_prints_only_the_rows(tmp_path: Path) -> None:
    """``--out -`` is standard output, as ``topics tag -`` reads standard input: the rows
    are the output (for jq or a pager), and what is said about them goes to stderr."""
    db = tmp_path / "seeds.duckdb"
    cycle.run_cycle(Settings(db=db), [SEEDS], "run")
    _strict_config(tmp_path)
    to_file = read_cli("--db", str(db), "topics", "review", "--out", "rows.jsonl",
                       cwd=tmp_path)
    printed = read_cli("--db", str(db), "topics", "review", "--out", "-", cwd=tmp_path)
    assert printed.returncode == 0, printed.stderr
    assert not (tmp_path / "-").exists()
    saved = (tmp_path / "rows.jsonl").read_text(encoding="utf-8")
    assert saved and printed.stdout == saved
    assert [json.loads(line)["article_id"] for line in printed.stdout.splitlines()]
    assert "wrote the" in printed.stderr and "to standard output" in printed.stderr
    assert "to rows.jsonl" in to_file.stdout


def test_review_into_a_missing_folder_fails_before_reading(tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "review.jsonl"
    done = read_cli("--db", str(tmp_path / "none.duckdb"), "topics", "review", "--out",
                    str(out), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip() == (f"newsmon: error: {out}: the folder {out.parent} does "
                                   "not exist")


def test_review_errors_name_the_topic_and_the_missing_scorer(tmp_path: Path) -> None:
    db = tmp_path / "seeds.duckdb"
    cycle.run_cycle(Settings(db=db), [SEEDS], "run")
    out = tmp_path / "review.jsonl"
    unknown = read_cli("--db", str(db), "topics", "review", "--topic", "sanktion", "--out",
                       str(out), cwd=tmp_path)
    assert unknown.returncode == 1
    assert unknown.stderr.strip().startswith("newsmon: error: --topic sanktion: no such topic")
    assert not out.exists()
    (tmp_path / "newsmon.toml").write_text("[tagging]\nuse_scorer = false\n", encoding="utf-8")
    rules = read_cli("--db", str(db), "topics", "review", "--out", str(out), cwd=tmp_path)
    assert rules.returncode == 1
    assert rules.stderr.strip() == ("newsmon: error: the taxonomy has no scorer: its rules "
                                    "decide every topic, so nothing is held back")
