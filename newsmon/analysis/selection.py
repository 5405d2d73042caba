"""Which articles an analyst means: the filters search, export and the web share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from newsmon.core.errors import InputError
from warehouse import ReadSession, Warehouse

#: The source filter that means "articles that name no source" (how the web page lists
#: them among the outlets).
NO_SOURCE = "(no source)"
#: An article's outlet as shown (``articles a``; one parameter, :data:`NO_SOURCE`): the
#: name it stores, or the name the filter takes for none.
SHOWN_SOURCE = "coalesce(nullif(a.source, ''), ?)"


@dataclass(frozen=True, slots=True)
class Selection:
    """Which articles: every given filter must hold (repeated values of one filter: any)."""

    topics: Sequence[str] = ()
    entities: Sequence[str] = ()
    sources: Sequence[str] = ()
    languages: Sequence[str] = ()
    since: datetime | None = None
    until: datetime | None = None
    article_ids: Sequence[int] | None = None  # only these (a saved search's matches)


def language_code(given: str, name: str) -> str:
    """A language filter (``name``: the option or parameter that gave it) as articles store
    it: a two-letter ISO 639-1 code, lowercase ("DE" is "de"). Anything else ("German",
    "deu") would match no article and look like an empty result, so it is an error."""
    code = given.strip().lower()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise InputError(f"{name} {given}: not a two-letter ISO 639-1 code (de, en, fr, ...)")
    return code


def selection_filter(selection: Selection) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``articles a JOIN article_times x`` for ``selection``, and params."""
    where: list[str] = []
    params: list[Any] = []

    def among(column: str, values: Sequence[Any]) -> str:
        params.extend(values)
        return f"{column} IN ({', '.join('?' for _ in values)})"

    if selection.topics:
        where.append("a.article_id IN (SELECT article_id FROM article_topics WHERE "
                     + among("topic", selection.topics) + ")")
    if selection.entities:
        where.append("a.article_id IN (SELECT article_id FROM article_entities WHERE "
                     + among("entity", selection.entities) + ")")
    if selection.sources:  # as a reader names it: "euronews" is Euronews
        named = [source.lower() for source in selection.sources if source != NO_SOURCE]
        either = [among("lower(a.source)", named)] if named else []
        if NO_SOURCE in selection.sources:
            either.append("coalesce(a.source, '') = ''")
        where.append("(" + " OR ".join(either) + ")")
    if selection.languages:
        where.append(among("a.language", selection.languages))
    if selection.article_ids is not None:
        where.append("a.article_id IN (SELECT unnest(?::BIGINT[]))")
        params.append(list(selection.article_ids))
    if selection.since is not None:
        # implied by the next condition (an event is never more than a day after its
        # ingestion, see article_times) but on a stored column that grows with the rows,
        # so DuckDB skips the row groups of older cycles instead of computing every
        # article's event time
        where.append("a.ingested_at >= ?")
        params.append(selection.since - timedelta(days=1))
        where.append("x.event_at >= ?")
        params.append(selection.since)
    if selection.until is not None:
        where.append("x.event_at < ?")
        params.append(selection.until)
    return where, params


def stored_sources(warehouse: Warehouse | ReadSession, given: Sequence[str]) -> list[str]:
    """The source names articles store that ``given`` means, in any case (for the search
    index, which matches a source's name exactly; no source is "" there)."""
    named = [g.lower() for g in given if g != NO_SOURCE]
    found = [""] if NO_SOURCE in given else []  # the index's name for no source
    if named:
        marks = ", ".join("?" for _ in named)
        found += [str(r[0]) for r in warehouse.query(
            f"SELECT DISTINCT source FROM articles WHERE lower(source) IN ({marks}) ORDER BY 1",
            named).rows]
    return found


def selected_ids(warehouse: Warehouse | ReadSession, selection: Selection) -> list[int] | None:
    """The ids of the selected articles; None when nothing narrows the selection."""
    where, params = selection_filter(selection)
    if not where:
        return None
    rows = warehouse.query(
        "SELECT a.article_id FROM articles a JOIN article_times x USING (article_id) WHERE "
        + " AND ".join(where), params,
    ).rows
    return [int(r[0]) for r in rows]
