"""Tags as warehouse rows: written inside the caller's write transaction, never on their own.

Tags go in with their articles (one transaction per batch, so a batch is either stored
with its tags or not at all) and are replaced per batch by ``newsmon retag``. Only
:mod:`warehouse` opens DuckDB; this module builds typed columns and hands them to the
open :class:`~warehouse.sessions.WriteSession`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from newsmon.core.records import Evidence, Tags
from newsmon.tagging.marks import Marked

if TYPE_CHECKING:
    from warehouse import Columns, WriteSession

TAG_TABLES = ("article_topics", "article_entities", "article_tagging")


_TOPIC_COLUMNS = {"article_id": "BIGINT", "topic": "VARCHAR", "score": "DOUBLE",
                  "evidence": "VARCHAR", "taxonomy_version": "VARCHAR",
                  "tagged_at": "TIMESTAMP"}
_ENTITY_COLUMNS = {"article_id": "BIGINT", "entity": "VARCHAR", "mentions": "INTEGER",
                   "kind": "VARCHAR", "taxonomy_version": "VARCHAR", "evidence": "VARCHAR"}
_TAGGING_COLUMNS = {"article_id": "BIGINT", "taxonomy_version": "VARCHAR",
                    "tagged_at": "TIMESTAMP"}


def _columns(types: Mapping[str, str], rows: Sequence[tuple[object, ...]]) -> Columns:
    """Rows (values in the order of ``types``) as the typed columns a batch takes."""
    values = list(zip(*rows, strict=True)) if rows else [()] * len(types)
    return {name: (kind, list(column))
            for (name, kind), column in zip(types.items(), values, strict=True)}


def _json(evidence: Sequence[Evidence]) -> str:
    return json.dumps([asdict(e) for e in evidence], ensure_ascii=False)


def _tables(tagged: Sequence[tuple[int, Tags]], now: datetime) -> dict[str, Columns]:
    topics = [(article_id, t.topic, t.score, _json(t.evidence), tags.taxonomy_version, now)
              for article_id, tags in tagged for t in tags.topics]
    entities = [(article_id, e.entity, e.mentions, e.kind, tags.taxonomy_version,
                 _json(e.evidence))
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
    """Drop these articles' tags and write the new ones (``newsmon retag``), in one go;
    an analyst's labels on them still hold (:func:`follow_labels`)."""
    if not tagged:
        return
    ids = [article_id for article_id, _ in tagged]
    for name in TAG_TABLES:
        tx.execute(f"DELETE FROM {name} WHERE article_id IN (SELECT unnest(?::BIGINT[]))", [ids])
    write_tags(tx, tagged, now, contents)
    follow_labels(tx, ids, now)


def write_labels(tx: WriteSession, labels: Sequence[tuple[int, str, bool]], now: datetime
                 ) -> None:
    """Record (article, topic, carried) labels, each replacing an earlier one on its pair."""
    if not labels:
        return
    pairs = [f"{article_id}:{topic}" for article_id, topic, _ in labels]
    tx.execute("DELETE FROM article_labels WHERE concat(article_id, ':', topic) IN "
               "(SELECT unnest(?::VARCHAR[]))", [pairs])
    tx.insert_rows("article_labels", {
        "article_id": ("BIGINT", [a for a, _, _ in labels]),
        "topic": ("VARCHAR", [t for _, t, _ in labels]),
        "carried": ("BOOLEAN", [c for _, _, c in labels]),
        "labelled_at": ("TIMESTAMP", [now] * len(labels)),
    })


def follow_labels(tx: WriteSession, article_ids: Sequence[int], now: datetime) -> None:
    """Make these articles' topics what an analyst's labels say: a topic labelled not
    carried is removed, one labelled carried and not found is added with no score and no
    evidence (the label is its reason; ``article_labels`` says who and when)."""
    if not article_ids:
        return
    ids = list(article_ids)
    tx.execute(
        "DELETE FROM article_topics WHERE article_id IN (SELECT unnest(?::BIGINT[])) "
        "AND (article_id, topic) IN (SELECT article_id, topic FROM article_labels "
        "WHERE NOT carried)", [ids])
    tx.execute(
        "INSERT INTO article_topics (article_id, topic, score, evidence, taxonomy_version, "
        "tagged_at) SELECT l.article_id, l.topic, NULL, '[]', g.taxonomy_version, ? "
        "FROM article_labels l LEFT JOIN article_tagging g USING (article_id) "
        "WHERE l.carried AND l.article_id IN (SELECT unnest(?::BIGINT[])) AND NOT EXISTS "
        "(SELECT 1 FROM article_topics t WHERE t.article_id = l.article_id "
        "AND t.topic = l.topic)", [now, ids])


@dataclass(frozen=True, slots=True)
class MarkCounts:
    articles: int
    labels: int
    added: int  # topics the articles now carry that they did not
    removed: int  # topics they no longer carry


def mark_articles(tx: WriteSession, marks: Sequence[Marked], now: datetime) -> MarkCounts:
    """Record an analyst's marks (:mod:`newsmon.tagging.marks`) and make the articles'
    tags follow them. A row whose article the warehouse does not hold raises ValueError
    naming its line (the file is from another warehouse, or was edited by hand)."""
    ids = sorted({m.article_id for m in marks})
    held = {int(r[0]) for r in tx.execute(
        "SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?::BIGINT[]))",
        [ids])}
    for m in marks:
        if m.article_id not in held:
            raise ValueError(f"line {m.line}: article {m.article_id} is not in this warehouse")
    tagged: dict[int, set[str]] = {}
    for article_id, topic in tx.execute(
            "SELECT article_id, topic FROM article_topics "
            "WHERE article_id IN (SELECT unnest(?::BIGINT[]))", [ids]):
        tagged.setdefault(int(article_id), set()).add(str(topic))
    said: dict[tuple[int, str], bool] = {}  # a later row on the same article wins
    for m in marks:
        for topic in m.named | tagged.get(m.article_id, set()):
            said[(m.article_id, topic)] = topic in m.carried
    write_labels(tx, [(a, t, c) for (a, t), c in said.items()], now)
    follow_labels(tx, ids, now)
    return MarkCounts(
        articles=len(ids), labels=len(said),
        added=sum(c and t not in tagged.get(a, set()) for (a, t), c in said.items()),
        removed=sum(not c and t in tagged.get(a, set()) for (a, t), c in said.items()))
