"""``newsmon stories``: the top stories, one line per event, or one story's articles."""

from __future__ import annotations

from typing import Any

import click

from newsmon.commands.context import Context
from newsmon.commands.render import render
from newsmon.commands.selection import explain_nothing, selection_from, selection_options
from newsmon.core.errors import InputError

DEFAULT_SINCE = "24h"


@click.command()
@selection_options
@click.option("--id", "story_id", type=int, help="list this story's articles instead")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000),
              help="how many stories")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="json prints one object per line")
@click.pass_obj
def stories(
    ctx: Context, topics: tuple[str, ...], entities: tuple[str, ...], sources: tuple[str, ...],
    languages: tuple[str, ...], since: str | None, until: str | None, story_id: int | None,
    limit: int, fmt: str,
) -> None:
    """The top stories: articles about one event, across sources and languages.

    One line per story, most distinct sources first: its headline (the first article's
    title), articles, sources, languages, first and last seen, topics and top entities.
    A story is listed when any of its articles matches the filters; --since defaults to
    24h (spans such as 24h end at the newest article when that is over a week old: an
    archive). --id lists one story's articles by time and source.

    Example: newsmon stories --since 48h --topic diplomacy --lang de --lang en
    """
    from newsmon.analysis.stories import story_articles, top_stories
    from warehouse import open_warehouse

    warehouse = open_warehouse(ctx.settings)
    if story_id is not None:
        members = story_articles(warehouse, story_id)
        if not members:
            raise InputError(f"--id {story_id}: no story has this id (ids are in the "
                             "story_id column of `newsmon stories`)")
        columns = ["when", "source", "lang", "title", "url", "article_id", "cluster_id"]
        lines: list[tuple[Any, ...]] = [
            (m.event_at, m.source, m.language, m.title, m.url, m.article_id, m.cluster_id)
            for m in members]
        click.echo(render(columns, lines, fmt, 60), nl=False)
        return
    selection = selection_from(ctx, warehouse, topics, entities, sources, languages,
                               since, until, default_since=DEFAULT_SINCE)
    found = top_stories(warehouse, selection, limit)
    columns = ["story_id", "headline", "articles", "sources", "languages", "first_seen",
               "last_seen", "topics", "entities", "outlets"]
    rows: list[tuple[Any, ...]] = [
        (s.story_id, s.headline, s.articles, s.sources, list(s.languages), s.first_seen,
         s.last_seen, list(s.topics), list(s.entities), list(s.outlets)) for s in found]
    if fmt != "json":  # lists stay lists in JSON only
        rows = [(*r[:4], "; ".join(r[4]), *r[5:7], "; ".join(r[7]), "; ".join(r[8]),
                 "; ".join(r[9])) for r in rows]
    click.echo(render(columns, rows, fmt, 50), nl=False)
    if not found:
        explain_nothing(warehouse, selection)


COMMANDS = [stories]
