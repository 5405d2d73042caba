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
    from warehouse.feed_state import FeedOverview


@click.command()
@click.option("--retry", "retry_url", metavar="URL", default=None,
              help="forget this feed's failed items, unpark it and poll it in full next "
                   "time (after fixing what refused them, e.g. allow_private_networks)")
@click.option("--forget", "forget_url", metavar="URL", default=None,
              help="drop a feed you no longer follow from this list and OPML exports "
                   "(its articles stay)")
@click.option("--opml", "opml_out", metavar="FILE", type=click.Path(dir_okay=False),
              default=None, help="write the feeds followed (configured, then polled) as an "
                                 "OPML list a feed reader imports; - for standard output")
@click.option("--failing", is_flag=True,
              help="only the feeds whose last poll failed (parked ones too)")
@click.option("--format", "fmt", type=click.Choice(["lines", "json", "csv"]), default="lines",
              show_default=True, help="json prints one object per line, for monitoring")
@click.pass_obj
def feeds(ctx: Context, retry_url: str | None, forget_url: str | None,
          opml_out: str | None, failing: bool, fmt: str) -> None:
    """List polled feeds: last status (parked or not), failures in a row, polling
    interval, next poll, items per day (last 7 days), items stored and failed, last error.

    Example, for a cron job that watches the feeds: newsmon feeds --failing --format json
    """
    from newsmon.core.errors import ConfigError
    from warehouse import open_warehouse
    from warehouse.feed_state import feed_overview, forget_failed_items

    warehouse = open_warehouse(ctx.settings)
    if sum(x is not None for x in (retry_url, forget_url, opml_out)) > 1:
        raise ConfigError("--retry, --forget and --opml: one at a time")
    if opml_out is not None:
        _write_opml(ctx, warehouse, opml_out)
        return
    if forget_url is not None:
        _forget(ctx, warehouse, forget_url)
        return
    if retry_url is not None:
        _check_polled(warehouse, retry_url)
        with warehouse.writer() as tx:
            forgotten = forget_failed_items(tx, retry_url)
        click.echo(f"{retry_url}: {plural(forgotten, 'failed item')} will be tried again on "
                   "the next run or ingest")
        return
    overview = feed_overview(warehouse)
    shown = [f for f in overview if f.state.consecutive_failures or f.state.parked_at] \
        if failing else overview
    if fmt != "lines":
        from newsmon.commands.render import render

        click.echo(render(list(_COLUMNS), [_row(f) for f in shown], fmt), nl=False)
    elif not overview:
        click.echo("no feed polled yet")
    elif not shown:
        click.echo(f"no feed failing (of {plural(len(overview), 'feed')} polled)")
    else:
        click.echo("\n".join(_line(f) for f in shown))


def _line(f: FeedOverview) -> str:
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
    return f"{line}; last error: {s.last_error}" if s.last_error else line


_COLUMNS = ("url", "name", "status", "http_status", "failures_in_a_row", "parked_at",
            "interval_minutes", "last_polled_at", "last_success_at", "last_new_at",
            "next_poll_after", "items_per_day", "articles", "failed", "pending", "last_error")


def _row(f: FeedOverview) -> tuple[object, ...]:
    s = f.state
    return (s.url, s.name, s.last_status, s.last_http_status, s.consecutive_failures,
            s.parked_at, s.interval_minutes, s.last_polled_at, s.last_success_at,
            s.last_new_at, s.next_poll_after, round(f.items_per_day, 2), f.articles, f.failed,
            f.pending, s.last_error)


def _check_polled(warehouse: Warehouse, url: str) -> None:
    """``url`` is a feed the warehouse knows (read first: a typo writes nothing)."""
    from newsmon.core.errors import ConfigError
    from warehouse.feed_state import feed_overview

    if url not in {f.state.url for f in feed_overview(warehouse)}:
        raise ConfigError(f"{url}: not a feed this warehouse has polled "
                          "(newsmon feeds lists them)")


def _forget(ctx: Context, warehouse: Warehouse, url: str) -> None:
    from warehouse.feed_state import forget_feed

    _check_polled(warehouse, url)
    with warehouse.writer() as tx:
        forget_feed(tx, url)
    click.echo(f"{url}: forgotten; its articles stay")
    if any(f.url == url for f in ctx.config().feeds):
        click.echo(f"{url}: still a [[feeds]] entry of the configuration: the next run "
                   "polls it again", err=True)


def _write_opml(ctx: Context, warehouse: Warehouse, out: str) -> None:
    from extractors.opml import write_opml
    from newsmon.core.output_files import check_output_folder, write_output
    from newsmon.sources.local_feeds import followed_feeds

    path = None if out == "-" else Path(out)
    if path is not None:
        check_output_folder(path)
    followed = followed_feeds(warehouse, ctx.config())
    data = write_opml(followed, "newsmon feeds")
    if path is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    write_output(path, data, "OPML list")
    click.echo(f"wrote {plural(len(followed), 'feed')} to {path}", err=True)


COMMANDS = [feeds]
