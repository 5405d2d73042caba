"""Keeping the search index current with the warehouse, exactly once.

The warehouse is the record; the index is derived from it and can always be rebuilt
(delete the directory). A small state file in the index directory holds the position of
the last article indexed, in warehouse order (``ingested_at``, then ``article_id``: the
articles of one load share its ``ingested_at``). Each sync indexes the articles after it
in batches and moves the mark after each committed batch, so a sync killed half-way
resumes where its last batch committed; a batch indexed twice is harmless, since the
index replaces a document with the same id.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from newsmon.core.settings import Settings
from newsmon.search.index import IndexedArticle, SearchIndex
from warehouse import ReadSession, Warehouse

log = logging.getLogger(__name__)

STATE_FILE = "newsmon-index.json"
BATCH = 2_000


def index_path(settings: Settings) -> Path:
    """Where the search index of ``settings.db`` lives: ``<db>.search/`` beside it; for a
    PostgreSQL lake, on this machine (each machine's index catches up from the lake)."""
    if settings.search_index is not None:
        return settings.search_index
    if settings.db_url is not None:
        parts = urlsplit(settings.db_url)
        name = f"{parts.hostname}-{parts.port or 5432}-{parts.path.strip('/')}.search"
        return Path.home() / ".local" / "share" / "newsmon" / name
    db = Path(settings.db)
    return db.with_name(db.name + ".search")


def indexed_until(path: Path) -> tuple[datetime, int] | None:
    """(ingested_at, article_id) of the last article indexed, in warehouse order."""
    try:
        state = json.loads((path / STATE_FILE).read_text(encoding="utf-8"))
        return datetime.fromisoformat(state["ingested_at"]), int(state["article_id"])
    except (FileNotFoundError, KeyError, ValueError, TypeError):
        return None


def _mark(path: Path, until: tuple[datetime, int]) -> None:
    partial = path / (STATE_FILE + ".partial")
    state = {"ingested_at": until[0].isoformat(), "article_id": until[1]}
    partial.write_text(json.dumps(state), encoding="utf-8")
    partial.replace(path / STATE_FILE)


def sync_index(
    warehouse: Warehouse | ReadSession, path: Path, index: SearchIndex | None = None
) -> int:
    """Index the articles the index does not have yet; return how many were indexed."""
    index = index or SearchIndex(path)
    after = indexed_until(index.directory)
    done = 0
    while True:
        where, params = "", []
        if after is not None:
            where = "WHERE a.ingested_at > ? OR (a.ingested_at = ? AND a.article_id > ?) "
            params = [after[0], after[0], after[1]]
        rows = warehouse.query(
            "SELECT a.article_id, a.language, a.title, a.text, a.ingested_at, a.source, "
            f"x.event_at FROM articles a JOIN article_times x USING (article_id) {where}"
            "ORDER BY a.ingested_at, a.article_id LIMIT ?",
            [*params, BATCH],
        ).rows
        if not rows:
            break
        done += index.add(
            IndexedArticle(r[0], r[1], r[2], r[3], r[5], r[6]) for r in rows
        )
        after = (rows[-1][4], int(rows[-1][0]))
        _mark(index.directory, after)
        if len(rows) < BATCH:
            break
    if done:
        log.debug("search index %s: %d articles indexed", path, done)
    return done
