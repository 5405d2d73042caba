"""OPML lists of feeds: what feed readers import and export (miniflux, NetNewsWire, Feedly,
Thunderbird).

An analyst's subscriptions usually live in a reader; its OPML export, given to ``newsmon
ingest`` or kept in a ``[sources]`` folder, makes them newsmon's feeds without copying
each into ``[[feeds]]``. Outlines with an ``xmlUrl`` are feeds; outlines holding
outlines are folders and only group them. The standard library's expat parses it: it
fetches no external entity, and libexpat (>= 2.4) refuses entity-expansion bombs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass

from newsmon.core.errors import RejectedInput
from newsmon.core.language_codes import primary_code
from newsmon.core.outcomes import RejectReason


@dataclass(frozen=True, slots=True)
class ListedFeed:
    """One feed an OPML list names: its address, and its title and language if given."""

    url: str
    title: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class FeedList:
    """The feeds of one list, each once in the list's order, and a line for each outline
    left out (an address that is not http(s))."""

    feeds: tuple[ListedFeed, ...]
    skipped: tuple[str, ...] = ()


def parse_opml(data: bytes) -> FeedList:
    """The feeds ``data`` lists; :class:`RejectedInput` when it is not OPML or lists none."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise RejectedInput(RejectReason.NOT_A_FEED, f"not an OPML list: {exc}") from None
    if _local(root.tag) != "opml":
        raise RejectedInput(RejectReason.NOT_A_FEED,
                            f"not an OPML list: its root element is <{_local(root.tag)}>")
    feeds: dict[str, ListedFeed] = {}
    skipped: list[str] = []
    for outline in root.iter():
        if _local(outline.tag) != "outline":
            continue
        attrs = {k.lower(): v.strip() for k, v in outline.attrib.items()}
        url = attrs.get("xmlurl")
        if not url:
            continue
        title = attrs.get("title") or attrs.get("text") or None
        if title == url:  # a reader's placeholder for an unnamed feed: not its name
            title = None
        if not url.lower().startswith(("http://", "https://")):
            skipped.append(f"{title or url}: {url} is not an http(s) feed address")
            continue
        feeds.setdefault(url, ListedFeed(url, title, primary_code(attrs.get("language"))))
    if not feeds:
        raise RejectedInput(
            RejectReason.NOT_A_FEED,
            "an OPML list that names no http(s) feed (no outline with an xmlUrl)"
            + (f": {'; '.join(skipped)}" if skipped else ""))
    return FeedList(tuple(feeds.values()), tuple(skipped))


def write_opml(feeds: Sequence[ListedFeed], title: str) -> bytes:
    """An OPML 2.0 list of ``feeds`` (UTF-8, with its XML declaration) that feed readers
    import, and :func:`parse_opml` reads back as the same feeds."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    body = ElementTree.SubElement(root, "body")
    for feed in feeds:
        # readers show ``text``; an unnamed feed shows its address (read back as unnamed)
        attrs = {"type": "rss", "text": feed.title or feed.url, "xmlUrl": feed.url}
        if feed.title:
            attrs["title"] = feed.title
        if feed.language:
            attrs["language"] = feed.language
        ElementTree.SubElement(body, "outline", attrs)
    ElementTree.indent(root)
    data: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _local(tag: str) -> str:
    """A tag without its namespace (``{uri}opml`` -> ``opml``)."""
    return tag.rpartition("}")[2].lower()


__all__ = ["FeedList", "ListedFeed", "parse_opml", "write_opml"]
