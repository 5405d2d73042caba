"""A synthetic news history with known spikes, for tests, ``bench/spikes.py`` and the docs.

Real corpora do not say where their spikes are, so detection is measured on a history
whose truth is known: articles from a dozen sources for several topics, with a daily
rhythm (busy mornings, quiet nights) and a weekly one (thin weekends), ordinary
syndication (some stories copied by a few sites), injected spikes (many distinct
stories from many sources), a syndicated burst (one wire text copied by a dozen sites
within the hour, which must *not* fire) and a quiet topic that must stay quiet.
Everything is drawn from a seeded generator, so a history is the same on every run.
It is written through :class:`warehouse.Warehouse` like any other load.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from warehouse import Columns, Warehouse

HOUR = timedelta(hours=1)

#: Share of a topic's peak rate by hour of day (UTC): mornings busy, nights quiet.
DAILY_PROFILE = (
    0.15, 0.1, 0.1, 0.1, 0.15, 0.3, 0.6, 1.0, 1.4, 1.6, 1.6, 1.5,
    1.4, 1.3, 1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.6, 0.45, 0.3, 0.2,
)
WEEKEND_FACTOR = 0.55
SOURCES = tuple(
    f"{name}.example"
    for name in ("herald", "courier", "tribune", "gazette", "observer", "chronicle", "post",
                 "times", "ledger", "monitor", "express", "sentinel", "dispatch", "wire")
)


@dataclass(frozen=True, slots=True)
class InjectedSpike:
    """Extra distinct stories per hour for ``hours`` hours from ``start``."""

    topic: str
    start: datetime
    hours: int
    per_hour: int


@dataclass(frozen=True, slots=True)
class SyndicatedBurst:
    """One story copied by ``copies`` sources within an hour of ``start``."""

    topic: str
    start: datetime
    copies: int


@dataclass
class History:
    """The generated history and its truth."""

    start: datetime
    end: datetime
    rates: dict[str, float]
    spikes: list[InjectedSpike]
    bursts: list[SyndicatedBurst]
    articles: list[dict[str, object]] = field(default_factory=list)
    topics: list[dict[str, object]] = field(default_factory=list)

    def write(self, warehouse: Warehouse) -> None:
        """Append the history to ``warehouse`` in one transaction, like a pipeline load."""
        with warehouse.writer() as tx:
            tx.insert_rows("articles", _columns(self.articles, _ARTICLE_TYPES), or_ignore=True)
            tx.insert_rows("article_topics", _columns(self.topics, _TOPIC_TYPES), or_ignore=True)


_ARTICLE_TYPES = {
    "article_id": "BIGINT", "url": "VARCHAR", "source": "VARCHAR", "title": "VARCHAR",
    "published_at": "TIMESTAMP", "published_precision": "VARCHAR", "language": "VARCHAR",
    "text": "VARCHAR", "content_hash": "VARCHAR", "cluster_id": "BIGINT",
    "ingested_at": "TIMESTAMP", "run_id": "VARCHAR",
}
_TOPIC_TYPES = {
    "article_id": "BIGINT", "topic": "VARCHAR", "score": "DOUBLE", "evidence": "VARCHAR",
    "taxonomy_version": "VARCHAR", "tagged_at": "TIMESTAMP",
}


def _columns(rows: list[dict[str, object]], types: dict[str, str]) -> Columns:
    return {name: (kind, [row.get(name) for row in rows]) for name, kind in types.items()}


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method; rates here are small."""
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _evidence(topic: str) -> str:
    """Evidence as the tagger stores it: the matched terms with their offsets."""
    return json.dumps(
        [{"term": topic, "text": topic.capitalize(), "start": 0, "end": len(topic), "weight": 1.0}]
    )


class _Builder:
    def __init__(self, history: History, rng: random.Random) -> None:
        self.h = history
        self.rng = rng
        self.next_id = 1

    def story(self, topic: str, at: datetime, sources: list[str], label: str) -> None:
        """One story (cluster) published by each of ``sources`` within the hour after ``at``."""
        cluster = self.next_id
        second = self.rng.choice([t for t, r in self.h.rates.items() if t != topic and r >= 0.5])
        also = self.rng.random() < 0.15
        for n, source in enumerate(sources):
            aid = self.next_id
            self.next_id += 1
            when = at + timedelta(seconds=self.rng.randrange(0, 3600 if n == 0 else 1800))
            when = min(when, at + timedelta(seconds=3599))
            precise = self.rng.random() > 0.03
            title = f"{topic.capitalize()} {label} story {cluster} ({source})"
            self.h.articles.append({
                "article_id": aid,
                "url": f"https://{source}/{topic}/{aid}",
                "source": source,
                "title": title,
                # 3% have no publication time: they are bucketed by ingestion time
                "published_at": when if precise else None,
                "published_precision": "second" if precise else None,
                "language": "en",
                "text": title,
                "content_hash": hashlib.sha256(f"{cluster}".encode()).hexdigest(),
                "cluster_id": cluster,
                "ingested_at": when + timedelta(minutes=self.rng.randrange(1, 20))
                if precise else when,
                "run_id": "synthetic",
            })
            self.h.topics.append({
                "article_id": aid, "topic": topic, "score": round(self.rng.uniform(0.5, 1), 3),
                "evidence": _evidence(topic), "taxonomy_version": "synthetic",
                "tagged_at": self.h.articles[-1]["ingested_at"],
            })
            if also:
                self.h.topics.append({
                    "article_id": aid, "topic": second, "score": 0.3,
                    "evidence": _evidence(second), "taxonomy_version": "synthetic",
                    "tagged_at": self.h.articles[-1]["ingested_at"],
                })


def generate(
    end: datetime,
    *,
    days: int = 35,
    seed: int = 7,
    rates: dict[str, float] | None = None,
    spikes: list[InjectedSpike] | None = None,
    bursts: list[SyndicatedBurst] | None = None,
) -> History:
    """A history of ``days`` days ending at ``end`` (an hour boundary, UTC)."""
    rng = random.Random(seed)
    rates = rates or {
        "politics": 3.0, "economy": 2.0, "sports": 2.0, "technology": 1.5,
        "health": 1.0, "climate": 0.8, "astronomy": 0.05,  # astronomy: the quiet topic
    }
    start = end - timedelta(days=days)
    if spikes is None:
        spikes = [
            InjectedSpike("politics", end - timedelta(days=9, hours=-9), 3, 20),
            InjectedSpike("climate", end - timedelta(days=6, hours=-14), 3, 15),
            InjectedSpike("health", end - timedelta(days=4, hours=-20), 2, 15),
            InjectedSpike("technology", end - timedelta(days=2, hours=-10), 3, 18),
        ]
    if bursts is None:
        bursts = [
            SyndicatedBurst("economy", end - timedelta(days=5, hours=-10), 12),
            SyndicatedBurst("sports", end - timedelta(days=3, hours=-15), 10),
        ]
    history = History(start=start, end=end, rates=rates, spikes=spikes, bursts=bursts)
    build = _Builder(history, rng)
    hour = start
    while hour < end:
        factor = DAILY_PROFILE[hour.hour] * (WEEKEND_FACTOR if hour.weekday() >= 5 else 1.0)
        for topic, rate in rates.items():
            for _ in range(_poisson(rng, rate * factor)):
                # most stories run once; some are copied by a couple of sites
                copies = 1 if rng.random() < 0.8 else rng.randint(2, 3)
                build.story(topic, hour, rng.sample(SOURCES, copies), "daily")
        for spike in spikes:
            if spike.start <= hour < spike.start + spike.hours * HOUR:
                for _ in range(spike.per_hour):
                    build.story(spike.topic, hour, [rng.choice(SOURCES)], "breaking")
        for burst in bursts:
            if burst.start == hour:
                build.story(burst.topic, hour, rng.sample(SOURCES, burst.copies), "wire")
        hour += HOUR
    return history


@dataclass(frozen=True, slots=True)
class DetectionScore:
    """How detection did against a history's truth."""

    injected: int
    detected: int  # injected spikes with an alert overlapping them
    on_time: int  # ... whose first alert came at the first hourly cycle after it began
    false_alarms: int  # alerts overlapping no injected spike (bursts included)
    burst_alarms: int  # alerts overlapping a syndicated burst

    @property
    def recall(self) -> float:
        return self.detected / self.injected if self.injected else 1.0


def score_detection(
    history: History, found: list[tuple[str, datetime, datetime]]
) -> DetectionScore:
    """Compare alerts, as (topic, window_start, window_end), with the injected truth."""

    def overlaps(a0: datetime, a1: datetime, b0: datetime, b1: datetime) -> bool:
        return a0 < b1 and b0 < a1

    detected = on_time = false_alarms = burst_alarms = 0
    for spike in history.spikes:
        s_end = spike.start + spike.hours * HOUR
        hits = [
            f for f in found
            if f[0] == spike.topic and overlaps(f[1], f[2], spike.start, s_end)
        ]
        if hits:
            detected += 1
            if min(h[2] for h in hits) <= spike.start + HOUR:
                on_time += 1
    for topic, w0, w1 in found:
        real = any(
            topic == s.topic and overlaps(w0, w1, s.start, s.start + s.hours * HOUR)
            for s in history.spikes
        )
        if not real:
            false_alarms += 1
            if any(topic == b.topic and w0 <= b.start < w1 for b in history.bursts):
                burst_alarms += 1
    return DetectionScore(len(history.spikes), detected, on_time, false_alarms, burst_alarms)
