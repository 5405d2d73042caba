"""The per-input work, run in the extraction workers: read, extract, identify, tag.

Everything CPU-bound happens here, so the writer only writes: the text and metadata
(one parse of the page), the article's identity and near-duplicate signature, its
tags and the terms its story is chosen by. Never raises for a bad input: the outcome is
an :class:`Article` or a named :class:`Reject`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from extractors.article import extract
from extractors.files import read_file
from newsmon.clustering import signature
from newsmon.core.errors import RejectedInput
from newsmon.core.identity import article_id, content_hash
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Article, Outcome, RawInput, Reject
from newsmon.core.urls import canonical_url, is_front_page, is_web_url, wall_redirect
from newsmon.core.wording import clipped
from newsmon.pipeline.preparation import Preparation
from newsmon.stories import story_terms
from newsmon.tagging import Tagger

log = logging.getLogger(__name__)


def prepare(raw: RawInput, *, min_words: int, tagger: Tagger | None = None) -> Article:
    """Extract one raw input and give it its identity, signature and (with a tagger) tags."""
    extracted = extract(raw, min_words=min_words)
    # a canonical link to the front page names the site (a CMS default), not the article
    linked = extracted.canonical_url
    wall = wall_redirect(raw.url, linked) if linked and is_web_url(raw.url) else None
    if wall is not None:  # a wall served at the article's address: every article one page
        raise RejectedInput(RejectReason.WALLED, f"{raw.url}: the page names {linked} as "
                            f"itself, a consent, sign-in or subscription page ({wall})")
    candidates = [None if linked and is_front_page(linked) else linked, raw.url]
    web_url = next(
        (canonical_url(u) for u in candidates if u and is_web_url(u)),
        None,
    )
    text_hash = content_hash(extracted.text)
    own_url = canonical_url(raw.url) if is_web_url(raw.url) else raw.url
    if raw.kind == "entry" and web_url and raw.url.startswith(f"{web_url}#"):
        web_url = own_url = raw.url  # one post of a page (a live blog's): its anchor names it
    published = extracted.published
    tags = tagger.tag(extracted.text, extracted.language, extracted.title) if tagger else None
    return Article(
        article_id=article_id(web_url, text_hash),
        url=web_url or raw.url,
        text=extracted.text,
        content_hash=text_hash,
        minhash=signature(extracted.text),
        origin=raw.origin,
        feed_url=raw.feed_url,
        title=extracted.title,
        author=extracted.author,
        agencies=extracted.agencies,
        source=extracted.source,
        published_at=published.at if published else None,
        published_precision=published.precision if published else None,
        published_utc_offset=published.utc_offset_minutes if published else None,
        language=extracted.language,
        seen_at=raw.seen_at,
        paywalled=extracted.paywalled,
        tags=tags,
        story_terms=story_terms(extracted.text, extracted.title, tags),
        own_url=own_url if web_url and web_url != own_url else None,
    )


def process(work: Path | RawInput, how: Preparation) -> Outcome:
    """The outcome of one local file or fetched page."""
    origin = str(work) if isinstance(work, Path) else work.origin
    try:
        raw = read_file(work, max_bytes=how.max_bytes) if isinstance(work, Path) else work
        return prepare(raw, min_words=how.min_words, tagger=how.tagger)
    except RejectedInput as exc:
        return Reject(origin, exc.reason, _titled(work, exc.detail))
    except Exception as exc:  # a bug or a library failure on one input must not stop the run
        log.debug("extraction of %s failed", origin, exc_info=True)
        return Reject(origin, RejectReason.EXTRACTION_ERROR, f"{type(exc).__name__}: {exc}")


def _titled(work: Path | RawInput, detail: str) -> str:
    """``detail``, after the title of an entry that has no page of its own (a note of an
    Evernote export, a record of an archive without a link): its ``feed-entry:`` key ends
    in a hash of its text, which names it to no one."""
    if isinstance(work, RawInput) and work.url.startswith("feed-entry:") and work.hints:
        title = work.hints.title
        if title and title.strip():
            return f"{clipped(' '.join(title.split()), 80)!r}: {detail}"
    return detail


def process_path(
    path: Path, *, max_bytes: int, min_words: int, tagger: Tagger | None = None
) -> Outcome:
    """One local file, start to finish (tests and benchmarks)."""
    return process(path, Preparation(max_bytes, min_words, tagger))
