"""Shared fixtures: real DuckDB files, a real Prefect API, the shared corpora, the CLI.

Prefect's home is a fresh temporary folder for the whole test session, so tests never
touch (or depend on) the developer's ~/.prefect.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSMON_TEST_SHARED", ROOT.parent / "shared"))
SEEDS = ROOT / "seeds"

_PREFECT_HOME = tempfile.mkdtemp(prefix="newsmon-test-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.setdefault("DO_NOT_TRACK", "1")


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder (corpora, eval sets). Missing it is a setup error, not a skip."""
    if not (SHARED / "README.md").exists():
        pytest.fail(f"shared corpora not found at {SHARED} (clone newsmon beside ../shared)")
    return SHARED


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "test.duckdb"


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """A real Prefect API on a temporary SQLite database, started once per test session."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    import flows  # noqa: F401  (applies newsmon's Prefect defaults before Prefect loads)

    with prefect_test_harness(server_startup_timeout=240):
        url = PREFECT_API_URL.value()
        assert url, "the Prefect test harness did not set an API URL"
        yield str(url)


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
