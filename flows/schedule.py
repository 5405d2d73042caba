"""Scheduled monitoring: the flows ``newsmon serve`` runs, and their deployments.

One ``serve`` process holds every deployment: the monitoring cycle every N minutes
(``[schedule] cycle_minutes``, default 15) with spike detection and alerting right after
it, and a daily maintenance run. The logic is in :mod:`newsmon.cycle.scheduled`; here it is
only wired.

Runs never overlap on the warehouse, by two means that each fit a scale:

* the runner starts at most one flow run at a time (``serve(limit=1)``), so a late or
  long cycle delays the next scheduled run instead of starting a second writer;
* every scheduled flow holds the Prefect global concurrency limit ``newsmon-warehouse``
  (one slot) while it works. That one holds across processes and machines: two
  ``serve`` processes by mistake, or process workers on several machines pulling from
  one work pool (docs/scaling.md), still take turns, and the UI shows who holds it.
  A process-local lock would not: each flow run is its own subprocess.

Flow runs get plain parameters (the warehouse path and the configuration file) and load
settings and configuration themselves, so a deployment's parameters are readable in the UI
and an edited configuration takes effect at the next cycle without restarting ``serve``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

from prefect import flow, get_run_logger, serve
from prefect.artifacts import create_markdown_artifact
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterName,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.concurrency.sync import concurrency
from prefect.deployments.runner import RunnerDeployment
from prefect.types.entrypoint import EntrypointType

from flows.cycle import monitoring_cycle
from newsmon.core.clock import utcnow
from newsmon.core.config import Config, load_config
from newsmon.core.settings import Settings, load_settings
from newsmon.cycle import scheduled as scheduling
from newsmon.pipeline.summary import RunSummary

log = logging.getLogger(__name__)

WAREHOUSE_LIMIT = "newsmon-warehouse"
CYCLE_DEPLOYMENT = "scheduled-cycle"
MAINTENANCE_DEPLOYMENT = "daily-maintenance"


def _load(db: str, config: str | None, shard: str | None = None
          ) -> tuple[Settings, Config]:
    settings = load_settings(db=db, config=Path(config) if config else None, shard=shard)
    return settings, load_config(settings.config)


#: The slot is a lease the run renews in the background (every 3/4 of it). A run killed
#: outright (SIGKILL, power loss) cannot give it back, so the next run waits at most this
#: long; Prefect's default of 300 s would hold up the next two 15-minute cycles' start.
SLOT_LEASE_S = 60.0


@contextmanager
def warehouse_slot(timeout_s: float, shard: str | None = None) -> Iterator[None]:
    """Hold the one ``newsmon-warehouse`` slot (see the module docstring for why); a
    worker of several (``NEWSMON_SHARD=K/N``) holds its shard's own slot, so workers run
    side by side while two runs of one shard never overlap."""
    with concurrency(slot_name(shard), occupy=1, timeout_seconds=timeout_s, strict=True,
                     lease_duration=SLOT_LEASE_S):
        yield


def slot_name(shard: str | None) -> str:
    return WAREHOUSE_LIMIT + _shard_suffix(shard)


def _shard_suffix(shard: str | None) -> str:
    return "" if shard is None else f"-shard-{shard.replace('/', '-of-')}"


def ensure_warehouse_limit(shard: str | None = None) -> None:
    """Create (or reset to 1) the global concurrency limit the scheduled flows hold."""
    with get_client(sync_client=True) as client:
        client.upsert_global_concurrency_limit_by_name(slot_name(shard), 1)


def detect_and_alert(settings: Settings, config: Config) -> scheduling.AlertsOutcome | None:
    """Spike detection and alert delivery after a cycle: the ``flows.alerts`` flow.

    HOOK: this is where the alerting stage plugs in. It runs only when that module
    exists, so scheduling works before and without it; the run summary says
    "spike detection not run" then.
    """
    try:
        from flows import alerts
    except ImportError:
        log.info("spike detection not available yet (no flows/alerts.py)")
        return None
    result: scheduling.AlertsOutcome | None = alerts.detect_and_alert(settings, config)
    return result


@flow(name="newsmon-scheduled-cycle", validate_parameters=False)
def scheduled_cycle(db: str, config: str | None = None, shard: str | None = None
                    ) -> dict[str, Any]:
    """One scheduled cycle: ingest and append, then spike detection and alerting."""
    settings, cfg = _load(db, config, shard)
    started = utcnow()
    sources, plan = scheduling.cycle_inputs(settings, cfg)
    alerts, alerts_failure = None, None
    with warehouse_slot(cfg.schedule.slot_timeout_s, settings.shard):
        # a Cancelled run raises CancelledRun here: the flow returns a summary otherwise
        summary = cast(RunSummary, monitoring_cycle(settings, sources, "serve", plan))
        if cfg.alerts.enabled and scheduling.runs_alerts(settings, cfg, started):
            try:
                alerts = detect_and_alert(settings, cfg)
            except Exception as exc:  # the cycle's articles are in; still say what it did
                alerts_failure = exc
    create_markdown_artifact(
        scheduling.summary_markdown(
            summary, alerts,
            alerts_error=f"{type(alerts_failure).__name__}: {alerts_failure}"
            if alerts_failure else None,
        ),
        key="newsmon-cycle-summary",
        description=f"cycle {summary.run_id[:8]}: {summary.added} added",
    )
    get_run_logger().info(
        "%s%s", summary.describe(), f"\n{alerts.describe()}" if alerts is not None else ""
    )
    if alerts_failure is not None:
        raise alerts_failure  # the run shows as failed in the UI, with the summary above
    return {"run_id": summary.run_id, "added": summary.added, "rejected": summary.rejected,
            "alerts_sent": alerts.sent if alerts else 0}


@flow(name="newsmon-maintenance", validate_parameters=False)
def maintenance(db: str, config: str | None = None) -> dict[str, Any]:
    """Daily: feed-state clean-up, then warehouse checkpoint/compaction."""
    settings, cfg = _load(db, config)
    with warehouse_slot(cfg.schedule.slot_timeout_s):
        report = scheduling.maintain(settings, cfg)
    create_markdown_artifact(report.markdown(), key="newsmon-maintenance",
                             description="daily maintenance")
    return {"feed_items_removed": report.feed_items_removed,
            "feeds_removed": report.feeds_removed, "bytes_after": report.size_after}


def deployments(settings: Settings, config: Config) -> list[RunnerDeployment]:
    """The deployments one ``serve`` process holds, with absolute paths as parameters.

    A worker of several (``NEWSMON_SHARD=K/N``) holds its own cycle deployment, named
    after its shard; worker 0 alone holds the daily maintenance.
    """
    params = {
        "db": settings.db_url or str(Path(settings.db).resolve()),
        "config": str(config.path) if config.path else None,
    }
    suffix = _shard_suffix(settings.shard)
    every = timedelta(minutes=config.schedule.cycle_minutes)
    cycle = scheduled_cycle.to_deployment(
        name=CYCLE_DEPLOYMENT + suffix, interval=every,
        parameters={**params, "shard": settings.shard},
        description=f"monitoring cycle and alerts every {config.schedule.cycle_minutes:g} min"
        + (f" (worker {settings.shard})" if settings.shard else ""),
        entrypoint_type=EntrypointType.MODULE_PATH, tags=["newsmon"],
    )
    # to_deployment is typed "or a coroutine" (it is awaitable in async code); here it is sync
    assert isinstance(cycle, RunnerDeployment)
    if not settings.worker.reads_folders:
        return [cycle]
    daily = maintenance.to_deployment(
        name=MAINTENANCE_DEPLOYMENT, cron=f"0 {config.schedule.maintenance_hour_utc} * * *",
        parameters=params, description="warehouse checkpoint and feed-state clean-up",
        entrypoint_type=EntrypointType.MODULE_PATH, tags=["newsmon"],
    )
    assert isinstance(daily, RunnerDeployment)
    return [cycle, daily]


def drop_pending_runs(shard: str | None = None) -> int:
    """Delete runs of our deployments still waiting (scheduled or late) from an earlier serve.

    They carry the parameters of the serve that scheduled them (maybe another warehouse or
    configuration), and replaying a backlog of missed cycles is useless: one cycle picks up
    everything new. The schedule makes fresh runs with the current parameters.
    """
    dropped = 0
    with get_client(sync_client=True) as client:
        while runs := client.read_flow_runs(
            deployment_filter=DeploymentFilter(
                name=DeploymentFilterName(any_=[CYCLE_DEPLOYMENT + _shard_suffix(shard),
                                                MAINTENANCE_DEPLOYMENT])
            ),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
            ),
            limit=200,  # the API's page limit
        ):
            for run in runs:
                client.delete_flow_run(run.id)
            dropped += len(runs)
    if dropped:
        log.info("dropped %d runs left scheduled by an earlier serve", dropped)
    return dropped


def serve_all(settings: Settings, config: Config) -> None:
    """Register the deployments and run them on their schedules until interrupted."""
    ensure_warehouse_limit(settings.shard)
    drop_pending_runs(settings.shard)
    serve(*deployments(settings, config), limit=1, print_starting_message=True)
