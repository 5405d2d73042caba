"""Articles of a news database's export, with the metadata its header states.

News databases print each article of an export under a header of their own and close it
with an index of their own: Nexis Uni's Word documents (the headline, the publication, the
date line, "Section:", "Length:", "Byline:", then "Body"; after the text "Classification",
"Subject: SANCTIONS (90%); ...", "Load-Date:"; each article closed by "End of Document"),
and LexisNexis Academic's text files ("1 of 25 DOCUMENTS", the publication and date line
centred, the headline, "BYLINE:", "LENGTH:", the text, "LOAD-DATE:", "LANGUAGE:"). Both
open with a cover page (the search, the list of documents). The Austria Presse Agentur's
media database (APA-OnlineManager, as RTF) opens each article with a line naming the
publication and the day ('"Kronen Zeitung" vom 23.10.2017 Seite: 28', '"Kurier.at"
gefunden am 28.12.2017 10:36 Uhr') and parts them with a rule of underscores.

Read as plain text, that header and index were the article: the publication was its
headline, the index's subject terms the evidence of its tags (the database's "SANCTIONS
(90%)", not a word the publication printed), the byline no author, and the first article
began with the cover page. Here the header becomes the article's metadata, the cover and
index are left out, and the text is the one the publication printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from extractors.byline import plain_byline
from extractors.packed import ArchivedPage, ArchiveProblem
from extractors.published import opening_day
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import Dated, DatePrecision, EntryHints

#: The line Nexis Uni closes each article of an export with.
END_OF_DOCUMENT = re.compile(r"^\s*End of Document\s*$", re.IGNORECASE)
#: The line where an article opens in a LexisNexis Academic text export.
_DOCUMENT_OPENS = re.compile(
    r"^\s*(?:\d+ of \d+ DOCUMENTS?|Dokument \d+ von \d+|Document \d+ de \d+)[ \t\r]*$",
    re.MULTILINE)
#: Where Nexis Uni's header ends and the text starts.
_BODY = frozenset({"Body", "Text"})
#: What Nexis Uni adds after the text: its index of the article, picture captions, the day
#: it loaded it.
_AFTER_BODY = frozenset({"Classification", "Graphic"})
_LOAD_DATE = re.compile(r"^Load-Date:", re.IGNORECASE)
#: A date line: a day, month and year first ("July 1, 2019 Monday 9:20 AM GMT",
#: "14. September 2023 Donnerstag", "Thursday, September 14, 2023").
_DATE_FIRST = re.compile(
    r"^(?:[^\W\d_]+,?\s+)?(?:\d{1,2}\.?\s+[^\W\d_]+\.?|[^\W\d_]+\.?\s+\d{1,2},?)\s+(?:19|20)\d{2}\b")
_TIME = re.compile(
    r"\b(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::\d{2})?\s*(?P<half>[AaPp]\.?[Mm]\.?)?"
    r"\s*(?P<zone>[A-Z]{1,5}\b|[+-]\d{2}:?\d{2})?")
#: The zones date lines name, in minutes east of UTC; a time in another is kept to its day.
_ZONES = {
    "GMT": 0, "UTC": 0, "UT": 0, "Z": 0, "WET": 0, "BST": 60, "CET": 60, "MEZ": 60,
    "WEST": 60, "CEST": 120, "MESZ": 120, "EET": 120, "EEST": 180, "MSK": 180, "EST": -300,
    "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "JST": 540, "KST": 540, "AEST": 600, "AEDT": 660, "HKT": 480, "SGT": 480,
}
#: Fields of the header ("Byline: Jane Doe", "LENGTH: 355 words"), as Nexis Uni writes
#: them and as LexisNexis Academic did in English, German, French and Dutch.
_FIELD = re.compile(r"^(?P<name>[^\W\d_][\w-]*(?: [\w-]+)?):\s*(?P<value>.*)$")
_AUTHOR_FIELDS = ("byline", "author", "autor", "auteur", "signature")
_TITLE_FIELDS = ("headline", "title", "titel", "titre", "kop", "überschrift")
_LENGTH_FIELDS = frozenset({"length", "länge", "longueur", "lengte"})
#: Where some headers end and the text starts ("BODY:", Dutch "TEKST:").
_BODY_FIELDS = frozenset({"body", "text", "tekst", "texte"})
#: A copyright notice, centred above the publication's name or under the text.
_COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\)\s)", re.IGNORECASE)
_RESERVED = re.compile(r"(?:rights reserved|rechte vorbehalten|droits réservés)$", re.IGNORECASE)
#: Where a database joined a headline and its deck.
_DECK = re.compile(r";[ \t]*\n|;(?=[^\W\d_])")
#: Fields of LexisNexis Academic's header, in the languages it wrote them in.
_HEADER_FIELDS = frozenset({
    *_AUTHOR_FIELDS, *_TITLE_FIELDS, *_LENGTH_FIELDS, *_BODY_FIELDS, "section",
    "rubrik", "rubrique", "dateline", "ortszeile", "highlight", "chapeau", "edition", "series",
    "show", "guests", "anchors"})
#: Fields LexisNexis Academic writes after the text: where the text ends.
_TRAILER_FIELDS = frozenset({
    "load-date", "language", "sprache", "langue", "publication-type", "pub-type", "graphic",
    "grafik", "correction-date", "document-type", "journal-code", "subject", "organization",
    "person", "geographic", "company", "industry", "ticker", "country", "city", "state",
    "notes", "url", "update", "distribution", "type"})
#: A reporter's place in a byline ("Daniel Boffey in Brussels"), and notes in brackets
#: ("Mattha Busby (now)").
_PLACE = re.compile(r"\s+in\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?(?=\s*(?:[,;&]|\s+and\s+|$))")
_BRACKETS = re.compile(r"\s*\([^()]*\)")
#: One name written surname first, as some databases index them ("PRUIM, FRED").
_SURNAME_FIRST = re.compile(r"^(?P<surname>[^\W\d_][\w'-]+),\s+(?P<given>[^\W\d_][\w'-]+)$")
#: The line that opens an article of an APA export: the publication in quotes, perhaps its
#: section, the day ("vom 23.10.2017", "gefunden am 28.12.2017 10:36 Uhr"), perhaps a page.
_APA_OPENS = re.compile(
    r'^"(?P<medium>[^"\n]{1,120})"(?: [^\n]{0,80}?)? (?:vom|gefunden am) '
    r"(?P<day>\d{2})\.(?P<month>\d{2})\.(?P<year>\d{4})"
    r"(?: (?P<hour>\d{2})[.:](?P<minute>\d{2}) Uhr)?(?:,? Seite:? *L?\d+)?[ \t]*$", re.MULTILINE)
_RULE = re.compile(r"^_{5,}$")
#: An edition or a rubric: one word, or a list of them ("Abend, Abend", "Bgld, Ktn, N.Ö.").
_APA_LABEL = re.compile(r"^[^\W\d_]+(?:\.[^\W\d_]*)*(?:, ?[^\W\d_]+(?:\.[^\W\d_]*)*)*$")
_APA_BYLINE = re.compile(r"^Von (?P<names>[^\d]{3,80})$")
#: What APA adds after an article: its attachments, its transcript notice.
_APA_TRAILER = re.compile(r"^(?:Gespeicherte[rn]? Anh(?:ang|änge):|Der gegenständliche Text "
                          r"ist eine Abschrift)")
#: What separates paragraphs: lines with nothing but spaces (a centred line keeps its own).
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


@dataclass(frozen=True, slots=True)
class ExportedArticle:
    """One article of an export: its text's paragraphs and what the header stated."""

    paragraphs: tuple[str, ...]
    title: str | None
    source: str | None  # the publication
    author: str | None  # people, "; "-separated; else the agency or desk credited
    published: Dated | None

    @property
    def text(self) -> str:
        """The article as a text file would hold it: the headline, then its paragraphs."""
        return "\n\n".join((self.title, *self.paragraphs) if self.title else self.paragraphs)

    @property
    def hints(self) -> EntryHints:
        return EntryHints(title=self.title, author=self.author, published=self.published,
                          source=self.source)


def nexis_uni_article(lines: Sequence[str]) -> ExportedArticle | None:
    """The article of one of a Nexis Uni export's documents (its paragraphs up to "End of
    Document"), or None when they are not laid out as one (no "Body" line under a header):
    a document that is not an export is read as it is."""
    body_at = next((i for i, line in enumerate(lines) if line.strip() in _BODY), None)
    if body_at is None:
        return None
    header = [line.strip() for line in lines[:body_at]]
    dated_at = next((i for i in range(len(header) - 1, -1, -1) if _is_date_line(header[i])),
                    None)
    title = source = None
    published = None
    if dated_at is not None:
        published = _dated(header[dated_at])
        # the headline, the publication, the date line: the cover page, if any, before them
        if dated_at >= 2:
            title, source = header[dated_at - 2], header[dated_at - 1]
        elif dated_at == 1:
            title = header[0]
    elif header and not _FIELD.match(header[0]):
        title = header[0]
    fields = _fields(header[(dated_at or 0) + 1:])
    title, deck = headline_and_deck(title or "")
    paragraphs = [deck] if deck else []
    for line in lines[body_at + 1:]:
        line = line.strip()
        if line in _AFTER_BODY or _LOAD_DATE.match(line):
            break
        if line:
            paragraphs.append(line)
    return ExportedArticle(tuple(paragraphs), title, source, _author(fields), published)


def document_pages(base: str, paragraphs: Sequence[str], title: str | None, what: str
                   ) -> Iterator[ArchivedPage | ArchiveProblem]:
    """The articles of a document's ``paragraphs`` (a Word document's, an RTF file's), known
    by its address ``base``: one, under the document's stated ``title`` unless its first
    paragraph is that title; or, in an export, one for each "End of Document" that closes
    an article, its header read as its metadata. ``what`` names the document in the
    problem of one without text."""
    articles: list[list[str]] = [[]]
    for line in paragraphs:
        if END_OF_DOCUMENT.match(line):
            articles.append([])
        else:
            articles[-1].append(line)
    exported = len(articles) > 1
    articles = [lines for lines in articles if lines]
    if not articles:
        yield ArchiveProblem(0, None, RejectReason.EMPTY, f"{what} without text", stops=True)
        return
    for number, lines in enumerate(articles, 1):
        article = nexis_uni_article(lines) if exported else None
        if article is None and len(articles) == 1 and title and _key(title) != _key(lines[0]):
            lines = [title, *lines]  # the document's own title heads its one article
        text = article.text if article else "\n\n".join(lines)
        # one article: the document itself; one of many: known by its place in it
        name = None if len(articles) == 1 else f"article {number}"
        url = base if len(articles) == 1 else article_url(base, number)
        yield ArchivedPage(url, number, text.encode("utf-8"), "utf-8", kind="text", name=name,
                           hints=article.hints if article else None)


def article_url(base: str, number: int) -> str:
    """The address of a file's ``number``-th article: the file's with its place ("#article-2";
    "/article-2" when the file is itself a zip's member, known by "zip#member")."""
    return f"{base}{'/' if '#' in base else '#'}article-{number}"


def exported_pages(base: str, articles: Iterable[ExportedArticle], what: str
                   ) -> Iterator[ArchivedPage | ArchiveProblem]:
    """An export's articles as pages, each known by its place in the file; one problem
    naming ``what`` when it holds none."""
    found = False
    for number, article in enumerate(articles, 1):
        found = True
        yield ArchivedPage(article_url(base, number), number, article.text.encode("utf-8"),
                           "utf-8", kind="text", name=f"article {number}", hints=article.hints)
    if not found:
        yield ArchiveProblem(0, None, RejectReason.EMPTY, f"{what} without an article in it",
                             stops=True)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def is_text_export(head: str) -> bool:
    """Whether a text's first part is a news database export's: LexisNexis Academic's (a
    line that opens its first article, "1 of 25 DOCUMENTS") or APA's (its first line one
    that opens an article)."""
    return bool(_DOCUMENT_OPENS.search(head)) or bool(_APA_OPENS.match(head.lstrip()))


def text_export_articles(text: str) -> Iterator[ExportedArticle]:
    """The articles of a news database's text export, in order; a cover page before the
    first is left out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _APA_OPENS.match(text.lstrip()):
        yield from _apa_articles(text)
        return
    opens = list(_DOCUMENT_OPENS.finditer(text))
    ends = [opening.start() for opening in opens[1:]] + [len(text)]
    for opening, end in zip(opens, ends, strict=False):  # no opening: no article
        yield _academic_article(text[opening.end():end])


def _academic_article(part: str) -> ExportedArticle:
    """One article of a LexisNexis Academic export: centred lines (the publication, the
    date line, the edition, the copyright), the headline, the header's fields up to
    "LENGTH:" or "BODY:", the text, then the database's fields. Paragraphs are separated by
    blank lines, their lines wrapped; some publications' headers put the headline in a
    field ("HEADLINE:", "KOP:") after "LENGTH:". Where nothing is indented (an export
    saved as RTF, its centring lost), the lines up to the date line are the centred ones."""
    blocks = [block.strip("\n") for block in _BLANK_LINES.split(part) if block.strip()]
    dated_at = next((i for i, block in enumerate(blocks)
                     if any(_is_date_line(line.strip()) for line in block.split("\n"))), -1)
    centred = (set(range(dated_at + 1))
               if dated_at >= 0 and not any(map(_is_centred, blocks[:dated_at + 1]))
               else {i for i, block in enumerate(blocks) if _is_centred(block)})
    source: str | None = None
    published: Dated | None = None
    headline: list[str] = []
    fields: dict[str, str] = {}
    paragraphs: list[str] = []
    state = "head"  # then "lead" (after "LENGTH:"), then "body"
    for at, block in enumerate(blocks):
        name = _field_name(block, in_header=state != "body")
        if name in _TRAILER_FIELDS:
            break
        if state == "head" and at in centred:  # "SHOW: ..." among them is no field
            for line in (line.strip() for line in block.split("\n")):
                if _COPYRIGHT.match(line) or _RESERVED.search(line):
                    continue
                if published is None and _is_date_line(line):
                    published = _dated(line)
                elif source is None and line and not _is_date_line(line):
                    source = line
        elif state != "body" and name in _BODY_FIELDS:
            state = "body"
        elif state != "body" and name:
            fields.setdefault(name, block.split(":", 1)[1].strip())
            state = "lead" if name in _LENGTH_FIELDS else state
        elif state == "head" and not fields:
            headline.append(block)
        else:
            state = "body"
            paragraphs.append(_unwrap(block))
    stated = next((fields[name] for name in _TITLE_FIELDS if fields.get(name)), None)
    title, deck = headline_and_deck(stated or (headline[0] if headline else ""))
    more = [_unwrap(block) for block in headline[1:]]
    return ExportedArticle(tuple(filter(None, (deck, *more, *paragraphs))), title, source,
                           _author(fields), published)


def _apa_articles(text: str) -> Iterator[ExportedArticle]:
    opens = list(_APA_OPENS.finditer(text))
    ends = [opening.start() for opening in opens[1:]] + [len(text)]
    for opening, end in zip(opens, ends, strict=True):
        lines = [line.strip() for line in text[opening.end():end].split("\n")]
        lines = [line for line in lines if line and not _RULE.match(line)]
        if lines and lines[0].startswith("Ressort:"):
            lines = lines[1:]
        stop = next((i for i, line in enumerate(lines) if _APA_TRAILER.match(line)), len(lines))
        lines = lines[:stop]
        for _ in range(2):  # the edition and a rubric above the headline ("Abend", "KOLUMNE")
            if len(lines) > 2 and _APA_LABEL.match(lines[0]):
                lines = lines[1:]
        title = lines[0] if lines else None
        author = None
        if len(lines) > 1 and (byline := _APA_BYLINE.match(lines[1])):
            author, lines = _author({"byline": byline["names"]}), [lines[0], *lines[2:]]
        yield ExportedArticle(tuple(lines[1:]), title, opening["medium"], author,
                              _apa_dated(opening))


def _apa_dated(opening: re.Match[str]) -> Dated | None:
    """The day an APA line states, to the minute ("10:36 Uhr", Vienna's time) when it says."""
    try:
        day = datetime(int(opening["year"]), int(opening["month"]), int(opening["day"]))
    except ValueError:
        return None
    if opening["hour"] is None:
        return Dated(day, DatePrecision.DAY)
    try:
        local = day.replace(hour=int(opening["hour"]), minute=int(opening["minute"]),
                            tzinfo=ZoneInfo("Europe/Vienna"))
    except (ValueError, ZoneInfoNotFoundError):
        return Dated(day, DatePrecision.DAY)
    offset = local.utcoffset() or timedelta()
    return Dated(local.astimezone(UTC).replace(tzinfo=None), DatePrecision.SECOND,
                 int(offset.total_seconds() // 60))


def headline_and_deck(value: str) -> tuple[str | None, str | None]:
    """A headline and the deck the database joined to it with a semicolon at a line's
    end ("Euro-Schuldenkrise belastet DZ Bank;\nMillionen-Wertberichtigung ..."), or
    with none after it as Nexis Uni does ("Kim meets Putin;Talks on arms")."""
    parts = _DECK.split(value, maxsplit=1)
    title = _unwrap(parts[0]) or None
    deck = _unwrap(parts[1]) if len(parts) > 1 else None
    return title, deck or None


def _is_centred(block: str) -> bool:
    """Whether a block is one of the centred lines above the headline (the publication,
    the date line, an edition, a notice): a line of it starts well indented."""
    return any(line.startswith(("  ", "\t")) for line in block.split("\n"))


def _field_name(block: str, *, in_header: bool = False) -> str | None:
    """The name of the field ``block`` holds ("byline"), when it is one: a name in capitals
    as LexisNexis Academic wrote them, in the header one of its header's, in the text one
    of those that end it; so a headline or a sentence that starts with a name in capitals
    ("LEADALL: ...", "MOSCOW: ...") is text."""
    found = _FIELD.match(block.strip().split("\n", 1)[0])
    if found is None or not found["name"].isupper():
        return None
    name = found["name"].lower()
    known = _TRAILER_FIELDS | (_HEADER_FIELDS if in_header else frozenset())
    return name if name in known else None


def _unwrap(block: str) -> str:
    return " ".join(block.split())


def _fields(lines: Sequence[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in lines:
        found = _FIELD.match(line)
        if found:
            fields.setdefault(found["name"].lower(), found["value"].strip())
    return fields


def day_line(line: str) -> Dated | None:
    """The time a line that starts with a date states ("19 November 2013", "July 1, 2019
    Monday 9:20 AM GMT"), or None when it does not start with one."""
    return _dated(line) if _is_date_line(line) else None


def _is_date_line(line: str) -> bool:
    return bool(_DATE_FIRST.match(line)) and opening_day(line) is not None


def _dated(line: str) -> Dated | None:
    """The time a date line states: to the minute when it names a zone ("July 1, 2019
    Monday 9:20 AM GMT"), else its day."""
    day, opening = opening_day(line), _DATE_FIRST.match(line)
    if day is None or opening is None:
        return None
    clock = _TIME.search(line, opening.end())
    zone = clock["zone"] if clock else None
    offset = (_ZONES.get(zone) if zone and zone.isalpha()
              else _numeric_offset(zone) if zone else None)
    if clock is None or offset is None:
        return Dated(day, DatePrecision.DAY)
    hour, minute = int(clock["hour"]), int(clock["minute"])
    half = (clock["half"] or "").lower()[:1]
    if half:
        if not 1 <= hour <= 12:
            return Dated(day, DatePrecision.DAY)
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        return Dated(day, DatePrecision.DAY)
    local = day.replace(hour=hour, minute=minute)
    return Dated(local - timedelta(minutes=offset), DatePrecision.SECOND, offset)


def _numeric_offset(zone: str) -> int | None:
    digits = zone[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:])
    return None if minutes > 14 * 60 else minutes if zone[0] == "+" else -minutes


def _author(fields: dict[str, str]) -> str | None:
    """The people a byline names ("Byline: Mattha Busby (now), Andrew Sparrow (earlier)"),
    written as names when the database wrote them in capitals; else the agency or desk."""
    value = next((fields[name] for name in _AUTHOR_FIELDS if fields.get(name)), None)
    if value is None:
        return None
    value = _unwrap(_PLACE.sub("", _BRACKETS.sub("", value)))
    if value.isupper():  # "PRUIM, FRED": one name, surname first
        value = _SURNAME_FIRST.sub(r"\g<given> \g<surname>", value)
    byline = plain_byline(value)
    names = [_as_name(name) for name in byline.people] or list(byline.agencies)
    return "; ".join(names) or byline.organisation


def _as_name(name: str) -> str:
    """"ANDREW SPARROW" -> "Andrew Sparrow"; a name written in mixed case as it is."""
    if not name.isupper():
        return name
    return re.sub(r"[^\W\d_]+", lambda word: word[0].capitalize(), name)


__all__ = ["END_OF_DOCUMENT", "ExportedArticle", "article_url", "day_line", "document_pages",
           "exported_pages", "headline_and_deck",
           "is_text_export", "nexis_uni_article", "text_export_articles"]
