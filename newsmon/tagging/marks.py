"""An analyst's word on stored articles' topics, read from the files the tools write.

A fitted scorer weighs labels as evidence among many examples, so an article an analyst
marked can stay tagged otherwise (``newsmon topics fit`` says when). ``newsmon topics
mark`` makes the marks themselves hold: each row of the file is an article the analyst
read, and its ``topics`` are the topics it is about. Every topic the row speaks of (its
``topics``, the ``held_back`` ones a review lists, and the tags the article has now) is
recorded as carried or not (``article_labels``), and the article's tags follow the record
now and after every retag. The rows are those ``newsmon topics review`` and ``newsmon
export --format json`` write, or any JSON lines with an ``article_id`` (or ``id``) and
``topics`` (ids, or objects with a ``topic``).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from newsmon.core.errors import InputError


@dataclass(frozen=True, slots=True)
class Marked:
    """One row: the article, the topics it is about, and every topic the row speaks of."""

    article_id: int
    carried: frozenset[str]
    named: frozenset[str]  # carried, and the held-back topics the row lists
    line: int


def read_marks(path: Path, known: Collection[str]) -> list[Marked]:
    """The rows of ``path``; a row that is not one, or names a topic the taxonomy does not
    have, is an error naming the file and the line."""
    marks = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            marked = _marked(json.loads(line), number)
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            raise InputError(f"{path}:{number}: not a marked article: {exc}") from None
        unknown = sorted(marked.named - set(known))
        if unknown:
            raise InputError(f"{path}:{number}: unknown topic {unknown[0]!r} (known: "
                             f"{', '.join(sorted(known))})")
        marks.append(marked)
    return marks


def _topic_ids(value: object, field: str) -> frozenset[str]:
    if not isinstance(value, list):
        raise ValueError(f"{field}: a list of topic ids or objects with a topic")
    return frozenset(str(t["topic"]) if isinstance(t, dict) else str(t) for t in value)


def _marked(row: dict[str, object], line: int) -> Marked:
    raw = row["article_id"] if "article_id" in row else row["id"]
    article_id = int(str(raw))  # as written by review and export; a text id is no article
    carried = _topic_ids(row.get("topics") or [], "topics")
    held = _topic_ids(row.get("held_back") or [], "held_back")
    return Marked(article_id, carried, carried | held, line)
