"""``newsmon search``: ranked full-text search over the articles."""

from __future__ import annotations

import click

from newsmon.commands.context import Context
from newsmon.commands.render import render
from newsmon.commands.selection import explain_nothing, selection_from, selection_options


@click.command()
@click.argument("query")
@selection_options
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
    from newsmon.search.sync import index_path
    from warehouse import open_warehouse

    warehouse = open_warehouse(ctx.settings)
    selection = selection_from(ctx, warehouse, topics, entities, sources, languages, since, until)
    results = search_articles(warehouse, index_path(ctx.settings), query, selection, limit)
    columns = ["rank", "score", "when", "source", "lang", "title", "snippet", "url", "article_id",
               "topics", "entities"]
    rows = [(r.rank, round(r.score, 3), r.event_at, r.source, r.language, r.title, r.snippet,
             r.url, r.article_id, list(r.topics), list(r.entities)) for r in results]
    click.echo(render(columns, rows, fmt, 60), nl=False)
    if not results:
        explain_nothing(warehouse, selection)


COMMANDS = [search]
