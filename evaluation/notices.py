"""How well newsmon takes site notices (cookie banners, consent placeholders, "enable
JavaScript" bars, bot checks: :mod:`extractors.notices`) out of the text it stores.

**Labels.** ``bench/labels/notice-lines.jsonl``: every paragraph of newsmon's extracted text,
on the pages :func:`evaluation.metadata_pages.all_pages` gives (the shared corpora and the
optional checkouts), that carries one of a broad set of words (cookie, consent, privacy,
JavaScript, browser, subscribe, accept, enable, Zustimmung, Einwilligung, Datenschutz ...),
taken before any notice was removed (2026-12-07, 2,318 pages, 838 paragraphs) and read one
by one by people who did not see the rules: ``notice`` (the site speaking to the reader's
browser or consent), ``chrome`` (other site furniture: footers, link rows, promotions) or
``content`` (what the page publishes, a story about cookies included). A paragraph is known
by the first 12 hex digits of the SHA-1 of its text; the texts stay in the corpora.

**Split.** A paragraph's part is its site's, dealt by a seeded hash of the host name
(:func:`part_of`): the rules may be written from the ``tune`` half, and the ``heldout``
half's errors are not to be read. Notices that carry none of the broad words were never
drawn, so recall is over the drawn ones.

Measured beside bare trafilatura (``trafilatura.extract``, its defaults) in the same run:
how many labelled notices its text keeps. The ``chrome`` paragraphs measure
:mod:`extractors.furniture` the same way (how many of them it takes out, and that it takes
out no ``content`` one); its rules were written from the ``tune`` half after the labels
were read, on 2026-12-07.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from evaluation.metadata_pages import Page, all_pages
from evaluation.rows import Row

LABELS = Path(__file__).resolve().parents[1] / "bench" / "labels" / "notice-lines.jsonl"
SEED = 20261207
PARTS = ("tune", "heldout")
KINDS = ("notice", "chrome", "content")


@dataclass(frozen=True)
class Label:
    id: str
    corpus: str
    url: str
    label: str
    why: str


def line_id(line: str) -> str:
    return hashlib.sha1(line.strip().encode("utf-8")).hexdigest()[:12]


def host(url: str) -> str:
    name = urlsplit(url).hostname or url
    return name.removeprefix("www.")


def part_of(url: str) -> str:
    digest = hashlib.sha256(f"{SEED}:{host(url)}".encode()).digest()
    return PARTS[digest[-1] % 2]


def read_labels(path: Path = LABELS, kinds: tuple[str, ...] = KINDS) -> list[Label]:
    labels = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            row = json.loads(line)
            if row["label"] not in kinds:
                raise ValueError(f"{path.name}:{number}: label {row['label']!r} is none of {kinds}")
            labels.append(Label(row["id"], row["corpus"], row["url"], row["label"], row["why"]))
    return labels


@dataclass(frozen=True)
class Outcome:
    """What became of one labelled paragraph."""

    label: Label
    found: bool  # newsmon's text has it, kept or taken out (else its extraction changed)
    removed: bool  # taken out as a notice (or its page rejected as only notices)
    bare_kept: bool  # bare trafilatura's text has the same paragraph, word for word
    furnished: bool = False  # taken out as the site's furniture (extractors.furniture)


def _line_ids(text: str) -> set[str]:
    return {line_id(line) for line in text.split("\n") if line.strip()}


def bare_ids(page: Page) -> set[str]:
    import trafilatura

    return _line_ids(trafilatura.extract(page.html, url=page.url) or "")


def labelled_shared_pages(labels: list[Label] | None = None) -> list[Page]:
    """The pages of ``../shared`` with a labelled paragraph (no checkout needed)."""
    from evaluation.metadata_pages import aeb_pages, fundus_pages, traf_eval_pages

    urls = {label.url for label in (read_labels() if labels is None else labels)}
    return [p for p in fundus_pages() + traf_eval_pages() + aeb_pages() if p.url in urls]


@dataclass(frozen=True)
class Found:
    """The labelled paragraphs' outcomes, and what was taken out that nobody labelled."""

    outcomes: list[Outcome]
    unlabelled: list[tuple[str, str]]  # (page, paragraph) taken out, never read
    shells: list[tuple[str, str]]  # (page, reject detail) of pages that were only notices
    pages: int


def outcomes(pages: Iterable[Page] | None = None, labels: list[Label] | None = None) -> Found:
    """Each labelled paragraph of the pages at hand (``pages``: every page there is)."""
    from extractors.html import extract_page
    from newsmon.core.errors import RejectedInput

    labels = read_labels() if labels is None else labels
    by_url: dict[str, list[Label]] = {}
    for label in labels:
        by_url.setdefault(label.url, []).append(label)
    results: list[Outcome] = []
    unlabelled: list[tuple[str, str]] = []
    shells: list[tuple[str, str]] = []
    seen: set[str] = set()
    for page in all_pages() if pages is None else pages:
        if page.url in seen:
            continue
        seen.add(page.url)
        ours = by_url.get(page.url, [])
        kept: set[str] = set()
        removed: set[str] = set()
        furnished: set[str] = set()
        try:
            meta = extract_page(page.html, url=page.url)
        except RejectedInput as error:
            if error.detail.startswith("only a site notice"):
                shells.append((page.url, error.detail))
                removed = {label.id for label in ours}  # every paragraph it had went
        else:
            kept = _line_ids(meta.text)
            removed = {line_id(line) for line in meta.notices}
            # a pointer to another story or the site's wall is its furniture too
            furnished = {line_id(line) for line in (*meta.furniture, *meta.pointers, *meta.wall)}
            known = {label.id for label in ours}
            unlabelled.extend((page.url, line) for line in (*meta.notices, *meta.furniture)
                              if line_id(line) not in known)
        if ours:
            bare = bare_ids(page)
            results.extend(
                Outcome(label, label.id in kept | removed | furnished, label.id in removed,
                        label.id in bare, label.id in furnished) for label in ours)
    return Found(results, unlabelled, shells, len(seen))


@dataclass(frozen=True)
class Tally:
    notices: int  # labelled notices found again in newsmon's text
    notices_removed: int
    removed: int  # paragraphs taken out
    content_removed: int
    chrome_removed: int
    bare_notices: int  # labelled notices bare trafilatura's text has
    missing: int  # labelled paragraphs not found again
    chrome: int = 0  # labelled furniture found again in newsmon's text, kept or taken out
    chrome_furnished: int = 0  # of those, taken out as furniture
    content_furnished: int = 0  # labelled content taken out as furniture
    notices_furnished: int = 0  # labelled notices taken out as furniture
    bare_chrome: int = 0  # labelled furniture bare trafilatura's text has

    @property
    def recall(self) -> float:
        return self.notices_removed / self.notices if self.notices else 0.0

    @property
    def precision(self) -> float:
        return self.notices_removed / self.removed if self.removed else 1.0


def tally(found: Iterable[Outcome]) -> Tally:
    rows = list(found)
    there = [o for o in rows if o.found]
    count = Counter((o.label.label, o.removed) for o in there)
    return Tally(
        notices=count["notice", True] + count["notice", False],
        notices_removed=count["notice", True],
        removed=sum(n for (_, gone), n in count.items() if gone),
        content_removed=count["content", True],
        chrome_removed=count["chrome", True],
        bare_notices=sum(1 for o in rows if o.label.label == "notice" and o.bare_kept),
        missing=len(rows) - len(there),
        chrome=count["chrome", True] + count["chrome", False],
        chrome_furnished=sum(1 for o in there if o.label.label == "chrome" and o.furnished),
        content_furnished=sum(1 for o in there if o.label.label == "content" and o.furnished),
        notices_furnished=sum(1 for o in there if o.label.label == "notice" and o.furnished),
        bare_chrome=sum(1 for o in rows if o.label.label == "chrome" and o.bare_kept),
    )


def _row(name: str, t: Tally, held_out: bool) -> list[Row]:
    goal = "no content paragraph taken out" if held_out else ""
    return [
        Row(name, "notices taken out (recall) / taken out that are notices (precision)",
            f"{t.recall:.3f} / {t.precision:.3f}",
            f"keeps {t.bare_notices} of the {t.notices} word for word", goal=goal,
            met=(t.content_removed == 0) if held_out else None,
            note=f"{t.notices_removed} of {t.notices} notices; {t.removed} paragraphs taken out: "
            f"{t.content_removed} content, {t.chrome_removed} other site furniture"
            + (f"; {t.missing} labelled paragraphs no longer in the text" if t.missing else "")),
        Row(name, "site furniture taken out (copyright lines, policy links, newsletter calls)",
            f"{t.chrome_furnished} of {t.chrome}",
            f"keeps {t.bare_chrome} of the {t.chrome} word for word", goal=goal,
            met=(t.content_furnished == 0) if held_out else None,
            note=f"content taken out as furniture: {t.content_furnished}; notices: "
            f"{t.notices_furnished}"),
    ]


class _Labelled(Protocol):
    @property
    def label(self) -> Label: ...


T = TypeVar("T", bound=_Labelled)


def by_part(found: Iterable[T]) -> Iterator[tuple[str, list[T], str]]:
    """The held-out and the tuning sites' outcomes, each with its part and how a table's row
    names it ("held-out sites (376 paragraphs, 199 sites)")."""
    rows = list(found)
    for part in ("heldout", "tune"):
        mine = [o for o in rows if part_of(o.label.url) == part]
        sites = len({host(o.label.url) for o in mine})
        kind = "held-out sites" if part == "heldout" else "tuning sites (the rules came from them)"
        yield part, mine, f"{kind} ({len(mine)} paragraphs, {sites} sites)"


def run() -> list[Row]:
    found = outcomes()
    rows: list[Row] = []
    for part, mine, named in by_part(found.outcomes):
        rows += _row(f"extraction / site notices, {named}", tally(mine), part == "heldout")
    held = sum(1 for url, _ in found.unlabelled if part_of(url) == "heldout")
    rows.append(Row(
        f"extraction / site notices, every page ({found.pages})", "taken out, never labelled",
        f"{len(found.unlabelled)} paragraphs ({held} on held-out sites); "
        f"{len(found.shells)} pages only notices",
        note="paragraphs taken out that carry none of the words the labelled ones were "
             "drawn by, so nobody read them; a page that is only a notice is a no_content "
             "reject that quotes it"))
    return rows


def print_rows(rows: Iterable[Row]) -> None:
    for row in rows:
        flag = "" if row.met is None else (" ok" if row.met else " SHORT")
        print(f"{row.benchmark}: {row.metric}: newsmon {row.ours}, bare {row.baseline}{flag}"
              f" ({row.note})")


def main() -> None:
    print_rows(run())


if __name__ == "__main__":
    main()
