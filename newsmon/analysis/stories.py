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

from newsmon.analysis.selection import NO_SOURCE, SHOWN_SOURCE, Selection, selection_filter
from warehouse import Warehouse

#: Topics and entities shown per story.
TOP_TOPICS = 3
TOP_ENTITIES = 5
#: An article's outlet as shown (article_times counts those without one as one source,
#: "unknown", which no filter would find).
_SHOWN_SOURCE = f"{SHOWN_SOURCE} AS source"
#: What is counted per story, over its members ``m``: value and articles with it.
_BREAKDOWNS = {
    "topics": "SELECT 'topics', m.story_id, t.topic, count(*) FROM _story_members m "
              "JOIN article_topics t USING (article_id)",
    "entities": "SELECT 'entities', m.story_id, t.entity, count(*) FROM _story_members m "
                "JOIN article_entities t USING (article_id)",
    "outlets": "SELECT 'outlets', m.story_id, m.source, count(*) FROM _story_members m",
}


#: a story none of whose articles is in the window's members: no headline, no languages
_NO_HEAD: tuple[str | None, tuple[str, ...], str | None] = (None, (), None)


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
    headline_language: str | None = None  # the language its headline is in


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
    in_range, range_params = _time_filter(selection)
    only_time = Selection(since=selection.since, until=selection.until) == selection
    # a story is chosen by any of its articles; with only a time range that is every
    # article in range, and the second pass over the articles is skipped
    chosen = "TRUE" if only_time else (
        "x.story_id IN (SELECT DISTINCT x.story_id FROM articles a JOIN article_times x "
        f"USING (article_id) WHERE {' AND '.join(where)})")
    if only_time:
        params = []
    members = f"""
        SELECT x.story_id, x.source, x.event_at
        FROM articles a JOIN article_times x USING (article_id)
        WHERE {chosen} {in_range}
    """
    order = "sources DESC, articles DESC, last_seen DESC, story_id"
    detail: dict[str, dict[int, Counter[str]]] = {n: defaultdict(Counter) for n in _BREAKDOWNS}
    with warehouse.reading() as session:
        top = session.query(
            f"""
            WITH m AS ({members})
            SELECT story_id, count(*) AS articles, count(DISTINCT source) AS sources,
                   min(event_at) AS first_seen, max(event_at) AS last_seen
            FROM m GROUP BY story_id ORDER BY {order} LIMIT ?
            """,
            [*params, *range_params, limit],
        ).rows
        if not top:
            return []
        ids = [int(r[0]) for r in top]
        # the top stories' articles, read once into a temporary table (read-only
        # connections may have them) for their headlines, languages and breakdowns;
        # the stored story_id/cluster_id columns narrow the scan before the view's
        session.query(
            "CREATE OR REPLACE TEMP TABLE _story_members AS "
            f"SELECT x.story_id, x.article_id, a.title, a.language, {_SHOWN_SOURCE}, "
            "x.event_at FROM articles a JOIN article_times x USING (article_id) "
            "WHERE (a.story_id IN (SELECT unnest(?::BIGINT[])) "
            "OR a.cluster_id IN (SELECT unnest(?::BIGINT[]))) "
            f"AND x.story_id IN (SELECT unnest(?::BIGINT[])) {in_range}",
            [NO_SOURCE, ids, ids, ids, *range_params])
        try:
            heads = {int(r[0]): (r[1], tuple(r[2] or ()), r[3]) for r in session.query(
                "SELECT story_id, arg_min(title, (event_at, article_id)) "
                "FILTER (WHERE title IS NOT NULL AND title <> ''), "
                "list(DISTINCT language ORDER BY language) FILTER (WHERE language IS NOT NULL), "
                "arg_min(language, (event_at, article_id)) "
                "FILTER (WHERE title IS NOT NULL AND title <> '') "
                "FROM _story_members GROUP BY story_id").rows}
            sql = " UNION ALL ".join(f"{counted} GROUP BY ALL" for counted in _BREAKDOWNS.values())
            for name, story_id, value, n in session.query(sql).rows:
                detail[name][int(story_id)][str(value)] = int(n)
        finally:
            session.query("DROP TABLE IF EXISTS _story_members")

    def ranked(name: str, story_id: int, limit: int | None = None) -> tuple[str, ...]:
        ordered = sorted(detail[name][story_id].items(), key=lambda kv: (-kv[1], kv[0]))
        return tuple(k for k, _ in ordered[:limit])

    summaries = []
    for r in top:
        story_id = int(r[0])
        headline, languages, headline_language = heads.get(story_id, _NO_HEAD)
        summaries.append(StorySummary(
            story_id=story_id, headline=headline, articles=int(r[1]), sources=int(r[2]),
            languages=languages, first_seen=r[3], last_seen=r[4],
            topics=ranked("topics", story_id, TOP_TOPICS),
            entities=ranked("entities", story_id, TOP_ENTITIES),
            outlets=ranked("outlets", story_id), headline_language=headline_language,
        ))
    return summaries


def story_articles(warehouse: Warehouse, story_id: int) -> list[StoryArticle]:
    """Every article of one story, in the order they happened."""
    rows = warehouse.query(
        f"SELECT a.article_id, x.event_at, {_SHOWN_SOURCE}, a.language, a.title, a.url, "
        "a.cluster_id FROM articles a JOIN article_times x USING (article_id) "
        # the stored columns first: x.story_id is computed for every article
        "WHERE (a.story_id = ? OR a.cluster_id = ?) AND x.story_id = ? "
        "ORDER BY x.event_at, x.source, a.article_id", [NO_SOURCE, *[story_id] * 3]).rows
    return [StoryArticle(int(r[0]), r[1], r[2], r[3], r[4], r[5], int(r[6])) for r in rows]
