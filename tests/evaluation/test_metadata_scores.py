"""The metadata scores and the interval around newsmon's difference from bare trafilatura."""

from __future__ import annotations

from evaluation.metadata import (
    Found,
    Page,
    Truth,
    _author_f1,
    _title,
    paired_interval,
    score,
    title_sources,
)


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
