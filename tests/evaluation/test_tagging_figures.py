"""How the held-out tagging figures are made: bootstrap intervals over documents, and
cross-fitted scorers that never decide a document they were fitted on."""

from __future__ import annotations

import json
from pathlib import Path

from evaluation.labelled import split_docs
from evaluation.tagging import (
    FOLDS,
    cross_fitted,
    default_languages_row,
    dev_set_row,
    figures,
    fold_of,
    micro_interval,
    recall_ceiling,
    rules_only,
)
from newsmon.tagging import load_tagger
from newsmon.tagging.evaluate import LabelledDoc
from newsmon.tagging.fitting import examples_of
from newsmon.tagging.scorer import fit


def docs(n: int, topics: frozenset[str]) -> list[LabelledDoc]:
    return [LabelledDoc(f"d{k}", "en", "text", topics) for k in range(n)]


def test_a_perfect_tagger_has_a_point_interval() -> None:
    held = docs(50, frozenset({"sanctions"}))
    assert micro_interval(held, {d.id: d.topics for d in held}) == ((1.0, 1.0), (1.0, 1.0))


def test_the_interval_holds_the_figure_and_narrows_with_more_documents() -> None:
    def half_right(n: int) -> tuple[tuple[float, float], tuple[float, float]]:
        held = docs(n, frozenset({"sanctions"}))
        return micro_interval(held, {d.id: d.topics if k % 2 else frozenset({"nuclear"})
                                     for k, d in enumerate(held)})

    (p_low, p_high), (f_low, f_high) = half_right(40)
    assert p_low < 0.5 < p_high and f_low < 0.5 < f_high
    (narrow_low, narrow_high), _ = half_right(400)
    assert narrow_high - narrow_low < (p_high - p_low) / 2


def test_the_recall_ceiling_counts_labels_whose_topic_has_an_anchor() -> None:
    tagger = load_tagger()
    anchored = LabelledDoc("a", "de", "Die EU verhängt neue Sanktionen gegen Russland.",
                           frozenset({"sanctions"}))
    unanchored = LabelledDoc("b", "de", "Der Kanzler sprach über das Wetter.",
                             frozenset({"sanctions", "diplomacy"}))
    assert recall_ceiling(tagger, [anchored, unanchored]) == (1, 3)


def test_the_default_languages_row_leaves_out_other_languages() -> None:
    held = [
        LabelledDoc("de", "de", "Die EU verhängt neue Sanktionen gegen Russland. Die "
                    "Sanktionen treffen Banken, Sanktionen gegen Ölexporte folgen.",
                    frozenset({"sanctions"})),
        LabelledDoc("sv", "sv", "EU inför nya sanktioner mot Ryssland.", frozenset({"sanctions"})),
        LabelledDoc("en", "en", "The weather was fine all week.", frozenset()),
    ]
    row = default_languages_row(load_tagger(), held)
    assert row.benchmark.endswith("/ 2 documents in German or English")
    assert row.ours == "1.000 / 1.000 / 1.000"
    assert "0 of 1)" in row.note


def test_the_dev_set_row_counts_only_held_out_documents_of_the_dev_set(tmp_path: Path) -> None:
    (tmp_path / "eval").mkdir()
    dev = [{"id": "dev-1", "lang": "de", "text": "x", "topics": ["sanctions"]},
           {"id": "dev-2", "lang": "de", "text": "x", "topics": []}]
    (tmp_path / "eval" / "topics-dev.jsonl").write_text(
        "\n".join(json.dumps(row) for row in dev) + "\n", encoding="utf-8")
    sanctions = ("Die EU verhängt neue Sanktionen gegen Russland. Die Sanktionen treffen "
                 "Banken, Sanktionen gegen Ölexporte folgen.")
    held = [
        LabelledDoc("dev-1", "de", sanctions, frozenset({"sanctions"})),
        LabelledDoc("dev-2", "de", "Der Kanzler sprach über das Wetter.", frozenset()),
        LabelledDoc("sample-1", "de", sanctions, frozenset()),  # would be a false tag
    ]
    row = dev_set_row(load_tagger(), held, tmp_path)
    assert row.benchmark.endswith("/ 2 documents of the shared dev set (1 labels)")
    assert row.ours == "1.000 / 1.000 / 1.000"
    assert "0 of 1)" in row.note


def test_no_held_out_document_is_decided_by_a_scorer_fitted_on_it(shared: Path) -> None:
    tune, held = split_docs(shared)
    tune, held = tune[::4], held[::4]  # enough examples of both kinds, in a few seconds
    cross = cross_fitted(tune, held)
    folds = {fold_of(d.id) for d in held}
    assert folds == set(range(FOLDS)), "the held-out documents spread over every fold"
    rules = rules_only(load_tagger())
    for fold in range(FOLDS):
        member = next(d for d in held if fold_of(d.id) == fold)
        without = [d for d in held if fold_of(d.id) != fold]
        assert cross.tagger_for(member.id).taxonomy.scorer == fit(
            examples_of(rules, tune + without))
        assert cross.tagger_for(member.id).taxonomy.scorer != fit(
            examples_of(rules, tune + held)), "a fold's scorer leaves its documents out"
    assert cross.tagger_for("not-labelled") is cross.shipped


def test_cross_fitted_figures_add_up_the_folds(shared: Path) -> None:
    tune, held = split_docs(shared)
    tune, held = tune[::4], held[::4]
    cross = cross_fitted(tune, held)
    merged = figures(cross, held)
    by_fold = [figures(cross.by_fold[fold], [d for d in held if fold_of(d.id) == fold])
               for fold in range(FOLDS)]
    assert merged.result.micro.tp == sum(f.result.micro.tp for f in by_fold)
    assert merged.result.micro.fp == sum(f.result.micro.fp for f in by_fold)
    assert merged.false_tagged == sum(f.false_tagged for f in by_fold)
    assert merged.result.predicted.keys() == {d.id for d in held}
