"""ISOT's Reuters articles read from a checkout: stable ids, the title read before the
text, and the halves a rule may be written from (the tuning half) or never (held out)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from evaluation import isot
from evaluation.outside import read_outside, tuned_on

SANCTIONS = ("WASHINGTON (Reuters) - The U.S. Treasury imposed sanctions on Tuesday on ten "
             "companies accused of helping North Korea evade limits on its coal exports.")
BUDGET = "WASHINGTON (Reuters) - The Senate passed its budget resolution on Thursday."


def _checkout(root: Path, rows: list[tuple[str, str]]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    with (root / isot.FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "text", "subject", "date"])
        for title, text in rows:
            writer.writerow([title, text, "politicsNews", "October 3, 2017 "])
    return root


def test_an_article_keeps_its_id_in_any_copy_of_the_file(tmp_path: Path) -> None:
    rows = [("U.S. sanctions firms over North Korea coal", SANCTIONS),
            ("Senate passes budget", BUDGET), ("Senate passes budget", BUDGET)]
    first = isot.read_articles(_checkout(tmp_path / "a", rows))
    other = isot.read_articles(_checkout(tmp_path / "b", [*rows[::-1], ("Third", "More.")]))

    assert len(first) == 2  # the repeated article is one
    assert set(first) < set(other)
    article = first[isot.article_id("Senate passes budget", BUDGET)]
    assert (article.title, article.text, article.date) == ("Senate passes budget", BUDGET,
                                                           "October 3, 2017")
    assert all(key.startswith(isot.ID_PREFIX) and len(key) == len(isot.ID_PREFIX) + 16
               for key in first)


def test_a_folder_without_the_file_stops_with_a_line_naming_it(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"ISOT_TRUE=.*empty: no True.csv in it"):
        isot.read_articles(tmp_path / "empty")


def test_labelled_articles_are_read_title_first_and_fall_in_two_halves(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(isot.VARIABLE, raising=False)
    root = _checkout(tmp_path / "isot", [("U.S. sanctions firms over North Korea coal",
                                          SANCTIONS)] + [(f"Story {n}", f"Text {n}.")
                                                         for n in range(12)])
    labels = tmp_path / "topics-outside.jsonl"
    ids = list(isot.read_articles(root))
    labels.write_text("".join(json.dumps(
        {"id": key, "dataset": isot.DATASET, "lang": "en",
         "topics": ["sanctions"] if n == 0 else [], "why": "read", "borderline": False}) + "\n"
        for n, key in enumerate(ids)), encoding="utf-8")

    docs = read_outside(labels, None, None, None, root)

    assert [d.id for d in docs] == ids
    assert docs[0].text == f"U.S. sanctions firms over North Korea coal\n{SANCTIONS}"
    assert docs[0].topics == {"sanctions"}
    assert read_outside(labels, None, None, None, None) == []  # no checkout: not read
    halves = {isot.part(key) for key in ids}
    assert halves == {"tune", "heldout"}  # 13 articles fall in both halves
    assert tuned_on(docs) == {key for key in ids if isot.part(key) == "tune"}

    labels.write_text(json.dumps({"id": isot.ID_PREFIX + "0" * 16, "dataset": isot.DATASET,
                                  "topics": []}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"topics-outside.jsonl:1: isot-reuters/0+: no article"):
        read_outside(labels, None, None, None, root)
