"""``newsmon sql``: read-only SQL over the warehouse, rendered like every other result."""

from __future__ import annotations

import click

from newsmon.commands.context import Context
from newsmon.commands.render import render


@click.command()
@click.argument("query")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="json prints one object per line",
)
@click.option("--max-width", default=60, show_default=True, help="table cells are cut to this")
@click.pass_obj
def sql(ctx: Context, query: str, fmt: str, max_width: int) -> None:
    """Run read-only SQL on the warehouse and print each statement's result.

    Only the warehouse is reachable: no files read or written, no network, no
    extensions (reading a CSV to join with: load it with DuckDB itself).

    Example: newsmon sql "SELECT source, count(*) FROM articles GROUP BY ALL"
    """
    from warehouse import open_warehouse

    warehouse = open_warehouse(ctx.settings)
    results = warehouse.user_query(query)
    for i, result in enumerate(results):
        if i and fmt == "table":
            click.echo()
        if not result.columns:
            if fmt == "table":
                click.echo("(statement ran; no result)")
            continue
        click.echo(render(result.columns, result.rows, fmt, max_width, result.types), nl=False)


COMMANDS = [sql]
