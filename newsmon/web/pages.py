"""What each page shows, as plain records: the HTML templates and ``/api/...`` share them.

Every function takes a :class:`warehouse.Warehouse` that the caller holds open for the
request (:meth:`warehouse.Warehouse.holding`), so a page's dozen questions see one
snapshot and open the file once.

"Now" is the wall clock, unless the newest article is older than the charts reach (a
warehouse of last year's seeds): then pages are drawn as of that article and say so,
rather than showing seven empty days.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

from newsmon.analysis import alerts as alerting
from newsmon.analysis import trends
from newsmon.analysis.search import SearchResult, matching_ids, search_articles
from newsmon.analysis.selection import NO_SOURCE, SHOWN_SOURCE, Selection, language_code
from newsmon.analysis.spikes import DAY, HOUR, ceil_hour, robust_baseline
from newsmon.analysis.stories import StoryArticle, StorySummary, story_articles, top_stories
from newsmon.analysis.tags import article_tags
from newsmon.core.clock import check_span, parse_when, utcnow
from newsmon.core.config import Config, split_watch_key
from newsmon.core.errors import InputError
from newsmon.core.records import Evidence
from newsmon.tagging import Tagger, tagger_for_config
from newsmon.web.highlight import Run, evidence_spans, runs
from warehouse import Warehouse
from warehouse.feed_state import FeedOverview, feed_overview

#: The charts on the Now page span this many days, hour by hour.
CHART_DAYS = 7
#: Hours per bar of those charts.
BAR_HOURS = 3
#: Spikes whose window ended this recently are "open" on the Now page.
OPEN_SPIKE_HOURS = 48
TOP_STORIES_NOW = 10
#: Tracked entities shown per search result and on a story's page (the most mentioned or
#: the most carried first; the rest counted, and all of them in the page's JSON).
RESULT_ENTITIES = 5
STORY_ENTITIES = 12


@dataclass(frozen=True)
class Site:
    """What every request shares, resolved once when the server starts."""

    config: Config
    topics: dict[str, str]  # taxonomy topic id -> its display name
    entities: dict[str, str]  # tracked entity id -> its display name
    search_path: Path
    clock: Callable[[], datetime] = utcnow
    #: The current taxonomy, to show on an article what its scorer held back.
    tagger: Tagger | None = None


@dataclass(frozen=True, slots=True)
class AsOf:
    at: datetime
    note: str | None  # why "now" is not the wall clock


def as_of(warehouse: Warehouse, site: Site) -> AsOf:
    """The time the pages treat as now (see the module docstring)."""
    anchor = trends.anchor(warehouse, site.clock())
    if anchor.newest is None:
        return AsOf(anchor.at, "No article is stored yet (newsmon run or newsmon ingest "
                               "stores them).")
    if not anchor.archive:
        return AsOf(anchor.at, None)
    return AsOf(anchor.at, f"The newest article is from {anchor.newest:%Y-%m-%d %H:%M} UTC: "
                           f"times are shown up to {anchor.at:%Y-%m-%d %H:%M} UTC, not today.")


# -- filters ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filters:
    """The analyst's filters as the query string carries them (``?topic=a&topic=b``)."""

    topics: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    since: str = ""
    until: str = ""

    def selection(self, anchor: datetime, default_since: str = "") -> Selection:
        """The :class:`Selection` these filters mean; a time that does not parse, or a
        since not before until, is an :class:`InputError` naming the parameter."""
        since = self.since or default_since
        start = parse_when(since, anchor, "since") if since else None
        end = parse_when(self.until, anchor, "until") if self.until else None
        if self.since:  # the page's own default window is no mistake of the reader's
            check_span(start, end, ("since", "until"))
        return Selection(
            topics=self.topics, entities=self.entities, sources=self.sources,
            languages=tuple(language_code(code, "lang") for code in self.languages),
            since=start, until=end,
        )

    @property
    def window(self) -> str:
        """Just the time range, as a query string: what a story's topic and entity links
        keep while they replace the other filters."""
        return urlencode([(k, v) for k, v in (("since", self.since), ("until", self.until))
                          if v])

    def query_items(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs, for links that keep them."""
        items = [(k, v) for k, vs in (("topic", self.topics), ("entity", self.entities),
                                      ("source", self.sources), ("lang", self.languages))
                 for v in vs]
        items += [(k, v) for k, v in (("since", self.since), ("until", self.until)) if v]
        return items


# -- Now -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenSpike:
    key: str
    window_start: datetime
    window_end: datetime
    count: int
    baseline: float
    score: float
    status: str
    top_articles: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class WatchRow:
    """One watched topic, entity or saved search on the Now page."""

    key: str  # as in alerts.topic: a topic id, entity:NAME or search:NAME
    kind: str
    name: str
    label: str
    query: str | None  # a saved search's query
    first_hour: datetime  # the hour of stories[0]
    stories: list[int]  # stories per hour over the chart's days, oldest first
    last_24h: int
    baseline: float | None  # typical stories per 24 h before; None without history
    level: float | None  # last_24h / baseline
    spikes: list[OpenSpike]
    #: When the newest story carrying it happened, asked only for a chart with none
    #: (a topic or entity; None for a saved search, or when no article carries it)
    last_seen: datetime | None = None

    @property
    def days(self) -> list[tuple[datetime, int]]:
        """The chart as daily totals: the table behind it."""
        totals: dict[datetime, int] = defaultdict(int)
        for k, n in enumerate(self.stories):
            totals[(self.first_hour + k * HOUR).replace(hour=0)] += n
        return sorted(totals.items())

    @property
    def bars(self) -> list[tuple[str, int]]:
        """The chart's bars: (label, stories) per BAR_HOURS. A bar an hour is two pixels
        wide on a card; a spike window (3 hours by default) is one bar."""
        return [(f"{self.first_hour + k * HOUR:%a %d %H}:00",
                 sum(self.stories[k:k + BAR_HOURS]))
                for k in range(0, len(self.stories), BAR_HOURS)]

    @property
    def spike_bars(self) -> list[tuple[int, int]]:
        """Each open spike as a range of chart bars (partly covered bars included)."""
        out = []
        for s in self.spikes:
            start = int((s.window_start - self.first_hour) / HOUR)
            end = int((s.window_end - self.first_hour) / HOUR)
            out.append((start // BAR_HOURS, -(-end // BAR_HOURS)))
        return out


@dataclass(frozen=True, slots=True)
class NowPage:
    as_of: AsOf
    watches: list[WatchRow]
    stories: list[StorySummary]


def now_page(warehouse: Warehouse, site: Site) -> NowPage:
    """Every watched item with its last 7 days, level against baseline and open spikes;
    the top stories of the last 24 hours."""
    anchor = as_of(warehouse, site)
    cfg = site.config.alerts
    end = ceil_hour(anchor.at)
    start = end - cfg.baseline_days * DAY - DAY
    watches = [alerting.Watch("topic", t) for t in site.topics] + alerting.watched(cfg)
    got = _at_once(warehouse, {
        "history": lambda wh: trends.history_start(wh, needed=start),
        "tagged": lambda wh: _tagged_series(wh, watches, start, end),
        "searches": lambda wh: _search_series(wh, site, watches, start, end),
        "alerts": lambda wh: trends.stored_alerts(wh, since=end - OPEN_SPIKE_HOURS * HOUR),
        "stories": lambda wh: top_stories(wh, Selection(since=anchor.at - DAY, until=end),
                                          TOP_STORIES_NOW),
    })
    history: datetime | None = got["history"]
    series: dict[str, Sequence[int]] = {**got["tagged"], **got["searches"]}
    spikes: dict[str, list[OpenSpike]] = defaultdict(list)
    for a in got["alerts"]:
        spikes[a.topic].append(OpenSpike(a.topic, a.window_start, a.window_end, a.count,
                                         a.baseline, a.score, a.status, a.top_articles))
    hours = int((end - start) / HOUR)
    days_known = 0 if history is None else min(cfg.baseline_days,
                                               int((end - DAY - history) / DAY))
    rows = []
    for watch in watches:
        counts = list(series.get(watch.key, ())) or [0] * hours
        last = sum(counts[-24:])
        samples = [sum(counts[-24 * (k + 1):-24 * k]) for k in range(1, days_known + 1)]
        baseline = robust_baseline(samples, cfg.min_spread)[0] if samples else None
        rows.append(WatchRow(
            key=watch.key, kind=watch.kind, name=watch.name,
            label=_label(site, watch.kind, watch.name), query=watch.query,
            first_hour=end - CHART_DAYS * DAY,
            stories=counts[-CHART_DAYS * 24:], last_24h=last, baseline=baseline,
            level=(last / baseline) if baseline else None,
            spikes=sorted(spikes.get(watch.key, []), key=lambda s: s.window_end, reverse=True),
        ))
    rows = _with_last_seen(warehouse, rows)
    rows.sort(key=lambda r: (not r.spikes, -(r.level or 0), -r.last_24h, r.key))
    return NowPage(anchor, rows, got["stories"])


def _with_last_seen(warehouse: Warehouse, rows: list[WatchRow]) -> list[WatchRow]:
    """``rows`` with when each topic or entity whose chart is empty was last seen: in an
    archive, or for a quiet topic, an empty week alone does not say whether it ever came up."""
    quiet: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.kind in ("topic", "entity") and not any(row.stories):
            quiet[row.kind].append(row.name)
    if not quiet:
        return rows
    seen = {kind: trends.latest_tagged(warehouse, cast("trends.Kind", kind), names)
            for kind, names in quiet.items()}
    return [replace(r, last_seen=seen[r.kind].get(r.name)) if r.kind in seen else r
            for r in rows]


def _at_once(warehouse: Warehouse, parts: dict[str, Callable[[Warehouse], Any]]
             ) -> dict[str, Any]:
    """Each part's answer, asked at once through sibling cursors: the Now page's
    questions are independent, and one after another they left a core idle."""
    def ask(part: Callable[[Warehouse], Any]) -> Any:
        with warehouse.sibling() as wh:
            return part(wh)

    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        futures = {name: pool.submit(ask, part) for name, part in parts.items()}
        return {name: f.result() for name, f in futures.items()}


def _tagged_series(warehouse: Warehouse, watches: Sequence[alerting.Watch], start: datetime,
                   end: datetime) -> dict[str, Sequence[int]]:
    """Hourly stories of the watched topics and entities, by watch key."""
    topics = [w.name for w in watches if w.kind == "topic"]
    series: dict[str, Sequence[int]] = {
        s.topic: s.stories for s in trends.hourly_series(warehouse, start, end, topics)}
    entities = [w.name for w in watches if w.kind == "entity"]
    if entities:  # one query for all of them
        series.update((f"entity:{s.topic}", s.stories) for s in trends.hourly_series(
            warehouse, start, end, entities, kind="entity"))
    return series


def _search_series(warehouse: Warehouse, site: Site, watches: Sequence[alerting.Watch],
                   start: datetime, end: datetime) -> dict[str, Sequence[int]]:
    """Hourly stories of each saved search, by watch key."""
    series: dict[str, Sequence[int]] = {}
    for watch in watches:
        if watch.kind != "search" or not watch.query:
            continue
        try:
            ids = matching_ids(warehouse, site.search_path, watch.query, since=start,
                               catch_up=False)
        except InputError:  # the configuration check names it; the chart stays empty
            ids = []
        found = trends.hourly_series(warehouse, start, end, [watch.key], kind="search",
                                     ids=ids)
        series[watch.key] = found[0].stories if found else []
    return series


def _label(site: Site, kind: str, name: str) -> str:
    if kind == "topic":
        return site.topics.get(name, name)
    if kind == "entity":
        return site.entities.get(name, name)
    return f"search: {name}"


# -- Stories -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoriesPage:
    as_of: AsOf
    filters: Filters
    stories: list[StorySummary]


def check_filter_names(warehouse: Warehouse, site: Site, filters: Filters) -> None:
    """A topic or entity in the query string that nothing knows is a 400 naming it, as
    the CLI's ``--topic`` is an error: not an empty page that reads as "no stories"."""
    trends.check_names(warehouse, "topic", filters.topics, site.topics, "topic")
    trends.check_names(warehouse, "entity", filters.entities, site.entities, "entity")


def stories_page(warehouse: Warehouse, site: Site, filters: Filters,
                 limit: int = 50) -> StoriesPage:
    """The top stories the filters select; the last 24 hours unless ``since`` says else."""
    anchor = as_of(warehouse, site)
    check_filter_names(warehouse, site, filters)
    selection = filters.selection(anchor.at, default_since="24h")
    return StoriesPage(anchor, filters, top_stories(warehouse, selection, limit))


@dataclass(frozen=True, slots=True)
class StoryPage:
    story_id: int
    headline: str | None
    articles: list[StoryArticle]
    by_source: list[tuple[str, list[StoryArticle]]]  # sources in order of first report
    headline_language: str | None = None
    #: (id, label, articles of the story carrying it), the most carried first
    topics: list[tuple[str, str, int]] = field(default_factory=list)
    entities: list[tuple[str, str, int]] = field(default_factory=list)
    #: the story's days and a few around them, as ``since``/``until`` query pairs: its
    #: topics and entities link to the other stories of that time about them
    around: str = ""
    shown_entities: int = STORY_ENTITIES


def story_page(warehouse: Warehouse, site: Site, story_id: int) -> StoryPage | None:
    """One story's articles by source and time, and what they are about; None when no
    story has this id."""
    members = story_articles(warehouse, story_id)
    if not members:
        return None
    grouped: dict[str, list[StoryArticle]] = {}
    for m in members:
        grouped.setdefault(m.source, []).append(m)
    head = next((m for m in members if m.title), None)
    tags = article_tags(warehouse, [m.article_id for m in members]).values()
    topics = Counter(t for tagged in tags for t in tagged.topics)
    entities = Counter(e for tagged in tags for e in tagged.entities)
    return StoryPage(
        story_id, head.title if head else None, members, list(grouped.items()),
        head.language if head else None,
        topics=[(t, site.topics.get(t, t), n) for t, n in _most_first(topics)],
        entities=[(e, site.entities.get(e, e), n) for e, n in _most_first(entities)],
        around=_days_around(members[0].event_at, members[-1].event_at))


def _most_first(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# -- Search ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: str
    filters: Filters
    results: list[SearchResult]
    #: each result's week (article id -> ``since``/``until`` query pairs): its topics and
    #: entities link to that week's stories about them
    weeks: dict[int, str] = field(default_factory=dict)
    #: topic and entity ids -> the names shown
    names: dict[str, str] = field(default_factory=dict)
    shown_entities: int = RESULT_ENTITIES


def search_page(warehouse: Warehouse, site: Site, query: str, filters: Filters,
                limit: int = 50) -> SearchPage:
    """The CLI's search (same filters, same ranking) over the index as the last cycle left
    it; an empty query asks nothing."""
    if not query.strip():
        return SearchPage(query, filters, [])
    anchor = as_of(warehouse, site)
    check_filter_names(warehouse, site, filters)
    found = search_articles(warehouse, site.search_path, query, filters.selection(anchor.at),
                            limit, catch_up=False)
    return SearchPage(query, filters, found,
                      {r.article_id: _week_around(r.event_at) for r in found},
                      {**site.entities, **site.topics})


# -- Article -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TopicTag:
    topic: str
    label: str
    score: float | None
    evidence: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class HeldBackTopic:
    """A topic the current taxonomy's rules find in the article and a model declined:
    the scorer (``probability`` under ``limit``, its cutoff) or the word model (under its
    ``drop``)."""

    topic: str
    label: str
    probability: float
    evidence: tuple[Evidence, ...]
    by: str = "scorer"
    limit: float = 0.0


@dataclass(frozen=True, slots=True)
class Related:
    article_id: int
    title: str | None
    source: str | None
    event_at: datetime | None


@dataclass(frozen=True, slots=True)
class ArticlePage:
    article_id: int
    url: str
    title: str | None
    source: str | None
    author: str | None
    agencies: str | None
    published_at: datetime | None
    published_precision: str | None
    published_utc_offset: int | None
    event_at: datetime | None
    language: str | None
    ingested_at: datetime | None
    feed_url: str | None
    text: str
    topics: list[TopicTag]
    origin: str | None  # the file or link it was read from, when not its address
    seen_at: datetime | None  # when it was fetched, when long before it was read
    #: the publisher marks it not free to read, or its page ended at the site's wall: the
    #: text may be the teaser a reader without a subscription sees (None: nothing says)
    paywalled: bool | None
    entities: list[tuple[str, str, int, str]]  # id, label, mentions, the words matched
    title_runs: list[Run]
    text_runs: list[Run]
    story_id: int | None
    story_headline: str | None
    story_size: int
    story_headline_language: str | None = None
    copies: list[Related] = field(default_factory=list)  # its near-duplicate cluster
    #: ``cutoff`` is the current scorer's (None: no scorer, so nothing is held back).
    held_back: list[HeldBackTopic] = field(default_factory=list)
    cutoff: float | None = None
    #: the week around the article, as ``since``/``until`` query pairs: its topics and
    #: entities link to the stories of that week that share them
    around: str = ""


def article_page(warehouse: Warehouse, site: Site, article_id: int) -> ArticlePage | None:
    """One article with its tags' evidence cut into highlighted runs; None when unknown."""
    rows = warehouse.query(
        "SELECT a.url, a.title, a.source, a.author, a.agencies, a.published_at, "
        "a.published_precision, a.published_utc_offset, x.event_at, a.language, "
        "a.ingested_at, a.feed_url, a.text, a.story_id, a.cluster_id, a.origin, a.seen_at, "
        "a.paywalled "
        "FROM articles a LEFT JOIN article_times x USING (article_id) WHERE a.article_id = ?",
        [article_id]).rows
    if not rows:
        return None
    (url, title, source, author, agencies, published_at, precision, offset, event_at,
     language, ingested_at, feed_url, text, story_id, cluster_id, origin, seen_at,
     paywalled) = rows[0]
    tags = [
        TopicTag(str(t), site.topics.get(str(t), str(t)),
                 None if score is None else float(score),
                 json.loads(ev) if isinstance(ev, str) else list(ev or []))
        for t, score, ev in warehouse.query(
            "SELECT topic, score, evidence FROM article_topics WHERE article_id = ? "
            "ORDER BY score DESC NULLS LAST, topic", [article_id]).rows
    ]
    mentions = {str(e): (int(n or 0), _json_list(ev)) for e, n, ev in warehouse.query(
        "SELECT entity, mentions, evidence FROM article_entities "
        "WHERE article_id = ? ORDER BY mentions DESC, entity", [article_id]).rows}
    entities = [(e, site.entities.get(e, e), n, _matched(ev))
                for e, (n, ev) in mentions.items()]
    evidence = {t.topic: t.evidence for t in tags}
    named = {e: ev for e, (_, ev) in mentions.items()}
    tagger = site.tagger
    held = [] if tagger is None else [
        HeldBackTopic(h.topic, site.topics.get(h.topic, h.topic), h.probability, h.evidence,
                      h.by, _limit(tagger, h.by))
        for h in tagger.held_back(text or "", language, title) if h.topic not in evidence]
    story = warehouse.query(
        "SELECT count(*), arg_min(a.title, (x.event_at, a.article_id)), "
        "arg_min(a.language, (x.event_at, a.article_id)) "
        "FROM articles a JOIN article_times x USING (article_id) WHERE a.story_id = ?",
        [story_id]).rows if story_id is not None else [(0, None, None)]
    copies = [Related(int(r[0]), r[1], r[2], r[3]) for r in warehouse.query(
        "SELECT a.article_id, a.title, a.source, x.event_at FROM articles a "
        "JOIN article_times x USING (article_id) WHERE a.cluster_id = ? AND a.article_id <> ? "
        "ORDER BY x.event_at, a.article_id LIMIT 100", [cluster_id, article_id]).rows]
    return ArticlePage(
        article_id=article_id, url=url, title=title, source=source, author=author,
        agencies=agencies, published_at=published_at, published_precision=precision,
        published_utc_offset=offset, event_at=event_at, language=language,
        ingested_at=ingested_at, feed_url=feed_url, text=text or "", topics=tags,
        origin=origin if origin and origin != url else None, seen_at=seen_at,
        paywalled=paywalled, entities=entities,
        title_runs=_runs(title or "", "title", evidence, named),
        text_runs=_runs(text or "", "text", evidence, named),
        story_id=story_id, story_size=int(story[0][0]), story_headline=story[0][1],
        story_headline_language=story[0][2],
        copies=copies, held_back=held,
        cutoff=tagger.scorer.cutoff if tagger is not None and tagger.scorer else None,
        around=_week_around(event_at),
    )


# -- Alerts ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlertRow:
    key: str
    kind: str
    name: str
    alert: trends.StoredAlert


@dataclass(frozen=True, slots=True)
class AlertsPage:
    alerts: list[AlertRow]  # newest window first
    digests: list[dict[str, Any]]


def alerts_page(warehouse: Warehouse, limit: int = 200) -> AlertsPage:
    """Stored alerts, newest first, with delivery status and the stories behind each."""
    stored = trends.stored_alerts(warehouse)[::-1][:limit]
    rows = []
    for a in stored:
        kind, name = split_watch_key(a.topic)
        rows.append(AlertRow(a.topic, kind, name, a))
    digests = [
        dict(zip(("period_start", "period_end", "spikes", "status", "attempts",
                  "delivered_to", "last_error"), r, strict=True))
        for r in warehouse.query(
            "SELECT period_start, period_end, spikes, status, attempts, delivered_to, "
            "last_error FROM alert_digests ORDER BY period_start DESC LIMIT 50").rows
    ]
    return AlertsPage(rows, digests)


# -- Sources -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourcesPage:
    feeds: list[FeedOverview]
    rejects_by_reason: list[tuple[str, int, int]]  # reason, last 7 days, all time
    recent_rejects: list[tuple[datetime, str, str, str | None]]  # when, input, reason, detail
    # outlet, articles, latest ingested, and the day its stories' link starts: 30 days
    # before its latest article happened (an archive read today happened years ago)
    sources: list[tuple[str, int, datetime | None, str]]


def sources_page(warehouse: Warehouse, site: Site) -> SourcesPage:
    """Feed health, rejects by reason, and the outlets the warehouse holds."""
    now = site.clock()
    week = now - CHART_DAYS * DAY
    feeds = feed_overview(warehouse, now)
    reasons = [(str(r), int(recent), int(total)) for r, recent, total in warehouse.query(
        "SELECT reason, count(*) FILTER (WHERE rejected_at >= ?), count(*) FROM rejects "
        "GROUP BY 1 ORDER BY 3 DESC, 1", [week]).rows]
    recent = [(r[0], str(r[1]), str(r[2]), r[3]) for r in warehouse.query(
        "SELECT rejected_at, input, reason, detail FROM rejects "
        "ORDER BY rejected_at DESC, input LIMIT 50").rows]
    outlets = [(str(r[0]), int(r[1]), r[2], str(r[3])) for r in warehouse.query(
        f"SELECT {SHOWN_SOURCE}, count(*), max(a.ingested_at), "
        "strftime(max(x.event_at) - INTERVAL 30 DAY, '%Y-%m-%d') "
        "FROM articles a JOIN article_times x USING (article_id) "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100", [NO_SOURCE]).rows]
    return SourcesPage(feeds, reasons, recent, outlets)


def build_site(config: Config, search_path: Path) -> Site:
    """What every request shares: the configuration and the names of its taxonomy."""
    tagger = tagger_for_config(config)
    taxonomy = tagger.taxonomy
    return Site(
        config=config,
        topics={t.id: t.name for t in taxonomy.topics.topics},
        entities={e.id: e.name for e in taxonomy.entities.entities},
        search_path=search_path,
        tagger=tagger,
    )


def _runs(value: str, field: str, topics: dict[str, list[Any]],
          entities: dict[str, list[Any]]) -> list[Run]:
    """``value`` cut at the words its topics' and its entities' evidence holds."""
    return runs(value, [*evidence_spans(topics, field, len(value)),
                        *evidence_spans(entities, field, len(value), entity=True)])


def _week_around(at: datetime | None) -> str:
    """``since=DAY&until=DAY`` from three days before ``at`` to four after ("" without)."""
    return "" if at is None else _days_around(at, at)


def _days_around(first: datetime, last: datetime) -> str:
    """``since=DAY&until=DAY`` from three days before ``first`` to four after ``last``."""
    return urlencode({"since": f"{(first - 3 * DAY):%Y-%m-%d}",
                      "until": f"{(last + 4 * DAY):%Y-%m-%d}"})


def _json_list(value: str | None) -> list[Any]:
    """A stored JSON list ([] for NULL: a tag stored before entity tags kept evidence)."""
    found = json.loads(value) if value else []
    return found if isinstance(found, list) else []


def _matched(evidence: list[Any]) -> str:
    """The distinct words an entity's aliases matched, in the order first found ("" when
    none are stored)."""
    words = (item.get("text", "") for item in evidence if isinstance(item, dict))
    return ", ".join(dict.fromkeys(w for w in words if w))


def _limit(tagger: Tagger, by: str) -> float:
    """The probability a held-back topic stayed under: the scorer's cutoff, or the word
    model's ``drop``."""
    if by == "words" and tagger.words is not None:
        return tagger.words.drop
    return tagger.scorer.cutoff if tagger.scorer is not None else 0.0
