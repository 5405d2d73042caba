"""Top stories: one line per event with its size, sources, languages and what it is about.

A story (``articles.story_id``, see :mod:`newsmon.stories`) is chosen when its articles
are loaded; these functions only read. A story is listed when any of its articles
matches the analyst's filters; its figures count every article of the story within the
time range, so "also reported by N sources" is not cut down by a ``--topic`` that one
outlet's report happened not to carry.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsmon.analysis.selection import Selection, selection_filter
from warehouse import Warehouse

#: Topics and entities shown per story.
TOP_TOPICS = 3
TOP_ENTITIES = 5
#: What is counted per story, over its articles ``m``: value and articles with it.
_BREAKDOWNS = {
    "topics": "SELECT m.story_id, t.topic, count(*) FROM m JOIN article_topics t "
              "USING (article_id)",
    "entities": "SELECT m.story_id, t.entity, count(*) FROM m JOIN article_entities t "
                "USING (article_id)",
    "outlets": "SELECT m.story_id, m.source, count(*) FROM m",
}


@dataclass(frozen=True, slots=True)
class StorySummary:
    story_id: int
    headline: str | None  # the title of its first article
    articles: int
    sources: int
    languages: tuple[str, ...]
    first_seen: datetime
    last_seen: datetime
    topics: tuple[str, ...]  # most frequent first
    entities: tuple[str, ...]  # most frequent first
    outlets: tuple[str, ...]  # its sources, most articles first


@dataclass(frozen=True, slots=True)
class StoryArticle:
    article_id: int
    event_at: datetime
    source: str
    language: str | None
    title: str | None
    url: str
    cluster_id: int


def _time_filter(selection: Selection) -> tuple[str, list[Any]]:
    where, params = selection_filter(Selection(since=selection.since, until=selection.until))
    return (" AND " + " AND ".join(where) if where else ""), params


def top_stories(warehouse: Warehouse, selection: Selection, limit: int) -> list[StorySummary]:
    """The biggest stories among the selected articles: most distinct sources first, then
    most articles, then the latest."""
    where, params = selection_filter(selection)
    chosen = " AND ".join(where) or "TRUE"
    in_range, range_params = _time_filter(selection)
    members = f"""
        SELECT x.story_id, a.article_id, a.title, a.language, x.source, x.event_at
        FROM articles a JOIN article_times x USING (article_id)
        WHERE x.story_id IN (SELECT DISTINCT x.story_id FROM articles a
                             JOIN article_times x USING (article_id) WHERE {chosen})
        {in_range}
    """
    with warehouse.reading() as session:
        rows = session.query(
            f"""
            WITH m AS ({members})
            SELECT story_id, arg_min(title, (event_at, article_id))
                       FILTER (WHERE title IS NOT NULL AND title <> ''),
                   count(*), count(DISTINCT source),
                   list(DISTINCT language ORDER BY language) FILTER (WHERE language IS NOT NULL),
                   min(event_at), max(event_at)
            FROM m GROUP BY story_id
            ORDER BY count(DISTINCT source) DESC, count(*) DESC, max(event_at) DESC, story_id
            LIMIT ?
            """,
            [*params, *range_params, limit],
        ).rows
        if not rows:
            return []
        ids = [int(r[0]) for r in rows]
        marks = ", ".join("?" for _ in ids)
        detail: dict[str, dict[int, Counter[str]]] = {}
        for name, counted in _BREAKDOWNS.items():
            counts: dict[int, Counter[str]] = defaultdict(Counter)
            sql = (f"WITH m AS ({members}) {counted} WHERE m.story_id IN ({marks}) "
                   "GROUP BY ALL")
            for story_id, value, n in session.query(sql, [*params, *range_params, *ids]).rows:
                counts[int(story_id)][str(value)] = int(n)
            detail[name] = counts

    def ranked(name: str, story_id: int, limit: int | None = None) -> tuple[str, ...]:
        ordered = sorted(detail[name][story_id].items(), key=lambda kv: (-kv[1], kv[0]))
        return tuple(k for k, _ in ordered[:limit])

    return [
        StorySummary(
            story_id=int(r[0]), headline=r[1], articles=int(r[2]), sources=int(r[3]),
            languages=tuple(r[4] or ()), first_seen=r[5], last_seen=r[6],
            topics=ranked("topics", int(r[0]), TOP_TOPICS),
            entities=ranked("entities", int(r[0]), TOP_ENTITIES),
            outlets=ranked("outlets", int(r[0])),
        )
        for r in rows
    ]


def story_articles(warehouse: Warehouse, story_id: int) -> list[StoryArticle]:
    """Every article of one story, in the order they happened."""
    rows = warehouse.query(
        "SELECT a.article_id, x.event_at, x.source, a.language, a.title, a.url, a.cluster_id "
        "FROM articles a JOIN article_times x USING (article_id) WHERE x.story_id = ? "
        "ORDER BY x.event_at, x.source, a.article_id", [story_id]).rows
    return [StoryArticle(int(r[0]), r[1], r[2], r[3], r[4], r[5], int(r[6])) for r in rows]
