"""``newsmon retag`` and ``newsmon topics``: keep stored tags in step with the taxonomy."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import click

from newsmon.core.wording import plural

if TYPE_CHECKING:
    from newsmon.commands.context import Context


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
    from warehouse import open_warehouse

    tagger = tagger_for_config(ctx.config())
    warehouse = open_warehouse(ctx.settings)
    from newsmon.commands.progress import TerminalProgress

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
    if tagger.scorer is not None:
        click.echo(f"  decided by a scorer (cutoff {tagger.scorer.cutoff:g}) over each topic's "
                   "evidence; a topic needs an anchor term")
    words = tagger.words
    if words is not None:
        click.echo(f"  word model for {', '.join(words.languages)}: adds a topic whose "
                   f"terms found something at probability {words.add:g}, holds one "
                   f"back under {words.drop:g}")
        for topic_id in words.bias:
            asked = [code for code in words.languages if words.asks(topic_id, code)]
            if asked != list(words.languages):
                click.echo(f"    {topic_id}: its words judge articles in "
                           f"{', '.join(asked) or 'no language'} only (too few of its "
                           "articles read in the others)")
    click.echo(f"  terms in {', '.join(sorted(tagger.languages))}; an article in another "
               "language is tried with all of them")
    for topic in taxonomy.topics.topics:
        terms = sum(len(v) for g in topic.terms for v in g.by_language().values())
        click.echo(f"  {topic.id:<22} threshold {topic.threshold:<5g} {terms:4d} terms, "
                   f"{len(topic.pairs)} pairs  {topic.name}")
    click.echo(f"  {len(taxonomy.entities.entities)} tracked entities")


@click.command("fit")
@click.argument("labelled", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="where to write the scorer (default: [tagging] scorer, else ./scorer.toml)")
@click.option("--shipped/--no-shipped", default=True, show_default=True,
              help="fit together with the shipped examples (those whose topic rules you "
                   "have not changed)")
@click.option("--min-precision", type=click.FloatRange(0.5, 0.99), default=0.85,
              show_default=True, help="the cutoff keeps cross-validated precision above this")
@click.option("--words-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="where to write the word model (default: [tagging] words, else "
                   "words.json beside the scorer)")
@click.pass_obj
def fit(ctx: Context, labelled: Path, out: Path | None, shipped: bool,
        min_precision: float, words_out: Path | None) -> None:
    """Refit the topic scorer on labelled documents (JSON lines: id, lang, text, topics).

    Mark the articles the tagger got wrong (the topics they should have, or [] for
    none) and fit: your examples count three times the shipped ones. The word model in
    use is adjusted to the same documents (their words move, the rest stays). Point
    ``[tagging] scorer`` and ``[tagging] words`` at the files written, then
    ``newsmon retag``.
    """
    from newsmon.core.errors import ConfigError
    from newsmon.tagging import Tagger, tagger_for_config
    from newsmon.tagging.evaluate import read_labelled
    from newsmon.tagging.fitting import (
        disagreements,
        fit_scorer,
        fit_user_words,
        write_scorer,
        write_words,
    )

    config = ctx.config()
    tagger = tagger_for_config(config)
    try:
        docs = read_labelled(labelled)  # its errors name the file and line
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    try:
        fitted = fit_scorer(tagger, docs, shipped=shipped, min_precision=min_precision)
    except ValueError as exc:
        raise ConfigError(f"{labelled}: {exc}") from None
    target = out or (config.resolve(config.tagging.scorer) if config.tagging.scorer
                     else Path("scorer.toml"))
    write_scorer(fitted.scorer, target)
    click.echo(f"scorer written to {target}: {fitted.user_examples} examples from "
               f"{len(docs)} documents, {fitted.shipped_examples} shipped examples, "
               f"cutoff {fitted.scorer.cutoff:.3f}")
    quality = fitted.quality
    click.echo(f"cross-validated on those examples, the cutoff gives precision "
               f"{quality.precision:.2f} and recall {quality.recall:.2f} (of the labels the "
               "rules let through)")
    if not quality.reached:
        click.echo(f"no cutoff keeps precision at {min_precision:g} on these examples: the "
                   "cutoff stays at 0.5; label more examples, or lower --min-precision")
    if fitted.skipped_topics:
        click.echo("shipped examples left out (their topic rules changed): "
                   + ", ".join(fitted.skipped_topics))
    if fitted.out_of_reach:
        shown = ", ".join(f"{doc} {topic}" for doc, topic in fitted.out_of_reach[:5])
        more = len(fitted.out_of_reach) - 5
        click.echo(f"labels under their topic's threshold, which no scorer can give (add "
                   f"terms for them): {len(fitted.out_of_reach)}, {shown}"
                   + (f" and {more} more" if more > 0 else ""))
    if not config.tagging.scorer or config.resolve(config.tagging.scorer) != target.resolve():
        click.echo(f'to use it: [tagging] scorer = "{target}" in your newsmon.toml, '
                   "then newsmon retag")
    words = fit_user_words(tagger, docs)
    if words is not None:
        words_target = words_out or (config.resolve(config.tagging.words)
                                     if config.tagging.words else target.with_name("words.json"))
        write_words(words, words_target)
        click.echo(f"word model written to {words_target}: adjusted to {len(docs)} documents")
        if not config.tagging.words or config.resolve(config.tagging.words) != \
                words_target.resolve():
            click.echo(f'to use it: [tagging] words = "{words_target}" in your newsmon.toml')
    taught = Tagger(replace(tagger.taxonomy, scorer=fitted.scorer, words=words))
    differ = disagreements(taught, docs)
    if differ:
        shown = ", ".join(f"{doc} {topic} {how}" for doc, topic, how in differ[:5])
        beyond = f" and {len(differ) - 5} more" if len(differ) > 5 else ""
        times = plural(len(differ), "time")
        click.echo(f"tagged with what was just fitted, your documents still differ from their "
                   f"labels {times}: {shown}{beyond} (your labels weigh as evidence among the "
                   f"shipped examples, not as orders; newsmon topics mark {labelled} makes "
                   "them hold for stored articles)")
    else:
        click.echo(f"tagged with what was just fitted, all {len(docs)} of your documents get "
                   "the topics their labels say")


@click.command("evaluate")
@click.argument("labelled", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--misses", is_flag=True, help="also list every false tag and missed label")
@click.option("--json", "as_json", is_flag=True, help="print the figures as one JSON object")
@click.pass_obj
def evaluate(ctx: Context, labelled: Path, misses: bool, as_json: bool) -> None:
    """Score the tagger in use against labelled documents (what ``topics fit`` reads).

    Precision, recall and F1 per topic and over all topics, and how many documents
    labelled with no topic got one. A document without ``lang`` is given the language
    the pipeline would detect. Score documents you did not fit on, before and after
    ``newsmon topics fit``, to see what the fit bought.

    Example: newsmon topics evaluate held-out.jsonl --misses
    """
    from newsmon.commands.labelled import scores_lines, scores_of, with_languages
    from newsmon.core.errors import ConfigError
    from newsmon.tagging import tagger_for_config
    from newsmon.tagging.evaluate import check_topics, read_labelled
    from newsmon.tagging.evaluate import evaluate as score

    tagger = tagger_for_config(ctx.config())
    try:
        docs = read_labelled(labelled)
    except ValueError as exc:  # names the file and line
        raise ConfigError(str(exc)) from None
    try:
        check_topics(tagger, docs)
    except ValueError as exc:  # names the document
        raise ConfigError(f"{labelled}: {exc}") from None
    docs = with_languages(docs)
    figures = scores_of(tagger.version, docs, score(tagger, docs), misses=misses)
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False))
        return
    for line in scores_lines(figures):
        click.echo(line)


@click.command("tag")
@click.argument("source", type=click.File("rb"))
@click.option("--title", help="the article's title (counts as its lead)")
@click.option("--lang", help="ISO 639-1 code (default: the one the pipeline detects)")
@click.option("--json", "as_json", is_flag=True, help="print the result as one JSON object")
@click.pass_obj
def tag(ctx: Context, source: BinaryIO, title: str | None, lang: str | None,
        as_json: bool) -> None:
    """Tag one text with the taxonomy in use and say why, storing nothing.

    SOURCE is a plain-text file (read in the encoding ``newsmon ingest`` would find),
    or - for standard input. Prints each topic with the
    evidence behind it (term, the words it matched, their offsets), the topics the scorer
    or the word model held back with their probability, and the tracked entities: what
    to look at while editing topic rules, before ``newsmon retag``.

    Example: newsmon topics tag article.txt --title "Kim visits Putin"
    """
    from extractors.encoding import decode_text
    from newsmon.analysis.selection import language_code
    from newsmon.commands.labelled import evidence_lines, language_of
    from newsmon.core.errors import ConfigError, RejectedInput
    from newsmon.tagging import tagger_for_config

    tagger = tagger_for_config(ctx.config())
    try:
        text = decode_text(source.read()).text
    except RejectedInput as exc:
        raise ConfigError(f"{source.name}: {exc}") from None
    lang = language_of(text) if lang is None else language_code(lang, "--lang")
    tags, held = tagger.tag_and_held_back(text, lang, title)
    if as_json:
        click.echo(json.dumps({
            "taxonomy": tags.taxonomy_version, "language": lang,
            "topics": [asdict(t) for t in tags.topics],  # topic, score, evidence
            "held_back": [asdict(h) for h in held],  # topic, probability, evidence, by
            "entities": [asdict(e) for e in tags.entities]}, ensure_ascii=False))
        return
    click.echo(f"taxonomy {tags.taxonomy_version}, language {lang or 'unknown'}")
    if not tags.topics:
        click.echo("no topic")
    for topic in tags.topics:
        click.echo(f"{topic.topic} (score {topic.score:g})")
        click.echo("\n".join(evidence_lines(topic.evidence)))
    for back in held:
        click.echo(f"held back: {back.topic} ({back.by} {back.probability:.2f})")
        click.echo("\n".join(evidence_lines(back.evidence)))
    if tags.entities:  # each with the words its aliases matched, as written
        click.echo("entities: " + ", ".join(
            f"{e.entity} ({e.mentions}: {'; '.join(dict.fromkeys(v.text for v in e.evidence))})"
            for e in tags.entities))


@click.command("review")
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="the JSON Lines file to write (- for standard output)")
@click.option("--topic", "topics", multiple=True,
              help="only this held-back topic (repeatable; default: every topic)")
@click.option("--source", "sources", multiple=True,
              help='from this source, in any case; "(no source)" for articles that name '
                   "none (repeatable)")
@click.option("--lang", "languages", multiple=True,
              help="in this language, ISO 639-1 (repeatable)")
@click.option("--since", help="happened from (2026-03-01, 2026-03-01T09:00, 7d)")
@click.option("--until", help="happened before (same forms)")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000),
              help="articles to list, nearest the cutoff first")
@click.pass_obj
def review(ctx: Context, out: Path, topics: tuple[str, ...], sources: tuple[str, ...],
           languages: tuple[str, ...], since: str | None, until: str | None,
           limit: int) -> None:
    """List the articles whose topic the scorer held back, to read and fit on.

    The rules found the topic's defining terms but the scorer's probability stayed under
    its cutoff: that is where the tagger's misses are. Each row has the article's text,
    its tags (``topics``) and the held-back topics with their evidence. Add a held-back
    topic to ``topics`` where the article is about it, delete the rows you did not
    read, then ``newsmon topics mark FILE`` (their tags follow your marks) and ``newsmon
    topics fit FILE`` (articles like them are tagged alike). Topics already marked are
    not listed again.

    Example: newsmon topics review --topic sanctions --since 30d --out review.jsonl
    """
    from newsmon.analysis.review import held_back_articles, write_review
    from newsmon.commands.progress import TerminalProgress
    from newsmon.commands.selection import selection_from
    from newsmon.core.output_files import check_output_folder
    from newsmon.tagging import tagger_for_config
    from warehouse import open_warehouse

    to_stdout = str(out) == "-"
    if not to_stdout:
        check_output_folder(out)
    tagger = tagger_for_config(ctx.config())
    warehouse = open_warehouse(ctx.settings)
    selection = selection_from(ctx, warehouse, (), (), sources, languages, since, until)
    with TerminalProgress("review") as bar:
        found = held_back_articles(warehouse, tagger, selection, topics=topics, limit=limit,
                                   progress=bar.update)
    if to_stdout:  # the rows are the output; what is said about them goes to stderr
        write_review(found.rows, sys.stdout)
    else:
        with out.open("w", encoding="utf-8") as handle:
            write_review(found.rows, handle)
    where = "standard output" if to_stdout else str(out)
    fit_with = "FILE (the rows saved)" if to_stdout else str(out)
    click.echo(f"read {found.read} articles: {found.held_back} with a held-back topic; "
               f"wrote the {len(found.rows)} nearest the cutoff to {where}", err=to_stdout)
    if found.rows:
        click.echo("mark them (a held-back topic that is right goes into the row's "
                   "topics; delete rows you did not read), then: newsmon topics mark "
                   f"{fit_with} (their tags follow) and newsmon topics fit {fit_with} "
                   "(articles like them)", err=to_stdout)


@click.command("mark")
@click.argument("marked", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def mark(ctx: Context, marked: Path) -> None:
    """Record which topics articles you read are about, and make their tags say so.

    MARKED: JSON lines, one article you read each: its ``article_id`` and the ``topics``
    it is about (the rows ``newsmon topics review`` writes, once marked, or those ``newsmon
    export --format json`` writes, corrected). A topic in ``topics`` stays or becomes a
    tag; one the row lists as held back, or the article is tagged with now, that you left
    out of ``topics`` is taken away. The marks hold through ``newsmon retag``. Fit on the
    same file (``newsmon topics fit``) so that articles like them are tagged alike.

    Example: newsmon topics mark review.jsonl
    """
    from newsmon.core.clock import utcnow
    from newsmon.core.errors import InputError
    from newsmon.tagging import tagger_for_config
    from newsmon.tagging.marks import read_marks
    from newsmon.tagging.persist import mark_articles
    from warehouse import open_warehouse

    tagger = tagger_for_config(ctx.config())
    warehouse = open_warehouse(ctx.settings)
    warehouse.schema_version()  # a clear error if there is no warehouse yet; creates nothing
    marks = read_marks(marked, {t.id for t in tagger.taxonomy.topics.topics})
    try:
        with warehouse.writer() as tx:
            counts = mark_articles(tx, marks, utcnow())
    except ValueError as exc:
        raise InputError(f"{marked}: {exc}") from None
    click.echo(f"marked {plural(counts.articles, 'article')} ({plural(counts.labels, 'topic')} "
               f"judged): {plural(counts.added, 'topic')} given, {counts.removed} taken away; "
               "the marks hold through newsmon retag")


@click.group("topics", invoke_without_command=True)
@click.pass_context
def topics_group(click_ctx: click.Context) -> None:
    """Check the taxonomy files and list their topics, entities and version."""
    if click_ctx.invoked_subcommand is None:
        click_ctx.invoke(topics)


topics_group.add_command(evaluate)
topics_group.add_command(fit)
topics_group.add_command(mark)
topics_group.add_command(review)
topics_group.add_command(tag)

COMMANDS = [retag, topics_group]
