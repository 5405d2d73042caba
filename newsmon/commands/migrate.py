"""``newsmon migrate-to``: move a DuckDB-file warehouse into a lake workers can share."""

from __future__ import annotations

import click

from newsmon.commands.context import Context


@click.command("migrate-to")
@click.argument("target")
@click.pass_obj
def migrate_to(ctx: Context, target: str) -> None:
    """Copy the warehouse (--db / NEWSMON_DB, a DuckDB file) into TARGET, a new lake:
    postgresql://user:pass@host:port/dbname (data under NEWSMON_LAKE_DATA) or a
    path ending in .ducklake. All rows or none; the file is left as it was.

    Then point every worker at the lake: NEWSMON_DB=TARGET.
    """
    from warehouse import open_warehouse

    source = open_warehouse(ctx.settings)
    lake = open_warehouse(ctx.settings, target)
    copied = lake.import_from(source)
    width = max(map(len, copied), default=0)
    for table, rows in copied.items():
        click.echo(f"{table:<{width}}  {rows:>10,}")
    click.echo(f"copied {sum(copied.values()):,} rows from {source.shown} into {lake.shown}; "
               f"use it with NEWSMON_DB={lake.shown}")


COMMANDS = [migrate_to]
