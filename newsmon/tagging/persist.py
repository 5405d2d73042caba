"""Tags as warehouse rows: written inside the caller's write transaction, never on their own.

Tags go in with their articles (one transaction per batch, so a batch is either stored
with its tags or not at all) and are replaced per batch by ``newsmon retag``. Only
:mod:`warehouse` opens DuckDB; this module builds typed columns and hands them to the
open :class:`~warehouse.sessions.WriteSession`.
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


_TOPIC_COLUMNS = {"article_id": "BIGINT", "topic": "VARCHAR", "score": "DOUBLE",
                  "evidence": "VARCHAR", "taxonomy_version": "VARCHAR",
                  "tagged_at": "TIMESTAMP"}
_ENTITY_COLUMNS = {"article_id": "BIGINT", "entity": "VARCHAR", "mentions": "INTEGER",
                   "kind": "VARCHAR", "taxonomy_version": "VARCHAR"}
_TAGGING_COLUMNS = {"article_id": "BIGINT", "taxonomy_version": "VARCHAR",
                    "tagged_at": "TIMESTAMP"}


def _columns(types: Mapping[str, str], rows: Sequence[tuple[object, ...]]) -> Columns:
    """Rows (values in the order of ``types``) as the typed columns a batch takes."""
    values = list(zip(*rows, strict=True)) if rows else [()] * len(types)
    return {name: (kind, list(column))
            for (name, kind), column in zip(types.items(), values, strict=True)}


def _tables(tagged: Sequence[tuple[int, Tags]], now: datetime) -> dict[str, Columns]:
    topics = [(article_id, t.topic, t.score,
               json.dumps([asdict(e) for e in t.evidence], ensure_ascii=False),
               tags.taxonomy_version, now)
              for article_id, tags in tagged for t in tags.topics]
    entities = [(article_id, e.entity, e.mentions, e.kind, tags.taxonomy_version)
                for article_id, tags in tagged for e in tags.entities]
    return {
        "article_topics": _columns(_TOPIC_COLUMNS, topics),
        "article_entities": _columns(_ENTITY_COLUMNS, entities),
        "article_tagging": _columns(
            _TAGGING_COLUMNS, [(a, t.taxonomy_version, now) for a, t in tagged]),
    }


def record_taxonomies(tx: WriteSession, versions: Mapping[str, str | None], now: datetime
                      ) -> None:
    """Keep each taxonomy version (with its content) the first time it tags anything.

    The versions already kept are looked up first: a content with the word model is a
    megabyte, which every batch would otherwise hand to DuckDB only to be ignored."""
    if not versions:
        return
    kept = {row[0] for row in tx.execute(
        "SELECT taxonomy_version FROM taxonomies "
        "WHERE taxonomy_version IN (SELECT unnest(?::VARCHAR[]))", [list(versions)])}
    new = {version: content for version, content in versions.items() if version not in kept}
    if not new:
        return
    tx.insert_rows("taxonomies", {
        "taxonomy_version": ("VARCHAR", list(new)),
        "content": ("VARCHAR", list(new.values())),
        "first_used": ("TIMESTAMP", [now] * len(new)),
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
