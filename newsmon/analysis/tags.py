"""The topics and entities of given articles, as the search and the story pages list them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from warehouse import ReadSession, Warehouse


@dataclass(frozen=True, slots=True)
class ArticleTags:
    """An article's topics, the analyst's marks and then the highest scores first, and its
    tracked entities, the most mentioned first."""

    topics: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()


def article_tags(reader: Warehouse | ReadSession, article_ids: Sequence[int]
                 ) -> dict[int, ArticleTags]:
    """The tags of each of ``article_ids`` that has one (an article without is left out)."""
    if not article_ids:
        return {}
    rows = reader.query(
        "SELECT article_id, list(topic ORDER BY score DESC NULLS FIRST, topic), NULL "
        "FROM article_topics WHERE article_id IN (SELECT unnest(?::BIGINT[])) GROUP BY ALL "
        "UNION ALL "
        "SELECT article_id, NULL, list(entity ORDER BY mentions DESC NULLS LAST, entity) "
        "FROM article_entities WHERE article_id IN (SELECT unnest(?::BIGINT[])) GROUP BY ALL",
        [list(article_ids), list(article_ids)]).rows
    topics: dict[int, tuple[str, ...]] = {}
    entities: dict[int, tuple[str, ...]] = {}
    for article_id, tagged, named in rows:
        if tagged is not None:
            topics[int(article_id)] = tuple(tagged)
        if named is not None:
            entities[int(article_id)] = tuple(named)
    return {i: ArticleTags(topics.get(i, ()), entities.get(i, ()))
            for i in dict.fromkeys([*topics, *entities])}


__all__ = ["ArticleTags", "article_tags"]
