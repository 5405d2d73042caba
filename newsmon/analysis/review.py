"""What the tagger held back: articles whose rules found a topic the scorer declined.

The scorer's cutoff gives up recall to keep precision (a false tag on a spike chart costs
the analyst more than a missed one), so the articles it declines are where the missed
ones are. Listed nearest the cutoff first, with the evidence the rules found, they are a
short reading list: an analyst marks the ones that are about the topic and refits the
scorer on the file (``newsmon topics fit``), which reads it as it is.

Each row is an article in the shape ``newsmon export --format json`` writes (so ``fit``
takes it): ``topics`` are the tags the current taxonomy gives, ``held_back`` the
declined topics with their probability and evidence. Adding a held-back topic to
``topics`` says "this one is right"; leaving it out says "rightly declined".
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, TextIO

from newsmon.analysis.selection import Selection, selection_filter
from newsmon.core.errors import InputError
from newsmon.tagging import HeldBack, Tagger
from warehouse import Warehouse

_MIN_ID = -(2**63)
_SELECT = (
    "SELECT a.article_id, a.url, a.source, x.event_at, a.language, a.title, a.text "
    "FROM articles a JOIN article_times x USING (article_id) WHERE a.article_id > ?{where} "
    "ORDER BY a.article_id LIMIT ?"
)


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One article to read, with what the tagger gives it and what it held back."""

    article_id: int
    url: str
    source: str
    event_at: datetime
    language: str | None
    title: str | None
    text: str
    topics: tuple[str, ...]
    held_back: tuple[HeldBack, ...]

    @property
    def nearest(self) -> float:
        return max(h.probability for h in self.held_back)

    def to_json(self) -> str:
        row: dict[str, Any] = {
            "article_id": self.article_id, "url": self.url, "source": self.source,
            "event_at": self.event_at.isoformat(), "language": self.language,
            "title": self.title,
            "topics": [{"topic": t} for t in self.topics],
            "held_back": [asdict(h) for h in self.held_back],  # with each evidence
            "text": self.text,
        }
        return json.dumps(row, ensure_ascii=False)


@dataclass
class ReviewSummary:
    read: int = 0
    held_back: int = 0  # articles with a held-back topic among those asked for
    rows: list[ReviewRow] = field(default_factory=list)  # the ``limit`` nearest the cutoff


def held_back_articles(
    warehouse: Warehouse, tagger: Tagger, selection: Selection, *,
    topics: Sequence[str] = (), limit: int = 50, batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
) -> ReviewSummary:
    """The selected articles whose ``topics`` (any topic when empty) the scorer held
    back, the ``limit`` nearest the cutoff first. Articles are re-tagged with ``tagger``,
    so the list is the current taxonomy's, whatever the stored tags were made with."""
    if tagger.scorer is None:
        raise InputError("the taxonomy has no scorer: its rules decide every topic, so "
                         "nothing is held back")
    known = {t.id for t in tagger.taxonomy.topics.topics}
    unknown = [t for t in topics if t not in known]
    if unknown:
        raise InputError(f"--topic {unknown[0]}: no such topic (known: "
                         f"{', '.join(sorted(known))})")
    summary = ReviewSummary()
    nearest: list[tuple[float, int, ReviewRow]] = []
    judged = _judged(warehouse)
    for row in _articles(warehouse, selection, batch_size):
        summary.read += 1
        if progress is not None and summary.read % 100 == 0:
            progress(summary.read)
        article_id, url, source, event_at, language, title, text = row
        tags, all_held = tagger.tag_and_held_back(text, language, title)
        held = tuple(h for h in all_held if (not topics or h.topic in topics)
                     and (int(article_id), h.topic) not in judged)
        if not held:
            continue
        summary.held_back += 1
        found = ReviewRow(int(article_id), url, source, event_at, language, title, text,
                          tuple(t.topic for t in tags.topics), held)
        item = (found.nearest, -found.article_id, found)
        if len(nearest) < limit:
            heapq.heappush(nearest, item)
        else:
            heapq.heappushpop(nearest, item)
    summary.rows = [item[2] for item in sorted(nearest, key=lambda i: (-i[0], -i[1]))]
    return summary


def _judged(warehouse: Warehouse) -> set[tuple[int, str]]:
    """(article, topic) pairs an analyst has marked (``newsmon topics mark``): read once,
    they are not listed for reading again. A warehouse no write has migrated since marks
    came in (migration 0014; a review only reads) has none."""
    with warehouse.reading() as session:
        if not session.query(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'article_labels' "
                "AND database_name = current_database() AND schema_name = current_schema()"
        ).rows[0][0]:
            return set()
        return {(int(r[0]), str(r[1])) for r in session.query(
            "SELECT article_id, topic FROM article_labels").rows}


def write_review(rows: Sequence[ReviewRow], handle: TextIO) -> None:
    """The rows as JSON lines (what ``newsmon topics fit`` reads back once marked)."""
    for row in rows:
        handle.write(row.to_json() + "\n")


def _articles(warehouse: Warehouse, selection: Selection, batch_size: int
              ) -> Iterator[tuple[Any, ...]]:
    """The selected articles in article_id order, a batch of rows at a time."""
    where, params = selection_filter(selection)
    sql = _SELECT.format(where="".join(f" AND {w}" for w in where))
    last = _MIN_ID
    while True:
        rows = warehouse.query(sql, [last, *params, batch_size]).rows
        if not rows:
            return
        yield from rows
        last = int(rows[-1][0])
