"""One entry point for extraction: a :class:`RawInput` in, an :class:`Extracted` out.

Dispatches on the input's kind, fills gaps from feed-entry hints, identifies the
language and applies the shared "is this an article?" checks, so every source (local
file or fetched page) is judged by the same rules.
"""

from __future__ import annotations

from extractors.encoding import decode_text
from extractors.html import extract_page
from extractors.language import detect_language
from extractors.plaintext import lead_sentence, parse_plain_text
from extractors.published import plausible
from extractors.quality import check_article_text
from newsmon.core.records import EntryHints, Extracted, RawInput


def extract(raw: RawInput, *, min_words: int) -> Extracted:
    """Extract one input; raises :class:`RejectedInput` with a named reason."""
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
            text=page.text,
            canonical_url=page.canonical_url,
            title=page.title,
            author=page.author,
            agencies=page.agencies,
            source=page.sitename,
            published=page.published,
        )
    check_article_text(extracted.text, min_words=min_words)
    return _with_hints(extracted, raw, detect_language(extracted.text))


def _with_hints(extracted: Extracted, raw: RawInput, language: str | None) -> Extracted:
    """Fill what extraction left empty from the feed entry; keep the more precise date
    (neither when it is an empty date field's default). An article neither titles (a
    weblog's paragraph, a ticker's flash in a feed) is titled by its lead sentence, as a
    feed reader shows such an entry, not listed "(untitled)".

    An entry's text read on its own (``kind`` "entry") is the record's body, and what the
    record states of it (title, writers, agencies, day) is its publisher's word, or an
    export's: it goes before what extraction guesses from the body (a "Kicker: headline"
    cut, a byline read in the text, a date line's day); a page's own markup goes first."""
    hints = raw.hints or EntryHints()
    stated = raw.kind == "entry"
    published = plausible(extracted.published)
    hinted = plausible(hints.published)
    if hinted and (hinted.more_precise_than(published)
                   or (stated and not (published and published.more_precise_than(hinted)))):
        published = hinted
    first, second = (hints, extracted) if stated else (extracted, hints)
    return Extracted(
        url=extracted.url,
        text=extracted.text,
        canonical_url=extracted.canonical_url,
        title=first.title or second.title or lead_sentence(extracted.text),
        author=first.author or second.author,
        agencies=first.agencies or second.agencies,
        source=extracted.source or hints.source,
        published=published,
        language=language or hints.language,
    )
