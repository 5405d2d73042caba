"""Plain-text articles (``.txt``), as saved by hand or by simple scrapers.

News text saved as plain text keeps some of its metadata inline, and the seeds show
the common shapes:

* a leading `` date YYYY-MM `` marker (metadata, not text);
* a headline: a short first line that does not end like a sentence;
* a source attribution line near the top: "Von Euronews", "By Reuters", "Quelle: dpa";
* a closing dateline with author, place and full date: "(Jo Angerer aus Moskau, 12.9.2023)";
* a date line among the first lines, as clippings, PDFs and news databases print one
  under the headline ("September 13, 2023 Wednesday"), when nothing else dates the text.

The most precise date wins: a dateline's day beats the marker's month. When there is
no headline the lead sentence stands in as the title, so every article has one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, islice

from extractors.published import OPENING_LINES, opening_day
from extractors.quality import word_count
from newsmon.core.records import Dated, DatePrecision
from newsmon.core.scripts import UNSPACED

_MARKER = re.compile(r"^\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?\s+")
_SOURCE_LINE = re.compile(
    r"^(?:von|by|quelle|source|aus)\s*:?\s+(?P<source>[^\s.,:;!?][^.!?:;]{0,58})$", re.I
)
_DATELINE = re.compile(
    r"\((?P<who>[^()\d]{3,80}?),\s*(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})\)\s*$"
)
_AUTHOR_PLACE = re.compile(r"^(?P<author>.+?)\s+(?:aus|in|from|für|for)\s+(?P<place>.+)$")
#: Where a sentence may end: a Latin, Cyrillic or Greek mark before a space (a sentence
#: when what follows is not a lowercase word: "z. B. der" goes on), a Chinese or Japanese
#: full stop (no space follows it), a Devanagari danda or an Arabic or Urdu mark.
_SENTENCE_BREAK = re.compile(
    r"[.!?][\"“”»’')]?\s+(?=[\"„“«‘(]?(\w))"
    r"|[。！？｡][」』）\"”]?\s*"
    r"|[।॥؟۔][\"”]?\s+")
#: A period that ends an abbreviation, not a sentence: one letter ("z. B.", "U.S.", "J.
#: Smith"), a title before a name, or a German ordinal ("am 11. August").
_ABBREVIATION = re.compile(
    r"(?:(?<![^\W\d_])[^\W\d_]|\b(?:Dr|Mr|Mrs|Ms|Prof|St|Nr|No|bzw|ca|vs|Hr|Fr|Gen|Sen|Rep|Gov)"
    r"|(?<![\d.:])\d{1,2})\.$", re.I)
#: A line ending so is a sentence, not a headline (a headline may ask or exclaim).
_SENTENCE_ENDS = (".", ",", ";", ":", "。", "｡", "、", "，", "；", "：", "।", "॥", "۔")
_TITLE_MAX_WORDS = 16
_TITLE_MAX_CHARS = 160
#: Characters of scripts written without spaces a headline or a title cut from a lead
#: holds at most: Japanese and Chinese headlines run to about 50 (fundus: 21-66 with
#: the site's name), a lead sentence to over a hundred.
_TITLE_MAX_UNSPACED = 64
_UNSPACED_CHAR = re.compile(f"[{UNSPACED}]")


@dataclass(frozen=True, slots=True)
class ParsedText:
    text: str
    title: str | None
    source: str | None
    author: str | None
    published: Dated | None


def parse_plain_text(raw: str, headline: str | None = None) -> ParsedText:
    """Split a plain-text article into body text and the metadata it carries inline.

    ``headline``: the title known from elsewhere (a news database's export states it),
    taken when the text's first line is that title, however long it is."""
    body = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    published: Dated | None = None

    marker = _MARKER.match(body)
    if marker:
        year, month, day = int(marker[1]), int(marker[2]), marker[3]
        try:
            published = Dated(
                datetime(year, month, int(day) if day else 1),
                DatePrecision.DAY if day else DatePrecision.MONTH,
            )
        except ValueError:  # no such day (2023-13, 2023-02-30): a marker, but no date
            published = None
        body = body[marker.end() :]

    lines = body.strip().split("\n")
    title: str | None = None
    source: str | None = None
    if headline and lines and " ".join(lines[0].split()) == " ".join(headline.split()):
        title = headline
        lines = _drop_leading_blank(lines[1:])

    # Headline and source line can come in either order within the first lines.
    for _ in range(2):
        if not lines:
            break
        first = lines[0].strip()
        source_match = _SOURCE_LINE.match(first)
        if source is None and source_match and len(first.split()) <= 6:
            source = source_match["source"].strip()
            lines = _drop_leading_blank(lines[1:])
        elif title is None and _is_headline(first, lines[1:]):
            title = first
            lines = _drop_leading_blank(lines[1:])

    text = "\n".join(lines).strip()
    author: str | None = None
    dateline = _DATELINE.search(text)
    if dateline:
        who = dateline["who"].strip()
        place_match = _AUTHOR_PLACE.match(who)
        author = place_match["author"] if place_match else who
        try:
            stated = Dated(
                datetime(int(dateline["y"]), int(dateline["m"]), int(dateline["d"])),
                DatePrecision.DAY,
            )
        except ValueError:
            stated = None
        if stated and stated.more_precise_than(published):
            published = stated
        text = text[: dateline.start()].rstrip()
    if published is None:
        # a date line among the first lines, as clippings, PDFs and news database exports
        # print one under the headline ("September 13, 2023 Wednesday", "13. September 2023")
        opening = islice((line for line in chain((title or "",), lines) if line.strip()),
                         OPENING_LINES)
        day = opening_day("\n".join(opening))
        published = Dated(day, DatePrecision.DAY) if day else None

    # Collapse runs of blank lines so the stored text has one blank line between paragraphs.
    text = re.sub(r"\n\s*\n+", "\n\n", text)
    return ParsedText(
        text=text,
        title=title or lead_sentence(text),
        source=source,
        author=author,
        published=published,
    )


def _drop_leading_blank(lines: list[str]) -> list[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    return lines


def _is_headline(line: str, rest: list[str]) -> bool:
    """A short line, not ending like a sentence in its script, with more text after it."""
    words = line.split()
    return (
        0 < len(words) <= _TITLE_MAX_WORDS
        and len(line) <= _TITLE_MAX_CHARS
        and len(_UNSPACED_CHAR.findall(line)) <= _TITLE_MAX_UNSPACED
        and not line.endswith(_SENTENCE_ENDS)
        and any(r.strip() for r in rest)
    )


def lead_sentence(text: str) -> str | None:
    """The first real sentence (datelines like "Seoul." skipped), shortened for a title;
    in any script (a Japanese lead is counted by its characters, cut by them)."""
    for sentence in _sentences(text.strip().split("\n", 1)[0]):
        unspaced = _UNSPACED_CHAR.findall(sentence)
        if (word_count(sentence) if unspaced else len(sentence.split())) >= 4:
            if len(unspaced) > _TITLE_MAX_UNSPACED:  # at a space when one is near the end
                cut = sentence[:_TITLE_MAX_UNSPACED]
                spaced = cut.rsplit(" ", 1)[0]
                return (spaced if len(spaced) > len(cut) // 2 else cut).rstrip() + "…"
            if len(sentence) <= _TITLE_MAX_CHARS:
                return sentence
            cut = sentence[:_TITLE_MAX_CHARS].rsplit(" ", 1)[0]
            return cut + " …"
    return None


def _sentences(paragraph: str) -> Iterator[str]:
    """The sentences of ``paragraph``, each with its closing mark, as far as they are
    asked for (a text of one long line is not split whole for its first sentence)."""
    start = 0
    for end in _SENTENCE_BREAK.finditer(paragraph):
        mark = end.start()  # an abbreviation is read in the few characters before it
        if end[1] and (end[1].islower()
                       or _ABBREVIATION.search(paragraph, max(0, mark - 8), mark + 1)):
            continue
        if sentence := paragraph[start:end.end()].strip():
            yield sentence
        start = end.end()
    if rest := paragraph[start:].strip():
        yield rest
