"""Spike detection as plain functions: a topic's latest window against its own history.

Why it works the way it does:

* **The signal is stories, not articles.** A window's ``count`` is the number of
  distinct near-duplicate clusters (stories) tagged with the topic. One wire text
  copied by ten sites is ten articles but one story, so syndication alone cannot make
  a spike; a spike also needs ``min_sources`` distinct outlets.
* **The baseline follows the clock.** News has a daily rhythm (mornings are busy,
  nights quiet) and a weekly one (weekends are thinner). The baseline for a window is
  built from the *same hours of the day* on each of the previous ``baseline_days``
  days, keeping only days of the same kind (weekday or weekend) when there are enough
  of them (else all days, which over-estimates a weekend's baseline: the safe side).
  Its centre is the interquartile mean and its spread the MAD (x1.4826), both robust
  to earlier spikes in the history.
* **The spread has a floor.** A quiet topic with a baseline of 0 and a MAD of 0
  would otherwise fire on any two articles. The spread is at least
  sqrt(baseline + min_spread**2): the Poisson noise of a count that size, widened.
* **A spike fires once.** Consecutive windows of one long spike all score high; after
  an alert the topic is quiet for ``cooldown_hours``, counting alerts already stored,
  so re-running detection over the same data never fires again.

Nothing here touches the warehouse: :mod:`newsmon.analysis.alerts` fetches the hourly series
and the exact window counts and passes them in, so these functions are tested on
plain numbers and replayed over history by ``newsmon backtest``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from newsmon.core.config import AlertThresholds

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

#: MAD x this estimates the standard deviation of normally distributed data.
MAD_SCALE = 1.4826
#: Fewer same-kind (weekday/weekend) baseline days than this: use all days instead.
MIN_SAME_KIND_SAMPLES = 6


@dataclass(frozen=True, slots=True)
class HourlySeries:
    """One topic's hourly counts from ``start`` (an hour boundary), one value per hour.

    ``stories`` are distinct clusters per hour; summed over a window they slightly
    over-count a story that spans two hours, which only makes a baseline more cautious.
    """

    topic: str
    start: datetime
    stories: Sequence[int]

    def index(self, at: datetime) -> int:
        return int((at - self.start) / HOUR)


@dataclass(frozen=True, slots=True)
class WindowStats:
    """Exact counts for one topic over one window (from the warehouse)."""

    count: int  # stories: distinct clusters
    articles: int
    sources: int


@dataclass(frozen=True, slots=True)
class Candidate:
    """A window whose (approximate) story count stands out from its baseline."""

    topic: str
    window_start: datetime
    window_end: datetime
    count: int
    baseline: float
    spread: float
    samples: int

    @property
    def score(self) -> float:
        return score(self.count, self.baseline, self.spread)


@dataclass(frozen=True, slots=True)
class Spike:
    """A confirmed spike: a window that passed every threshold with its exact counts."""

    topic: str
    window_start: datetime
    window_end: datetime
    count: int
    articles: int
    sources: int
    baseline: float
    spread: float
    score: float


def floor_hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def ceil_hour(at: datetime) -> datetime:
    floored = floor_hour(at)
    return floored if floored == at else floored + HOUR


def is_weekend(at: datetime) -> bool:
    return at.weekday() >= 5


def spread_floor(baseline: float, min_spread: float) -> float:
    """The least spread a baseline may have: its Poisson noise widened by ``min_spread``.

    sqrt(baseline + min_spread**2) is the standard deviation of a count of that size
    (Poisson) with ``min_spread`` added in quadrature, so low-volume topics, whose
    counts are the most skewed, need a clearly larger jump to fire.
    """
    return float(np.sqrt(max(baseline, 0.0) + min_spread**2))


def score(count: float, baseline: float, spread: float) -> float:
    return (count - baseline) / spread


def window_ends(as_of: datetime, lookback_hours: int) -> list[datetime]:
    """Window ends a cycle at ``as_of`` checks: the current (partial) hour and the ones before.

    Checking a few past windows too catches articles that arrive late (a feed published
    them hours ago); stored alerts and the cool-down keep that from firing twice.
    """
    last = ceil_hour(as_of)
    return [last - k * HOUR for k in range(lookback_hours - 1, -1, -1)]


def candidates(
    series: HourlySeries,
    ends: Sequence[datetime],
    *,
    window_hours: int,
    baseline_days: int,
    history_start: datetime,
    min_history_days: int,
    thresholds: AlertThresholds,
) -> list[Candidate]:
    """Windows ending at ``ends`` whose story count passes the score, ratio and volume tests.

    The series must start at least ``baseline_days`` days plus one window before the
    first end (hours before it are treated as zero). Baseline days before
    ``history_start`` (the warehouse's first article) are not evidence of quiet and are
    left out; a window with fewer than ``min_history_days`` usable days never fires.
    """
    counts = np.asarray(series.stories, dtype=np.float64)
    cumulative = np.concatenate([[0.0], np.cumsum(counts)])

    def window_sum(end_idx: np.ndarray) -> np.ndarray:
        hi = np.clip(end_idx, 0, len(counts))
        lo = np.clip(end_idx - window_hours, 0, len(counts))
        return np.asarray(cumulative[hi] - cumulative[lo])

    if not ends:
        return []
    end_idx = np.array([series.index(e) for e in ends])
    current = window_sum(end_idx)
    offsets = np.arange(1, baseline_days + 1) * 24
    sample_idx = end_idx[:, None] - offsets[None, :]
    samples = window_sum(sample_idx)

    found: list[Candidate] = []
    for row, end in enumerate(ends):
        count = round(float(current[row]))
        if count < thresholds.min_count:
            continue
        usable: list[float] = []
        same_kind: list[float] = []
        weekend = is_weekend(end - HOUR)
        for day in range(baseline_days):
            sample_start = end - (day + 1) * DAY - window_hours * HOUR
            if sample_start < history_start:
                break
            value = float(samples[row, day])
            usable.append(value)
            if is_weekend(end - (day + 1) * DAY - HOUR) == weekend:
                same_kind.append(value)
        if len(usable) < min_history_days:
            continue
        chosen = same_kind if len(same_kind) >= MIN_SAME_KIND_SAMPLES else usable
        baseline, spread = robust_baseline(chosen, thresholds.min_spread)
        if passes(count, baseline, spread, thresholds):
            found.append(
                Candidate(
                    topic=series.topic,
                    window_start=end - window_hours * HOUR,
                    window_end=end,
                    count=count,
                    baseline=baseline,
                    spread=spread,
                    samples=len(chosen),
                )
            )
    return found


def robust_baseline(samples: Sequence[float], min_spread: float) -> tuple[float, float]:
    """(centre, floored spread) of baseline samples.

    The centre is the interquartile mean: like the median it ignores the odd earlier
    spike (a quarter of the samples at either end), but on small integer counts it is
    far less coarse (the median of 0, 0, 1, 3, 3 is 0). The spread is the MAD x1.4826.
    """
    values = np.sort(np.asarray(samples, dtype=np.float64))
    cut = len(values) // 4
    centre = float(values[cut : len(values) - cut].mean())
    mad = float(np.median(np.abs(values - np.median(values)))) * MAD_SCALE
    return centre, max(mad, spread_floor(centre, min_spread))


def passes(count: float, baseline: float, spread: float, thresholds: AlertThresholds) -> bool:
    """The count tests (not sources): volume, ratio over baseline, and score."""
    return (
        count >= thresholds.min_count
        and count >= thresholds.min_ratio * baseline
        and score(count, baseline, spread) >= thresholds.threshold
    )


def confirm(candidate: Candidate, exact: WindowStats, thresholds: AlertThresholds) -> Spike | None:
    """The candidate re-tested on exact window counts, including distinct sources.

    Returns ``None`` when it does not hold up: that is a "no spike" answer, not a
    dropped item (nothing was ingested or lost).
    """
    if exact.sources < thresholds.min_sources:
        return None
    if not passes(exact.count, candidate.baseline, candidate.spread, thresholds):
        return None
    return Spike(
        topic=candidate.topic,
        window_start=candidate.window_start,
        window_end=candidate.window_end,
        count=exact.count,
        articles=exact.articles,
        sources=exact.sources,
        baseline=candidate.baseline,
        spread=candidate.spread,
        score=score(exact.count, candidate.baseline, candidate.spread),
    )


class Cooldown:
    """One spike per topic per cool-down: the first, in window order.

    ``earlier`` holds window ends of alerts already stored per topic; a window within
    ``cooldown_hours`` of any of them (before or after, since late articles can make
    an earlier window fire on a re-run) belongs to the same spike.
    """

    def __init__(
        self, cooldown_hours: int, earlier: Mapping[str, Sequence[datetime]] | None = None
    ) -> None:
        self.cooldown = cooldown_hours * HOUR
        self.ends: dict[str, list[datetime]] = {t: list(e) for t, e in (earlier or {}).items()}

    def blocks(self, topic: str, window_end: datetime) -> bool:
        return any(
            e == window_end or abs(window_end - e) < self.cooldown
            for e in self.ends.get(topic, ())
        )

    def add(self, topic: str, window_end: datetime) -> None:
        self.ends.setdefault(topic, []).append(window_end)


def apply_cooldown(
    spikes: Iterable[Spike],
    cooldown_hours: int,
    earlier: Mapping[str, Sequence[datetime]] | None = None,
) -> list[Spike]:
    """The spikes :class:`Cooldown` lets through, in window order."""
    gate = Cooldown(cooldown_hours, earlier)
    kept: list[Spike] = []
    for spike in sorted(spikes, key=lambda s: (s.window_end, s.topic)):
        if not gate.blocks(spike.topic, spike.window_end):
            gate.add(spike.topic, spike.window_end)
            kept.append(spike)
    return kept


def detect(
    series: Iterable[HourlySeries],
    ends: Sequence[datetime],
    *,
    window_hours: int,
    baseline_days: int,
    history_start: datetime,
    min_history_days: int,
    cooldown_hours: int,
    thresholds_for: Callable[[str], AlertThresholds],
    exact: Callable[[str, datetime, datetime], WindowStats],
    earlier: Mapping[str, Sequence[datetime]] | None = None,
) -> list[Spike]:
    """Every spike among ``ends`` over all topics, confirmed and cooled down.

    ``exact(topic, start, end)`` gives the exact counts of a candidate window. Candidates
    are taken in window order and those inside a cool-down are skipped before asking,
    so the warehouse answers only a handful of small queries even over a long replay.
    """
    found: list[Candidate] = []
    limits: dict[str, AlertThresholds] = {}
    for one in series:
        limits[one.topic] = thresholds_for(one.topic)
        found.extend(
            candidates(
                one,
                ends,
                window_hours=window_hours,
                baseline_days=baseline_days,
                history_start=history_start,
                min_history_days=min_history_days,
                thresholds=limits[one.topic],
            )
        )
    gate = Cooldown(cooldown_hours, earlier)
    spikes: list[Spike] = []
    for candidate in sorted(found, key=lambda c: (c.window_end, c.topic)):
        if gate.blocks(candidate.topic, candidate.window_end):
            continue
        stats = exact(candidate.topic, candidate.window_start, candidate.window_end)
        spike = confirm(candidate, stats, limits[candidate.topic])
        if spike is not None:
            gate.add(spike.topic, spike.window_end)
            spikes.append(spike)
    return spikes
