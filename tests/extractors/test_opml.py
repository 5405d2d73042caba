"""OPML lists of feeds as feed readers export them."""

from __future__ import annotations

import pytest

from extractors.opml import ListedFeed, parse_opml, write_opml
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason

#: the shape miniflux and NetNewsWire export: folders of feeds, attributes in any case
EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Subscriptions</title></head>
  <body>
    <outline text="World">
      <outline type="rss" text="Wire Service" title="Wire Service World"
               xmlUrl="https://wire.example/world.rss" htmlUrl="https://wire.example/"
               language="en-US"/>
      <outline type="rss" text="Tagesblatt" xmlurl="https://tagesblatt.example/feed"
               language="German"/>
    </outline>
    <outline text="Korea">
      <outline type="rss" text="Wire again" xmlUrl="https://wire.example/world.rss"/>
      <outline type="rss" text="Gopher news" xmlUrl="gopher://old.example/news"/>
    </outline>
    <outline text="a note without a feed"/>
  </body>
</opml>"""


def test_every_feed_of_the_folders_once_in_the_list_order() -> None:
    found = parse_opml(EXPORT)
    assert found.feeds == (
        ListedFeed("https://wire.example/world.rss", "Wire Service World", "en"),
        ListedFeed("https://tagesblatt.example/feed", "Tagesblatt", "de"),  # "German"
    )
    assert found.skipped == (
        "Gopher news: gopher://old.example/news is not an http(s) feed address",)


@pytest.mark.parametrize(("data", "reason", "detail"), [
    (b"<opml><body><outline text='x'/></body></opml>", RejectReason.NOT_A_FEED,
     "an OPML list that names no http(s) feed (no outline with an xmlUrl)"),
    (b"<opml><body><outline text='f' xmlUrl='ftp://x/y'/></body></opml>",
     RejectReason.NOT_A_FEED, "an OPML list that names no http(s) feed (no outline with an "
     "xmlUrl): f: ftp://x/y is not an http(s) feed address"),
    (b"<rss version='2.0'><channel/></rss>", RejectReason.NOT_A_FEED,
     "not an OPML list: its root element is <rss>"),
    (b"<opml><body><outline xmlUrl='https://a.example/'>", RejectReason.NOT_A_FEED,
     "not an OPML list: no element found: line 1, column 49"),
])
def test_what_is_not_a_list_of_feeds_says_why(data: bytes, reason: RejectReason,
                                              detail: str) -> None:
    with pytest.raises(RejectedInput) as caught:
        parse_opml(data)
    assert (caught.value.reason, caught.value.detail) == (reason, detail)


def test_an_entity_expansion_bomb_is_refused_not_expanded() -> None:
    lol = b"<!ENTITY a0 'lollollollollollollollollollol'>" + b"".join(
        b"<!ENTITY a%d '%s'>" % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10))
    bomb = (b"<?xml version='1.0'?><!DOCTYPE opml [" + lol + b"]>"
            b"<opml><body><outline text='&a9;' xmlUrl='https://a.example/'/></body></opml>")
    with pytest.raises(RejectedInput) as caught:
        parse_opml(bomb)
    assert caught.value.reason == RejectReason.NOT_A_FEED
    assert caught.value.detail.startswith(
        "not an OPML list: limit on input amplification factor (from DTD and entities) "
        "breached")


def test_a_written_list_reads_back_as_the_same_feeds() -> None:
    feeds = (ListedFeed("https://a.example/feed?x=1&y=2", "A & B <news>", "de"),
             ListedFeed("https://b.example/rss"))  # unnamed: shown by its address
    data = write_opml(feeds, "newsmon feeds")
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<opml version=\"2.0\">")
    assert b'<outline type="rss" text="https://b.example/rss" xmlUrl="https://b.example/rss" />' \
        in data
    assert parse_opml(data).feeds == feeds
