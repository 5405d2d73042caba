"""Markdown notes and web clippings (``.md``), read as the page they were saved from.

Analysts keep articles in note tools as Markdown: Obsidian's Web Clipper, MarkDownload,
Joplin and read-it-later exports save a page's text with what they know of it in a front
matter block (:mod:`extractors.front_matter`): its ``title``, its address (``source``,
``url``), ``author``, ``published`` day and when it was clipped (``created``). Reading
such a note as plain text would keep the Markdown's marks in the text (``**``, ``[..](..)``)
and lose the address the story is known by everywhere else, so two clippings of one story,
or a clipping and the feed's copy, would be two articles.

So the note becomes a page again: its Markdown rendered as HTML (markdown-it-py,
CommonMark with tables), its front matter written as the markup a publisher's page
carries (``<title>`` and ``og:title``, ``<link rel=canonical>``, JSON-LD ``author``,
``og:site_name``), and the page is read by the same rules as any other: the headline
voted on (a clipped ``<title>``'s " | Reuters" dropped), the byline's people and
agencies told apart, the file's path kept as the article's origin beside its address.
It is read as a feed entry's text is (:func:`extractors.files.read_file`): its date is the
one the note states, or a date line it opens with, never one guessed from its words or
its address (htmldate makes 2023-01-01 of a Guardian address's ``/2023/sep/13/``).
Front matter keys go by the names archives give the same fields
(:data:`extractors.archive_feed.FIELDS`); a ``source`` that is an address is the page's
address (Obsidian and MarkDownload name it so), any other the outlet.

What a clipper adds that is not the article is left out: MarkDownload's "Excerpt"
quotation (the page's description, above the text), Obsidian's ``[[wiki links]]`` read as
their words, embedded files (``![[photo.png]]``) dropped.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from extractors.archive_feed import FIELDS, record_date
from extractors.encoding import decode_text
from extractors.front_matter import Value, split_front_matter
from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision, EntryHints
from newsmon.core.urls import site_of

if TYPE_CHECKING:  # markdown-it is loaded when a note is read, not by every cycle
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
#: Front matter keys that say when the note was saved: when the article was read.
SAVED_KEYS = ("created", "clipped", "date_saved", "saved_at", "date_clipped",
              *FIELDS["seen"])
#: A key that names the page's address in note tools' front matter, beside the archives'.
ADDRESS_KEYS = (*FIELDS["url"], "source", "original_url", "origin_url")
_EMBED = re.compile(r"!\[\[[^\]\n]*\]\]")
_WIKI_LINK = re.compile(r"\[\[([^\]|\n]+)(?:\|([^\]\n]+))?\]\]")
_BY = re.compile(r"^(?:by|von)\s+", re.IGNORECASE)
_EXCERPT = "excerpt"
_TAG = re.compile(r"<[^>]*>")
_UTC_NOTE = re.compile(r"(\S+)\s*\(UTC\s*([+-]\d{2}:?\d{2})\)")


@dataclass(frozen=True, slots=True)
class MarkdownPage:
    """A note as the page it was saved from."""

    html: bytes  # UTF-8
    url: str | None  # the page's address the note states (http or https), if any
    source: str | None  # the outlet: the name the note states, else its address's host
    published: Dated | None  # the day or time the note says the article was published
    saved_at: datetime | None  # when the note was saved, naive UTC, when stated to the second

    @property
    def hints(self) -> EntryHints:
        """What the note states beside its page, as a feed entry's are given."""
        return EntryHints(source=self.source, published=self.published)


def markdown_page(content: bytes) -> MarkdownPage:
    """The page a Markdown note holds, its front matter as the page's markup."""
    text = decode_text(content).text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    note = split_front_matter(text)
    fields = note.fields
    url = _address(fields)
    heading, body = _rendered(note.body)
    if not _TAG.sub("", body).strip():
        raise RejectedInput(RejectReason.NO_CONTENT, "a Markdown note without text"
                            + (" (only its front matter and headline)" if fields or heading
                               else ""))
    title = _first_text(fields, FIELDS["title"]) or heading
    named = _outlet(fields)
    source = named or site_of(url)  # as a page's outlet is its host
    language = _first_text(fields, FIELDS["language"])
    authors = _authors(fields)
    published = record_date(_stamp(_first_text(fields, FIELDS["published"])))
    saved = record_date(_stamp(_first_text(fields, SAVED_KEYS)))
    head = ["<meta charset='utf-8'>"]
    if title:
        shown = html.escape(_words(title), quote=True)
        head.append(f"<title>{shown}</title><meta property='og:title' content=\"{shown}\">")
    if url:
        head.append(f"<link rel='canonical' href=\"{html.escape(url, quote=True)}\">")
    if named:
        head.append(f"<meta property='og:site_name' content=\"{html.escape(named, quote=True)}\">")
    if authors:
        item = json.dumps({"@context": "https://schema.org", "@type": "Article",
                           "author": [{"@type": "Person", "name": name} for name in authors]},
                          ensure_ascii=False).replace("</", "<\\/")
        head.append(f"<script type='application/ld+json'>{item}</script>")
    lang = f" lang=\"{html.escape(language, quote=True)}\"" if language else ""
    page = (f"<html{lang}><head>{''.join(head)}</head>"
            f"<body><article>{body}</article></body></html>")
    return MarkdownPage(
        html=page.encode("utf-8"),
        url=url,
        source=source,
        published=published,
        saved_at=saved.at if saved and saved.precision == DatePrecision.SECOND else None,
    )


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _rendered(body: str) -> tuple[str | None, str]:
    """The note's leading ``# heading`` (its headline, as a clipper writes the page's
    title) and the rest of its Markdown as HTML."""
    body = _WIKI_LINK.sub(lambda m: m[2] or m[1], _EMBED.sub("", body))
    markdown = _markdown()
    tokens = _without_excerpt(markdown.parse(body))
    heading = None
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        heading = _words("".join(c.content for c in tokens[1].children or ()
                                 if c.type in ("text", "code_inline"))) or None
        tokens = tokens[3:]
    return heading, str(markdown.renderer.render(tokens, markdown.options, {}))


def _without_excerpt(tokens: list[Token]) -> list[Token]:
    """The tokens without a quotation headed "Excerpt" (MarkDownload's page description)."""
    kept: list[Token] = []
    skip_to: int | None = None
    for i, token in enumerate(tokens):
        if skip_to is not None:
            if i == skip_to:
                skip_to = None
            continue
        if (token.type == "blockquote_open" and i + 2 < len(tokens)
                and tokens[i + 1].type == "heading_open"
                and tokens[i + 2].content.strip().lower() == _EXCERPT):
            skip_to = _closing(tokens, i)
            continue
        kept.append(token)
    return kept


def _closing(tokens: list[Token], start: int) -> int:
    """The index of the token closing the block ``tokens[start]`` opens."""
    depth = 0
    for i in range(start, len(tokens)):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    return len(tokens) - 1


def _stamp(value: str | None) -> str | None:
    """A time as MarkDownload writes one, ``2023-09-13T08:15:02 (UTC +02:00)``, in ISO 8601
    (``2023-09-13T08:15:02+02:00``); any other value as it is."""
    match = _UTC_NOTE.fullmatch(value) if value else None
    return f"{match[1]}{match[2]}" if match else value


def _first_text(fields: dict[str, Value], names: list[str] | tuple[str, ...]) -> str | None:
    for name in names:
        value = fields.get(name)
        if isinstance(value, list):
            value = next((v for v in value if v.strip()), None)
        if value and value.strip():
            return value.strip()
    return None


def _is_address(value: str | None) -> bool:
    return value is not None and value.lower().startswith(("http://", "https://"))


def _outlet(fields: dict[str, Value]) -> str | None:
    """The outlet the note names: by the archives' names, or a ``source`` that is no
    address."""
    named = _first_text(fields, [*(n for n in FIELDS["source"] if n != "source"), "site"])
    source = _first_text(fields, ["source"])
    return named or (source if source and not _is_address(source) else None)


def _address(fields: dict[str, Value]) -> str | None:
    for name in ADDRESS_KEYS:
        value = _first_text(fields, [name])
        if value and _is_address(value) and not any(c.isspace() for c in value):
            return value
    return None


def _authors(fields: dict[str, Value]) -> list[str]:
    """The writers the front matter names: a list, or one text ("Jane Roe, John Doe" is
    split by the byline reader as a page's is); Obsidian's ``[[Jane Roe]]`` as her name."""
    for name in FIELDS["author"]:
        value = fields.get(name)
        names = value if isinstance(value, list) else [value] if value else []
        found = [_BY.sub("", _words(_WIKI_LINK.sub(lambda m: m[2] or m[1], n))) for n in names]
        if found := [n for n in found if n]:
            return found
    return []


def _words(value: str) -> str:
    return " ".join(value.split())


__all__ = ["MARKDOWN_SUFFIXES", "MarkdownPage", "markdown_page"]
