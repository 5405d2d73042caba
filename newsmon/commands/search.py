"""``newsmon search``: ranked full-text search over the articles."""

from __future__ import annotations

import click

from newsmon.commands.context import Context
from newsmon.commands.render import render
from newsmon.commands.trends import check_names, parse_when
from newsmon.core.clock import utcnow


@click.command()
@click.argument("query")
@click.option("--topic", "topics", multiple=True, help="articles with this topic (repeatable)")
@click.option("--entity", "entities", multiple=True,
              help="articles naming this tracked entity (repeatable)")
@click.option("--source", "sources", multiple=True, help="from this source (repeatable)")
@click.option("--lang", "languages", multiple=True, help="in this language, ISO 639-1 (repeatable)")
@click.option("--since", help="happened from (2026-03-01, 2026-03-01T09:00, 7d)")
@click.option("--until", help="happened before (same forms)")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000),
              help="how many results")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="json prints one object per line")
@click.pass_obj
def search(
    ctx: Context, query: str, topics: tuple[str, ...], entities: tuple[str, ...],
    sources: tuple[str, ...], languages: tuple[str, ...], since: str | None, until: str | None,
    limit: int, fmt: str,
) -> None:
    """Find articles by their words, best first (BM25 over title and text).

    Words are stemmed by each article's language (German, English), so "Sanktion" finds
    "Sanktionen". All words must match; "quoted words" match as a phrase; OR, AND, NOT
    (or -word) and parentheses combine them. Matched words are **marked** in the snippet.

    Example: newsmon search '"Kim Jong Un" Putin NOT Trump' --lang de --since 30d
    """
    from newsmon.analysis.search import search_articles
    from newsmon.analysis.selection import Selection
    from newsmon.search.sync import index_path
    from warehouse import open_warehouse

    warehouse = open_warehouse(ctx.settings)
    check_names(ctx, warehouse, "topic", topics)
    check_names(ctx, warehouse, "entity", entities)
    now = utcnow()
    selection = Selection(
        topics=topics, entities=entities, sources=sources, languages=languages,
        since=parse_when(since, now, "--since") if since else None,
        until=parse_when(until, now, "--until") if until else None,
    )
    results = search_articles(warehouse, index_path(ctx.settings), query, selection, limit)
    columns = ["rank", "score", "when", "source", "lang", "title", "snippet", "url", "article_id"]
    rows = [(r.rank, round(r.score, 3), r.event_at, r.source, r.language, r.title, r.snippet,
             r.url, r.article_id) for r in results]
    click.echo(render(columns, rows, fmt, 60), nl=False)


COMMANDS = [search]
