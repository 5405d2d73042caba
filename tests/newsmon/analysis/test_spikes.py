"""Spike detection on plain numbers: baselines, floors, thresholds, confirmation, cool-down."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from newsmon.analysis.spikes import (
    HOUR,
    Candidate,
    Cooldown,
    HourlySeries,
    Spike,
    WindowStats,
    apply_cooldown,
    candidates,
    ceil_hour,
    confirm,
    detect,
    robust_baseline,
    spread_floor,
    window_ends,
)
from newsmon.core.config import AlertsConfig, AlertThresholds

# 2026-03-02 is a Monday.
START = datetime(2026, 1, 5)
THRESHOLDS = AlertThresholds()

#: Stories per hour on a weekday: busy mornings, quiet nights.
WEEKDAY = [0, 0, 0, 0, 0, 1, 2, 3, 4, 4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 0, 0]


def _series(days: int, extra: dict[datetime, int] | None = None, weekend_share: float = 0.5
            ) -> HourlySeries:
    counts = []
    for hour in range(days * 24):
        at = START + hour * HOUR
        base = WEEKDAY[at.hour]
        if at.weekday() >= 5:
            base = int(base * weekend_share)
        counts.append(base + (extra or {}).get(at, 0))
    return HourlySeries("politics", START, counts)


def _candidates(series: HourlySeries, ends: list[datetime], **kw: Any) -> list[Candidate]:
    args: dict[str, Any] = {
        "window_hours": 3, "baseline_days": 28, "history_start": START, "min_history_days": 7,
        "thresholds": THRESHOLDS,
    }
    args.update(kw)
    return candidates(series, ends, **args)


def test_spread_floor_keeps_quiet_topics_from_firing_on_a_couple_of_articles() -> None:
    centre, spread = robust_baseline([0.0] * 20, min_spread=1.0)
    assert (centre, spread) == (0.0, 1.0)
    # Poisson noise of the baseline widens the floor as volume grows
    assert spread_floor(9.0, 1.0) > spread_floor(1.0, 1.0) > 1.0
    # a single earlier spike among the samples barely moves the baseline
    centre, _ = robust_baseline([3.0] * 19 + [40.0], min_spread=1.0)
    assert centre == 3.0


def test_a_morning_jump_fires_and_an_ordinary_busy_morning_does_not() -> None:
    spike_hour = datetime(2026, 2, 24, 9)  # a Tuesday morning
    quiet = _series(60)
    end = spike_hour + HOUR
    assert _candidates(quiet, [end]) == []
    spiky = _series(60, {spike_hour: 25})
    found = _candidates(spiky, [end])
    assert len(found) == 1
    c = found[0]
    assert (c.window_start, c.window_end) == (end - 3 * HOUR, end)
    assert c.baseline == 11.0  # 3 + 4 + 4 stories at 7-10 h on weekdays


def test_baseline_follows_time_of_day_and_weekday() -> None:
    # 12 stories at 02-05 h would be ordinary at 09 h but is a spike at night
    night = datetime(2026, 2, 24, 2)
    series = _series(60, {night: 4, night + HOUR: 4, night + 2 * HOUR: 4})
    assert len(_candidates(series, [night + 3 * HOUR])) == 1
    # A Saturday morning is measured against Saturdays and Sundays, not weekdays:
    # the weekday level on a Saturday is a spike for a topic that is thin at weekends.
    saturday = datetime(2026, 2, 28, 7)
    weekday_level = {saturday + k * HOUR: WEEKDAY[7 + k] * 3 for k in range(3)}
    found = _candidates(_series(60, weekday_level, weekend_share=0.25), [saturday + 3 * HOUR])
    assert len(found) == 1 and found[0].samples == 8


def test_minimum_volume_and_history_are_required() -> None:
    night = datetime(2026, 2, 24, 2)
    series = _series(60, {night: 4})
    assert _candidates(series, [night + HOUR]) == []  # 4 stories < min_count 5
    loose = AlertThresholds(min_count=2, threshold=3.0)  # score (4 - 0) / 1 = 4
    assert len(_candidates(series, [night + HOUR], thresholds=loose)) == 1
    # Without a week of history there is no baseline to trust
    early = START + timedelta(days=3, hours=10)
    series = _series(60, {early - HOUR: 30})
    assert _candidates(series, [early]) == []
    assert len(_candidates(series, [early], min_history_days=2)) == 1


def test_confirmation_needs_distinct_sources_and_counts_stories_not_copies() -> None:
    spike_hour = datetime(2026, 2, 24, 9)
    (candidate,) = _candidates(_series(60, {spike_hour: 25}), [spike_hour + HOUR])
    # 36 stories from 12 outlets: a spike
    spike = confirm(candidate, WindowStats(count=36, articles=40, sources=12), THRESHOLDS)
    assert spike is not None and spike.score > THRESHOLDS.threshold
    # the hourly sums over-counted: exactly, the window holds 12 stories (one wire text
    # copied by 25 sites plus the usual 11): no spike, however many articles
    wire = WindowStats(count=12, articles=36, sources=25)
    assert confirm(candidate, wire, THRESHOLDS) is None
    # many stories, but all from two outlets
    assert confirm(candidate, WindowStats(36, 36, 2), THRESHOLDS) is None


def _spike(topic: str, end: datetime) -> Spike:
    return Spike(topic, end - 3 * HOUR, end, 30, 30, 10, 5.0, 2.0, 12.5)


def test_cooldown_keeps_one_alert_per_spike_per_topic() -> None:
    t0 = datetime(2026, 2, 24, 10)
    spikes = [_spike("politics", t0 + k * HOUR) for k in range(5)]
    spikes += [_spike("climate", t0 + 2 * HOUR), _spike("politics", t0 + 30 * HOUR)]
    kept = apply_cooldown(spikes, cooldown_hours=24)
    assert [(s.topic, s.window_end) for s in kept] == [
        ("politics", t0), ("climate", t0 + 2 * HOUR), ("politics", t0 + 30 * HOUR),
    ]
    # alerts already stored count too, before and after (late articles re-scoring an
    # earlier window must not fire the same spike again)
    gate = Cooldown(24, {"politics": [t0]})
    assert gate.blocks("politics", t0) and gate.blocks("politics", t0 - 5 * HOUR)
    assert not gate.blocks("politics", t0 + 24 * HOUR) and not gate.blocks("climate", t0)
    assert Cooldown(0, {"politics": [t0]}).blocks("politics", t0)  # same window: never twice


def test_window_ends_cover_the_current_partial_hour_and_the_lookback() -> None:
    as_of = datetime(2026, 2, 24, 10, 20)
    assert ceil_hour(as_of) == datetime(2026, 2, 24, 11)
    assert window_ends(as_of, 3) == [datetime(2026, 2, 24, h) for h in (9, 10, 11)]
    assert window_ends(datetime(2026, 2, 24, 10), 1) == [datetime(2026, 2, 24, 10)]


def test_detect_asks_exact_counts_only_for_candidates_outside_cooldown() -> None:
    spike_hour = datetime(2026, 2, 24, 9)
    series = _series(60, {spike_hour: 25, spike_hour + HOUR: 25, spike_hour + 2 * HOUR: 25})
    ends = [spike_hour + k * HOUR for k in range(1, 7)]
    asked: list[datetime] = []

    def exact(topic: str, start: datetime, end: datetime) -> WindowStats:
        asked.append(end)
        return WindowStats(count=40, articles=45, sources=12)

    cfg = AlertsConfig()
    found = detect(
        [series], ends, window_hours=3, baseline_days=28, history_start=START,
        min_history_days=7, cooldown_hours=24, thresholds_for=cfg.thresholds_for, exact=exact,
    )
    assert [s.window_end for s in found] == [spike_hour + HOUR]
    assert asked == [spike_hour + HOUR]  # the later windows of the same spike cost nothing
