"""``newsmon up`` / ``down`` with a real ``prefect server start`` on a new Prefect home.

One server start per module; the home holds an already migrated database
(``migrated_prefect_home``), as the user's does after their first ``up``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsmon.runtime import server
from tests.conftest import migrated_prefect_home, run_cli


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = migrated_prefect_home(tmp_path_factory.mktemp("prefect-home"))
    yield path
    server.stop(path)


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PREFECT_HOME": str(home)}
    saved = os.environ.pop("PREFECT_API_URL", None)  # up must not adopt another API
    try:
        return run_cli(*args, env=env)
    finally:
        if saved is not None:
            os.environ["PREFECT_API_URL"] = saved


@pytest.mark.slow
def test_up_starts_once_reuses_then_down_stops_only_it(home: Path) -> None:
    started = _cli(home, "up")
    assert started.returncode == 0, started.stderr
    assert "started" in started.stdout and "UI: http://127.0.0.1:" in started.stdout
    state = server.read_state(home)
    assert state is not None and server.healthy(state.url)
    assert json.loads(server.state_path(home).read_text())["pid"] == state.pid

    again = _cli(home, "up")
    assert again.returncode == 0 and "already running" in again.stdout
    assert f"PID {state.pid}" in again.stdout

    stopped = _cli(home, "down")
    assert stopped.returncode == 0 and f"PID {state.pid}" in stopped.stdout
    assert not server.pid_alive(state.pid) or not server.healthy(state.url)
    assert server.read_state(home) is None
    assert "no Prefect server" in _cli(home, "down").stdout


def test_down_never_stops_a_process_that_is_not_the_server(tmp_path: Path) -> None:
    """A stale state file whose PID now belongs to another program: down leaves it alone."""
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        server.state_path(tmp_path).write_text(json.dumps(
            {"pid": other.pid, "url": "http://127.0.0.1:9/api", "log": "x", "started_at": 0}
        ))
        assert server.stop(tmp_path) is not None
        assert other.poll() is None, "the unrelated process is still running"
        assert server.read_state(tmp_path) is None
    finally:
        other.kill()
        other.wait()


def test_a_dead_servers_state_is_not_adopted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    server.state_path(tmp_path).write_text(json.dumps(
        {"pid": 2**22 + 12345, "url": "http://127.0.0.1:9/api", "log": "x", "started_at": 0}
    ))
    assert server.adopt_running_server() is None
    assert "PREFECT_API_URL" not in os.environ


def test_serve_without_a_server_says_how_to_start_one(tmp_path: Path) -> None:
    result = run_cli("serve", env={"PREFECT_HOME": str(tmp_path), "PREFECT_API_URL": ""})
    assert result.returncode == 1
    assert "newsmon up" in result.stderr and len(result.stderr.strip().splitlines()) == 1
