"""``newsmon sql``: read-only SQL over the warehouse, rendered like every other result."""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING

import click

from newsmon.commands.context import Context
from newsmon.commands.render import render

if TYPE_CHECKING:
    from warehouse import QueryResult, Warehouse


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
@click.option("--max-rows", default=1000, show_default=True,
              type=click.IntRange(1, 1_000_000),
              help="a table shows this many rows of a result (csv and json print them all)")
@click.pass_obj
def sql(ctx: Context, query: str, fmt: str, max_width: int, max_rows: int) -> None:
    """Run read-only SQL on the warehouse and print each statement's result.

    Only the warehouse is reachable: no files read or written, no network, no
    extensions (reading a CSV to join with: load it with DuckDB itself).

    Example: newsmon sql "SELECT source, count(*) FROM articles GROUP BY ALL"
    """
    from warehouse import open_warehouse

    warehouse = open_warehouse(ctx.settings)
    if fmt != "table":
        _print_all(warehouse, query, fmt)
        return
    for i, result in enumerate(warehouse.user_query(query, max_rows=max_rows)):
        if i:
            click.echo()
        if not result.columns:
            click.echo("(statement ran; no result)")
            continue
        click.echo(render(result.columns, result.rows, fmt, max_width, result.types,
                          more=result.more), nl=False)
        if result.more:
            click.echo(f"(--max-rows {max_rows:,}: add a LIMIT, or print every row with "
                       "--format csv or json)")


#: What a result printed as CSV or JSON holds in memory before it goes to a file on disk.
SPOOL_BYTES = 16 * 1024 * 1024


def _print_all(warehouse: Warehouse, query: str, fmt: str) -> None:
    """Every row of every result, a batch at a time through a spool file, so neither the
    rows nor their text are ever held whole, and the warehouse is let go before the first
    line is printed (a reader paging through the output holds no cycle up)."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8",
                                       newline="") as spool:
        def write(batch: QueryResult, first: bool) -> None:
            if batch.columns:
                spool.write(render(batch.columns, batch.rows, fmt, types=batch.types,
                                   header=first))

        warehouse.user_query_batches(query, write)
        spool.seek(0)
        while chunk := spool.read(1024 * 1024):
            click.echo(chunk, nl=False)


COMMANDS = [sql]
