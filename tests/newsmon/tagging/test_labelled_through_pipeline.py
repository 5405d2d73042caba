"""Every labelled document through ``newsmon ingest`` into a real DuckDB file.

The benchmark tags texts directly; a user's articles go through reading, extraction,
language detection and the workers first. This test stores all labelled documents the way
a user would and scores the tags *in the warehouse* on the held-out part, so the floor
holds for what users get, not only for the tagger in isolation.

The shipped scorer was fitted on every labelled document, held-out ones too, so the run
uses a scorer fitted the same way on the tuning part alone, given as a user gives their
own (``[tagging] scorer``): the held-out tags are then decided by weights that never saw
them.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest

from evaluation.labelled import all_labelled, read_split, split_docs
from evaluation.outside import CHECKOUT_VARIABLES, checkouts_given, read_outside
from evaluation.tagging import rules_only
from newsmon.tagging import load_tagger
from newsmon.tagging.evaluate import TopicScore, evaluate
from newsmon.tagging.fitting import examples_of, write_scorer
from newsmon.tagging.scorer import fit
from tests.conftest import run_cli
from warehouse import Warehouse

#: the held-out floor of tests/newsmon/tagging/test_quality_floor.py: measured F1 0.643
#: before the feed entries of 2026-12-03 were labelled, 0.634 with them (a new source the
#: rules never saw), 0.613 with the scorer refitted on the grown tuning part (P 0.724),
#: 0.600 with the 498 trafilatura-eval pages of 2026-12-04 (P 0.700), 0.580 (P 0.745)
#: with the ``related`` feature, which traded recall for precision, and 0.600 (P 0.700) by
#: the benchmark with the scorer's cutoff set on the topics the rules let through (the
#: scorer this test fits: the shipped one was fitted on the tuning part alone until
#: 2026-12-04 afternoon), 0.574 (P 0.696) since the cutoff is chosen on folds by document
MICRO_F1_FLOOR = 0.56


def _id(url: object) -> str:
    """The labelled id of a stored file (its URL is a percent-encoded file:// URI)."""
    return unquote(Path(str(url)).stem)


@pytest.mark.slow
def test_labelled_documents_ingested_score_like_the_benchmark(tmp_path: Path, shared: Path
                                                              ) -> None:
    docs = all_labelled(shared)
    folder = tmp_path / "labelled"
    folder.mkdir()
    for doc in docs:
        (folder / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    tune, _ = split_docs(shared)
    write_scorer(fit(examples_of(rules_only(load_tagger()), tune)),
                 tmp_path / "tuning-scorer.toml")
    config = tmp_path / "newsmon.toml"
    config.write_text('[tagging]\nscorer = "tuning-scorer.toml"\n', encoding="utf-8")
    db = tmp_path / "labelled.duckdb"
    # the cycle in-process, as with no Prefect server: tags do not depend on who schedules
    result = run_cli("--db", str(db), "--config", str(config), "ingest", str(folder),
                     env={"NEWSMON_PREFECT": "never"}, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]

    warehouse = Warehouse(db)
    stored = {_id(u) for (u,) in warehouse.query("SELECT url FROM articles").rows}
    rejected = {Path(str(i)).stem for (i,) in warehouse.query("SELECT input FROM rejects").rows}
    assert stored | rejected == {d.id for d in docs}, "every document is stored or a named reject"
    assert len(stored) >= 0.97 * len(docs)

    tags: dict[str, set[str]] = {}
    for url, topic in warehouse.query(
            "SELECT a.url, t.topic FROM articles a JOIN article_topics t USING (article_id)").rows:
        tags.setdefault(_id(url), set()).add(str(topic))
    parts = read_split()
    micro = TopicScore()
    for doc in docs:
        if parts[doc.id] != "heldout":
            continue
        found = tags.get(doc.id, set())
        micro.tp += len(found & doc.topics)
        micro.fp += len(found - doc.topics)
        micro.fn += len(doc.topics - found)
    print(f"pipeline held-out micro P {micro.precision:.3f} R {micro.recall:.3f} F1 {micro.f1:.3f}")
    assert micro.f1 >= MICRO_F1_FLOOR, (micro.precision, micro.recall, micro.f1)


@pytest.mark.slow
@pytest.mark.skipif(not checkouts_given(), reason="the labelled pages outside ../shared need "
                    f"{' or '.join(CHECKOUT_VARIABLES)} (checkouts CI does not have)")
def test_labelled_pages_outside_shared_are_tagged_in_the_warehouse_as_benchmarked(
        tmp_path: Path) -> None:
    docs = read_outside()
    folder = tmp_path / "outside"
    folder.mkdir()
    names = {doc.id.replace("/", "__"): doc for doc in docs}
    for name, doc in names.items():
        (folder / f"{name}.txt").write_text(doc.text, encoding="utf-8")
    db = tmp_path / "outside.duckdb"
    # AG News's briefs are a headline and a sentence or two: under the default 40 words a
    # text is rejected as too short, so they are ingested as a user reading briefs would
    result = run_cli("--db", str(db), "ingest", str(folder),
                     env={"NEWSMON_PREFECT": "never", "NEWSMON_MIN_WORDS": "10"}, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]

    warehouse = Warehouse(db)
    stored = {_id(u) for (u,) in warehouse.query("SELECT url FROM articles").rows}
    rejected = {Path(str(i)).stem for (i,) in warehouse.query("SELECT input FROM rejects").rows}
    # a set may hold one article twice (L3S-GN1 crawled three from two sites): the same text
    # is one article, stored once, and the copy counted as a duplicate of the run
    copies: dict[str, list[str]] = {}
    for name in sorted(names):
        copies.setdefault(names[name].text, []).append(name)
    assert all(len(set(group) & (stored | rejected)) == 1 for group in copies.values())
    ((duplicates,),) = warehouse.query("SELECT sum(duplicates) FROM runs").rows
    assert duplicates == len(names) - len(copies), "every other copy is counted"
    assert len(stored) >= 0.97 * len(copies)
    tags: dict[str, set[str]] = {}
    for url, topic in warehouse.query(
            "SELECT a.url, t.topic FROM articles a JOIN article_topics t USING (article_id)").rows:
        tags.setdefault(_id(url), set()).add(str(topic))
    benchmarked = evaluate(load_tagger(), [names[name] for name in stored]).predicted
    differ = [name for name in stored if tags.get(name, set()) != benchmarked[names[name].id]]
    # the warehouse tags what language detection says; the benchmark, the labelled language
    assert len(differ) <= 0.02 * len(stored), differ
    assert sum(map(len, tags.values())) >= 10  # the pages with a topic do get tags
