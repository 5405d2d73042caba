"""Which entry of a feed is which story, when its link does not say: a ticker's flashes,
each with its own text and all linking the ticker's one page, told apart only by their
ids (keyed by that link, the first flash was stored and every later one counted as
"already seen", on every poll; so were entries a publisher gave one id by mistake), and a
story whose address moved while its entry kept its id (stored twice, once per address)."""

from __future__ import annotations

from pathlib import Path

from evaluation.feedserver import FeedSite, rss
from newsmon.sources.feed_plan import FeedSource
from tests.newsmon.sources.test_feeds import _story, article_page, cycle, rows

_PLACES = ["Pjöngjang", "Wladiwostok", "Seoul", "Moskau", "Tokio", "Peking"]


def _flash(n: int) -> str:
    """A flash's text, long enough to be taken for the article, unlike any other's."""
    place = _PLACES[n % len(_PLACES)]
    return " ".join(f"Flash {n} from {place}: the {thing}{n} was reported at hour {k}."
                    for k, thing in enumerate(["convoy", "station", "minister", "harbour",
                                               "council", "train"] * 4))


def _ticker(site: FeedSite, flashes: list[tuple[str, int]], title: str = "Ticker") -> str:
    """The ticker's feed of ``(guid, text number)`` flashes, all linking ``/ticker``."""
    entries = [{"title": f"Eilmeldung {n}", "link": site.url("/ticker"), "guid": guid,
                "content": f"<p>{_flash(n)}</p>"} for guid, n in flashes]
    return site.serve("/ticker.xml", rss(entries, title=title, language="de"),
                      "application/rss+xml")


def _poll_again(db_path: Path, feed: FeedSource) -> tuple[int, int]:
    """(articles added, entries already seen) of one more poll of ``feed``."""
    summary = cycle(db_path, feed, force=True)
    assert summary.feeds is not None
    return summary.added, summary.feeds.already_seen


def test_flashes_that_link_one_page_are_each_an_article_on_every_poll(
    site: FeedSite, db_path: Path
) -> None:
    site.serve("/ticker", article_page("Ticker", _flash(99)))
    feed = FeedSource(_ticker(site, [("t-0", 0)]))
    first = cycle(db_path, feed)
    assert first.added == 1
    ticker = site.url("/ticker")
    assert rows(db_path, "SELECT url FROM articles") == [(ticker,)]  # alone: the link is it
    _ticker(site, [("t-1", 1), ("t-0", 0)], "Ticker, 2")
    assert _poll_again(db_path, feed) == (1, 1)
    _ticker(site, [("t-3", 3), ("t-2", 2), ("t-1", 1), ("t-0", 0)], "Ticker, 3")
    assert _poll_again(db_path, feed) == (2, 2)
    assert not site.requests("/ticker")  # each flash's text is the article
    assert sorted(str(u) for (u,) in rows(db_path, "SELECT url FROM articles")) == [
        ticker, f"{ticker}#t-1", f"{ticker}#t-2", f"{ticker}#t-3"]
    assert sorted(str(t) for (t,) in rows(db_path, "SELECT title FROM articles")) == [
        f"Eilmeldung {n}" for n in range(4)]
    # the oldest flashes gone from the feed, the newest alone again: still seen
    _ticker(site, [("t-3", 3)], "Ticker, 4")
    assert _poll_again(db_path, feed) == (0, 1)


def test_a_feed_that_renews_its_ids_does_not_store_its_flashes_twice(
    site: FeedSite, db_path: Path
) -> None:
    """Some systems write new ids on every rendering of a feed: the same text under a new
    id is the flash already stored, not another one."""
    feed = FeedSource(_ticker(site, [("a-1", 1), ("a-0", 0)]))
    assert cycle(db_path, feed).added == 2
    _ticker(site, [("b-2", 2), ("b-1", 1), ("b-0", 0)], "Ticker, renewed")
    assert _poll_again(db_path, feed) == (1, 2)
    assert rows(db_path, "SELECT count(*) FROM articles") == [(3,)]


def test_another_feed_that_links_the_same_page_with_the_same_text_adds_nothing(
    site: FeedSite, db_path: Path
) -> None:
    """The same story in two feeds, each with its own ids, is one article: only one
    feed's entries are told apart by their ids."""
    assert cycle(db_path, FeedSource(_ticker(site, [("t-0", 0)]))).added == 1
    other = site.serve("/other.xml", rss([{"title": "Eilmeldung 0", "link": site.url("/ticker"),
                                            "guid": "other-0", "content": f"<p>{_flash(0)}</p>"}]),
                       "application/rss+xml")
    later = cycle(db_path, FeedSource(other))
    assert later.feeds is not None
    assert (later.added, later.feeds.already_seen) == (0, 1)


def test_the_same_flash_listed_twice_is_one_article(site: FeedSite, db_path: Path) -> None:
    feed = FeedSource(_ticker(site, [("t-0", 0), ("t-0", 0), ("t-1", 1)]))
    summary = cycle(db_path, feed)
    assert summary.added == 2
    assert rows(db_path, "SELECT count(*) FROM articles") == [(2,)]


def _idless(site: FeedSite, numbers: list[int], title: str) -> str:
    entries = [{"title": f"Eilmeldung {n}", "link": site.url("/ticker"),
                "content": f"<p>{_flash(n)}</p>"} for n in numbers]
    return site.serve("/plain.xml", rss(entries, title=title, language="de"),
                      "application/rss+xml")


def test_flashes_without_ids_are_told_apart_by_their_texts(
    site: FeedSite, db_path: Path
) -> None:
    feed = FeedSource(_idless(site, [1, 0], "Plain"))
    assert cycle(db_path, feed).added == 2
    _idless(site, [2, 1, 0], "Plain, 2")
    assert _poll_again(db_path, feed) == (1, 2)
    urls = [str(u) for (u,) in rows(db_path, "SELECT url FROM articles")]
    assert len(urls) == 3 and all(u.startswith(site.url("/ticker#text-")) for u in urls)


def test_an_edited_text_without_an_id_alone_behind_its_link_is_the_stored_entry(
    site: FeedSite, db_path: Path
) -> None:
    """Nothing tells an edit of the one entry from another one; the edit is not stored
    as a second article (as before entries were told apart by their texts)."""
    feed = FeedSource(_idless(site, [0], "Plain"))
    assert cycle(db_path, feed).added == 1
    site.serve("/plain.xml", rss([{"title": "Eilmeldung 0", "link": site.url("/ticker"),
                                   "content": f"<p>{_flash(0)} Aktualisiert.</p>"}],
                                 title="Plain, edited"), "application/rss+xml")
    assert _poll_again(db_path, feed) == (0, 1)


def test_entries_a_publisher_gave_one_id_by_mistake_are_each_an_article(
    site: FeedSite, db_path: Path
) -> None:
    """A podcast's feed: two episodes, each with its notes, under one guid copied by
    mistake from one item to the next (as `rss-parser`'s Taverncast fixture in ../shared
    does), linking the site's front page. Keyed by the id, the second episode counted as
    "already seen"; its text tells it apart, on this poll and the next. (The fixture's
    copy kept the notes too: the same text is one item.)"""
    episodes = [{"title": f"Episode {n}", "link": site.url("/"), "guid": "shows/ep-2.mp3",
                 "content": f"<p>{_flash(n)}</p>"} for n in (2, 3)]
    feed = FeedSource(site.serve("/podcast.xml", rss(episodes), "application/rss+xml"))
    assert cycle(db_path, feed).added == 2
    assert sorted(str(t) for (t,) in rows(db_path, "SELECT title FROM articles")) == [
        "Episode 2", "Episode 3"]
    site.serve("/podcast.xml", rss(episodes, title="Podcast, again"), "application/rss+xml")
    assert _poll_again(db_path, feed) == (0, 2)


def test_flashes_under_one_id_and_one_link_are_told_apart_by_their_texts(
    site: FeedSite, db_path: Path
) -> None:
    feed = FeedSource(_ticker(site, [("t-0", 0), ("t-0", 1)]))
    assert cycle(db_path, feed).added == 2
    urls = sorted(str(u) for (u,) in rows(db_path, "SELECT url FROM articles"))
    assert len(urls) == 2 and all(u.startswith(site.url("/ticker#text-")) for u in urls)


def test_a_story_whose_address_moved_under_the_same_entry_is_stored_once(
    site: FeedSite, db_path: Path
) -> None:
    """A site that puts the headline in the address moves the story when the headline
    changes; the feed's entry keeps its id and links the new address. The page there is
    the story already stored (its text near the stored one's): a duplicate, and the item
    is recorded as that article."""
    first = site.serve("/2023/09/kim-arrives", article_page("Kim arrives", _story(1)))
    feed = FeedSource(site.serve("/news.xml", rss([{"title": "Kim arrives", "link": first,
                                                    "guid": "story-1"}]), "application/rss+xml"))
    assert cycle(db_path, feed).added == 1
    moved = site.serve("/2023/09/kim-meets-putin",
                       article_page("Kim meets Putin", _story(1) + " Updated at noon."))
    site.serve("/news.xml", rss([{"title": "Kim meets Putin", "link": moved,
                                  "guid": "story-1"}], title="News, updated"),
               "application/rss+xml")
    again = cycle(db_path, feed, force=True)
    assert (again.added, again.duplicates) == (0, 1)
    assert rows(db_path, "SELECT url FROM articles") == [(first,)]
    items = dict(rows(db_path, "SELECT url, article_id FROM feed_items"))
    assert items[moved] == items[first]
    # stored as done: the next poll does not fetch it again
    site.serve("/news.xml", rss([{"title": "Kim meets Putin", "link": moved,
                                  "guid": "story-1"}], title="News, again"),
               "application/rss+xml")
    assert _poll_again(db_path, feed) == (0, 1)


def test_an_id_a_feed_gives_again_to_another_story_is_that_story(
    site: FeedSite, db_path: Path
) -> None:
    """Feeds that number their entries by position give an id again to the next story:
    its page holds another text, so it is stored."""
    first = site.serve("/2023/09/one", article_page("One", _story(1)))
    feed = FeedSource(site.serve("/pos.xml", rss([{"title": "One", "link": first,
                                                   "guid": "item-1"}]), "application/rss+xml"))
    assert cycle(db_path, feed).added == 1
    other = site.serve("/2023/09/two", article_page("Two", _story(2)))
    site.serve("/pos.xml", rss([{"title": "Two", "link": other, "guid": "item-1"}],
                               title="Positions"), "application/rss+xml")
    again = cycle(db_path, feed, force=True)
    assert (again.added, again.duplicates) == (1, 0)
    assert sorted(str(u) for (u,) in rows(db_path, "SELECT url FROM articles")) == [
        first, other]
