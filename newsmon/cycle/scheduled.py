"""Scheduled monitoring as plain functions: what a scheduled cycle reads, what the daily
maintenance does, and the run summaries shown in the Prefect UI.

``flows/schedule.py`` only wires these into Prefect flows and deployments, so all of
it is tested without Prefect.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from newsmon.core.clock import utcnow
from newsmon.core.config import Config
from newsmon.core.outcomes import RejectReason
from newsmon.core.settings import Settings
from newsmon.pipeline.summary import RunSummary
from newsmon.sources.feed_plan import FeedPlan, plan_from_config
from newsmon.sources.local_feeds import worker_inputs
from warehouse import Warehouse, open_warehouse

log = logging.getLogger(__name__)


class AlertsOutcome(Protocol):
    """What the spike-detection step reports back (``newsmon.analysis.alerts.AlertsSummary``)."""

    sent: int
    failed: int
    partly: int
    targets_reached: int

    def describe(self) -> str: ...


def cycle_inputs(settings: Settings, config: Config) -> tuple[list[Path], FeedPlan | None]:
    """The local sources and the feed plan one cycle reads: the same as ``newsmon run``.

    With nothing configured, the seeds folder. A configured path that vanished fails the
    cycle with its name (the next scheduled cycle tries again).
    """
    # worker 0 of several reads the folders; the others their share of the feeds (and of
    # the feeds OPML lists there name)
    folders = worker_inputs(config.cycle_folders(settings.seeds_dir), settings.worker)
    return folders, plan_from_config(config, settings)


def runs_alerts(settings: Settings, config: Config, started: datetime) -> bool:
    """Whether this worker runs spike detection after the cycle that ``started``.

    Several workers on one lake each run a share of every cycle; detection runs once per
    cycle, by the first of them to finish (the cycle's window is its scheduled start,
    the same for every worker). The articles of workers still loading count in the next
    cycle's detection.
    """
    period = config.schedule.cycle_minutes * 60
    window = int(started.timestamp() // period)
    return open_warehouse(settings).claim_once("alerts", f"{window}x{period:g}s")


# -- maintenance --------------------------------------------------------------------------------


@dataclass
class MaintenanceReport:
    """What the daily maintenance did; shown as the maintenance run's artifact."""

    size_before: int = 0
    size_after: int = 0
    feed_items_removed: int = 0
    feeds_removed: int = 0
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        mb = 1024 * 1024
        lines = [
            "## newsmon maintenance",
            "",
            "| | |",
            "|---|---|",
            f"| warehouse size before | {self.size_before / mb:.1f} MB |",
            f"| warehouse size after | {self.size_after / mb:.1f} MB |",
            f"| handled feed items removed | {self.feed_items_removed} |",
            f"| feeds no longer configured removed | {self.feeds_removed} |",
        ]
        lines += [f"\n- {n}" for n in self.notes]
        return "\n".join(lines) + "\n"


def _warehouse_bytes(warehouse: Warehouse) -> int:
    paths = [warehouse.path, warehouse.path.with_name(warehouse.path.name + ".wal")]
    total = 0 if warehouse.pg else sum(p.stat().st_size for p in paths if p.exists())
    if warehouse.lake and not warehouse.remote_data and warehouse.data_path.exists():
        total += sum(p.stat().st_size for p in warehouse.data_path.rglob("*") if p.is_file())
    return total


def maintain(settings: Settings, config: Config) -> MaintenanceReport:
    """Daily upkeep: forget old feed state, then checkpoint/compact the warehouse.

    Handled feed items older than ``schedule.feed_items_keep_days`` are dropped (a feed
    lists an item for days, not months, so an old key will not come back), and so is
    the polling state of feeds no longer in the configuration. Both only when the feed
    tables exist. The checkpoint folds DuckDB's write-ahead log into the file and frees
    deleted blocks; on a DuckLake it merges small files and drops expired snapshots.
    """
    warehouse = open_warehouse(settings)
    report = MaintenanceReport()
    if not warehouse.exists():
        report.notes.append("no warehouse yet: nothing to do")
        return report
    report.size_before = _warehouse_bytes(warehouse)
    cutoff = utcnow() - timedelta(days=config.schedule.feed_items_keep_days)
    configured = sorted(f.url for f in config.feeds)
    with warehouse.writer() as tx:
        tables = {r[0] for r in tx.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        )}
        if {"feeds", "feed_items"} <= tables:
            report.feed_items_removed = _count(tx.execute(
                "SELECT count(*) FROM feed_items WHERE done AND last_tried_at < ?", [cutoff]
            ))
            tx.execute("DELETE FROM feed_items WHERE done AND last_tried_at < ?", [cutoff])
            stale = "url NOT IN (SELECT unnest(?::VARCHAR[])) AND coalesce(last_polled_at, ?) < ?"
            params = [configured, cutoff, cutoff]
            report.feeds_removed = _count(tx.execute(
                f"SELECT count(*) FROM feeds WHERE {stale}", params
            ))
            tx.execute(f"DELETE FROM feeds WHERE {stale}", params)
        else:
            report.notes.append("no feed tables yet: feed clean-up skipped")
    warehouse.maintain()
    report.size_after = _warehouse_bytes(warehouse)
    log.info(
        "maintenance: %d feed items and %d feeds removed; warehouse %d -> %d bytes",
        report.feed_items_removed, report.feeds_removed, report.size_before, report.size_after,
    )
    return report


def _count(rows: list[tuple[object, ...]]) -> int:
    value = rows[0][0] if rows else 0
    return int(value) if isinstance(value, int) else 0


# -- run summaries ------------------------------------------------------------------------------


def summary_markdown(
    summary: RunSummary, alerts: AlertsOutcome | None, *, alerts_error: str | None = None
) -> str:
    """The Prefect artifact of one cycle: articles added, rejects by reason, feeds failing,
    alerts sent. Markdown because the UI renders it on the run's Artifacts tab."""
    rejected = {
        r: n for r, n in sorted(summary.reasons.items()) if r != RejectReason.DUPLICATE
    }
    lines = [
        f"## newsmon cycle {summary.run_id[:8]}: {summary.status}",
        "",
        "| | |",
        "|---|---|",
        f"| inputs | {summary.inputs} |",
        f"| articles added | {summary.added} |",
        f"| already in the warehouse | {summary.duplicates} |",
        f"| skipped | {summary.rejected} |",
        f"| seconds | {summary.seconds:.1f} |",
    ]
    feeds = summary.feeds
    if feeds is not None:
        lines.append(
            f"| feeds failing | {feeds.failed} of {feeds.feeds} "
            f"({feeds.backed_off} backing off) |"
        )
    else:
        lines.append("| feeds failing | no feeds configured |")
    if alerts is not None:
        lines.append(f"| alerts sent | {alerts.sent} to every target, {alerts.failed} not yet "
                     f"({alerts.partly} partly); {alerts.targets_reached} messages |")
    elif alerts_error:
        lines.append(f"| alerts sent | none: spike detection failed ({alerts_error}) |")
    else:
        lines.append("| alerts sent | spike detection not run |")
    lines += ["", "### Rejects by reason", ""]
    lines += _reason_table(rejected) if rejected else ["none"]
    if feeds is not None and feeds.reasons:
        lines += ["", "### Feed problems by reason", ""]
        lines += _reason_table(dict(sorted(feeds.reasons.items())))
    if alerts is not None:
        lines += ["", alerts.describe()]
    if summary.error:
        lines += ["", f"**error:** {summary.error}"]
    return "\n".join(lines) + "\n"


def _reason_table(reasons: Mapping[str, int]) -> list[str]:
    return ["| reason | count |", "|---|---|"] + [f"| {r} | {n} |" for r, n in reasons.items()]
