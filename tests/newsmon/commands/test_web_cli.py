"""``newsmon web`` as a user starts it: loopback by default, a token to listen wider."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from newsmon import cycle
from newsmon.core.settings import Settings
from tests.conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("webcli") / "w.duckdb"
    cycle.run_cycle(Settings(db=db), [ROOT / "seeds"], "run")
    return db


@contextmanager
def newsmon_web(db: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``newsmon web`` in its own process; the URL it prints, once it answers."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    full_env.update(env or {})
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "newsmon"), "--db", str(db), "web", "--port", "0",
         *args], env=full_env, cwd=db.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("newsmon web: http://"), (line, server.stderr.read()
                                                          if server.poll() is not None else "")
        yield line.split()[2]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_listening_beyond_loopback_needs_a_token(seeded: Path) -> None:
    done = run_cli("--db", str(seeded), "web", "--host", "0.0.0.0")
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0
    assert "--host 0.0.0.0" in done.stderr and "NEWSMON_WEB_TOKEN" in done.stderr
    empty = run_cli("--db", str(seeded), "web", env={"NEWSMON_WEB_TOKEN": " "})
    assert empty.returncode != 0 and "NEWSMON_WEB_TOKEN is empty" in empty.stderr


def test_serves_on_loopback_and_checks_a_token_when_one_is_set(seeded: Path) -> None:
    with newsmon_web(seeded) as url:
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0/")
        page = httpx.get(url, timeout=30)
        assert page.status_code == 200 and "<h1>Now</h1>" in page.text
    with newsmon_web(seeded, "--host", "0.0.0.0", env={"NEWSMON_WEB_TOKEN": "tok-123"}) as url:
        local = url.replace("0.0.0.0", "127.0.0.1")
        assert httpx.get(local + "api/now", timeout=30).status_code == 401
        allowed = httpx.get(local + "api/now", headers={"Authorization": "Bearer tok-123"},
                            timeout=30)
        assert allowed.status_code == 200 and allowed.json()["watches"]


def test_a_taken_port_is_one_line(seeded: Path) -> None:
    with newsmon_web(seeded) as url:
        port = url.rsplit(":", 1)[1].strip("/")
        done = run_cli("--db", str(seeded), "web", "--port", port)
    assert done.returncode != 0 and f"--port {port}: cannot listen there" in done.stderr
