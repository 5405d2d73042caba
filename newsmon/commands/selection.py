"""The article filters search and export share: one set of options, one way to read them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from newsmon.commands.context import Context
from newsmon.commands.trends import check_names, explain_empty, parse_span

if TYPE_CHECKING:
    from newsmon.analysis.selection import Selection
    from warehouse import Warehouse

F = TypeVar("F", bound=Callable[..., Any])

_OPTIONS = [
    click.option("--topic", "topics", multiple=True, help="articles with this topic (repeatable)"),
    click.option("--entity", "entities", multiple=True,
                 help="articles naming this tracked entity (repeatable)"),
    click.option("--source", "sources", multiple=True,
                 help='from this source, in any case; "(no source)" for articles that name '
                      "none (repeatable)"),
    click.option("--lang", "languages", multiple=True,
                 help="in this language, ISO 639-1 (repeatable)"),
    click.option("--since", help="happened from (2026-03-01, 2026-03-01T09:00, 7d)"),
    click.option("--until", help="happened before (same forms)"),
]


def selection_options(command: F) -> F:
    """``--topic --entity --source --lang --since --until`` on a command."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


def selection_from(
    ctx: Context, warehouse: Warehouse, topics: tuple[str, ...], entities: tuple[str, ...],
    sources: tuple[str, ...], languages: tuple[str, ...], since: str | None, until: str | None,
    default_since: str | None = None,
) -> Selection:
    """The options as a :class:`Selection`; unknown topics or entities, language names
    for codes, unreadable times and a ``--since`` given after ``--until`` are one-line
    errors (``default_since``, the command's own window, is never one)."""
    from newsmon.analysis.selection import Selection, language_code

    check_names(ctx, warehouse, "topic", topics)
    check_names(ctx, warehouse, "entity", entities)
    start, end = parse_span(warehouse, since or default_since, until, check=bool(since))
    return Selection(
        topics=topics, entities=entities, sources=sources,
        languages=tuple(language_code(code, "--lang") for code in languages),
        since=start, until=end,
    )


def explain_nothing(warehouse: Warehouse, selection: Selection) -> None:
    """After a listing the filters left empty: say so on stderr when the warehouse is empty
    or the span starts after its newest article (:func:`explain_empty`)."""
    from newsmon.analysis.trends import latest_event

    explain_empty(latest_event(warehouse), selection.since)
