"""Stopping a run: Ctrl-C and SIGTERM end it in seconds with its state recorded, and
nothing it started outlives it, not even after ``kill -9``.

Real signals to a real ``newsmon ingest`` with its own temporary Prefect server,
extraction workers and a real DuckDB file. The bounds are generous (the machine is
shared); what they catch is the minutes-long hang and the orphans.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import FAST_MIGRATED_TEST_SERVER, migrated_prefect_home
from warehouse import Warehouse

PAGES = 400


def _pages(shared: Path, folder: Path) -> Path:
    folder.mkdir()
    pages = sorted((shared / "corpora" / "trafilatura-eval" / "eval").glob("*.html.gz"))
    for page in pages[:PAGES]:
        shutil.copy(page, folder / page.name)
    return folder


def _start(tmp_path: Path, inputs: Path, api: str = "") -> subprocess.Popen[str]:
    """``newsmon ingest`` on ``inputs``; with no ``api``, on its own temporary server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    env.update(PREFECT_API_URL=api, NEWSMON_WORKERS="2", NEWSMON_BATCH_SIZE="20",
               NEWSMON_PREFECT="always")
    if not api:  # its own server, on a database migrated beforehand: the start-up is not
        # what these tests are about, and migrating an empty one takes 15-25 s here
        env["PREFECT_HOME"] = str(migrated_prefect_home(tmp_path / "prefect-home"))
        env.update(FAST_MIGRATED_TEST_SERVER)
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "newsmon"), "--db", str(tmp_path / "w.duckdb"),
         "ingest", str(inputs)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # like a terminal's foreground job: Ctrl-C hits the group
        preexec_fn=_as_from_a_shell,
    )


def _as_from_a_shell() -> None:
    """Start newsmon with Ctrl-C handled as a shell leaves it (default, unblocked), not as
    the test process happens to have it: an ignored or blocked SIGINT is inherited."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def _helpers(newsmon_pid: int) -> list[str]:
    """Processes newsmon started: its session (forkserver, workers) and the lifeline of
    its temporary Prefect server with that server's group."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == newsmon_pid:
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat[0] == "Z":
            continue
        session, group = int(stat[3]), int(stat[2])
        lifeline = f"newsmon.runtime.lifeline {newsmon_pid} " in cmdline
        if session == newsmon_pid or lifeline or group in _lifeline_groups(newsmon_pid):
            found.append(f"{entry.name}: {cmdline[:100]}")
    return found


def _lifeline_groups(newsmon_pid: int) -> set[int]:
    groups = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if f"newsmon.runtime.lifeline {newsmon_pid} " in cmdline:
                groups.add(int(entry.name))
    return groups


def _wait_for_extraction(process: subprocess.Popen[str], tmp_path: Path) -> None:
    """Until the workers run (the forkserver is up) and the run is in the warehouse."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if any("forkserver" in h for h in _helpers(process.pid)) and (
                tmp_path / "w.duckdb").exists():
            time.sleep(1.0)
            return
        time.sleep(0.2)
    pytest.fail("the run never reached extraction")


def _gone_within(pid: int, seconds: float) -> list[str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = _helpers(pid)
        if not left:
            return []
        time.sleep(0.2)
    return _helpers(pid)


@pytest.mark.prefect
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupted_run_stops_at_once_and_says_so_everywhere(
    prefect_api: str, tmp_path: Path, shared: Path, how: str
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.sorting import FlowRunSort

    process = _start(tmp_path, _pages(shared, tmp_path / "in"), prefect_api)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr or ()), daemon=True)
    reader.start()
    try:
        # the first batch is loaded (its rejects are logged): the run is well under way,
        # past any start-up step, whatever the load on the machine
        deadline = time.monotonic() + 240
        while not any("skipped" in line for line in lines):
            assert process.poll() is None, "".join(lines)[-3000:]
            assert time.monotonic() < deadline, "the run never loaded a batch"
            time.sleep(0.1)
        sent = time.monotonic()
        if how == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)  # what a terminal does
        else:
            process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        took = time.monotonic() - sent
        reader.join(10)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    stderr = "".join(lines)
    stdout = process.stdout.read() if process.stdout else ""
    assert process.returncode == 130, f"{stdout[-2000:]}\n---- stderr:\n{stderr[-2000:]}"
    assert took < 10, f"{took:.1f} s to stop"
    assert "Traceback" not in stderr and "ForkServerProcess" not in stderr, stderr[-3000:]
    assert stderr.strip().splitlines()[-1].startswith("newsmon: interrupted")
    assert _gone_within(process.pid, 10) == []
    runs = Warehouse(tmp_path / "w.duckdb").query("SELECT status FROM runs").rows
    assert runs == [("interrupted",)]
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(limit=50, sort=FlowRunSort.START_TIME_DESC)
    ours = [r for r in runs if str(tmp_path) in json.dumps(r.parameters, default=str)]
    assert len(ours) == 1 and ours[0].state is not None
    assert ours[0].state.is_cancelled(), ours[0].state


def _diagnose(newsmon_pid: int, log: Path) -> str:
    """Where a lifeline that did not act is stuck: its state, and its threads' stacks."""
    lines = []
    for pid in _lifeline_groups(newsmon_pid):
        status = Path(f"/proc/{pid}/status").read_text()
        lines.append(" ".join(x for x in status.splitlines() if x.startswith(("State", "PPid"))))
        os.kill(pid, signal.SIGUSR1)
    time.sleep(1.0)
    return "\n".join(lines) + "\n" + (log.read_text(errors="replace")[-3000:] if log.exists()
                                      else "")


@pytest.mark.slow
@pytest.mark.prefect
def test_nothing_outlives_a_run_killed_with_sigkill(tmp_path: Path, shared: Path) -> None:
    process = _start(tmp_path, _pages(shared, tmp_path / "in"))
    left: list[str] = []
    diagnosis = ""
    try:
        _wait_for_extraction(process, tmp_path)
        assert len(_helpers(process.pid)) >= 3  # forkserver, workers, server lifeline ...
        process.kill()
        process.wait(10)
        left = _gone_within(process.pid, 15)
        if left:
            diagnosis = _diagnose(process.pid,
                                  tmp_path / "prefect-home" / "newsmon-temporary-server.log")
    finally:
        for pid in _lifeline_groups(process.pid):
            os.killpg(pid, signal.SIGKILL)
    print(diagnosis)
    assert left == [], left
