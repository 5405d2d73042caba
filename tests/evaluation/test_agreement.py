"""Agreement with the labels on a sample read twice: false tags on drawn topic-free
documents stand for the undrawn ones too."""

from __future__ import annotations

import pytest

from evaluation.agreement import agreement
from newsmon.tagging.evaluate import LabelledDoc


def doc(doc_id: str, *topics: str) -> LabelledDoc:
    return LabelledDoc(doc_id, "en", "text", frozenset(topics))


HELD = [doc("a", "sanctions"), doc("b", "diplomacy", "nuclear"),
        doc("f1"), doc("f2"), doc("f3"), doc("f4")]
READ = {"a": frozenset({"sanctions"}), "b": frozenset({"diplomacy"}),
        "f1": frozenset({"diplomacy"}), "f2": frozenset()}


def test_a_false_tag_on_a_drawn_topic_free_document_counts_for_the_undrawn() -> None:
    got = agreement(HELD, READ, READ)  # 2 of the 4 topic-free drawn: each counts twice

    assert (got.tp, got.fp, got.fn, got.documents) == (2, 2.0, 1, 4)
    assert (got.precision, round(got.recall, 3)) == (0.5, 0.667)


def test_tags_on_documents_with_a_topic_count_once_and_undrawn_ones_not_at_all() -> None:
    given = {"a": frozenset({"sanctions", "war_ukraine"}), "f3": frozenset({"nuclear"})}

    got = agreement(HELD, READ, given)

    assert (got.tp, got.fp, got.fn) == (1, 1.0, 2)


def test_every_held_out_document_with_a_topic_must_have_been_read_again() -> None:
    with pytest.raises(ValueError, match="not read again .*first: b"):
        agreement(HELD, {"a": frozenset({"sanctions"})}, {})
