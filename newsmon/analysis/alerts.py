"""Detect, store and deliver spike alerts: plain functions the alerts flow wires together.

A cycle calls :func:`detect_and_store` then :func:`deliver`. Detection reads the hourly
story series of every topic, and of the tracked entities and saved searches ``[alerts]``
names, from the warehouse (a saved search's articles from the search index), asks
:mod:`newsmon.analysis.spikes` which windows spike, and stores each new one with its
evidence (the top stories) in ``alerts`` before anything is sent, so an alert is never
lost if delivery fails and never sent twice if detection runs again. Delivery sends one
message per spike, or in digest mode one message per period (new spikes and the top
stories of each watched item); both come from Jinja2 templates users may replace
(:mod:`newsmon.core.templates`). Only stored articles are counted: a fetch error is a
reject, never news. :func:`backtest` is the same detection replayed hour by hour over
stored history, storing nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from newsmon.analysis import delivery, search, spikes, trends
from newsmon.analysis.selection import Selection
from newsmon.analysis.spikes import DAY, HOUR, Spike
from newsmon.analysis.stories import top_stories
from newsmon.core.config import AlertsConfig, split_watch_key
from newsmon.core.errors import InputError
from newsmon.core.templates import load_template, render
from newsmon.core.wording import plural
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
        parts.append(f"{plural(self.targets_reached, 'message')} sent")
        if self.gave_up:
            parts.append(f"{self.gave_up} given up after repeated failures")
        topics = ", ".join(sorted({a.topic for a in self.new}))
        return "alerts: " + ", ".join(parts) + (f" ({topics})" if topics else "")


@dataclass(frozen=True, slots=True)
class Watch:
    """One watched item: a topic, a tracked entity or a saved search.

    ``key`` names it in ``alerts.topic``: the topic itself (as before entities and searches
    could be watched), ``entity:NAME`` or ``search:NAME``.
    """

    kind: trends.Kind | Literal["search"]
    name: str
    query: str | None = None

    @property
    def key(self) -> str:
        return self.name if self.kind == "topic" else f"{self.kind}:{self.name}"


def watched(cfg: AlertsConfig) -> list[Watch]:
    """The tracked entities and saved searches ``[alerts]`` names (topics are all watched)."""
    return ([Watch("entity", name) for name in sorted(cfg.entities)]
            + [Watch("search", name, s.query) for name, s in sorted(cfg.searches.items())])


def search_matches(
    warehouse: Warehouse, cfg: AlertsConfig, search_path: Path | None, since: datetime
) -> dict[str, list[int]]:
    """The articles each enabled saved search matches since ``since``, by watch key. A
    query that does not parse is logged by name and left out: it must not stop the rest."""
    matches: dict[str, list[int]] = {}
    if search_path is None:
        return matches
    for watch in watched(cfg):
        if watch.kind == "search" and watch.query and cfg.topic_enabled(watch.key):
            try:
                matches[watch.key] = search.matching_ids(warehouse, search_path, watch.query,
                                                         since=since)
            except InputError as exc:
                log.warning("alerts.searches.%s: %s", watch.name, exc)
    return matches


def _counted(key: str, matches: Mapping[str, Sequence[int]]
             ) -> tuple[str, trends.Kind | Literal["search"], Sequence[int]]:
    """(name, kind, ids) that the trend queries count a watched item by."""
    kind, name = split_watch_key(key)
    if kind == "search":
        return key, "search", matches.get(key, ())
    return name, "entity" if kind == "entity" else "topic", ()


def baseline_start(cfg: AlertsConfig, ends: Sequence[datetime]) -> datetime:
    """The first hour detection over windows ending at ``ends`` reads."""
    return ends[0] - cfg.baseline_days * DAY - cfg.window_hours * HOUR


def find_spikes(
    warehouse: Warehouse,
    cfg: AlertsConfig,
    ends: list[datetime],
    earlier: Mapping[str, list[datetime]] | None = None,
    matches: Mapping[str, Sequence[int]] | None = None,
) -> list[Spike]:
    """Spikes among windows ending at ``ends`` (hour boundaries, ascending), for every
    topic, every watched entity and every saved search in ``matches`` (its articles since
    :func:`baseline_start`, from :func:`search_matches`)."""
    if not ends or not cfg.enabled:
        return []
    matches = matches or {}
    start = baseline_start(cfg, ends)
    history = trends.history_start(warehouse, needed=start)
    if history is None:
        return []
    # a window ending at e covers the hours e - window .. e - 1; baselines use the same hours
    hours = {(e - k * HOUR).hour for e in ends for k in range(1, cfg.window_hours + 1)}
    # undated texts read from files or archives happened when ingested, not when covered:
    # a backfill of a thousand is no spike (article_times.timed, migration 0016)
    series = list(trends.hourly_series(warehouse, start, ends[-1], hours_of_day=hours,
                                       timed_only=True))
    for watch in watched(cfg):
        if watch.kind == "search" and watch.key not in matches:
            continue
        name, kind, ids = _counted(watch.key, matches)
        found = trends.hourly_series(warehouse, start, ends[-1], [name], hours_of_day=hours,
                                     kind=kind, ids=ids, timed_only=True)
        series += [spikes.HourlySeries(watch.key, s.start, s.stories) for s in found]
    series = [s for s in series if cfg.topic_enabled(s.topic)]

    def exact(key: str, ws: datetime, we: datetime) -> spikes.WindowStats:
        name, kind, ids = _counted(key, matches)
        return trends.window_stats(warehouse, name, ws, we, kind, ids, timed_only=True)

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
    warehouse: Warehouse, cfg: AlertsConfig, as_of: datetime, now: datetime | None = None,
    search_path: Path | None = None,
) -> list[trends.StoredAlert]:
    """Detect spikes in the windows a cycle at ``as_of`` checks; store and return new ones."""
    ends = spikes.window_ends(as_of, cfg.lookback_hours)
    since = ends[0] - cfg.cooldown_hours * HOUR - HOUR
    matches = search_matches(warehouse, cfg, search_path, baseline_start(cfg, ends))
    found = find_spikes(warehouse, cfg, ends, earlier=trends.alert_ends(warehouse, since),
                        matches=matches)
    with_evidence = []
    for s in found:
        name, kind, ids = _counted(s.topic, matches)
        top = trends.top_articles(warehouse, name, s.window_start, s.window_end,
                                  cfg.top_articles, kind, ids)
        with_evidence.append((s, top))
    status = "pending" if cfg.urls else "no_targets"
    new = trends.store_alerts(
        warehouse, with_evidence, detected_at=as_of, now=now or as_of, status=status
    )
    for alert in new:
        log.info("spike: %s, %d stories in %s..%s (baseline %.1f, score %.1f)", alert.topic,
                 alert.count, alert.window_start, alert.window_end, alert.baseline, alert.score)
    return new


def backtest(
    warehouse: Warehouse, cfg: AlertsConfig, since: datetime, until: datetime,
    search_path: Path | None = None,
) -> list[Spike]:
    """The alerts that would have fired, replaying every hour from ``since`` to ``until``.

    Only the hours that could fire are replayed: a window needs ``min_history_days`` of
    history before it and at least one stored story in it (``min_count`` is at least 1),
    so a replay asked for decades ends up reading the span the warehouse actually holds.
    """
    oldest, newest = trends.history_start(warehouse), trends.latest_event(warehouse)
    if oldest is None or newest is None:
        return []
    first = max(spikes.ceil_hour(since) + HOUR,
                spikes.ceil_hour(oldest + cfg.min_history_days * DAY))
    last = min(spikes.ceil_hour(until), spikes.ceil_hour(newest + cfg.window_hours * HOUR))
    if last < first:
        return []
    hours = int((last - first) / HOUR)
    ends = [first + k * HOUR for k in range(hours + 1)]
    matches = search_matches(warehouse, cfg, search_path, baseline_start(cfg, ends))
    return find_spikes(warehouse, cfg, ends, matches=matches)


# -- delivery -------------------------------------------------------------------------------


def alert_context(alert: trends.StoredAlert) -> dict[str, Any]:
    """What a spike template sees as ``alert`` (documented in the README)."""
    kind, name = split_watch_key(alert.topic)
    return {
        "key": alert.topic, "kind": kind, "name": name,
        "window_start": alert.window_start, "window_end": alert.window_end,
        "hours": int((alert.window_end - alert.window_start) / HOUR),
        "count": alert.count, "articles": alert.articles, "sources": alert.sources,
        "baseline": alert.baseline, "spread": alert.spread, "score": alert.score,
        "ratio": alert.count / alert.baseline if alert.baseline > 0 else 0.0,
        "top_articles": [{**top, "copies": top.get("copies") or 1}
                         for top in alert.top_articles],
    }


def compose(alert: trends.StoredAlert, cfg: AlertsConfig | None = None) -> delivery.Message:
    """The spike message: what spiked, by how much, and the top stories with their links
    (``[alerts.templates] spike``, else the default template)."""
    template = load_template(cfg.templates.spike if cfg else None, "spike")
    title, body = render(template, {"alert": alert_context(alert)})
    return delivery.Message(title=title, body=body)


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
    if not cfg.urls or cfg.digest_hours:
        return summary
    keys = {delivery.target_key(u) for u in cfg.urls}
    kwargs: dict[str, Any] = {"retries": cfg.retries, "backoff_s": backoff_s, "environ": environ}
    if sleep is not None:
        kwargs["sleep"] = sleep
    for alert in trends.stored_alerts(warehouse, statuses=("pending", "failed")):
        results = delivery.send(
            cfg.urls, compose(alert, cfg), skip=set(alert.delivered_to), **kwargs
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


def digest_context(
    warehouse: Warehouse, cfg: AlertsConfig, start: datetime, end: datetime,
    pending: list[trends.StoredAlert], search_path: Path | None,
) -> dict[str, Any]:
    """What a digest template sees (documented in the README): the period, its new spikes,
    and the top stories of every watched item (each topic with stories in the period, the
    watched entities and saved searches)."""
    items = [Watch("topic", t) for t in sorted(trends.stored_names(warehouse, "topic"))
             if cfg.topic_enabled(t)]
    items += [w for w in watched(cfg) if cfg.topic_enabled(w.key)]
    matches = search_matches(warehouse, cfg, search_path, start)
    listed = []
    for item in items:
        if item.kind == "topic":
            selection = Selection(topics=(item.name,), since=start, until=end)
        elif item.kind == "entity":
            selection = Selection(entities=(item.name,), since=start, until=end)
        elif item.key in matches:
            selection = Selection(article_ids=matches[item.key], since=start, until=end)
        else:
            continue
        stories = top_stories(warehouse, selection, cfg.digest_stories)
        if item.kind == "topic" and not stories:
            continue
        listed.append({
            "key": item.key, "kind": item.kind, "name": item.name,
            "stories": [{"story_id": s.story_id, "headline": s.headline,
                         "articles": s.articles, "sources": s.sources,
                         "languages": list(s.languages), "first_seen": s.first_seen,
                         "last_seen": s.last_seen, "outlets": list(s.outlets)}
                        for s in stories],
        })
    return {"period_start": start, "period_end": end,
            "spikes": [alert_context(a) for a in pending], "watched": listed}


def deliver_digest(
    warehouse: Warehouse,
    cfg: AlertsConfig,
    now: datetime,
    *,
    search_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] | None = None,
    backoff_s: float = 1.0,
) -> AlertsSummary:
    """In digest mode, once ``digest_hours`` have passed since the last digest that reached
    every target: one message with the period's new spikes and top stories, and its spikes
    marked sent. A failed digest is retried next cycle, only to the targets it missed."""
    summary = AlertsSummary()
    if not cfg.urls or not cfg.digest_hours:
        return summary
    period = timedelta(hours=cfg.digest_hours)
    last_sent, open_row = trends.digest_state(warehouse)
    if last_sent is not None and now < last_sent + period:
        return summary
    start = open_row[0] if open_row else (last_sent or now - period)
    pending = trends.stored_alerts(warehouse, statuses=("pending", "failed"))
    context = digest_context(warehouse, cfg, start, now, pending, search_path)
    title, body = render(load_template(cfg.templates.digest, "digest"), context)
    kwargs: dict[str, Any] = {"retries": cfg.retries, "backoff_s": backoff_s, "environ": environ}
    if sleep is not None:
        kwargs["sleep"] = sleep
    done = set(open_row[1]) if open_row else set()
    results = delivery.send(cfg.urls, delivery.Message(title=title, body=body), skip=done,
                            **kwargs)
    keys = {delivery.target_key(u) for u in cfg.urls}
    reached = (done | {r.key for r in results if r.ok}) & keys
    summary.targets_reached += sum(r.ok for r in results)
    errors = "; ".join(r.error for r in results if not r.ok and r.error) or None
    attempts = (open_row[2] if open_row else 0) + 1
    if reached == keys:
        status = "sent"
    elif attempts >= cfg.max_attempts:
        status = "gave_up"
    else:
        status = "failed"
    trends.record_digest(warehouse, start, now, len(pending), status, sorted(reached),
                         errors, attempts)
    if status == "sent":
        summary.sent += len(pending)
        for alert in pending:
            trends.record_delivery(warehouse, alert, status="sent", delivered_to=sorted(keys),
                                   error=None, at=now)
    else:
        summary.failed += len(pending)
        log.warning("digest for %s..%s not delivered (%s): %s", _fmt_time(start),
                    _fmt_time(now), status, errors)
    return summary


def _fmt_time(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


def detect_and_deliver(
    warehouse: Warehouse, cfg: AlertsConfig, now: datetime, as_of: datetime | None = None,
    search_path: Path | None = None,
) -> AlertsSummary:
    """Store new spike alerts (with their evidence), then deliver every pending one: the
    pass after each cycle (``flows.alerts`` runs the same two steps as Prefect tasks)."""
    new = detect_and_store(warehouse, cfg, as_of or now, now, search_path)
    summary = deliver(warehouse, cfg, now, search_path=search_path)
    summary.new = new
    return summary


def deliver(warehouse: Warehouse, cfg: AlertsConfig, now: datetime,
            search_path: Path | None = None) -> AlertsSummary:
    """One message per pending spike, or the digest when ``digest_hours`` is set."""
    if cfg.digest_hours:
        return deliver_digest(warehouse, cfg, now, search_path=search_path)
    return deliver_pending(warehouse, cfg, now)
