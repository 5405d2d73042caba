"""The ``newsmon`` command line (a contract: scripts and later stages build on it).

The group, its options and its error handling; the commands live in
:mod:`newsmon.commands`, one module per area. Errors are one clear line on stderr and a
non-zero exit; ``--debug`` shows the traceback. Prefect is imported only by the commands
that run flows, so ``sql`` and ``--help`` answer at once.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from newsmon import __version__
from newsmon.commands.context import Context
from newsmon.core.control_chars import shown
from newsmon.core.errors import ConfigError, NewsmonError
from newsmon.core.settings import load_settings

_LOGGERS = ("newsmon", "extractors", "warehouse", "flows")
_LIBRARIES = "newsmon-libraries"  # the root handler for other libraries' logs


class _OneLine(logging.Formatter):
    """Every message on one line: a file named with a line break in it (or a library's
    error of several lines) would split a reject's line in two, and the second half would
    read as a line of its own. A traceback (``--debug``) keeps its lines."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return shown(super().formatMessage(record))


def _setup_logging(debug: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine("newsmon: %(levelname)s: %(message)s"))
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(logging.DEBUG if debug else logging.INFO)
        logger.propagate = False
    # The libraries' own warnings (pypdf's "EOF marker not found", trafilatura's) are about
    # inputs whose outcome newsmon states; without a handler Python prints them bare. Shown,
    # with their library's name, under --debug only.
    library: logging.Handler = logging.NullHandler()
    if debug:
        library = logging.StreamHandler(sys.stderr)
        library.setFormatter(_OneLine("newsmon: %(levelname)s: %(name)s: %(message)s"))
        library.setLevel(logging.WARNING)
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if h.get_name() != _LIBRARIES]  # once per process
    library.set_name(_LIBRARIES)
    root.addHandler(library)


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"newsmon: error: {shown(message)}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """Turns newsmon errors into one line and an exit code; ``--debug`` re-raises."""

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        """Click's main, with a usage error (an unknown command or option, a value out of
        range) told in one line as well, naming where the help is, with click's exit code
        2; bare ``newsmon`` still prints the help."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            where = f" (see {exc.ctx.command_path} --help)" if exc.ctx is not None else ""
            _fail(exc.format_message().rstrip(".") + where, exc.exit_code)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except click.Abort:
            _fail("aborted")
        # an int is ctx.exit's code (the commands themselves return None)
        sys.exit(code if isinstance(code, int) else 0)

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
        except BrokenPipeError:
            _reader_gone()
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


def _reader_gone() -> NoReturn:
    """Stop quietly when whatever read the output has closed it (``newsmon sql ... | head``):
    there is nothing to report and nowhere to report it. Output still buffered goes to
    /dev/null, or flushing it at exit would fail the same way (Python's own advice)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(1)


def _debug_requested(ctx: click.Context) -> bool:
    return bool(ctx.params.get("debug")) or "--debug" in sys.argv


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    type=str,
    help="warehouse: a DuckDB file, a .ducklake, or postgresql://user:pass@host:port/dbname "
    "for a shared lake [env NEWSMON_DB; default warehouse/newsmon.duckdb]",
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
    if settings.config is not None and not settings.config.exists():
        # Named by --config or NEWSMON_CONFIG: a typo there is found by every command, not
        # only by those that read the configuration (the others would silently go without).
        raise ConfigError(f"{settings.config}: configuration file not found")
    _setup_logging(settings.debug)
    ctx.obj = Context(settings=settings, debug=settings.debug)


def _register_stage_commands() -> None:
    from newsmon.commands import register

    register(cli)


_register_stage_commands()


def main() -> None:
    try:
        cli(prog_name="newsmon")
    except BrokenPipeError:  # at click's last flush, after the command returned
        _reader_gone()


if __name__ == "__main__":
    main()
