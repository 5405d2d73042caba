"""One entry point for extraction: a :class:`RawInput` in, an :class:`Extracted` out.

Dispatches on the input's kind, fills gaps from feed-entry hints, identifies the
language and applies the shared "is this an article?" checks, so every source (local
file or fetched page) is judged by the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from extractors.docx import word_pages
from extractors.encoding import decode_text
from extractors.headline import MAX_HEADLINE_CHARS
from extractors.html import extract_page
from extractors.language import detect_language
from extractors.packed import ArchivedPage, ArchiveProblem
from extractors.pdf import pdf_article
from extractors.plaintext import lead_sentence, parse_plain_text
from extractors.published import plausible
from extractors.quality import check_article_text
from extractors.rtf import rtf_pages
from newsmon.core.control_chars import without_controls
from newsmon.core.errors import RejectedInput
from newsmon.core.media_types import document_mark
from newsmon.core.outcomes import RejectReason
from newsmon.core.records import EntryHints, Extracted, RawInput

#: A Word document linked by a feed is read up to this much of its text's XML (a press
#: release's is well under a megabyte; more is a packed bomb, not an article).
MAX_DOCUMENT_XML = 50_000_000


def extract(raw: RawInput, *, min_words: int) -> Extracted:
    """Extract one input; raises :class:`RejectedInput` with a named reason."""
    if raw.kind == "html":
        raw = _document_as_text(raw)
    if raw.kind == "text":
        parsed = parse_plain_text(decode_text(raw.content).text,
                                  headline=raw.hints.title if raw.hints else None)
        extracted = Extracted(
            url=raw.url,
            text=parsed.text,
            title=parsed.title,
            author=parsed.author,
            source=parsed.source,
            published=parsed.published,
        )
    else:
        page = extract_page(raw.content, url=raw.url if raw.url.startswith("http") else None,
                            charset=raw.charset, wrapped=raw.kind == "entry")
        extracted = Extracted(
            url=raw.url,
            text=_with_continued(page.text, raw.continued),
            canonical_url=page.canonical_url,
            title=page.title,
            author=page.author,
            agencies=page.agencies,
            source=page.sitename,
            published=page.published,
            paywalled=page.paywalled,
        )
    check_article_text(extracted.text, min_words=min_words)
    return _with_hints(extracted, raw, detect_language(extracted.text))


def _with_continued(text: str, pages: tuple[bytes, ...]) -> str:
    """The first page's text, then each next page's paragraphs that it has not already
    (a split article repeats its lead or a pager line on every page); the article ends at
    a page with no text."""
    seen = {line.strip() for line in text.split("\n")}
    parts = [text]
    for content in pages:
        try:
            more = extract_page(content).text
        except RejectedInput:
            break
        lines = [line for line in more.split("\n") if line.strip() not in seen]
        seen.update(line.strip() for line in lines)
        if any(line.strip() for line in lines):
            parts.append("\n".join(lines).strip())
    return "\n".join(parts)


def _document_as_text(raw: RawInput) -> RawInput:
    """A feed's link to a press release or a report served as a PDF, a Word or OpenDocument
    text or an RTF file: its text, known by the address it was fetched from (a browser's printed
    footer names another); a page as it was."""
    content, mark = raw.content, document_mark(raw.content)
    if mark == "pdf":
        text = pdf_article(content).text
    elif mark == "docx" or mark == "odt":
        what = "an OpenDocument text" if mark == "odt" else "a Word document"
        text = _one_article(word_pages(content, raw.url, MAX_DOCUMENT_XML), what)
    elif mark == "rtf":
        text = _one_article(rtf_pages(content, raw.url), "an RTF file")
    else:
        return raw
    return replace(raw, content=text.encode("utf-8"), kind="text")


def _one_article(pages: Iterable[ArchivedPage | ArchiveProblem], what: str) -> str:
    """The text of a document's one article; a document that cannot be read, or a news
    database's export of many, is a named reject."""
    found = []
    for page in pages:
        if isinstance(page, ArchiveProblem):
            raise RejectedInput(page.reason, page.detail)
        found.append(page)
    if len(found) != 1:
        raise RejectedInput(RejectReason.NOT_ARTICLE,
                            f"{what} of {len(found)} articles (a news database's export): "
                            "save it and ingest the file")
    return decode_text(found[0].content).text


def _with_hints(extracted: Extracted, raw: RawInput, language: str | None) -> Extracted:
    """Fill what extraction left empty from the feed entry; keep the more precise date
    (neither when it is an empty date field's default). An article neither titles (a
    weblog's paragraph, a ticker's flash in a feed) is titled by its lead sentence, as a
    feed reader shows such an entry, not listed "(untitled)".

    An entry's text read on its own (``kind`` "entry") is its body alone: the title and
    day its feed or record states are the publisher's word, or an export's, and go before
    what extraction guesses from the body (a "Kicker: headline" cut, a heading inside the
    text, a date line's day). Its writers too when it is an archive's record (an export:
    "Christoph von Ritter", not "Risiken; Nebenwirkungen" read from the text); a feed's
    author is often the account that posted ("Google Testing Bloggers") where the text
    signs with the writer's name, so there the text's byline goes first. A page's own
    markup goes before any of it."""
    hints = raw.hints or EntryHints()
    stated = raw.kind == "entry"
    published = plausible(extracted.published)
    hinted = plausible(hints.published)
    if hinted and (hinted.more_precise_than(published)
                   or (stated and not (published and published.more_precise_than(hinted)))):
        published = hinted
    titles = (hints.title, extracted.title) if stated else (extracted.title, hints.title)
    title = next((t for t in map(_printable, titles) if t and len(t) <= MAX_HEADLINE_CHARS),
                 None)
    credits = (hints, extracted) if stated and hints.archived else (extracted, hints)
    text = without_controls(extracted.text)
    return Extracted(
        url=extracted.url,
        text=text,
        canonical_url=extracted.canonical_url,
        title=title or lead_sentence(text),
        author=_names(_printable(credits[0].author or credits[1].author)),
        agencies=_names(_printable(credits[0].agencies or credits[1].agencies)),
        source=_clipped(_printable(extracted.source or hints.source), MAX_SOURCE_CHARS),
        published=published,
        language=language or hints.language,
        paywalled=hints.paywalled if extracted.paywalled is None else extracted.paywalled,
    )


#: A title longer than a page's headline may be (an archive's title column holding the
#: whole text) is no title: the text's lead sentence titles the article instead. A list
#: of writers or a source name past these is a field gone wrong (a byline meta tag of
#: thousands of names): the first names that fit are kept, the source name cut.
MAX_NAMES_CHARS = 1000
MAX_SOURCE_CHARS = 200


def _printable(value: str | None) -> str | None:
    """A title or a name without control characters (a feed's "\\x1b[2J"), None when
    nothing is left."""
    return (without_controls(value).strip() or None) if value else None


def _names(value: str | None) -> str | None:
    """A "; "-separated list of names, its first names up to :data:`MAX_NAMES_CHARS`."""
    if value is None or len(value) <= MAX_NAMES_CHARS:
        return value
    kept: list[str] = []
    for name in value.split("; "):
        if len("; ".join([*kept, name])) > MAX_NAMES_CHARS:
            break
        kept.append(name)
    return "; ".join(kept) or _clipped(value, MAX_NAMES_CHARS)


def _clipped(value: str | None, limit: int) -> str | None:
    if value is None or len(value) <= limit:
        return value
    return value[: limit - 1].rstrip() + "…"
