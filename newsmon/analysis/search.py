"""``newsmon search``: ranked full-text search with the analyst's filters.

The text query goes to the search index (BM25 over title and text, stemmed by each
article's language); the filters that live in the warehouse (topic, entity, source,
time) become the set of article ids the index may return, so the ranking is over exactly
the articles the filters allow, not a filtered top-N.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsmon.analysis.selection import Selection, selected_ids, stored_sources
from newsmon.analysis.tags import ArticleTags, article_tags
from newsmon.search.index import SearchIndex
from newsmon.search.sync import sync_index
from warehouse import ReadSession, Warehouse

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SearchResult:
    rank: int
    score: float
    article_id: int
    event_at: datetime | None
    source: str | None
    language: str | None
    title: str | None
    snippet: str
    url: str
    topics: tuple[str, ...] = ()  # the analyst's marks, then the highest scores first
    entities: tuple[str, ...] = ()  # the most mentioned first


def search_articles(
    warehouse: Warehouse, index_path: Path, query: str, selection: Selection, limit: int = 20,
    *, catch_up: bool = True,
) -> list[SearchResult]:
    """The best ``limit`` articles for ``query`` among those ``selection`` allows.

    ``catch_up=False`` searches the index as the last cycle left it: the web page must
    never write, not even to the index, while a cycle may be writing it.
    """
    with warehouse.reading() as session:
        index = _caught_up(session, index_path) if catch_up else SearchIndex(index_path)
        # topics and entities live in the warehouse (retag changes them); the rest in the index
        tagged = Selection(topics=selection.topics, entities=selection.entities)
        sources = stored_sources(session, selection.sources)
        if selection.sources and not sources:
            return []
        hits = index.search(
            query, limit=limit, only_ids=selected_ids(session, tagged),
            languages=selection.languages, sources=sources,
            since=selection.since, until=selection.until,
        )
        if not hits:
            return []
        rows = session.query(
            "SELECT a.article_id, x.event_at, a.source, a.language, a.title, a.url "
            "FROM articles a JOIN article_times x USING (article_id) "
            "WHERE a.article_id IN (SELECT unnest(?::BIGINT[]))",
            [[h.article_id for h in hits]],
        ).rows
        tags = article_tags(session, [h.article_id for h in hits])
    meta = {int(r[0]): r for r in rows}
    none = ArticleTags()
    return [
        SearchResult(rank, h.score, h.article_id, meta[h.article_id][1], meta[h.article_id][2],
                     meta[h.article_id][3], meta[h.article_id][4], h.snippet,
                     meta[h.article_id][5], tags.get(h.article_id, none).topics,
                     tags.get(h.article_id, none).entities)
        for rank, h in enumerate((h for h in hits if h.article_id in meta), start=1)
    ]


def matching_ids(
    warehouse: Warehouse, index_path: Path, query: str, since: datetime | None = None,
    *, catch_up: bool = True,
) -> list[int]:
    """Every article a saved search matches since ``since``, with the index caught up
    (``catch_up=False``: as the last cycle left it, see :func:`search_articles`)."""
    with warehouse.reading() as session:
        index = _caught_up(session, index_path) if catch_up else SearchIndex(index_path)
    return index.matching_ids(query, since)


def _caught_up(session: ReadSession, index_path: Path) -> SearchIndex:
    """The index, with what the last cycle did not index added first."""
    index = SearchIndex(index_path)
    try:
        sync_index(session, index_path, index)
    except Exception as exc:  # another process holds the index: use what it has
        log.warning("search index %s not brought up to date: %s", index_path, exc)
    return index
