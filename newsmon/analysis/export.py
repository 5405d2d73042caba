"""Articles out of newsmon: with their tags, entities and evidence, to Parquet, CSV or
JSON Lines, selected by the same filters as the other analyst commands.

Each row is one article: its stored columns, ``topics`` (topic, score, evidence: the
matched spans with offsets into the text or title) and ``entities`` (entity, kind,
mentions, evidence: the alias behind each mention, the same way). Parquet and JSON Lines
keep them nested; CSV has no nesting, so there they are JSON text. Rows come out in the
order articles happened (``article_times.event_at``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsmon.analysis.selection import Selection, selection_filter
from newsmon.core.errors import InputError
from newsmon.core.output_files import check_output_folder
from warehouse import Warehouse

#: File suffix -> format; ``--format`` overrides.
FORMATS = {".parquet": "parquet", ".csv": "csv", ".jsonl": "json", ".ndjson": "json",
           ".json": "json"}

_COLUMNS = (
    "a.article_id, a.url, a.origin, a.feed_url, a.source, a.title, a.author, a.agencies, "
    "a.published_at, a.published_precision, a.published_utc_offset, x.event_at, a.language, "
    "a.cluster_id, x.story_id, a.ingested_at, a.run_id, a.seen_at, a.paywalled"
)
_TOPICS = (
    "coalesce((SELECT list(struct_pack(topic := t.topic, score := t.score, "
    "evidence := t.evidence) ORDER BY t.topic) FROM article_topics t "
    "WHERE t.article_id = a.article_id), [])"
)
_ENTITIES = (
    "coalesce((SELECT list(struct_pack(entity := e.entity, kind := e.kind, "
    "mentions := e.mentions, evidence := e.evidence) ORDER BY e.entity) "
    "FROM article_entities e "
    "WHERE e.article_id = a.article_id), [])"
)


def export_format(path: Path, fmt: str | None) -> str:
    """The format to write ``path`` in: ``fmt``, else the one its suffix names."""
    if fmt is not None:
        return fmt
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise InputError(
            f"{path}: cannot tell the format from the suffix (use .parquet, .csv or .jsonl, "
            "or --format)"
        )
    return found


def export_articles(
    warehouse: Warehouse, selection: Selection, path: Path, fmt: str, *, text: bool = True
) -> int:
    """Write the selected articles to ``path``; return how many were written."""
    check_output_folder(path)
    sql, params = export_query(selection, nested=fmt != "csv", text=text)
    return warehouse.copy_to(sql, params, path, fmt)


def export_query(
    selection: Selection, *, nested: bool = True, text: bool = True
) -> tuple[str, list[Any]]:
    topics, entities = (_TOPICS, _ENTITIES) if nested else (
        f"to_json({_TOPICS})", f"to_json({_ENTITIES})")
    where, params = selection_filter(selection)
    sql = (
        f"SELECT {_COLUMNS}, {topics} AS topics, {entities} AS entities"
        + (", a.text" if text else "")
        + " FROM articles a JOIN article_times x USING (article_id)"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY x.event_at, a.article_id"
    )
    return sql, params
