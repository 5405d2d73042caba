"""Appends batches of outcomes to the warehouse, exactly once, and counts them.

The write transaction only writes: articles arrive extracted, identified, signed and
tagged from the workers. Inside it, ids already stored are skipped (the key makes a
rerun idempotent), each new article joins its near-duplicate cluster and its story,
rejects and run counts are added, and the source records its own state for the batch, so
a batch commits whole or not at all.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from newsmon.clustering import SCHEME, ClusterIndex
from newsmon.core.clock import utcnow
from newsmon.core.identity import article_id
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Article, Reject
from newsmon.core.urls import is_web_url
from newsmon.pipeline.source import Done, Source
from newsmon.pipeline.summary import RunSummary
from newsmon.stories import StoryIndex, story_time
from newsmon.tagging import content_of
from newsmon.tagging.persist import write_tags
from warehouse import Warehouse

log = logging.getLogger(__name__)


class Loader:
    def __init__(self, warehouse: Warehouse, summary: RunSummary, clusters: ClusterIndex,
                 stories: StoryIndex) -> None:
        self.warehouse = warehouse
        self.summary = summary
        self.clusters = clusters
        self.stories = stories

    def load(self, done: Sequence[Done], source: Source | None = None) -> None:
        outcomes = [outcome for _, outcome in done]
        articles = [o for o in outcomes if isinstance(o, Article)]
        same_as = {id(o): job.same_as for job, o in done
                   if isinstance(o, Article) and job.same_as is not None}
        rejects = [o for o in outcomes if isinstance(o, Reject)]
        for r in rejects:
            # fetch errors start with their URL: name it once
            log.warning("skipped %s (%s): %s", r.input, r.reason,
                        r.detail.removeprefix(f"{r.input}: "))
        now = utcnow()
        reasons: Counter[str] = Counter(str(r.reason) for r in rejects)
        own_ids = [_own_id(a) for a in articles if a.own_url is not None]
        with self.warehouse.writer() as tx:
            existing = tx.existing_article_ids([a.article_id for a in articles] + own_ids)
            fresh: dict[int, Article] = {}
            renamed: dict[int, Article] = {}  # id() of an outcome -> the article it became
            duplicates = 0
            # in event-time order, then by id and origin: the workers finish in any order,
            # and which article opens a cluster or story, or holds an address two pages
            # name, must not depend on that
            timed = sorted(((story_time(a.published_at, a.published_precision,
                                        min(a.seen_at, now) if a.seen_at else now), a)
                            for a in articles),
                           key=lambda pair: (pair[0], pair[1].article_id, pair[1].origin))
            failed: dict[int, Reject] = {}
            for (at, slack), a in timed:
                earlier = self._moved(a, same_as.get(id(a)))
                if earlier is not None:
                    duplicates += 1
                    renamed[id(a)] = earlier
                    continue
                if a.article_id in existing or a.article_id in fresh:
                    own = self._misnamed(a)
                    if own is None or own.article_id in existing or own.article_id in fresh:
                        duplicates += 1
                        continue
                    renamed[id(a)] = a = own
                try:
                    cluster_id = self.clusters.assign(a.article_id, a.minhash)
                    started = time.perf_counter()
                    story_id = self.stories.assign(a.article_id, cluster_id, at,
                                                   a.story_terms, slack)
                    self.summary.story_seconds += time.perf_counter() - started
                except Exception as exc:  # one article must not end this run and every rerun
                    failed[a.article_id] = _load_error(a, exc)
                    continue
                fresh[a.article_id] = replace(a, cluster_id=cluster_id, story_id=story_id)
            rejects += failed.values()
            reasons.update(str(r.reason) for r in failed.values())
            added = tx.insert_articles(list(fresh.values()), self.summary.run_id, now, SCHEME)
            tagged = [(a.article_id, a.tags) for a in fresh.values() if a.tags is not None]
            versions = {t.taxonomy_version for _, t in tagged}
            write_tags(tx, tagged, now, {v: content_of(v) for v in versions})
            tx.insert_rejects(rejects, self.summary.run_id, now)
            if duplicates:
                reasons[RejectReason.DUPLICATE] += duplicates
            tx.add_run_counts(
                self.summary.run_id,
                inputs=len(outcomes),
                added=added,
                duplicates=duplicates,
                rejected=len(rejects),
                reasons=dict(reasons),
            )
            if source is not None:  # an article that failed here is recorded as its reject
                stored = [(job, renamed.get(id(o), o)) for job, o in done]
                source.record(tx, [(job, failed.get(o.article_id, o) if isinstance(o, Article)
                                    else o) for job, o in stored], now)
        self.summary.inputs += len(outcomes)
        self.summary.added += added
        self.summary.duplicates += duplicates
        self.summary.rejected += len(rejects)
        self.summary.reasons.update(reasons)

    def _moved(self, article: Article, earlier: int | None) -> Article | None:
        """``article`` as the one stored before as ``earlier`` (the article its feed's entry
        was, at another address: a headline's change moved the story's slug) when its
        text is near that one's; None when it is another text (an id a feed used again
        for another story) or the earlier one is outside the index's window."""
        if earlier is None or earlier == article.article_id:
            return None
        similar = self.clusters.similarity(earlier, article.minhash)
        if similar is None or similar < self.clusters.threshold:
            return None
        log.info("%s: the story stored from an earlier address of this feed entry (its "
                 "address moved); not stored again", article.origin)
        return replace(article, article_id=earlier)

    def _misnamed(self, article: Article) -> Article | None:
        """The article under its own address when the canonical link it is known by names
        a known article of another text (a CMS that puts a section page there on every
        article would make them all one, every later one its "duplicate"); None when it
        is the same text (a copy, an edit) or the other is outside the index's window."""
        if article.own_url is None:
            return None
        similar = self.clusters.similarity(article.article_id, article.minhash)
        if similar is None or similar >= self.clusters.threshold:
            return None
        own = _own(article)
        log.info("%s names %s as its address, which holds another text: stored as %s",
                 article.origin, article.url, own.url)
        return own


def _own_id(article: Article) -> int:
    """The id of ``article`` by the address it was read at, not by its canonical link."""
    assert article.own_url is not None
    web = article.own_url if is_web_url(article.own_url) else None
    return article_id(web, article.content_hash)


def _own(article: Article) -> Article:
    """``article`` known by the address it was read at, not by its canonical link."""
    assert article.own_url is not None
    return replace(article, article_id=_own_id(article), url=article.own_url, own_url=None)


def _load_error(article: Article, exc: Exception) -> Reject:
    """A named reject for an article the writer could not group (a bug in newsmon, not in
    the input): the run goes on, and the traceback is in the debug log."""
    log.warning("skipped %s (%s): %s: %s", article.origin, RejectReason.LOAD_ERROR,
                type(exc).__name__, exc)
    log.debug("grouping %s failed", article.origin, exc_info=True)
    return Reject(article.origin, RejectReason.LOAD_ERROR, f"{type(exc).__name__}: {exc}")
