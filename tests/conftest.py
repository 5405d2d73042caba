"""Shared fixtures: real DuckDB files, a real Prefect API, the shared corpora, the CLI.

Prefect's home is a fresh temporary folder for the whole test session, so tests never
touch (or depend on) the developer's ~/.prefect; it is removed when the session ends.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from evaluation import USER_CACHE

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSMON_TEST_SHARED", ROOT.parent / "shared"))
SEEDS = ROOT / "seeds"
#: Kept between test runs, keyed by installed versions (see migrated_prefect_home).
TEST_CACHE = USER_CACHE / "newsmon-test"

_PREFECT_HOME = tempfile.mkdtemp(prefix="newsmon-test-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
atexit.register(shutil.rmtree, _PREFECT_HOME, ignore_errors=True)
os.environ.setdefault("DO_NOT_TRACK", "1")


#: Rough cost of a test for ordering the files (seconds, from the markers' own definitions).
_COST = {"slow": 20.0, "prefect": 6.0}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the costliest test files first, so neither process idles at the end.

    xdist hands out whole files (``--dist loadfile``) in collection order once
    ``--no-loadscope-reorder`` stops it ordering them by their number of tests, which sent
    the one-test end-to-end files last: the suite then ended with one process running a
    40-second test while the other waited. Longest first is the classic fix; the cost
    comes from the markers (``slow`` is 15 s or more, ``prefect`` starts a server), so a
    new slow test is placed by marking it, as it must be anyway.
    """
    cost: dict[Path, float] = {}
    for item in items:
        marks = {mark.name for mark in item.iter_markers()}
        cost[item.path] = cost.get(item.path, 0.0) + max(
            (_COST.get(m, 0.3) for m in marks), default=0.3)
    items.sort(key=lambda item: -cost[item.path])


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder (corpora, eval sets). Missing it is a setup error, not a skip."""
    if not (SHARED / "README.md").exists():
        pytest.fail(f"shared corpora not found at {SHARED} (clone newsmon beside ../shared)")
    return SHARED


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "test.duckdb"


def migrated_prefect_home(home: Path) -> Path:
    """``home`` holding a Prefect database already migrated to the installed Prefect.

    A server on an empty home spends over half of its start (~15 s of ~25 s, on a loaded
    machine) creating its tables; the suite starts several. So the migrated database is
    made once per Prefect version (``prefect server database upgrade``, in a scratch home)
    and kept in the user's cache; each server then starts on a copy of it. Tests about a
    fresh machine's first run do not use this.
    """
    import fcntl

    import prefect

    from newsmon.runtime.server import SERVER_ENV_DEFAULTS

    cache = TEST_CACHE
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:  # no writable cache (a read-only home): made once per test session then
        cache = Path(_PREFECT_HOME)
    template = cache / f"prefect-{prefect.__version__}.db"
    if not template.exists():
        with (cache / "prefect.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the other test process may be making it too
            if not template.exists():
                scratch = Path(tempfile.mkdtemp(prefix="newsmon-prefect-template-"))
                env = {**SERVER_ENV_DEFAULTS, **os.environ, "PREFECT_HOME": str(scratch)}
                env.pop("PREFECT_API_URL", None)
                done = subprocess.run(
                    [sys.executable, "-m", "prefect", "server", "database", "upgrade", "-y"],
                    env=env, capture_output=True, text=True, timeout=300, check=False)
                assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
                partial = template.with_suffix(f".{os.getpid()}.tmp")
                shutil.copyfile(scratch / "prefect.db", partial)
                partial.replace(template)
                shutil.rmtree(scratch, ignore_errors=True)
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, home / "prefect.db")
    return home


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """A real Prefect API, started once per test process and made this process's API.

    The server Prefect's own test harness starts (the API and the services an ephemeral
    server runs; no scheduler, so no run appears that a test did not make), on a SQLite
    database of its own that starts migrated."""
    import prefect.context
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_SERVER_DATABASE_CONNECTION_URL,
        temporary_settings,
    )

    import flows  # noqa: F401  (applies newsmon's Prefect defaults before Prefect loads)
    from newsmon.runtime import server

    home = migrated_prefect_home(Path(_PREFECT_HOME) / "test-api")
    database = f"sqlite+aiosqlite:///{home / 'prefect.db'}"
    with temporary_settings(updates={PREFECT_SERVER_DATABASE_CONNECTION_URL: database}):
        api = SubprocessASGIServer(port=server._free_port("127.0.0.1"))
        with pytest.MonkeyPatch.context() as env:
            start_fast(env, migrated=True)
            api.start(timeout=240)
        try:
            with temporary_settings(updates={PREFECT_API_URL: api.api_url}), \
                    prefect.context._temporary_global_settings_context(
                        prefect.context.get_settings_context()):
                yield api.api_url
                _drain_prefect_clients()
        finally:
            api.stop()


#: Test servers skip registering Prefect's block types (about 2 s of CPU at every start;
#: newsmon uses no blocks) and, on a home from :func:`migrated_prefect_home`, the
#: migration check. Servers the tests are about (``newsmon up``, a first run's temporary
#: server) start as users get them.
FAST_TEST_SERVER = {"PREFECT_API_BLOCKS_REGISTER_ON_START": "false"}
FAST_MIGRATED_TEST_SERVER = {**FAST_TEST_SERVER, "PREFECT_API_DATABASE_MIGRATE_ON_START": "false"}


def start_fast(env: pytest.MonkeyPatch, *, migrated: bool) -> None:
    """Set, in ``env``, what a test server started next skips (see :data:`FAST_TEST_SERVER`)."""
    for key, value in (FAST_MIGRATED_TEST_SERVER if migrated else FAST_TEST_SERVER).items():
        env.setenv(key, value)


def _drain_prefect_clients() -> None:
    """Send the logs and events still queued in this process before the server stops
    (what Prefect's own test harness does), so none fail against a closed port."""
    import inspect

    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.utilities.asyncutils import run_coro_as_sync

    async def drain() -> None:
        try:
            pending = APILogWorker.instance().drain()
            if inspect.isawaitable(pending):
                await pending
        except RuntimeError:  # never started
            pass
        pending = EventsWorker.drain_all()
        if inspect.isawaitable(pending):
            await pending

    run_coro_as_sync(drain())


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``newsmon`` in a subprocess, as a user would, and capture its output."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    full_env.update(env or {})
    return subprocess.run(
        # The installed console script, as users run it. (`python -m newsmon` would put the
        # working directory first on sys.path, where a data folder named warehouse/ would
        # shadow the warehouse package.)
        [str(Path(sys.executable).parent / "newsmon"), *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def read_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a ``newsmon`` command that only reads the warehouse (sql, search, stories,
    export, trends, alerts, backtest, topics) in this process, with click's runner: the
    same command code, exit code, stdout and stderr as :func:`run_cli`, without the
    ~1.5 s of CPU a new interpreter and its imports cost. Commands that run cycles, serve,
    or meet signals go through :func:`run_cli`."""
    import logging

    from click.testing import CliRunner

    from newsmon.cli import _LOGGERS, cli

    loggers = [logging.getLogger(name) for name in _LOGGERS]  # the ones the CLI rewires
    saved = [(lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    clean: dict[str, str | None] = {k: None for k in os.environ if k.startswith("NEWSMON_")}
    here = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(cli, list(args), env={**clean, **(env or {})},
                                    prog_name="newsmon", catch_exceptions=False)
    finally:
        os.chdir(here)
        for lg, (handlers, level, propagate) in zip(loggers, saved, strict=True):
            lg.handlers, lg.propagate = handlers, propagate
            lg.setLevel(level)
    return subprocess.CompletedProcess(["newsmon", *args], result.exit_code, result.stdout,
                                       result.stderr)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """A real PostgreSQL on a loopback port for the session (evaluation.postgres);
    each test makes its own database with ``pg_server.create_database(name)``."""
    from evaluation import postgres

    with postgres.running() as server:
        yield server
