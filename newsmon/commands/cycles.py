"""``newsmon run`` and ``newsmon ingest``: one cycle now, over the configured or given inputs."""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsmon.commands.context import Context, check_warehouse_folder
from newsmon.core.clock import utcnow
from newsmon.core.config import with_secrets
from newsmon.core.errors import ConfigError, InputError
from newsmon.core.shard import Shard
from newsmon.pipeline.forkserver import prestart_for

if TYPE_CHECKING:  # the pipeline's libraries load when a cycle runs, not with `--help`
    from newsmon.pipeline.summary import RunSummary
    from newsmon.sources.feed_plan import FeedPlan


def _quiet_prefect_console(debug: bool) -> None:
    """Keep Prefect's console to critical messages for the one-shot commands: a failed
    run is newsmon's one line (the full traceback still goes to the run's logs in the
    Prefect UI, and to the terminal with --debug)."""
    if not debug:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")


def _run_flow(
    ctx: Context, sources: Sequence[Path], trigger: str, feeds: FeedPlan | None = None
) -> bool:
    """One cycle, through Prefect when a server is there to record it, else in-process;
    returns whether it went through Prefect (what follows the cycle goes the same way).

    Starting Prefect's temporary server costs ~10 s, more than the seeds' whole cycle;
    a one-off run without a server is the same plain functions the flow wires, and the
    warehouse records it in ``runs`` either way.
    """
    if isinstance(ctx.settings.db, Path):
        check_warehouse_folder(ctx.settings.db)
    _interrupt_on_sigterm()
    from newsmon.commands.progress import TerminalProgress

    through_prefect = _use_prefect(ctx.settings.prefect)
    if through_prefect:
        _quiet_prefect_console(ctx.debug)
    with TerminalProgress(trigger) as bar:
        if through_prefect:
            summary = _flow_cycle(ctx, list(sources), trigger, feeds, bar.update)
        else:
            from newsmon.cycle import Steps, run_cycle

            summary = run_cycle(ctx.settings, list(sources), trigger,
                                Steps(progress=bar.update), feeds)
    click.echo(summary.describe())
    return through_prefect


def _flow_cycle(ctx: Context, sources: list[Path], trigger: str, feeds: FeedPlan | None,
                progress: Callable[[int, int], None]) -> RunSummary:
    """The cycle as a Prefect flow run; a cancelled one is an interrupt, as in-process."""
    from prefect.exceptions import CancelledRun

    from flows.cycle import monitoring_cycle
    from newsmon.pipeline.summary import RunSummary

    try:
        summary = monitoring_cycle(ctx.settings, sources, trigger, feeds, progress=progress)
    except CancelledRun:
        raise KeyboardInterrupt from None
    assert isinstance(summary, RunSummary)
    return summary


def _use_prefect(mode: str) -> bool:
    """Whether this run goes through a Prefect server (``NEWSMON_PREFECT``): the one
    PREFECT_API_URL names, the one ``newsmon up`` started, or (``always``) a temporary one
    that ends with this process (newsmon.runtime.server.start_temporary). Says why when
    it does not."""
    in_process = "the run is recorded in the warehouse only"
    if mode == "never":
        click.echo(f"newsmon: NEWSMON_PREFECT=never: {in_process}", err=True)
        return False
    from newsmon.runtime.server import adopt_running_server, answers, start_temporary

    adopt_running_server()
    url = os.environ.get("PREFECT_API_URL")
    if url and not answers(url):
        if mode == "always":
            raise ConfigError(f"PREFECT_API_URL {url}: nothing answers there (start the "
                              "server, or unset it to let newsmon start one)")
        click.echo(f"newsmon: PREFECT_API_URL {url} does not answer: {in_process}", err=True)
        return False
    if not url and mode == "auto":
        click.echo(f"newsmon: no Prefect server running: {in_process} (`newsmon up` starts a "
                   "server; runs then show in its UI)", err=True)
        return False
    import flows  # noqa: F401  (newsmon's Prefect defaults, before Prefect is imported)

    if not os.environ.get("PREFECT_API_URL"):
        click.echo("newsmon: starting a temporary Prefect server for this run "
                   "(`newsmon up` keeps one running)", err=True)
        start_temporary()
    return True


def _interrupt_on_sigterm() -> None:
    """SIGTERM (``kill``, ``timeout``, a service manager) stops a run like Ctrl-C does: the
    run is marked interrupted in the warehouse and cancelled in Prefect."""

    def interrupt(_sig: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


#: A URL of a scheme ingest does not read (ftp://, s3://...), told apart from a path.
_OTHER_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")


def _is_url(arg: str) -> bool:
    return arg.lower().startswith(("http://", "https://"))


def _local_path(arg: str) -> Path:
    """A path, or the ``file://`` URL the warehouse stores for a local file (copied from a
    search result, say) read as the path it names."""
    if not arg.lower().startswith("file://"):
        return Path(arg)
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(arg)
    if parts.netloc not in ("", "localhost"):
        raise InputError(f"{arg}: a file URL names a file on this machine (file:///path)")
    return Path(unquote(parts.path))


@click.command()
@click.pass_obj
def run(ctx: Context) -> None:
    """Run one monitoring cycle over every configured source.

    With no configuration, the cycle reads the seeds/ folder.
    """
    config = ctx.config()
    sources = config.cycle_folders(ctx.settings.seeds_dir,
                                   " (set [sources] paths in newsmon.toml)")
    from newsmon.cycle.scheduled import runs_alerts
    from newsmon.sources.feed_plan import plan_from_config
    from newsmon.sources.local_feeds import worker_inputs

    # worker 0 of several reads the folders, the others only OPML lists (newsmon.core.shard)
    sources = worker_inputs(sources, ctx.settings.worker)
    prestart_for(sources, ctx.settings.workers)

    started = utcnow()
    through_prefect = _run_flow(ctx, sources, "run", plan_from_config(config, ctx.settings))
    if config.alerts.enabled and runs_alerts(ctx.settings, config, started):
        from newsmon.commands.trends import alerts_after_cycle

        alerts_after_cycle(ctx, config, through_prefect=through_prefect)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.pass_obj
def ingest(ctx: Context, paths: tuple[str, ...]) -> None:
    """Ingest the given files, folders or feed URLs once.

    Files: .txt, .html, .htm, optionally gzipped, pages saved as .mhtml or .webarchive,
    Markdown notes and web clippings (.md), PDFs, and any file that starts as an HTML page
    (a site mirrored with wget; the folder a browser saves beside a page is not read); a .txt
    file of links (one address a line) is the pages to fetch, and so are a browser's
    bookmarks export and a link saved as a .url, .webloc or .desktop file; a file:// URL (as
    articles store it) is the file it names. An http(s) URL is read as an RSS/Atom/RDF or
    JSON feed or a Google News sitemap and its new items are fetched (settings from the
    [network] configuration); a site's address polls the feed it links, an article's, a
    PDF's, a Word document's or an RTF file's address stores that article (a feed's links to
    them, and to plain text, are read too). A saved feed (.rss, .atom, .rdf, or .xml or .json
    that is one) is read the same way, an OPML list (.opml, as feed readers export
    subscriptions) has each feed it names polled, and an archive of articles (.jsonl,
    .parquet, or .csv/.tsv/.xlsx with a url or text column, as newsmon export and monitoring
    services write them; .json of articles, as news APIs, scrapers and feed readers' starred
    exports write them; an Evernote export, .enex) has each record stored. A web archive
    (.warc, .warc.gz, .arc, as crawlers write them) has each HTML page it kept stored,
    streamed, known by the address it was fetched from; a zip file is read as the folder it
    packs, a Word document (.docx) as the articles it holds.
    """
    urls = [p for p in paths if _is_url(p)]
    for url in urls:  # a key a feed's address names ('...api-key=${GUARDIAN_KEY}') is set
        with_secrets(url)
    files = []
    for arg in (p for p in paths if not _is_url(p)):
        if not arg.strip():  # "$FOLDER" unset: not the working directory, read whole
            raise InputError("an empty path: name a file, folder or feed URL (ingest . reads "
                             "the working directory)")
        path = _local_path(arg)
        if not path.exists():
            scheme = _OTHER_SCHEME.match(arg)
            if scheme:
                raise InputError(f"{arg}: newsmon reads local files and http(s) feeds, not "
                                 f"{scheme[1]}:// URLs")
            raise InputError(f"{arg}: no such file or folder")
        files.append(path)
    prestart_for(files, ctx.settings.workers)
    from newsmon.sources.feed_plan import plan_from_config, source_for_url

    # the [network] policy also serves saved feeds' and OPML lists' links among the files
    base = plan_from_config(ctx.config(), ctx.settings, force=True)
    configured = {f.url: f for f in base.feeds}
    chosen = tuple(configured.get(u) or source_for_url(u) for u in urls)
    # what is given to ingest is read whole, whichever worker of a shared lake this is
    # (all new items of a feed at once: nothing polls it again to take a remainder)
    _run_flow(ctx, files, "ingest", replace(base, feeds=chosen, shard=Shard(), max_new_items=0))


COMMANDS = [run, ingest]
