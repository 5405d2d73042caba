"""Tags as warehouse rows: written inside the caller's write transaction, never on their own.

Tags go in with their articles (one transaction per batch, so a batch is either stored
with its tags or not at all) and are replaced per batch by ``newsmon retag``. Only
:mod:`warehouse` opens DuckDB; this module builds typed columns and hands them to the
open :class:`~warehouse.store.WriteSession`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING

from newsmon.core.records import Tags

if TYPE_CHECKING:
    from warehouse import Columns, WriteSession

TAG_TABLES = ("article_topics", "article_entities", "article_tagging")


def _tables(tagged: Sequence[tuple[int, Tags]], now: datetime) -> dict[str, Columns]:
    topic_rows: dict[str, list[object]] = {k: [] for k in (
        "article_id", "topic", "score", "evidence", "taxonomy_version", "tagged_at")}
    entity_rows: dict[str, list[object]] = {k: [] for k in (
        "article_id", "entity", "mentions", "kind", "taxonomy_version")}
    for article_id, tags in tagged:
        for t in tags.topics:
            topic_rows["article_id"].append(article_id)
            topic_rows["topic"].append(t.topic)
            topic_rows["score"].append(t.score)
            topic_rows["evidence"].append(
                json.dumps([asdict(e) for e in t.evidence], ensure_ascii=False)
            )
            topic_rows["taxonomy_version"].append(tags.taxonomy_version)
            topic_rows["tagged_at"].append(now)
        for e in tags.entities:
            entity_rows["article_id"].append(article_id)
            entity_rows["entity"].append(e.entity)
            entity_rows["mentions"].append(e.mentions)
            entity_rows["kind"].append(e.kind)
            entity_rows["taxonomy_version"].append(tags.taxonomy_version)
    return {
        "article_topics": {
            "article_id": ("BIGINT", topic_rows["article_id"]),
            "topic": ("VARCHAR", topic_rows["topic"]),
            "score": ("DOUBLE", topic_rows["score"]),
            "evidence": ("VARCHAR", topic_rows["evidence"]),
            "taxonomy_version": ("VARCHAR", topic_rows["taxonomy_version"]),
            "tagged_at": ("TIMESTAMP", topic_rows["tagged_at"]),
        },
        "article_entities": {
            "article_id": ("BIGINT", entity_rows["article_id"]),
            "entity": ("VARCHAR", entity_rows["entity"]),
            "mentions": ("INTEGER", entity_rows["mentions"]),
            "kind": ("VARCHAR", entity_rows["kind"]),
            "taxonomy_version": ("VARCHAR", entity_rows["taxonomy_version"]),
        },
        "article_tagging": {
            "article_id": ("BIGINT", [a for a, _ in tagged]),
            "taxonomy_version": ("VARCHAR", [t.taxonomy_version for _, t in tagged]),
            "tagged_at": ("TIMESTAMP", [now] * len(tagged)),
        },
    }


def record_taxonomies(tx: WriteSession, versions: Mapping[str, str | None], now: datetime
                      ) -> None:
    """Keep each taxonomy version (with its content) the first time it tags anything."""
    if not versions:
        return
    tx.insert_rows("taxonomies", {
        "taxonomy_version": ("VARCHAR", list(versions)),
        "content": ("VARCHAR", list(versions.values())),
        "first_used": ("TIMESTAMP", [now] * len(versions)),
    }, or_ignore=True)


def write_tags(tx: WriteSession, tagged: Sequence[tuple[int, Tags]], now: datetime,
               contents: Mapping[str, str | None]) -> None:
    """Insert the tags of newly loaded articles (rows already there are kept: exactly once)."""
    if not tagged:
        return
    record_taxonomies(tx, {t.taxonomy_version: contents.get(t.taxonomy_version)
                           for _, t in tagged}, now)
    for name, columns in _tables(tagged, now).items():
        tx.insert_rows(name, columns, or_ignore=True)


def replace_tags(tx: WriteSession, tagged: Sequence[tuple[int, Tags]], now: datetime,
                 contents: Mapping[str, str | None]) -> None:
    """Drop these articles' tags and write the new ones (``newsmon retag``), in one go."""
    if not tagged:
        return
    ids = [article_id for article_id, _ in tagged]
    for name in TAG_TABLES:
        tx.execute(f"DELETE FROM {name} WHERE article_id IN (SELECT unnest(?::BIGINT[]))", [ids])
    write_tags(tx, tagged, now, contents)
