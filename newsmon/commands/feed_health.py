"""``newsmon feeds``: what each feed did, a way to try its failed items again, and the
feeds as an OPML list for a feed reader."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsmon.core.wording import plural

if TYPE_CHECKING:
    from newsmon.commands.context import Context
    from warehouse import Warehouse


@click.command()
@click.option("--retry", "retry_url", metavar="URL", default=None,
              help="forget this feed's failed items, unpark it and poll it in full next "
                   "time (after fixing what refused them, e.g. allow_private_networks)")
@click.option("--opml", "opml_out", metavar="FILE", type=click.Path(dir_okay=False),
              default=None, help="write the feeds followed (configured, then polled) as an "
                                 "OPML list a feed reader imports; - for standard output")
@click.pass_obj
def feeds(ctx: Context, retry_url: str | None, opml_out: str | None) -> None:
    """List polled feeds: last status (parked or not), failures in a row, polling
    interval, next poll, items per day (last 7 days), items stored and failed, last error."""
    from newsmon.core.errors import ConfigError
    from warehouse import open_warehouse
    from warehouse.feed_state import feed_overview, forget_failed_items

    warehouse = open_warehouse(ctx.settings)
    if opml_out is not None:
        if retry_url is not None:
            raise ConfigError("--opml and --retry: one at a time")
        _write_opml(ctx, warehouse, opml_out)
        return
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


def _write_opml(ctx: Context, warehouse: Warehouse, out: str) -> None:
    from extractors.opml import write_opml
    from newsmon.core.output_files import check_output_folder, write_output
    from newsmon.sources.feeds import followed_feeds, plan_from_config

    path = None if out == "-" else Path(out)
    if path is not None:
        check_output_folder(path)
    configured = plan_from_config(ctx.config(), ctx.settings).feeds
    followed = followed_feeds(warehouse, configured)
    data = write_opml(followed, "newsmon feeds")
    if path is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    write_output(path, data, "OPML list")
    click.echo(f"wrote {plural(len(followed), 'feed')} to {path}", err=True)


COMMANDS = [feeds]
