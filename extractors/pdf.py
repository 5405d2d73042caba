"""Articles saved as PDF (a browser's "Save as PDF" or "Print", a press release, a
clipping service's file), read with pypdf.

A PDF has no paragraphs, only lines placed on pages: the text of its pages is joined back
into paragraphs (a line that ends a sentence well short of the page's measure ends one;
a word hyphenated at a line's end is joined), typographic ligatures are undone, and the
lines a printed page repeats (a running header or footer, a page number) are dropped.
A browser prints the page's title and time in a header and its address and page count
in a footer: the address is the article's own, as a saved page's is, and the headline is
found among the first lines by the title the file states, so the site's menu printed above
it is left out. A PDF without a text layer (a scan) is a named reject: newsmon does not
read images.
"""

from __future__ import annotations

import io
import re
from collections import Counter, deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newsmon.core.errors import RejectedInput
from newsmon.core.outcomes import RejectReason

PDF_SUFFIXES = frozenset({".pdf"})
#: Pages read at most: an article is a few; a 500-page report is not one.
MAX_PDF_PAGES = 200
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"})
#: A browser's footer: the page's address, then "page/pages".
_FOOTER = re.compile(r"^(?P<url>(?:https?|file)://\S+)\s+\d+\s*/\s*\d+$", re.IGNORECASE)
#: A browser's header: the date and time it printed ("12/6/26, 6:24 AM", "06.12.26, 06:24").
_HEADER = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?\b", re.I)
_SENTENCE_END = re.compile(r"[.!?:…。！？][\"'”»“)]*$")
_TITLE_PARTS = re.compile(r"\s+[|–—·-]\s+")
#: Lines at a page's top and foot that may be a running header or footer.
_EDGE_LINES = 3
#: A line this much shorter than the page's longest ends its paragraph, if it ends a sentence.
_SHORT_LINE = 0.8
#: A line this short, starting a paragraph and followed by a capital, stands alone.
_LONE_LINE = 0.6


@dataclass(frozen=True, slots=True)
class PdfArticle:
    """The text of a PDF and what the file says about it."""

    text: str  # headline, a blank line, then paragraphs parted by blank lines
    url: str | None  # the web address a browser printed in its footer
    created: datetime | None  # when the file was made (saved or printed), naive UTC


def pdf_article(content: bytes) -> PdfArticle:
    """The article a PDF holds; :class:`RejectedInput` naming why there is none (damaged,
    encrypted, no text layer)."""
    from pypdf import PdfReader  # imported when a PDF comes: most runs never meet one
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise RejectedInput(RejectReason.UNREADABLE, "an encrypted PDF (a password opens it)")
        pages = [_page_lines(page) for page in reader.pages[:MAX_PDF_PAGES]]
        info = reader.metadata
    except RejectedInput:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, NotImplementedError) as exc:
        raise RejectedInput(RejectReason.UNREADABLE,
                            f"a PDF newsmon cannot read ({type(exc).__name__}: {exc})") from None
    url = next((m["url"] for lines in pages for line in lines[-2:]
                if (m := _FOOTER.match(line))), None)
    lines = [line for page in _without_running_lines(pages) for line in page]
    if not any(line.strip() for line in lines):
        raise RejectedInput(RejectReason.NO_CONTENT,
                            "a PDF without text (a scan? newsmon does not read images)")
    title = _text_of(info.title if info else None)
    text = _paragraphs(_from_headline(lines, title))
    return PdfArticle(text, url if url and url.lower().startswith("http") else None,
                      _created(info))


def _page_lines(page: Any) -> list[str]:
    """The page's lines, top to bottom, an empty one where its layout leaves a gap (between
    paragraphs).

    pypdf's plain text has the words right but no gaps, in the order they were drawn; its
    layout text has the gaps and the order on the page, but may part a word with spaces
    ("Getr    eide"). Each laid-out line is given its plain words when both give the same
    lines (told apart from spaces); else the plain lines, without gaps."""
    try:
        plain = [" ".join(line.split()) for line in (page.extract_text() or "").splitlines()]
        laid_out = (page.extract_text(extraction_mode="layout") or "").splitlines()
    except Exception:  # one damaged page must not cost the others (pypdf raises anything)
        return []
    plain = [line.translate(_LIGATURES) for line in plain if line]
    words: dict[str, deque[str]] = {}
    for line in plain:
        words.setdefault(_bare(line), deque()).append(line)
    if sorted(_bare(line) for line in laid_out if line.strip()) != sorted(map(_bare, plain)):
        return plain
    lines: list[str] = []
    for line in laid_out:  # in the order they stand on the page, top to bottom
        if line.strip():
            lines.append(words[_bare(line)].popleft())
        elif lines and lines[-1]:
            lines.append("")
    return lines


def _bare(line: str) -> str:
    return "".join(line.translate(_LIGATURES).split())


def _without_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """The pages without a browser's header and footer lines, and without the lines at the
    top or foot of a page that most pages repeat there (a page number counted alike: "3/7"
    is "1/7"). Lines inside a page are never taken for running ones, however common."""
    def shape(line: str) -> str:
        return re.sub(r"\d+", "#", line)

    def edges(lines: list[str]) -> set[int]:
        """Where the first and last few lines with text are."""
        texts = [i for i, line in enumerate(lines) if line]
        return {*texts[:_EDGE_LINES], *texts[-_EDGE_LINES:]}

    repeated: set[str] = set()
    if len(pages) >= 2:
        counts = Counter(s for lines in pages for s in {shape(lines[i]) for i in edges(lines)})
        repeated = {s for s, n in counts.items() if n >= max(2, 0.6 * len(pages))}
    kept = []
    for lines in pages:
        edge = edges(lines)
        kept.append([line for i, line in enumerate(lines)
                     if not (i in edge and (shape(line) in repeated or _FOOTER.match(line)
                                            or _HEADER.match(line)))])
    return kept


def _from_headline(lines: list[str], title: str | None) -> list[str]:
    """The lines from the headline on, found among the first ones by the file's title (or
    a part of it: "Headline | Site"); all of them with the title first when it is not."""
    if not title:
        return lines
    wanted = {_key(title)} | {_key(p) for p in _TITLE_PARTS.split(title) if len(p.split()) >= 3}
    for at, line in enumerate(lines[:15]):
        if _key(line) in wanted:
            return lines[at:]
    return lines


def _paragraphs(lines: list[str]) -> str:
    """Lines joined into paragraphs; the first line (the headline) stands alone."""
    lines = [line for at, line in enumerate(lines) if line or (at and lines[at - 1])]
    if lines and not lines[0]:
        lines = lines[1:]
    if not lines:
        return ""
    measure = max(len(line) for line in lines)
    paragraphs: list[str] = [lines[0]]
    current = ""
    gaps = "" in lines  # the layout shows where paragraphs end
    for line, following in zip(lines[1:], [*lines[2:], ""], strict=True):
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        if current.endswith("-") and line[:1].islower():  # a word hyphenated at the line's end
            current = current[:-1] + line
        else:
            current = f"{current} {line}" if current else line
        short = len(line) < _SHORT_LINE * measure
        # without gaps: a sentence's end on a short line; or a line of its own (a byline)
        if not gaps and short and (_SENTENCE_END.search(line) or (
                len(line) < _LONE_LINE * measure and following[:1].isupper()
                and not current[:-len(line)].strip())):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _key(text: str) -> str:
    return " ".join(text.translate(_LIGATURES).lower().split())


def _text_of(value: object) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _created(info: Any) -> datetime | None:
    try:
        at = info.creation_date if info else None
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(at, datetime):
        return None
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


__all__ = ["MAX_PDF_PAGES", "PDF_SUFFIXES", "PdfArticle", "pdf_article"]
