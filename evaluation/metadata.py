"""Metadata quality: headline, publication date and authors, beside the bare libraries.

The pages, their truths and the split into a tuning and a held-out part are
:mod:`evaluation.metadata_pages`.

**Scores**, each over the pages whose truth has the field:

* *title*: the headline matches after Unicode NFKC, whitespace, soft hyphens and
  typographic quotes and dashes are normalised (a reader sees the same words);
* *title, loose*: the same words, case and punctuation aside, or one of the two inside the
  other ("Headline" for "Headline - Site"). The issue's own figure for bare trafilatura on
  unseen publishers (0.90) is out of reach of the exact match (bare gets 0.65-0.77 on the
  fundus sets here) and within reach of this one, so this row is the nearer stand-in for
  how the issue measures; it forgives a suffix or a kicker, not another wording;
* *date, day*: within a day of a timestamp truth; for a truth that is a day only (as in
  trafilatura-eval), the same calendar day where the page is published (newsmon's local
  day: its UTC time plus the offset the page stated);
* *date, hour* and *date, minute*: within an hour or a minute of a timestamp truth;
* *authors*: names found vs expected, case-insensitive, lists split on ``;``, ``,``,
  ``|``, "and", "und" and "&"; precision, recall and F1 over names. newsmon's names are
  the people and agencies its byline credits (the truths list agencies as authors);
* *authors, all found*: the pages whose every expected name is among the names found
  (a page's whole byline right or not, whatever else was found beside it).

On fundus a further row measures the labels rather than an extractor: how often the
labelled title is the article's own ``<h1>`` (:func:`title_sources`), the ceiling for an
extractor that returns the headline a reader sees.

Baselines in the same run: ``trafilatura.bare_extraction(with_metadata=True)`` for all
three fields, and ``htmldate.find_date(extensive_search=True, original_date=True)`` for
the date. Both give a day by default, so for the hour and the minute htmldate is asked
for its time of day as well (``outputformat="%Y-%m-%dT%H:%M:%S%z"``): the fair baseline
for the time newsmon keeps.

**How sure.** The fundus held-out part has 92 pages from 60 publishers: a difference of a
few pages is within chance. Each title and authors row gives newsmon minus bare with a
95% interval from a paired bootstrap that resamples *publishers* (their pages move
together, as a publisher's markup makes its pages right or wrong together).
"""

from __future__ import annotations

import csv
import random
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from evaluation.metadata_pages import (
    SEED,
    TRAF_EVAL,
    Page,
    Truth,
    pages_in,
    part_of,
    split_authors,
    to_utc,
)
from evaluation.rows import Row

#: Goals of the extraction issue, on held-out pages and on all of them.
GOAL_TITLE = 0.95
GOAL_AUTHORS = 0.90


@dataclass(frozen=True)
class Found:
    """What one extractor found on a page."""

    title: str | None = None
    date: datetime | None = None  # naive UTC
    local_day: datetime | None = None  # the day where the page was published, if known
    authors: tuple[str, ...] = ()
    rejected: str | None = None  # newsmon's reject reason: the page is stored as no article



# -- scoring -------------------------------------------------------------------------------

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u00ad": None,
})


def normalise_title(value: str | None) -> str:
    if not value:
        return ""
    value = unicodedata.normalize("NFKC", value).translate(_QUOTES)
    return " ".join(value.split())



def loose_title_key(value: str | None) -> str:
    """The title's words, case-folded, punctuation and spacing aside."""
    return " ".join(re.sub(r"[^\w]+", " ", normalise_title(value).casefold()).split())


def loose_title_match(found: str | None, truth: str | None) -> bool:
    """The same words, or one title inside the other (a suffix or kicker around it)."""
    got, want = loose_title_key(found), loose_title_key(truth)
    return bool(got) and bool(want) and (got in want or want in got)



def author_names(value: str | None) -> tuple[str, ...]:
    return tuple(" ".join(a.casefold().split()) for a in split_authors(value))


@dataclass(frozen=True)
class Score:
    pages: int
    titled: int
    title: float
    dated: int
    date_day: float
    timed: int
    date_hour: float
    date_minute: float
    authored: int
    author_precision: float
    author_recall: float
    title_loose: float
    authors_all_found: float

    @property
    def author_f1(self) -> float:
        return _f1(self.author_precision, self.author_recall)


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def _day_right(found: Found, truth: Truth) -> bool:
    assert truth.date is not None
    if found.date is None:
        return False
    if truth.date_has_time:
        return abs(found.date - truth.date) <= timedelta(days=1)
    day = found.local_day or found.date
    return day.date() == truth.date.date()


@dataclass(frozen=True)
class _Tally:
    """One page's contribution to the title and author scores."""

    titled: int
    title_right: int
    names_right: int
    names_found: int
    names_expected: int
    title_loose_right: int
    all_names_found: int


def _tally(page: Page, got: Found) -> _Tally:
    truth = page.truth
    right = bool(truth.title) and normalise_title(got.title) == normalise_title(truth.title)
    loose = loose_title_match(got.title, truth.title)
    if truth.authors is None:
        return _Tally(int(bool(truth.title)), int(right), 0, 0, 0, int(loose), 0)
    expected = {" ".join(a.casefold().split()) for a in truth.authors}
    names = set(got.authors)
    return _Tally(int(bool(truth.title)), int(right), len(names & expected), len(names),
                  len(expected), int(loose), int(bool(expected) and expected <= names))


def score(pages: Sequence[Page], found: Sequence[Found]) -> Score:
    dated = days = timed = hours = minutes = 0
    for page, got in zip(pages, found, strict=True):
        truth = page.truth
        if truth.date is not None:
            dated += 1
            days += _day_right(got, truth)
            if truth.date_has_time:
                timed += 1
                off = abs(got.date - truth.date) if got.date is not None else None
                hours += off is not None and off < timedelta(hours=1)
                minutes += off is not None and off < timedelta(minutes=1)
    tallies = [_tally(p, f) for p, f in zip(pages, found, strict=True)]
    precision, recall = _author_pr(tallies)
    return Score(
        pages=len(pages),
        titled=sum(t.titled for t in tallies),
        title=_title(tallies),
        dated=dated,
        date_day=days / max(dated, 1),
        timed=timed,
        date_hour=hours / max(timed, 1),
        date_minute=minutes / max(timed, 1),
        authored=sum(p.truth.authors is not None for p in pages),
        author_precision=precision,
        author_recall=recall,
        title_loose=_title_loose(tallies),
        authors_all_found=_all_found(tallies),
    )


def _title(tallies: Iterable[_Tally]) -> float:
    rows = list(tallies)
    return sum(t.title_right for t in rows) / max(sum(t.titled for t in rows), 1)


def _title_loose(tallies: Iterable[_Tally]) -> float:
    rows = list(tallies)
    return sum(t.title_loose_right for t in rows) / max(sum(t.titled for t in rows), 1)


def _all_found(tallies: Iterable[_Tally]) -> float:
    """The share of pages with expected names whose every name was found."""
    rows = [t for t in tallies if t.names_expected]
    return sum(t.all_names_found for t in rows) / max(len(rows), 1)


def _author_pr(tallies: Iterable[_Tally]) -> tuple[float, float]:
    """Precision and recall over names, pooled across pages."""
    rows = list(tallies)
    right = sum(t.names_right for t in rows)
    return (right / max(sum(t.names_found for t in rows), 1),
            right / max(sum(t.names_expected for t in rows), 1))


def _author_f1(tallies: Iterable[_Tally]) -> float:
    return _f1(*_author_pr(tallies))


def paired_interval(pages: Sequence[Page], ours: Sequence[Found], bare: Sequence[Found],
                    measure: Callable[[Iterable[_Tally]], float], resamples: int = 2000,
                    seed: int = SEED) -> tuple[float, float, float]:
    """(difference, low, high): ``measure`` for newsmon minus bare, and its 95% interval
    over ``resamples`` draws of the publishers with replacement."""
    by_publisher: dict[str, list[int]] = defaultdict(list)
    for i, page in enumerate(pages):
        by_publisher[page.publisher].append(i)
    groups = [by_publisher[k] for k in sorted(by_publisher)]
    mine = [_tally(p, f) for p, f in zip(pages, ours, strict=True)]
    theirs = [_tally(p, f) for p, f in zip(pages, bare, strict=True)]
    rng = random.Random(seed)
    draws = []
    for _ in range(resamples):
        chosen = [i for g in (rng.choice(groups) for _ in groups) for i in g]
        draws.append(measure(mine[i] for i in chosen) - measure(theirs[i] for i in chosen))
    draws.sort()
    return (measure(mine) - measure(theirs), draws[int(0.025 * resamples)],
            draws[int(0.975 * resamples) - 1])


def _difference_note(pages: Sequence[Page], ours: Sequence[Found], bare: Sequence[Found],
                     measure: Callable[[Iterable[_Tally]], float]) -> str:
    diff, low, high = paired_interval(pages, ours, bare, measure)
    publishers = len({p.publisher for p in pages})
    return (f"newsmon - bare {diff:+.3f} (95% interval {low:+.3f} to {high:+.3f}, "
            f"{publishers} publishers resampled)")


# -- extractors ----------------------------------------------------------------------------

Extractor = Callable[[Page], Found]


def bare_trafilatura(page: Page) -> Found:
    import trafilatura  # bench code, not the pipeline: the one-importer rule is for newsmon

    doc = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    if doc is None:
        return Found()
    date = getattr(doc, "date", None)
    return Found(
        title=getattr(doc, "title", None),
        date=to_utc(date) if date else None,
        authors=author_names(getattr(doc, "author", None)),
    )


def bare_htmldate(page: Page, outputformat: str = "%Y-%m-%d") -> Found:
    from htmldate import find_date

    date = find_date(page.html, url=page.url, extensive_search=True, original_date=True,
                     outputformat=outputformat)
    return Found(date=to_utc(date) if date else None)


#: htmldate's output with its time of day and offset (its default is the day alone).
_WITH_TIME = "%Y-%m-%dT%H:%M:%S%z"


def htmldate_with_time(page: Page) -> Found:
    """htmldate's extensive search asked for the time of day too; only on pages whose truth
    has one (the hour and minute rows), as the day rows use :func:`bare_htmldate`."""
    if page.truth.date is None or not page.truth.date_has_time:
        return Found()
    return bare_htmldate(page, _WITH_TIME)


def newsmon(page: Page) -> Found:
    from extractors.html import extract_page
    from newsmon.core.errors import RejectedInput

    try:
        meta = extract_page(page.html, url=page.url)
    except RejectedInput as error:
        return Found(rejected=error.reason.value)
    published = meta.published
    local = None
    if published is not None and published.utc_offset_minutes is not None:
        local = published.at + timedelta(minutes=published.utc_offset_minutes)
    return Found(
        title=meta.title,
        date=published.at if published else None,
        local_day=local,
        authors=author_names("; ".join(filter(None, (meta.author, meta.agencies)))),
    )


def run_extractor(pages: Sequence[Page], extractor: Extractor) -> list[Found]:
    return [extractor(page) for page in pages]


# -- the benchmark -------------------------------------------------------------------------


def _rows(label: str, pages: Sequence[Page], results: dict[str, list[Found]], *,
          goals: bool = False) -> list[Row]:
    """The rows of one set; ``goals``: the issue's title and authors goals apply to it."""
    ours = score(pages, results["newsmon"])
    bare = score(pages, results["trafilatura"])
    dates = score(pages, results["htmldate"])
    name = f"metadata / {label} ({len(pages)} pages)"
    rows = []
    if ours.titled:
        rows.append(Row(
            name, f"title ({ours.titled} pages)", f"{ours.title:.3f}", f"{bare.title:.3f}",
            goal=f">= {GOAL_TITLE} and >= bare" if goals else ">= bare",
            met=ours.title >= bare.title and (not goals or ours.title >= GOAL_TITLE),
            note=_difference_note(pages, results["newsmon"], results["trafilatura"], _title)))
        rows.append(Row(
            name, f"title, loose ({ours.titled} pages)", f"{ours.title_loose:.3f}",
            f"{bare.title_loose:.3f}", goal=">= bare", met=ours.title_loose >= bare.title_loose,
            note="case and punctuation aside, or one inside the other (a suffix or kicker "
                 "forgiven); "
                 + _difference_note(pages, results["newsmon"], results["trafilatura"],
                                    _title_loose)))
    if ours.dated:
        rows.append(Row(name, f"date, day ({ours.dated} pages)", f"{ours.date_day:.3f}",
                        f"{bare.date_day:.3f}", goal=">= htmldate and >= bare",
                        met=ours.date_day >= dates.date_day and ours.date_day >= bare.date_day,
                        note=f"htmldate extensive search: {dates.date_day:.3f}"))
    rows += _stored_day_rows(name, pages, results)
    if ours.timed:
        timed = score(pages, results["htmldate-time"])
        for unit, got, base, theirs in (
                ("hour", ours.date_hour, bare.date_hour, timed.date_hour),
                ("minute", ours.date_minute, bare.date_minute, timed.date_minute)):
            rows.append(Row(name, f"date, {unit} ({ours.timed} pages)", f"{got:.3f}",
                            f"{base:.3f}", goal=">= bare and >= htmldate's time of day",
                            met=got >= base and got >= theirs,
                            note=f"htmldate extensive search asked for its time of day: "
                                 f"{theirs:.3f} (bare trafilatura and htmldate give days)"))
    if not ours.authored:
        return rows
    rows.append(
        Row(name, f"authors F1 ({ours.authored} pages)", f"{ours.author_f1:.3f}",
            f"{bare.author_f1:.3f}",
            goal=f">= {GOAL_AUTHORS} and >= bare" if goals else ">= bare",
            met=ours.author_f1 >= bare.author_f1 and (not goals or ours.author_f1 >= GOAL_AUTHORS),
            note=f"P {ours.author_precision:.3f} / R {ours.author_recall:.3f}; bare P "
                 f"{bare.author_precision:.3f} / R {bare.author_recall:.3f}; "
                 + _difference_note(pages, results["newsmon"], results["trafilatura"],
                                    _author_f1))
    )
    rows.append(Row(
        name, f"authors, all found ({ours.authored} pages)", f"{ours.authors_all_found:.3f}",
        f"{bare.authors_all_found:.3f}", goal=">= bare",
        met=ours.authors_all_found >= bare.authors_all_found,
        note="pages whose every expected name was found; "
             + _difference_note(pages, results["newsmon"], results["trafilatura"], _all_found)))
    return rows


def _stored_day_rows(name: str, pages: Sequence[Page], results: dict[str, list[Found]]
                     ) -> list[Row]:
    """Day accuracy on the pages newsmon stores as articles, beside htmldate's on the same
    pages: a page newsmon rejects (no article in its markup) has no date in the warehouse,
    while htmldate dates any page. No row when newsmon stores every dated page."""
    rejected = Counter(found.rejected for page, found in zip(pages, results["newsmon"],
                                                             strict=True)
                       if found.rejected and page.truth.date is not None)
    if not rejected:
        return []
    kept = [i for i, found in enumerate(results["newsmon"]) if not found.rejected]
    def on_kept(name: str) -> Score:
        return score([pages[i] for i in kept], [results[name][i] for i in kept])
    ours, dates = on_kept("newsmon"), on_kept("htmldate")
    reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(rejected.items()))
    return [Row(name, f"date, day, pages stored ({ours.dated} pages)", f"{ours.date_day:.3f}",
                f"{on_kept('trafilatura').date_day:.3f}", goal=">= htmldate",
                met=ours.date_day >= dates.date_day,
                note=f"htmldate extensive search on the same pages: {dates.date_day:.3f}; "
                     f"dated pages newsmon rejects: {reasons}")]


def title_sources(page: Page) -> tuple[bool, bool, bool]:
    """Where a page's labelled title stands among what the page says about itself:
    (it has an article ``<h1>``, the labelled title is that ``<h1>`` (perhaps without a
    kicker or suffix around it), the labelled title is stated by some source at all).

    A property of the truth, not of newsmon: fundus's titles are what each publisher's
    own parser reads (``og:title`` for some, JSON-LD ``headline`` for others), so on a page
    where that differs from the ``<h1>`` a reader sees, an extractor that returns the
    reader's headline cannot match the label."""
    from extractors.headline import headline_candidates
    from extractors.html import load_html
    from extractors.markup import read_markup

    truth = normalise_title(page.truth.title)
    candidates = headline_candidates(read_markup(load_html(page.html)))
    stated = {source: normalise_title(text) for source, text in candidates.items()}
    h1 = stated.get("h1", "")
    return bool(h1), bool(h1) and bool(truth) and truth in h1, truth in stated.values()


def _title_sources_row(label: str, pages: Sequence[Page]) -> Row:
    sources = [title_sources(p) for p in pages if p.truth.title]
    with_h1 = [s for s in sources if s[0]]
    as_h1 = sum(s[1] for s in with_h1)
    stated = sum(s[2] for s in sources)
    return Row(
        f"metadata / {label} ({len(pages)} pages)",
        "labelled title is the article's <h1> (what a reader sees)",
        f"{as_h1 / max(len(with_h1), 1):.3f}",
        note=f"a property of the labels, the same for any extractor: {as_h1} of "
             f"{len(with_h1)} pages with an article <h1> (a kicker or suffix around it "
             f"allowed); {stated} of {len(sources)} labels are stated word for word by one of "
             "the page's five sources (h1, JSON-LD, og:title, twitter:title, <title>), and "
             "which one differs by publisher",
    )


def _selections(pages: Sequence[Page]) -> Iterator[tuple[str, list[int], bool]]:
    """(row label, indices of its pages, whether the issue's goals apply: fundus
    publishers never tuned on) for each reported set; an optional corpus without its
    checkout has no pages and no row."""
    def chosen(corpus: str, part: str | None = None) -> list[int]:
        return [i for i, p in enumerate(pages)
                if p.corpus == corpus and (part is None or part_of(p) == part)]

    for corpus in ("fundus", "trafilatura-eval"):
        yield f"{corpus}, held-out publishers", chosen(corpus, "heldout"), corpus == "fundus"
        yield f"{corpus}, all", chosen(corpus), False
    yield "article-extraction-benchmark, labelled by reading, never tuned on", chosen(
        "article-extraction-benchmark"), False
    def halves(corpus: str, label: str, goals: bool) -> Iterator[tuple[str, list[int], bool]]:
        """The held-out and the tuning part of a corpus dealt by publisher; ``label`` has
        ``{kind}`` and ``{count}`` (its publishers) to fill in."""
        for part, kind in (("heldout", "held-out"), ("tune", "tuning")):
            members = chosen(corpus, part)
            if members:
                count = len({pages[i].publisher for i in members})
                yield (label.format(kind=kind, count=count), members,
                       goals and part == "heldout")

    yield from halves("fundus-unshared",
                      "fundus pages ../shared does not hold, {kind} half ({count} publishers)",
                      goals=True)
    yield from halves("fundus-history",
                      "fundus pages its tests have since replaced, {kind} publishers ({count})",
                      goals=True)
    dated = chosen("htmldate-eval")
    if dated:
        yield "htmldate's evaluation pages, never tuned on", dated, False
        shared = _traf_eval_urls()
        yield "htmldate's evaluation pages ../shared does not hold, never tuned on", [
            i for i in dated if pages[i].url.rstrip("/") not in shared], False
    yield from halves("l3s-gn1", "L3S-GN1, Google News 2008 (headline marked by people; "
                      "byline and day read), {kind} half ({count} sites)", goals=False)


def _traf_eval_urls() -> set[str]:
    with (TRAF_EVAL / "manifest.tsv").open(encoding="utf-8", newline="") as handle:
        return {r["url"].rstrip("/") for r in csv.DictReader(handle, delimiter="\t")}


def run() -> list[Row]:
    pages = pages_in(None)
    extractors: dict[str, Extractor] = {
        "newsmon": newsmon, "trafilatura": bare_trafilatura, "htmldate": bare_htmldate,
        "htmldate-time": htmldate_with_time,
    }
    results = {name: run_extractor(pages, fn) for name, fn in extractors.items()}
    rows: list[Row] = []
    for label, chosen, goals in _selections(pages):
        rows += _rows(
            label, [pages[i] for i in chosen],
            {name: [found[i] for i in chosen] for name, found in results.items()},
            goals=goals,
        )
        if label.startswith("fundus"):
            rows.append(_title_sources_row(label, [pages[i] for i in chosen]))
    return rows


def main() -> None:
    for row in run():
        flag = "" if row.met is None else (" ok" if row.met else " SHORT")
        print(f"{row.benchmark:<58} {row.metric:<26} newsmon {row.ours:<8} bare {row.baseline:<8}"
              f" {row.note}{flag}")


if __name__ == "__main__":
    main()
