"""The search index on its own: real tantivy files in a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmon.core.errors import InputError
from newsmon.search.index import (
    IndexedArticle,
    SearchIndex,
    character_pairs,
    run_snippet,
    sought_runs,
    to_tantivy,
    with_pairs,
)

DOCS = [
    IndexedArticle(1, "de", "Neue Sanktionen gegen Russland", "Die EU beschließt Sanktionen "
                   "gegen Russland wegen der Waffenlieferungen aus Nordkorea."),
    IndexedArticle(2, "de", "Kim Jong Un reist nach Wladiwostok", "Der gepanzerte Zug von Kim "
                   "Jong Un erreicht Russland; ein Treffen mit Putin ist geplant."),
    IndexedArticle(3, "en", "US sanctions North Korean shipping firms", "Washington sanctioned "
                   "two shipping companies accused of moving arms to Russia."),
    IndexedArticle(4, "en", "Satellite launch fails", "North Korea's reconnaissance satellite "
                   "launch failed again, officials said."),
    IndexedArticle(5, "fr", "Sanctions contre la Russie", "L'Union européenne adopte de "
                   "nouvelles sanctions contre la Russie."),
]


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    index = SearchIndex(tmp_path / "idx")
    assert index.add(DOCS) == len(DOCS)
    return index


def ids(index: SearchIndex, query: str, **kwargs: object) -> list[int]:
    return [h.article_id for h in index.search(query, **kwargs)]  # type: ignore[arg-type]


def test_words_are_stemmed_by_the_articles_language(index: SearchIndex) -> None:
    assert ids(index, "Sanktion") == [1]  # German stem: Sanktion ~ Sanktionen
    assert ids(index, "sanction", languages=["en"]) == [3]  # sanction ~ sanctioned
    assert ids(index, "sanction", languages=["fr"]) == [5]  # French stem: ~ sanctions
    assert sorted(ids(index, "sanctions")) == [3, 5]


def test_languages_without_a_stemmer_match_the_word_as_written(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "idx")
    index.add([IndexedArticle(1, "pl", "Sankcje wobec Rosji", "Unia Europejska przyjęła "
                              "nowe sankcje wobec Rosji."),
               IndexedArticle(2, "ru", "Санкции", "Евросоюз ввёл санкции против России; "
                              "Путином недовольны в Брюсселе.")])
    assert ids(index, "sankcje") == [1] and ids(index, "sankcja") == []
    assert ids(index, "Путин") == [2] and ids(index, "санкция") == [2]  # Russian is stemmed


def test_words_of_scripts_without_spaces_are_found_inside_sentences(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "idx")
    index.add([
        IndexedArticle(1, "ja", "金正恩氏とプーチン氏が会談", "北朝鮮の金正恩総書記は十三日、"
                       "ロシア極東の宇宙基地でプーチン大統領と会談した。"),
        IndexedArticle(2, "zh", "金正恩与普京会谈", "朝鲜最高领导人金正恩十三日在俄罗斯远东的"
                       "航天发射场与普京总统会谈。"),
        IndexedArticle(3, "ja", "別の話", "金正の話と正恩の話は別だ。"),  # the pairs, apart
        IndexedArticle(4, "th", "ข่าว", "ผู้นำเกาหลีเหนือพบกับประธานาธิบดีปูตินที่ฐานอวกาศ"),
    ])
    assert sorted(ids(index, "金正恩")) == [1, 2]  # not 3: its pairs are not in order
    assert ids(index, "プーチン") == [1] and ids(index, "普京") == [2]
    assert ids(index, '"大統領と会談"') == [1] and ids(index, "会談 プーチン") == [1]
    assert ids(index, "金正恩 NOT 普京") == [1] and ids(index, "ปูติน") == [4]


def test_query_runs_of_unspaced_scripts_become_phrases_of_pairs() -> None:
    assert with_pairs("金正恩 Putin") == '"金正 正恩" Putin'
    assert with_pairs('"大統領と会談"') == '"大統 統領 領と と会 会談"'
    assert with_pairs("普京") == "普京" and with_pairs("金") == "金"
    assert character_pairs("金正恩, Kim 総書記") == "金正 正恩 総書 書記"


def test_all_words_must_match_and_phrases_or_and_not_combine(index: SearchIndex) -> None:
    assert ids(index, "Sanktionen Nordkorea") == [1]
    assert ids(index, '"Kim Jong Un"') == [2]
    assert ids(index, '"Jong Kim"') == []
    assert sorted(ids(index, "satellite OR Wladiwostok")) == [2, 4]
    assert sorted(ids(index, "Russland NOT Putin")) == [1]
    assert sorted(ids(index, "Russland -Putin")) == [1]
    assert sorted(ids(index, "(Putin OR EU) AND Russland")) == [1, 2]


def test_a_title_match_ranks_first_and_snippets_mark_the_words(index: SearchIndex) -> None:
    hits = index.search("Russland")
    assert hits[0].article_id == 1  # in the title and the text
    assert "**Russland**" in hits[0].snippet


def test_filters_restrict_to_the_given_articles(index: SearchIndex) -> None:
    assert ids(index, "Russland", only_ids=[2]) == [2]
    assert ids(index, "Russland", only_ids=[]) == []
    assert ids(index, "sanction", languages=["en"]) == [3]


def test_indexing_an_article_again_keeps_one_document(index: SearchIndex) -> None:
    changed = IndexedArticle(4, "en", "Satellite launch succeeds", "The launch worked.")
    index.add([changed, changed])
    assert index.count() == len(DOCS)
    assert ids(index, "succeeds") == [4] and ids(index, "failed") == []


def test_time_and_source_filters_use_what_was_indexed(tmp_path: Path) -> None:
    from datetime import datetime

    index = SearchIndex(tmp_path / "idx")
    index.add([
        IndexedArticle(1, "en", "Old", "talks in Moscow", "Agency A", datetime(2026, 1, 1, 12)),
        IndexedArticle(2, "en", "New", "talks in Moscow", "Agency B", datetime(2026, 3, 1, 12)),
    ])
    assert ids(index, "talks", since=datetime(2026, 2, 1)) == [2]
    assert ids(index, "talks", until=datetime(2026, 2, 1)) == [1]
    assert ids(index, "talks", until=datetime(2026, 3, 1, 12)) == [1]  # until is exclusive
    assert ids(index, "talks", sources=["Agency A"]) == [1]


def test_an_index_of_another_version_is_replaced(tmp_path: Path) -> None:
    old = tmp_path / "idx" / "v0"
    old.mkdir(parents=True)
    (old / "meta.json").write_text("{}", encoding="utf-8")
    index = SearchIndex(tmp_path / "idx")
    assert not old.exists() and index.count() == 0


def test_bad_queries_are_one_line_errors(index: SearchIndex) -> None:
    for query, expected in [("", "empty"), ("NOT Putin", "only excludes"), ("(((", "no word"),
                            ("- + :", "no word"),
                            ("(Putin", r"search query '\(Putin'")]:
        with pytest.raises(InputError, match=expected) as caught:
            index.search(query)
        assert "\n" not in str(caught.value)
    assert to_tantivy("Kim: Putin") == "Kim  Putin"  # a colon is not a field selector


def test_apostrophes_and_tantivy_syntax_newsmon_lacks_are_words(index: SearchIndex) -> None:
    """An analyst types "Korea's" or "O'Brien" (tantivy would read a single-quoted phrase
    and fail), "<satellite>" or "[satellite]" (a range), "satellite^2" (a boost): each
    looks for its words. A phrase left open runs to the end of the query."""
    for query in ["Korea's", "North Korea’s satellite", "'Korea'", "<satellite>",
                  "[satellite]", "{satellite}", "`satellite`", "satellite~",
                  '"reconnaissance satellite']:
        assert ids(index, query) == [4], query
    assert ids(index, "L'Union") == [5]
    assert ids(index, "Korea's NOT satellite") == []
    assert to_tantivy("Kim's visit") == '"Kim s" visit'
    assert to_tantivy('"Kim Jong Un') == '"Kim Jong Un"'
    assert ids(index, "IN [launch satellite]") == []  # "in" a word, as any other
    with pytest.raises(InputError, match="only excludes"):
        index.search("-Korea's")


def test_snippets_mark_the_words_of_scripts_without_spaces(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "idx")
    lead = "気象庁によると、" * 20  # the match sits past the snippet's usual start
    text = lead + "高知と宮崎に1メートルの津波注意報。"
    index.add([IndexedArticle(1, "ja", "宮崎県で震度5弱", text)])
    snippet = index.search("津波")[0].snippet
    assert "**津波**" in snippet and snippet.endswith("注意報。")
    assert "**宮崎**" in index.search("宮崎 NOT 東京")[0].snippet


def test_the_runs_a_query_looks_for_leave_out_the_excluded() -> None:
    assert sought_runs('金正恩 -普京 NOT "东京" Putin 金正恩') == ("金正恩",)
    assert run_snippet("北朝鮮の金正恩総書記", ("金正恩", "総書記")) == "北朝鮮の**金正恩総書記**"
    assert run_snippet("no such run here", ("金正恩",)) == ""
