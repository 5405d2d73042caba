"""``newsmon feeds``: what each feed did, and a way to try its failed items again."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from newsmon.commands.context import Context


@click.command()
@click.option("--retry", "retry_url", metavar="URL", default=None,
              help="forget this feed's failed items, unpark it and poll it in full next "
                   "time (after fixing what refused them, e.g. allow_private_networks)")
@click.pass_obj
def feeds(ctx: Context, retry_url: str | None) -> None:
    """List polled feeds: last status (parked or not), failures in a row, polling
    interval, next poll, items per day (last 7 days), items stored and failed, last error."""
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
        every = f"every {s.interval_minutes:.0f} min" if s.interval_minutes else "every cycle"
        status = s.last_status or "-"
        if s.parked_at:
            status += f", PARKED since {s.parked_at:%Y-%m-%d %H:%M} UTC"
        line = (f"{s.url}  {status}, {s.consecutive_failures} failures in a row, {every}, "
                f"next poll {next_poll}; items: {f.items_per_day:.1f}/day, {f.articles} "
                f"stored, {f.failed} failed, {f.pending} to retry")
        if s.last_error:
            line += f"; last error: {s.last_error}"
        click.echo(line)


COMMANDS = [feeds]
