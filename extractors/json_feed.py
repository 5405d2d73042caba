"""JSON Feed (jsonfeed.org, versions 1 and 1.1: micro.blog, many static-site generators),
which feedparser 6 does not read, read with the standard library into newsmon's feed
records."""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import urljoin

from extractors.feed_records import (
    FeedEntry,
    FeedParseResult,
    clean_text,
    iso_date,
    language_of,
    without_entries,
)
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason

#: What a JSON Feed's ``version`` starts with (https://www.jsonfeed.org/version/1.1/).
JSON_FEED_VERSION = "https://jsonfeed.org/version/"


def parse_json_feed(content: bytes, url: str) -> FeedParseResult:
    """The feed in ``content``, its relative item links resolved against ``url``;
    :class:`RejectedInput` when it is not a JSON Feed or has no usable item."""
    try:
        doc = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise RejectedInput(RejectReason.NOT_A_FEED, f"not a JSON Feed: {exc}") from None
    version = doc.get("version") if isinstance(doc, dict) else None
    if not (isinstance(version, str) and version.startswith(JSON_FEED_VERSION)):
        raise RejectedInput(RejectReason.NOT_A_FEED,
                            f"JSON, but not a JSON Feed (no {JSON_FEED_VERSION} version)")
    items = doc.get("items")
    raw_items = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    entries = tuple(e for e in (_entry(i, url) for i in raw_items) if e)
    name = "json" + version.removeprefix(JSON_FEED_VERSION).replace(".", "")
    if not entries:
        raise without_entries(name, len(raw_items))
    skipped = len(items) - len(raw_items) if isinstance(items, list) else 0
    return FeedParseResult(
        title=clean_text(doc.get("title")),
        language=language_of(doc.get("language")),
        format=name,
        encoding="utf-8",
        entries=entries,
        problem=f"{skipped} items that are not JSON objects left out" if skipped else None,
    )


def _entry(item: dict[str, Any], base: str) -> FeedEntry | None:
    """One item; ``url`` is the item's page, ``external_url`` the page it is about (a link
    blog's), taken when there is no ``url``."""
    link = clean_text(item.get("url")) or clean_text(item.get("external_url"))
    raw_id = item.get("id")
    entry_id = clean_text(str(raw_id)) if isinstance(raw_id, str | int) else None
    content = item.get("content_html")
    if not (isinstance(content, str) and content.strip()):
        text = item.get("content_text")
        content = "".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n\n")
                          if p.strip()) if isinstance(text, str) else ""
    title, summary = clean_text(item.get("title")), clean_text(item.get("summary"))
    if not (link or content or summary or title or entry_id):
        return None
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    names = [clean_text(a.get("name")) for a in authors if isinstance(a, dict)] \
        if isinstance(authors, list) else []
    return FeedEntry(
        entry_id=entry_id,
        link=urljoin(base, link) if link else None,
        title=title,
        author="; ".join(n for n in names if n) or None,
        published=iso_date(item.get("date_published")) or iso_date(item.get("date_modified")),
        summary=summary,
        content_html=content or None,
    )


__all__ = ["JSON_FEED_VERSION", "parse_json_feed"]
