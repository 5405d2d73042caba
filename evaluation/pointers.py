"""How well newsmon takes pointers to a site's other stories ("Read more: ...", "Related
Stories") and the site's wall ("La suite est réservée aux abonnés") out of the text it
stores (:mod:`extractors.pointers`), and whether it marks a walled page paywalled.

**Labels.** ``bench/labels/pointer-lines.jsonl``: every paragraph of at most 60 words of
newsmon's extracted text, on the pages :func:`evaluation.metadata_pages.all_pages` gives
(the shared corpora and the optional checkouts), that carries one of a broad set of words
(read more, related, see also, click here, Lesen Sie, mehr zum Thema, lire aussi, leggi
anche, czytaj, subscribe, abonn, log in, premium, exclusive, réservé ... in twelve
languages) and is not labelled in ``notice-lines.jsonl``: taken 2026-12-07 before any rule
of the module was written, 2,318 pages, 649 paragraphs (606 distinct texts), read one by
one by helpers who had seen no rule: ``related`` (a pointer to another story or page of
the site), ``wall`` (the rest of this article is for subscribers, or log in to read on),
``chrome`` (other furniture), ``notice`` or ``content``. A paragraph is known by its
:func:`evaluation.notices.line_id`; the texts stay in the corpora.

**Split.** A paragraph's part is its site's (:func:`evaluation.notices.part_of`): the rules
were written from the ``tune`` half; the ``heldout`` half's errors are not to be read.
Measured beside bare trafilatura (``trafilatura.extract``, its defaults) in the same run:
how many labelled pointers its text keeps word for word.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from evaluation import notices
from evaluation.metadata_pages import Page, all_pages
from evaluation.notices import Label, bare_ids, line_id, part_of, print_rows, read_labels
from evaluation.rows import Row

LABELS = Path(__file__).resolve().parents[1] / "bench" / "labels" / "pointer-lines.jsonl"
KINDS = ("related", "wall", "chrome", "notice", "content")


def labels() -> list[Label]:
    return read_labels(LABELS, KINDS)


@dataclass(frozen=True)
class Outcome:
    """What became of one labelled paragraph."""

    label: Label
    found: bool  # newsmon's text has it, kept or taken out (else its extraction changed)
    pointer: bool  # taken out as a pointer to another story
    wall: bool  # taken out as the site's wall
    other: bool  # taken out as a notice or the site's furniture
    bare_kept: bool  # bare trafilatura's text has the same paragraph, word for word
    paywalled: bool | None  # what newsmon stores for the paragraph's page

    @property
    def removed(self) -> bool:
        return self.pointer or self.wall or self.other


@dataclass(frozen=True)
class Found:
    outcomes: list[Outcome]
    unlabelled: list[tuple[str, str]]  # (page, paragraph) taken out as a pointer or wall
    pages: int
    walled: int  # pages whose wall was taken out of the text


def labelled_shared_pages() -> list[Page]:
    """The pages of ``../shared`` with a labelled paragraph (no checkout needed)."""
    return notices.labelled_shared_pages(labels())


def outcomes(pages: Iterable[Page] | None = None,
             labelled: list[Label] | None = None) -> Found:
    """Each labelled paragraph of the pages at hand (``pages``: every page there is)."""
    from extractors.html import extract_page
    from newsmon.core.errors import RejectedInput

    labelled = labels() if labelled is None else labelled
    known = {label.id for label in labelled} | {label.id for label in read_labels()}
    by_url: dict[str, list[Label]] = {}
    for label in labelled:
        by_url.setdefault(label.url, []).append(label)
    results: list[Outcome] = []
    unlabelled: list[tuple[str, str]] = []
    seen: set[str] = set()
    walled = 0
    for page in all_pages() if pages is None else pages:
        if page.url in seen:
            continue
        seen.add(page.url)
        ours = by_url.get(page.url, [])
        try:
            meta = extract_page(page.html, url=page.url)
        except RejectedInput:
            kept, pointers, walls, other = set(), set(), set(), set()
            paywalled = None
        else:
            kept = {line_id(line) for line in meta.text.split("\n") if line.strip()}
            pointers = {line_id(line) for line in meta.pointers}
            walls = {line_id(line) for line in meta.wall}
            other = {line_id(line) for line in (*meta.notices, *meta.furniture)}
            paywalled = meta.paywalled
            walled += bool(meta.wall)
            unlabelled.extend((page.url, line) for line in (*meta.pointers, *meta.wall)
                              if line_id(line) not in known)
        if ours:
            bare = bare_ids(page)
            results.extend(Outcome(
                label, label.id in kept | pointers | walls | other, label.id in pointers,
                label.id in walls, label.id in other, label.id in bare, paywalled)
                for label in ours)
    return Found(results, unlabelled, len(seen), walled)


@dataclass(frozen=True)
class Tally:
    counts: Counter[tuple[str, bool]]  # (label, taken out) of the paragraphs found again
    bare_related: int  # labelled pointers bare trafilatura's text has
    missing: int  # labelled paragraphs not found again
    walled_pages: int  # pages with a labelled wall
    walled_marked: int  # of those, stored as paywalled

    def out(self, label: str) -> int:
        return self.counts[label, True]

    def of(self, label: str) -> int:
        return self.counts[label, True] + self.counts[label, False]


def tally(found: Iterable[Outcome]) -> Tally:
    rows = list(found)
    there = [o for o in rows if o.found]
    walls = {o.label.url: o.paywalled for o in there if o.label.label == "wall"}
    return Tally(
        counts=Counter((o.label.label, o.removed) for o in there),
        bare_related=sum(1 for o in rows if o.label.label == "related" and o.bare_kept),
        missing=len(rows) - len(there),
        walled_pages=len(walls),
        walled_marked=sum(1 for paywalled in walls.values() if paywalled is True),
    )


def _rows(name: str, t: Tally, held_out: bool) -> list[Row]:
    goal = "no content paragraph taken out" if held_out else ""
    return [
        Row(name, "pointers to other stories taken out / walls taken out",
            f"{t.out('related')} of {t.of('related')} / {t.out('wall')} of {t.of('wall')}",
            f"keeps {t.bare_related} of the {t.of('related')} pointers word for word",
            goal=goal, met=(t.out("content") == 0) if held_out else None,
            note=f"content taken out: {t.out('content')} of {t.of('content')}; other furniture "
            f"taken out: {t.out('chrome')} of {t.of('chrome')}; pages with a labelled wall "
            f"stored as paywalled: {t.walled_marked} of {t.walled_pages}"
            + (f"; {t.missing} labelled paragraphs no longer in the text" if t.missing else "")),
    ]


def run() -> list[Row]:
    found = outcomes()
    rows: list[Row] = []
    for part, mine, named in notices.by_part(found.outcomes):
        rows += _rows(f"extraction / pointers and walls, {named}", tally(mine), part == "heldout")
    held = sum(1 for url, _ in found.unlabelled if part_of(url) == "heldout")
    rows.append(Row(
        f"extraction / pointers and walls, every page ({found.pages})",
        "taken out, never labelled; pages whose wall was taken out",
        f"{len(found.unlabelled)} paragraphs ({held} on held-out sites); {found.walled} pages",
        note="paragraphs taken out that carry none of the words the labelled ones were drawn "
             "by; a page whose wall is taken out is stored as paywalled unless its markup "
             "says it is free"))
    return rows


def main() -> None:
    print_rows(run())


if __name__ == "__main__":
    main()
