"""``newsmon trends``, ``newsmon backtest`` and ``newsmon alerts``.

Thin: parse options, call :mod:`newsmon.analysis.trends` / :mod:`newsmon.analysis.alerts`,
print with the CLI's one renderer. Heavy imports (matplotlib) happen inside the commands.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from newsmon.core.clock import check_span, parse_when
from newsmon.core.errors import InputError

if TYPE_CHECKING:
    from newsmon.analysis.trends import Anchor
    from newsmon.commands.context import Context
    from newsmon.core.config import Config
    from warehouse import Warehouse

_DEFAULT_SPAN = {"day": timedelta(days=30), "hour": timedelta(days=3)}

_FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
    show_default=True, help="json prints one object per line",
)


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _warehouse(ctx: Context) -> Warehouse:
    from warehouse import open_warehouse

    return open_warehouse(ctx.settings)


def check_names(ctx: Context, warehouse: Warehouse, kind: str, names: tuple[str, ...]) -> None:
    """Every ``--topic`` / ``--entity`` is one the taxonomy defines or an article carries:
    a typo (``sanction``) is an error, not an empty answer."""
    if not names:
        return
    from newsmon.analysis import trends
    from newsmon.tagging import tagger_for_config

    taxonomy = tagger_for_config(ctx.config()).taxonomy
    defined = {t.id for t in taxonomy.topics.topics} if kind == "topic" else {
        e.id for e in taxonomy.entities.entities}
    trends.check_names(warehouse, "topic" if kind == "topic" else "entity", names, defined,
                       f"--{kind}")


def parse_span(warehouse: Warehouse, since: str | None, until: str | None,
               end: Anchor | None = None, *, check: bool = True
               ) -> tuple[datetime | None, datetime | None]:
    """``--since`` and ``--until`` as times. A span such as ``24h`` ends where the web's
    does: at an archive's newest article (``end``, else
    :func:`newsmon.analysis.trends.anchor` asked now), which is said on stderr when it
    moved a time. With ``check``, ``--since`` not before ``--until`` is an error."""
    from newsmon.analysis.trends import anchor

    if not since and not until:
        return None, None
    now = _utcnow()
    end = end or anchor(warehouse, now)
    times = tuple(parse_when(text, end.at, f"--{key}") if text else None
                  for key, text in (("since", since), ("until", until)))
    # a span (24h) reads differently from another end; a date reads the same
    moved = [text for text, at in zip((since, until), times, strict=True)
             if text and at != parse_when(text, now, "")]
    if moved and end.archive and end.newest is not None:
        click.echo(f"newsmon: the newest article is from {end.newest:%Y-%m-%d %H:%M} "
                   f"UTC, over a week ago: {' and '.join(moved)} "
                   f"{'is' if len(moved) == 1 else 'are'} counted back from "
                   f"{end.at:%Y-%m-%d %H:%M} UTC, not from now", err=True)
    if check:
        check_span(times[0], times[1])
    return times[0], times[1]


def explain_empty(newest: datetime | None, since: datetime | None) -> None:
    """Say on stderr why a listing over a time span came out empty, when the span is why.

    An empty answer alone looks like a filter that matched nothing; when the span starts
    after the newest article, that article's time tells what to ask for instead.
    """
    if newest is None:
        click.echo("newsmon: the warehouse holds no articles yet (`newsmon run` or "
                   "`newsmon ingest` stores some)", err=True)
    elif since is not None and newest < since:
        click.echo(f"newsmon: nothing from {since:%Y-%m-%d %H:%M} UTC on: the newest "
                   f"article happened at {newest:%Y-%m-%d %H:%M} UTC (--since takes an "
                   "earlier start)", err=True)


def explain_untagged(tagged: datetime | None, since: datetime, kind: str,
                     names: tuple[str, ...]) -> None:
    """Say on stderr why a trend came out empty while articles of its span are stored:
    none carries the topic (or entity) asked for, and when one last did."""
    what = " or ".join(names) if names else f"any {kind}"
    if tagged is None:
        click.echo(f"newsmon: no stored article carries {what}", err=True)
    elif tagged < since:
        click.echo(f"newsmon: no article from {since:%Y-%m-%d %H:%M} UTC on carries {what}: "
                   f"the newest that does happened at {tagged:%Y-%m-%d %H:%M} UTC (--since "
                   "takes an earlier start)", err=True)


def _echo(columns: list[str], rows: list[tuple[Any, ...]], fmt: str) -> None:
    from newsmon.commands.render import render

    click.echo(render(columns, rows, fmt), nl=False)


@click.command()
@click.option("--topic", "topics", multiple=True, help="only this topic (repeatable)")
@click.option("--entity", "entities", multiple=True, help="entities instead of topics (repeatable)")
@click.option("--by", type=click.Choice(["hour", "day"]), default="day", show_default=True)
@click.option("--since", help="from (2026-03-01, 2026-03-01T09:00, 7d); default 30 days "
              "(by day) or 3 days (by hour) before the newest article")
@click.option("--until", help="up to, exclusive (same forms); default: no end")
@click.option("--chart", type=click.Path(path_type=Path, dir_okay=False),
              help="also draw the series to FILE (.png or .html), stored alerts marked")
@click.option("--share", is_flag=True,
              help="chart each topic's share of all stories in the bucket, not its stories")
@click.option("--mark", type=click.Choice(["stored", "backtest", "none"]), default="stored",
              show_default=True, help="spikes marked on the chart: stored alerts, or the "
              "alerts a replay with the current thresholds finds")
@_FORMAT
@click.pass_obj
def trends(
    ctx: Context, topics: tuple[str, ...], entities: tuple[str, ...], by: str,
    since: str | None, until: str | None, chart: Path | None, share: bool, mark: str, fmt: str,
) -> None:
    """Coverage per topic (or entity) per hour or day: articles, stories, sources, and the
    share of all stories in the bucket (a rise on a quiet day shows as one).

    Example: newsmon trends --topic sanctions --by hour --since 2d --chart sanctions.png --share
    """
    from newsmon.analysis import trends as trend_queries

    if chart is not None:
        from newsmon.analysis.charts import check_chart_path

        check_chart_path(chart)
    warehouse = _warehouse(ctx)
    kind: trend_queries.Kind = "entity" if entities else "topic"
    check_names(ctx, warehouse, kind, entities or topics)
    span_end = trend_queries.anchor(warehouse, _utcnow())
    latest = span_end.newest
    newest = latest or _utcnow()
    given_start, end = parse_span(warehouse, since, until, span_end)
    start = given_start or newest - _DEFAULT_SPAN[by]
    points = trend_queries.trend(
        warehouse, by=cast("trend_queries.By", by), kind=kind, names=entities or topics,
        since=start, until=end,
    )
    _echo(
        [kind, "bucket", "articles", "stories", "sources", "all_stories", "share"],
        [(p.name, p.bucket, p.articles, p.stories, p.sources, p.all_stories, round(p.share, 4))
         for p in points],
        fmt,
    )
    if not points:
        explain_empty(latest, start)
        if latest is not None and latest >= start:
            last = trend_queries.latest_tagged(warehouse, kind, entities or topics)
            explain_untagged(max(last.values(), default=None), start, kind, entities or topics)
    if chart is not None:
        from newsmon.analysis.charts import Mark, write_chart

        marks: list[Mark] = []
        if kind == "topic" and mark == "stored":
            marks = [
                Mark(a.topic, a.window_start, a.window_end,
                     f"{a.topic}: {a.count} vs {a.baseline:.1f}")
                for a in trend_queries.stored_alerts(warehouse, topics=topics, since=start)
                if end is None or a.window_start < end
            ]
        elif kind == "topic" and mark == "backtest":
            from newsmon.analysis import alerts

            marks = [
                Mark(s.topic, s.window_start, s.window_end,
                     f"{s.topic}: {s.count} vs {s.baseline:.1f}")
                for s in alerts.backtest(warehouse, ctx.config().alerts, start, end or newest)
                if not topics or s.topic in topics
            ]
        measure = "share of all stories" if share else "stories"
        title = f"{measure} per {by}: " + (", ".join(entities or topics) or f"all {kind}s")
        step = timedelta(hours=1) if by == "hour" else timedelta(days=1)
        write_chart(chart, points, marks, title=title, step=step,
                    metric="share" if share else "stories")
        click.echo(f"chart written to {chart}", err=True)


_SPIKE_COLUMNS = ["topic", "window_start", "window_end", "count", "baseline", "score",
                  "articles", "sources"]


@click.command()
@click.option("--since", required=True, help="replay from (2026-03-01, 14d ...)")
@click.option("--until", help="replay up to (default: now, or an archive's newest article)")
@click.option("--topic", "topics", multiple=True, help="only this topic (repeatable)")
@_FORMAT
@click.pass_obj
def backtest(
    ctx: Context, since: str, until: str | None, topics: tuple[str, ...], fmt: str
) -> None:
    """Replay spike detection hour by hour over stored history; print what would have fired.

    Uses the [alerts] thresholds of the configuration, so you can tune them on your
    own data; watched entities and saved searches are replayed too (``entity:NAME``,
    ``search:NAME``). Nothing is stored or sent.
    """
    from newsmon.analysis import alerts
    from newsmon.analysis.trends import anchor
    from newsmon.search.sync import index_path

    warehouse = _warehouse(ctx)
    check_names(ctx, warehouse, "topic", topics)
    span_end = anchor(warehouse, _utcnow())
    start, given_end = parse_span(warehouse, since, until, span_end)
    assert start is not None  # --since is required
    end = given_end or span_end.at
    if end <= start:
        raise InputError(f"--until {until!r} is not after --since {since!r}")
    found = [
        s for s in alerts.backtest(warehouse, ctx.config().alerts, start, end,
                                   index_path(ctx.settings))
        if not topics or s.topic in topics
    ]
    rows = [
        (s.topic, s.window_start, s.window_end, s.count, round(s.baseline, 2),
         round(s.score, 2), s.articles, s.sources)
        for s in found
    ]
    _echo(_SPIKE_COLUMNS, rows, fmt)
    if fmt == "table":
        click.echo(f"{len(found)} alert{'s' if len(found) != 1 else ''} would have fired "
                   f"between {start:%Y-%m-%d %H:%M} and {end:%Y-%m-%d %H:%M} UTC")


@click.command(name="alerts")
@click.option("--topic", "topics", multiple=True, help="only this topic (repeatable)")
@click.option("--since", help="alerts whose window ended after (2026-03-01, 7d ...)")
@click.option("--status", "statuses", multiple=True,
              type=click.Choice(["pending", "sent", "failed", "gave_up", "no_targets"]))
@_FORMAT
@click.pass_obj
def alerts_command(
    ctx: Context, topics: tuple[str, ...], since: str | None, statuses: tuple[str, ...],
    fmt: str,
) -> None:
    """List stored spike alerts with their delivery status (json: with top articles)."""
    from newsmon.analysis import trends as trend_queries

    start = parse_when(since, _utcnow(), "--since") if since else None
    warehouse = _warehouse(ctx)
    check_names(ctx, warehouse, "topic", topics)
    stored = trend_queries.stored_alerts(warehouse, topics=topics, since=start, statuses=statuses)
    if fmt == "json":
        import json

        for alert in stored:
            click.echo(json.dumps(alert.as_json(), ensure_ascii=False, default=str))
        return
    rows = [
        (a.topic, a.window_start, a.window_end, a.count, round(a.baseline, 2), round(a.score, 2),
         a.sources, a.status, a.attempts,
         (a.top_articles[0].get("title") if a.top_articles else None), a.last_error)
        for a in stored
    ]
    _echo(
        ["topic", "window_start", "window_end", "count", "baseline", "score", "sources",
         "status", "attempts", "top_story", "last_error"],
        rows, fmt,
    )


def alerts_after_cycle(ctx: Context, config: Config, *, through_prefect: bool) -> None:
    """Spike detection and delivery at the end of ``newsmon run``, through Prefect when the
    cycle went through it (``NEWSMON_PREFECT=never`` with a ``PREFECT_API_URL`` in the
    environment runs both in-process).

    Ingestion is already committed; a detection failure is reported on stderr and
    does not fail the run (the next cycle checks the same windows again).
    """
    from newsmon.core.errors import NewsmonError

    try:
        if through_prefect:
            from flows.alerts import detect_and_alert

            summary = detect_and_alert(ctx.settings, config)
        else:
            from newsmon.analysis.alerts import detect_and_deliver
            from newsmon.core.clock import utcnow
            from newsmon.search.sync import index_path

            summary = detect_and_deliver(_warehouse(ctx), config.alerts, utcnow(),
                                         search_path=index_path(ctx.settings))
    except NewsmonError as exc:
        click.echo(f"newsmon: warning: spike detection failed: {exc}", err=True)
        return
    click.echo(summary.describe())


COMMANDS = [trends, backtest, alerts_command]
