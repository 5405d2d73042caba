"""An article its site splits over pages is stored whole: its next pages (``<link
rel="next">`` to its own address with a page number) are fetched with it; a blog's next
post is another article and is not followed; a next page that cannot be fetched leaves the
article as far as it was read."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from evaluation.feedserver import rss, start_site
from newsmon.core.settings import Settings
from newsmon.cycle import run_cycle
from newsmon.fetch import FetchPolicy
from newsmon.pipeline.summary import RunSummary
from newsmon.sources.feed_plan import FeedPlan, FeedSource
from newsmon.sources.pagination import MAX_PAGES, is_next_page
from newsmon.sources.schedule import PollSchedule
from warehouse import Warehouse

ZEIT = "https://www.zeit.de/2019/43/klimaschutz-banken"


@pytest.mark.parametrize(("first", "candidate", "number"), [
    (ZEIT, ZEIT + "/seite-2", 2),
    (ZEIT, ZEIT + "/seite-3", 3),
    ("https://www.faz.net/aktuell/wirtschaft/musik-16604622.html",
     "https://www.faz.net/aktuell/wirtschaft/musik-16604622-p2.html", 2),
    ("https://www.golem.de/news/grafikkarte-2310-178000.html",
     "https://www.golem.de/news/grafikkarte-2310-178000-2.html", 2),
    ("https://www.heise.de/hintergrund/chips-9300000.html",
     "https://www.heise.de/hintergrund/chips-9300000.html?seite=2", 2),
    ("https://www.nikkan-gendai.com/articles/view/sports/367061",
     "https://www.nikkan-gendai.com/articles/view/sports/367061/2", 2),
    ("https://news.example.org/story?id=7", "https://news.example.org/story?id=7&page=2", 2),
])
def test_the_next_page_of_the_same_article_is_one(first: str, candidate: str,
                                                  number: int) -> None:
    assert is_next_page(first, candidate, number)


@pytest.mark.parametrize(("first", "candidate", "number"), [
    # a blog's rel=next names its next post, another article
    ("https://lemire.me/blog/2019/08/02/json-parsing/",
     "https://lemire.me/blog/2019/08/04/science-links/", 2),
    ("http://wir-empfehlen.info/?p=3289", "http://wir-empfehlen.info/?p=3293", 2),
    (ZEIT, ZEIT + "/seite-3", 2),  # a page skipped
    (ZEIT, "https://other.example/2019/43/klimaschutz-banken/seite-2", 2),
    ("https://news.example.org/story?id=7", "https://news.example.org/story?id=8", 2),
    ("https://news.example.org/story?id=7", "https://news.example.org/story?page=2", 2),
])
def test_another_address_is_not(first: str, candidate: str, number: int) -> None:
    assert not is_next_page(first, candidate, number)


def _paragraphs(page: int) -> list[str]:
    return [f"Auf Seite {page} berichtet die Delegation über die Gespräche in Wladiwostok, "
            f"wo Handel, Getreide und eine neue Bahnverbindung Thema waren (Absatz {k})."
            for k in range(1, 4)]


LEAD = ("Kim Jong-un ist zu Gesprächen mit Wladimir Putin in Wladiwostok eingetroffen, wie "
        "beide Regierungen am Dienstag bestätigten.")


def _page(title: str, page: int, next_href: str | None) -> str:
    link = f'<link rel="next" href="{next_href}">' if next_href else ""
    body = "".join(f"<p>{p}</p>" for p in [LEAD, *_paragraphs(page)])
    pager = f'<nav><a rel="next" href="{next_href}">Nächste Seite</a></nav>' if next_href else ""
    return (f"<!DOCTYPE html><html><head><title>{title}</title>{link}</head><body><article>"
            f"<h1>{title}</h1>{body}</article>{pager}</body></html>")


def _poll(feed: str, db: Path) -> RunSummary:
    """One cycle over ``feed`` (served over loopback) into ``db``."""
    policy = FetchPolicy(allow_private_networks=True, timeout_s=10.0)
    return run_cycle(Settings(db=db), [], "run",
                     feeds=FeedPlan((FeedSource(feed),), policy, False, PollSchedule()))


def test_a_split_article_is_stored_whole_and_a_blogs_next_post_is_not_followed(
    tmp_path: Path
) -> None:
    with contextlib.contextmanager(start_site)() as site:
        split = site.url("/2023/09/gipfel")
        site.serve("/2023/09/gipfel", _page("Gipfel", 1, split + "/seite-2"))
        site.serve("/2023/09/gipfel/seite-2", _page("Gipfel", 2, split + "/seite-3"))
        site.serve("/2023/09/gipfel/seite-3", _page("Gipfel", 3, None))
        post = site.url("/blog/2023/09/12/treffen")
        site.serve("/blog/2023/09/12/treffen", _page("Treffen", 1, site.url(
            "/blog/2023/09/13/naechster-beitrag")))
        cut = site.url("/2023/09/abgebrochen")
        site.serve("/2023/09/abgebrochen", _page("Abgebrochen", 1, cut + "/seite-2"))
        feed = site.serve("/feed.xml", rss([{"title": t, "link": u} for t, u in (
            ("Gipfel", split), ("Treffen", post), ("Abgebrochen", cut))]), "application/rss+xml")
        db = tmp_path / "w.duckdb"
        done = _poll(feed, db)
        assert not site.requests("/blog/2023/09/13/naechster-beitrag")
        assert len(site.requests("/2023/09/abgebrochen/seite-2")) >= 1  # asked: a 404
    assert done.added == 3 and not done.reasons
    texts = dict(Warehouse(db).query("SELECT title, text FROM articles").rows)
    whole = str(texts["Gipfel"])
    assert [whole.count(p) for page in (1, 2, 3) for p in _paragraphs(page)] == [1] * 9
    assert whole.count(LEAD) == 1  # the lead every page repeats, once
    assert whole.index(_paragraphs(1)[0]) < whole.index(_paragraphs(2)[0]) < whole.index(
        _paragraphs(3)[0])
    for title in ("Treffen", "Abgebrochen"):  # the first page alone
        assert "Seite 2" not in str(texts[title]) and _paragraphs(1)[2] in str(texts[title])


def test_an_article_is_read_to_its_tenth_page_at_most(tmp_path: Path) -> None:
    """A chain of next pages that does not end (a gallery, a pager gone wrong) is read to
    :data:`MAX_PAGES` and no further."""
    with contextlib.contextmanager(start_site)() as site:
        first = site.url("/2023/09/endlos")
        site.serve("/2023/09/endlos", _page("Endlos", 1, first + "/seite-2"))
        for n in range(2, MAX_PAGES + 3):
            site.serve(f"/2023/09/endlos/seite-{n}", _page("Endlos", n, f"{first}/seite-{n + 1}"))
        feed = site.serve("/feed.xml", rss([{"title": "Endlos", "link": first}]),
                          "application/rss+xml")
        db = tmp_path / "w.duckdb"
        done = _poll(feed, db)
        asked = [n for n in range(2, MAX_PAGES + 3) if site.requests(f"/2023/09/endlos/seite-{n}")]
    assert done.added == 1 and asked == list(range(2, MAX_PAGES + 1))
    [(text,)] = Warehouse(db).query("SELECT text FROM articles").rows
    assert _paragraphs(MAX_PAGES)[0] in str(text) and _paragraphs(MAX_PAGES + 1)[0] not in str(text)
