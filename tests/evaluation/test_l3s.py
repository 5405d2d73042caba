"""L3S-GN1 read from a checkout: headlines and full text as people marked them, a lost
character restored from the page, and its pages in the metadata, body and topic sets."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from evaluation import l3s
from evaluation.extraction import l3s_rows
from evaluation.metadata_pages import hashed_part, l3s_pages, part_of
from evaluation.outside import read_outside, tuned_on
from newsmon.tagging.evaluate import LabelledDoc

STORY = "The council approved the new tram line on Monday after a long debate. " * 6


def _page(title: str, headline: str, body: str) -> str:
    return (f"<html><head><meta http-equiv='Content-Type' content='text/html; "
            f"charset=ISO-8859-1'><title>{title}</title></head><body>{headline}"
            f"<p>{body}</p></body></html>")


def _annotated(headlines: list[str], body: str) -> str:
    marked = "".join(f"<span class='x-nc-sel1'>{h}</span>" for h in headlines)
    return (f"<html><body><span class='x-nc-sel0'>Home | Sport</span>{marked}"
            f"<span class='x-nc-sel2'>{body}</span><span class='x-nc-sel5'>A comment"
            "</span></body></html>")


@pytest.fixture()
def checkout(tmp_path: Path) -> Path:
    root = tmp_path / "L3S-GN1"
    (root / "original").mkdir(parents=True)
    (root / "annotated").mkdir()
    pages = {  # uuid: (original, annotated), UTF-8 bytes as in the dataset
        "aaaa": (_page("Council’s tram plan passes - City Herald", "<b>Council’s tram plan "
                       "passes</b>", STORY),
                 _annotated(["Council?s tram plan passes"], STORY)),
        "bbbb": (_page("Tram?", "<h2>Tram?</h2><h3>A subhead</h3>", STORY),
                 _annotated(["Tram?", "A subhead"], STORY)),
    }
    mapping = []
    for uuid, (original, annotated) in pages.items():
        (root / "original" / f"{uuid}.html").write_bytes(original.encode())
        (root / "annotated" / f"{uuid}.html").write_bytes(annotated.encode())
        mapping.append(f"<urn:uuid:{uuid}>\thttp://www.cityherald.example/{uuid}.html\n")
    (root / "url-mapping.txt").write_text("".join(mapping), encoding="utf-8")
    l3s.read_pages.cache_clear()
    return root


def test_headline_and_full_text_are_the_marked_blocks(checkout: Path) -> None:
    first, second = l3s.read_pages(checkout)

    assert first.headline == "Council’s tram plan passes"  # restored from the page
    assert first.url == "http://www.cityherald.example/aaaa.html"
    assert first.body == " ".join(STORY.split())  # no boilerplate, no comment
    assert first.text.startswith("Council’s tram plan passes\nThe council approved")
    assert second.headlines == ("Tram?", "A subhead") and second.headline is None


@pytest.mark.parametrize(("marked", "page", "restored"), [
    ("Kosovo?s future", "UN: Kosovo’s future status", "Kosovo’s future"),
    ("Is it over?", "Is it over? Yes", "Is it over?"),  # a real question mark stays
    ("Lost ? here", "nothing like it", "Lost ? here"),  # not on the page: as marked
])
def test_a_character_the_annotation_lost_is_restored(marked: str, page: str,
                                                     restored: str) -> None:
    assert l3s.restore(marked, page) == restored


def test_pages_carry_the_one_marked_headline_and_the_byline_and_day_read(
        checkout: Path, tmp_path: Path) -> None:
    labels = tmp_path / "metadata-l3s.jsonl"
    rows = [{"id": "l3s-gn1/aaaa", "authors": ["Jane Roe"], "agencies": ["AP"],
             "date": "2008-01-14", "note": "byline and dateline"},
            {"id": "l3s-gn1/bbbb", "authors": [], "agencies": [], "date": None, "note": ""}]
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    first, second = l3s_pages(checkout, labels)

    assert (first.corpus, first.truth.title, first.truth.authors) == (
        "l3s-gn1", "Council’s tram plan passes", ("Jane Roe", "AP"))
    assert first.truth.date == datetime(2008, 1, 14) and not first.truth.date_has_time
    assert (second.truth.title, second.truth.date, second.truth.authors) == (None, None, ())
    assert part_of(first) in ("tune", "heldout")  # dealt by site, no file to keep
    labels.write_text(json.dumps(rows[0]) + "\n", encoding="utf-8")
    with pytest.raises(LookupError, match="metadata-l3s.jsonl: no label for bbbb"):
        l3s_pages(checkout, labels)


def test_body_rows_beside_bare_trafilatura_only_with_the_checkout(
        checkout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(l3s.VARIABLE, raising=False)
    assert l3s_rows() == []
    monkeypatch.setenv(l3s.VARIABLE, str(checkout))

    rows = l3s_rows()

    assert [r.metric for r in rows] == ["F1", "precision / recall"]  # one site: one half
    assert "half (2 pages, 1 sites)" in rows[0].benchmark
    assert float(rows[0].ours.split(" ")[0]) > 0.9  # the story is the page's text


def test_topic_labels_read_the_marked_text(checkout: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(l3s.VARIABLE, raising=False)
    labels = tmp_path / "topics-outside.jsonl"
    rows = [{"id": "l3s-gn1/aaaa", "dataset": "l3s-gn1", "lang": "en", "topics": [],
             "why": "A local tram line.", "borderline": False}]
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    (doc,) = read_outside(labels, None, None, checkout)

    assert (doc.id, doc.dataset, doc.topics) == ("l3s-gn1/aaaa", "l3s-gn1", frozenset())
    assert doc.text.startswith("Council’s tram plan passes")
    assert read_outside(labels, None, None, None) == []  # no checkout: not read
    labels.write_text(json.dumps({**rows[0], "id": "l3s-gn1/cccc"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"topics-outside.jsonl:1: l3s-gn1/cccc: no page"):
        read_outside(labels, None, None, checkout)


def test_the_pages_of_the_tuning_half_are_the_ones_tuned_on(checkout: Path,
                                                            tmp_path: Path) -> None:
    labels = tmp_path / "topics-outside.jsonl"
    rows = [{"id": f"l3s-gn1/{uuid}", "dataset": "l3s-gn1", "lang": "en", "topics": [],
             "why": "", "borderline": False} for uuid in ("aaaa", "bbbb")]
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    docs = read_outside(labels, None, None, checkout)
    assert hashed_part("l3s-gn1", "cityherald.example") == "tune"  # both pages' site

    tuned = tuned_on(docs, checkout)

    assert tuned == {"l3s-gn1/aaaa", "l3s-gn1/bbbb"}
    other = [LabelledDoc("fundus-unshared-de/x", "de", "Text", frozenset(), "fundus-unshared")]
    assert tuned_on(other, checkout) == frozenset()
