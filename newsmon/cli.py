"""The ``newsmon`` command line (a contract: scripts and later stages build on it).

Errors are one clear line on stderr and a non-zero exit; ``--debug`` shows the
traceback. Prefect is imported only by the commands that run flows, so ``sql`` and
``--help`` answer at once.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from newsmon import __version__
from newsmon.core.config import Config, load_config
from newsmon.core.errors import InputError, NewsmonError
from newsmon.core.settings import Settings, load_settings

if TYPE_CHECKING:
    from newsmon.sources.feeds import FeedPlan

_LOGGERS = ("newsmon", "extractors", "warehouse", "flows")


@dataclass
class Context:
    settings: Settings
    debug: bool

    def config(self) -> Config:
        """The configuration, with what it names checked: its taxonomy files load and
        ``[alerts.topics.NAME]`` names a topic of that taxonomy."""
        from newsmon.tagging import check_config_references

        config = load_config(self.settings.config)
        check_config_references(config)
        return config


def _setup_logging(debug: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("newsmon: %(levelname)s: %(message)s"))
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(logging.DEBUG if debug else logging.INFO)
        logger.propagate = False


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"newsmon: error: {message}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """Turns newsmon errors into one line and an exit code; ``--debug`` re-raises."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsmonError as exc:
            if _debug_requested(ctx):
                raise
            _fail(str(exc))
        except KeyboardInterrupt:
            _stop_now("interrupted: the run is marked interrupted in the warehouse and "
                      "cancelled in Prefect")
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if _debug_requested(ctx):
                raise
            _fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)")


def _stop_now(message: str) -> NoReturn:
    """Exit at once after an interrupt: the run's state is already recorded, and threads
    still waiting on the network (bounded by [network] timeout_s) must not hold the exit."""
    from newsmon.runtime.server import stop_temporary

    click.echo(f"newsmon: {message}", err=True)
    stop_temporary()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130)


def _debug_requested(ctx: click.Context) -> bool:
    return bool(ctx.params.get("debug")) or "--debug" in sys.argv


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    help="DuckDB warehouse file [env NEWSMON_DB; default warehouse/newsmon.duckdb]",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="configuration file [env NEWSMON_CONFIG; default ./newsmon.toml when present]",
)
@click.option("--debug", is_flag=True, help="verbose logs and full tracebacks")
@click.version_option(__version__, prog_name="newsmon")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, config_path: Path | None, debug: bool) -> None:
    """newsmon: monitor news feeds and files, tag topics, spot spikes, query it all in SQL."""
    settings = load_settings(db=db, config=config_path, debug=debug or None)
    _setup_logging(settings.debug)
    ctx.obj = Context(settings=settings, debug=settings.debug)


def _check_warehouse_folder(db: Path) -> None:
    """A --db in a folder that does not exist is a typo, not a request to create it; only
    the default warehouse folder is created."""
    default = Settings.model_fields["db"].default
    if not db.parent.exists() and db != default:
        raise InputError(f"{db}: the folder {db.parent} does not exist (create it first, "
                         "or check --db / NEWSMON_DB)")


def _quiet_prefect_console(debug: bool) -> None:
    """Keep Prefect's console to critical messages for the one-shot commands: a failed
    run is newsmon's one line (the full traceback still goes to the run's logs in the
    Prefect UI, and to the terminal with --debug)."""
    if not debug:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")


def _run_flow(
    ctx: Context, sources: Sequence[Path], trigger: str, feeds: FeedPlan | None = None
) -> None:
    _check_warehouse_folder(ctx.settings.db)
    _quiet_prefect_console(ctx.debug)
    _interrupt_on_sigterm()
    _ensure_prefect_server()
    from prefect.exceptions import CancelledRun

    from flows.cycle import monitoring_cycle
    from newsmon.commands.progress import TerminalProgress
    from newsmon.pipeline import RunSummary

    with TerminalProgress(trigger) as bar:
        try:
            summary = monitoring_cycle(
                ctx.settings, list(sources), trigger, feeds, progress=bar.update
            )
        except CancelledRun:
            raise KeyboardInterrupt from None
    assert isinstance(summary, RunSummary)
    click.echo(summary.describe())


def _interrupt_on_sigterm() -> None:
    """SIGTERM (``kill``, ``timeout``, a service manager) stops a run like Ctrl-C does: the
    run is marked interrupted in the warehouse and cancelled in Prefect."""

    def interrupt(_sig: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _ensure_prefect_server() -> None:
    """The server runs report to: PREFECT_API_URL, the one ``newsmon up`` started, or a
    temporary one that ends with this process (newsmon.runtime.server.start_temporary)."""
    import flows  # noqa: F401  (Prefect defaults; adopts the ``newsmon up`` server)
    from newsmon.runtime.server import start_temporary

    if not os.environ.get("PREFECT_API_URL"):
        click.echo("newsmon: starting a temporary Prefect server for this run "
                   "(`newsmon up` keeps one running)", err=True)
        start_temporary()


def _is_url(arg: str) -> bool:
    return arg.lower().startswith(("http://", "https://"))


@cli.command()
@click.pass_obj
def run(ctx: Context) -> None:
    """Run one monitoring cycle over every configured source.

    With no configuration, the cycle reads the seeds/ folder.
    """
    from newsmon.sources.feeds import plan_from_config

    config = ctx.config()
    sources = [config.resolve(p) for p in config.sources.paths]
    if not sources and not config.feeds:
        sources = [ctx.settings.seeds_dir]
    for source in sources:
        if not source.exists():
            raise InputError(
                f"source {source} does not exist"
                + (" (set [sources] paths in newsmon.toml)" if not config.sources.paths else "")
            )
    _run_flow(ctx, sources, "run", plan_from_config(config, ctx.settings))
    if config.alerts.enabled:
        from newsmon.commands.trends import alerts_after_cycle

        alerts_after_cycle(ctx, config)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.pass_obj
def ingest(ctx: Context, paths: tuple[str, ...]) -> None:
    """Ingest the given files, folders or feed URLs once.

    Files: .txt, .html, .htm, optionally gzipped. An http(s) URL is read as an RSS/Atom
    feed and its new items are fetched (settings from the [network] configuration).
    """
    from newsmon.sources.feeds import plan_from_config, source_for_url

    urls = [p for p in paths if _is_url(p)]
    files = [Path(p) for p in paths if not _is_url(p)]
    for path in files:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
    plan = None
    if urls:
        config = ctx.config()
        configured = {f.url: f for f in plan_from_config(config, ctx.settings).feeds}
        base = plan_from_config(config, ctx.settings, force=True)
        chosen = tuple(configured.get(u) or source_for_url(u) for u in urls)
        plan = replace(base, feeds=chosen)
    _run_flow(ctx, files, "ingest", plan)


@cli.command()
@click.argument("query")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="json prints one object per line",
)
@click.option("--max-width", default=60, show_default=True, help="table cells are cut to this")
@click.pass_obj
def sql(ctx: Context, query: str, fmt: str, max_width: int) -> None:
    """Run read-only SQL on the warehouse and print each statement's result.

    Only the warehouse is reachable: no files read or written, no network, no
    extensions (reading a CSV to join with: load it with DuckDB itself).

    Example: newsmon sql "SELECT source, count(*) FROM articles GROUP BY ALL"
    """
    from warehouse import Warehouse

    warehouse = Warehouse(ctx.settings.db, lock_timeout_s=ctx.settings.lock_timeout_s)
    results = warehouse.user_query(query)
    for i, result in enumerate(results):
        if i and fmt == "table":
            click.echo()
        if not result.columns:
            if fmt == "table":
                click.echo("(statement ran; no result)")
            continue
        click.echo(render(result.columns, result.rows, fmt, max_width, result.types), nl=False)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return value


def render(columns: list[str], rows: list[tuple[Any, ...]], fmt: str, max_width: int = 60,
           types: Sequence[str] = ()) -> str:
    """Render a query result as an aligned table, CSV, or JSON lines.

    JSON lines are valid JSON: NaN and infinities are null, and a JSON column (``types``,
    e.g. ``runs.reasons``) is nested as the object it holds, not as a string.
    """
    if fmt == "json":
        nested = {i for i, t in enumerate(types) if t.upper() == "JSON"}
        return "".join(
            json.dumps({c: _json_value(v, i in nested) for i, (c, v) in
                        enumerate(zip(columns, row, strict=True))},
                       ensure_ascii=False, default=str, allow_nan=False) + "\n"
            for row in rows
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in row] for row in rows])
        return buffer.getvalue()
    return _table(columns, rows, max_width)


def _json_value(value: Any, nested: bool) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if nested and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return _plain(value)


def _cell(value: Any, max_width: int) -> str:
    text = "NULL" if value is None else str(_plain(value))
    text = " ".join(text.split())
    return text if len(text) <= max_width else text[: max_width - 1] + "…"


def _table(columns: list[str], rows: list[tuple[Any, ...]], max_width: int) -> str:
    cells = [[_cell(v, max_width) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()
    out = [line(columns), line(["-" * w for w in widths])]
    out.extend(line(r) for r in cells)
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _register_stage_commands() -> None:
    from newsmon.commands import register

    register(cli)


_register_stage_commands()


def main() -> None:
    cli(prog_name="newsmon")


if __name__ == "__main__":
    main()
