"""The detect-and-alert flow against a real Prefect API, a real warehouse and a real webhook."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from newsmon.analysis import synthetic
from newsmon.core.config import AlertsConfig, Config
from newsmon.core.settings import Settings
from warehouse import Warehouse


@pytest.mark.prefect
def test_flow_detects_stores_and_delivers_once(
    prefect_api: str, db_path: Path, httpserver: HTTPServer
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import FlowRunSort

    from flows.alerts import detect_and_alert

    history = synthetic.generate(datetime(2026, 3, 2))
    history.write(Warehouse(db_path))
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    config = Config(alerts=AlertsConfig(urls=[f"json://127.0.0.1:{httpserver.port}/hook"]))
    settings = Settings(db=db_path)
    spike = history.spikes[0]
    as_of = spike.start + timedelta(minutes=65)  # the hourly cycle just after it began

    summary = detect_and_alert(settings, config, as_of)
    assert [a.topic for a in summary.new] == [spike.topic] and summary.sent == 1
    (request, _), = httpserver.log
    assert spike.topic in json.loads(request.get_data())["title"]

    again = detect_and_alert(settings, config, as_of)  # a re-run over the same data
    assert again.new == [] and again.sent == 0 and len(httpserver.log) == 1

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(limit=10, sort=FlowRunSort.START_TIME_DESC)
        ours = [r for r in runs if client.read_flow(r.flow_id).name == "newsmon-alerts"]
        assert len(ours) >= 2 and all(r.state and r.state.is_completed() for r in ours[:2])
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[ours[0].id]))
        )
    assert sorted(t.name.rsplit("-", 1)[0] for t in task_runs) == [
        "deliver-alerts", "detect-spikes",
    ]


@pytest.mark.prefect
def test_passwords_in_alert_urls_never_reach_prefect(
    prefect_api: str, db_path: Path, httpserver: HTTPServer
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    from flows.alerts import detect_and_alert

    history = synthetic.generate(datetime(2026, 3, 2))
    history.write(Warehouse(db_path))
    httpserver.expect_request("/private-hook", method="POST").respond_with_data("ok")
    secret = "Sup3rSecret"
    url = f"json://alice:{secret}@127.0.0.1:{httpserver.port}/private-hook"
    summary = detect_and_alert(Settings(db=db_path), Config(alerts=AlertsConfig(urls=[url])),
                               history.spikes[0].start + timedelta(minutes=65))
    assert summary.sent == 1
    (request, _), = httpserver.log
    assert request.authorization is not None and request.authorization.password == secret
    with get_client(sync_client=True) as client:
        # by name: other tests of this process leave runs on the same server (scheduled
        # ones too, which the server's scheduler keeps adding)
        ours, = client.read_flow_runs(
            limit=1, sort=FlowRunSort.START_TIME_DESC,
            flow_filter=FlowFilter(name=FlowFilterName(any_=["newsmon-alerts"])))
    stored = json.dumps(ours.parameters)
    assert secret not in stored and "private-hook" not in stored
    assert "json://alice:***@127.0.0.1" in stored
