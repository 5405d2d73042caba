"""AG News's world briefs read from a checkout: stable ids, the corpus's escapes undone,
only the World class, with or without a header, and the halves the briefs fall in."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from evaluation import agnews
from evaluation.outside import read_outside, tuned_on

ENRICH = ("Iran Says It Will Resume Enrichment",
          r"TEHRAN (Reuters) - Iran will resume uranium enrichment, an official said on\Sunday,"
          r" a day after talks with three EU states ended.")
PHELPS = ("Giddy Phelps Touches Gold", "Michael Phelps won the gold medal in the 400 medley.")
DOLLAR = ("Dollar Dips", r" LONDON (Reuters) - The dollar fell, costing Dell Inc. &lt;DELL.O&gt;"
          r"  #36;10 million, a  quot;small, quot; loss.")


def _checkout(root: Path, rows: list[tuple[str, str, str]], header: bool) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    with (root / agnews.FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if header:
            writer.writerow(["label", "title", "description"])
        writer.writerows(rows)
    return root


def test_world_briefs_keep_their_ids_in_any_copy_of_the_file(tmp_path: Path) -> None:
    rows = [("1", *ENRICH), ("2", *PHELPS), ("1", *DOLLAR), ("1", *ENRICH)]
    with_header = agnews.read_briefs(_checkout(tmp_path / "a", rows, header=True))
    bare = agnews.read_briefs(_checkout(tmp_path / "b", rows[::-1], header=False))

    assert set(with_header) == set(bare) == {agnews.brief_id(*ENRICH),
                                             agnews.brief_id(*DOLLAR)}  # World only, once
    assert all(key.startswith(agnews.ID_PREFIX) and len(key) == len(agnews.ID_PREFIX) + 16
               for key in bare)
    assert with_header[agnews.brief_id(*ENRICH)].text == (
        "Iran Says It Will Resume Enrichment\nTEHRAN (Reuters) - Iran will resume uranium "
        "enrichment, an official said on Sunday, a day after talks with three EU states ended.")


def test_the_corpus_escapes_are_undone() -> None:
    assert agnews.clean(DOLLAR[1]) == (
        'LONDON (Reuters) - The dollar fell, costing Dell Inc. <DELL.O> $10 million, a '
        '"small," loss.')
    assert agnews.clean("Smith #39;s plan") == "Smith's plan"
    assert agnews.clean("Tom &amp; Jerry; a camp; quotas") == "Tom & Jerry; a camp; quotas"


def test_a_folder_without_the_file_stops_with_a_line_naming_it(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"AG_NEWS=.*empty: no test.csv in it"):
        agnews.read_briefs(tmp_path / "empty")


def test_labelled_briefs_are_read_headline_first_and_fall_in_two_halves(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(agnews.VARIABLE, raising=False)
    rows = [("1", *ENRICH)] + [("1", f"Story {n}", f"Brief {n}.") for n in range(12)]
    root = _checkout(tmp_path / "ag", rows, header=False)
    ids = list(agnews.read_briefs(root))
    labels = tmp_path / "topics-outside.jsonl"
    labels.write_text("".join(json.dumps(
        {"id": key, "dataset": agnews.DATASET, "lang": "en",
         "topics": ["nuclear"] if n == 0 else [], "why": "read", "borderline": False}) + "\n"
        for n, key in enumerate(ids)), encoding="utf-8")

    docs = read_outside(labels, agnews_root=root)

    assert [d.id for d in docs] == ids
    assert docs[0].text.startswith("Iran Says It Will Resume Enrichment\nTEHRAN")
    assert docs[0].topics == {"nuclear"} and docs[0].dataset == agnews.DATASET
    assert read_outside(labels) == []  # no checkout: not read
    assert {agnews.part(key) for key in ids} == {"tune", "heldout"}
    assert tuned_on(docs) == {key for key in ids if agnews.part(key) == "tune"}

    labels.write_text(json.dumps({"id": agnews.ID_PREFIX + "0" * 16,
                                  "dataset": agnews.DATASET, "topics": []}) + "\n",
                      encoding="utf-8")
    with pytest.raises(ValueError, match=r"topics-outside.jsonl:1: ag-news/0+: no world-class"):
        read_outside(labels, agnews_root=root)
