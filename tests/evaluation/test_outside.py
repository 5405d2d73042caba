"""The labelled pages outside ../shared: found in the checkouts, read as bare trafilatura
reads them, and scored only when a checkout is given."""

from __future__ import annotations

import gzip
import json
import subprocess
from pathlib import Path

import pytest

from evaluation import agnews, fundus_history, isot, l3s, ukraine_bias
from evaluation.metadata_pages import FUNDUS_TEST_DATA_VARIABLE, HTMLDATE_TESTS_VARIABLE
from evaluation.outside import borderline_ids, page_path, read_outside
from evaluation.tagging import outside_rows, outside_second_reading_rows
from newsmon.tagging import load_tagger

STORY = ("<html><body><article><h1>Sanctions on the oil trade</h1>"
         + "<p>The European Union adopted new sanctions against the country's oil exports on "
           "Monday, freezing the assets of three shipping firms.</p>" * 3
         + "<p>Ministers said the sanctions would stay until the embargo is respected.</p>"
           "</article></body></html>")
RECIPE = ("<html><body><article><h1>Lemon cake</h1>"
          + "<p>Mix the butter with the sugar, add three eggs and the zest of two lemons, then "
            "bake the cake for forty minutes.</p>" * 3 + "</article></body></html>")


@pytest.fixture(autouse=True)
def no_checkouts_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests build their own checkouts: a developer's named ones must not leak in."""
    for variable in (HTMLDATE_TESTS_VARIABLE, FUNDUS_TEST_DATA_VARIABLE, l3s.VARIABLE,
                     isot.VARIABLE, fundus_history.VARIABLE, agnews.VARIABLE,
                     ukraine_bias.VARIABLE):
        monkeypatch.delenv(variable, raising=False)


def checkouts(tmp_path: Path) -> tuple[Path, Path, Path]:
    htmldate, fundus = tmp_path / "htmldate" / "tests", tmp_path / "fundus" / "test_data"
    (htmldate / "eval").mkdir(parents=True)
    (fundus / "de").mkdir(parents=True)
    (htmldate / "eval" / "cake.html").write_text(RECIPE, encoding="utf-8")
    (fundus / "de" / "Paper_2024_01_02.html.gz").write_bytes(gzip.compress(STORY.encode()))
    labels = tmp_path / "topics-outside.jsonl"
    rows = [{"id": "htmldate-eval/cake.html", "dataset": "htmldate-eval", "lang": "en",
             "topics": [], "why": "A recipe.", "borderline": True},
            {"id": "fundus-unshared-de/Paper_2024_01_02", "dataset": "fundus-unshared",
             "lang": "en", "topics": ["sanctions"], "why": "EU oil sanctions.",
             "borderline": False}]
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return htmldate, fundus, labels


def test_labelled_pages_are_read_from_the_checkouts_given(tmp_path: Path) -> None:
    htmldate, fundus, labels = checkouts(tmp_path)

    docs = read_outside(labels, htmldate, fundus)

    assert [(d.id, d.topics) for d in docs] == [
        ("htmldate-eval/cake.html", frozenset()),
        ("fundus-unshared-de/Paper_2024_01_02", frozenset({"sanctions"}))]
    assert "zest of two lemons" in docs[0].text and "<p>" not in docs[0].text
    assert "freezing the assets" in docs[1].text  # gunzipped, extracted
    only_fundus = read_outside(labels, None, fundus)
    assert [d.dataset for d in only_fundus] == ["fundus-unshared"]


def test_a_labelled_page_missing_from_its_checkout_names_the_line(tmp_path: Path) -> None:
    htmldate, fundus, labels = checkouts(tmp_path)
    (htmldate / "eval" / "cake.html").unlink()
    with pytest.raises(ValueError, match=r"topics-outside.jsonl:1: htmldate-eval/cake.html"):
        read_outside(labels, htmldate, fundus)
    with pytest.raises(ValueError, match="no checkout holds"):
        page_path("teval-x", htmldate, fundus)
    labels.write_text(json.dumps({"id": "teval-x", "dataset": "x", "topics": []}) + "\n",
                      encoding="utf-8")
    with pytest.raises(ValueError, match=r"topics-outside.jsonl:1: teval-x: no checkout holds"):
        read_outside(labels, htmldate, fundus)


def test_the_shipped_tagger_is_scored_on_them_and_no_row_without_them(tmp_path: Path) -> None:
    htmldate, fundus, labels = checkouts(tmp_path)
    tagger = load_tagger()

    rows = outside_rows(tagger, read_outside(labels, htmldate, fundus))

    assert [r.metric for r in rows] == [  # both pages in English: no other-language row
        "P / R / F1", "topic-free given a topic, per 1,000", "P / R / F1", "P / R / F1",
        "P / R / F1"]
    assert rows[2].benchmark.endswith("/ 2 pages in German or English")
    assert [r.benchmark.rsplit("/ ", 1)[-1] for r in rows[3:]] == [  # one row per set
        "1 pages of fundus-unshared", "1 pages of htmldate-eval"]
    assert "tp 1, fp 0, fn 0" in rows[3].note and "tp 0, fp 0, fn 0" in rows[4].note
    assert rows[0].ours == "1.000 / 1.000 / 1.000" and "sanctions 1/0/0" in rows[0].note
    assert (rows[1].ours, rows[1].note) == ("0.0", "0 of 1")
    assert outside_rows(tagger, []) == []
    clear = outside_rows(tagger, read_outside(labels, htmldate, fundus), borderline_ids(labels))
    assert clear[-1].benchmark.endswith("/ 1 pages not marked borderline")
    assert "tp 1, fp 0, fn 0" in clear[-1].note


def test_a_set_read_a_second_time_gets_the_readers_agreement_beside_newsmons(
        tmp_path: Path) -> None:
    htmldate, fundus, labels = checkouts(tmp_path)
    docs = read_outside(labels, htmldate, fundus)
    second = {"fundus-unshared-de/Paper_2024_01_02": frozenset({"sanctions", "diplomacy"})}

    (row,) = outside_second_reading_rows(load_tagger(), docs, second)  # htmldate: not read

    assert "1 pages of fundus-unshared read a second time, blind (all 1 with a topic, 0 " \
           "topic-free)" in row.benchmark
    assert row.ours == "1.000 / 1.000 / 1.000"  # newsmon finds the one label
    assert "the second reader: P / R / F1 0.500 / 1.000 / 0.667 (tp 1, fp 1.0, fn 0)" in row.note


def test_pages_fundus_has_replaced_are_read_from_its_history(tmp_path: Path) -> None:
    git_dir = tmp_path / "fundus.git"
    subprocess.run(["git", "init", "-q", "--bare", str(git_dir)], check=True)
    blob = subprocess.run(["git", "--git-dir", str(git_dir), "hash-object", "-w", "--stdin"],
                          input=gzip.compress(STORY.encode()), capture_output=True,
                          check=True).stdout.decode().strip()
    labels = tmp_path / "topics-outside.jsonl"
    row = {"id": f"fundus-history/{blob}", "dataset": "fundus-history", "lang": "en",
           "topics": ["sanctions"], "why": "EU oil sanctions.", "borderline": False}
    labels.write_text(json.dumps(row) + "\n", encoding="utf-8")

    (doc,) = read_outside(labels, fundus_git=git_dir)

    assert (doc.id, doc.dataset, doc.topics) == (row["id"], "fundus-history", {"sanctions"})
    assert "freezing the assets" in doc.text
    assert read_outside(labels) == []  # no history named: not read
    labels.write_text(json.dumps({**row, "id": "fundus-history/" + "0" * 40}) + "\n",
                      encoding="utf-8")
    with pytest.raises(ValueError, match=r"topics-outside.jsonl:1: fundus-history/0+: no such "
                                         r"page in the history"):
        read_outside(labels, fundus_git=git_dir)
