"""Each page's data from a real warehouse, without a server."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from newsmon import cycle
from newsmon.core.config import Config
from newsmon.core.errors import InputError
from newsmon.core.settings import Settings
from newsmon.search.sync import index_path
from newsmon.tagging import Tagger, load_tagger
from newsmon.tagging.scorer import Scorer
from newsmon.tagging.words import WordModel
from newsmon.web import pages
from newsmon.web.pages import Filters, Site, build_site
from warehouse import Warehouse


@pytest.fixture
def wh(web_db: Path) -> Warehouse:
    return Warehouse(web_db)


def test_now_shows_every_topic_with_its_week_level_and_open_spike(wh: Warehouse,
                                                                  site: Site) -> None:
    with wh.holding():
        page = pages.now_page(wh, site)
    assert page.as_of.note is None  # the seeds' month-dated articles happened when read
    keys = [w.key for w in page.watches]
    assert set(keys) == set(site.topics)
    first = page.watches[0]
    assert first.key == "arms_trade" and first.spikes  # the spiking topic comes first
    assert first.spikes[0].top_articles and first.spikes[0].status == "failed"
    assert len(first.stories) == pages.CHART_DAYS * 24
    assert [n for _, n in first.bars] == [sum(first.stories[k:k + 3])
                                          for k in range(0, 7 * 24, 3)]
    assert first.last_24h == sum(first.stories[-24:]) > 0
    assert sum(n for _, n in first.days) == sum(first.stories)
    # the 3-hour window that ended this hour or the last: one or two of the last bars
    [(start, end)] = first.spike_bars
    assert end in (7 * 8 - 1, 7 * 8) and 1 <= end - start <= 2
    assert page.stories and page.stories[0].articles >= 4


def test_pages_are_drawn_as_of_the_newest_article_when_it_is_old(wh: Warehouse,
                                                                  site: Site) -> None:
    later = Site(site.config, site.topics, site.entities, site.search_path,
                 clock=lambda: datetime(2031, 1, 1))
    with wh.holding():
        page = pages.now_page(wh, later)
    assert page.as_of.at < datetime(2031, 1, 1) and "newest article" in (page.as_of.note or "")
    assert any(w.last_24h for w in page.watches)


def test_a_topic_with_an_empty_week_says_when_it_was_last_seen(wh: Warehouse,
                                                                 site: Site) -> None:
    """Seed 003 is dated 2023-09-12, the other seeds happened when read: a topic only it
    carries has an empty week, and its card says when it last came up."""
    with wh.holding():
        rows = {w.key: w for w in pages.now_page(wh, site).watches}
        last = dict(wh.query(
            "SELECT t.topic, max(a.event_at) FROM article_topics t "
            "JOIN article_times a USING (article_id) GROUP BY ALL").rows)
    quiet = {key for key, row in rows.items() if not any(row.stories)}
    assert quiet and all(rows[key].last_seen == last[key] for key in quiet)
    assert all(rows[key].last_seen < datetime(2024, 1, 1) for key in quiet)
    assert all(row.last_seen is None for key, row in rows.items() if key not in quiet)


def test_an_empty_warehouse_says_so_on_every_page(site: Site, tmp_path: Path) -> None:
    empty = Warehouse(tmp_path / "empty.duckdb")
    with empty.writer():
        pass
    with empty.holding():
        now = pages.now_page(empty, site)
        found = pages.stories_page(empty, site, Filters())
    for page in (now, found):
        assert page.as_of.note == ("No article is stored yet (newsmon run or newsmon ingest "
                                   "stores them).")
    assert all(w.last_seen is None for w in now.watches)
    assert not now.stories and not found.stories


def test_stories_and_one_story_by_source(wh: Warehouse, site: Site) -> None:
    listed = pages.stories_page(wh, site, Filters(since="30000d")).stories
    top = listed[0]
    assert top.languages == ("de", "en") and top.articles >= 4
    story = pages.story_page(wh, site, top.story_id)
    assert story is not None and story.headline
    assert sum(len(members) for _, members in story.by_source) == top.articles
    assert pages.story_page(wh, site, 12345) is None
    # what it is about: each topic and entity with how many of its articles carry it
    ids = [m.article_id for m in story.articles]
    for table, column, shown in (("article_topics", "topic", story.topics),
                                 ("article_entities", "entity", story.entities)):
        counted = wh.query(f"SELECT {column}, count(*) FROM {table} WHERE article_id IN "
                           "(SELECT unnest(?::BIGINT[])) GROUP BY ALL", [ids]).rows
        assert shown and {(i, n) for i, _, n in shown} == set(counted)
        assert [n for _, _, n in shown] == sorted((n for _, _, n in shown), reverse=True)
    assert (story.topics[0][1], story.entities[0][1]) == (
        site.topics[story.topics[0][0]], site.entities[story.entities[0][0]])
    first, last = story.articles[0].event_at, story.articles[-1].event_at
    assert story.around == (f"since={first - timedelta(days=3):%Y-%m-%d}"
                            f"&until={last + timedelta(days=4):%Y-%m-%d}")
    english = pages.stories_page(wh, site, Filters(languages=("en",), since="30000d"))
    assert [s.story_id for s in english.stories] == [top.story_id]


def test_filters_read_relative_and_absolute_times_and_name_bad_ones() -> None:
    anchor = datetime(2026, 12, 2, 12)
    selection = Filters(since="36h", until="2026-12-02").selection(anchor)
    assert selection.since == anchor - timedelta(hours=36)
    assert selection.until == datetime(2026, 12, 2)
    assert Filters().selection(anchor, default_since="24h").since == anchor - timedelta(days=1)
    with pytest.raises(InputError, match="since 'yesterday'"):
        Filters(since="yesterday").selection(anchor)
    assert Filters(topics=("a", "b"), since="7d").query_items() == [
        ("topic", "a"), ("topic", "b"), ("since", "7d")]


def test_search_finds_with_filters_and_marks_words(wh: Warehouse, site: Site) -> None:
    page = pages.search_page(wh, site, "Putin", Filters())
    found = page.results
    assert found and all("**" in r.snippet for r in found)
    # each result's topics (its strongest first) and entities, and its week to link to
    for r in found:
        stored = wh.query("SELECT topic FROM article_topics WHERE article_id = ? "
                          "ORDER BY score DESC NULLS FIRST, topic", [r.article_id]).rows
        named = wh.query("SELECT entity FROM article_entities WHERE article_id = ?",
                         [r.article_id]).rows
        assert list(r.topics) == [t for (t,) in stored]
        assert sorted(r.entities) == sorted(e for (e,) in named)
        assert page.weeks[r.article_id].startswith(
            f"since={r.event_at - timedelta(days=3):%Y-%m-%d}&until=")  # type: ignore[operator]
    assert any(r.topics for r in found) and any(r.entities for r in found)
    english = pages.search_page(wh, site, "Putin", Filters(languages=("en",))).results
    assert english and {r.language for r in english} == {"en"} and len(english) < len(found)
    assert pages.search_page(wh, site, "  ", Filters()).results == []


def test_article_highlights_exactly_its_evidence(wh: Warehouse, site: Site) -> None:
    top = pages.stories_page(wh, site, Filters(since="30000d")).stories[0]
    article_id = pages.story_page(wh, site, top.story_id).articles[0].article_id  # type: ignore[union-attr]
    with wh.holding():
        page = pages.article_page(wh, site, article_id)
    assert page is not None and page.topics and page.entities
    for _, _, _, matched in page.entities:  # the words behind each entity tag
        assert matched and all(word in f"{page.title} {page.text}"
                               for word in matched.split(", "))
    assert "".join(r.text for r in page.text_runs) == page.text
    for tag in page.topics:
        for e in tag.evidence:
            source = page.text if e["field"] == "text" else page.title or ""
            assert source[e["start"]:e["end"]] == e["text"]
    spans = [(e["start"], e["end"], t.topic) for t in page.topics for e in t.evidence
             if e["field"] == "text"]
    at, shown = 0, set()
    for run in page.text_runs:  # every highlighted run lies inside evidence of its topics
        end = at + len(run.text)
        for topic in run.topics:
            assert any(s <= at and end <= e and t == topic for s, e, t in spans)
            shown.add(topic)
        at = end
    assert shown == {t for _, _, t in spans}
    assert page.story_id == top.story_id and page.story_size == top.articles
    assert page.published_precision in ("month", "day", "second")
    assert pages.article_page(wh, site, 1) is None


def test_article_shows_what_the_current_scorer_held_back(wh: Warehouse, site: Site,
                                                        tmp_path: Path) -> None:
    topics, entities = tmp_path / "topics.toml", tmp_path / "entities.toml"
    topics.write_text('[[topics]]\nid = "embargoes"\nname = "Embargoes"\nthreshold = 1\n'
                      '[[topics.terms]]\nweight = 2\nde = ["sanktion*"]\n', encoding="utf-8")
    entities.write_text("", encoding="utf-8")
    rules = load_tagger(topics, entities, use_scorer=False)
    declining = Scorer(cutoff=0.9, weights={"bias": -5.0})  # every topic under its cutoff
    held = replace(site, tagger=Tagger(replace(rules.taxonomy, scorer=declining)),
                   topics={**site.topics, "embargoes": "Embargoes"})
    [(article_id,)] = wh.query("SELECT min(article_id) FROM articles "
                               "WHERE text ILIKE '%sanktion%'").rows
    with wh.holding():
        page = pages.article_page(wh, held, article_id)
        plain = pages.article_page(wh, replace(site, tagger=rules), article_id)
        shipped = pages.article_page(wh, site, article_id)
    assert page is not None and plain is not None and shipped is not None
    [topic] = page.held_back
    assert (topic.topic, topic.label, page.cutoff) == ("embargoes", "Embargoes", 0.9)
    assert 0 < topic.probability < 0.9 and topic.evidence
    for e in topic.evidence:
        source = page.text if e.field == "text" else page.title or ""
        assert source[e.start:e.end] == e.text and e.text.lower().startswith("sanktion")
    assert plain.cutoff is None and plain.held_back == []  # no scorer: nothing held back
    # a word model that finds the article is not about embargoes holds the rules' tag back
    unlikely = WordModel(languages=("de",), bias={"embargoes": -30.0})
    by_words = replace(held, tagger=Tagger(replace(rules.taxonomy, words=unlikely)))
    with wh.holding():
        words_page = pages.article_page(wh, by_words, article_id)
    assert words_page is not None and words_page.cutoff is None
    [declined] = words_page.held_back
    assert (declined.topic, declined.by, declined.limit) == ("embargoes", "words", 0.05)
    assert declined.probability < 0.05 and declined.evidence
    stored = {t.topic for t in shipped.topics}  # a topic it carries is never "held back"
    assert shipped.cutoff is not None and not stored & {h.topic for h in shipped.held_back}


def test_alerts_and_sources(wh: Warehouse, site: Site) -> None:
    alerts = pages.alerts_page(wh).alerts
    assert [(a.kind, a.name, a.alert.status) for a in alerts] == [
        ("topic", "arms_trade", "failed")]
    assert alerts[0].alert.top_articles
    sources = pages.sources_page(wh, site)
    [feed] = sources.feeds
    assert feed.state.last_status == "http_503"
    assert feed.state.consecutive_failures == 2
    assert ("empty", 1, 1) in sources.rejects_by_reason
    assert any(name == "Euronews" for name, _, _, _ in sources.sources)
    assert any(name == "(no source)" for name, _, _, _ in sources.sources)
    for name, _, _, since in sources.sources:  # each outlet's link lists its stories
        linked = pages.stories_page(wh, site, Filters(sources=(name,), since=since))
        assert linked.stories, name


def test_an_archived_outlet_links_to_the_stories_it_published(tmp_path: Path) -> None:
    """An outlet read from an archive published years ago: its link's window ends at its
    latest article, not at today (where it would list nothing)."""
    page = tmp_path / "gazette.html"
    body = " ".join(["The council met on Tuesday and agreed the new budget for the harbour."] * 8)
    page.write_text(
        '<html><head><meta property="og:site_name" content="Old Gazette">'
        '<meta property="article:published_time" content="2019-03-04T10:00:00Z">'
        "<title>Council agrees harbour budget</title></head><body><article>"
        f"<h1>Council agrees harbour budget</h1><p>{body}</p><p>{body}</p>"
        "</article></body></html>", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    cycle.run_cycle(Settings(db=db), [page], "ingest")
    wh = Warehouse(db)
    site = build_site(Config(), index_path(Settings(db=db)))
    [(name, articles, _, since)] = pages.sources_page(wh, site).sources
    assert (name, articles, since) == ("Old Gazette", 1, "2019-02-02")
    assert [s.headline for s in pages.stories_page(
        wh, site, Filters(sources=("old gazette",), since=since)).stories] == [
        "Council agrees harbour budget"]


def test_watched_entities_and_saved_searches_are_charted_too(wh: Warehouse,
                                                              site: Site) -> None:
    from newsmon.core.config import AlertsConfig, Config, SavedSearch, TopicAlerts

    config = Config(alerts=AlertsConfig(entities={"russia": TopicAlerts()},
                                        searches={"putin": SavedSearch(query="Putin")}))
    watching = Site(config, site.topics, site.entities, site.search_path)
    with wh.holding():
        rows = {w.key: w for w in pages.now_page(wh, watching).watches}
    assert rows["entity:russia"].label == "Russia" and rows["entity:russia"].last_24h >= 1
    assert rows["search:putin"].query == "Putin" and rows["search:putin"].last_24h >= 1
    assert len(rows) == len(site.topics) + 2
