"""Quality floors: a change that makes extraction worse fails here, not months later.

Each floor sits a little under the score measured when it was pinned (in brackets), on a
fixed subset of the shared corpora, scored exactly as ``evaluation/extraction.py`` scores the
full corpora. Floors are only raised; lowering one needs a reason in the commit message.
Full-corpus figures and the bare-trafilatura comparison: ``python -m bench.extraction``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation import extraction as bench
from evaluation import metadata, metadata_pages, notices, pointers

#: article-extraction-benchmark, first 30 pages by id: F1 [0.960 on 2026-11-22]
BODY_F1_FLOOR = 0.95
#: trafilatura-eval, first 100 pages: segment F1 [0.936 on 2026-11-22]
SEGMENT_F1_FLOOR = 0.925
#: Metadata on the fundus publishers held out from tuning (``evaluation/metadata.py``):
#: [title 0.772, date within a day 0.978, to the minute 0.859, authors F1 0.793 on
#: 2026-12-03, 0.784 with author links; authors are the byline's people and agencies;
#: authors 0.812 on 2026-12-07, with the byline a story opens with and no e-mail address].
#: Bare trafilatura gets 0.043 to the minute: its dates are days. The minute floor was
#: 0.86 for a day and moved down when the stated time stopped overruling the page's
#: visible day (better days on every held-out set, a page's time of day lost).
TITLE_FLOOR = 0.76
DATE_FLOOR = 0.96
DATE_MINUTE_FLOOR = 0.84
AUTHOR_F1_FLOOR = 0.79
#: Site notices on the shared corpora's labelled paragraphs (``evaluation/notices.py``),
#: sites held out: [10 of 22 taken out, none of the 204 other paragraphs, on 2026-12-07];
#: bare trafilatura keeps all 22.
NOTICE_RECALL_FLOOR = 0.40
#: The site's furniture (copyright lines, policy links, newsletter calls) on the same
#: paragraphs, sites held out: [5 of 17 taken out, no other paragraph, on 2026-12-07];
#: bare trafilatura keeps all 17.
FURNITURE_FLOOR = 4
#: Pointers to the site's other stories ("Read more: ...", ``evaluation/pointers.py``) on
#: the shared corpora's labelled paragraphs, sites held out: [19 of 37 taken out, none of
#: the 158 content paragraphs, on 2026-12-07]; bare trafilatura keeps 36 of the 37.
POINTER_FLOOR = 17

@pytest.fixture(autouse=True)
def _corpora(shared: Path) -> None:
    """Fail (not skip) when ../shared is missing: a gate that silently skips guards nothing."""


def _held_out(pages: list[metadata_pages.Page]) -> list[metadata_pages.Page]:
    """The pages of the sites held out (the floors' only pages: extracting the tuning
    sites' too would double the gates' time)."""
    return [page for page in pages if notices.part_of(page.url) == "heldout"]


def test_body_f1_on_extraction_benchmark_subset() -> None:
    score = bench.score_benchmark(bench.benchmark_pages(30), bench.newsmon_text)
    assert score.f1 >= BODY_F1_FLOOR, score.describe()


def test_segment_f1_on_trafilatura_eval_subset() -> None:
    score = bench.score_segments(bench.traf_eval_pages(100), bench.newsmon_text)
    assert score.f1 >= SEGMENT_F1_FLOOR, score.describe()


def test_metadata_on_held_out_fundus_publishers() -> None:
    pages = [p for p in metadata_pages.pages_in("heldout") if p.corpus == "fundus"]
    score = metadata.score(pages, metadata.run_extractor(pages, metadata.newsmon))
    assert score.title >= TITLE_FLOOR, score
    assert score.date_day >= DATE_FLOOR, score
    assert score.date_minute >= DATE_MINUTE_FLOOR, score
    assert score.author_f1 >= AUTHOR_F1_FLOOR, score


def test_site_notices_go_and_nothing_else_on_held_out_sites() -> None:
    found = notices.outcomes(_held_out(notices.labelled_shared_pages()))
    held = [o for o in found.outcomes if notices.part_of(o.label.url) == "heldout"]
    tally = notices.tally(held)
    assert tally.missing == 0, tally  # the labelled paragraphs are the text's still
    assert (tally.content_removed, tally.chrome_removed) == (0, 0), tally
    assert tally.recall >= NOTICE_RECALL_FLOOR, tally
    assert (tally.content_furnished, tally.notices_furnished) == (0, 0), tally
    assert tally.chrome_furnished >= FURNITURE_FLOOR, tally


def test_pointers_go_and_no_content_on_held_out_sites() -> None:
    found = pointers.outcomes(_held_out(pointers.labelled_shared_pages()))
    held = pointers.tally(o for o in found.outcomes if notices.part_of(o.label.url) == "heldout")
    assert held.missing == 0, held  # the labelled paragraphs are the text's still
    assert held.out("content") == 0, held
    assert held.out("related") >= POINTER_FLOOR, held


def test_pointer_labels_cover_both_parts_and_each_page_paragraph_once() -> None:
    labels = pointers.labels()
    assert len({(label.id, label.url) for label in labels}) == len(labels)
    for kind in ("related", "wall", "content"):
        assert {notices.part_of(label.url) for label in labels if label.label == kind} == {
            "tune", "heldout"}, kind


def test_notice_labels_have_notices_in_both_parts_and_each_paragraph_once(
    tmp_path: Path
) -> None:
    labels = notices.read_labels()
    assert len({label.id for label in labels}) == len(labels)
    held = [label for label in labels if label.label == "notice"]
    assert {notices.part_of(label.url) for label in held} == {"tune", "heldout"}
    wrong = tmp_path / "labels.jsonl"
    wrong.write_text('{"id": "a", "corpus": "c", "url": "https://x.org/", "label": "nag",'
                     ' "why": ""}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="labels.jsonl:1: label 'nag' is none of"):
        notices.read_labels(wrong)


def test_scorer_matches_the_benchmark_method() -> None:
    """The scorer itself: identical texts score 1, disjoint texts 0, a half overlap in between."""
    text = "one two three four five six seven eight nine ten"
    assert bench.body_score([(text, text)], n_bootstrap=0).f1 == 1.0
    assert bench.body_score([(text, "alpha beta gamma delta epsilon")], n_bootstrap=0).f1 == 0.0
    half = bench.body_score([(text, "one two three four five six seven")], n_bootstrap=0)
    assert half.precision == 1.0
    assert 0.4 < half.recall < 0.6


def test_metadata_split_is_the_committed_one_and_keeps_publishers_apart() -> None:
    """Rules are tuned on one part and reported on the other: the committed split must be
    what its seed makes, and no publisher may sit in both parts."""
    pages = metadata_pages.all_pages()
    assert metadata_pages.make_split(pages) == metadata_pages.read_split()
    tuning, held_out = metadata_pages.pages_in("tune"), metadata_pages.pages_in("heldout")
    tune = {(p.corpus, p.publisher) for p in tuning}
    held = {(p.corpus, p.publisher) for p in held_out}
    assert tune and held and not tune & held
    assert len(tuning) + len(held_out) == len(pages)


def test_metadata_scorer() -> None:
    page = metadata_pages.fundus_pages()[0]
    truth = page.truth
    assert truth.title and truth.date and truth.authors
    right = metadata.Found(
        title=truth.title.replace(" ", "  ") + "\u00ad",  # whitespace and soft hyphens
        date=truth.date,
        authors=tuple(a.upper().casefold() for a in truth.authors),
    )
    wrong = metadata.Found(title="Something else", date=truth.date.replace(year=2001))
    perfect = metadata.score([page], [right])
    assert (perfect.title, perfect.date_day, perfect.date_minute, perfect.author_f1) == (1, 1, 1, 1)
    none = metadata.score([page], [wrong])
    assert (none.title, none.date_day, none.date_minute, none.author_f1) == (0, 0, 0, 0)
