"""``newsmon export``: articles with their tags, entities and evidence, to a file."""

from __future__ import annotations

from pathlib import Path

import click

from newsmon.commands.context import Context
from newsmon.commands.trends import check_names, parse_when
from newsmon.core.clock import utcnow


@click.command()
@click.option("--out", "out", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="the file to write (.parquet, .csv or .jsonl)")
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "json"]),
              help="json writes JSON Lines; default: from the --out suffix")
@click.option("--topic", "topics", multiple=True, help="articles with this topic (repeatable)")
@click.option("--entity", "entities", multiple=True,
              help="articles naming this tracked entity (repeatable)")
@click.option("--source", "sources", multiple=True, help="from this source (repeatable)")
@click.option("--lang", "languages", multiple=True, help="in this language, ISO 639-1 (repeatable)")
@click.option("--since", help="happened from (2026-03-01, 2026-03-01T09:00, 7d)")
@click.option("--until", help="happened before (same forms)")
@click.option("--text/--no-text", default=True, show_default=True, help="include the full text")
@click.pass_obj
def export(
    ctx: Context, out: Path, fmt: str | None, topics: tuple[str, ...], entities: tuple[str, ...],
    sources: tuple[str, ...], languages: tuple[str, ...], since: str | None, until: str | None,
    text: bool,
) -> None:
    """Write articles with their topics (and evidence), entities and text to a file.

    Parquet and JSON Lines keep topics and entities nested; in CSV they are JSON text.
    The rows stream from the warehouse to the file: a large export is not held in memory.

    Example: newsmon export --topic sanctions --since 30d --out sanctions.parquet
    """
    from newsmon.analysis.export import export_articles, export_format
    from newsmon.analysis.selection import Selection
    from warehouse import open_warehouse

    chosen = export_format(out, fmt)
    warehouse = open_warehouse(ctx.settings)
    check_names(ctx, warehouse, "topic", topics)
    check_names(ctx, warehouse, "entity", entities)
    now = utcnow()
    selection = Selection(
        topics=topics, entities=entities, sources=sources, languages=languages,
        since=parse_when(since, now, "--since") if since else None,
        until=parse_when(until, now, "--until") if until else None,
    )
    written = export_articles(warehouse, selection, out, chosen, text=text)
    click.echo(f"exported {written} article{'s' if written != 1 else ''} to {out} ({chosen})",
               err=True)


COMMANDS = [export]
