"""``newsmon feeds``: what each feed did, and a way to try its failed items again."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from newsmon.commands.context import Context


@click.command()
@click.option("--retry", "retry_url", metavar="URL", default=None,
              help="forget this feed's failed items and poll it in full next time "
                   "(after fixing what refused them, e.g. allow_private_networks)")
@click.pass_obj
def feeds(ctx: Context, retry_url: str | None) -> None:
    """List polled feeds: last status, failures, next poll, items stored and failed."""
    from newsmon.core.errors import ConfigError
    from warehouse import open_warehouse
    from warehouse.feed_state import feed_overview, forget_failed_items

    warehouse = open_warehouse(ctx.settings)
    if retry_url is not None:
        known = {f.state.url for f in feed_overview(warehouse)}
        if retry_url not in known:
            raise ConfigError(f"{retry_url}: not a feed this warehouse has polled "
                              f"(newsmon feeds lists them)")
        with warehouse.writer() as tx:
            forgotten = forget_failed_items(tx, retry_url)
        click.echo(f"{retry_url}: {forgotten} failed item{'s' if forgotten != 1 else ''} "
                   "will be tried again on the next run or ingest")
        return
    overview = feed_overview(warehouse)
    if not overview:
        click.echo("no feed polled yet")
        return
    for f in overview:
        s = f.state
        next_poll = s.next_poll_after.strftime("%Y-%m-%d %H:%M UTC") if s.next_poll_after \
            else "next cycle"
        line = (f"{s.url}  {s.last_status or '-'}, {s.consecutive_failures} failures in a row, "
                f"next poll {next_poll}; items: {f.articles} stored, {f.failed} failed, "
                f"{f.pending} to retry")
        if s.last_error:
            line += f"; last error: {s.last_error}"
        click.echo(line)


COMMANDS = [feeds]
