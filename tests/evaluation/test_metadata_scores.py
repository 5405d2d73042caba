"""The metadata scores and the interval around newsmon's difference from bare trafilatura."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from evaluation.metadata import (
    Found,
    _author_f1,
    _rows,
    _title,
    htmldate_with_time,
    paired_interval,
    score,
    title_sources,
)
from evaluation.metadata_pages import Page, Truth


def page(publisher: str, title: str, authors: tuple[str, ...] | None = ("Ann Lee",)) -> Page:
    return Page("fundus", publisher, f"https://{publisher}.example/a", b"",
                Truth(title, None, True, authors))


PAGES = [page(f"p{k // 2}", f"Headline {k}") for k in range(40)]  # 20 publishers, 2 pages
RIGHT = [Found(title=p.truth.title, authors=("ann lee",)) for p in PAGES]
WRONG = [Found(title="Site name", authors=()) for _ in PAGES]


def test_scores_count_titles_and_names() -> None:
    mixed = RIGHT[:30] + WRONG[30:]
    got = score(PAGES, mixed)
    assert (got.title, got.author_precision, got.author_recall) == (0.75, 1.0, 0.75)


def test_a_loose_title_forgives_case_punctuation_and_a_suffix_not_another_wording() -> None:
    found = [Found(title="HEADLINE 0 | Site"), Found(title="Headline, 1!"),
             Found(title="Site: Headline 2 today"), Found(title="Another wording"),
             Found(title=None)]
    got = score(PAGES[:5], found)
    assert got.title == 0.0
    assert got.title_loose == 3 / 5


def test_a_byline_counts_as_found_only_with_every_expected_name() -> None:
    pages = [page("p0", "t", ("Ann Lee",)), page("p1", "t", ("Ann Lee", "Bo Ek")),
             page("p2", "t", None)]
    found = [Found(authors=("ann lee", "reuters")), Found(authors=("ann lee",)),
             Found(authors=("ann lee",))]
    got = score(pages, found)
    assert got.authors_all_found == 0.5  # the third page has no byline to find
    assert (got.author_precision, got.author_recall) == (2 / 3, 2 / 3)


def test_a_date_off_by_half_an_hour_is_right_to_the_hour_not_the_minute() -> None:
    at = datetime(2024, 5, 3, 13, 47)
    pages = [Page("fundus", "p", "https://p.example/a", b"", Truth(None, at, True, None))] * 2
    found = [Found(date=at.replace(minute=17)), Found(date=at.replace(hour=12, minute=40))]
    got = score(pages, found)
    assert (got.date_day, got.date_hour, got.date_minute) == (1.0, 0.5, 0.0)


def test_the_same_extractor_differs_by_nothing() -> None:
    assert paired_interval(PAGES, RIGHT, RIGHT, _title) == (0.0, 0.0, 0.0)


def test_better_on_every_publisher_is_better_in_every_draw() -> None:
    diff, low, high = paired_interval(PAGES, RIGHT, WRONG, _author_f1)
    assert diff == low == high == 1.0


def test_a_difference_on_few_publishers_has_an_interval_that_spans_zero() -> None:
    # newsmon right on 2 publishers' pages, bare right on 1 publisher's: +1 page in 40
    ours = RIGHT[:4] + WRONG[4:]
    bare = WRONG[:38] + RIGHT[38:]
    diff, low, high = paired_interval(PAGES, ours, bare, _title)
    assert diff == 0.05
    assert low < 0 < high


def _page_with(title: str, html: str) -> Page:
    return Page("fundus", "p", "https://p.example/a", html.encode(),
                Truth(title, None, True, None))


SOCIAL_TITLE = (
    '<html><head><meta property="og:title" content="Shared headline"></head><body><article>'
    "<h1>Markets: The headline a reader sees</h1><p>Text.</p></article></body></html>"
)


def test_a_label_is_placed_among_the_pages_own_headlines() -> None:
    assert title_sources(_page_with("The headline a reader sees", SOCIAL_TITLE)) == (
        True, True, False)  # the h1 holds it behind a kicker: not stated word for word
    assert title_sources(_page_with("Shared headline", SOCIAL_TITLE)) == (True, False, True)
    assert title_sources(_page_with("Nowhere", SOCIAL_TITLE)) == (True, False, False)
    no_h1 = "<html><head><title>Only a title</title></head><body><p>x</p></body></html>"
    assert title_sources(_page_with("Only a title", no_h1)) == (False, False, True)


def test_days_are_also_compared_on_the_pages_newsmon_stores() -> None:
    day = datetime(2020, 1, 20)
    dated = [replace(page(f"d{k}", "T"), truth=Truth(None, day, False, None)) for k in range(4)]
    right, wrong = Found(date=day), Found(date=datetime(2019, 1, 1))
    results = {"newsmon": [right, right, right, Found(rejected="no_content")],
               "trafilatura": [right, wrong, right, right], "htmldate": [right] * 4}

    rows = _rows("set", dated, results)

    whole, stored = (next(r for r in rows if r.metric.startswith(m))
                     for m in ("date, day (4", "date, day, pages stored (3"))
    assert (whole.ours, whole.met) == ("0.750", False)
    assert (stored.ours, stored.baseline, stored.met) == ("1.000", "0.667", True)
    assert "no_content 1" in stored.note
    assert not any("stored" in r.metric for r in _rows("set", dated[:3], {
        name: found[:3] for name, found in results.items()}))


def test_the_time_of_day_is_compared_with_htmldates_own_time_of_day() -> None:
    at = datetime(2024, 5, 3, 13, 47)
    timed = [replace(page(f"t{k}", "T"), truth=Truth(None, at, True, None)) for k in range(2)]
    day = Found(date=at.replace(hour=0, minute=0))
    results = {"newsmon": [Found(date=at)] * 2, "trafilatura": [day] * 2,
               "htmldate": [day] * 2,
               "htmldate-time": [Found(date=at.replace(minute=17)), Found(date=at)]}

    rows = {r.metric.split(" (")[0]: r for r in _rows("set", timed, results)}

    assert (rows["date, hour"].ours, rows["date, hour"].met) == ("1.000", True)
    assert "time of day: 1.000" in rows["date, hour"].note
    assert "time of day: 0.500" in rows["date, minute"].note
    slower = {**results, "newsmon": [Found(date=at.replace(minute=17))] * 2}
    minute = next(r for r in _rows("set", timed, slower) if r.metric.startswith("date, minute"))
    assert (minute.ours, minute.met) == ("0.000", False)  # htmldate's time beats it


def test_htmldate_is_asked_for_its_time_of_day_only_where_the_truth_has_one() -> None:
    html = (b'<html><head><meta property="article:published_time" '
            b'content="2024-05-03T15:47:00+02:00"></head><body><p>Text.</p></body></html>')
    timed = Page("fundus", "p", "https://p.example/a", html,
                 Truth(None, datetime(2024, 5, 3, 13, 47), True, None))
    assert htmldate_with_time(timed).date == datetime(2024, 5, 3, 13, 47)
    assert htmldate_with_time(replace(timed, truth=Truth(None, None, True, None))) == Found()
