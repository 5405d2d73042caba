"""The full-text index: tantivy (the only module that imports it), beside the warehouse.

Why tantivy and not DuckDB's full-text-search extension: the extension rebuilds its whole
index on every change (95 s for 100,000 articles here) and answered a two-word query in
0.6 s; tantivy adds a cycle's articles incrementally (0.1 s for 200) and answers in
milliseconds, with BM25 ranking, phrases, boolean operators and highlighted snippets.

Each article is one document. Its title and text go into the fields of its language:
``*_de``, ``*_en``, ``*_fr``, ``*_es``, ``*_it``, ``*_pt``, ``*_nl`` and ``*_ru`` are
stemmed with that language's Snowball stemmer, every other language into ``*_xx``
(lower-cased, not stemmed). A query is parsed against all of them, so "Sanktion" finds
"Sanktionen" in German articles, "sanction" finds "sanctions" in English ones and "Путин"
finds "Путином" in Russian ones. Chinese, Japanese, Thai and the other scripts written
without spaces have no words to split on: their runs of characters are also indexed as
overlapping pairs (``*_ng``, the way search engines index Chinese and Japanese), and a
query's runs become phrases of pairs, so "金正恩" is found inside "北朝鮮の金正恩総書記".
``article_id`` is the key: an article is deleted before it is added, so indexing the same
article twice keeps one document.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import tantivy

from newsmon.core.errors import InputError
from newsmon.core.scripts import UNSPACED

STEMMED = {"de": "german", "en": "english", "fr": "french", "es": "spanish",
           "it": "italian", "pt": "portuguese", "nl": "dutch", "ru": "russian"}
FIELD_LANGUAGES = (*STEMMED, "xx")
#: Runs of scripts written without spaces between words (Han, kana, Thai, Lao, Khmer,
#: Burmese), indexed and searched as overlapping character pairs.
_UNSPACED = re.compile(f"[{UNSPACED}]+")
TITLE_BOOST = 2.0
#: Threads tantivy indexes with, and the memory they may use while adding documents (it
#: flushes a segment to disk beyond it and merges them later), near tantivy's minimum of
#: 15 MB a thread. The catch-up runs at a cycle's end, after the extraction workers have
#: ended: the second core is free then, and two threads index a 1,171-page cycle in 0.59 s
#: instead of 0.83-0.92 s, at 12 MB more than one thread with 20 MB.
WRITER_THREADS = 2 if (os.cpu_count() or 1) > 1 else 1
WRITER_HEAP_BYTES = 16_000_000 * WRITER_THREADS
SNIPPET_CHARS = 220


@dataclass(frozen=True, slots=True)
class IndexedArticle:
    article_id: int
    language: str | None
    title: str | None
    text: str
    source: str | None = None
    event_at: datetime | None = None  # when it happened (article_times), naive UTC


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: int
    score: float
    snippet: str  # matched words between ** **


def field_language(language: str | None) -> str:
    return language if language in STEMMED else "xx"


def _analyzer(stemmer: str | None) -> tantivy.TextAnalyzer:
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
    )
    if stemmer:
        builder = builder.filter(tantivy.Filter.stemmer(stemmer))
    return builder.build()


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("article_id", stored=True, indexed=True, fast=True)
    builder.add_text_field("language", stored=True, tokenizer_name="raw")
    builder.add_text_field("source", stored=False, tokenizer_name="raw")
    builder.add_integer_field("event_at", stored=False, indexed=True, fast=True)  # epoch s
    for lang in FIELD_LANGUAGES:
        builder.add_text_field(f"title_{lang}", stored=True, tokenizer_name=f"newsmon_{lang}")
        builder.add_text_field(f"text_{lang}", stored=True, tokenizer_name=f"newsmon_{lang}")
    # the character pairs of unspaced scripts, whatever the article's language
    builder.add_text_field("title_ng", stored=False, tokenizer_name="newsmon_xx")
    builder.add_text_field("text_ng", stored=False, tokenizer_name="newsmon_xx")
    return builder.build()


#: Bumped when the fields change: an index of another version is rebuilt from the warehouse.
SCHEMA_VERSION = 2


class SearchIndex:
    """One index directory; open it for each operation, as the warehouse is opened.

    The index lives in ``<path>/v<SCHEMA_VERSION>``: a newsmon whose fields changed starts
    a new one (and removes older versions), which the next sync fills from the warehouse.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.directory = path / f"v{SCHEMA_VERSION}"
        self.schema = _schema()
        if path.exists() and not path.is_dir():
            raise InputError(f"{path}: the search index must be a directory, not a file")
        self.directory.mkdir(parents=True, exist_ok=True)
        for old in path.glob("v*"):
            if old != self.directory and old.is_dir() and old.name[1:].isdigit():
                shutil.rmtree(old, ignore_errors=True)
        try:
            self._index = tantivy.Index(self.schema, path=str(self.directory), reuse=True)
        except ValueError as exc:
            raise InputError(f"{self.directory}: not a newsmon search index ({exc})") from None
        for lang in FIELD_LANGUAGES:
            self._index.register_tokenizer(f"newsmon_{lang}", _analyzer(STEMMED.get(lang)))

    def add(self, articles: Iterable[IndexedArticle]) -> int:
        """Index ``articles`` (replacing any already indexed under the same id); commit."""
        writer = self._index.writer(heap_size=WRITER_HEAP_BYTES, num_threads=WRITER_THREADS)
        added = 0
        try:
            for a in articles:
                lang = field_language(a.language)
                writer.delete_documents_by_term("article_id", a.article_id)
                writer.add_document(tantivy.Document(**{
                    "article_id": a.article_id, "language": a.language or "",
                    "source": a.source or "", "event_at": _epoch(a.event_at),
                    f"title_{lang}": a.title or "", f"text_{lang}": a.text,
                    "title_ng": character_pairs(a.title or ""),
                    "text_ng": character_pairs(a.text),
                }))
                added += 1
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        self._index.reload()
        return added

    def count(self) -> int:
        self._index.reload()
        return int(self._index.searcher().num_docs)

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        only_ids: Sequence[int] | None = None,
        languages: Sequence[str] = (),
        sources: Sequence[str] = (),
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[SearchHit]:
        """The best ``limit`` articles for ``query`` (BM25) that pass every filter given:
        within ``only_ids``, in ``languages``, from ``sources``, happened in [since, until)."""
        parsed = self._parse(query)
        must: list[tuple[tantivy.Occur, tantivy.Query]] = [(tantivy.Occur.Must, parsed)]
        if only_ids is not None:
            if not only_ids:
                return []
            must.append((tantivy.Occur.Must, tantivy.Query.term_set_query(
                self.schema, "article_id", list(only_ids))))
        if languages:
            must.append((tantivy.Occur.Must, tantivy.Query.term_set_query(
                self.schema, "language", list(languages))))
        if sources:
            must.append((tantivy.Occur.Must, tantivy.Query.term_set_query(
                self.schema, "source", list(sources))))
        if since is not None or until is not None:
            low = _epoch(since) if since is not None else -(2**62)
            high = _epoch(until) - 1 if until is not None else 2**62
            must.append((tantivy.Occur.Must, tantivy.Query.range_query(
                self.schema, "event_at", tantivy.FieldType.Integer, low, high)))
        combined = tantivy.Query.boolean_query(must) if len(must) > 1 else parsed
        self._index.reload()
        searcher = self._index.searcher()
        result = searcher.search(combined, limit)
        snippets: dict[str, tantivy.SnippetGenerator] = {}  # per field language, when needed
        runs = sought_runs(query)
        hits = []
        for score, address in result.hits:
            doc = searcher.doc(address)
            lang = field_language((doc["language"] or [""])[0])
            if lang not in snippets:
                snippets[lang] = tantivy.SnippetGenerator.create(
                    searcher, parsed, self.schema, f"text_{lang}")
                snippets[lang].set_max_num_chars(SNIPPET_CHARS)
            snippet = _marked(snippets[lang].snippet_from_doc(doc).to_html())
            if "**" not in snippet:  # matched in the character pairs, or only in the title
                text = (doc[f"text_{lang}"] or [""])[0]
                snippet = run_snippet(text, runs) or snippet or " ".join(
                    text[:SNIPPET_CHARS].split())
            hits.append(SearchHit(int(doc["article_id"][0]), float(score), snippet))
        return hits

    def matching_ids(self, query: str, since: datetime | None = None) -> list[int]:
        """Every article ``query`` matches (happened at or after ``since``), unranked: what a
        saved search counts."""
        parsed = self._parse(query)
        if since is not None:
            parsed = tantivy.Query.boolean_query([
                (tantivy.Occur.Must, parsed),
                (tantivy.Occur.Must, tantivy.Query.range_query(
                    self.schema, "event_at", tantivy.FieldType.Integer, _epoch(since),
                    2**62)),
            ])
        self._index.reload()
        searcher = self._index.searcher()
        total = int(searcher.num_docs)
        if not total:
            return []
        result = searcher.search(parsed, total)
        return [int(searcher.doc(address)["article_id"][0]) for _, address in result.hits]

    def _parse(self, query: str) -> tantivy.Query:
        languages = (*FIELD_LANGUAGES, "ng")
        fields = [f"{kind}_{lang}" for lang in languages for kind in ("title", "text")]
        boosts = {f"title_{lang}": TITLE_BOOST for lang in languages}
        try:
            return self._index.parse_query(
                with_pairs(to_tantivy(query)), fields, field_boosts=boosts,
                conjunction_by_default=True,
            )
        except ValueError as exc:
            raise InputError(f"search query {query!r}: {_first_line(exc)}") from None


def _epoch(moment: datetime | None) -> int:
    return int(moment.replace(tzinfo=UTC).timestamp()) if moment is not None else 0


_NOT = re.compile(r"(?:\bAND\s+)?\bNOT\s+(?=\S)")
_FIELD_LIKE = re.compile(r"(?<![\w\"])(\w+):")


#: A word written with an apostrophe ("Kim's", "O'Brien", "Kim’s"): the words it is
#: indexed as, in order, so a phrase of them.
_APOSTROPHE_WORD = re.compile(r"(?<![\w\"'’])\w+(?:['’]\w+)+")
#: tantivy's syntax that newsmon's is not: ranges (< > [ ] { }, "IN [...]"), boosts and
#: slops (^ ~), single-quoted phrases, backticks. Words around them are words.
_NOT_OURS = re.compile(r"[<>\[\]{}^~'`]|\bIN\b")


def _plain(match: re.Match[str]) -> str:
    """A mark of tantivy's syntax as what it is in newsmon's: a space, or the word "in"."""
    return "in" if match.group() == "IN" else " "


def to_tantivy(query: str) -> str:
    """newsmon's query syntax in tantivy's: words (all must match), "phrases", OR, AND,
    NOT/-word, parentheses. A colon is not a field selector here ("Kim:" is a word), and
    the rest of tantivy's syntax is not newsmon's: "Kim's visit" looks for Kim's, not a
    single-quoted phrase, and "<script>" for the word; a phrase left open ends with the
    query."""
    text = query.strip()
    if not text:
        raise InputError("search query is empty: give words to look for")
    if text.count('"') % 2:
        text += '"'  # a phrase left open runs to the end, as it does in a web search
    parts = text.split('"')  # odd parts are inside quotes
    text = '"'.join(part if i % 2 else _NOT_OURS.sub(_plain, _APOSTROPHE_WORD.sub(
        lambda m: f'"{m.group()}"', part)) for i, part in enumerate(parts))
    text = _FIELD_LIKE.sub(r"\1 ", text)
    text = _NOT.sub("-", text)
    if not re.search(r"\w", text):
        raise InputError(f"search query {query!r}: no word to look for")
    if not re.search(r"(?:^|[\s(])[^\s()\-]", re.sub(r'"[^"]*"?', "x", text)):
        raise InputError(f"search query {query!r}: it only excludes; add a word to look for")
    return text


def _pairs(run: str) -> list[str]:
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


def character_pairs(text: str) -> str:
    """The overlapping character pairs of each unspaced-script run in ``text``, spaced
    ('' when it has none). Runs stay apart: no pair spans two of them."""
    return " ".join(pair for run in _UNSPACED.findall(text) for pair in _pairs(run))


def with_pairs(query: str) -> str:
    """``query`` with each unspaced-script run as its character pairs: a phrase of them
    outside quotes (the word as written, in order), the pairs inside a quoted phrase."""
    def spaced(match: re.Match[str]) -> str:
        return " ".join(_pairs(match.group()))

    def phrase(match: re.Match[str]) -> str:
        return spaced(match) if len(match.group()) < 3 else f'"{spaced(match)}"'

    parts = query.split('"')  # odd parts are inside quotes
    return '"'.join(_UNSPACED.sub(spaced if i % 2 else phrase, part)
                    for i, part in enumerate(parts))


_EXCLUDED_RUN = re.compile(rf"(?:-|\bNOT\s+)\"?([{UNSPACED}]+)")


def sought_runs(query: str) -> tuple[str, ...]:
    """The unspaced-script runs a query looks for (not those it excludes with - or NOT)."""
    dropped = {m.group(1) for m in _EXCLUDED_RUN.finditer(query)}
    return tuple(run for run in dict.fromkeys(_UNSPACED.findall(query)) if run not in dropped)


def run_snippet(text: str, runs: Sequence[str]) -> str:
    """A snippet around the first of ``runs`` in ``text``, each of them between ** **, or
    '' when none is there. tantivy marks the words its own tokenizer found; a run of an
    unspaced script is matched in the character pairs, which have no text to mark."""
    found = [m for m in (re.search(re.escape(run), text) for run in runs if run) if m]
    if not found:
        return ""
    first = min(match.start() for match in found)
    start = max(0, first - SNIPPET_CHARS // 4)
    window = " ".join(text[start : start + SNIPPET_CHARS].split())
    pattern = "|".join(re.escape(run) for run in sorted(runs, key=len, reverse=True) if run)
    return re.sub(f"(?:{pattern})+", lambda m: f"**{m.group()}**", window)


def _marked(fragment: str) -> str:
    """tantivy's HTML snippet as plain text with the matched words between ** **."""
    text = fragment.replace("<b>", "**").replace("</b>", "**")
    return " ".join(html.unescape(text).split())


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
