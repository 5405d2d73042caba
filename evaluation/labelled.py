"""Every hand-labelled topic document newsmon has, and its fixed tuning / held-out split.

Three sources, all labelled by reading each text against ``../shared/spec/topics.md``:

* ``../shared/eval/topics-dev.jsonl`` and ``topics-news-sample.jsonl`` (text included);
* ``bench/labels/topics-extra.jsonl``: documents of the shared corpora labelled for
  newsmon (10kGNAD desks, fundus). The corpora stay in ``../shared``: these rows carry the
  id, labels and a one-line ``why``; the text is read back from the corpus by id
  (``gnad-N`` is row N of ``10kGNAD/test.csv``; ``fundus-NAME`` is the fundus page
  ``NAME.html.gz``, its expected title, summary and paragraphs; ``aeb-HASH`` is the
  article-extraction-benchmark's ground-truth body; ``teval-NAME`` is the trafilatura-eval
  page ``NAME.html.gz`` as bare ``trafilatura.extract`` reads it; ``feed-NAME-N`` is entry
  N of the real-feeds file NAME, its title and content or summary).

The split lives in ``bench/labels/topics-split.tsv`` (``id``, ``part``) and is committed:
rules and scorer weights are tuned on ``tune`` only, and every figure newsmon reports is
measured on ``heldout``. :func:`make_split` made it: documents are grouped into strata by
language and by their rarest topic (``none`` for topic-free ones), ordered inside a stratum
by a seeded hash of the id, and dealt alternately to tuning and held-out. Each labelling
batch is split when it is added, so adding documents never moves one already split.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import hashlib
import json
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from lxml import html as lxml_html

from evaluation import LABELS, SHARED, USER_CACHE
from extractors.feed_parser import FeedEntry, parse_feed
from newsmon.tagging.evaluate import LabelledDoc, read_labelled

EXTRA = LABELS / "topics-extra.jsonl"
SPLIT = LABELS / "topics-split.tsv"
SEED = 20261201
#: Where extracted trafilatura-eval texts are kept between runs (see :func:`_teval_text`).
TEXT_CACHE = USER_CACHE / "newsmon-eval"
PARTS = ("tune", "heldout")


def shared_sets(shared: Path = SHARED) -> list[Path]:
    return [shared / "eval" / "topics-dev.jsonl", shared / "eval" / "topics-news-sample.jsonl"]


@cache
def _gnad_rows(shared: Path) -> list[tuple[str, str]]:
    with (shared / "corpora" / "10kGNAD" / "test.csv").open(encoding="utf-8", newline="") as f:
        return [(row[0], row[1]) for row in csv.reader(f, delimiter=";", quotechar="'")]


@cache
def _fundus_pages(shared: Path) -> dict[str, dict[str, str]]:
    manifest = shared / "corpora" / "fundus" / "manifest.tsv"
    with manifest.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return {"fundus-" + Path(r["html_path"]).name.removesuffix(".html.gz"): r for r in rows}


def fundus_text(shared: Path, page: dict[str, str]) -> str:
    """Title, summary, section headlines and paragraphs of fundus's expected output."""
    expected = json.loads((shared / "corpora" / "fundus" / page["expected_json"])
                          .read_text(encoding="utf-8"))[page["expected_key"]]
    body = expected["body"]
    parts = [expected.get("title") or "", *body.get("summary", [])]
    for section in body.get("sections", []):
        parts += section.get("headline", []) + section.get("paragraphs", [])
    return "\n\n".join(p for p in parts if p)


@cache
def _aeb_bodies(shared: Path) -> dict[str, str]:
    truth = json.loads((shared / "corpora" / "extraction-benchmark" / "ground-truth.json")
                       .read_text(encoding="utf-8"))
    return {"aeb-" + key[:12]: str(value["articleBody"]) for key, value in truth.items()}


@cache
def _teval_pages(shared: Path) -> dict[str, Path]:
    manifest = shared / "corpora" / "trafilatura-eval" / "manifest.tsv"
    with manifest.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return {"teval-" + Path(r["html_path"]).name.removesuffix(".html.gz"):
            shared / "corpora" / "trafilatura-eval" / r["html_path"] for r in rows}


def corpus_text(doc_id: str, shared: Path = SHARED) -> str:
    """The text of a corpus document named by its labelled id."""
    if doc_id.startswith("gnad-"):
        return _gnad_rows(shared)[int(doc_id.removeprefix("gnad-"))][1]
    if doc_id.startswith("fundus-"):
        return fundus_text(shared, _fundus_pages(shared)[doc_id])
    if doc_id.startswith("aeb-"):
        return _aeb_bodies(shared)[doc_id]
    if doc_id.startswith("teval-"):
        return _teval_text(_teval_pages(shared)[doc_id])
    if doc_id.startswith("feed-"):
        return feed_entry_text(shared, doc_id)
    raise ValueError(f"{EXTRA.name}: {doc_id}: no corpus holds documents with this id")


@cache
def _feed_entries(shared: Path, name: str) -> tuple[FeedEntry, ...]:
    paths = sorted((shared / "corpora" / "real-feeds").rglob(name))
    if len(paths) != 1:
        raise ValueError(f"real-feeds has {len(paths)} files named {name!r}, not one")
    return parse_feed(paths[0].read_bytes(), {}, name).entries


def feed_entry_text(shared: Path, doc_id: str) -> str:
    """``feed-NAME-N``: entry N of the real-feeds file NAME (file names are unique there),
    as its title and the text of its content, else its summary: what a feed gives newsmon
    before any page is fetched."""
    name, _, number = doc_id.removeprefix("feed-").rpartition("-")
    entry = _feed_entries(shared, name)[int(number)]
    markup = entry.content_html or entry.summary or ""
    body = ""
    if markup.strip():
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
        for block in root.iter("p", "br", "li", "h1", "h2", "h3", "h4", "div"):
            block.tail = "\n\n" + (block.tail or "")
        body = "\n\n".join(" ".join(line.split()) for line in root.text_content().split("\n\n")
                             if line.strip())
    return "\n\n".join(part for part in ((entry.title or "").strip(), body) if part)


def _teval_text(page: Path) -> str:
    """A trafilatura-eval page as bare ``trafilatura.extract`` reads it, decoded as UTF-8
    (see :func:`cached_text`)."""
    import trafilatura

    packed = page.read_bytes()
    return cached_text(hashlib.sha256(packed).hexdigest()[:32], lambda: str(
        trafilatura.extract(gzip.decompress(packed).decode("utf-8", "replace")) or ""))


def cached_text(key: str, extract: Callable[[], str]) -> str:
    """``extract()``'s text, from a cache kept per trafilatura version under ``key`` (the
    page's bytes' hash): extracting the few hundred labelled pages takes ~10 s, and the
    benchmark and two tests read them in one run."""
    import trafilatura

    path = TEXT_CACHE / f"trafilatura-{trafilatura.__version__}" / f"{key}.txt"
    with contextlib.suppress(OSError):
        return path.read_text(encoding="utf-8")
    text = extract()
    with contextlib.suppress(OSError):  # a read-only home only makes the next run slower
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(text, encoding="utf-8")
        scratch.replace(path)  # atomic: parallel test processes never read half a file
    return text


def gnad_desk(doc_id: str, shared: Path = SHARED) -> str | None:
    if not doc_id.startswith("gnad-"):
        return None
    return _gnad_rows(shared)[int(doc_id.removeprefix("gnad-"))][0]


def read_extra(path: Path = EXTRA, shared: Path = SHARED) -> list[LabelledDoc]:
    docs: list[LabelledDoc] = []
    if not path.exists():
        return docs
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                row = json.loads(line)
                try:
                    text = corpus_text(row["id"], shared)
                except (KeyError, IndexError, ValueError, OSError) as exc:
                    raise ValueError(f"{path}:{number}: {row.get('id')}: {exc}") from None
                docs.append(LabelledDoc(row["id"], row.get("lang"), text,
                                        frozenset(row.get("topics") or ()), row["dataset"]))
    return docs


def all_labelled(shared: Path = SHARED) -> list[LabelledDoc]:
    """Every labelled document, each id once (the first set that has it wins).

    One text under two ids (the shared news sample names fundus pages ``Name-date``,
    newsmon's labels ``Name_date``) is an error: it would be counted twice, possibly on
    both sides of the split.
    """
    seen: set[str] = set()
    texts: dict[str, str] = {}
    docs = []
    for doc in [d for p in shared_sets(shared) for d in read_labelled(p)] + read_extra(
            shared=shared):
        if doc.id in seen:
            continue
        key = hashlib.sha256(" ".join(doc.text.split()).encode()).hexdigest()
        if key in texts:
            raise ValueError(f"labelled documents: {doc.id} has the same text as "
                             f"{texts[key]}; label each document once")
        texts[key] = doc.id
        seen.add(doc.id)
        docs.append(doc)
    return docs


def _rank(doc_id: str) -> str:
    return hashlib.sha256(f"{SEED}:{doc_id}".encode()).hexdigest()


def make_split(docs: Iterable[LabelledDoc], frequency: Counter[str] | None = None
               ) -> dict[str, str]:
    """Deal one batch of documents to tuning and held-out, stratified (see module doc).

    Seed articles always go to tuning: they are the demo run's input, pinned by tests.
    """
    docs = list(docs)
    frequency = frequency or Counter(t for d in docs for t in d.topics)
    strata: dict[tuple[str, str], list[LabelledDoc]] = defaultdict(list)
    parts: dict[str, str] = {}
    for doc in docs:
        if doc.dataset == "seeds":
            parts[doc.id] = "tune"
            continue
        rarest = min(doc.topics, key=lambda t: (frequency[t], t)) if doc.topics else "none"
        strata[(doc.lang or "?", rarest)].append(doc)
    for key in sorted(strata):
        members = sorted(strata[key], key=lambda d: _rank(d.id))
        # the first of each stratum alternates by its hash, so odd strata do not all
        # favour one side
        offset = int(_rank(key[0] + key[1])[:2], 16) % 2
        for i, doc in enumerate(members):
            parts[doc.id] = PARTS[(i + offset) % 2]
    return parts


def read_split(path: Path = SPLIT) -> dict[str, str]:
    with path.open(encoding="utf-8") as handle:
        rows = [line.rstrip("\n").split("\t") for line in handle if line.strip()]
    return {doc_id: part for doc_id, part in rows[1:]}


def write_split(parts: dict[str, str], path: Path = SPLIT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id\tpart\n")
        for doc_id in sorted(parts):
            handle.write(f"{doc_id}\t{parts[doc_id]}\n")


def split_docs(shared: Path = SHARED) -> tuple[list[LabelledDoc], list[LabelledDoc]]:
    """(tuning, held-out) documents; a labelled document missing from the split is an
    error, so nothing is silently left out of either figure."""
    parts = read_split()
    docs = all_labelled(shared)
    missing = [d.id for d in docs if d.id not in parts]
    if missing:
        raise ValueError(f"{SPLIT}: {len(missing)} labelled documents are not split "
                         f"(first: {missing[0]}); run python -m bench.labelled --add")
    return ([d for d in docs if parts[d.id] == "tune"],
            [d for d in docs if parts[d.id] == "heldout"])


def main() -> int:
    """``python -m bench.labelled [--add]``: show the split, or deal new documents into it."""
    docs = all_labelled()
    parts = read_split() if SPLIT.exists() else {}
    if "--add" in sys.argv[1:]:
        new = [d for d in docs if d.id not in parts]
        frequency = Counter(t for d in docs for t in d.topics)
        parts.update(make_split(new, frequency))
        write_split(parts)
        print(f"split {len(new)} new documents")
    for part in PARTS:
        members = [d for d in docs if parts.get(d.id) == part]
        topics = Counter(t for d in members for t in d.topics)
        print(f"{part:<8} {len(members):4d} documents, {sum(not d.topics for d in members)} "
              f"topic-free; " + ", ".join(f"{t} {n}" for t, n in sorted(topics.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
