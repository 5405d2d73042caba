"""A word model per topic: the subjects the taxonomy's terms cannot list.

The terms catch a subject by its defining words; most articles a reader files under
diplomacy never say "summit" or "talks" ("Powell meets with Middle East leaders",
"Chirac in Beijing signs accords"). A logistic model per topic over the words of the
article learns such phrasings from labelled documents. It never tags alone: it adds a
topic only to an article where the topic's own terms already found something (a
supporting word is enough), and it can hold back a tag the rules gave when the words say
the article is about something else. Its tags carry, as evidence, the words that
weighed most for the topic, with their offsets.

Features are the distinct words of title and text, lowercased and cut to their first
:data:`PREFIX` characters (a crude stem that works for German and English alike), and
the pairs of neighbouring words; each present feature counts ``1/sqrt(n)`` where ``n`` is
the number of distinct features in the article, so a brief and a long report weigh
alike. Weights are plain data (``newsmon/defaults/words.json``), fitted by
``python -m bench.tagging --fit`` on the tuning documents and refitted on a user's own
labelled documents by ``newsmon topics fit`` (their weights pulled towards the shipped
ones, so ten marked articles shift the words they contain and leave the rest). Fitting is
L-BFGS in numpy on a sparse design: seconds, no model download.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

#: Characters kept of each word: "sanktionen"/"sanktionierte" and "diplomat"/"diplomatic"
#: meet, "sanktionen"/"sanktuarium" do not. Set by that reasoning, not tuned.
PREFIX = 7
#: A fit from scratch is done twice: the second learns only the features that weighed at
#: least :data:`KEEP` for some topic in the first (about a fifth of them), so the file
#: stays small; in a trial the refit agreed with the full model on all but 2 of the tuning
#: documents' 444 labels. Weights under :data:`PRUNE` are then not written.
KEEP = 0.3
PRUNE = 0.05
_TOKEN = re.compile(r"\w+")
#: Features this short ("its", "of") weigh in the model but explain nothing to a reader:
#: they are left out of a tag's evidence.
SHORT = 3


@dataclass(frozen=True, slots=True)
class WordFeature:
    """One feature of an article and where it first occurs (offsets into the text read)."""

    name: str
    start: int
    end: int


def feature_names(text: str) -> frozenset[str]:
    """The distinct features of ``text`` (what :meth:`WordModel.probabilities` reads)."""
    words = [w.lower()[:PREFIX] for w in _TOKEN.findall(text) if not w.isdigit()]
    return frozenset(words).union(map(" ".join, pairwise(words)))


def word_features(text: str) -> list[WordFeature]:
    """The distinct features of ``text``, each at its first occurrence (for evidence)."""
    words = [(m.group().lower()[:PREFIX], m.start(), m.end())
             for m in _TOKEN.finditer(text) if not m.group().isdigit()]
    seen: dict[str, WordFeature] = {}
    for name, start, end in words:
        seen.setdefault(name, WordFeature(name, start, end))
    for (a, start, _), (b, _, end) in pairwise(words):
        seen.setdefault(f"{a} {b}", WordFeature(f"{a} {b}", start, end))
    return list(seen.values())


class WordModel(BaseModel):
    """``words.json``: ``add``, ``drop``, ``languages``, ``topic_languages``, ``bias``
    (topic -> intercept) and ``weights`` (topic -> feature -> weight); a user's may be TOML
    or YAML too. A topic absent from ``bias`` has no model.

    Only articles in one of ``languages`` are asked about: in a language the model has
    not read every topic's probability sits near its bias, which would hold back the
    rules' tags wholesale. The same holds for one topic in one language: a model that read
    a single English article on the war in Ukraine among two thousand English documents
    has learned only that English articles are not about it. So a topic listed in
    ``topic_languages`` is asked about only in the languages listed for it (those it read
    :data:`MIN_TOPIC_DOCUMENTS` articles of); a topic not listed, in every language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    add: float = Field(0.6, gt=0, lt=1, description="probability that adds a topic")
    drop: float = Field(0.05, ge=0, lt=1, description="probability under which a rules' "
                                                      "tag is held back")
    languages: tuple[str, ...] = Field(
        min_length=1, description="languages it read enough of to be asked about (ISO 639-1)")
    topic_languages: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="per topic, the languages it is asked about in "
                                          "(a topic not listed: all of ``languages``)")
    bias: dict[str, float]
    weights: dict[str, dict[str, float]] = Field(default_factory=dict)
    note: str = ""
    _topics: list[str] = PrivateAttr()
    _index: dict[str, int] = PrivateAttr()
    _matrix: np.ndarray = PrivateAttr()
    _bias: np.ndarray = PrivateAttr()
    _canonical: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _consistent(self) -> WordModel:
        if self.drop >= self.add:
            raise ValueError(f"drop ({self.drop}) must be below add ({self.add})")
        for field, table in (("weights", self.weights), ("topic_languages",
                                                           self.topic_languages)):
            unknown = set(table) - set(self.bias)
            if unknown:
                raise ValueError(f"{field}.{sorted(unknown)[0]}: topic has no bias")
        named = [(f"bias.{topic}", value) for topic, value in self.bias.items()]
        named += [(f"weights.{topic}.{name}", value)
                  for topic, table in self.weights.items() for name, value in table.items()]
        for key, value in named:
            if not math.isfinite(value) or abs(value) > 1e3:
                raise ValueError(f"{key} = {value} is out of bounds (|w| <= 1000)")
        return self

    def model_post_init(self, context: Any, /) -> None:
        """A feature -> row index and a feature x topic matrix: one lookup per feature of
        an article instead of one per feature and topic."""
        topics = list(self.bias)
        names = sorted({name for table in self.weights.values() for name in table})
        matrix = np.zeros((len(names), len(topics)))
        index = {name: i for i, name in enumerate(names)}
        for j, topic in enumerate(topics):
            for name, value in self.weights.get(topic, {}).items():
                matrix[index[name], j] = value
        self._topics, self._index, self._matrix = topics, index, matrix
        self._bias = np.array([self.bias[t] for t in topics])

    def canonical(self) -> str:
        """Canonical JSON of the model (sorted keys, no spaces), computed once: it is part
        of the taxonomy's content, and a megabyte to write each time the files are read."""
        if not self._canonical:
            self._canonical = json.dumps(self.model_dump(), sort_keys=True, ensure_ascii=False,
                                         separators=(",", ":"))
        return self._canonical

    def __eq__(self, other: object) -> bool:  # the private arrays follow from the fields
        return isinstance(other, WordModel) and self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]  # mutable-looking dict fields: unhashable

    def asks(self, topic: str, language: str | None) -> bool:
        """Whether the model is asked about ``topic`` in an article in ``language``."""
        if language not in self.languages or topic not in self.bias:
            return False
        listed = self.topic_languages.get(topic)
        return listed is None or language in listed

    def probabilities(self, names: Collection[str], language: str | None = None
                      ) -> dict[str, float]:
        """Each modelled topic's probability for an article with these features
        (:func:`feature_names`); with ``language``, only the topics asked about in it."""
        index = self._index  # a private attribute is looked up through __getattr__
        known = index.keys() & names  # a set intersection in C: most features are unknown
        rows = np.fromiter(map(index.__getitem__, known), dtype=np.intp, count=len(known))
        z = self._bias + self._matrix[rows].sum(axis=0) / math.sqrt(max(1, len(names)))
        return {topic: _sigmoid(float(v)) for topic, v in zip(self._topics, z, strict=True)
                if language is None or self.asks(topic, language)}

    def strongest(self, topic: str, features: Sequence[WordFeature], k: int = 5
                  ) -> list[tuple[WordFeature, float]]:
        """The ``k`` features longer than :data:`SHORT` that weigh most for ``topic`` here,
        with their weights."""
        table = self.weights.get(topic, {})
        weighed = [(f, table[f.name]) for f in features
                   if table.get(f.name, 0.0) > 0 and len(f.name) > SHORT]
        return sorted(weighed, key=lambda fw: (-fw[1], fw[0].start))[:k]

    def to_json(self) -> str:
        """The file: JSON, one weight a line, each topic's strongest first. (JSON, not
        TOML like the scorer: 60,000 weights parse in 0.02 s instead of 0.3 s, and every
        ``newsmon`` command reads them.)"""
        data = {"note": self.note, "add": self.add, "drop": self.drop,
                "languages": list(self.languages),
                "topic_languages": {topic: list(codes) for topic, codes
                                    in sorted(self.topic_languages.items())},
                "bias": dict(sorted(self.bias.items())),
                "weights": {topic: dict(sorted(table.items(), key=lambda nv: -abs(nv[1])))
                            for topic, table in sorted(self.weights.items())}}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


# -- fitting ---------------------------------------------------------------------------------------

#: Inverse L2 strength (the loss of each document counts ``C`` times against the
#: squared weights); chosen by five-fold cross-validation over the tuning documents.
C = 4.0
#: Features in fewer training documents than this are left out of a fit from scratch.
MIN_DOCUMENTS = 3
#: A language the model is asked about needs this many training documents.
MIN_LANGUAGE_DOCUMENTS = 100
#: A topic is asked about in a language only after this many of its articles in it: with
#: fewer its weights cannot have learned how that language's press writes about it. Set
#: by that reasoning (a handful, well under any topic's count in German or English where
#: it has been read), not tuned.
MIN_TOPIC_DOCUMENTS = 5


@dataclass(frozen=True, slots=True)
class WordExample:
    """A labelled document as the word model sees it."""

    features: tuple[str, ...]
    topics: frozenset[str]
    language: str | None = None


def example_of(text: str, title: str | None, topics: Iterable[str],
               language: str | None = None) -> WordExample:
    return WordExample(tuple(sorted(feature_names(read_text(text, title)))),
                       frozenset(topics), language)


def read_text(text: str, title: str | None) -> str:
    """What the model reads: the title, when there is one, then the text."""
    return f"{title}\n{text}" if title else text


def fit_words(examples: Sequence[WordExample], topics: Sequence[str], *,
              prior: WordModel | None = None, c: float = C, add: float | None = None,
              drop: float | None = None, note: str = "") -> WordModel:
    """Fit one class-balanced L2 logistic model per topic.

    Without ``prior`` the weights are pulled towards zero and only features in at least
    :data:`MIN_DOCUMENTS` documents are learned. With it they are pulled towards the
    prior's, every feature of the examples is learned and each document counts once, so a
    few labelled documents (ten wrong tags, all negative) adjust the shipped model rather
    than replace it.
    """
    if not examples:
        raise ValueError("no labelled documents to fit the word model on")
    vocabulary = _vocabulary(examples, 1 if prior else MIN_DOCUMENTS, prior)
    if prior is None:
        first = _fit_all(examples, topics, vocabulary, None, c)
        vocabulary = sorted({name for table in first[1].values() for name, value
                             in table.items() if abs(value) >= KEEP})
    bias, weights = _fit_all(examples, topics, vocabulary, prior, c)
    counts = Counter(e.language for e in examples if e.language)
    languages = {code for code, n in counts.items() if n >= MIN_LANGUAGE_DOCUMENTS}
    languages |= set(prior.languages) if prior else set()
    if not languages:
        raise ValueError(f"no language has {MIN_LANGUAGE_DOCUMENTS} labelled documents to "
                         f"learn its words from (have: {dict(counts.most_common(3))})")
    return WordModel(add=add if add is not None else (prior.add if prior else 0.6),
                     drop=drop if drop is not None else (prior.drop if prior else 0.05),
                     languages=tuple(sorted(languages)),
                     topic_languages=_topic_languages(examples, bias, languages, prior),
                     bias=bias, weights=weights, note=note)


def _topic_languages(examples: Sequence[WordExample], topics: Collection[str],
                     languages: Collection[str], prior: WordModel | None
                     ) -> dict[str, tuple[str, ...]]:
    """Per modelled topic, the languages with :data:`MIN_TOPIC_DOCUMENTS` of its
    examples; adjusting a prior, also those the prior asked it about (a user's ten
    corrections add to what the shipped model read, they do not replace it)."""
    counts = Counter((topic, e.language) for e in examples for topic in e.topics)
    chosen = {}
    for topic in topics:
        codes = {code for code in languages if counts[topic, code] >= MIN_TOPIC_DOCUMENTS}
        if prior is not None and topic in prior.bias:
            codes |= set(prior.topic_languages.get(topic, prior.languages))
        chosen[topic] = tuple(sorted(codes & set(languages)))
    return chosen


def _fit_all(examples: Sequence[WordExample], topics: Sequence[str], vocabulary: list[str],
             prior: WordModel | None, c: float
             ) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    design = _Design.of(examples, vocabulary)
    bias: dict[str, float] = dict(prior.bias) if prior else {}
    weights: dict[str, dict[str, float]] = (
        {t: dict(w) for t, w in prior.weights.items()} if prior else {})
    for topic in topics:
        y = np.array([topic in e.topics for e in examples], dtype=float)
        if prior is None and (y.sum() == 0 or y.sum() == len(y)):
            continue  # nothing to tell the classes apart by
        if prior is not None and topic not in prior.bias and y.sum() == 0:
            continue  # no model to adjust and no example of the topic
        start = np.array([(prior.weights.get(topic, {}) if prior else {}).get(name, 0.0)
                          for name in vocabulary])
        w, b = _fit_one(design, y, start, prior.bias.get(topic, 0.0) if prior else 0.0, c,
                        adjusting=prior is not None)
        bias[topic] = float(f"{b:.6g}")  # as written, so a file read back is the model
        weights[topic] = {name: float(f"{v:.4g}")
                          for name, v in zip(vocabulary, w, strict=True) if abs(v) >= PRUNE}
    return bias, weights


def _vocabulary(examples: Sequence[WordExample], min_documents: int,
                prior: WordModel | None) -> list[str]:
    counts: dict[str, int] = {}
    for example in examples:
        for name in example.features:
            counts[name] = counts.get(name, 0) + 1
    names = {name for name, n in counts.items() if n >= min_documents}
    if prior:
        names |= {name for table in prior.weights.values() for name in table}
    return sorted(names)


@dataclass(frozen=True)
class _Design:
    """A sparse document x feature matrix as coordinate arrays (rows, columns, value)."""

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    n_rows: int
    n_cols: int

    @classmethod
    def of(cls, examples: Sequence[WordExample], vocabulary: list[str]) -> _Design:
        index = {name: i for i, name in enumerate(vocabulary)}
        rows, cols, values = [], [], []
        for r, example in enumerate(examples):
            scale = 1.0 / math.sqrt(max(1, len(example.features)))
            for name in example.features:
                if name in index:
                    rows.append(r)
                    cols.append(index[name])
                    values.append(scale)
        return cls(np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64),
                   np.array(values), len(examples), len(vocabulary))

    def times(self, w: np.ndarray) -> np.ndarray:
        return np.bincount(self.rows, self.values * w[self.cols], minlength=self.n_rows)

    def transposed_times(self, r: np.ndarray) -> np.ndarray:
        return np.bincount(self.cols, self.values * r[self.rows], minlength=self.n_cols)


def _fit_one(design: _Design, y: np.ndarray, w0: np.ndarray, b0: float, c: float, *,
             adjusting: bool) -> tuple[np.ndarray, float]:
    """Minimise ``c * sum(s_i * logloss_i) + |w - w0|^2 / 2`` over (w, b) by L-BFGS.

    From scratch, ``s`` gives each class half of the documents' weight (a topic's
    positives are a few percent of a labelled set) and the bias is free. ``adjusting``
    a prior model, every document counts once and the bias is pulled towards the
    prior's like the weights: a user's marked articles, perhaps all of one class, would
    otherwise just push the bias to minus infinity."""
    n, positives = len(y), y.sum()
    s = (np.ones(n) if adjusting
         else np.where(y > 0, n / (2 * positives), n / (2 * (n - positives))))
    bias_pull = 1.0 if adjusting else 0.0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        z = design.times(w) + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))
        value = c * float(np.sum(s * (np.logaddexp(0, z) - y * z)))
        value += 0.5 * float(np.dot(w - w0, w - w0)) + 0.5 * bias_pull * (b - b0) ** 2
        residual = c * s * (p - y)
        grad = np.append(design.transposed_times(residual) + (w - w0),
                         residual.sum() + bias_pull * (b - b0))
        return value, grad

    theta = _lbfgs(loss, np.append(w0, b0))
    return theta[:-1], float(theta[-1])


def _lbfgs(f: Callable[[np.ndarray], tuple[float, np.ndarray]], x: np.ndarray, *,
           memory: int = 10, iterations: int = 500, tolerance: float = 1e-5) -> np.ndarray:
    """Limited-memory BFGS with a backtracking (Armijo) line search (numpy has none, and
    one dependency less beats SciPy's for a convex problem this size)."""
    value, grad = f(x)
    s_hist: list[np.ndarray] = []
    y_hist: list[np.ndarray] = []
    for _ in range(iterations):
        if np.max(np.abs(grad)) < tolerance * max(1.0, abs(value)):
            break
        direction = -_two_loop(grad, s_hist, y_hist)
        slope = float(np.dot(grad, direction))
        if slope >= 0:  # not a descent direction: restart from the gradient
            s_hist.clear()
            y_hist.clear()
            direction, slope = -grad, -float(np.dot(grad, grad))
        step = 1.0
        while True:
            candidate = x + step * direction
            new_value, new_grad = f(candidate)
            if new_value <= value + 1e-4 * step * slope or step < 1e-10:
                break
            step /= 2
        s_vec, y_vec = candidate - x, new_grad - grad
        if float(np.dot(s_vec, y_vec)) > 1e-10:
            s_hist.append(s_vec)
            y_hist.append(y_vec)
            if len(s_hist) > memory:
                s_hist.pop(0)
                y_hist.pop(0)
        converged = abs(value - new_value) <= 1e-9 * max(1.0, abs(value))
        x, value, grad = candidate, new_value, new_grad
        if converged:
            break
    return x


def _two_loop(grad: np.ndarray, s_hist: list[np.ndarray], y_hist: list[np.ndarray]
              ) -> np.ndarray:
    q = grad.copy()
    alphas = []
    for s_vec, y_vec in zip(reversed(s_hist), reversed(y_hist), strict=True):
        rho = 1.0 / float(np.dot(y_vec, s_vec))
        alpha = rho * float(np.dot(s_vec, q))
        q -= alpha * y_vec
        alphas.append((rho, alpha))
    if s_hist:
        q *= float(np.dot(s_hist[-1], y_hist[-1])) / float(np.dot(y_hist[-1], y_hist[-1]))
    for (s_vec, y_vec), (rho, alpha) in zip(zip(s_hist, y_hist, strict=True),
                                            reversed(alphas), strict=True):
        beta = rho * float(np.dot(y_vec, q))
        q += (alpha - beta) * s_vec
    return q
