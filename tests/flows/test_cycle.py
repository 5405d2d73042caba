"""The monitoring flow against a real Prefect API: tasks per batch, state recorded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsmon.core.settings import Settings
from tests.conftest import SEEDS
from warehouse import Warehouse


@pytest.mark.prefect
def test_flow_runs_batches_as_tasks_and_records_the_run(
    prefect_api: str, tmp_path: Path, db_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import FlowRunSort, TaskRunSort

    from flows.cycle import monitoring_cycle

    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    summary = monitoring_cycle(Settings(db=db_path, batch_size=2), [folder], "run")
    assert (summary.status, summary.added) == ("ok", 5)

    with get_client(sync_client=True) as client:
        flow_runs = client.read_flow_runs(limit=20, sort=FlowRunSort.START_TIME_DESC)
        ours = [fr for fr in flow_runs if fr.parameters.get("trigger") == "run"]
        assert ours and ours[0].state is not None and ours[0].state.is_completed()
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[ours[0].id])),
            sort=TaskRunSort.EXPECTED_START_TIME_DESC,
            limit=50,
        )
    names = sorted(tr.name.rsplit("-", 1)[0] for tr in task_runs)
    # 5 articles in batches of 2: three load tasks, not one per article (extraction
    # streams through the workers between them and is no task)
    assert names.count("load-batch") == 3 and "extract-batch" not in names
    assert names.count("discover-inputs") == 1
    assert Warehouse(db_path).query("SELECT count(*) FROM articles").rows == [(5,)]
