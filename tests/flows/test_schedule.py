"""Scheduled monitoring for real: the flows against the test Prefect API, and ``newsmon
serve`` on a real local server (the temporary test server cannot schedule runs).
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from newsmon.core.config import load_config
from newsmon.core.settings import Settings
from newsmon.runtime import server
from tests.conftest import SEEDS, migrated_prefect_home, start_fast
from warehouse import Warehouse


def _config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "newsmon.toml"
    path.write_text(f'[sources]\npaths = ["{SEEDS}"]\n{extra}', encoding="utf-8")
    return path


def test_deployments_follow_the_schedule_configuration(tmp_path: Path) -> None:
    from flows.schedule import CYCLE_DEPLOYMENT, MAINTENANCE_DEPLOYMENT, deployments

    config = load_config(_config(tmp_path, "[schedule]\ncycle_minutes = 5\n"
                                           "maintenance_hour_utc = 4\n"))
    cycle, daily = deployments(Settings(db=tmp_path / "w.duckdb"), config)
    assert (cycle.name, daily.name) == (CYCLE_DEPLOYMENT, MAINTENANCE_DEPLOYMENT)
    assert cycle.schedules and cycle.schedules[0].schedule.interval == timedelta(minutes=5)  # type: ignore[union-attr]
    assert daily.schedules and daily.schedules[0].schedule.cron == "0 4 * * *"  # type: ignore[union-attr]
    assert cycle.entrypoint == "flows.schedule.scheduled_cycle"  # importable from anywhere
    assert cycle.parameters == {"db": str((tmp_path / "w.duckdb").resolve()),
                                "config": str(config.path), "shard": None}
    assert daily.parameters == {"db": str((tmp_path / "w.duckdb").resolve()),
                                "config": str(config.path)}
    # a worker of several: its own cycle deployment; maintenance stays with worker 0
    worker = Settings(db=tmp_path / "w.duckdb", shard="1/2")
    (shard_cycle,) = deployments(worker, config)
    assert shard_cycle.name == CYCLE_DEPLOYMENT + "-shard-1-of-2"
    assert shard_cycle.parameters["shard"] == "1/2"


@pytest.mark.prefect
def test_scheduled_cycle_and_maintenance_hold_the_slot_and_leave_artifacts(
    prefect_api: str, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    from flows.schedule import (
        WAREHOUSE_LIMIT,
        ensure_warehouse_limit,
        maintenance,
        scheduled_cycle,
    )

    db, config = tmp_path / "w.duckdb", _config(tmp_path)
    ensure_warehouse_limit()
    state = scheduled_cycle(str(db), str(config), return_state=True)
    assert state.is_completed()
    result = state.result()
    assert result["added"] == 5  # type: ignore[index]
    assert Warehouse(db).query("SELECT trigger, status FROM runs").rows == [("serve", "ok")]
    report = maintenance(str(db), str(config))
    assert report["bytes_after"] > 0

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])
        ))
        limit = client.read_global_concurrency_limit_by_name(WAREHOUSE_LIMIT)
    summary = next(a for a in artifacts if a.key == "newsmon-cycle-summary")
    assert "| articles added | 5 |" in str(summary.data)
    assert "| alerts sent |" in str(summary.data)
    assert limit.limit == 1 and limit.active_slots == 0  # taken and given back


@pytest.fixture(scope="module")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[server.ServerState]:
    home = migrated_prefect_home(tmp_path_factory.mktemp("serve-home"))
    # A port of its own, not the default 4200: another test file (`newsmon up`) may be
    # starting a server on the default port in the other test process at the same time.
    with pytest.MonkeyPatch.context() as env:
        start_fast(env, migrated=True)
        state, started = server.start(home=home, port=server._free_port("127.0.0.1"))
    assert started
    yield state
    server.stop(home)


@pytest.mark.slow
def test_serve_runs_scheduled_cycles_and_stops_on_ctrl_c(
    local_server: server.ServerState, tmp_path: Path
) -> None:
    db, config = tmp_path / "w.duckdb", _config(tmp_path, "[alerts]\nenabled = false\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    env.update({
        "PREFECT_API_URL": local_server.url, "NEWSMON_DB": str(db),
        "NEWSMON_CONFIG": str(config), "PREFECT_RUNNER_POLL_FREQUENCY": "2",
    })
    serving = subprocess.Popen(
        [sys.executable, "-m", "newsmon", "serve", "--cycle-minutes", "0.1"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 240
        runs: list[tuple[object, ...]] = []
        while time.monotonic() < deadline and serving.poll() is None:
            if db.exists():
                runs = Warehouse(db).query(
                    "SELECT status FROM runs WHERE trigger = 'serve' AND status = 'ok'"
                ).rows
                if len(runs) >= 2:
                    break
            time.sleep(1)
        assert len(runs) >= 2, "two scheduled cycles completed"
        serving.send_signal(signal.SIGINT)
        stopped_at = time.monotonic()
        output, _ = serving.communicate(timeout=30)
        took = time.monotonic() - stopped_at
    finally:
        if serving.poll() is None:
            serving.kill()
            serving.wait()
    assert serving.returncode == 0, output[-2000:]
    assert took < 10, f"Ctrl-C took {took:.1f} s"
    assert "Traceback" not in output, output[-3000:]
    assert "newsmon-scheduled-cycle/scheduled-cycle" in output
    # Runs never overlapped: each started after the previous one finished.
    spans = Warehouse(db).query(
        "SELECT started_at, finished_at FROM runs WHERE finished_at IS NOT NULL "
        "ORDER BY started_at"
    ).rows
    assert all(b[0] >= a[1] for a, b in itertools.pairwise(spans))


@pytest.mark.prefect
def test_serve_drops_runs_an_earlier_serve_left_waiting(prefect_api: str, tmp_path: Path) -> None:
    """Waiting runs carry the old serve's parameters (maybe another warehouse): dropped."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterName

    from flows.schedule import CYCLE_DEPLOYMENT, deployments, drop_pending_runs

    cycle, _ = deployments(Settings(db=tmp_path / "old.duckdb"), load_config(_config(tmp_path)))
    deployment_id = cycle.apply()
    with get_client(sync_client=True) as client:
        for _ in range(3):
            client.create_flow_run_from_deployment(deployment_id)  # Scheduled, as late runs are
    assert drop_pending_runs() >= 3
    with get_client(sync_client=True) as client:
        left = client.read_flow_runs(deployment_filter=DeploymentFilter(
            name=DeploymentFilterName(any_=[CYCLE_DEPLOYMENT])
        ))
    assert [r for r in left if r.state_type and r.state_type.value == "SCHEDULED"] == []
