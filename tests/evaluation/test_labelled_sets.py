"""The labelled topic sets read their texts back from the shared corpora by id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.labelled import corpus_text, read_extra

GUARDIAN = "feed-guardian.rss"


def test_a_feed_entry_is_its_title_then_its_text_in_paragraphs(shared: Path) -> None:
    text = corpus_text(f"{GUARDIAN}-0", shared)
    title, *body = text.split("\n\n")
    assert title == "Trump State of the Union address promised unity but emphasized discord"
    assert body and all(part == " ".join(part.split()) for part in body)
    assert "<" not in text  # markup is gone
    assert corpus_text(f"{GUARDIAN}-1", shared) != text  # entries by position


def test_a_label_whose_document_is_missing_names_the_file_line_and_id(
    shared: Path, tmp_path: Path
) -> None:
    labels = tmp_path / "labels.jsonl"
    rows = [{"id": f"{GUARDIAN}-0", "dataset": "real-feeds", "lang": "en", "topics": []},
            {"id": "feed-no-such.rss-0", "dataset": "real-feeds", "lang": "en", "topics": []}]
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(ValueError,
                       match=rf"^{labels}:2: feed-no-such\.rss-0: real-feeds has 0 files"):
        read_extra(labels, shared)
    rows[1]["id"] = f"{GUARDIAN}-9999"
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(ValueError, match=rf"^{labels}:2: "):
        read_extra(labels, shared)
