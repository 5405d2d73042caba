"""Detect, store and deliver spike alerts: plain functions the alerts flow wires together.

A cycle calls :func:`detect_and_store` then :func:`deliver_pending`. Detection reads
the hourly story series from the warehouse, asks :mod:`newsmon.analysis.spikes` which windows
spike, and stores each new one with its evidence (the top stories) in ``alerts``
before anything is sent, so an alert is never lost if delivery fails and never sent
twice if detection runs again. :func:`backtest` is the same detection replayed hour by
hour over stored history, storing nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newsmon.analysis import delivery, spikes, trends
from newsmon.analysis.spikes import DAY, HOUR, Spike
from newsmon.core.config import AlertsConfig
from warehouse import Warehouse

log = logging.getLogger(__name__)


@dataclass
class AlertsSummary:
    """What one detect-and-alert pass did; printed after ``newsmon run``."""

    new: list[trends.StoredAlert] = field(default_factory=list)
    sent: int = 0
    failed: int = 0
    gave_up: int = 0
    partly: int = 0  # of the failed: reached some targets, not all
    targets_reached: int = 0  # deliveries that arrived, over all alerts and targets

    def describe(self) -> str:
        if not self.new and not (self.sent or self.failed or self.gave_up):
            return "alerts: no new spikes"
        parts = [f"{len(self.new)} new spike alert{'s' if len(self.new) != 1 else ''}"]
        parts.append(f"{self.sent} delivered to every target")
        if self.failed:
            partly = f", {self.partly} of them reached some targets" if self.partly else ""
            parts.append(f"{self.failed} not delivered yet{partly}")
        parts.append(f"{_plural(self.targets_reached, 'message')} sent")
        if self.gave_up:
            parts.append(f"{self.gave_up} given up after repeated failures")
        topics = ", ".join(sorted({a.topic for a in self.new}))
        return "alerts: " + ", ".join(parts) + (f" ({topics})" if topics else "")


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def find_spikes(
    warehouse: Warehouse,
    cfg: AlertsConfig,
    ends: list[datetime],
    earlier: Mapping[str, list[datetime]] | None = None,
) -> list[Spike]:
    """Spikes among windows ending at ``ends`` (hour boundaries, ascending)."""
    if not ends or not cfg.enabled:
        return []
    start = ends[0] - cfg.baseline_days * DAY - cfg.window_hours * HOUR
    history = trends.history_start(warehouse, needed=start)
    if history is None:
        return []
    # a window ending at e covers the hours e - window .. e - 1; baselines use the same hours
    hours = {(e - k * HOUR).hour for e in ends for k in range(1, cfg.window_hours + 1)}
    series = [
        s for s in trends.hourly_series(warehouse, start, ends[-1], hours_of_day=hours)
        if cfg.topic_enabled(s.topic)
    ]

    def exact(topic: str, ws: datetime, we: datetime) -> spikes.WindowStats:
        return trends.window_stats(warehouse, topic, ws, we)

    return spikes.detect(
        series,
        ends,
        window_hours=cfg.window_hours,
        baseline_days=cfg.baseline_days,
        history_start=history,
        min_history_days=cfg.min_history_days,
        cooldown_hours=cfg.cooldown_hours,
        thresholds_for=cfg.thresholds_for,
        exact=exact,
        earlier=earlier,
    )


def detect_and_store(
    warehouse: Warehouse, cfg: AlertsConfig, as_of: datetime, now: datetime | None = None
) -> list[trends.StoredAlert]:
    """Detect spikes in the windows a cycle at ``as_of`` checks; store and return new ones."""
    ends = spikes.window_ends(as_of, cfg.lookback_hours)
    since = ends[0] - cfg.cooldown_hours * HOUR - HOUR
    found = find_spikes(warehouse, cfg, ends, earlier=trends.alert_ends(warehouse, since))
    with_evidence = [
        (s, trends.top_articles(warehouse, s.topic, s.window_start, s.window_end,
                                cfg.top_articles))
        for s in found
    ]
    status = "pending" if cfg.urls else "no_targets"
    new = trends.store_alerts(
        warehouse, with_evidence, detected_at=as_of, now=now or as_of, status=status
    )
    for alert in new:
        log.info("spike: %s, %d stories in %s..%s (baseline %.1f, score %.1f)", alert.topic,
                 alert.count, alert.window_start, alert.window_end, alert.baseline, alert.score)
    return new


def backtest(
    warehouse: Warehouse, cfg: AlertsConfig, since: datetime, until: datetime
) -> list[Spike]:
    """The alerts that would have fired, replaying every hour from ``since`` to ``until``."""
    first = spikes.ceil_hour(since) + HOUR
    last = spikes.ceil_hour(until)
    hours = int((last - first) / HOUR)
    ends = [first + k * HOUR for k in range(hours + 1)]
    return find_spikes(warehouse, cfg, ends)


# -- delivery -------------------------------------------------------------------------------


def _fmt_time(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


def compose(alert: trends.StoredAlert) -> delivery.Message:
    """What spiked, by how much, and the top stories with their links."""
    hours = int((alert.window_end - alert.window_start) / HOUR)
    if alert.baseline > 0:
        how_much = f"{alert.count / alert.baseline:.1f}x the usual {alert.baseline:.1f}"
    else:
        how_much = "usually none"
    title = f"newsmon: {alert.topic} is spiking: {alert.count} stories in {hours} h ({how_much})"
    lines = [
        f"Topic {alert.topic!r}: {alert.count} stories ({alert.articles} articles) from "
        f"{alert.sources} sources between {_fmt_time(alert.window_start)} and "
        f"{_fmt_time(alert.window_end)} UTC; {how_much} for these hours "
        f"(score {alert.score:.1f}).",
        "",
        "Top stories:",
    ]
    for n, top in enumerate(alert.top_articles, 1):
        copies = top.get("copies") or 1
        extra = f", {copies} copies" if copies > 1 else ""
        lines.append(f"{n}. {top.get('title') or '(untitled)'} ({top.get('source')}{extra})")
        lines.append(f"   {top.get('url')}")
    return delivery.Message(title=title, body="\n".join(lines))


def deliver_pending(
    warehouse: Warehouse,
    cfg: AlertsConfig,
    now: datetime,
    *,
    environ: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] | None = None,
    backoff_s: float = 1.0,
) -> AlertsSummary:
    """Send every pending or failed alert to the targets it has not reached yet.

    Each attempt is recorded (attempts, status, secret-free last error); after
    ``max_attempts`` an alert is marked ``gave_up`` and stays visible in
    ``newsmon alerts``. Nothing here raises for a delivery failure.
    """
    summary = AlertsSummary()
    if not cfg.urls:
        return summary
    keys = {delivery.target_key(u) for u in cfg.urls}
    kwargs: dict[str, Any] = {"retries": cfg.retries, "backoff_s": backoff_s, "environ": environ}
    if sleep is not None:
        kwargs["sleep"] = sleep
    for alert in trends.stored_alerts(warehouse, statuses=("pending", "failed")):
        results = delivery.send(
            cfg.urls, compose(alert), skip=set(alert.delivered_to), **kwargs
        )
        reached = set(alert.delivered_to) | {r.key for r in results if r.ok}
        summary.targets_reached += sum(r.ok for r in results)
        errors = [r.error for r in results if not r.ok and r.error]
        if keys <= reached:
            status = "sent"
            summary.sent += 1
        elif alert.attempts + 1 >= cfg.max_attempts:
            status = "gave_up"
            summary.gave_up += 1
        else:
            status = "failed"
            summary.failed += 1
            summary.partly += bool(reached & keys)
        trends.record_delivery(
            warehouse, alert, status=status, delivered_to=sorted(reached & keys),
            error="; ".join(errors) or None, at=now,
        )
        if status != "sent":
            log.warning("alert %s %s not delivered (%s): %s", alert.topic,
                        _fmt_time(alert.window_end), status, "; ".join(errors))
    return summary


def run_alerts(
    warehouse: Warehouse, cfg: AlertsConfig, as_of: datetime, now: datetime | None = None
) -> AlertsSummary:
    """Detect, store, deliver: one pass (the flow runs the two halves as tasks)."""
    new = detect_and_store(warehouse, cfg, as_of, now)
    summary = deliver_pending(warehouse, cfg, now or as_of)
    summary.new = new
    return summary


def detect_and_deliver(
    warehouse: Warehouse, cfg: AlertsConfig, now: datetime, as_of: datetime | None = None
) -> AlertsSummary:
    """Store new spike alerts (with their evidence), then deliver every pending one: the
    pass after each cycle (``flows.alerts`` runs the same two steps as Prefect tasks)."""
    new = detect_and_store(warehouse, cfg, as_of or now, now)
    summary = deliver_pending(warehouse, cfg, now)
    summary.new = new
    return summary
