"""``newsmon retag`` and ``newsmon topics``: keep stored tags in step with the taxonomy."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from newsmon.cli import Context


@click.command()
@click.option("--all", "everything", is_flag=True,
              help="re-tag every article, also those already tagged with this taxonomy version")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100_000),
              help="articles per transaction")
@click.pass_obj
def retag(ctx: Context, everything: bool, batch_size: int) -> None:
    """Re-tag stored articles with the current topic and entity taxonomy.

    Only articles tagged by another taxonomy version (or not at all) are redone, in
    batches of one transaction each; an interrupted retag resumes where it stopped.
    """
    from newsmon.tagging import tagger_for_config
    from newsmon.tagging.retag import retag as run_retag
    from warehouse import Warehouse

    tagger = tagger_for_config(ctx.config())
    warehouse = Warehouse(ctx.settings.db, lock_timeout_s=ctx.settings.lock_timeout_s)
    from newsmon.progress import TerminalProgress

    with TerminalProgress("retag") as bar:
        summary = run_retag(warehouse, tagger, batch_size=batch_size, everything=everything,
                            progress=bar.update)
    click.echo(summary.describe())


@click.command()
@click.pass_obj
def topics(ctx: Context) -> None:
    """Check the taxonomy files and list their topics, entities and version."""
    from newsmon.tagging import tagger_for_config

    tagger = tagger_for_config(ctx.config())
    taxonomy = tagger.taxonomy
    click.echo(f"taxonomy {tagger.version} ({', '.join(taxonomy.sources)})")
    for topic in taxonomy.topics.topics:
        terms = sum(len(v) for g in topic.terms for v in g.by_language().values())
        click.echo(f"  {topic.id:<22} threshold {topic.threshold:<5g} {terms:4d} terms, "
                   f"{len(topic.pairs)} pairs  {topic.name}")
    click.echo(f"  {len(taxonomy.entities.entities)} tracked entities")


COMMANDS = [retag, topics]
