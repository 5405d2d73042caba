"""The detect-and-alert flow, run after each monitoring cycle: thin wiring only.

Detection and delivery (one message per spike, or the digest) are two tasks so the
Prefect UI shows which half failed. The logic is :mod:`newsmon.analysis.alerts`. No
Prefect retries: delivery retries each target itself and records every attempt in
``alerts`` (a failed alert is tried again on the next cycle), and detection reads only
the local warehouse, which waits out other writers by itself.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from newsmon.analysis import alerts
from newsmon.analysis.trends import StoredAlert
from newsmon.core.clock import utcnow
from newsmon.core.config import AlertsConfig, Config
from newsmon.core.settings import Settings
from newsmon.search.sync import index_path
from warehouse import Warehouse, open_warehouse


@task(name="detect-spikes", cache_policy=NO_CACHE)
def detect_spikes(
    warehouse: Warehouse, cfg: AlertsConfig, as_of: datetime, now: datetime, search_path: Path
) -> list[StoredAlert]:
    return alerts.detect_and_store(warehouse, cfg, as_of, now, search_path)


@task(name="deliver-alerts", cache_policy=NO_CACHE)
def deliver_alerts(
    warehouse: Warehouse, cfg: AlertsConfig, now: datetime, search_path: Path
) -> alerts.AlertsSummary:
    return alerts.deliver(warehouse, cfg, now, search_path)


@flow(name="newsmon-alerts", validate_parameters=False)
def detect_and_alert(
    settings: Settings, config: Config, as_of: datetime | None = None
) -> alerts.AlertsSummary:
    """Store new spike alerts (with their evidence), then deliver every pending one.

    ``as_of`` (default now, UTC) is the detection time; tests and replays pass it.
    """
    now = utcnow()
    warehouse = open_warehouse(settings)
    search_path = index_path(settings)
    new = detect_spikes(warehouse, config.alerts, as_of or now, now, search_path)
    summary = deliver_alerts(warehouse, config.alerts, now, search_path)
    summary.new = new
    return summary
