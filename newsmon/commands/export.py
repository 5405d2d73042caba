"""``newsmon export``: articles with their tags, entities and evidence, to a file."""

from __future__ import annotations

from pathlib import Path

import click

from newsmon.commands.context import Context
from newsmon.commands.selection import explain_nothing, selection_from, selection_options


@click.command()
@click.argument("file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False),
              help="the file to write (.parquet, .csv or .jsonl); or give it as FILE")
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "json"]),
              help="json writes JSON Lines; default: from the --out suffix")
@selection_options
@click.option("--text/--no-text", default=True, show_default=True, help="include the full text")
@click.pass_obj
def export(
    ctx: Context, file: Path | None, out: Path | None, fmt: str | None,
    topics: tuple[str, ...], entities: tuple[str, ...],
    sources: tuple[str, ...], languages: tuple[str, ...], since: str | None, until: str | None,
    text: bool,
) -> None:
    """Write articles with their topics (and evidence), entities and text to a file.

    Parquet and JSON Lines keep topics and entities nested; in CSV they are JSON text.
    The rows stream from the warehouse to the file: a large export is not held in memory.

    Example: newsmon export --topic sanctions --since 30d --out sanctions.parquet
    """
    if file is not None and out is not None and file != out:
        raise click.UsageError(f"two files to write: {file} and --out {out}; give one")
    out = out or file
    if out is None:
        raise click.UsageError("no file to write: give it as --out FILE (.parquet, .csv or "
                               ".jsonl)")
    from newsmon.analysis.export import export_articles, export_format
    from warehouse import open_warehouse

    chosen = export_format(out, fmt)
    warehouse = open_warehouse(ctx.settings)
    selection = selection_from(ctx, warehouse, topics, entities, sources, languages, since, until)
    written = export_articles(warehouse, selection, out, chosen, text=text)
    click.echo(f"exported {written} article{'s' if written != 1 else ''} to {out} ({chosen})",
               err=True)
    if not written:
        explain_nothing(warehouse, selection)


COMMANDS = [export]
