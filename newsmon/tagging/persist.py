"""Tags as warehouse rows: written inside the caller's write transaction, never on their own.

Tags go in with their articles (one transaction per batch, so a batch is either stored
with its tags or not at all) and are replaced per batch by ``newsmon retag``. Only
:mod:`warehouse` opens DuckDB; this module builds Arrow tables and hands them to the
open :class:`~warehouse.store.WriteSession`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING

import pyarrow as pa

from newsmon.core.records import Tags

if TYPE_CHECKING:
    from warehouse.store import WriteSession

TAG_TABLES = ("article_topics", "article_entities", "article_tagging")


def _tables(tagged: Sequence[tuple[int, Tags]], now: datetime) -> dict[str, pa.Table]:
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
        "article_topics": pa.table({
            "article_id": pa.array(topic_rows["article_id"], pa.int64()),
            "topic": pa.array(topic_rows["topic"], pa.string()),
            "score": pa.array(topic_rows["score"], pa.float64()),
            "evidence": pa.array(topic_rows["evidence"], pa.string()),
            "taxonomy_version": pa.array(topic_rows["taxonomy_version"], pa.string()),
            "tagged_at": pa.array(topic_rows["tagged_at"], pa.timestamp("us")),
        }),
        "article_entities": pa.table({
            "article_id": pa.array(entity_rows["article_id"], pa.int64()),
            "entity": pa.array(entity_rows["entity"], pa.string()),
            "mentions": pa.array(entity_rows["mentions"], pa.int32()),
            "kind": pa.array(entity_rows["kind"], pa.string()),
            "taxonomy_version": pa.array(entity_rows["taxonomy_version"], pa.string()),
        }),
        "article_tagging": pa.table({
            "article_id": pa.array([a for a, _ in tagged], pa.int64()),
            "taxonomy_version": pa.array([t.taxonomy_version for _, t in tagged], pa.string()),
            "tagged_at": pa.array([now] * len(tagged), pa.timestamp("us")),
        }),
    }


def record_taxonomies(tx: WriteSession, versions: Mapping[str, str | None], now: datetime
                      ) -> None:
    """Keep each taxonomy version (with its content) the first time it tags anything."""
    if not versions:
        return
    table = pa.table({
        "taxonomy_version": pa.array(list(versions), pa.string()),
        "content": pa.array(list(versions.values()), pa.string()),
        "first_used": pa.array([now] * len(versions), pa.timestamp("us")),
    })
    tx.insert_arrow("taxonomies", table, or_ignore=True)


def write_tags(tx: WriteSession, tagged: Sequence[tuple[int, Tags]], now: datetime,
               contents: Mapping[str, str | None]) -> None:
    """Insert the tags of newly loaded articles (rows already there are kept: exactly once)."""
    if not tagged:
        return
    record_taxonomies(tx, {t.taxonomy_version: contents.get(t.taxonomy_version)
                           for _, t in tagged}, now)
    for name, table in _tables(tagged, now).items():
        if table.num_rows:
            tx.insert_arrow(name, table, or_ignore=True)


def replace_tags(tx: WriteSession, tagged: Sequence[tuple[int, Tags]], now: datetime,
                 contents: Mapping[str, str | None]) -> None:
    """Drop these articles' tags and write the new ones (``newsmon retag``), in one go."""
    if not tagged:
        return
    ids = [article_id for article_id, _ in tagged]
    for name in TAG_TABLES:
        tx.execute(f"DELETE FROM {name} WHERE article_id IN (SELECT unnest(?::BIGINT[]))", [ids])
    write_tags(tx, tagged, now, contents)
