"""The pages metadata is measured on, each with its truth, and their split into parts
(what :mod:`evaluation.metadata` scores).

Pages with known metadata, from two corpora in ``../shared/corpora``:

* ``fundus``: news pages of ~100 publishers with the title, publication timestamp and
  authors fundus's per-publisher parsers extract (``manifest.tsv``);
* ``trafilatura-eval``: web pages (news, blogs, institutions) with a hand-checked title,
  author and publication day (``evaldata.json``; empty means not given, and is not scored);
* ``extraction-benchmark``: its 181 article pages, labelled for newsmon by reading each
  one for what a reader sees (``bench/labels/metadata-aeb.jsonl``). They were labelled
  after the rules were fixed and are never tuned on: all of them are held out.
* ``fundus-unshared``: optional, when ``FUNDUS_TEST_DATA`` names a fundus checkout's
  ``tests/resources/parser/test_data``: its pages that ``../shared`` does not hold (at
  fundus 18da6e5, the commit ``../shared`` was taken from: 83 pages of publishers ``../shared``
  has none of). Publishers newsmon's rules had never met, so the truest proxy for unseen
  ones. Measured once whole before any rule was written from it (2026-12-04 18:08); since
  then its publishers are split by a seeded hash (:func:`part_of`): rules may be written
  from the ``tune`` half, and the ``heldout`` half's errors are not to be read.
* ``htmldate-eval``: optional, when ``HTMLDATE_TESTS`` names an htmldate checkout's
  ``tests`` folder: the publication days of its evaluation pages (``eval_default.json``
  and ``eval_mediacloud_2020.json``: 1,000 news and blog pages, 945 present in a checkout
  whose largest files are missing). About 600 are also trafilatura-eval pages; the row
  of the others is out of sample. Dates only; never tuned on, errors not to be read.
* ``l3s-gn1``: optional, when ``L3S_GN1`` names that dataset's folder
  (:mod:`evaluation.l3s`): 621 Google News articles of 2008 from 408 sites, the headline
  marked by people (scored where they marked one); the byline and the day each page
  shows were read for newsmon afterwards (``bench/labels/metadata-l3s.jsonl``, as the
  extraction benchmark's were). Headlines measured once whole
  before any rule was written from it (2026-12-05 00:33: title 0.556, bare 0.546); its sites
  are split as the unshared fundus publishers are, and only the ``tune`` half's errors
  may be read.
* ``fundus-history``: optional, when ``FUNDUS_GIT`` names a git directory of fundus with
  its history (:mod:`evaluation.fundus_history`): the pages its tests held once and have
  since replaced, each with the article fundus expected then. A page's part is its
  publisher's: the shared split for publishers ``../shared`` holds, the hashed halves of
  ``fundus-unshared`` for the others. Measured first on 2026-12-05, after every rule of
  that day; the held-out part's errors are not to be read.

**Split.** Rules are tuned on ``tune`` (fundus and trafilatura-eval publishers) and every
reported figure is on ``heldout`` (and on all pages, beside it). A page's part is that of
its publisher (fundus) or its site (trafilatura-eval): a held-out publisher's markup was
never looked at, which is the closest proxy here for publishers newsmon has never seen.
:func:`make_split` made ``bench/labels/metadata-split.tsv`` and it is committed: publishers
are grouped into strata (fundus: country; trafilatura-eval: the site's top-level domain),
ordered inside a
stratum by a seeded hash of their name and dealt alternately to the two parts.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from evaluation import CORPORA, LABELS, fundus_history, gunzipped, l3s

FUNDUS = CORPORA / "fundus"
TRAF_EVAL = CORPORA / "trafilatura-eval"
BENCHMARK = CORPORA / "extraction-benchmark"
SPLIT = LABELS / "metadata-split.tsv"
AEB_LABELS = LABELS / "metadata-aeb.jsonl"
L3S_LABELS = LABELS / "metadata-l3s.jsonl"
#: Labelled for newsmon after the rules were fixed, and never tuned on: wholly held out.
HELD_OUT_CORPORA = ("article-extraction-benchmark", "fundus-unshared", "htmldate-eval",
                    "l3s-gn1")
#: Optional corpora from checkouts of the projects they come from (see the module doc).
FUNDUS_TEST_DATA_VARIABLE = "FUNDUS_TEST_DATA"
HTMLDATE_TESTS_VARIABLE = "HTMLDATE_TESTS"
#: htmldate's evaluation sets: the file of truths and the folder of its pages.
HTMLDATE_SETS = (("eval_default.json", "eval"), ("eval_mediacloud_2020.json", "test_set"))
SEED = 20261202
PARTS = ("tune", "heldout")


@dataclass(frozen=True)
class Truth:
    title: str | None
    date: datetime | None  # naive UTC for a timestamp; the day at midnight for a day
    date_has_time: bool
    authors: tuple[str, ...] | None  # None: not given


@dataclass(frozen=True)
class Page:
    corpus: str  # fundus | trafilatura-eval
    publisher: str  # fundus publisher, or the page's site
    url: str
    html: bytes
    truth: Truth



# -- the pages -----------------------------------------------------------------------------


def _read(path: Path) -> bytes:
    return gunzipped(path.read_bytes())


def to_utc(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


_DAY = re.compile(r"^(\d{4})\D(\d{1,2})\D(\d{1,2})$")


def _day(value: str) -> datetime | None:
    """trafilatura-eval's day; two of its 728 are malformed (a month of 25, 29): not scored."""
    match = _DAY.match(value.strip())
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


@cache
def _fundus_manifest() -> tuple[dict[str, str], ...]:
    with (FUNDUS / "manifest.tsv").open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle, delimiter="\t"))


def fundus_pages() -> list[Page]:
    rows = _fundus_manifest()
    return [
        Page(
            corpus="fundus",
            publisher=r["publisher"],
            url=r["url"],
            html=_read(FUNDUS / r["html_path"]),
            truth=Truth(
                title=r["title"].strip() or None,
                date=to_utc(r["publishing_date"]) if r["publishing_date"] else None,
                date_has_time=True,
                authors=tuple(a.strip() for a in r["authors"].split("|") if a.strip()),
            ),
        )
        for r in rows
    ]


def site(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def traf_eval_pages() -> list[Page]:
    evaldata = json.loads((TRAF_EVAL / "evaldata.json").read_text(encoding="utf-8"))
    with (TRAF_EVAL / "manifest.tsv").open(encoding="utf-8", newline="") as handle:
        paths = {r["url"]: r["html_path"] for r in csv.DictReader(handle, delimiter="\t")}
    pages = []
    for url, item in evaldata.items():
        if not any(item.get(k) for k in ("title", "date", "author")):
            continue  # no metadata labelled for this page
        pages.append(
            Page(
                corpus="trafilatura-eval",
                publisher=site(url),
                url=url,
                html=_read(TRAF_EVAL / paths[url]),
                truth=Truth(
                    title=(item.get("title") or "").strip() or None,
                    date=_day(item["date"]) if item.get("date") else None,
                    date_has_time=False,
                    authors=_truth_authors(item.get("author")),
                ),
            )
        )
    return pages


def _truth_authors(value: str | list[str] | None) -> tuple[str, ...] | None:
    if not value:
        return None
    if isinstance(value, list):
        return tuple(a.strip() for a in value if a.strip())
    return tuple(split_authors(value))


def aeb_pages() -> list[Page]:
    """The article-extraction-benchmark's pages with the metadata a reader sees on them,
    labelled by reading each page (``bench/labels/metadata-aeb.jsonl``): the displayed
    headline, the people and agencies in the byline, the publication day as shown (or, when
    none is shown, as the page's metadata states it)."""
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    with AEB_LABELS.open(encoding="utf-8") as handle:
        for line in handle:
            label = json.loads(line)
            url = truth[label["id"]]["url"]
            pages.append(
                Page(
                    corpus="article-extraction-benchmark",
                    publisher=site(url),
                    url=url,
                    html=_read(BENCHMARK / "html" / f"{label['id']}.html.gz"),
                    truth=Truth(
                        title=label["title"] or None,
                        date=_day(label["date"]) if label["date"] else None,
                        date_has_time=False,
                        authors=tuple(label["authors"]) + tuple(label["agencies"]),
                    ),
                )
            )
    return pages


def fundus_unshared_pages(test_data: Path) -> list[Page]:
    """The pages of a fundus checkout's test data that ``../shared`` does not hold.

    fundus keeps, per publisher, ``<Publisher>.json`` with the expected article under one
    key per parser version (``V1``, ``V2``, ...) and one ``<Publisher>_<date>.html.gz`` per
    version, crawled while that version was current; ``meta.info`` in the country's folder
    gives each page's URL. Versions follow each other in time, so the k-th page by date is
    the k-th version's; a publisher whose page and version counts differ is left out."""
    shared = {row["html_path"] for row in _fundus_manifest()}
    pages = []
    for country in sorted(d for d in test_data.iterdir() if (d / "meta.info").is_file()):
        meta = json.loads((country / "meta.info").read_text(encoding="utf-8"))
        for expected_path in sorted(country.glob("*.json")):
            expected = json.loads(expected_path.read_text(encoding="utf-8"))
            versions = sorted(expected, key=lambda key: int(key.lstrip("V") or 0))
            htmls = sorted(country.glob(f"{expected_path.stem}_*.html.gz"))
            if len(versions) != len(htmls):
                continue
            for version, html in zip(versions, htmls, strict=True):
                if f"test_data/{country.name}/{html.name}" in shared or html.name not in meta:
                    continue
                article = expected[version]
                date = article.get("publishing_date")
                pages.append(Page(
                    corpus="fundus-unshared",
                    publisher=expected_path.stem,
                    url=meta[html.name]["url"],
                    html=_read(html),
                    truth=Truth(
                        title=(article.get("title") or "").strip() or None,
                        date=to_utc(date) if date else None,
                        date_has_time=True,
                        authors=tuple(a.strip() for a in article.get("authors") or ()
                                      if a.strip()),
                    ),
                ))
    return pages


def fundus_history_pages(git_dir: Path) -> list[Page]:
    """The pages fundus's history keeps and its test data no longer holds, with the
    article fundus expected on each (a field it did not give then is not scored)."""
    pages = []
    for replaced in fundus_history.replaced_pages(git_dir):
        html = fundus_history.page_bytes(git_dir, replaced.blob)
        if html is None:
            raise LookupError(f"{git_dir}: {replaced.id}: no such page")
        article = replaced.expected
        date = article.get("publishing_date")
        authors = article.get("authors")
        pages.append(Page(
            corpus="fundus-history", publisher=replaced.publisher, url=replaced.url, html=html,
            truth=Truth(
                title=(article.get("title") or "").strip() or None,
                date=to_utc(date) if isinstance(date, str) and date else None,
                date_has_time=True,
                authors=None if authors is None else tuple(
                    a.strip() for a in authors if isinstance(a, str) and a.strip())),
        ))
    return pages


def htmldate_eval_pages(tests: Path) -> list[Page]:
    """htmldate's evaluation pages with their publication day (pages absent from the
    checkout, as its largest files may be, are left out)."""
    pages = []
    for truths, folder in HTMLDATE_SETS:
        for url, item in json.loads((tests / truths).read_text(encoding="utf-8")).items():
            path = tests / folder / item["file"]
            if not path.is_file():
                continue
            day = item.get("date")  # NaN where the page has no date: not scored
            pages.append(Page(
                corpus="htmldate-eval", publisher=site(url), url=url, html=_read(path),
                truth=Truth(title=None, date=_day(day) if isinstance(day, str) else None,
                            date_has_time=False, authors=None),
            ))
    return pages


def l3s_pages(root: Path, labels: Path | None = None) -> list[Page]:
    """L3S-GN1's pages: the headline its assessors marked, when they marked one, and the
    byline and day the page shows, read for newsmon (``bench/labels/metadata-l3s.jsonl``:
    people and agencies credited, the day as shown, none where the page shows none)."""
    labels = labels or L3S_LABELS
    read: dict[str, dict[str, Any]] = {}
    with labels.open(encoding="utf-8") as handle:
        for line in filter(str.strip, handle):
            row = json.loads(line)
            read[row["id"].removeprefix(l3s.ID_PREFIX)] = row
    pages = []
    for page in l3s.read_pages(root):
        label = read.get(page.uuid)
        if label is None:
            raise LookupError(f"{labels.name}: no label for {page.uuid}")
        pages.append(Page(
            corpus="l3s-gn1", publisher=site(page.url), url=page.url, html=page.html,
            truth=Truth(title=page.headline,
                        date=_day(label["date"]) if label["date"] else None,
                        date_has_time=False,
                        authors=tuple(label["authors"]) + tuple(label["agencies"]))))
    return pages


def checkout(variable: str) -> Path | None:
    """The checkout an optional corpus comes from, named by ``variable``; a name that is
    no folder stops the run with a one-line error."""
    value = os.environ.get(variable)
    if not value:
        return None
    path = Path(value)
    if not path.is_dir():
        raise SystemExit(f"{variable}={value}: not a directory")
    return path


@cache
def all_pages() -> tuple[Page, ...]:
    fundus_test_data = checkout(FUNDUS_TEST_DATA_VARIABLE)
    htmldate_tests = checkout(HTMLDATE_TESTS_VARIABLE)
    l3s_root = checkout(l3s.VARIABLE)
    fundus_git = checkout(fundus_history.VARIABLE)
    optional = ((fundus_unshared_pages(fundus_test_data) if fundus_test_data else [])
                + (htmldate_eval_pages(htmldate_tests) if htmldate_tests else [])
                + (l3s_pages(l3s_root) if l3s_root else [])
                + (fundus_history_pages(fundus_git) if fundus_git else []))
    return tuple(fundus_pages() + traf_eval_pages() + aeb_pages() + optional)


# -- the split -----------------------------------------------------------------------------


def _stratum(page: Page) -> str:
    if page.corpus == "fundus":
        return "fundus:" + page.url.split("/")[2].rsplit(".", 1)[-1]
    return "teval:" + page.publisher.rsplit(".", 1)[-1]


def make_split(pages: Iterable[Page], seed: int = SEED) -> dict[tuple[str, str], str]:
    """(corpus, publisher) -> part, dealt alternately inside each stratum."""
    strata: dict[str, set[tuple[str, str]]] = defaultdict(set)
    parts: dict[tuple[str, str], str] = {}
    for page in pages:
        if page.corpus in HELD_OUT_CORPORA:
            parts[(page.corpus, page.publisher)] = "heldout"
        else:
            strata[_stratum(page)].add((page.corpus, page.publisher))
    turn = 0
    for stratum in sorted(strata):
        members = sorted(
            strata[stratum],
            key=lambda k: hashlib.sha256(f"{seed}:{k[0]}:{k[1]}".encode()).hexdigest(),
        )
        for key in members:
            parts[key] = PARTS[turn % 2]
            turn += 1
    return parts


def write_split(parts: dict[tuple[str, str], str], path: Path = SPLIT) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["corpus", "publisher", "part"])
        for (corpus, publisher), part in sorted(parts.items()):
            writer.writerow([corpus, publisher, part])


@cache
def read_split(path: Path = SPLIT) -> dict[tuple[str, str], str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {(r["corpus"], r["publisher"]): r["part"]
                for r in csv.DictReader(handle, delimiter="\t")}


def pages_in(part: str | None) -> list[Page]:
    """The pages of one part (``None``: all); a page of a publisher not in the split fails."""
    pages = list(all_pages())
    return [p for p in pages if part is None or part_of(p) == part]


def hashed_part(corpus: str, publisher: str) -> str:
    """A publisher's part, dealt by a hash of the seed, the corpus and the publisher."""
    digest = hashlib.sha256(f"{SEED}:{corpus}:{publisher}".encode()).digest()
    return PARTS[digest[-1] % 2]


def part_of(page: Page) -> str:
    """The page's part; a page of a publisher not in the split fails. The optional corpora
    are not in the file: htmldate's pages are held out whole, the unshared fundus
    publishers and L3S-GN1's sites are dealt by a hash of the seed and the publisher (no
    file to keep in step with a checkout)."""
    if page.corpus == "htmldate-eval":
        return "heldout"
    if page.corpus in ("fundus-unshared", "l3s-gn1"):
        return hashed_part(page.corpus, page.publisher)
    if page.corpus == "fundus-history":
        shared = read_split().get(("fundus", page.publisher))
        return shared or hashed_part("fundus-unshared", page.publisher)
    split = read_split()
    key = (page.corpus, page.publisher)
    if key not in split:
        raise LookupError(f"{SPLIT.name}: publisher {key} not split")
    return split[key]


_AUTHOR_SPLIT = re.compile(r"\s*(?:;|\||,|\band\b|\bund\b|&)\s*", re.I)


def split_authors(value: str | None) -> list[str]:
    """A byline string's names: split on ``;``, ``,``, ``|``, "and", "und" and "&"."""
    return [a.strip() for a in _AUTHOR_SPLIT.split(value or "") if a.strip()]
