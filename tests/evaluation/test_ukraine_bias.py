"""The news-bias dataset's Ukraine-crisis articles read from a checkout: sentences in their
order with the headline first, the dataset's own ids, and a clear stop on a broken folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation import ukraine_bias
from evaluation.outside import read_outside, tuned_on

HEADLINE = "EU agrees new sanctions on Russia over Crimea"
LEAD = "European Union leaders agreed  on Thursday to freeze the assets of 12 Russian officials."
MORE = "The sanctions follow the annexation of Crimea."


def _article(root: Path, number: int, sentences: list[str]) -> None:
    folder = root / ukraine_bias.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"article": f"article_{number}", "id": f"sent_{n}", "position_in_article": n,
             "content": text, "bias": {}} for n, text in enumerate(sentences)]
    (folder / f"article_{number}.json").write_text(
        json.dumps({"id": f"article_{number}", "sentences": rows[::-1]}), encoding="utf-8")


def test_an_article_is_its_headline_then_its_sentences_in_order(tmp_path: Path) -> None:
    _article(tmp_path, 3, [HEADLINE, LEAD, MORE])
    _article(tmp_path, 12, ["Ceasefire talks in Minsk", "Talks resumed."])
    (tmp_path / ukraine_bias.FOLDER / "Codebook.md").write_text("# codebook", encoding="utf-8")

    articles = ukraine_bias.read_articles(tmp_path)

    assert sorted(articles) == ["ukraine-news-bias/article_12", "ukraine-news-bias/article_3"]
    article = articles["ukraine-news-bias/article_3"]
    assert article.text == f"{HEADLINE}\n{' '.join(LEAD.split())} {MORE}"


def test_a_broken_checkout_stops_with_a_line_naming_it(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"UKRAINE_NEWS_BIAS=.*empty: no all-data-as-json/"):
        ukraine_bias.read_articles(tmp_path / "empty")
    folder = tmp_path / "broken" / ukraine_bias.FOLDER
    folder.mkdir(parents=True)
    (folder / "article_1.json").write_text('{"id": "article_1"}', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"article_1.json: not an article of the news-bias"):
        ukraine_bias.read_articles(tmp_path / "broken")


def test_labelled_articles_are_read_with_their_checkout_and_fall_in_two_halves(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ukraine_bias.VARIABLE, raising=False)
    root = tmp_path / "bias"
    _article(root, 0, [HEADLINE, LEAD, MORE])
    for number in range(1, 13):
        _article(root, number, [f"Story {number}", "Text."])
    labels = tmp_path / "topics-outside.jsonl"
    ids = [f"ukraine-news-bias/article_{number}" for number in range(13)]
    labels.write_text("".join(json.dumps(
        {"id": key, "dataset": ukraine_bias.DATASET, "lang": "en",
         "topics": ["sanctions"] if n == 0 else [], "why": "read", "borderline": False})
        + "\n" for n, key in enumerate(ids)), encoding="utf-8")

    docs = read_outside(labels, ukraine_root=root)

    assert [d.id for d in docs] == ids
    assert (docs[0].topics, docs[0].dataset) == (frozenset({"sanctions"}), ukraine_bias.DATASET)
    assert docs[0].text.startswith(HEADLINE + "\n")
    assert read_outside(labels) == []  # no checkout: not read
    halves = {ukraine_bias.part(key) for key in ids}
    assert halves == {"tune", "heldout"}  # 13 articles fall in both halves
    assert tuned_on(docs) == {key for key in ids if ukraine_bias.part(key) == "tune"}

    labels.write_text(json.dumps({"id": "ukraine-news-bias/article_99", "dataset":
                                  ukraine_bias.DATASET, "topics": []}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"topics-outside.jsonl:1: ukraine-news-bias/article_99"):
        read_outside(labels, ukraine_root=root)
